"""Helpers for the workshop hub tests: real clients against a real hub server process.

huggingface_hub reads HF_ENDPOINT once, at import, so clients that rely on it
(transformers, datasets, ModelCard, the ``hf`` command) run in a subprocess with
the hub's environment; ``HfApi(endpoint=..., token=...)`` works in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from modelshare.env import course_environment
from modelshare.hub.server import Hub, running

BIN = Path(sys.executable).parent


def hub_subprocess_env(hub: Hub) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    return {**env, **hub.env(), **course_environment()}


def run_python(hub: Hub, code: str, cwd: Path, timeout: float = 180) -> dict:
    """Run ``code`` in a fresh Python with the hub's environment; return the JSON it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=hub_subprocess_env(hub), cwd=cwd,
        capture_output=True, text=True, timeout=timeout,
    )
    assert result.returncode == 0, f"client failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_command(hub: Hub, args: list[str], cwd: Path, timeout: float = 120):
    """Run a command (e.g. the ``hf`` client) with the hub's environment."""
    return subprocess.run(args, env=hub_subprocess_env(hub), cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def http(hub: Hub, method: str, path: str, body: bytes | dict | None = None,
         token: str | None = "owner", headers: dict | None = None):
    """A raw HTTP request to the hub: (status, headers, body bytes). Never raises on 4xx/5xx."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(hub.endpoint + path, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {hub.token if token == 'owner' else token}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def own_hub(folder: Path, extra_args: tuple[str, ...] = ()) -> Iterator[Hub]:
    """A hub of a test module's own in ``folder``, with huggingface_hub's Xet switched off in
    this process (as HF_HUB_DISABLE_XET=1 does at import, which is too late here)::

        @pytest.fixture(scope="module")
        def hub(tmp_path_factory):
            with own_hub(tmp_path_factory.mktemp("hub-x")) as hub:
                yield hub
    """
    import pytest
    from huggingface_hub import constants

    with running(folder, extra_args=extra_args) as hub, pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        yield hub


def add_user(hub: Hub, name: str, *flags: str) -> str:
    """``modelshare hub add-user NAME`` on the running hub's data folder: the user's token."""
    return subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "add-user", name,
                           "--data", str(hub.data_dir), *flags], capture_output=True, text=True,
                          check=True).stdout.strip()
