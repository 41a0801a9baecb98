#!/usr/bin/python3
"""Record 400 ms of a running cluster and draw its raster (python/README.md).

    p3pctl up topology/default.yaml
    python3 python/examples/raster.py topology/default.yaml raster.png

Lowers every threshold to 0.22 so the neurons' own noise makes them fire (the default cluster is silent at
rest), stimulates Region_Osc's first column at 100 ms, and puts the thresholds back (1.0) at the end. One
tick is 1 ms of model time. Without matplotlib it saves the spikes (raster.npz) and says so.
"""
import sys

from p3p import TICK_MS, Cluster

topology = sys.argv[1] if len(sys.argv) > 1 else "topology/default.yaml"
picture = sys.argv[2] if len(sys.argv) > 2 else "raster.png"

cluster = Cluster(topology)  # the control endpoint, token and key file from the topology
try:
    with cluster.record() as rec:  # subscribed to every node before anything runs
        cluster.debug_low_thresholds(threshold=0.22)
        cluster.advance(ticks=100)
        kick = [{"neuron": n, "current": 3.0} for n in range(0, 160, 16)]  # ten neurons, one a tick
        cluster.stimulate_region(region="Region_Osc", column="osc_exc_A", pattern=kick)
        cluster.advance(ticks=300 - len(kick))
finally:
    cluster.debug_low_thresholds(threshold=1.0)
spikes = rec.recording()
first, end = spikes.tick_range()
print(f"{len(spikes)} spikes over {(end - first) * TICK_MS:.0f} ms, {spikes.lost_batches} batches lost, "
      f"rejected {spikes.rejected or 'none'}; per node {spikes.counts('node')}")
spikes.to_npz(picture.rsplit(".", 1)[0] + ".npz")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("matplotlib is not installed (apt-get install python3-matplotlib): the spikes are in the .npz")

layout = spikes.layout
regions = list(dict.fromkeys(layout.column_region))  # in global-id order
region_of = layout.region_of(spikes.ids)
fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
for i, region in enumerate(regions):
    mine = region_of == region
    ax.scatter((spikes.ticks[mine] - first) * TICK_MS, spikes.ids[mine], s=3, color=plt.cm.tab10(i % 10),
               label=region, linewidths=0)
ax.axvline(100 * TICK_MS, color="grey", lw=0.8, ls="--")
ax.set_xlabel("time (ms)")
ax.set_ylabel("neuron (global id)")
ax.set_xlim(0, (end - first) * TICK_MS)
ax.set_ylim(0, layout.neurons)
ax.set_title(f"{layout.cluster}: {len(spikes)} spikes from {len(layout.nodes)} nodes (stimulus at the dashed line)")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, markerscale=5, frameon=False)
fig.tight_layout()
fig.savefig(picture)
print(f"wrote {picture}")
