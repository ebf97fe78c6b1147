"""For tests and benchmarks that start a server: a free port, and waiting until it answers.

The one copy of these helpers: ``conftest.py``, ``hub_helpers.py``, the hub launcher
tests and ``benchmarks/editor.py`` import them from here.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers; fail at once if ``proc`` (the server) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process serving {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:  # not up yet: refused, reset, 5xx while starting
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")
