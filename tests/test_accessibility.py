"""axe-core (from npm, never a CDN) in chromium: 0 critical or serious violations on the
course website, the workshop hub's web pages and the card editor in JupyterLab.

axe checks what a machine can check (names, roles, contrast, focusable scroll
areas, language). Keyboard use is tested separately, by pressing keys
(tests/test_editor_keyboard.py).
"""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request

import pytest
from browser_helpers import axe_violations, describe, open_new_notebook
from test_site import html_pages, served_site, site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def site_pages(site) -> list[str]:  # noqa: F811
    return [p.relative_to(site).as_posix() for p in html_pages(site)]


def check_pages(page, base: str, paths: list[str]) -> list[str]:
    """Open each page and run axe on it; one block of text per page that fails."""
    failures = []
    for path in paths:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("load")
        found = axe_violations(page)
        if found:
            failures.append(f"{path}:\n{describe(found)}")
    return failures


def test_every_site_page_passes_axe(served_site, site, chromium, artifacts_dir):  # noqa: F811
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        failures = check_pages(page, served_site, [f"/{name}" for name in site_pages(site)])
        # Dark mode and an opened answer, on one solution page.
        page.goto(f"{served_site}/solutions/04_model_cards.html")
        # No CSS transitions: on a busy machine axe otherwise reads colours halfway
        # between the light and the dark theme (light code colours on a dark background).
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; "
                                   "animation: none !important; }")
        page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
        page.locator("details summary").first.click()
        page.wait_for_function("() => getComputedStyle(document.querySelector("
                               "'details[open] .highlight pre')).color !== ''")
        page.wait_for_timeout(300)  # two frames at least for the repaint
        found = axe_violations(page)
        if found:
            failures.append(f"solutions/04_model_cards.html (dark, answer open):\n{describe(found)}")
    finally:
        page.close()
    assert not failures, "\n\n".join(failures)


EDITOR_CELLS = [
    "from modelshare.widgets import DatasetCardEditor, ModelCardEditor\n"
    "editor = ModelCardEditor('axe-model', drafts_dir=None)\n"
    "editor",
    "dataset_editor = DatasetCardEditor('axe-data', drafts_dir=None)\n"
    "dataset_editor",
]


@pytest.mark.slow
def test_the_card_editors_in_jupyterlab_pass_axe(jupyterlab, chromium, artifacts_dir):
    tab, folder = open_new_notebook(chromium, jupyterlab, artifacts_dir, EDITOR_CELLS,
                                    workspace="axe-editor", viewport={"width": 1600, "height": 1000})
    failures = []
    try:
        editors = tab.locator(".ms-card-editor")
        editors.nth(1).locator(".ms-disclosure").first.wait_for(timeout=90_000)
        for index in range(2):
            editor = editors.nth(index)
            found = axe_violations(tab, within=editor)
            if found:
                failures.append(f"editor {index}, closed:\n{describe(found)}")
            # Open the metadata pane and a section, and show an error in the status line.
            editor.locator(".ms-disclosure").first.click()
            editor.locator(".ms-disclosure").nth(3).click()
            editor.locator(".ms-path input").fill("nowhere/README.md")
            editor.locator("button.ms-load").click()
            editor.get_by_role("status").filter(has_text="FileNotFoundError").wait_for(
                timeout=20_000)
            found = axe_violations(tab, within=editor)
            if found:
                failures.append(f"editor {index}, open with an error:\n{describe(found)}")
        tab.screenshot(path=str(artifacts_dir / "axe-editor.png"))
    finally:
        tab.close()
        shutil.rmtree(folder, ignore_errors=True)
    assert not failures, "\n\n".join(failures)


HUB_CARD = """---
license: mit
language: [en]
library_name: sklearn
tags: [tabular]
---
# Income classifier

Guesses whether a US adult earned more than $25,000 (1986 dollars) from survey answers.

| group | accuracy |
| --- | --- |
| women | 0.80 |
| men | 0.73 |
"""


@pytest.fixture(scope="module")
def hub_pages(local_hub):
    """The session's hub with a model (card, a file, two commits) and a dataset to show."""
    from huggingface_hub import HfApi, constants

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        api = HfApi(endpoint=local_hub.endpoint, token=local_hub.token)
        user = api.whoami()["name"]
        api.create_repo(f"{user}/axe-income", exist_ok=True)
        api.upload_file(path_or_fileobj=HUB_CARD.encode(), path_in_repo="README.md",
                        repo_id=f"{user}/axe-income", commit_message="Add the card")
        api.upload_file(path_or_fileobj=b"x" * 4096, path_in_repo="model.skops",
                        repo_id=f"{user}/axe-income", commit_message="Add the model")
        api.create_repo(f"{user}/axe-survey", repo_type="dataset", exist_ok=True)
        api.create_repo(f"{user}/axe-demo", repo_type="space", space_sdk="gradio", exist_ok=True)
        question = api.create_discussion(f"{user}/axe-income", "Which years are in the data?",
                                         description="The card says 1974-1989; is 1990 in?")
        api.comment_discussion(f"{user}/axe-income", question.num, "No: 1974-1989 only.")
        change = api.upload_file(path_or_fileobj=HUB_CARD.replace("0.73", "0.74").encode(),
                                 path_in_repo="README.md", repo_id=f"{user}/axe-income",
                                 commit_message="Correct the accuracy for men", create_pr=True)
        pull = change.pr_num
        pages = ["/", "/signin", "/?search=income&type=all&sort=downloads",
                 "/?type=model&filter=sklearn", "/docs", f"/{user}/axe-income",
                 f"/{user}/axe-income/discussions", f"/{user}/axe-income/discussions/{question.num}",
                 f"/{user}/axe-income/discussions/{pull}", f"/datasets/{user}/axe-survey",
                 f"/spaces/{user}/axe-demo", f"/{user}/no-such-model"]
        assert _status(f"{local_hub.endpoint}/{user}/axe-income/discussions/{pull}") == 200
        yield local_hub.endpoint, pages


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_hub_web_pages_pass_axe(hub_pages, local_hub, chromium):
    endpoint, pages = hub_pages
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        failures = check_pages(page, endpoint, pages)
        # Signed in through the form (a token in the address is refused): the index and a
        # repo page then show private repos and the Sign out button.
        page.goto(f"{endpoint}/signin")
        page.fill("#token", local_hub.token)
        page.keyboard.press("Enter")
        page.wait_for_selector("text=signed in as")
        failures += check_pages(page, endpoint, ["/", pages[5]])
    finally:
        page.close()
    assert not failures, "\n\n".join(failures)
