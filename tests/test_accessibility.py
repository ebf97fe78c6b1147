"""axe-core (from npm, never a CDN) in chromium: 0 critical or serious violations on the
course website, the workshop hub's web pages and the card editor in JupyterLab.

axe checks what a machine can check (names, roles, contrast, focusable scroll
areas, language). Keyboard use is tested separately, by pressing keys
(tests/test_editor_keyboard.py).
"""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import axe_violations, describe, open_new_notebook
from test_site import html_pages, served_site, site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def site_pages(site) -> list[str]:  # noqa: F811
    return [p.relative_to(site).as_posix() for p in html_pages(site)]


def test_every_site_page_passes_axe(served_site, site, chromium, artifacts_dir):  # noqa: F811
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    failures = []
    try:
        for name in site_pages(site):
            page.goto(f"{served_site}/{name}")
            page.wait_for_load_state("load")
            found = axe_violations(page)
            if found:
                failures.append(f"{name}:\n{describe(found)}")
        # Dark mode and an opened answer, on one solution page.
        page.goto(f"{served_site}/solutions/04_model_cards.html")
        page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
        page.locator("details summary").first.click()
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
