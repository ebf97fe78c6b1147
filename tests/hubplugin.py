"""pytest plugin: one fresh workshop hub per test run.

- When pytest runs notebooks (``--nbval`` or ``--nbval-lax``), a hub starts in
  ``pytest_configure`` with its data in a temporary folder, and its environment
  (HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1, HF_HOME...) goes into ``os.environ``
  before any kernel starts, so every notebook publishes to it. It stops at the end.
- The session fixture ``local_hub`` gives Python tests a running hub (the same one
  in a notebook run, else one started on first use); ``hub_api`` an ``HfApi`` on it.

Registered from the repository's root ``conftest.py`` (``tests/`` on ``sys.path``, because a
package in site-packages already owns the name ``tests``)::

    sys.path.insert(0, str(Path(__file__).parent / "tests"))
    pytest_plugins = ["hubplugin"]

or on the command line: ``PYTHONPATH=tests pytest -p hubplugin ...``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from modelshare.hub.server import Hub, start

_hub: Hub | None = None
_data: Path | None = None
_saved_env: dict[str, str | None] = {}


def _runs_notebooks(config: pytest.Config) -> bool:
    return bool(config.getoption("nbval", False) or config.getoption("nbval_lax", False))


def _start() -> Hub:
    global _hub, _data
    if _hub is None:
        _data = Path(tempfile.mkdtemp(prefix="modelshare-hub-"))
        _hub = start(_data)
    return _hub


def pytest_configure(config: pytest.Config) -> None:
    if not _runs_notebooks(config):
        return
    hub = _start()
    for key, value in hub.env().items():
        _saved_env.setdefault(key, os.environ.get(key))
        os.environ[key] = value


def pytest_unconfigure(config: pytest.Config) -> None:
    global _hub, _data
    if _hub is not None:
        _hub.stop()
        _hub = None
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


@pytest.fixture(scope="module")
def hub_api(local_hub: Hub):
    """``HfApi`` on the session's hub as its owner, with Xet off (as HF_HUB_DISABLE_XET=1
    does at import, which is too late to set in this process)."""
    from huggingface_hub import HfApi, constants

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        yield HfApi(endpoint=local_hub.endpoint, token=local_hub.token)
