"""A real two-node cluster for the client's tests (local_cluster.py): p3p-node from the build (P3P_BUILD_DIR, set
by ctest), a fresh key and topology in a temp dir, stopped at the end whatever happens."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # this tree's p3p, not an installed one

from local_cluster import LocalCluster  # noqa: E402


def two_node_topology(nodes_yaml):
    """Five self-firing columns over two nodes (nodeA serves the control port), plastic projections."""
    return f"""cluster: {{name: py-test, key_file: cluster.key, seed: 7, tick_ms: 0}}
neuron_params:
  active: {{leak: 0.95, baseline: 0.06, noise: 0.01, threshold: 1.0, reset: 0.0}}
{nodes_yaml}regions:
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


@pytest.fixture(scope="session")
def running(tmp_path_factory):
    c = LocalCluster(str(tmp_path_factory.mktemp("cluster")), ["nodeA", "nodeB"], two_node_topology)
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
