"""The cluster's columns in global-id order (the control command ``cluster_layout``), for mapping spikes'
global neuron ids to their node, column and region and back."""
import numpy as np


class Layout:
    def __init__(self, described):
        self.cluster = described["cluster"]
        self.replay_window_ms = described["replay_window_ms"]
        self.nodes = [n["id"] for n in described["nodes"]]
        self.pub_endpoints = {n["id"]: n["pub_endpoint"] for n in described["nodes"]}
        cols = described["columns"]
        self.columns = [c["id"] for c in cols]
        self.first = np.array([c["first_neuron"] for c in cols], dtype=np.int64)
        self.sizes = np.array([c["neurons"] for c in cols], dtype=np.int64)
        self.column_node = np.array([c["node"] for c in cols], dtype=object)
        self.column_region = np.array([c["region"] for c in cols], dtype=object)
        self.neurons = int((self.first + self.sizes).max()) if cols else 0

    def column_index(self, ids):
        """The place (in global-id order) of the column each global id belongs to."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= self.neurons):
            raise ValueError(f"a global neuron id outside 0 .. {self.neurons - 1}")
        return np.searchsorted(self.first, ids, side="right") - 1

    def column_of(self, ids):
        return np.array(self.columns, dtype=object)[self.column_index(ids)]

    def node_of(self, ids):
        return self.column_node[self.column_index(ids)]

    def region_of(self, ids):
        """The region of each id's column in the layout read when recording began (update_regions may
        regroup later; each spike batch also says the region it was published under)."""
        return self.column_region[self.column_index(ids)]

    def local_index(self, ids):
        """Each id's neuron index inside its column."""
        ids = np.asarray(ids, dtype=np.int64)
        return ids - self.first[self.column_index(ids)]

    def ids(self, column=None, region=None, node=None):
        """The global ids of a column, a region or a node (ascending)."""
        keep = np.ones(len(self.columns), dtype=bool)
        for value, per_column, what in ((column, np.array(self.columns, dtype=object), "column"),
                                        (region, self.column_region, "region"), (node, self.column_node, "node")):
            if value is not None:
                if value not in set(per_column):
                    raise KeyError(f"no {what} '{value}' in the cluster")
                keep &= per_column == value
        return np.concatenate([np.arange(f, f + s, dtype=np.int64) for f, s in zip(self.first[keep], self.sizes[keep])]
                              or [np.empty(0, dtype=np.int64)])
