"""A real two-node cluster for the client's tests: two p3p-node processes from the build (P3P_BUILD_DIR, set by
ctest), on free ports of 127.0.0.1, a fresh key and topology in a temp dir, stopped (and killed if need be)
at the end whatever happens. Every wait is bounded."""
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))  # the p3p package of this tree, not an installed one

from p3p.control import CommandError, ControlPort  # noqa: E402

BUILD_DIR = os.environ.get("P3P_BUILD_DIR", os.path.join(HERE, "..", "..", "build"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def two_node_topology(ports, control_port):
    """Six self-firing cortex7 columns over two nodes, nodeA serving the control port; plastic projections."""
    nodes = ""
    for i, node in enumerate(("nodeA", "nodeB")):
        modules = "[logger, echo, cortex7, mesocortex, mesh, control, control_port]" if i == 0 else "[logger, echo, cortex7, mesh]"
        nodes += (f"  - {{id: {node}, host: 127.0.0.1, router_port: {ports[2 * i]}, pub_port: {ports[2 * i + 1]}, "
                  f"modules: {modules}}}\n")
    return f"""cluster: {{name: py-test, key_file: cluster.key, seed: 7, tick_ms: 0}}
neuron_params:
  active: {{leak: 0.95, baseline: 0.06, noise: 0.01, threshold: 1.0, reset: 0.0}}
nodes:
{nodes}control: {{node: nodeA, host: 127.0.0.1, port: {control_port}}}
regions:
  - name: Region_Left
    columns:
      - {{id: c0, node: nodeA, preset: cortex7, params: active}}
      - {{id: c1, node: nodeB, preset: cortex7, params: active}}
      - {{id: c2, node: nodeA, size: 10, params: active}}
  - name: Region_Right
    columns:
      - {{id: c3, node: nodeB, size: 12, params: active}}
      - {{id: c4, node: nodeA, preset: cortex7, params: active}}
projections:
  - {{from: c0, to: c1, rule: all_to_all, weight: 0.3, delay: 2, plastic: true}}
  - {{from: c1, to: c3, rule: all_to_all, weight: 0.2, delay: 3}}
  - {{from: c3, to: c4, rule: all_to_all, weight: {{uniform: [0.1, 0.3]}}, delay: 2, plastic: true}}
  - {{from: c4, to: c2, rule: all_to_all, weight: 0.25, delay: 2}}
"""


class RunningCluster:
    def __init__(self, tmp):
        self.dir = tmp
        self.key = os.path.join(tmp, "cluster.key")
        fd = os.open(self.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, os.urandom(32))
        os.close(fd)
        ports = [free_port() for _ in range(4)]
        self.control_port = free_port()
        self.endpoint = f"127.0.0.1:{self.control_port}"
        self.topology = os.path.join(tmp, "two_nodes.yaml")
        with open(self.topology, "w") as f:
            f.write(two_node_topology(ports, self.control_port))
        self.procs = []
        node = os.path.join(BUILD_DIR, "nodes", "p3p-node")
        for n in ("nodeA", "nodeB"):
            log = open(os.path.join(tmp, f"{n}.log"), "w")
            self.procs.append(subprocess.Popen([node, "--topology", self.topology, "--node", n], stdout=log,
                                               stderr=subprocess.STDOUT))

    def wait_up(self, timeout=30.0):
        """Until status says every node up with its mesh connected."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"a node exited ({p.returncode}): see {self.dir}")
            port = ControlPort(self.endpoint, timeout=5)
            try:
                status = port.call("status")
                if status["all_up"] and all(n.get("peers_connected") == 1 for n in status["nodes"]):
                    return
                last = status
            except (CommandError, OSError) as e:
                last = e
            finally:
                port.close()
            time.sleep(0.05)
        raise TimeoutError(f"the cluster did not come up in {timeout} s: {last}")

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture(scope="session")
def running(tmp_path_factory):
    c = RunningCluster(str(tmp_path_factory.mktemp("cluster")))
    try:
        c.wait_up()
        yield c
    finally:
        c.stop()


@pytest.fixture
def cluster(running):
    from p3p import Cluster
    with Cluster(running.endpoint, key=running.key) as c:
        yield c
