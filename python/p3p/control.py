"""The JSON-lines control port (README.md, "The control port"): one request per line, one reply per line.

``ControlPort.call`` sends ``{"cmd", "args", "token"?}`` and returns the reply's ``result``; a reply with
``ok: false`` raises ``CommandError`` carrying the port's stable ``code`` (common/error_code.hpp) and its
message. A port that cannot be reached raises ``CommandError`` with code ``unreachable``, as p3pctl says.
"""
import json
import socket


class CommandError(Exception):
    """A command the cluster refused or could not serve: ``code`` is the stable error code."""

    def __init__(self, code, message, cmd=None):
        super().__init__(f"{cmd + ': ' if cmd else ''}{code}: {message}")
        self.code = code
        self.message = message
        self.cmd = cmd


def parse_endpoint(endpoint):
    """'HOST:PORT' or 'tcp://HOST:PORT' -> (host, port)."""
    text = endpoint[len("tcp://"):] if endpoint.startswith("tcp://") else endpoint
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"endpoint '{endpoint}' is not HOST:PORT")
    return host, int(port)


class ControlPort:
    """One connection to the control port, opened on first use and again after it broke. Requests on it are
    answered in order; a long command (advance, an experiment) holds it until its reply, so a second
    ControlPort is needed to ask `status` meanwhile."""

    def __init__(self, endpoint, token=None, timeout=None):
        self.host, self.port = parse_endpoint(endpoint)
        self.token = token
        self.timeout = timeout  # seconds per reply; None waits as long as the command runs
        self._sock = None
        self._reader = None
        self._next_id = 0

    def _connect(self):
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=5)
        except OSError as e:
            raise CommandError("unreachable", f"control port {self.host}:{self.port}: {e.strerror or e}") from None
        self._sock.settimeout(self.timeout)
        self._reader = self._sock.makefile("rb")

    def close(self):
        if self._sock is not None:
            self._reader.close()
            self._sock.close()
            self._sock = self._reader = None

    def call(self, cmd, args=None):
        if self._sock is None:
            self._connect()
        self._next_id += 1
        request = {"cmd": cmd, "id": self._next_id}
        if args:
            request["args"] = args
        if self.token is not None:
            request["token"] = self.token
        try:
            self._sock.sendall(json.dumps(request).encode() + b"\n")
            line = self._reader.readline()
        except OSError as e:
            self.close()
            raise CommandError("unreachable", f"control port {self.host}:{self.port}: {e}", cmd) from None
        if not line:
            self.close()
            raise CommandError("unreachable", f"control port {self.host}:{self.port} closed the connection", cmd)
        reply = json.loads(line)
        if not reply.get("ok"):
            err = reply.get("error") or {}
            raise CommandError(err.get("code", "internal"), err.get("message", "no message"), cmd)
        return reply.get("result")
