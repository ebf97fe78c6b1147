"""The hub's web pages: search with filters, a repo's card, files and history, its Community
tab, the API list; checked over HTTP and, as a learner would use them, in chromium."""

from __future__ import annotations

import json
import re

import pytest
from browser_helpers import browser_tab
from hub_helpers import http, own_hub
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download

CARD = """---
license: mit
language: [en, fr]
library_name: sklearn
tags: [tabular]
---
# Penguin classifier

Predicts the *species* <script>alert("card")</script>
"""

TRANSFORMER_CARD = "---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# Review sentiment\n"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A hub of this module's own (search results count every repo), with a small community."""
    with own_hub(tmp_path_factory.mktemp("hub-web")) as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/penguins")
        api.upload_file(path_or_fileobj=CARD.encode(), path_in_repo="README.md",
                        repo_id="learner/penguins", commit_message="Add the model card")
        api.upload_file(path_or_fileobj=b"x" * 2048, path_in_repo="model.skops",
                        repo_id="learner/penguins", commit_message="Add the model")
        api.create_repo("learner/review-sentiment")
        api.create_commit("learner/review-sentiment", commit_message="model", operations=[
            CommitOperationAdd("README.md", TRANSFORMER_CARD.encode()),
            CommitOperationAdd("config.json", json.dumps(
                {"architectures": ["BertForSequenceClassification"]}).encode())])
        # one download (a HEAD then a GET), counted on config.json as the Hub does
        hf_hub_download("learner/review-sentiment", "config.json", endpoint=hub.endpoint,
                        token=hub.token, cache_dir=tmp_path_factory.mktemp("cache"))
        api.create_repo("learner/hidden", private=True)
        api.create_repo("learner/penguin-data", repo_type="dataset")
        api.create_repo("learner/penguin-demo", repo_type="space", space_sdk="gradio")
        ada = HfApi(endpoint=hub.endpoint, token=_add_user(hub, "ada"))
        ada.create_discussion("learner/penguins", title="Which years are in the data?",
                              description="The card does not say **when** it was collected.")
        pr = ada.upload_file(path_or_fileobj=CARD.replace("# Penguin", "# Better penguin").encode(),
                             path_in_repo="README.md", repo_id="learner/penguins",
                             create_pr=True, commit_message="Say more in the card")
        api.comment_discussion("learner/penguins", pr.pr_num, "Thanks, merging.")
        yield hub


def _add_user(hub, name: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "add-user", name,
                           "--data", str(hub.data_dir)], capture_output=True, text=True,
                          check=True).stdout.strip()


def page(hub, path: str, token: str | None = None) -> tuple[int, str]:
    status, _, body = http(hub, "GET", path, token=token)
    return status, body.decode()


def result_ids(html: str) -> list[str]:
    section = html.split('id="results"', 1)[1]
    return re.findall(r'<li><a href="/[^"]+">([^<]+)</a>', section)


def test_index_searches_and_lists_only_the_repos_you_may_see(hub):
    status, html = page(hub, "/")
    assert status == 200 and '<html lang="en">' in html
    assert set(result_ids(html)) == {"learner/penguins", "learner/review-sentiment"}
    _, html = page(hub, "/", token="owner")
    assert "learner/hidden" in result_ids(html) and "signed in as <b>learner</b>" in html
    _, html = page(hub, "/?search=sentiment")
    assert result_ids(html) == ["learner/review-sentiment"]
    _, html = page(hub, "/?type=dataset")
    assert result_ids(html) == ["learner/penguin-data"]


def test_filters_and_facets_work_like_the_hubs(hub):
    _, html = page(hub, "/?filter=license:mit")
    assert result_ids(html) == ["learner/penguins"]
    _, html = page(hub, "/?filter=transformers")  # a library, like the Hub's filter
    assert result_ids(html) == ["learner/review-sentiment"]
    _, html = page(hub, "/?filter=text-classification")  # the task, read from config.json
    assert result_ids(html) == ["learner/review-sentiment"]
    _, html = page(hub, "/?sort=downloads")
    assert result_ids(html)[0] == "learner/review-sentiment" and "1 download (" in html
    _, html = page(hub, "/")
    facets = html.split('id="facets"', 1)[1].split("</nav>")[0]
    assert "sklearn</a>" in facets and "license:apache-2.0</a>" in facets
    _, html = page(hub, "/?filter=no-such-tag")
    assert result_ids(html) == [] and "Nothing matches" in html


def test_repo_page_shows_card_files_history_and_downloads(hub):
    status, html = page(hub, "/learner/penguins")
    assert status == 200
    assert '<th scope="row">license</th><td>mit</td>' in html and "<td>en, fr</td>" in html
    assert "<h1>Penguin classifier</h1>" in html and "<em>species</em>" in html
    assert "<script>alert" not in html  # raw HTML in a card is shown, never run
    assert "model.skops" in html and "2.0 kB" in html and "LFS" in html
    assert html.index("Add the model</td>") < html.index("Add the model card")  # newest first
    assert "0 downloads in the last 30 days" in html  # model.skops is no query file
    assert "1 download in the last 30 days" in page(hub, "/learner/review-sentiment")[1]
    assert page(hub, "/learner/hidden")[0] == 404
    status, html = page(hub, "/datasets/learner/penguin-data")
    assert status == 200 and "no README.md" in html
    assert page(hub, "/learner/penguins?revision=nope")[0] == 404


def test_a_space_is_stored_and_the_page_says_it_does_not_run(hub):
    status, html = page(hub, "/spaces/learner/penguin-demo")
    assert status == 200 and 'id="space-notice"' in html and "does not run Spaces" in html
    info = HfApi(endpoint=hub.endpoint, token=hub.token).space_info("learner/penguin-demo")
    assert info.sdk == "gradio" and "does not run" in info.runtime.raw["errorMessage"]


def test_community_tab_lists_discussions_and_pull_requests(hub):
    status, html = page(hub, "/learner/penguins/discussions")
    assert status == 200 and 'aria-current="page">Community' in html
    assert "Which years are in the data?" in html and "Say more in the card" in html
    assert "pull request" in html and "discussion" in html
    status, html = page(hub, "/learner/penguins/discussions/2")
    assert "Thanks, merging." in html and "ada" in html
    assert "+# Better penguin classifier" in html and "-# Penguin classifier" in html
    assert page(hub, "/learner/penguins/discussions/9")[0] == 404


def test_api_page_lists_the_api_and_loads_nothing_from_elsewhere(hub):
    status, html = page(hub, "/docs")
    assert status == 200 and "/api/repos/create" in html and "/discussions" in html
    assert "<script" not in html and "cdn" not in html.lower()
    assert page(hub, "/redoc")[0] == 404


@pytest.mark.browser
def test_a_learner_finds_a_model_and_reads_its_community_tab_with_the_keyboard(
        hub, chromium, artifacts_dir):
    with browser_tab(chromium, artifacts_dir / "hub-web-failed.png") as tab:
        tab.goto(hub.endpoint + "/")
        tab.keyboard.press("Tab")  # the skip link comes first
        assert tab.evaluate("document.activeElement.textContent") == "Skip to content"
        tab.focus("#q")
        tab.keyboard.type("penguin")
        tab.keyboard.press("Enter")  # submits the search form
        tab.wait_for_url(re.compile(r"search=penguin"))
        assert [a.inner_text() for a in tab.query_selector_all(".results a")] == \
            ["learner/penguins"]
        tab.screenshot(path=str(artifacts_dir / "hub-search.png"), full_page=True)
        tab.focus(".results a")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#card h1")
        assert tab.inner_text("#card h1") == "Penguin classifier"
        assert "mit" in tab.inner_text("#metadata")
        assert "Add the model card" in tab.inner_text("#history")
        tab.screenshot(path=str(artifacts_dir / "hub-repo-page.png"), full_page=True)
        href = tab.get_attribute("text=model.skops", "href")  # the file at this commit
        assert http(hub, "GET", href, token=None)[2] == b"x" * 2048
        tab.focus("#community-tab")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#discussions")
        tab.click("text=Say more in the card")
        tab.wait_for_selector("#diff")
        assert "Better penguin" in tab.inner_text("#diff")
        assert "Thanks, merging." in tab.inner_text("#events")
        tab.screenshot(path=str(artifacts_dir / "hub-community.png"), full_page=True)
