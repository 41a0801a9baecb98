#!/usr/bin/python3
"""bench/brian2_model.py takes every parameter of the reference workload from bench/reference_workload.json,
the file the C++ build embeds (ctest: bench_brian2_reads_workload; tests/bench/reference_workload_test.cpp
is the C++ side). A value written into the model by hand would make the two engines run different networks.

Without Brian2: the model's statements, weights and defaults are built from a copy of the file in which every
value is changed to one of its own, and each changed value must show up where it belongs; a key of the file
that the model does not use, or a delay it cannot run, must be refused.
    check_brian2_workload.py ROOT
"""
import copy
import importlib.util
import json
import os
import sys
import tempfile


def load_model(root):
    spec = importlib.util.spec_from_file_location("brian2_model", os.path.join(root, "bench", "brian2_model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # imports no Brian2: that happens in main()
    return module


def distinct(workload):
    """A copy with a value of its own for every key (run values whole numbers, the rest with decimals)."""
    changed, n = copy.deepcopy(workload), 0
    for section in ("model", "stdp", "run"):
        for key in changed[section]:
            n += 1
            if section == "run":
                changed[section][key] = 7000 + n
            elif key == "excitatory_fraction":
                changed[section][key] = 0.625  # 5 of 8 sources: checked through the weights
            elif key != "delay":
                changed[section][key] = round(0.0101 * n + 3.0, 4)
    return changed


def failures(model, workload):
    found = []
    text = json.dumps([model.neuron_statements(workload), model.synapse_model(workload, True)])
    for section in ("model", "stdp"):
        for key, value in workload[section].items():
            if key in ("delay", "excitatory_fraction", "weight", "inhibitory_scale"):
                continue
            if str(value) not in text:
                found.append(f"{section}.{key} = {value} is not in the Brian2 statements: {text}")
    m = workload["model"]
    weights = [model.source_weight(workload, i, 8) for i in range(8)]
    excitatory = int(m["excitatory_fraction"] * 8)  # the engine's count: the first floor(fraction x N)
    expected = [m["weight"]] * excitatory + [-m["inhibitory_scale"] * m["weight"]] * (8 - excitatory)
    if weights != expected:
        found.append(f"weights of 8 sources are {weights}, the file says {expected}")
    args = model.parse_args([], workload)
    for key, value in workload["run"].items():
        if getattr(args, key, None) != value:
            found.append(f"run.{key}: the default is {getattr(args, key, None)}, the file says {value}")
    return found


def refusals(model, workload):
    found = []
    with tempfile.TemporaryDirectory() as d:
        for name, change in (("a delay of 2", lambda w: w["model"].update(delay=2)),):
            bad = copy.deepcopy(workload)
            change(bad)
            path = os.path.join(d, "workload.json")
            with open(path, "w") as f:
                json.dump(bad, f)
            try:
                model.load_workload(path)
                found.append(f"a workload with {name} was accepted")
            except SystemExit:
                pass
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    model = load_model(root)
    workload = model.load_workload()
    found = failures(model, workload) + failures(model, distinct(workload)) + refusals(model, workload)
    unknown = set(workload) - {"about", "model", "stdp", "run"}
    found += [f"section {s} of the file is read by no one" for s in sorted(unknown)]
    for f in found:
        print(f)
    print(f"{len(found)} disagreement(s)" if found else "brian2_model.py follows bench/reference_workload.json")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
