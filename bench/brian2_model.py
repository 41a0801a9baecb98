#!/usr/bin/python3
"""The engine's reference workload written for Brian2, to compare speed with `p3p-node bench`.

    /usr/bin/python3 bench/brian2_model.py [--neurons N] [--in-degree K] [--ticks T] [--plastic]
                                           [--seed S] [--threads P]

Needs Debian's python3-brian (and a C++ compiler: the network runs as Brian2's cpp_standalone code).
Prints one JSON line: engine, neurons, synapses, ticks, spikes, sim_wall_s (Brian2's own timing of its
simulation loop, comparable to the engine's tick loop), process_wall_s, compile_s,
spikes_per_neuron_per_tick, synaptic_events_per_s (spikes x K / sim_wall_s, the engine's formula).

The workload is the one `cortex::reference_network` builds (nodes/cortex/presets.hpp), and the defaults
are `p3p-node bench`'s (nodes/bench/reference_workload.hpp):
  - N discrete-time LIF neurons; one tick is one Brian2 time step. Each tick: v <- v*0.95 + 0.06 + U(-0.005,
    0.005); a neuron with v >= 1 spikes and is set to 0; initial v uniform in [0, 1).
  - Every neuron receives exactly K synapses, sources drawn uniformly with replacement from all N; a source
    among the first 80% of the N is excitatory (+0.02), the rest inhibitory (-4.5 x 0.02).
  - Delay 1: a spike's weight is added right after the threshold test, so it is leaked once and tested on
    the next tick - in Brian2 terms, the reset runs in the threshold slot and synapses have no delay.
  - --plastic: pair-based STDP with traces decaying with tau 20 ticks, +1 per spike; on a post spike
    w += 0.01 x pre trace, on a pre spike w -= 0.012 x post trace; clipped to [-2, 2]; the dopamine gain
    1 + 2 x reward is 1 (reward 0).
Brian2 draws its own random numbers, so its spikes match the engine's in rate, not one by one.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

LEAK, BASELINE, NOISE = 0.95, 0.06, 0.005
THRESHOLD, RESET = 1.0, 0.0
EXCITATORY_FRACTION, WEIGHT, INHIBITORY_SCALE = 0.8, 0.02, 4.5
A_PLUS, A_MINUS, TAU_TICKS, W_MIN, W_MAX = 0.01, 0.012, 20.0, -2.0, 2.0
DOPAMINE_GAIN = 1.0 + 2.0 * 0.0  # the engine's gain mode at reward 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--neurons", type=int, default=10000)
    p.add_argument("--in-degree", type=int, default=100)
    p.add_argument("--ticks", type=int, default=1000)
    p.add_argument("--plastic", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    if args.neurons < 1 or args.in_degree < 0 or args.ticks < 0 or args.threads < 1:
        p.error("--neurons and --threads must be >= 1, --in-degree and --ticks >= 0")
    return args


def synapse_model(b2, plastic):
    """Brian2's model, on_pre and on_post statements for the projection."""
    if not plastic:
        return "w : 1", "v_post += w", None
    tau = f"({TAU_TICKS} * ms)"
    model = f"""w : 1
        dpre_trace/dt = -pre_trace / {tau} : 1 (event-driven)
        dpost_trace/dt = -post_trace / {tau} : 1 (event-driven)"""
    on_pre = f"""v_post += w
        pre_trace += 1
        w = clip(w - {A_MINUS} * post_trace * {DOPAMINE_GAIN}, {W_MIN}, {W_MAX})"""
    on_post = f"""post_trace += 1
        w = clip(w + {A_PLUS} * pre_trace * {DOPAMINE_GAIN}, {W_MIN}, {W_MAX})"""
    return model, on_pre, on_post


def build_network(b2, np, args):
    """The neurons, the synapses and a spike counter, in a Network ready to run."""
    n, k = args.neurons, args.in_degree
    neurons = b2.NeuronGroup(n, "v : 1", threshold=f"v >= {THRESHOLD}", reset=f"v = {RESET}")
    # Leak, baseline and noise open the tick, before the threshold test.
    neurons.run_regularly(f"v = v * {LEAK} + {BASELINE} + (2 * rand() - 1) * {NOISE}", when="start")
    # The reset belongs to the threshold test, ahead of synaptic delivery: input that arrives in this tick
    # is not reset away and is first tested on the next one (the engine's delay of 1).
    neurons.resetter["spike"].when = "thresholds"
    neurons.resetter["spike"].order = 1
    neurons.v = "rand()"

    model, on_pre, on_post = synapse_model(b2, args.plastic)
    synapses = b2.Synapses(neurons, neurons, model, on_pre=on_pre, on_post=on_post)
    rng = np.random.default_rng(args.seed)
    targets = np.repeat(np.arange(n), k)
    sources = rng.integers(0, n, size=n * k)
    synapses.connect(i=sources, j=targets)
    excitatory = int(EXCITATORY_FRACTION * n)
    synapses.w = np.where(sources < excitatory, WEIGHT, -INHIBITORY_SCALE * WEIGHT)

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
    args = parse_args(argv)
    import numpy as np
    import brian2 as b2

    directory = tempfile.mkdtemp(prefix="p3p_brian2_")
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    # One thread is plain single-threaded code (0 = no OpenMP), the engine's --threads 1.
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    b2.seed(args.seed)
    b2.defaultclock.dt = 1 * b2.ms  # one tick

    network, counter = build_network(b2, np, args)
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
