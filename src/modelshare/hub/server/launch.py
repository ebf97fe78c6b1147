"""Start the workshop hub as a separate process, and stop it: for tests, launchers, notebooks.

``modelshare hub serve`` runs the hub in the foreground (:mod:`.serve`); this module runs
``python -m modelshare.hub.server`` in the background and waits until it answers::

    with running(Path("/tmp/hub")) as hub:
        env = hub.env()   # HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1, ...
        subprocess.run([sys.executable, "publish.py"], env={**os.environ, **env})
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_USER = "learner"
DEFAULT_PORT = 8765


def hub_env(endpoint: str, token: str, hf_home: Path) -> dict[str, str]:
    """The environment variables a kernel needs to talk to a hub at ``endpoint``.

    ``HF_HUB_DISABLE_XET=1`` makes huggingface_hub upload large files through the
    classic LFS API (the workshop hub does not speak Xet); ``HF_HOME`` points to a
    folder of its own so no token saved in your home folder is used by mistake.
    """
    return {
        "HF_ENDPOINT": endpoint,
        "HF_TOKEN": token,
        "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_UPDATE_DOWNLOAD_COUNTS": "False",
        "HF_HUB_OFFLINE": "0",
        "HF_HOME": str(hf_home),
    }


@dataclass
class Hub:
    """A running hub server process and how to reach it."""

    endpoint: str
    token: str
    user: str
    data_dir: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    def env(self) -> dict[str, str]:
        """Environment variables for a kernel or subprocess (see :func:`hub_env`)."""
        hf_home = self.data_dir / "hf-home"
        hf_home.mkdir(parents=True, exist_ok=True)
        return hub_env(self.endpoint, self.token, hf_home)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash or a power cut would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the project's one copy:
    ``tests/servers.py``, the benchmarks and ``deployments/jupyterhub/local.py`` use it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the hub server stopped (exit code {process.returncode}) before answering; "
                f"its log ({log}) says:\n{log.read_text()[-2000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise TimeoutError(f"the hub server did not answer at {url} within {timeout} s; see {log}")


def start(
    data_dir: Path,
    port: int | None = None,
    host: str = "127.0.0.1",
    user: str = DEFAULT_USER,
    extra_args: tuple[str, ...] = (),
    timeout: float = 60.0,
) -> Hub:
    """Start ``python -m modelshare.hub.server`` in the background; return once it answers.

    The caller stops it with ``hub.stop()`` (or use :func:`running`). Its log goes to
    ``data_dir/server.log``.
    """
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = data_dir / "server.log"
    command = [
        sys.executable, "-m", "modelshare.hub.server", "--data", str(data_dir),
        "--host", host, "--port", str(port), "--user", user, *extra_args,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   stdin=subprocess.DEVNULL)
    endpoint = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    try:
        _wait_until_up(f"{endpoint}/api/status", process, log, timeout)
    except BaseException:
        if process.poll() is None:
            process.kill()
        raise
    token = (data_dir / "tokens" / f"{user}.token").read_text().strip()
    return Hub(endpoint=endpoint, token=token, user=user, data_dir=data_dir, process=process)


@contextmanager
def running(data_dir: Path, port: int | None = None, **options) -> Iterator[Hub]:
    """A hub server process for the duration of a ``with`` block.

    >>> import tempfile
    >>> from huggingface_hub import HfApi
    >>> with tempfile.TemporaryDirectory() as data, running(Path(data)) as hub:
    ...     HfApi(endpoint=hub.endpoint, token=hub.token).whoami()["name"]
    'learner'
    """
    hub = start(data_dir, port, **options)
    try:
        yield hub
    finally:
        hub.stop()
