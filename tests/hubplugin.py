"""pytest plugin: one fresh workshop hub per test run.

- When pytest runs notebooks (``--nbval`` or ``--nbval-lax``), a hub starts in
  ``pytest_configure`` with its data in a temporary folder, and its environment
  (HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1, HF_HOME...) goes into ``os.environ``
  before any kernel starts, so every notebook publishes to it. It stops at the end.
- The session fixture ``local_hub`` gives Python tests a running hub (the same one
  in a notebook run, else one started on first use); ``hub_api`` an ``HfApi`` on it.
- The notebook run's hub is seeded with the community of lesson 06 (``modelshare hub
  seed``); Python tests that need that community use ``seeded_hub``, a second hub seeded
  once per session (so ``local_hub``'s listings stay what its tests expect).

Registered from the repository's root ``conftest.py`` (``tests/`` on ``sys.path``, because a
package in site-packages already owns the name ``tests``)::

    sys.path.insert(0, str(Path(__file__).parent / "tests"))
    pytest_plugins = ["hubplugin"]

or on the command line: ``PYTHONPATH=tests pytest -p hubplugin ...``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from modelshare.hub.server import Hub, start

_hub: Hub | None = None
_data: Path | None = None
_seeded: Hub | None = None
_saved_env: dict[str, str | None] = {}


def _runs_notebooks(config: pytest.Config) -> bool:
    return bool(config.getoption("nbval", False) or config.getoption("nbval_lax", False))


def _start() -> Hub:
    global _hub, _data
    if _hub is None:
        _data = Path(tempfile.mkdtemp(prefix="modelshare-hub-"))
        _hub = start(_data)
    return _hub


def seed(hub: Hub) -> None:
    """``modelshare hub seed`` on a running hub, in a separate Python (it imports torch)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    done = subprocess.run(
        [sys.executable, "-m", "modelshare.cli", "hub", "seed", "--data", str(hub.data_dir),
         "--endpoint", hub.endpoint], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"modelshare hub seed failed:\n{done.stdout}\n{done.stderr[-3000:]}")


def pytest_configure(config: pytest.Config) -> None:
    if not _runs_notebooks(config):
        return
    hub = _start()
    seed(hub)  # lesson 06 finds and reuses the community's models
    for key, value in hub.env().items():
        _saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value


def pytest_unconfigure(config: pytest.Config) -> None:
    global _hub, _data, _seeded
    if _hub is not None:
        _hub.stop()
        _hub = None
    if _seeded is not None:
        _seeded.stop()
        shutil.rmtree(_seeded.data_dir, ignore_errors=True)
        _seeded = None
    for key, value in _saved_env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    _saved_env.clear()
    if _data is not None:
        shutil.rmtree(_data, ignore_errors=True)
        _data = None


@pytest.fixture(scope="session")
def local_hub() -> Hub:
    """A running workshop hub for this test session: ``.endpoint``, ``.token``, ``.env()``."""
    return _start()


@pytest.fixture(scope="session")
def seeded_hub() -> Hub:
    """A running hub with lesson 06's community on it, seeded once per session. Tests may
    read it and add their own repos, but must leave the community's repos as they are."""
    global _seeded
    if _seeded is None:
        _seeded = start(Path(tempfile.mkdtemp(prefix="modelshare-seeded-")))
        seed(_seeded)
    return _seeded


@pytest.fixture(scope="module")
def hub_api(local_hub: Hub):
    """``HfApi`` on the session's hub as its owner, with Xet off (as HF_HUB_DISABLE_XET=1
    does at import, which is too late to set in this process)."""
    from huggingface_hub import HfApi, constants

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        yield HfApi(endpoint=local_hub.endpoint, token=local_hub.token)
