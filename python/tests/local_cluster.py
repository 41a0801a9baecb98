"""Real p3p-node processes of a build for the client's tests and benchmarks: a topology written to a temp
dir with a fresh key and free ports of 127.0.0.1, every node started (and stopped, killed if need be, by
stop()), waited for through the control port's status. Every wait is bounded."""
import os
import signal
import socket
import subprocess
import time

from p3p.control import CommandError, ControlPort

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_DIR = os.environ.get("P3P_BUILD_DIR", os.path.join(HERE, "..", "..", "build"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_key(path):
    """32 random bytes, mode 0600 from the start (as p3pctl keygen)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, os.urandom(32))
    os.close(fd)


def node_entries(ids, control_node):
    """The topology's `nodes:` lines on free ports, and `control:` on a free port; (yaml, control port)."""
    yaml = "nodes:\n"
    for n in ids:
        modules = "[logger, echo, cortex7, mesocortex, mesh, control, control_port]" if n == control_node else "[logger, echo, cortex7, mesh]"
        yaml += f"  - {{id: {n}, host: 127.0.0.1, router_port: {free_port()}, pub_port: {free_port()}, modules: {modules}}}\n"
    port = free_port()
    return yaml + f"control: {{node: {control_node}, host: 127.0.0.1, port: {port}}}\n", port


class LocalCluster:
    """`body(nodes_yaml)` -> the topology text around the nodes and control lines node_entries makes."""

    def __init__(self, directory, ids, body, extra_args=()):
        self.dir = directory
        self.ids = list(ids)
        self.key = os.path.join(directory, "cluster.key")
        write_key(self.key)
        nodes_yaml, self.control_port = node_entries(self.ids, self.ids[0])
        self.endpoint = f"127.0.0.1:{self.control_port}"
        self.topology = os.path.join(directory, "topology.yaml")
        with open(self.topology, "w") as f:
            f.write(body(nodes_yaml))
        self.procs = []
        binary = os.path.join(BUILD_DIR, "nodes", "p3p-node")
        for n in self.ids:
            with open(os.path.join(directory, f"{n}.log"), "w") as log:
                self.procs.append(subprocess.Popen([binary, "--topology", self.topology, "--node", n, *extra_args],
                                                   stdout=log, stderr=subprocess.STDOUT))

    def status(self):
        port = ControlPort(self.endpoint, timeout=10)
        try:
            return port.call("status")
        finally:
            port.close()

    def wait_up(self, timeout=30.0):
        """Until status says every node up with its mesh connected."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"a node exited ({p.returncode}): its log is in {self.dir}")
            try:
                s = self.status()
                if s["all_up"] and all(n.get("peers_connected") == len(self.ids) - 1 for n in s["nodes"]):
                    return
                last = s
            except (CommandError, OSError) as e:
                last = e
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
