"""The Python client against a real two-node cluster (conftest.py): commands, errors, recording, exports."""
import csv
import inspect

import numpy as np
import pytest
import zmq

import msgpack
from local_cluster import free_port
from p3p import Cluster, CommandError, TICK_MS
from p3p.commands import python_name
from p3p.envelope import read_unsigned, seal, split_frame
from p3p.telemetry import Recorder


def node_status(running):
    return {n["id"]: n for n in running.status()["nodes"]}


def test_every_command_of_list_commands_is_a_method_with_its_arguments(cluster):
    table = cluster.list_commands()
    assert {c["name"] for c in table} == set(cluster.commands)
    for spec in table:
        params = inspect.signature(getattr(cluster, spec["name"])).parameters
        assert list(params) == [python_name(a["name"]) for a in spec["args"]], spec["name"]
        for a in spec["args"]:
            p = params[python_name(a["name"])]
            if a["required"]:
                assert p.default is inspect.Parameter.empty
            elif "default" in a:
                assert p.default == a["default"]
    assert "advance" in cluster.commands and "cluster_layout" in cluster.commands


def test_a_method_refuses_an_unknown_or_missing_argument_before_sending(cluster):
    with pytest.raises(TypeError, match="tick"):
        cluster.advance(tiks=3)
    with pytest.raises(TypeError, match="ticks"):
        cluster.advance()


def test_errors_are_exceptions_carrying_the_stable_code(cluster):
    with pytest.raises(CommandError) as e:
        cluster.stimulate_region(region="Region_Nope", pattern=[{"neuron": 0, "current": 1.0}])
    assert e.value.code == "unknown_region" and e.value.cmd == "stimulate_region"
    with pytest.raises(CommandError) as e:
        cluster.advance(ticks=0)  # below the table's minimum: the port's own argument check
    assert e.value.code == "bad_args"
    with pytest.raises(CommandError) as e:
        cluster.get_weights(column="no_such_column")
    assert e.value.code == "unknown_column"
    assert cluster.status()["all_up"]  # the connection stays usable after errors


def test_an_endpoint_where_nothing_listens_is_unreachable():
    with pytest.raises(CommandError) as e:
        Cluster(f"127.0.0.1:{free_port()}")
    assert e.value.code == "unreachable"


def test_a_cluster_from_its_topology_file_finds_endpoint_and_key(running):
    with Cluster(running.topology) as c:
        assert c.endpoint == running.endpoint
        assert c.layout.nodes == ["nodeA", "nodeB"]
        with c.record() as rec:
            c.advance(ticks=20)
        assert rec.recording().tick_range()[1] >= 20


def test_layout_maps_global_ids_to_node_column_and_region(cluster):
    layout = cluster.layout
    assert layout.columns == ["c0", "c1", "c2", "c3", "c4"]
    assert layout.first.tolist() == [0, 4, 8, 18, 30] and layout.neurons == 34
    assert layout.node_of([0, 5, 17, 18, 33]).tolist() == ["nodeA", "nodeB", "nodeA", "nodeB", "nodeA"]
    assert layout.column_of([3, 4, 29]).tolist() == ["c0", "c1", "c3"]
    assert layout.region_of([9, 18]).tolist() == ["Region_Left", "Region_Right"]
    assert layout.ids(column="c1").tolist() == [4, 5, 6, 7]
    assert layout.ids(region="Region_Right").tolist() == list(range(18, 34))
    with pytest.raises(KeyError, match="Region_Nope"):
        layout.ids(region="Region_Nope")
    with pytest.raises(ValueError):
        layout.node_of([34])


def test_record_gets_every_spike_the_nodes_computed(cluster, running):
    before = node_status(running)
    with cluster.record() as rec:
        cluster.advance(ticks=400)
    spikes = rec.recording()
    after = node_status(running)
    assert spikes.complete, (spikes.gaps, spikes.rejected)
    for node in ("nodeA", "nodeB"):
        mine = spikes.select(node=node)
        assert len(mine) == after[node]["spikes"] - before[node]["spikes"] > 0
        grown = (int(after[node]["raster_hash"], 16) - int(before[node]["raster_hash"], 16)) % 2**64
        assert mine.raster_sum() == grown  # the same (tick, neuron) pairs, not just as many
        assert spikes.covered[node][1] == after[node]["tick"]
    assert spikes.ticks.dtype == np.int64 and spikes.ids.dtype == np.int64
    assert spikes.ticks.min() >= before["nodeA"]["tick"] and spikes.ticks.max() < after["nodeA"]["tick"]


def test_record_keeps_only_the_regions_asked_for(cluster):
    with cluster.record(regions=["Region_Right"]) as rec:
        cluster.advance(ticks=200)
    spikes = rec.recording()
    assert len(spikes) > 0 and set(cluster.layout.region_of(spikes.ids)) == {"Region_Right"}
    with pytest.raises(KeyError, match="no region 'Region_Nope'.*Region_Left, Region_Right"):
        cluster.record(regions=["Region_Nope"])
    with pytest.raises(KeyError, match="no node 'nodeZ'"):
        cluster.record(nodes=["nodeZ"])


class RawSub:
    """A SUB of our own on every node's spikes, in place (each node's marker seen) before it is used."""

    def __init__(self, layout):
        self.ctx = zmq.Context()
        self.sub = self.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        for endpoint in layout.pub_endpoints.values():
            self.sub.connect(endpoint)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"spikes.")
        markers = set()
        for _ in range(100):  # bounded: 100 x 100 ms
            if markers == set(layout.nodes):
                break
            if self.sub.poll(100):
                markers.add(read_unsigned(split_frame(self.sub.recv_multipart()[1])[0]).sender)
        assert markers == set(layout.nodes)

    def frames(self):
        """Every frame waiting (read until none comes for 300 ms)."""
        out = []
        while self.sub.poll(300):
            out.append(self.sub.recv_multipart()[1])
        return out

    def close(self):
        self.sub.close(0)
        self.ctx.term()


def test_forged_and_replayed_envelopes_are_refused_and_counted(cluster, running):
    raw = RawSub(cluster.layout)
    try:
        with cluster.record() as rec:
            cluster.advance(ticks=50)
        seen = raw.frames()
    finally:
        raw.close()
    kept = len(rec.recording())
    assert rec.recording().complete and kept > 0
    genuine = [f for f in seen if read_unsigned(split_frame(f)[0]).kind == "spikes"][-1]  # the recorder took it too
    key = open(running.key, "rb").read()
    tampered = bytearray(genuine)
    tampered[-40] ^= 1  # a byte of U: the MAC no longer matches
    body = msgpack.packb([999, 0, 1, [0, "Region_Left", [0, 0]]])
    for frame in (genuine, bytes(tampered),
                  seal(bytes(32), "py-test", "nodeA", "", "telemetry", "spikes", 10**9, 1, body),  # another key
                  seal(key, "py-other", "nodeA", "", "telemetry", "spikes", 10**9, 1, body),
                  seal(key, "py-test", "nodeZ", "", "telemetry", "spikes", 10**9, 1, body),
                  seal(key, "py-test", "nodeA", "", "telemetry", "spikes", 10**9, 1, body, timestamp_ns=10**18)):
        rec.receive(frame)
    assert rec.rejected == {"replayed": 1, "bad_mac": 2, "wrong_cluster": 1, "unknown_sender": 1, "stale": 1}
    spikes = rec.recording()
    assert len(spikes) == kept and not spikes.complete  # nothing refused was decoded, and the recording says so


def test_sequence_gaps_are_recorded_not_hidden(cluster, running):
    """Frames signed with the cluster's key as nodeA would, seq 1 then 4: two batches missed."""
    key = open(running.key, "rb").read()
    rec = Recorder(cluster.layout, key)
    boot = 77

    def frame(seq, kind, body):
        return seal(key, "py-test", "nodeA", "", "telemetry", kind, seq, boot, msgpack.packb(body))

    rec.receive(frame(1, "subscribed", {"topic": "spikes."}))
    rec.receive(frame(2, "spikes", [1, 0, 10, [0, "Region_Left", [3, 1, 9, 2]]]))
    rec.receive(frame(3, "spikes", [4, 40, 50, [2, "Region_Left", [0, 9]]]))
    spikes = rec.recording()
    assert spikes.gaps == [{"node": "nodeA", "after_seq": 1, "missed": 2}] and spikes.lost_batches == 2
    assert spikes.ticks.tolist() == [3, 9, 40] and spikes.ids.tolist() == [1, 2, 17]
    rec.receive(frame(4, "spikes", [5, 50, 60, [0, "Region_Left", [0, 4]]]))  # neuron 4 of a 4-neuron column
    assert rec.rejected == {"bad_body": 1} and len(rec.recording()) == 3


def test_npz_and_csv_hold_the_recording(cluster, tmp_path):
    with cluster.record() as rec:
        cluster.advance(ticks=100)
    spikes = rec.recording()
    assert len(spikes) > 0
    spikes.to_npz(tmp_path / "s.npz")
    with np.load(tmp_path / "s.npz") as f:
        assert f["tick"].tolist() == spikes.ticks.tolist() and f["global_id"].tolist() == spikes.ids.tolist()
        assert [str(c) for c in f["columns"][f["column"]]] == spikes.layout.column_of(spikes.ids).tolist()
        assert float(f["tick_ms"]) == TICK_MS
    spikes.to_csv(tmp_path / "s.csv")
    with open(tmp_path / "s.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(spikes)
    assert [int(r["tick"]) for r in rows] == spikes.ticks.tolist()
    assert {r["node"] for r in rows} <= {"nodeA", "nodeB"}
    assert all(int(r["neuron"]) == int(r["global_id"]) - spikes.layout.first[spikes.layout.columns.index(r["column"])]
               for r in rows)


def test_to_neo_builds_a_block_of_one_train_per_neuron(cluster):
    neo = pytest.importorskip("neo")
    with cluster.record() as rec:
        cluster.advance(ticks=100)
    spikes = rec.recording()
    block = spikes.to_neo()
    assert isinstance(block, neo.Block)
    trains = block.segments[0].spiketrains
    assert len(trains) == cluster.layout.neurons
    assert sum(len(t) for t in trains) == len(spikes)
    gid = int(spikes.ids[0])
    train = [t for t in trains if t.annotations["channel_id"] == gid][0]
    assert sorted(train.magnitude.tolist()) == sorted((spikes.ticks[spikes.ids == gid] * TICK_MS).tolist())
    assert str(train.units.dimensionality) == "ms"


def test_weights_of_a_projection_as_numpy(cluster):
    w = cluster.weights("c1")
    assert "c0" in w  # (a cortex7 column also has its own recurrent projection)
    p = w["c0"]
    assert p["plastic"] and p["weight"].shape == (16,) and p["source"].dtype == np.int64
    m = cluster.weight_matrix("c1", "c0")
    assert m.shape == (4, 4) and not np.isnan(m).any()
    written = cluster.set_weights(column="c1", from_="c0", synapses=[[1, 2, 0.125]])
    assert written["written"] == 1
    assert cluster.weight_matrix("c1", "c0")[1, 2] == 0.125


def test_only_a_subscribed_boot_counts_and_a_restart_is_no_gap(cluster, running):
    """Before a node's marker, and from a boot other than the one that answered, batches are not taken (ZeroMQ
    may have lost some of them); a restarted node's marker starts its seq afresh."""
    key = open(running.key, "rb").read()
    rec = Recorder(cluster.layout, key)

    def frame(node, boot, seq, kind, body):
        return seal(key, "py-test", node, "", "telemetry", kind, seq, boot, msgpack.packb(body))

    rec.receive(frame("nodeB", 5, 1, "spikes", [1, 0, 10, [1, "Region_Left", [0, 0]]]))  # nodeB: no marker yet
    rec.receive(frame("nodeA", 7, 1, "subscribed", {"topic": "spikes."}))
    rec.receive(frame("nodeA", 7, 2, "spikes", [1, 0, 10, [0, "Region_Left", [1, 0]]]))
    rec.receive(frame("nodeA", 8, 1, "spikes", [1, 10, 20, [0, "Region_Left", [1, 1]]]))  # another boot: no marker
    rec.receive(frame("nodeA", 9, 1, "subscribed", {"topic": "spikes."}))  # restarted: seq 1 again
    rec.receive(frame("nodeA", 9, 2, "spikes", [1, 0, 5, [0, "Region_Left", [2, 2]]]))
    spikes = rec.recording()
    assert spikes.ids.tolist() == [0, 2] and spikes.ticks.tolist() == [1, 2]
    assert spikes.gaps == [] and spikes.rejected == {}
