"""The ShiftExplorer in a real JupyterLab, driven through Debian chromium (Playwright).

A learner opens lesson 07, runs it, picks another deployment window in the
explorer and sees the accuracy sentence change. The lesson runs from a copy
under test-artifacts/ so that JupyterLab never saves into lessons/.
Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_helpers import open_lesson_copy

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "lessons" / "07_distribution_shift.ipynb"

JS_DONE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
  const kernel = panel.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle' && panel.content.widgets.every(
    c => c.model.type !== 'code' || c.model.executionCount !== null);
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_choosing_another_window_changes_the_accuracy_shown(jupyterlab, chromium, artifacts_dir):
    tab, folder = open_lesson_copy(chromium, jupyterlab, artifacts_dir, LESSON, workspace="shift-test",
                           viewport={"width": 1400, "height": 1000})
    try:
        tab.evaluate("""async () => {
          await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
          await window.jupyterapp.commands.execute('notebook:run-all-cells');
        }""")
        tab.wait_for_function(JS_DONE, timeout=120_000, polling=250)

        explorer = tab.locator(".shift-explorer").first
        explorer.wait_for(timeout=30_000)
        explorer.scroll_into_view_if_needed()
        accuracy = explorer.locator(".shift-accuracy")
        accuracy.wait_for(timeout=30_000)
        before = accuracy.inner_text()
        assert before.startswith("Accuracy in 2014-18: 0.")
        tab.screenshot(path=str(artifacts_dir / "shift-explorer-1-2014-18.png"))

        explorer.locator("select").first.select_option("1990-99")
        try:
            # The HTML widget replaces its content, so look the paragraph up afresh each time.
            tab.wait_for_function(
                """(old) => {
                  const p = document.querySelector('.shift-explorer .shift-accuracy');
                  return p && p.innerText !== old && p.innerText.includes('1990-99');
                }""",
                arg=before, timeout=30_000,
            )
        except Exception:
            tab.screenshot(path=str(artifacts_dir / "shift-explorer-failed.png"))
            raise
        after = accuracy.inner_text()
        assert after.startswith("Accuracy in 1990-99: 0.") and after != before
        assert explorer.locator(".shift-verdict").count() == 3
        explorer.scroll_into_view_if_needed()
        tab.screenshot(path=str(artifacts_dir / "shift-explorer-2-1990-99.png"))
    finally:
        tab.close()
        shutil.rmtree(folder, ignore_errors=True)
