#!/usr/bin/python3
"""The Python client's benchmarks (python/p3p), each printing one JSON line. Every run starts one real
p3p-node of the build (P3P_BUILD_DIR, default build/) serving the control port, with one column of N neurons
that all fire every tick (baseline 1.5 > threshold 1.0: the workload of `p3pctl bench --telemetry`), and
records it through Cluster.record(): every envelope verified, every batch's seq checked, and the spikes
compared with the node's own count and raster digest.

  bench_client.py decode [--neurons 2000] [--seconds 5 | --ticks T] [--tick-ms 1]   spikes/s into numpy, live
  bench_client.py stream [--neurons 100] [--seconds 60]    100k spikes/s for 60 s: no gap, the node's raster
  bench_client.py neo [--neurons 100000] [--ticks 20]      a Neo block of every neuron: seconds to build it
  --quick: a short run

Each run says the receiving thread's own CPU time (`recorder_cpu_s`, `spikes_per_recorder_cpu_s`) beside the
wall-clock rate, and the machine's load: on a shared machine the wall-clock rate is the machine's, the CPU
rate the client's. `decode` also times verify + decode alone on the frames it received (no network, one
core): `decode_spikes_per_cpu_s`. The floor (>= 1 M spikes/s) is judged on both CPU rates. 1 tick = 1 ms.
"""
import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python", "tests"))

from local_cluster import LocalCluster  # noqa: E402
from p3p import Cluster, Rejected  # noqa: E402
from p3p.envelope import Opener  # noqa: E402
from p3p.telemetry import decode_spikes  # noqa: E402


def burst_topology(neurons, tick_ms):
    def body(nodes_yaml):
        return (f"cluster: {{name: py-bench, key_file: cluster.key, tick_ms: {tick_ms}}}\n"
                "neuron_params:\n  default: {baseline: 1.5}\n" + nodes_yaml +
                f"regions:\n  - name: burst\n    columns:\n      - {{id: all, node: n1, size: {neurons}}}\n")
    return body


class Run:
    """`ticks` ticks of the burst column, recorded: .spikes, .status (the node's), .wall_s, .frames, .key."""

    def __init__(self, neurons, ticks, tick_ms, keep_frames=False):
        with tempfile.TemporaryDirectory() as d:
            node = LocalCluster(d, ["n1"], burst_topology(neurons, tick_ms), extra_args=("--log-level", "warn"))
            try:
                node.wait_up()
                with open(node.key, "rb") as f:
                    self.key = f.read()
                with Cluster(node.endpoint, key=self.key) as c:
                    self.layout = c.layout
                    rec = c.record()
                    self.frames = []
                    if keep_frames:  # a copy of every frame the recorder judges, for the offline timing
                        judge = rec.receive
                        rec.receive = lambda frame, now_ns=None: (self.frames.append(frame), judge(frame, now_ns))
                    with rec:
                        t0 = time.monotonic()
                        c.advance(ticks=ticks, stall_s=120)
                    self.wall_s = time.monotonic() - t0  # until the last batch is in (stop waits for it)
                    self.spikes = rec.recording()
                    self.recorder_cpu_s = rec.cpu_s
                    self.status = node.status()["nodes"][0]
            finally:
                node.stop()

    def verdict(self):
        s, st = self.spikes, self.status
        return {"spikes_published": st["spikes"], "spikes_received": len(s), "lost_batches": s.lost_batches,
                "rejected": s.rejected, "publisher_dropped": st["telemetry"]["dropped"],
                "same_raster": s.raster_sum() == int(st["raster_hash"], 16),
                "lossless": s.complete and len(s) == st["spikes"] and st["telemetry"]["dropped"] == 0,
                "stream_wall_s": round(self.wall_s, 3), "spikes_per_s": round(len(s) / self.wall_s),
                # The receiving thread's own CPU (verify, decode, numpy): what the client costs whatever the load.
                "recorder_cpu_s": round(self.recorder_cpu_s, 3),
                "spikes_per_recorder_cpu_s": round(len(s) / self.recorder_cpu_s) if self.recorder_cpu_s > 0 else 0,
                "load_average_1m": os.getloadavg()[0]}


def decode_rate(run):
    """Spikes per CPU second through verify + decode into numpy alone, on the frames the run received."""
    opener = Opener(run.key, run.layout.cluster, run.layout.nodes)  # a fresh guard: every frame is new to it
    t0, n = time.process_time(), 0
    for f in run.frames:
        try:
            env = opener.open(f)
        except Rejected:
            continue
        if env.kind == "spikes":
            n += sum(ticks.size for _, _, ticks, _ in decode_spikes(run.layout, env.body)[3])
    cpu = time.process_time() - t0
    return n / cpu if cpu > 0 else 0.0


def bench_decode(a):
    ticks = a.ticks or int(a.seconds * 1000)
    run = Run(a.neurons, ticks, a.tick_ms, keep_frames=True)
    out = {"bench": "python_decode", "neurons": a.neurons, "ticks": ticks, "tick_ms": a.tick_ms, **run.verdict()}
    out["decode_spikes_per_cpu_s"] = round(decode_rate(run))
    out["floor_met"] = (min(out["decode_spikes_per_cpu_s"], out["spikes_per_recorder_cpu_s"]) >= 1_000_000
                        and out["lossless"] and out["same_raster"])
    return out


def bench_stream(a):
    ticks = int(a.seconds * 1000)
    run = Run(a.neurons, ticks, 1)
    out = {"bench": "python_stream", "neurons": a.neurons, "ticks": ticks, "tick_ms": 1, **run.verdict()}
    out["target_met"] = out["lossless"] and out["same_raster"]
    return out


def bench_neo(a):
    run = Run(a.neurons, a.ticks, 0)
    t0 = time.monotonic()
    import neo  # noqa: F401  (its import alone takes seconds on a cold, loaded machine: timed apart)
    import_s = time.monotonic() - t0
    t0 = time.monotonic()
    block = run.spikes.to_neo()
    build_s = time.monotonic() - t0
    trains = block.segments[0].spiketrains
    ids, times = trains.multiplexed  # the block's own arrays: every spike is in it
    out = {"bench": "python_neo", "neurons": a.neurons, "ticks": a.ticks, **run.verdict(), "neo_trains": len(trains),
           "neo_spikes": int(len(ids)), "neo_import_s": round(import_s, 3), "neo_build_s": round(build_s, 3)}
    out["target_met"] = build_s <= 2.0 and len(trains) == a.neurons and len(ids) == len(run.spikes)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("which", choices=["decode", "stream", "neo"])
    p.add_argument("--neurons", type=int)
    p.add_argument("--seconds", type=float)
    p.add_argument("--ticks", type=int)
    p.add_argument("--tick-ms", type=int, default=1, help="decode: the pace (0 = as fast as the node goes)")
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    defaults = {"decode": (2000, 5.0, None), "stream": (100, 60.0, None), "neo": (100_000, None, 20)}[a.which]
    quick = {"decode": (2000, 0.5, None), "stream": (100, 2.0, None), "neo": (10_000, None, 5)}[a.which]
    n, s, t = quick if a.quick else defaults
    a.neurons, a.seconds, a.ticks = a.neurons or n, a.seconds or s, a.ticks or t
    out = {"decode": bench_decode, "stream": bench_stream, "neo": bench_neo}[a.which](a)
    print(json.dumps(out))
    return 0 if out.get("floor_met", out.get("target_met")) else 1


if __name__ == "__main__":
    sys.exit(main())
