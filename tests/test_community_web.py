"""Browsing the hub as lesson 06 does: pickle scan marks on pages and in the API (through
modelshare.rules, as the Hub runs picklescan), the model page's facts, versions and linked
datasets, search over the seeded community; checked over HTTP, with the real client, and
with the keyboard in chromium."""

from __future__ import annotations

import os
import pickle
import re
from urllib.parse import urlparse

import pytest
from browser_helpers import browser_tab
from hub_helpers import http
from huggingface_hub import CommitOperationAdd, HfApi, constants

from modelshare.hub.server import running


class _CallsSystem:
    """Pickles as a call to os.system; this test never loads it."""

    def __reduce__(self):
        return (os.system, ("echo this would run on load",))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A hub of this module's own, with one repo of pickles and safe files."""
    with running(tmp_path_factory.mktemp("hub-scans")) as hub, \
            pytest.MonkeyPatch.context() as mp:
        mp.setattr(constants, "HF_HUB_DISABLE_XET", True)
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/weights")
        api.create_commit("learner/weights", commit_message="three kinds of weights", operations=[
            CommitOperationAdd("model.pkl", pickle.dumps(_CallsSystem())),
            CommitOperationAdd("vocab.pkl", pickle.dumps({"great": 1, "awful": 0})),
            CommitOperationAdd("model.safetensors", safetensors_bytes()),
            CommitOperationAdd("README.md", b"---\nlicense: mit\n---\n# Weights\n")])
        yield hub


def safetensors_bytes() -> bytes:
    import numpy as np
    from safetensors.numpy import save

    return save({"w": np.zeros(4, dtype=np.float32)})


def page(hub, path: str) -> str:
    status, _, body = http(hub, "GET", path, token=None)
    assert status == 200, path
    return body.decode()


def file_row(html: str, name: str) -> str:
    table = html.split('<table id="files">', 1)[1].split("</table>", 1)[0]
    return next(row for row in table.split("<tr") if f">{name}</a>" in row)


def test_the_page_marks_a_pickle_that_calls_os_system_as_unsafe_by_name(hub):
    html = page(hub, "/learner/weights")
    system = f"{os.system.__module__}.system"  # posix.system on Linux and macOS
    unsafe = file_row(html, "model.pkl")
    assert 'class="unsafe"' in unsafe and "unsafe:" in unsafe and system in unsafe
    assert 'id="unsafe-notice"' in html and f"would call {system}" in html
    caution = file_row(html, "vocab.pkl")
    assert "pickle, loading it runs code" in caution and "unsafe" not in caution
    assert "pickle" not in file_row(html, "model.safetensors").split("</a>", 1)[1]


def test_the_api_answers_the_scans_where_huggingface_hub_asks(hub):
    api = HfApi(endpoint=hub.endpoint, token=False)
    status = api.model_info("learner/weights", securityStatus=True).security_repo_status
    assert status["scansDone"] is True
    assert {f["path"]: f["level"] for f in status["filesWithIssues"]} == {
        "model.pkl": "unsafe", "vocab.pkl": "caution"}
    files = {f.path: f for f in api.list_repo_tree("learner/weights", expand=True)}
    assert files["model.safetensors"].security.safe is True
    scan = files["model.pkl"].security.pickle_import_scan
    assert files["model.pkl"].security.safe is False
    assert {"module": os.system.__module__, "name": "system", "safety": "dangerous"} in \
        scan["imports"] and scan["highestSafetyLevel"] == "dangerous"
    [info] = api.get_paths_info("learner/weights", ["vocab.pkl"], expand=True)
    assert info.security.status == "caution"


def test_only_the_dangerous_pickle_is_marked_unsafe_and_expand_asks_for_scans(hub):
    html = page(hub, "/learner/weights?revision=main")
    assert html.count('class="unsafe"') == 1  # one row: model.pkl
    status, _, body = http(hub, "GET", "/api/models/learner/weights?expand=securityRepoStatus",
                           token=None)
    assert status == 200 and b'"filesWithIssues"' in body


# -- the seeded community ----------------------------------------------------------------------

def test_search_over_the_community_sorts_by_downloads_and_shows_licences(seeded_hub):
    html = page(seeded_hub, "/?type=model&filter=tabular-classification&sort=downloads")
    results = html.split('id="results"', 1)[1]
    ids = re.findall(r'<li><a href="/[^"]+">([^<]+)</a>', results)
    assert ids[0] == "fastmodels/income-classifier" and "survey-lab/gss-income-logreg" in ids
    assert "licence cc-by-4.0" in results and "licence mit" in results
    facets = html.split('id="facets"', 1)[1]
    assert "license:mit" in facets and "sklearn" in facets


def test_the_model_page_gives_task_library_licence_data_and_versions(seeded_hub):
    html = page(seeded_hub, "/survey-lab/gss-income-logreg")
    facts = html.split('<dl id="facts">', 1)[1].split("</dl>", 1)[0]
    assert "tabular-classification" in facts and "sklearn" in facts and "mit" in facts
    assert '<a href="/datasets/survey-lab/gss-wages">survey-lab/gss-wages</a>' in facts
    assert page(seeded_hub, "/datasets/survey-lab/gss-wages")
    version = re.search(r'href="(/survey-lab/gss-income-logreg\?revision=v1\.0)"', facts)
    assert version, facts
    assert "Known issues" in html and "Known issues" not in page(seeded_hub, version.group(1))
    assert 'class="unsafe"' not in html and "unsafe-notice" not in html


def test_a_card_with_metadata_and_no_text_says_so(seeded_hub):
    html = page(seeded_hub, "/datawhiz/income-predictor")
    assert 'id="no-card-text"' in html and "nobody wrote down" in html
    assert '<th scope="row">license</th><td>mit</td>' in html


@pytest.mark.browser
def test_a_learner_browses_the_community_and_meets_the_unsafe_pickle_with_the_keyboard(
        seeded_hub, chromium, artifacts_dir):
    with browser_tab(chromium, artifacts_dir / "hub-community-failed.png",
                     viewport={"width": 1100, "height": 900}) as tab:
        elsewhere: list[str] = []
        hub_host = urlparse(seeded_hub.endpoint).netloc
        tab.on("request", lambda r: elsewhere.append(r.url)
               if urlparse(r.url).netloc != hub_host else None)
        tab.goto(seeded_hub.endpoint + "/")
        assert tab.evaluate("document.documentElement.lang") == "en"
        tab.focus("#q")
        tab.keyboard.type("income")
        tab.focus("#sort")
        tab.keyboard.press("ArrowDown")  # "Most downloads", chosen from the keyboard
        assert tab.input_value("#sort") == "downloads"
        tab.keyboard.press("Tab")  # to the Search button
        tab.keyboard.press("Enter")
        tab.wait_for_url(re.compile(r"sort=downloads"))
        facet = tab.locator("#facets a", has_text="tabular-classification")
        facet.focus()
        tab.keyboard.press("Enter")
        tab.wait_for_url(re.compile(r"filter=tabular-classification"))
        names = [a.inner_text() for a in tab.query_selector_all(".results a")]
        assert names[0] == "fastmodels/income-classifier" and "datawhiz/income-predictor" in names
        tab.screenshot(path=str(artifacts_dir / "hub-community-search.png"), full_page=True)
        tab.focus(".results a")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#unsafe-notice")
        notice = tab.inner_text("#unsafe-notice")
        assert "sklearn_model.joblib" in notice and "builtins.exec" in notice
        row = tab.locator("#files tr", has_text="sklearn_model.joblib")
        assert "unsafe: would call builtins.exec" in row.inner_text()
        tab.screenshot(path=str(artifacts_dir / "hub-unsafe-pickle.png"), full_page=True)
        assert elsewhere == [], f"the pages loaded something from elsewhere: {elsewhere}"
