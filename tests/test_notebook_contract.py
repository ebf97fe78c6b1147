"""The notebook rules of DESIGN.md, enforced.

- lessons are NN_topic.ipynb and match the course map (modelshare.course);
- a lesson opens with title, questions, objectives, teaching and exercise
  minutes and prerequisites, and ends with key points;
- every solution matches a lesson; every code cell of a lesson or solution
  was executed (nbval does not compare a cell whose execution_count is null);
- notebooks name the python3 kernel.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from modelshare import course

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def header_problems(notebook: nbformat.NotebookNode, number: str) -> list[str]:
    """What the lesson contract finds wrong with a lesson notebook (empty list = fine)."""
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    if not markdown:
        return ["the notebook has no Markdown cell"]
    first, last = markdown[0].source, markdown[-1].source
    problems = []
    if not re.match(rf"^# {number} · \S", first):
        problems.append(f"the first Markdown cell must start with the title '# {number} · ...'")
    for heading in ("## Questions", "## Objectives"):
        if heading not in first:
            problems.append(f"the first Markdown cell has no '{heading}'")
    if "**Prerequisites:**" not in first:
        problems.append("the first Markdown cell has no '**Prerequisites:**'")
    teaching = re.search(r"\*\*Teaching:\*\* (\d+) min", first)
    exercises = re.search(r"\*\*Exercises:\*\* (\d+) min", first)
    if not (teaching and exercises):
        problems.append("the first Markdown cell needs '**Teaching:** N min' and '**Exercises:** N min'")
    else:
        try:
            planned = course.lesson(number)
        except KeyError:
            problems.append(f"lesson {number} is not in modelshare.course.LESSONS")
        else:
            if (int(teaching.group(1)), int(exercises.group(1))) != (planned.teaching, planned.exercises):
                problems.append(
                    f"minutes {teaching.group(1)}/{exercises.group(1)} differ from the course map "
                    f"{planned.teaching}/{planned.exercises} (modelshare/course.py)"
                )
    if "## Key points" not in last:
        problems.append("the last Markdown cell must hold '## Key points'")
    return problems


def unexecuted_cells(notebook: nbformat.NotebookNode) -> list[int]:
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and cell.source.strip() and cell.execution_count is None
    ]


def test_there_is_a_first_lesson():
    assert (ROOT / "lessons" / "00_setup.ipynb").exists()


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_contract(path):
    match = NAME.match(path.name)
    assert match, f"{path.name}: lessons are named NN_topic.ipynb (lower case, underscores)"
    assert path.name == course.lesson(match.group(1)).filename, "name differs from the course map"
    problems = header_problems(nbformat.read(path, as_version=4), match.group(1))
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_each_solution_matches_a_lesson(path):
    assert NAME.match(path.name), f"{path.name}: solutions are named like their lesson"
    assert (ROOT / "lessons" / path.name).exists(), f"no lessons/{path.name} for solutions/{path.name}"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_with_outputs_and_python3_kernel(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    missing = unexecuted_cells(notebook)
    assert not missing, (
        f"{path.name}: code cells {missing} were never executed, so nbval would not compare them. "
        "Run `make execute` (tools/execute_notebooks.py) and commit the outputs."
    )


def test_deleting_key_points_breaks_the_contract():
    notebook = nbformat.read(ROOT / "lessons" / "00_setup.ipynb", as_version=4)
    assert header_problems(notebook, "00") == []
    last = [cell for cell in notebook.cells if cell.cell_type == "markdown"][-1]
    last.source = last.source.replace("## Key points", "## Summary")
    assert header_problems(notebook, "00") == ["the last Markdown cell must hold '## Key points'"]


def test_course_map_lists_unique_numbers():
    numbers = [lesson.number for lesson in course.LESSONS]
    assert numbers == sorted(set(numbers))


def test_readme_lesson_map_matches_the_course_map():
    readme = (ROOT / "README.md").read_text()
    assert course.table() in readme, (
        "README's lesson map is out of date: paste the output of "
        "`python -c 'from modelshare import course; print(course.table())'`"
    )


def test_readme_shows_the_two_commands_first():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert "make lab" in first_block and "make test" in first_block


def test_instructor_guide_has_the_current_timings():
    guide = (ROOT / "instructors" / "README.md").read_text()
    assert course.table() in guide, "instructors/README.md: paste the current course.table()"


def test_every_lesson_in_the_course_map_exists_with_solution_and_exercise():
    for lesson in course.LESSONS:
        for folder in ("lessons", "solutions", "exercises"):
            assert (ROOT / folder / lesson.filename).exists(), f"{folder}/{lesson.filename} is missing"
