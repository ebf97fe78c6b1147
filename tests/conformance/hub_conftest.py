"""Glue that runs huggingface_hub's own tests against a running workshop hub.

``tests/conformance/run.py`` unpacks the sdist of the pinned huggingface_hub into a
git-ignored folder and copies this file there as ``tests/conftest.py`` (the sdist ships
its tests but not their conftest). Written for this project; no upstream code.

How the tests reach our hub: they talk to the staging Hub (``HUGGINGFACE_CO_STAGING=1``,
``ENDPOINT_STAGING``, and a few hard-coded ``https://hub-ci.huggingface.co`` URLs), and the
in-scope production tests to huggingface.co. An HTTP transport sends every request for
the staging host to the workshop hub at ``$CONFORMANCE_HUB``, and for huggingface.co to
a second one at ``$CONFORMANCE_PRODUCTION_HUB`` (it holds the repos of ``known_repos.py``),
with ``Host`` kept and ``X-Forwarded-Proto: https``, so each hub answers with the Hub's
URLs and the client follows them back through the same transport: like an
``/etc/hosts`` line, nothing else changes. The users and tokens the tests expect
(``testing_constants``) are created on the hub by ``run.py``.

Out-of-scope tests are deselected here, from ``scope.toml`` (``$CONFORMANCE_SCOPE``), and
every test records whether it sent a request to the hub (``$CONFORMANCE_RESULTS``).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Generator
from contextlib import ExitStack
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import httpx2
import pytest
from huggingface_hub import HfApi, RepoUrl, constants
from huggingface_hub.utils import SoftTemporaryDirectory, _http

from .testing_constants import ENDPOINT_PRODUCTION, ENDPOINT_STAGING, TOKEN
from .testing_utils import repo_name

HUB = urlsplit(os.environ["CONFORMANCE_HUB"])  # e.g. http://127.0.0.1:41234
STAGING_HOST = urlsplit(ENDPOINT_STAGING).hostname
PRODUCTION = urlsplit(os.environ["CONFORMANCE_PRODUCTION_HUB"])  # the known repos' hub
PRODUCTION_HOSTS = {urlsplit(ENDPOINT_PRODUCTION).hostname, "hf.co"}
SCOPE = tomllib.loads(Path(os.environ["CONFORMANCE_SCOPE"]).read_text())
_requests_to_hub = 0  # counted by the transport; read around each test


class ToWorkshopHub(httpx2.HTTPTransport):
    """Send requests for the staging Hub to the workshop hub, and requests for huggingface.co
    to the second workshop hub (the repos of known_repos.py); refuse every other Hub host."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        global _requests_to_hub
        host = request.url.host
        target = HUB if host == STAGING_HOST else PRODUCTION if host in PRODUCTION_HOSTS else None
        if target is not None:  # the client keeps seeing the Hub's URL (auth, redirects)
            _requests_to_hub += 1
            headers = httpx2.Headers(request.headers)
            headers["X-Forwarded-Proto"] = request.url.scheme
            request = httpx2.Request(
                request.method, request.url.copy_with(scheme=target.scheme, host=target.hostname,
                                                      port=target.port),
                headers=headers, stream=request.stream, extensions=request.extensions)
        elif host.endswith("huggingface.co"):
            raise httpx2.ConnectError(f"{host} is not reachable in the conformance run "
                                      "(offline; only the staging Hub and huggingface.co are "
                                      "served, by two workshop hubs)", request=request)
        return super().handle_request(request)


def _client() -> httpx2.Client:
    return httpx2.Client(transport=ToWorkshopHub(), follow_redirects=True, timeout=None,
                         event_hooks={"request": [_http.hf_request_event_hook]})


_http.set_client_factory(_client)


# -- scope: which tests run, and what each one did ---------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect out-of-scope tests (``scope.toml``), each under the group that excludes it."""
    keep, dropped = [], []
    for item in items:
        group = out_of_scope_group(item)
        if group is None:
            keep.append(item)
        else:
            dropped.append(item)
            item.config.stash.setdefault(_GROUPS, {})[item.nodeid] = group
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


_GROUPS = pytest.StashKey[dict]()


BROUGHT_IN = {test for group in SCOPE.get("in", []) for test in group["tests"]}


def out_of_scope_group(item: pytest.Item) -> str | None:
    """The name of the first ``[[out]]`` group of scope.toml that matches this test, if any
    (None for a test an ``[[in]]`` group names)."""
    name = item.nodeid.split("::", 1)[1] if "::" in item.nodeid else item.nodeid
    module = Path(item.nodeid.split("::", 1)[0]).name
    if f"{module}::{name}" in BROUGHT_IN:
        return None
    markers = {marker.name for marker in item.iter_markers()}
    for group in SCOPE["out"]:
        if group.get("modules") and module not in group["modules"]:
            continue
        if any(marker in markers for marker in group.get("markers", [])):
            return group["name"]
        if any(re.search(pattern, name, re.IGNORECASE) for pattern in group.get("patterns", [])):
            return group["name"]
        if group.get("modules") and not group.get("markers") and not group.get("patterns"):
            return group["name"]  # the whole module
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem) -> Generator:
    """Note, per test, whether it sent at least one request to the hub."""
    before = _requests_to_hub
    result = yield
    item.config.stash.setdefault(_TALKED, {})[item.nodeid] = _requests_to_hub > before
    return result


_TALKED = pytest.StashKey[dict]()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    outcomes = _OUTCOMES.setdefault(report.nodeid, "passed")
    if report.failed:
        _OUTCOMES[report.nodeid] = "failed" if report.when == "call" else "error"
    elif report.skipped and outcomes == "passed":
        _OUTCOMES[report.nodeid] = "skipped"


_OUTCOMES: dict[str, str] = {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write every test's outcome and whether it talked to the hub (run.py makes the tables)."""
    path = os.environ.get("CONFORMANCE_RESULTS")
    if not path:
        return
    talked = session.config.stash.get(_TALKED, {})
    results = {
        "tests": {nodeid: {"outcome": outcome, "hub": talked.get(nodeid, False)}
                  for nodeid, outcome in _OUTCOMES.items()},
        "out_of_scope": session.config.stash.get(_GROUPS, {}),
    }
    Path(path).write_text(json.dumps(results, indent=1, sort_keys=True))


# -- what every test expects (the behaviour of upstream's own fixtures) ---------------


@pytest.fixture(autouse=True)
def patch_constants(mocker) -> Generator[None, None, None]:
    """Each test gets fresh cache, assets and token folders of its own."""
    with SoftTemporaryDirectory() as home:
        for name, sub in (("HF_HOME", ""), ("HF_HUB_CACHE", "hub"), ("HUGGINGFACE_HUB_CACHE", "hub"),
                          ("HF_XET_CACHE", "xet"), ("HF_ASSETS_CACHE", "assets"),
                          ("HF_TOKEN_PATH", "token"), ("HF_STORED_TOKENS_PATH", "stored_tokens")):
            mocker.patch.object(constants, name, os.path.join(home, sub) if sub else home)
        yield


@pytest.fixture(autouse=True)
def quiet_and_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    """No experimental warnings, no agent detection, no colours, a fixed terminal width."""
    from huggingface_hub.cli._output import out
    from huggingface_hub.utils import _auth, _detect_agent

    monkeypatch.setattr(constants, "HF_HUB_DISABLE_EXPERIMENTAL_WARNING", True)
    monkeypatch.setattr(_detect_agent, "_registry", _detect_agent._EMPTY_REGISTRY)
    monkeypatch.setattr(_auth, "_OAUTH_REFRESH_CACHE", None)
    monkeypatch.setattr(_auth, "_OAUTH_REFRESH_WARNED", False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    out.set_mode()
    out.set_no_truncate(False)


@pytest.fixture(autouse=True)
def production_endpoint(request: pytest.FixtureRequest, mocker) -> None:
    """Production tests talk to huggingface.co by default, as in upstream's production job.

    Patched with ``mocker``, as the tests patch these constants themselves: one patcher
    undoes in reverse order, so the staging endpoint always comes back (with monkeypatch,
    a test's own ``mocker.patch`` of ENDPOINT was undone last and left huggingface.co set).
    """
    if request.node.get_closest_marker("production"):
        mocker.patch.object(constants, "ENDPOINT", ENDPOINT_PRODUCTION)
        mocker.patch.object(constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                            ENDPOINT_PRODUCTION + "/{repo_id}/resolve/{revision}/{filename}")


@pytest.fixture(autouse=True)
def markers(request: pytest.FixtureRequest) -> Generator[None, None, None]:
    """``git_lfs`` needs git-lfs (skipped); ``deprecated(name)`` expects a FutureWarning."""
    node = request.node
    if node.get_closest_marker("git_lfs") and os.environ.get("RUN_GIT_LFS_TESTS") != "1":
        pytest.skip("needs git-lfs (RUN_GIT_LFS_TESTS=1)")
    if node.get_closest_marker("xet") and node.get_closest_marker("no_xet"):
        pytest.fail("a test cannot be marked both xet and no_xet")
    names = [name for marker in node.iter_markers("deprecated") for name in marker.args]
    with ExitStack() as stack:
        for name in names:
            stack.enter_context(pytest.warns(FutureWarning, match=rf".*'{name}'.*"))
        yield


@pytest.fixture(scope="session")
def api() -> HfApi:
    """The staging Hub (here: the workshop hub) as the CI user."""
    return HfApi(endpoint=ENDPOINT_STAGING, token=TOKEN)


@pytest.fixture(scope="session")
def api_prod() -> HfApi:
    """huggingface.co (here: the workshop hub, with the repos of known_repos.py), anonymous."""
    return HfApi(endpoint=ENDPOINT_PRODUCTION)


@pytest.fixture
def new_repo_id(api: HfApi) -> Generator[str, None, None]:
    """A repo id nobody has used yet; the repo is deleted after the test if it was made."""
    repo_id = f"{api.whoami()['name']}/{repo_name()}"
    yield repo_id
    api.delete_repo(repo_id, missing_ok=True)


class RepoFactory(Protocol):
    """``repo_factory(repo_type="model", **create_repo_kwargs) -> RepoUrl``."""

    def __call__(self, repo_type: str = "model", **kwargs) -> RepoUrl: ...


@pytest.fixture
def repo_factory(api: HfApi) -> Generator[RepoFactory, None, None]:
    """Create repos for one test; they are deleted when it ends."""
    made: list[tuple[str, str, str | None]] = []

    def create(repo_type: str = "model", **kwargs) -> RepoUrl:
        if repo_type == "space":
            kwargs.setdefault("space_sdk", "gradio")
        kwargs.setdefault("repo_id", repo_name(prefix=repo_type))
        url = api.create_repo(repo_type=repo_type, **kwargs)
        made.append((url.repo_id, repo_type, kwargs.get("token")))
        return url

    yield create
    for repo_id, repo_type, token in made:
        try:
            api.delete_repo(repo_id=repo_id, repo_type=repo_type, token=token)
        except Exception:  # already deleted by the test
            pass


__all__ = ["RepoFactory"]
