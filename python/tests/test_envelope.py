"""p3p.envelope against bus/README.md: its two test vectors byte for byte, the verification order's reasons,
the strict reader and the replay rules (no cluster needed)."""
import msgpack
import pytest

from p3p.envelope import Opener, Rejected, ReplayGuard, read_unsigned, seal, split_frame

KEY1 = bytes(range(32))
FRAME1 = bytes.fromhex(
    "92c44b9a01a87033702d64656d6fa66e6f64652d61a66e6f64652d62aa6d65736f636f72746578ab7370696b655f626174"
    "636801cf0123456789abcdefcf17979cfe362a0000c406920393000205c420b513956a23fa5e9ea3195821041eed72cf79fc"
    "baeaa2a339140593ee045e045b")
KEY2 = bytes(range(255, 223, -1))
FRAME2 = bytes.fromhex(
    "92c44d9a01a87033702d64656d6fa66e6f64652d63a0a974656c656d65747279a76d657472696373cd012ccffedcba98765"
    "43210cf17979cfe3d85cd15c41182a67370696b65732aa47469636bcd03e8c420ac155e618d609dee255732be643f9ff1"
    "092472182c20098856eef6ad3311041b")
T1, T2 = 1700000000000000000, 1700000000123456789


def test_vector_1_is_sealed_byte_for_byte():
    assert seal(KEY1, "p3p-demo", "node-a", "node-b", "mesocortex", "spike_batch", 1, 0x0123456789ABCDEF,
                bytes.fromhex("920393000205"), timestamp_ns=T1) == FRAME1


def test_both_vectors_open_with_their_key_and_fail_with_another():
    env = Opener(KEY1, "p3p-demo", ["node-a", "node-c"]).open(FRAME1, now_ns=T1)
    assert (env.sender, env.kind, env.seq, env.boot_id, env.body) == ("node-a", "spike_batch", 1, 0x0123456789ABCDEF,
                                                                      bytes.fromhex("920393000205"))
    env = Opener(KEY2, "p3p-demo", ["node-a", "node-c"]).open(FRAME2, now_ns=T2)
    assert (env.target_node, env.seq, msgpack.unpackb(env.body)) == ("", 300, {"spikes": 42, "tick": 1000})
    other = Opener(KEY2, "p3p-demo", ["node-a"])
    with pytest.raises(Rejected, match="bad_mac"):
        other.open(FRAME1, now_ns=T1)
    assert other.rejected == {"bad_mac": 1}


@pytest.mark.parametrize("frame, reason", [
    (FRAME1[:-1], "malformed"),                 # a MAC of 31 bytes
    (FRAME1 + b"\x00", "malformed"),            # bytes after the frame
    (b"\x93" + FRAME1[1:], "malformed"),        # not a 2-element array
    (FRAME1[:20] + bytes([FRAME1[20] ^ 1]) + FRAME1[21:], "bad_mac"),
])
def test_a_damaged_frame_is_refused_with_the_readme_reason(frame, reason):
    with pytest.raises(Rejected) as e:
        Opener(KEY1, "p3p-demo", ["node-a"]).open(frame, now_ns=T1)
    assert e.value.reason == reason


def signed(u_fields, key=KEY1):
    """A frame whose U is packed as given (the MAC is right, so only U's checks can refuse it)."""
    import hashlib
    import hmac
    u = msgpack.packb(u_fields, use_bin_type=True)
    return msgpack.packb([u, hmac.new(key, u, hashlib.sha256).digest()], use_bin_type=True)


def test_after_the_mac_the_fields_are_judged_in_order():
    good = [1, "p3p-demo", "node-a", "", "telemetry", "spikes", 5, 9, T1, b"\x90"]
    opener = Opener(KEY1, "p3p-demo", ["node-a"])
    cases = [
        ([2] + good[1:], "bad_version"),
        (good[:9], "malformed"),
        (good[:6] + [-5] + good[7:], "malformed"),           # a signed integer, refused as bus/ does
        (good[:9] + ["body as str"], "malformed"),
        (good[:1] + ["other-cluster"] + good[2:], "wrong_cluster"),
        (good[:2] + ["node-z"] + good[3:], "unknown_sender"),
        (good[:8] + [T1 + 31 * 10**9] + good[9:], "stale"),
    ]
    for fields, reason in cases:
        with pytest.raises(Rejected) as e:
            opener.open(signed(fields), now_ns=T1)
        assert e.value.reason == reason, fields
    assert opener.open(signed(good), now_ns=T1).seq == 5
    with pytest.raises(Rejected, match="replayed"):
        opener.open(signed(good), now_ns=T1)


def test_the_strict_reader_takes_any_width_of_an_unsigned_integer():
    u, _ = split_frame(FRAME2)  # seq 300 as uint16 (cd 012c)
    assert read_unsigned(u).seq == 300


class Env:
    def __init__(self, seq, boot=1, ts=T1, sender="a"):
        self.sender, self.seq, self.boot_id, self.timestamp_ns = sender, seq, boot, ts


def test_replay_window_takes_reordered_numbers_once_and_refuses_64_below():
    g = ReplayGuard(["a"])
    for seq in (10, 8, 100, 37):
        g.check(Env(seq), now_ns=T1)
    for seq in (8, 100, 36, 10):  # 8 seen; 100 seen; 36 and 10 are 64 or more below 100
        with pytest.raises(Rejected, match="replayed"):
            g.check(Env(seq), now_ns=T1)
    g.check(Env(99), now_ns=T1)


def test_a_fifth_boot_forgets_the_oldest_and_its_replay_stays_refused():
    g = ReplayGuard(["a"], max_boots=4)
    for boot in range(1, 5):
        g.check(Env(1, boot=boot, ts=T1 + boot), now_ns=T1)
    g.check(Env(1, boot=5, ts=T1 + 5), now_ns=T1)          # forgets boot 1 (oldest newest timestamp)
    with pytest.raises(Rejected, match="replayed"):
        g.check(Env(2, boot=1, ts=T1 + 1), now_ns=T1)      # boot 1 again, not above the floor
    with pytest.raises(Rejected, match="replayed"):
        g.check(Env(1, boot=6, ts=T1), now_ns=T1)          # a new boot older than every remembered one
