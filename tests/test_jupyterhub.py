"""The course on a real JupyterHub: three learners and an instructor, one workshop hub.

JupyterHub (PyPI) and configurable-http-proxy (npm, ``make jupyterhub-proxy``) run on
loopback with ``deployments/jupyterhub/jupyterhub_config.py`` unchanged, through
``deployments/jupyterhub/local.py`` (a shared password, ``SimpleLocalProcessSpawner``).
Each learner logs in through the login form, starts a server, runs lesson 00 in it over
the kernel's websocket as JupyterLab would, and publishes with the real huggingface_hub.
At the end every process of the run (JupyterHub, proxy, servers, kernels, workshop hub)
must be gone, even after JupyterHub itself was killed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deployments" / "jupyterhub"))

from local import INSTRUCTOR, PROXY, LocalJupyterHub  # noqa: E402

pytestmark = pytest.mark.slow
LEARNERS = ("ada", "bob", "cyd")
LESSON_00 = ROOT / "lessons" / "00_setup.ipynb"

PUBLISH = """\
from huggingface_hub import HfApi
api = HfApi()
me = api.whoami()["name"]
repo = api.create_repo(f"{me}/first-model", exist_ok=True).repo_id
api.upload_file(path_or_fileobj=b"---\\nlicense: mit\\nlibrary_name: sklearn\\n---\\n# First model\\n",
                path_in_repo="README.md", repo_id=repo, commit_message="First card")
draft = api.create_repo(f"{me}/draft", private=True, exist_ok=True).repo_id
api.upload_file(path_or_fileobj=b"not ready yet", path_in_repo="notes.txt", repo_id=draft)
print(repo, sorted(api.list_repo_files(repo)))
"""

TRY_OTHERS = """\
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
api = HfApi()
results = {{}}
for target in {targets!r}:
    try:
        api.upload_file(path_or_fileobj=b"x", path_in_repo="vandal.txt", repo_id=target)
        results[target] = "written"
    except HfHubHTTPError as error:
        results[target] = error.response.status_code
print(json.dumps(results, sort_keys=True))
"""


@pytest.fixture(scope="module")
def jhub(tmp_path_factory):
    if not PROXY.exists():
        message = ("configurable-http-proxy is not installed: run `make jupyterhub-proxy` "
                   "(npm ci in deployments/jupyterhub); `make test` does it.")
        if os.environ.get("MODELSHARE_STRICT"):
            pytest.fail(message)
        pytest.skip(message)
    hub = LocalJupyterHub(tmp_path_factory.mktemp("jupyterhub"), start_timeout=180)
    try:
        yield hub.start()
    finally:
        hub.stop()
        left = hub.processes()
        assert not left, f"processes still running after stop(): {left}"


@pytest.fixture(scope="module")
def class_session(jhub):
    """Three learners, each in their own server: lesson 00, then a first publication."""

    def learner_session(name):
        learner = jhub.learner(name)
        learner.start_server()
        outputs = learner.run_notebook(LESSON_00)
        learner.run("import json")
        environment = json.loads(learner.run(
            "import os; print(json.dumps({k: v for k, v in os.environ.items() "
            "if k.startswith(('HF_', 'JUPYTERHUB_USER', 'HOME', 'OMP_'))}))"))
        published = learner.run(PUBLISH)
        return learner, outputs, environment, published

    with ThreadPoolExecutor(len(LEARNERS)) as pool:
        results = list(pool.map(learner_session, LEARNERS))
    return {name: result for name, result in zip(LEARNERS, results, strict=True)}


def test_each_learner_runs_lesson_00_in_their_own_server(class_session, jhub):
    for name, (learner, outputs, environment, _) in class_session.items():
        status = next(text for text in outputs if text.startswith("Hub:"))
        assert f"signed in as {name}." in status, status
        assert f"the workshop hub of this JupyterHub at {jhub.workshop_hub_url}" in status
        assert "Hub Control Panel" in status  # what to do there, not `make lab`
        assert "Problem" not in status
        assert any("All 12 packages OK." in text for text in outputs), outputs
        assert environment["JUPYTERHUB_USER"] == name
        assert Path(environment["HOME"]) == jhub.state / "home" / name
        assert learner.start_seconds > 0


def test_kernels_get_the_workshop_hub_environment_without_typing_a_token(class_session, jhub):
    from modelshare.hub.server import hub_env

    tokens = set()
    for _, (_, _, environment, _) in class_session.items():
        expected = hub_env(jhub.workshop_hub_url, environment["HF_TOKEN"], Path("unused"))
        expected.pop("HF_HOME")  # stays in the learner's home folder
        assert {k: environment.get(k) for k in expected} == expected
        assert environment["OMP_NUM_THREADS"] == "1"
        tokens.add(environment["HF_TOKEN"])
    assert len(tokens) == len(LEARNERS)  # one account each


def test_learners_publish_but_cannot_write_to_each_other(class_session):
    for name, (_, _, _, published) in class_session.items():
        assert published.strip() == f"{name}/first-model ['.gitattributes', 'README.md']"
    for index, name in enumerate(LEARNERS):
        learner = class_session[name][0]
        neighbour = LEARNERS[(index + 1) % len(LEARNERS)]
        targets = [f"{neighbour}/first-model", f"{neighbour}/draft", f"{name}/first-model"]
        results = json.loads(learner.run(TRY_OTHERS.format(targets=targets)))
        assert results == {
            f"{neighbour}/first-model": 403,  # public: readable, not writable
            f"{neighbour}/draft": 404,  # private: not even visible
            f"{name}/first-model": "written",
        }


def test_the_instructor_sees_every_repo_and_changes_none(class_session, jhub):
    instructor = jhub.learner(INSTRUCTOR)
    instructor.start_server()
    instructor.open_notebook(LESSON_00)
    seen = json.loads(instructor.run(
        "import json\nfrom huggingface_hub import HfApi\napi = HfApi()\n"
        "print(json.dumps(sorted(m.id for m in api.list_models())))"))
    assert seen == sorted([f"{n}/first-model" for n in LEARNERS] + [f"{n}/draft" for n in LEARNERS])
    note = instructor.run("print(open(HfApi().hf_hub_download('ada/draft', 'notes.txt')).read())")
    assert note.strip() == "not ready yet"
    refused = json.loads(instructor.run(TRY_OTHERS.format(targets=["ada/draft"])))
    assert refused == {"ada/draft": 403}
    instructor.stop_server()


def test_the_workshop_hubs_pages_work_through_jupyterhubs_proxy(class_session, jhub):
    """No tunnel: https://JUPYTERHUB/services/workshop-hub/ is the hub's web site, showing
    nothing to strangers; a learner signs in with their token and sees their repos, private
    ones included, and the class's public ones. The cookie stays on the service's path."""
    import requests

    pages = f"{jhub.url}/services/workshop-hub"
    anonymous = requests.get(f"{pages}/", timeout=60)
    assert anonymous.status_code == 401 and 'id="signin"' in anonymous.text
    assert "first-model" not in anonymous.text
    assert requests.get(f"{pages}/api/models", timeout=60).status_code == 401
    ada = requests.Session()
    token = class_session["ada"][2]["HF_TOKEN"]
    signed_in = ada.post(f"{pages}/signin", data={"token": token, "next": "/"}, timeout=60,
                         allow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/services/workshop-hub/"
    assert "Path=/services/workshop-hub/" in signed_in.headers["Set-Cookie"]
    listing = ada.get(f"{pages}/", timeout=60).text
    assert "signed in as <b>ada</b>" in listing
    assert {"ada/draft", "ada/first-model", "bob/first-model"} <= set(
        re.findall(r'<li><a href="/services/workshop-hub/[^"]+">([^<]+)</a>', listing))
    assert "bob/draft" not in listing  # another learner's private repo


def test_a_restarted_server_is_the_same_learner(class_session, jhub):
    ada = class_session["ada"][0]
    ada.stop_server()
    ada.start_server()
    ada.open_notebook(LESSON_00)
    assert "signed in as ada." in ada.run("from modelshare import hub; hub.status()")
    assert "ada/draft" in ada.run(
        "from huggingface_hub import HfApi; print([m.id for m in HfApi().list_models()])")


def test_a_killed_jupyterhub_leaves_nothing_running(class_session, jhub):
    assert len([p for p in jhub.processes() if "kernel" in " ".join(p.cmdline())]) >= 3
    os.kill(jhub.process.pid, signal.SIGKILL)  # as a crash would: no clean-up by JupyterHub
    jhub.process.wait()
    assert jhub.processes(), "servers and kernels outlive a killed JupyterHub"
    jhub.stop()
    assert jhub.processes() == []
