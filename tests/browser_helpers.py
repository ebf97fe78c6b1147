"""Shared steps of the real-browser tests: open a copy of a lesson in JupyterLab.

The lesson is copied under test-artifacts/ so JupyterLab never saves into
lessons/; the page waits for JupyterLab's app object (exposed by the
``jupyterlab`` fixture's flags) and opens the notebook with a ready kernel.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

JS_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  return true;
}"""


def open_lesson_copy(chromium, jupyterlab, artifacts_dir: Path, lesson: Path, *, workspace: str,
                     viewport: dict):
    """(page, folder): a copy of ``lesson`` open in JupyterLab; the caller closes the page
    and may remove the folder."""
    base, token = jupyterlab
    folder = artifacts_dir / f"{workspace}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    shutil.copy(lesson, folder / lesson.name)
    relative = (folder / lesson.name).relative_to(ROOT).as_posix()
    tab = chromium.new_page(viewport=viewport)
    try:
        tab.goto(f"{base}/lab/workspaces/{workspace}?reset&token={token}")
        tab.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
        tab.evaluate("() => window.jupyterapp.restored")
        tab.evaluate(JS_OPEN, relative)
    except Exception:
        tab.close()
        raise
    return tab, folder
