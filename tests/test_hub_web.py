"""The hub's web pages: repo list, card, files, history; checked over HTTP and in chromium."""

from __future__ import annotations

import pytest
from hub_helpers import http
from huggingface_hub import HfApi, constants

CARD = """---
license: mit
language: [en, fr]
library_name: sklearn
---
# Penguin classifier

Predicts the *species* <script>alert("card")</script>
"""


@pytest.fixture(scope="module")
def hub(local_hub):
    """The session's hub (tests/hubplugin.py), with two repos of this module's own."""
    with pytest.MonkeyPatch.context() as mp:
        hub = local_hub
        mp.setattr(constants, "HF_HUB_DISABLE_XET", True)  # as HF_HUB_DISABLE_XET=1 does
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/penguins")
        api.upload_file(path_or_fileobj=CARD.encode(), path_in_repo="README.md",
                        repo_id="learner/penguins", commit_message="Add the model card")
        api.upload_file(path_or_fileobj=b"x" * 2048, path_in_repo="model.skops",
                        repo_id="learner/penguins", commit_message="Add the model")
        api.create_repo("learner/hidden", private=True)
        api.create_repo("learner/penguin-data", repo_type="dataset")
        yield hub


def page(hub, path: str, token: str | None = None) -> tuple[int, str]:
    status, _, body = http(hub, "GET", path, token=token)
    return status, body.decode()


def test_index_lists_only_the_repos_you_may_see(hub):
    status, html = page(hub, "/")
    assert status == 200 and "learner/penguins" in html and "learner/hidden" not in html
    _, html = page(hub, "/", token="owner")
    assert "learner/hidden" in html and "signed in as <b>learner</b>" in html


def test_repo_page_shows_card_files_and_history(hub):
    status, html = page(hub, "/learner/penguins")
    assert status == 200
    assert "<th>license</th><td>mit</td>" in html and "<td>en, fr</td>" in html
    assert "<h1>Penguin classifier</h1>" in html and "<em>species</em>" in html
    assert "<script>alert" not in html  # raw HTML in a card is shown, never run
    assert "model.skops" in html and "2.0 kB" in html and "LFS" in html
    assert html.index("Add the model</td>") < html.index("Add the model card")  # newest first
    status, _ = page(hub, "/learner/hidden")
    assert status == 404
    _, index = page(hub, "/")
    assert 'href="/datasets/learner/penguin-data"' in index
    status, html = page(hub, "/datasets/learner/penguin-data")
    assert status == 200 and "no README.md" in html
    status, _ = page(hub, "/learner/penguins?revision=nope")
    assert status == 404


@pytest.mark.browser
def test_a_learner_browses_to_a_card_in_chromium(hub, chromium, artifacts_dir):
    tab = chromium.new_page()
    try:
        tab.goto(hub.endpoint + "/")
        tab.click("text=learner/penguins")
        tab.wait_for_selector("#card h1")
        assert tab.inner_text("#card h1") == "Penguin classifier"
        assert "mit" in tab.inner_text("#metadata")
        assert "model.skops" in tab.inner_text("#files")
        assert "Add the model card" in tab.inner_text("#history")
        tab.screenshot(path=str(artifacts_dir / "hub-repo-page.png"), full_page=True)
        href = tab.get_attribute("text=model.skops", "href")  # the file at this commit
        assert http(hub, "GET", href, token=None)[2] == b"x" * 2048
    except Exception:
        tab.screenshot(path=str(artifacts_dir / "hub-repo-page-failed.png"))
        raise
    finally:
        tab.close()
