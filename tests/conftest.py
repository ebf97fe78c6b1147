"""Shared test fixtures.

- Every test runs in the course environment (one BLAS/torch thread, fixed hashing).
- ``chromium``: a real chromium (found by ``browser_helpers.find_chromium``) driven by Playwright
  for Python (on this offline machine: Debian's; ``playwright install`` cannot download here).
- ``jupyterlab``: a real JupyterLab server on loopback with a known token.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from servers import free_port, wait_for_http

from modelshare.env import course_environment

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

# The course environment (one BLAS/torch thread, fixed hashing) from its one source,
# src/modelshare/env/course.env; what `make test` exports already wins.
for _name, _value in course_environment().items():
    os.environ.setdefault(_name, _value)

# One place finds the browser ($CHROMIUM, PATH, macOS apps, Playwright's own): browser_helpers.
from browser_helpers import CHROMIUM_ARGS, BrowserNotFound, find_chromium  # noqa: E402

try:
    CHROMIUM = find_chromium()
except BrowserNotFound as problem:
    CHROMIUM, CHROMIUM_PROBLEM = None, str(problem)
else:
    CHROMIUM_PROBLEM = "no chromium found: `python tests/browser_helpers.py` says how to install one"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium():
    """A headless chromium under Playwright; fails with the install command if none is found."""
    if CHROMIUM is None:
        pytest.fail(CHROMIUM_PROBLEM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server rooted at the repository; yields (base_url, token).

    The server's kernels inherit this process's environment (so a hub chosen
    by a fixture before this one starts is the hub the notebooks talk to).
    """
    port = free_port()
    token = "browser-test-token"
    settings = tmp_path_factory.mktemp("lab-settings")
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings))
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={ROOT}",
        "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=True",
    ]
    log = tmp_path_factory.mktemp("lab-log") / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=90, proc=proc)
            yield f"http://127.0.0.1:{port}", token
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
