"""The card editor in a real JupyterLab, driven through Debian chromium (Playwright).

One learner's path through lesson 04: open the lesson, run it down to the
editor (nbval runs the whole lesson elsewhere), type into a
section, see the preview and the meter change, save, load back, restart the
kernel, re-run the editor cell and find the draft restored. The lesson runs
from a copy under test-artifacts/ so its drafts and saved cards never touch
lessons/. Screenshots of each step land in test-artifacts/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_helpers import open_lesson_copy

ROOT = Path(__file__).resolve().parents[1]

LESSON = ROOT / "lessons" / "04_model_cards.ipynb"
TYPED = ("Deciding anything about a real person, because it misses most high-earning women; "
         "people surveyed after 1989, because it has never seen them.")
EDITOR_CELL = "editor = ModelCardEditor("

# JavaScript run in the page against JupyterLab's app object (exposed by the fixture's flags).
JS_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const counts = panel.content.widgets.map(c => c.model.type === 'code' ? c.model.executionCount : 0);
  return {status: kernel ? kernel.status : 'none', counts};
}"""
JS_RUN_TO = """async ([marker, restart]) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  if (restart) await panel.sessionContext.session.kernel.restart();
  const cells = panel.content.widgets;
  const index = cells.findIndex(c => c.model.sharedModel.getSource().includes(marker));
  panel.content.activeCellIndex = index;
  await app.commands.execute('notebook:run-all-above');
  panel.content.activeCellIndex = index;
  await app.commands.execute('notebook:run-cell');
  return index;
}"""


def wait_for_kernel(tab, *, timeout: float = 90_000, last: int | None = None) -> None:
    """Wait until the kernel is idle and every code cell (up to ``last``) has run."""
    tab.wait_for_function(
        """([last]) => {
          const panel = window.jupyterapp.shell.currentWidget;
          if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
          const kernel = panel.sessionContext.session.kernel;
          const cells = panel.content.widgets.slice(0, last === null ? undefined : last + 1);
          return kernel && kernel.status === 'idle' &&
                 cells.every(c => c.model.type !== 'code' || c.model.executionCount !== null ||
                                  c.model.sharedModel.getSource().trim() === '');
        }""",
        arg=[last], timeout=timeout, polling=250,
    )


@pytest.mark.browser
@pytest.mark.slow
def test_a_learner_writes_saves_reloads_and_finds_the_draft_after_a_restart(
        jupyterlab, chromium, artifacts_dir):
    shot = lambda name: tab.screenshot(path=str(artifacts_dir / f"editor-{name}.png"))  # noqa: E731

    tab, folder = open_lesson_copy(chromium, jupyterlab, artifacts_dir, LESSON, workspace="editor-test",
                           viewport={"width": 1600, "height": 1000})
    try:
        # Clear the stored outputs so that "a cell ran" means it ran in this kernel.
        tab.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        # Run the lesson down to the editor (nbval runs all of it; here the editor matters).
        index = tab.evaluate(JS_RUN_TO, [EDITOR_CELL, False])
        wait_for_kernel(tab, last=index)

        editor = tab.locator(".ms-card-editor").first
        editor.wait_for(timeout=30_000)
        editor.scroll_into_view_if_needed()
        score = editor.locator(".ms-score")
        shot("0-ran")
        score.get_by_text("Completeness:").wait_for(timeout=30_000)
        before = score.inner_text()
        assert "Completeness:" in before
        shot("1-opened")

        # A finding leads to its section: clicking it opens the Out-of-Scope pane.
        editor.locator("button[class*='ms-finding-']", has_text="Out-of-Scope Use").click()
        area = editor.locator(".ms-section-out_of_scope textarea")
        area.wait_for(state="visible", timeout=10_000)
        area.fill(TYPED[:-1])
        area.press_sequentially(TYPED[-1:])  # and one real keystroke
        preview = editor.locator(".ms-preview")
        preview.get_by_text("misses most high-earning women").wait_for(timeout=15_000)
        tab.wait_for_function(
            "([el, old]) => el.innerText !== old", arg=[score.element_handle(), before],
            timeout=15_000)
        after = score.inner_text()
        assert int(after.split(":")[1].split("/")[0]) > int(before.split(":")[1].split("/")[0])
        shot("2-typed")

        # Save README.md, spoil the field, load the saved card back.
        saved = folder / "_work" / "browser" / "README.md"
        editor.locator(".ms-path input").fill("_work/browser/README.md")
        editor.locator("button.ms-save").click()
        editor.get_by_role("status").filter(has_text="Saved").wait_for(timeout=15_000)
        assert TYPED in saved.read_text()
        area.fill("spoilt")
        preview.get_by_text("spoilt").wait_for(timeout=15_000)
        editor.locator("button.ms-load").click()
        editor.get_by_role("status").filter(has_text="Loaded").wait_for(timeout=15_000)
        tab.wait_for_function("([el, text]) => el.value === text",
                              arg=[area.element_handle(), TYPED], timeout=15_000)
        shot("3-loaded")

        # Restart the kernel, re-run the editor cell (and the cells it needs): the draft is back.
        index = tab.evaluate(JS_RUN_TO, [EDITOR_CELL, True])
        wait_for_kernel(tab, last=index)
        editor = tab.locator(".ms-card-editor").first
        editor.get_by_role("status").filter(has_text="Restored your draft").wait_for(
            timeout=30_000)
        editor.get_by_text("Out-of-Scope Use · sociotechnic").first.click()
        restored = editor.locator(".ms-section-out_of_scope textarea")
        restored.wait_for(state="visible", timeout=10_000)
        assert restored.input_value() == TYPED
        assert "misses most high-earning women" in editor.locator(".ms-preview").inner_text()
        shot("4-restored")
    finally:
        tab.close()
        shutil.rmtree(folder, ignore_errors=True)
