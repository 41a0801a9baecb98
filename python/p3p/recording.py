"""What ``Cluster.record()`` gives: every spike received as numpy arrays, with the loss accounting.

Spikes are ``ticks`` and ``ids`` (int64, global neuron ids), in arrival order (per node in tick order).
Model time: one tick is 1 ms (``TICK_MS``), used for rates, Neo times and plot axes.
"""
import csv

import numpy as np

TICK_MS = 1.0


class Recording:
    def __init__(self, layout, ticks, ids, gaps=(), rejected=None, covered=None):
        self.layout = layout
        self.ticks = np.asarray(ticks, dtype=np.int64)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.gaps = list(gaps)  # [{"node", "after_seq", "missed"}]: spike batches lost on the way
        self.rejected = dict(rejected or {})  # envelopes refused, by reason (bad_mac, replayed, ...)
        self.covered = dict(covered or {})  # node -> [first tick, end tick) its batches covered

    def __len__(self):
        return int(self.ticks.size)

    @property
    def lost_batches(self):
        return sum(g["missed"] for g in self.gaps)

    @property
    def complete(self):
        """No batch lost and no envelope refused: the raster is what the nodes computed."""
        return not self.gaps and not self.rejected

    def tick_range(self):
        """[first, end) over every node's covered ticks (batches cover empty ticks too)."""
        if not self.covered:
            return 0, 0
        return min(c[0] for c in self.covered.values()), max(c[1] for c in self.covered.values())

    def raster_sum(self):
        """The nodes' raster digest (nodes/mesocortex/raster_sum.hpp) of these spikes: the sum mod 2^64 of a
        mix of each (tick, global id), so it equals the growth of the nodes' own `raster_hash` over the
        ticks recorded when nothing was lost."""
        with np.errstate(over="ignore"):
            x = (self.ticks.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (self.ids.astype(np.uint64) + np.uint64(0x632BE59BD9B4E019))
            x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            x = x ^ (x >> np.uint64(31))
            return int(x.sum(dtype=np.uint64))

    def select(self, column=None, region=None, node=None):
        """The spikes of a column, region or node (as Layout.ids names them)."""
        keep = np.isin(self.ids, self.layout.ids(column=column, region=region, node=node))
        return Recording(self.layout, self.ticks[keep], self.ids[keep], self.gaps, self.rejected, self.covered)

    def counts(self, by="node"):
        """Spikes per node, column or region: {name: count}."""
        names = {"node": self.layout.node_of, "column": self.layout.column_of, "region": self.layout.region_of}[by](self.ids)
        values, n = np.unique(names.astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, n)}

    def to_npz(self, path):
        """numpy.load(path): tick, global_id (int64), column (index into columns), columns, tick_ms."""
        np.savez_compressed(path, tick=self.ticks, global_id=self.ids,
                            column=self.layout.column_index(self.ids).astype(np.int32),
                            columns=np.array(self.layout.columns, dtype=str), tick_ms=np.float64(TICK_MS))

    def to_csv(self, path):
        """A header, then one spike per line: tick, global_id, node, column, neuron (index in the column), region."""
        node, column, region = self.layout.node_of(self.ids), self.layout.column_of(self.ids), self.layout.region_of(self.ids)
        local = self.layout.local_index(self.ids)
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["tick", "global_id", "node", "column", "neuron", "region"])
            w.writerows(zip(self.ticks.tolist(), self.ids.tolist(), node, column, local.tolist(), region))

    def to_neo(self, ids=None):
        """A neo.Block (python3-neo): one Segment whose spiketrains are one per neuron of ``ids`` (default: every
        neuron of the cluster; channel_id = global id), times in ms (tick × TICK_MS); the block is annotated
        with each train's global id, node, column and region. The trains are neo's multiplexed SpikeTrainList
        (``.multiplexed`` gives the arrays back): neo makes each SpikeTrain object when it is first used, at
        its own cost (about 1 ms a train measured here), so a 100k-neuron block is built in about a second."""
        try:
            import neo
            import quantities as pq
            from neo.core.spiketrainlist import SpikeTrainList
        except ImportError as e:
            raise ImportError("to_neo needs python3-neo (apt-get install python3-neo)") from e
        ids = np.arange(self.layout.neurons, dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64)
        first, end = self.tick_range()
        if self.ticks.size:
            first, end = min(first, int(self.ticks.min())), max(end, int(self.ticks.max()) + 1)
        keep = np.isin(self.ids, ids)
        order = np.argsort(self.ticks[keep], kind="stable")
        trains = SpikeTrainList.from_spike_time_array(
            self.ticks[keep][order] * TICK_MS, self.ids[keep][order], ids, t_stop=end * TICK_MS * pq.ms, units=pq.ms,
            t_start=first * TICK_MS * pq.ms)
        segment = neo.Segment(name="p3p recording", tick_ms=TICK_MS)
        segment.spiketrains = trains
        block = neo.Block(name=self.layout.cluster, tick_ms=TICK_MS,
                          gaps=len(self.gaps), rejected=sum(self.rejected.values()))
        block.segments.append(segment)
        segment.block = block
        block.annotate(global_ids=ids, node=self.layout.node_of(ids).astype(str),
                       column=self.layout.column_of(ids).astype(str), region=self.layout.region_of(ids).astype(str))
        return block
