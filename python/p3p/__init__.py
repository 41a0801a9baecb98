"""P3P Neuron from Python: ``Cluster`` drives a running cluster through its control port and records its
spike telemetry (every envelope verified) into numpy arrays; see python/README.md."""
from .cluster import Cluster
from .control import CommandError
from .envelope import Rejected
from .layout import Layout
from .recording import TICK_MS, Recording
from .telemetry import Recorder

__all__ = ["Cluster", "CommandError", "Layout", "Recorder", "Recording", "Rejected", "TICK_MS"]
__version__ = "0.1.0"
