#!/usr/bin/python3
"""Lists test sources under tests/ that do not follow the one naming pattern, `<what>_test.cpp`, and test cases
whose name ctest cannot pass back to Catch2.

A reader looking for the tests of `x` looks for `x_test.cpp`; two patterns side by side (`test_x.cpp`) make
them look twice. A TEST_CASE name holding ';' runs no test under ctest (ctest splits it into a list, and its
entry fails with "No tests ran"). tests/main.cpp (the Catch2 main) and tests/support/ (helpers shared by every
test) are not tests. Exit status 1 if any source is misnamed or any name holds ';'.

    scripts/check_test_names.py [ROOT]
"""
import os
import re
import sys

NOT_TESTS = {"tests/main.cpp"}
SUPPORT_DIRS = ("tests/support/",)


def misnamed(root):
    bad = []
    for folder, dirs, files in os.walk(os.path.join(root, "tests")):
        dirs.sort()
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            if not name.endswith(".cpp") or rel in NOT_TESTS or rel.startswith(SUPPORT_DIRS):
                continue
            if not name.endswith("_test.cpp"):
                bad.append(rel)
    return bad


TEST_CASE_NAME = re.compile(r'TEST_CASE(?:_METHOD)?\s*\((?:[^,"]*,\s*)?"((?:[^"\\]|\\.)*)"')


def unrunnable_names(root):
    bad = []
    for folder, dirs, files in os.walk(os.path.join(root, "tests")):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8") as source:
                for test_name in TEST_CASE_NAME.findall(source.read()):
                    if ";" in test_name:
                        bad.append(f"{rel}: test case name holds ';': {test_name}")
    return bad


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    bad = misnamed(root)
    for rel in bad:
        print(f"{rel}: a test source is named <what>_test.cpp")
    print(f"{len(bad)} misnamed test source(s)" if bad else "every test source is named <what>_test.cpp")
    unrunnable = unrunnable_names(root)
    for line in unrunnable:
        print(line)
    return 1 if bad or unrunnable else 0


if __name__ == "__main__":
    sys.exit(main())
