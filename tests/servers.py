"""For tests and benchmarks that start a server: a free port, and waiting until it answers.

The one copy of these helpers: ``conftest.py``, ``hub_helpers.py``, the hub launcher
tests and ``benchmarks/editor.py`` import them from here. ``free_port`` is the hub
launcher's own (``modelshare.hub.server.launch.free_port``), so there is one copy of it.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request

from modelshare.hub.server.launch import free_port

__all__ = ["free_port", "wait_for_http"]


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
