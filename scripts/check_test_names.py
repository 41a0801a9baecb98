#!/usr/bin/python3
"""Lists test sources under tests/ that do not follow the one naming pattern, `<what>_test.cpp`.

A reader looking for the tests of `x` looks for `x_test.cpp`; two patterns side by side (`test_x.cpp`) make
them look twice. tests/main.cpp (the Catch2 main) and tests/support/ (helpers shared by every test) are not
tests. Exit status 1 if any source is misnamed.

    scripts/check_test_names.py [ROOT]
"""
import os
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


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    bad = misnamed(root)
    for rel in bad:
        print(f"{rel}: a test source is named <what>_test.cpp")
    print(f"{len(bad)} misnamed test source(s)" if bad else "every test source is named <what>_test.cpp")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
