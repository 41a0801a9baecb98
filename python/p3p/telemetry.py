"""Spike telemetry into numpy: a SUB on every node's PUB (client/telemetry_format.hpp, bus/README.md §6).

Every envelope is verified before use (envelope.Opener: MAC, cluster, known sender, clock, replay); a forged,
foreign or replayed one is refused and counted by reason, never decoded. A node counts as subscribed from
its signed ``subscribed`` marker on, for the boot (process) that sent it; before that ZeroMQ may lose what it
publishes, so only a subscribed node's batches of that boot are kept. Batches carry a per-node ``seq``
(1, 2, 3, ... per process): a jump is batches lost, recorded as a gap, never hidden.

A spike batch body: msgpack [seq, first_tick, end_tick, [column_index, region, [tick - first_tick, neuron, ...], ...]].
"""
import threading
import time

import msgpack
import numpy as np
import zmq

from .envelope import Opener, Rejected
from .recording import Recording

SPIKES_PREFIX = "spikes."


def decode_spikes(layout, body):
    """(seq, first_tick, end_tick, [(column index, region, ticks, global ids)]) of a batch body, strictly as
    client/telemetry_format.cpp walks it; ValueError on anything else."""
    try:
        obj = msgpack.unpackb(body, raw=False, use_list=True, strict_map_key=True)
    except Exception as e:  # msgpack raises several types on bad input
        raise ValueError(f"not msgpack: {e}") from None
    if not (isinstance(obj, list) and len(obj) == 4 and all(type(v) is int and v >= 0 for v in obj[:3])
            and isinstance(obj[3], list) and len(obj[3]) % 3 == 0):
        raise ValueError("not [seq, first_tick, end_tick, [column, region, spikes]...]")
    seq, first, end, groups = obj
    if end < first or end > 1 << 62:
        raise ValueError("bad tick range")
    out = []
    for g in range(0, len(groups), 3):
        c, region, flat = groups[g], groups[g + 1], groups[g + 2]
        if type(c) is not int or not 0 <= c < len(layout.columns) or not isinstance(region, str) \
                or not isinstance(flat, list) or len(flat) % 2:
            raise ValueError("bad column group")
        try:
            pairs = np.array(flat, dtype=np.int64)
        except (OverflowError, TypeError, ValueError):
            raise ValueError("bad spike") from None
        if pairs.ndim != 1:
            raise ValueError("bad spike")
        dt, neuron = pairs[0::2], pairs[1::2]
        if pairs.size and (dt.min() < 0 or dt.max() >= end - first or neuron.min() < 0 or neuron.max() >= layout.sizes[c]):
            raise ValueError("bad spike")
        out.append((c, region, dt + first, neuron + layout.first[c]))
    return seq, first, end, out


class _NodeState:
    def __init__(self):
        self.boot = None        # the boot whose marker subscribed us
        self.subscribed = False
        self.last_seq = None
        self.covered = None     # [first tick, end tick) received


class Recorder:
    """Records spikes from ``nodes`` (default: all) on a background thread; ``regions`` keeps only those
    regions' columns (by the region each batch was published under). Use as a context manager, or start()
    and stop(). Nothing before every node's marker counts: start() waits for them."""

    def __init__(self, layout, key, nodes=None, regions=None, subscribe_timeout=5.0, tick_source=None):
        self.layout = layout
        self.nodes = list(nodes or layout.nodes)
        for n in self.nodes:
            if n not in layout.pub_endpoints:
                raise KeyError(f"no node '{n}' in the cluster (nodes: {', '.join(layout.nodes)})")
        self.regions = set(regions) if regions else None
        for r in self.regions or ():
            if r not in set(layout.column_region):
                raise KeyError(f"no region '{r}' in the cluster (regions: {', '.join(dict.fromkeys(layout.column_region))})")
        self.subscribe_timeout = subscribe_timeout
        self.tick_source = tick_source  # () -> {node: tick}: where stop() waits the stream up to
        self._opener = Opener(key, layout.cluster, layout.nodes, layout.replay_window_ms * 1_000_000)
        self._state = {n: _NodeState() for n in self.nodes}
        self._ticks, self._ids, self.gaps = [], [], []
        self.bad_bodies = 0
        self.batches = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._all_subscribed = threading.Event()
        self._thread = None
        self._error = None
        self.cpu_s = 0.0  # CPU seconds the receiving thread took (set when it stops)

    # --- life cycle -------------------------------------------------------------------------------------
    def start(self):
        self._thread = threading.Thread(target=self._run, name="p3p-recorder", daemon=True)
        self._thread.start()
        if not self._all_subscribed.wait(self.subscribe_timeout):
            missing = [n for n, s in self._state.items() if not s.subscribed]
            self._halt()
            raise TimeoutError(f"no subscription marker within {self.subscribe_timeout} s from: {', '.join(missing)}"
                               " (is the node up? is the key the cluster's?)")
        return self

    def stop(self, timeout=10.0):
        """Waits until every node's batches cover the tick it stands at now (tick_source), at most ``timeout``
        seconds, then stops; returns the Recording."""
        try:
            if self.tick_source is not None and self._thread is not None:
                targets = self.tick_source()
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline and not self._caught_up(targets):
                    time.sleep(0.005)
        finally:  # the thread stops even when the cluster cannot say its ticks
            self._halt()
        return self.recording()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def _halt(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error

    def _caught_up(self, targets):
        with self._lock:
            return all(self._state[n].covered is not None and self._state[n].covered[1] >= t
                       for n, t in targets.items() if n in self._state)

    # --- results ------------------------------------------------------------------------------------------
    @property
    def rejected(self):
        """Envelopes refused, by reason; bad_body for a verified batch whose body is not the format."""
        out = dict(self._opener.rejected)
        if self.bad_bodies:
            out["bad_body"] = self.bad_bodies
        return out

    def recording(self):
        with self._lock:
            ticks = np.concatenate(self._ticks) if self._ticks else np.empty(0, dtype=np.int64)
            ids = np.concatenate(self._ids) if self._ids else np.empty(0, dtype=np.int64)
            self._ticks, self._ids = [ticks], [ids]
            covered = {n: tuple(s.covered) for n, s in self._state.items() if s.covered}
            return Recording(self.layout, ticks, ids, self.gaps, self.rejected, covered)

    # --- the receiving thread --------------------------------------------------------------------------
    def _run(self):
        started = time.thread_time()
        try:
            self._receive_loop()
        finally:
            self.cpu_s = time.thread_time() - started

    def _receive_loop(self):
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB)
        try:
            sub.setsockopt(zmq.LINGER, 0)
            sub.setsockopt(zmq.RCVHWM, 100_000)  # ~15 min of 10 ms batches per node: the thread falls behind rarely
            sub.setsockopt(zmq.MAXMSGSIZE, 16 * 1024 * 1024)
            for n in self.nodes:
                sub.connect(self.layout.pub_endpoints[n])
            sub.setsockopt(zmq.SUBSCRIBE, SPIKES_PREFIX.encode())
            while not self._stop.is_set():
                if sub.poll(50):
                    while True:  # drain what is there before looking at the stop flag again
                        try:
                            parts = sub.recv_multipart(zmq.NOBLOCK)
                        except zmq.Again:
                            break
                        if len(parts) == 2:
                            self.receive(parts[1])
        except Exception as e:  # handed to the caller by stop()
            self._error = e
        finally:
            sub.close(0)
            ctx.term()

    def receive(self, frame, now_ns=None):
        """Judges one telemetry frame (public for tests that feed frames directly)."""
        try:
            env = self._opener.open(frame, now_ns)
        except Rejected:
            return
        if env.target_module != "telemetry" or env.sender not in self._state:
            return
        node = self._state[env.sender]
        if env.kind == "subscribed":
            self._on_marker(env, node)
        elif env.kind == "spikes" and node.subscribed and node.boot == env.boot_id:
            self._on_spikes(env, node)

    def _on_marker(self, env, node):
        try:
            body = msgpack.unpackb(env.body, raw=False)
            topic = body["topic"] if isinstance(body, dict) and len(body) == 1 else None
        except Exception:
            topic = None
        if not isinstance(topic, str):
            self.bad_bodies += 1
            return
        if node.boot != env.boot_id:  # the first marker, or the node restarted: its seq restarts at 1
            node.boot, node.subscribed, node.last_seq = env.boot_id, False, None
        if topic.startswith(SPIKES_PREFIX):  # delivered to us, so our prefix is in place at the node
            node.subscribed = True
        if all(s.subscribed for s in self._state.values()):
            self._all_subscribed.set()

    def _on_spikes(self, env, node):
        try:
            seq, first, end, groups = decode_spikes(self.layout, env.body)
        except ValueError:
            self.bad_bodies += 1
            return
        with self._lock:
            if node.last_seq is not None and seq > node.last_seq + 1:
                self.gaps.append({"node": env.sender, "after_seq": node.last_seq, "missed": seq - node.last_seq - 1})
            node.last_seq = seq
            node.covered = [first, end] if node.covered is None else [min(node.covered[0], first), end]
            self.batches += 1
            for _, region, ticks, ids in groups:
                if self.regions is None or region in self.regions:
                    self._ticks.append(ticks)
                    self._ids.append(ids)
