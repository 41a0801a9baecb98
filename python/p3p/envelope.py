"""The signed envelope of bus/README.md, read and written exactly as bus/ does.

A frame is msgpack ``[bin U, bin MAC]`` with ``MAC = HMAC-SHA256(key, U)`` over U's bytes as received (never a
re-encoding). ``open_frame`` judges a frame in the README's order (size, structure, MAC, version, fields,
cluster, sender, clock, replay) and raises ``Rejected`` with the README's stable reason; nothing after the MAC
check runs on bytes whose MAC failed. U is read by a strict reader of the few msgpack types the wire uses
(unsigned ints only, UTF-8 strings of at most 255 bytes, bin body), as bus/decode.cpp does.
"""
import hashlib
import hmac
import os
import struct
import time
from dataclasses import dataclass

import msgpack

VERSION = 1
MAX_FRAME_BYTES = 16 * 1024 * 1024
MAX_STR_BYTES = 255


class Rejected(Exception):
    """A frame refused; ``reason`` is one of bus/reason.hpp's stable strings."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Envelope:
    version: int
    cluster_id: str
    sender: str
    target_node: str
    target_module: str
    kind: str
    seq: int
    boot_id: int
    timestamp_ns: int
    body: bytes


class _Reader:
    """Strict about types, liberal about widths (bus/README.md section 2); raises Rejected('malformed')."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def _take(self, n):
        if n > len(self.data) - self.pos:
            raise Rejected("malformed")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def _byte(self):
        return self._take(1)[0]

    def array_header(self):
        b = self._byte()
        if 0x90 <= b <= 0x9F:
            return b & 0x0F
        if b == 0xDC:
            return struct.unpack(">H", self._take(2))[0]
        if b == 0xDD:
            return struct.unpack(">I", self._take(4))[0]
        raise Rejected("malformed")

    def uint(self):
        b = self._byte()
        if b <= 0x7F:
            return b
        widths = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q"}
        if b not in widths:
            raise Rejected("malformed")  # signed formats too, even for non-negative values
        fmt = widths[b]
        return struct.unpack(fmt, self._take(struct.calcsize(fmt)))[0]

    def str(self):
        b = self._byte()
        if 0xA0 <= b <= 0xBF:
            n = b & 0x1F
        elif b == 0xD9:
            n = self._byte()
        elif b == 0xDA:
            n = struct.unpack(">H", self._take(2))[0]
        elif b == 0xDB:
            n = struct.unpack(">I", self._take(4))[0]
        else:
            raise Rejected("malformed")
        if n > MAX_STR_BYTES:
            raise Rejected("malformed")
        try:
            return self._take(n).decode("utf-8")  # Python's decoder refuses overlongs and surrogates
        except UnicodeDecodeError:
            raise Rejected("malformed") from None

    def bin(self):
        b = self._byte()
        if b == 0xC4:
            n = self._byte()
        elif b == 0xC5:
            n = struct.unpack(">H", self._take(2))[0]
        elif b == 0xC6:
            n = struct.unpack(">I", self._take(4))[0]
        else:
            raise Rejected("malformed")
        return self._take(n)

    def at_end(self):
        return self.pos == len(self.data)


def mac(key, unsigned):
    return hmac.new(key, unsigned, hashlib.sha256).digest()


def split_frame(frame):
    """(U, MAC) of a frame: step 1 and 2 of the verification order."""
    if len(frame) > MAX_FRAME_BYTES:
        raise Rejected("too_large")
    r = _Reader(frame)
    if r._byte() != 0x92:
        raise Rejected("malformed")
    unsigned = r.bin()
    tag = r.bin()
    if len(tag) != 32 or not r.at_end():
        raise Rejected("malformed")
    return unsigned, tag


def read_unsigned(unsigned):
    """U's ten fields (steps 4 to 6), on bytes whose MAC verified."""
    r = _Reader(unsigned)
    count = r.array_header()
    version = r.uint()
    if version != VERSION:
        raise Rejected("bad_version")
    if count != 10:
        raise Rejected("malformed")
    fields = [version, r.str(), r.str(), r.str(), r.str(), r.str(), r.uint(), r.uint(), r.uint(), r.bin()]
    if not r.at_end():
        raise Rejected("malformed")
    return Envelope(*fields)


def seal(key, cluster_id, sender, target_node, target_module, kind, seq, boot_id, body, timestamp_ns=None):
    """A frame as bus/ writes it (shortest widths, body as bin, integers unsigned)."""
    ts = time.time_ns() if timestamp_ns is None else timestamp_ns
    unsigned = msgpack.packb([VERSION, cluster_id, sender, target_node, target_module, kind, seq, boot_id, ts,
                              bytes(body)], use_bin_type=True)
    return msgpack.packb([unsigned, mac(key, unsigned)], use_bin_type=True)


class ReplayGuard:
    """bus/replay_guard.hpp: known senders, a clock window, and per (sender, boot) a 64-wide sequence window;
    at most ``max_boots`` boots per sender, the oldest forgotten with its newest timestamp as the floor."""

    WINDOW = 64

    def __init__(self, known_senders, clock_window_ns=30_000_000_000, max_boots=4):
        self.known = set(known_senders)
        self.clock_window_ns = clock_window_ns
        self.max_boots = max_boots
        self._boots = {}   # sender -> {boot_id: [highest seq, bitmap, newest timestamp]}
        self._floor = {}   # sender -> timestamp a forgotten boot's message must exceed

    def check(self, env, now_ns=None):
        """Raises Rejected (unknown_sender, stale, replayed) or records the message as accepted."""
        if env.sender not in self.known:
            raise Rejected("unknown_sender")
        now = time.time_ns() if now_ns is None else now_ns
        if abs(env.timestamp_ns - now) > self.clock_window_ns:
            raise Rejected("stale")
        boots = self._boots.setdefault(env.sender, {})
        state = boots.get(env.boot_id)
        if state is None:
            self._new_boot(env, boots)
            return
        highest, bitmap, newest = state
        if env.seq > highest:
            shift = env.seq - highest
            bitmap = ((bitmap << shift) | 1) & ((1 << self.WINDOW) - 1) if shift < self.WINDOW else 1
            state[:] = [env.seq, bitmap, max(newest, env.timestamp_ns)]
            return
        back = highest - env.seq
        if back >= self.WINDOW or bitmap >> back & 1:
            raise Rejected("replayed")
        state[1] = bitmap | (1 << back)
        state[2] = max(newest, env.timestamp_ns)

    def _new_boot(self, env, boots):
        floor = self._floor.get(env.sender)
        if floor is not None and env.timestamp_ns <= floor:
            raise Rejected("replayed")  # a boot forgotten earlier (or older than one): a replay
        if len(boots) >= self.max_boots:
            oldest = min(boots, key=lambda b: boots[b][2])
            if env.timestamp_ns <= boots[oldest][2]:
                raise Rejected("replayed")  # an old boot never evicts a newer one
            self._floor[env.sender] = max(self._floor.get(env.sender, 0), boots.pop(oldest)[2])
        boots[env.boot_id] = [env.seq, 1, env.timestamp_ns]


class Opener:
    """Verifies frames for one cluster: ``open(frame)`` returns the Envelope or raises Rejected; ``rejected``
    counts refusals by reason."""

    def __init__(self, key, cluster_id, known_senders, clock_window_ns=30_000_000_000):
        self.key = bytes(key)
        self.cluster_id = cluster_id
        self.guard = ReplayGuard(known_senders, clock_window_ns)
        self.rejected = {}

    def open(self, frame, now_ns=None):
        try:
            unsigned, tag = split_frame(frame)
            if not hmac.compare_digest(mac(self.key, unsigned), tag):
                raise Rejected("bad_mac")
            env = read_unsigned(unsigned)
            if env.cluster_id != self.cluster_id:
                raise Rejected("wrong_cluster")
            self.guard.check(env, now_ns)
            return env
        except Rejected as e:
            self.rejected[e.reason] = self.rejected.get(e.reason, 0) + 1
            raise


def new_boot_id():
    return int.from_bytes(os.urandom(8), "big")
