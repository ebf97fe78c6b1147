"""The whole course, walked in order as a new learner would.

One fresh local hub for the journey (a learner keeps the same hub from lesson
to lesson); each notebook in a fresh kernel started in its own folder, the
learner's environment (not the strict mode of the test suite), nothing but
loopback. For every lesson NN: the lesson, then its exercise notebook with
the placeholders untouched. Every cell must run without an error, and every
exercise must answer the untouched placeholders with feedback, not a crash.

nbval (in `make test`) checks each notebook's outputs; this test checks the
order and the hand-over between notebooks that nbval does not see.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from hubplugin import seed
from nbclient import NotebookClient

from modelshare import course
from modelshare.env import course_environment
from modelshare.hub.server import running

ROOT = Path(__file__).resolve().parents[1]

JOURNEY = [ROOT / "index.ipynb"] + [
    ROOT / folder / lesson.filename for lesson in course.LESSONS for folder in ("lessons", "exercises")
]


def errors_in(notebook: nbformat.NotebookNode) -> list[str]:
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return found


def printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "")
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", []) if output.get("output_type") == "stream"
    )


@pytest.mark.slow
def test_a_new_learner_walks_the_whole_course(tmp_path, monkeypatch):
    assert all(path.exists() for path in JOURNEY), "a notebook of the course map is missing"
    monkeypatch.delenv("MODELSHARE_STRICT", raising=False)  # a learner, not the test suite
    with running(tmp_path / "hub") as hub:
        seed(hub)  # as `make lab` and Binder do: lesson 06 browses the community
        for key, value in hub.env().items():
            monkeypatch.setenv(key, value)
        for key, value in course_environment().items():
            monkeypatch.setenv(key, value)
        for path in JOURNEY:
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(
                notebook, timeout=300, kernel_name="python3", allow_errors=True,
                resources={"metadata": {"path": str(path.parent)}},
            )
            client.execute()
            where = path.relative_to(ROOT)
            assert not errors_in(notebook), f"{where}: {errors_in(notebook)}"
            if path.parent == ROOT / "exercises":  # not .name: a clone may itself be called "exercises"
                text = printed(notebook)
                assert "Not answered yet" in text or "Not yet" in text, (
                    f"{where}: the untouched exercise gave no feedback"
                )
                assert "Right [" not in text, f"{where}: an untouched placeholder was judged right"
