"""The card editor inside a real Jupyter kernel (nbclient): display, comms, draft after restart."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

USES = "Learners practise writing a card for a small classifier of survey answers from 1974-1989."
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def run(folder, *sources: str) -> nbformat.NotebookNode:
    """Execute the cells in a fresh kernel started in ``folder`` (as Jupyter does)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}, store_widget_state=True)
    client.execute()
    return notebook


def stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.slow
def test_editor_displays_in_a_kernel_and_its_draft_survives_a_restart(tmp_path):
    first = run(
        tmp_path,
        "from modelshare.widgets.editor import ModelCardEditor\n"
        "editor = ModelCardEditor('kernel-card')\neditor",
        f"editor.section_widgets['uses'].value = {USES!r}\n"
        "print(editor.score, editor.session.draft_path.relative_to(__import__('os').getcwd()))",
    )
    outputs = first.cells[0].outputs
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs), outputs
    assert stdout(first.cells[1]).split()[1] == ".modelshare/drafts/kernel-card.md"
    state = json.dumps(first.metadata["widgets"][WIDGET_STATE]["state"])
    assert USES in state  # the kernel sent the new value to the front end through its comm
    draft = tmp_path / ".modelshare" / "drafts" / "kernel-card.md"
    assert USES in draft.read_text()

    second = run(  # a new kernel: nothing in memory, only the draft on disk
        tmp_path,
        "from modelshare.widgets.editor import ModelCardEditor\n"
        "editor = ModelCardEditor('kernel-card')\n"
        "print(editor.session.restored)\nprint(editor.section_widgets['uses'].value)",
    )
    restored, text = stdout(second.cells[0]).strip().split("\n", 1)
    assert restored == "True" and text == USES
