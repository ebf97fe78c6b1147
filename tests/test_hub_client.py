"""modelshare.hub.status() and use(): which hub, which user, and a clear message when too late."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from modelshare.hub.client import kind_of

SCRIPT = """
import json, os, sys
import modelshare.hub
out = {}
modelshare.hub.use(sys.argv[1], token=sys.argv[2])   # before huggingface_hub is imported
report = modelshare.hub.status()
out["first"] = [report.ok, report.kind, report.user, str(report)]
try:
    modelshare.hub.use("https://huggingface.co")      # too late: already imported
except RuntimeError as error:
    out["too_late"] = str(error)
os.environ["HF_ENDPOINT"] = "http://10.0.0.1:8765"    # changed after import: ignored
out["moved"] = modelshare.hub.status().problem
os.environ["HF_ENDPOINT"] = sys.argv[1]
os.environ["HF_TOKEN"] = "hf_wrong"
out["bad_token"] = modelshare.hub.status().problem
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def hub(local_hub):
    """The session's hub (tests/hubplugin.py); each module uses repo names of its own."""
    return local_hub


def test_status_and_use_in_a_fresh_kernel(hub):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env["HF_HOME"] = str(hub.data_dir / "hf-home")
    result = subprocess.run([sys.executable, "-c", SCRIPT, hub.endpoint, hub.token], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.splitlines()[-1])
    ok, kind, user, text = out["first"]
    assert (ok, kind, user) == (True, "local", "learner")
    assert f"the local hub at {hub.endpoint}, signed in as learner" in text
    assert "To switch hub" in text
    assert "already imported" in out["too_late"] and "Restart the kernel" in out["too_late"]
    assert "was imported while HF_ENDPOINT pointed to" in out["moved"]
    assert "no valid token" in out["bad_token"]


def test_kind_of_names_the_three_hubs():
    assert kind_of("https://huggingface.co") == "huggingface.co"
    assert kind_of("http://127.0.0.1:8765") == "local"
    assert kind_of("http://192.168.1.20:8765") == "classroom"


JUPYTERHUB_SCRIPT = """
import json, modelshare.hub
report = modelshare.hub.status()
print(json.dumps([report.ok, report.problem, str(report)]))
"""


@pytest.mark.parametrize("token", ["good", "missing", "stale"])
def test_status_on_jupyterhub_names_its_hub_and_says_to_restart_the_server(hub, token):
    """With JUPYTERHUB_USER set (a JupyterHub server), the hub was chosen for the learner:
    status() calls it the workshop hub of this JupyterHub, and a missing or stale token is
    fixed by restarting the server, not by setting variables by hand."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env |= {"JUPYTERHUB_USER": "ada", "HF_ENDPOINT": hub.endpoint, "HF_HUB_DISABLE_XET": "1",
            "HF_HOME": str(hub.data_dir / "hf-home-jupyterhub")}
    if token != "missing":
        env["HF_TOKEN"] = hub.token if token == "good" else "hf_" + "stale" * 6
    result = subprocess.run([sys.executable, "-c", JUPYTERHUB_SCRIPT], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    ok, problem, text = json.loads(result.stdout.splitlines()[-1])
    assert f"Hub: the workshop hub of this JupyterHub at {hub.endpoint}" in text
    assert "File > Hub Control Panel > Stop My Server" in text and "getpass" in text
    assert "make lab" not in text  # the laptop advice does not apply here
    if token == "good":
        assert ok and "signed in as learner." in text
    else:
        assert not ok and "restart your server" in problem, problem
