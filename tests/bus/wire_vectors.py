#!/usr/bin/env python3
"""Independent reference for the P3P wire format (bus/README.md), using only the Python standard library.

Prints the README's test vectors: U (the unsigned part), the MAC and the whole frame, all in hex. It shares
no code with the C++ encoder, so the C++ test that checks the same bytes checks two implementations
against each other. Run: python3 tests/bus/wire_vectors.py
"""
import hashlib
import hmac
import struct


def mp_uint(v):
    if v < 0x80:
        return bytes([v])
    if v <= 0xFF:
        return b"\xcc" + struct.pack(">B", v)
    if v <= 0xFFFF:
        return b"\xcd" + struct.pack(">H", v)
    if v <= 0xFFFFFFFF:
        return b"\xce" + struct.pack(">I", v)
    return b"\xcf" + struct.pack(">Q", v)


def mp_str(s):
    b = s.encode("utf-8")
    n = len(b)
    if n < 32:
        return bytes([0xA0 | n]) + b
    if n < 256:
        return b"\xd9" + struct.pack(">B", n) + b
    if n < 65536:
        return b"\xda" + struct.pack(">H", n) + b
    return b"\xdb" + struct.pack(">I", n) + b


def mp_bin(b):
    n = len(b)
    if n < 256:
        return b"\xc4" + struct.pack(">B", n) + b
    if n < 65536:
        return b"\xc5" + struct.pack(">H", n) + b
    return b"\xc6" + struct.pack(">I", n) + b


def mp_array_header(n):
    assert n < 16
    return bytes([0x90 | n])


def unsigned_part(version, cluster, sender, target_node, target_module, kind, seq, boot_id, ts_ns, body):
    return (mp_array_header(10) + mp_uint(version) + mp_str(cluster) + mp_str(sender) + mp_str(target_node)
            + mp_str(target_module) + mp_str(kind) + mp_uint(seq) + mp_uint(boot_id) + mp_uint(ts_ns)
            + mp_bin(body))


def frame(key, u):
    mac = hmac.new(key, u, hashlib.sha256).digest()
    return mp_array_header(2) + mp_bin(u) + mp_bin(mac), mac


VECTORS = [
    dict(key=bytes(range(0x00, 0x20)), version=1, cluster="p3p-demo", sender="node-a", target_node="node-b",
         target_module="mesocortex", kind="spike_batch", seq=1, boot_id=0x0123456789ABCDEF,
         ts_ns=1700000000000000000, body=bytes.fromhex("9203930002" "05")),
    dict(key=bytes(range(0xFF, 0xDF, -1)), version=1, cluster="p3p-demo", sender="node-c", target_node="",
         target_module="telemetry", kind="metrics", seq=300, boot_id=0xFEDCBA9876543210,
         ts_ns=1700000000123456789, body=bytes.fromhex("82a6737069 6b65732a a47469636b cd03e8".replace(" ", ""))),
]

if __name__ == "__main__":
    for i, v in enumerate(VECTORS, 1):
        u = unsigned_part(v["version"], v["cluster"], v["sender"], v["target_node"], v["target_module"], v["kind"],
                          v["seq"], v["boot_id"], v["ts_ns"], v["body"])
        f, mac = frame(v["key"], u)
        print(f"vector {i}")
        print(f"  key   {v['key'].hex()}")
        print(f"  body  {v['body'].hex()}")
        print(f"  U     ({len(u)} bytes) {u.hex()}")
        print(f"  MAC   {mac.hex()}")
        print(f"  frame ({len(f)} bytes) {f.hex()}")
