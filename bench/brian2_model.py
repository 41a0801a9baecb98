#!/usr/bin/python3
"""The engine's reference workload written for Brian2, to compare speed with `p3p-node bench`.

    /usr/bin/python3 bench/brian2_model.py [--neurons N] [--in-degree K] [--ticks T] [--plastic]
                                           [--seed S] [--threads P]

Needs Debian's python3-brian (and a C++ compiler: the network runs as Brian2's cpp_standalone code).
Prints one JSON line: engine, neurons, synapses, ticks, spikes, sim_wall_s (Brian2's own timing of its
simulation loop, comparable to the engine's tick loop), process_wall_s, compile_s,
spikes_per_neuron_per_tick, synaptic_events_per_s (spikes x K / sim_wall_s, the engine's formula).

The workload is the one `bench::reference_network` builds (bench/workload/reference_network.hpp); its
parameters and defaults are read from bench/reference_workload.json, the file the C++ build embeds, so
the two cannot differ (tests/bench/check_brian2_workload.py shows that every value of the file reaches
this model's statements and defaults). With the file's values:
  - N discrete-time LIF neurons; one tick is one Brian2 time step. Each tick: v <- v*leak + baseline +
    U(-noise, noise); a neuron with v >= threshold spikes and is set to reset; initial v uniform in
    [v_init_min, v_init_max).
  - Every neuron receives exactly K synapses, sources drawn uniformly with replacement from all N; a source
    among the first excitatory_fraction of the N is excitatory (+weight), the rest inhibitory
    (-inhibitory_scale x weight).
  - Delay 1 (the only delay this model implements): a spike's weight is added right after the threshold
    test, so it is leaked once and tested on the next tick - in Brian2 terms, the reset runs in the
    threshold slot and synapses have no delay.
  - --plastic: pair-based STDP with traces decaying with tau ticks, +1 per spike; on a post spike
    w += a_plus x pre trace, on a pre spike w -= a_minus x post trace; clipped to [w_min, w_max]; the
    dopamine gain 1 + 2 x reward is 1 (reward 0).
Brian2 draws its own random numbers, so its spikes match the engine's in rate, not one by one.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

WORKLOAD_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_workload.json")
DOPAMINE_GAIN = 1.0 + 2.0 * 0.0  # the engine's gain mode at reward 0 (the bench never sets a reward)


def load_workload(path=WORKLOAD_FILE):
    """The declaration (sections model, stdp, run), refused if it asks for what this model cannot do."""
    with open(path) as f:
        workload = json.load(f)
    if workload["model"]["delay"] != 1:
        raise SystemExit(f"{path}: model.delay is {workload['model']['delay']}; the Brian2 model implements 1 only")
    return workload


def parse_args(argv, workload):
    run = workload["run"]
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--neurons", type=int, default=run["neurons"])
    p.add_argument("--in-degree", type=int, default=run["in_degree"])
    p.add_argument("--ticks", type=int, default=run["ticks"])
    p.add_argument("--plastic", action="store_true")
    p.add_argument("--seed", type=int, default=run["seed"])
    p.add_argument("--threads", type=int, default=run["threads"])
    args = p.parse_args(argv)
    if args.neurons < 1 or args.in_degree < 0 or args.ticks < 0 or args.threads < 1:
        p.error("--neurons and --threads must be >= 1, --in-degree and --ticks >= 0")
    return args


def neuron_statements(workload):
    """Brian2's threshold, reset, per-tick update and initial value of v."""
    m = workload["model"]
    return {"threshold": f"v >= {m['threshold']}",
            "reset": f"v = {m['reset']}",
            "update": f"v = v * {m['leak']} + {m['baseline']} + (2 * rand() - 1) * {m['noise']}",
            "v_init": f"{m['v_init_min']} + rand() * ({m['v_init_max']} - {m['v_init_min']})"}


def synapse_model(workload, plastic):
    """Brian2's model, on_pre and on_post statements for the projection."""
    if not plastic:
        return "w : 1", "v_post += w", None
    stdp = workload["stdp"]
    tau = f"({stdp['tau']} * ms)"
    clip = f"{stdp['w_min']}, {stdp['w_max']}"
    model = f"""w : 1
        dpre_trace/dt = -pre_trace / {tau} : 1 (event-driven)
        dpost_trace/dt = -post_trace / {tau} : 1 (event-driven)"""
    on_pre = f"""v_post += w
        pre_trace += 1
        w = clip(w - {stdp['a_minus']} * post_trace * {DOPAMINE_GAIN}, {clip})"""
    on_post = f"""post_trace += 1
        w = clip(w + {stdp['a_plus']} * pre_trace * {DOPAMINE_GAIN}, {clip})"""
    return model, on_pre, on_post


def source_weight(workload, source, n):
    """The weight of every synapse from `source` (its index in the N): excitatory or inhibitory."""
    m = workload["model"]
    return m["weight"] if source < int(m["excitatory_fraction"] * n) else -m["inhibitory_scale"] * m["weight"]


def build_network(b2, np, args, workload):
    """The neurons, the synapses and a spike counter, in a Network ready to run."""
    n, k = args.neurons, args.in_degree
    statements = neuron_statements(workload)
    neurons = b2.NeuronGroup(n, "v : 1", threshold=statements["threshold"], reset=statements["reset"])
    # Leak, baseline and noise open the tick, before the threshold test.
    neurons.run_regularly(statements["update"], when="start")
    # The reset belongs to the threshold test, ahead of synaptic delivery: input that arrives in this tick
    # is not reset away and is first tested on the next one (the engine's delay of 1).
    neurons.resetter["spike"].when = "thresholds"
    neurons.resetter["spike"].order = 1
    neurons.v = statements["v_init"]

    model, on_pre, on_post = synapse_model(workload, args.plastic)
    synapses = b2.Synapses(neurons, neurons, model, on_pre=on_pre, on_post=on_post)
    rng = np.random.default_rng(args.seed)
    targets = np.repeat(np.arange(n), k)
    sources = rng.integers(0, n, size=n * k)
    synapses.connect(i=sources, j=targets)
    # The two weights, placed by source index (the first excitatory_fraction of the N excite).
    excitatory, inhibitory = source_weight(workload, 0, n), source_weight(workload, n - 1, n)
    synapses.w = np.where(sources < int(workload["model"]["excitatory_fraction"] * n), excitatory, inhibitory)

    counter = b2.SpikeMonitor(neurons, record=False)
    return b2.Network(neurons, synapses, counter), counter


def brian_loop_seconds(directory, fallback):
    """Brian2's own measurement of its simulation loop (results/last_run_info.txt: seconds, fraction)."""
    try:
        with open(os.path.join(directory, "results", "last_run_info.txt")) as f:
            return float(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return fallback


def main(argv):
    workload = load_workload()
    args = parse_args(argv, workload)
    import numpy as np
    import brian2 as b2

    directory = tempfile.mkdtemp(prefix="p3p_brian2_")
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    # One thread is plain single-threaded code (0 = no OpenMP), the engine's --threads 1.
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    b2.seed(args.seed)
    b2.defaultclock.dt = 1 * b2.ms  # one tick

    network, counter = build_network(b2, np, args, workload)
    network.run(args.ticks * b2.ms)
    started = time.time()
    b2.device.build(directory=directory, compile=True, run=False)
    compiled = time.time()
    b2.device.run(directory=directory, with_output=False, run_args=[])
    finished = time.time()

    sim_s = brian_loop_seconds(directory, finished - compiled)
    spikes = int(counter.num_spikes)
    shutil.rmtree(directory, ignore_errors=True)  # the generated project: tens of MB per run
    n, k, ticks = args.neurons, args.in_degree, args.ticks
    print(json.dumps({
        "engine": "brian2-cpp_standalone",
        "neurons": n,
        "synapses": n * k,
        "ticks": ticks,
        "spikes": spikes,
        "sim_wall_s": sim_s,
        "process_wall_s": finished - compiled,
        "compile_s": compiled - started,
        "spikes_per_neuron_per_tick": spikes / n / ticks if ticks else 0.0,
        "synaptic_events_per_s": spikes * k / sim_s if sim_s > 0 else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
