"""axe-core (from npm, never a CDN) in chromium: 0 critical or serious violations on the
course website, the workshop hub's web pages and the card editor in JupyterLab.

axe checks what a machine can check (names, roles, contrast, focusable scroll
areas, language). Keyboard use is tested separately, by pressing keys
(tests/test_editor_keyboard.py).
"""

from __future__ import annotations

import pytest
from browser_helpers import axe_violations, describe
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
