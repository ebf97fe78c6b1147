"""Self-assessment in a real JupyterLab, driven through Debian chromium (Playwright).

A learner runs a self-assessed exercise cell, sees their text beside the rubric
with nothing revealed, ticks two points, presses the button and sees the model
answer with a summary of their ticks. The notebook is a small copy under
test-artifacts/ (the exercise's own cell, with a learner's text in place of the
`...`); screenshots land there too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from browser_helpers import open_lesson_copy

from modelshare.feedback import MODEL_ANSWERS

ROOT = Path(__file__).resolve().parents[1]
LEARNER_TEXT = ("People answered anonymously and never agreed to this model. It misses about nine "
                "in ten high-earning women. Do not use it to screen job or loan applicants.")
RUBRIC = ["says what the people in the data agreed to, and what they did not",
          "protects them: no attempt to re-identify anyone",
          "names the group the model fails, with a number",
          "says plainly which decisions it must not be used for"]

@pytest.mark.browser
@pytest.mark.slow
def test_self_assessment_reveals_the_model_answer_after_ticking(jupyterlab, chromium,
                                                                artifacts_dir):
    model_answer = json.loads(MODEL_ANSWERS.read_text())["03-ethics"]
    source = artifacts_dir / "self-assess.ipynb"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "import os\n\nos.environ.pop('MODELSHARE_STRICT', None)  # a learner, not the test suite\n"
        "from modelshare.feedback import self_assess\n\n"
        f"ethics = {LEARNER_TEXT!r}\nself_assess('03-ethics', ethics, rubric={RUBRIC!r})")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, source)
    tab, folder = open_lesson_copy(chromium, jupyterlab, artifacts_dir, source,
                                   workspace="self-assess", viewport={"width": 1300, "height": 900})
    try:
        tab.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        checks = tab.locator(".widget-checkbox input[type=checkbox]")
        checks.last.wait_for(timeout=120_000)  # the widget appears once the cell has run
        assert checks.count() == 4
        page = tab.locator(".jp-OutputArea").first
        assert "📝 Self-check [03-ethics]" in page.inner_text()
        assert "nine in ten high-earning women" in page.inner_text()
        assert model_answer[:40] not in page.inner_text()  # nothing revealed before submitting
        for label in RUBRIC:
            assert tab.get_by_label(label).count() == 1  # each box is labelled for screen readers
        tab.screenshot(path=str(artifacts_dir / "self-assess-1-before.png"))

        tab.get_by_label(RUBRIC[2]).check()
        tab.get_by_label(RUBRIC[3]).check()
        tab.get_by_role("button", name="Show the model answer").click()
        tab.wait_for_function(
            "(start) => document.body.innerText.includes(start)", arg=model_answer[:40],
            timeout=30_000)
        text = page.inner_text()
        assert "You ticked 2 of 4" in text
        assert "Model answer" in text
        tab.screenshot(path=str(artifacts_dir / "self-assess-2-revealed.png"))
    finally:
        tab.close()
        shutil.rmtree(folder, ignore_errors=True)
        source.unlink(missing_ok=True)
