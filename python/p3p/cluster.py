"""``Cluster``: a running P3P cluster from Python - every control command as a method, spike recording,
weights as numpy arrays."""
import os

import numpy as np

from .commands import make_methods
from .control import ControlPort
from .key_file import load_key
from .layout import Layout
from .telemetry import Recorder
from .topology_file import control_settings


class Cluster:
    """``Cluster("127.0.0.1:10080", key="cluster.key")`` or ``Cluster("topology.yaml")`` (its control endpoint,
    token and key file). ``key`` is a key file path or the key's bytes; it is needed only to record.

    Every command of the cluster's ``list_commands`` is a method with keyword arguments (``advance(ticks=100)``,
    ``stimulate_region(region=..., pattern=[...])``) returning the command's result; an error reply raises
    ``CommandError`` with its stable ``code``."""

    def __init__(self, target, key=None, token=None, timeout=None):
        if os.path.isfile(target) or str(target).endswith((".yaml", ".yml")):
            endpoint, file_token, key_path = control_settings(target)
            token = token if token is not None else file_token
            key = key if key is not None else key_path
        else:
            endpoint = target
        self.endpoint = endpoint
        self._key = load_key(key) if isinstance(key, (str, os.PathLike)) else (bytes(key) if key is not None else None)
        self._token, self._timeout = token, timeout
        self.port = ControlPort(endpoint, token, timeout)
        self.table = self.port.call("list_commands")
        self.commands = make_methods(self.port.call, self.table)
        for name, method in self.commands.items():
            if hasattr(type(self), name):
                raise RuntimeError(f"control command '{name}' clashes with Cluster.{name}")  # a table change to look at
            setattr(self, name, method)
        self._layout = None

    def close(self):
        self.port.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.commands))

    def call(self, cmd, **args):
        """Any command by name (what the typed methods do)."""
        return self.port.call(cmd, args)

    @property
    def layout(self):
        """The columns in global-id order with node, size and region (command cluster_layout), read once."""
        if self._layout is None:
            self._layout = Layout(self.port.call("cluster_layout"))
        return self._layout

    def node_ticks(self):
        """Each up node's tick, asked on a connection of its own (the main one may be held by a long command)."""
        port = ControlPort(self.endpoint, self._token, 10)
        try:
            status = port.call("status")
        finally:
            port.close()
        return {n["id"]: n["tick"] for n in status["nodes"] if n.get("state") == "up" and "tick" in n}

    def record(self, nodes=None, regions=None, subscribe_timeout=5.0):
        """A Recorder of the cluster's spike telemetry (see telemetry.Recorder)::

            with cluster.record() as rec:
                cluster.advance(ticks=1000)
            spikes = rec.recording()          # .ticks, .ids (numpy), .gaps, .rejected
        """
        if self._key is None:
            raise ValueError("recording verifies every envelope: give the cluster key (key=PATH or bytes)")
        return Recorder(self.layout, self._key, nodes, regions, subscribe_timeout, tick_source=self.node_ticks)

    def weights(self, column):
        """The synapses onto ``column``, per source column: {from: {"source", "target", "weight", "plastic"}} with
        numpy arrays (source and target neuron indices inside their columns)."""
        result = self.get_weights(column=column)
        out = {}
        for p in result["projections"]:
            s = np.array(p["synapses"], dtype=np.float64).reshape(-1, 3)
            entry = {"source": s[:, 0].astype(np.int64), "target": s[:, 1].astype(np.int64), "weight": s[:, 2],
                     "plastic": bool(p["plastic"])}
            if p["from"] in out:  # two projections from one column: keep both, in order
                prev = out[p["from"]]
                entry = {k: (np.concatenate([prev[k], entry[k]]) if k != "plastic" else prev[k] or entry[k]) for k in entry}
            out[p["from"]] = entry
        if result.get("truncated"):
            raise RuntimeError(f"get_weights truncated the synapses onto {column} (more than the node sends at once)")
        return out

    def weight_matrix(self, column, source):
        """The dense weights from column ``source`` onto ``column``: shape (source size, target size), NaN where
        no synapse is (sums duplicates: fixed_indegree may draw a pair twice)."""
        layout = self.layout
        sizes = dict(zip(layout.columns, layout.sizes.tolist()))
        p = self.weights(column)[source]
        m = np.zeros((sizes[source], sizes[column]))
        np.add.at(m, (p["source"], p["target"]), p["weight"])
        present = np.zeros(m.shape, dtype=bool)
        present[p["source"], p["target"]] = True
        m[~present] = np.nan
        return m
