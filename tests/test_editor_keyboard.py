"""The card editor used with the keyboard alone, in a real JupyterLab (chromium, Playwright).

After the test puts focus on the notebook cell (where a learner lands after running it),
everything happens through key presses: Tab to a section header, Enter or Space to open it,
type into fields named by their labels, save, hear "Saved" and errors through the status
region, and scroll the preview. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import open_new_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EDITOR_CELL = ('from modelshare.widgets import ModelCardEditor\n'
               'editor = ModelCardEditor("keyboard-only", drafts_dir=None, '
               'save_path="saved/README.md")\n'
               'editor')
JS_ACTIVE = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].textContent.trim() : null;
  return {tag: e.tagName, classes: String(e.className || ''), label,
          text: (e.innerText || '').trim().slice(0, 80), value: e.value ?? null,
          expanded: e.getAttribute('aria-expanded'),
          outline: getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth};
}"""


@pytest.fixture(scope="module")
def editor_page(jupyterlab, chromium, artifacts_dir):
    tab, folder = open_new_notebook(chromium, jupyterlab, artifacts_dir, [EDITOR_CELL],
                                    workspace="keyboard", viewport={"width": 1600, "height": 1000})
    try:
        tab.locator(".ms-card-editor").first.wait_for(timeout=90_000)
        tab.locator(".ms-disclosure").first.wait_for(timeout=30_000)
        yield tab, folder
    finally:
        tab.close()
        shutil.rmtree(folder, ignore_errors=True)


def active(tab) -> dict:
    return tab.evaluate(JS_ACTIVE)


def tab_to(tab, wanted, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until ``wanted(focused)`` is true; fail after ``limit`` presses."""
    for _ in range(limit):
        tab.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = active(tab)
        if wanted(now):
            return now
    raise AssertionError(f"{limit} presses of Tab never reached the control; last: {active(tab)}")


def header(title: str):
    return lambda e: "ms-disclosure" in e["classes"] and title in e["text"]


def field(label: str):
    return lambda e: e["label"] == label


def test_a_learner_writes_a_card_with_the_keyboard_alone(editor_page, artifacts_dir):
    tab, folder = editor_page
    editor = tab.locator(".ms-card-editor").first
    tab.evaluate("() => document.querySelector('.jp-Cell').focus()")

    # Every section header takes focus, shows it clearly, and opens with Enter.
    uses = tab_to(tab, header("Uses ·"))
    assert uses["expanded"] == "false"
    width = float(uses["outline"].split()[1].removesuffix("px"))
    assert not uses["outline"].startswith("none") and width >= 2, uses["outline"]
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => document.activeElement.getAttribute('aria-expanded') === 'true'")
    editor.get_by_role("textbox", name="Uses", exact=True).wait_for()  # the kernel opened it
    # The next Tab lands in the section's text field, named by the section title.
    area = tab_to(tab, lambda e: e["tag"] == "TEXTAREA", limit=3)
    assert area["label"] == "Uses"
    assert not area["outline"].startswith("none")
    tab.keyboard.type("Learners practise writing a model card in a two-hour workshop.")
    editor.locator(".ms-preview").get_by_text("practise writing a model card").wait_for(
        timeout=20_000)
    tab.screenshot(path=str(artifacts_dir / "editor-keyboard-1-typed.png"))

    # Space closes it again from its header; its field leaves the Tab order.
    tab_to(tab, header("Uses ·"), backwards=True, limit=3)
    tab.keyboard.press("Space")
    tab.wait_for_function("() => document.activeElement.getAttribute('aria-expanded') === 'false'")
    editor.get_by_role("textbox", name="Uses", exact=True).wait_for(state="hidden")

    # Metadata: every field has a name; list fields stay in the Tab order once they hold values.
    tab_to(tab, header("Metadata"), backwards=True)
    tab.keyboard.press("Enter")
    editor.get_by_role("combobox", name="Licence", exact=True).wait_for()  # the kernel opened it
    assert tab_to(tab, field("Licence"), limit=4)["tag"] == "INPUT"
    tab.keyboard.type("mit")
    language = tab_to(tab, field("Language"), limit=3)
    tab.keyboard.type("en, fr")
    tab_to(tab, field("Datasets"))
    tab.keyboard.type("gss-wages")
    again = tab_to(tab, field("Language"), backwards=True)
    assert again["value"] == "en, fr" and language["tag"] == again["tag"] == "INPUT"
    for name in ("Licence", "Language", "Library", "Tags", "Datasets"):
        assert editor.get_by_role("textbox", name=name, exact=True).count() + \
            editor.get_by_role("combobox", name=name, exact=True).count() == 1, name
    preview = editor.locator(".ms-preview")
    preview.get_by_text("gss-wages").first.wait_for(timeout=20_000)
    tab.screenshot(path=str(artifacts_dir / "editor-keyboard-2-metadata.png"))

    # Save with the keyboard; "Saved" reaches the status region that screen readers read out.
    tab_to(tab, field("File"), backwards=True)
    save = tab_to(tab, lambda e: e["tag"] == "BUTTON" and e["text"].endswith("Save"), limit=3)
    assert save["text"].endswith("Save")
    tab.keyboard.press("Enter")
    status = editor.get_by_role("status")
    status.filter(has_text="Saved").wait_for(timeout=20_000)
    saved = (folder / "saved" / "README.md").read_text()
    assert "license: mit" in saved and "fr" in saved and "gss-wages" in saved

    # An error is announced too (assertively).
    tab_to(tab, field("File"), backwards=True, limit=3)
    tab.keyboard.press("Control+A")
    tab.keyboard.type("nowhere/README.md")
    tab_to(tab, lambda e: e["tag"] == "BUTTON" and e["text"].endswith("Load"), limit=4)
    tab.keyboard.press("Enter")
    status.filter(has_text="FileNotFoundError").wait_for(timeout=20_000)
    assert status.get_attribute("aria-live") == "assertive"
    tab.screenshot(path=str(artifacts_dir / "editor-keyboard-3-error.png"))

    # The preview takes focus and scrolls with the keyboard.
    tab_to(tab, lambda e: "ms-preview" in e["classes"])
    before = preview.evaluate("e => e.scrollTop")
    assert preview.evaluate("e => e.scrollHeight > e.clientHeight")
    tab.keyboard.press("PageDown")
    tab.wait_for_function("([e, y]) => e.scrollTop > y", arg=[preview.element_handle(), before],
                          timeout=5_000)
