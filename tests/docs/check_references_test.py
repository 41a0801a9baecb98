#!/usr/bin/python3
"""The reference checker (scripts/check_references.py) on a small made-up tree: it must report the paths
that do not exist and only those, so a passing docs_references_exist means something."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import check_references  # noqa: E402

FILES = {
    "nodes/control/cluster_demo.cpp": "// the demo plan; see cluster_wait.hpp and nodes/runtime/\n",
    "nodes/control/cluster_wait.hpp": "#pragma once\n",
    "nodes/runtime/node.cpp": 'const char* s = "not/a_comment.hpp";  // real: control/cluster_demo.*\n',
    "nodes/README.md": "`control/cluster_demo.*`, `cli/cluster_demo.*`, [up](../README.md), `runtime/x.{hpp,cpp}`\n",
    "README.md": "Built into `build/nodes/p3p-node`; config in `/etc/p3p/topology.yaml`; see SPEC §3.\n",
    "topology/builtin.hpp": "// the original core (GONE.md §3.2), metrics in node_metrics.hpp\n",
}
EXPECTED = {
    ("nodes/README.md", "cli/cluster_demo.*"),
    ("nodes/README.md", "runtime/x.{hpp,cpp}"),
    ("README.md", "SPEC.md"),
    ("topology/builtin.hpp", "GONE.md"),
    ("topology/builtin.hpp", "node_metrics.hpp"),
}


def main():
    with tempfile.TemporaryDirectory() as root:
        for rel, text in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        found = set(check_references.scan(root))
    if found != EXPECTED:
        print("missed:", sorted(EXPECTED - found))
        print("reported wrongly:", sorted(found - EXPECTED))
        return 1
    print(f"the checker reports exactly the {len(EXPECTED)} dangling references")
    return 0


if __name__ == "__main__":
    sys.exit(main())
