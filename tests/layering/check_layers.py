#!/usr/bin/python3
"""The dependency rules of the source tree, read from its #include lines (ctest: layering_*).

A file's library is its folder: the top folder (bus, topology, common, client, cli, driver, experiments), or under nodes/ and
bench/ the folder below it (nodes/cortex, nodes/control, bench/engine, ...; files directly in nodes/ are the
p3p-node program, files directly in bench/ standalone benchmark programs).
The rules:
  - cli/, bench/client/ (both compiled into p3pctl) and client/ include nothing under nodes/ (p3pctl and any
    other client stay off the server) nor of experiments/ and driver/ (which the control node runs),
    and p3pctl's files nothing of the bench's engine side (bench/engine/,
    bench/workload/; the workload's generated constants header is not in the tree and holds no code);
  - nodes/cortex/ includes only nodes/cortex/ and common/ (the engine is pure computation);
  - no two libraries include each other, directly or round a longer loop.
Usage: check_layers.py ROOT     checks the tree at ROOT; exit 1 naming every broken rule
       check_layers.py --self-test  shows that each rule fails on a tree that breaks it
"""
import os
import re
import sys
import tempfile

SCANNED = ("bus", "topology", "common", "client", "cli", "nodes", "bench", "driver", "experiments")
P3PCTL = ("cli", "bench/client")  # the folders compiled into p3pctl
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def library(path):
    parts = path.split("/")
    if parts[0] in ("nodes", "bench"):
        return parts[0] + "/" + parts[1] if len(parts) > 2 else parts[0]
    return parts[0]


def includes(root):
    """(file, included file) for every quoted include of a file that exists in the tree."""
    for top in SCANNED:
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".cpp", ".hpp", ".h")):
                    continue
                path = os.path.relpath(os.path.join(folder, name), root)
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    for line in f:
                        m = INCLUDE.match(line)
                        if m and os.path.isfile(os.path.join(root, m.group(1))):
                            yield path, m.group(1)


def cycles(edges):
    """Every strongly connected group of more than one library (Tarjan), each sorted."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def violations(root):
    found, edges, why = [], {}, {}
    for path, target in includes(root):
        src, dst = library(path), library(target)
        if src in P3PCTL + ("client",) and target.startswith("nodes/"):
            found.append(f"{path} includes {target}: {src}/ includes nothing under nodes/")
        if src in P3PCTL + ("client",) and target.startswith(("experiments/", "driver/")):
            found.append(f"{path} includes {target}: {src}/ includes nothing of the experiments or the driver")
        if src in P3PCTL and target.startswith(("bench/engine/", "bench/workload/")):
            found.append(f"{path} includes {target}: {src}/ includes nothing of the bench's engine side")
        if src == "nodes/cortex" and not target.startswith(("nodes/cortex/", "common/")):
            found.append(f"{path} includes {target}: nodes/cortex/ includes only itself and common/")
        if src != dst:
            edges.setdefault(src, set()).add(dst)
            why.setdefault((src, dst), f"{path} -> {target}")
    for group in cycles(edges):
        links = [why[(a, b)] for a in group for b in group if (a, b) in why]
        found.append(f"libraries include each other: {', '.join(group)} ({'; '.join(links)})")
    return found


def self_test():
    """Each rule, broken in a small tree of its own, must be reported; the clean tree must pass."""
    clean = {"common/expected.hpp": "", "bus/a.hpp": '#include "common/expected.hpp"',
             "client/c.hpp": '#include "bus/a.hpp"', "cli/m.cpp": '#include "client/c.hpp"',
             "nodes/cortex/e.hpp": '#include "common/expected.hpp"', "nodes/control/d.hpp": '#include "client/c.hpp"',
             "nodes/runtime/n.hpp": '#include "nodes/control/d.hpp"',
             "bench/workload/w.hpp": '#include "nodes/cortex/e.hpp"', "bench/engine/b.cpp": '#include "bench/workload/w.hpp"',
             "bench/client/c.cpp": '#include "cli/m.cpp"', "driver/d.hpp": '#include "client/c.hpp"',
             "experiments/x.hpp": '#include "driver/d.hpp"', "nodes/control/r.cpp": '#include "experiments/x.hpp"'}
    broken = {"cli/": {"cli/x.cpp": '#include "nodes/control/d.hpp"'},
              "client/": {"client/x.cpp": '#include "nodes/cortex/e.hpp"'},
              "bench/client/ includes nothing under": {"bench/client/x.cpp": '#include "nodes/control/d.hpp"'},
              "engine side": {"bench/client/y.cpp": '#include "bench/workload/w.hpp"'},
              "experiments or the driver": {"cli/z.cpp": '#include "experiments/x.hpp"'},
              "nodes/cortex/": {"nodes/cortex/x.cpp": '#include "bus/a.hpp"'},
              "each other": {"nodes/control/x.cpp": '#include "nodes/runtime/n.hpp"'},
              "each other ": {"bus/x.cpp": '#include "cli/m.cpp"'}}  # a longer loop: bus->...->cli->client->bus
    failures = []
    for rule, extra in [("clean", {})] + list(broken.items()):
        with tempfile.TemporaryDirectory() as root:
            for path, text in {**clean, **extra}.items():
                os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
                with open(os.path.join(root, path), "w") as f:
                    f.write(text + "\n")
            found = violations(root)
            if rule == "clean" and found:
                failures.append(f"the clean tree was refused: {found}")
            if rule != "clean" and not any(rule.strip() in v for v in found):
                failures.append(f"a tree breaking '{rule.strip()}' passed: {found}")
    for f in failures:
        print("self-test:", f)
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    found = violations(sys.argv[1])
    for v in found:
        print(v)
    print(f"{len(found)} broken dependency rule(s)" if found else "dependency rules hold")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
