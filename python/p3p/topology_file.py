"""The few fields of a topology file a client needs to reach the control port: its endpoint, token and the
cluster key file (topology/README.md: control.host 127.0.0.1 and control.port 10080 by default, key_file
resolved against the file's directory). Everything else the cluster says itself (``cluster_layout``), so no
second YAML loader has to agree with the C++ one. Needs python3-yaml."""
import os


def control_settings(path):
    """(endpoint 'HOST:PORT', token or None, absolute key file path) of a topology file."""
    try:
        import yaml
    except ImportError as e:
        raise ImportError("reading a topology file needs python3-yaml; or pass the endpoint and key=") from e
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: not a topology (a mapping)")
    control = doc.get("control")
    if not isinstance(control, dict):
        raise ValueError(f"{path}: no control section: the cluster serves no control port")
    host = str(control.get("host", "127.0.0.1"))
    host = "127.0.0.1" if host in ("localhost", "0.0.0.0") else host
    port = int(control.get("port", 10080))
    key_file = (doc.get("cluster") or {}).get("key_file")
    if not key_file:
        raise ValueError(f"{path}: cluster.key_file is missing")
    key_path = os.path.join(os.path.dirname(os.path.abspath(path)), os.path.expanduser(str(key_file)))
    return f"{host}:{port}", control.get("token"), key_path
