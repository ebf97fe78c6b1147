"""The notebook rules of DESIGN.md, enforced.

- lessons are NN_topic.ipynb and match the course map (modelshare.course);
- a lesson opens with title, questions, objectives, teaching and exercise
  minutes and prerequisites, and ends with key points;
- every solution matches a lesson; every code cell of a lesson or solution
  was executed (nbval does not compare a cell whose execution_count is null);
- notebooks name the python3 kernel;
- code cells are short (<= 15 lines) unless marked, with a reason, as an exception;
- the minutes in the course map are honest: not below the estimate of
  ``course.estimate`` (reading, code, challenges), not padded far above it;
- "Optional / read at home" parts come after the core of a lesson, so a
  workshop can skip them without breaking a later cell;
- the two half-days of the schedule hold every lesson once and fit 3.5 hours;
- every plot uses the colour-blind-safe petroff10 style and is described in words
  right after it; every Markdown image has alt text;
- a measured number the text states (0.752, 0.717...) is shown by a cell output.
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


def test_instructor_guide_has_the_current_schedule():
    guide = (ROOT / "instructors" / "README.md").read_text()
    assert course.schedule_table() in guide, (
        "instructors/README.md: paste the current schedule, "
        "`python -c 'from modelshare import course; print(course.schedule_table())'`"
    )


ESTIMATE_ROW = re.compile(r"^\| (\d\d) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \(header: (\d+)\) \| (\d+) \|$", re.M)


def test_instructor_guide_has_the_current_estimates():
    """The guide's estimate table is regenerated when lessons change; small edits (within 2
    minutes) need not touch it, a real change must."""
    guide = (ROOT / "instructors" / "README.md").read_text()
    shown = {match[0]: [int(n) for n in match[1:]] for match in ESTIMATE_ROW.findall(guide)}
    fix = ("instructors/README.md: paste the current estimates, `python -c 'from modelshare "
           "import course; print(course.estimate_table())'` (from the repository root)")
    assert set(shown) == {lesson.number for lesson in course.LESSONS}, fix
    for lesson in course.LESSONS:
        found = course.estimate(ROOT / "lessons" / lesson.filename)
        now = [found.reading, found.coding, found.challenges, found.total, lesson.teaching,
               found.optional]
        assert shown[lesson.number][4] == lesson.teaching, fix  # the header minutes: exact
        assert all(abs(a - b) <= 2 for a, b in zip(shown[lesson.number], now, strict=True)), (
            f"{fix} (lesson {lesson.number} changed by more than 2 minutes)")


# -- the schedule adds up to the map --------------------------------------------------
def scheduled_lessons() -> list[str]:
    return [block for day in course.DAYS for block in day if isinstance(block, str)]


def test_schedule_holds_every_lesson_once_in_course_order():
    assert scheduled_lessons() == [lesson.number for lesson in course.LESSONS]


def test_schedule_adds_up_to_the_map():
    lessons = sum(slot.minutes for slot in course.schedule() if slot.what != "break")
    assert lessons == course.total_minutes()
    days = sum(course.day_minutes(day) for day in range(1, len(course.DAYS) + 1))
    breaks = sum(block.minutes for day in course.DAYS for block in day
                 if isinstance(block, course.Break))
    assert days == course.total_minutes() + breaks


@pytest.mark.parametrize("day", range(1, len(course.DAYS) + 1))
def test_each_day_fits_a_half_day(day):
    assert course.day_minutes(day) <= course.DAY_MINUTES, (
        f"day {day} takes {course.day_minutes(day)} min, more than {course.DAY_MINUTES}: "
        "re-plan course.DAYS, or move content to 'Optional / read at home' parts"
    )


def test_each_day_has_a_break():
    assert all(any(isinstance(block, course.Break) for block in day) for day in course.DAYS)


def test_an_overfull_day_is_caught(monkeypatch):
    monkeypatch.setattr(course, "DAYS", (("00", "01", "02", "03", "04", "05", "07", "09"),))
    assert course.day_minutes(1) > course.DAY_MINUTES


# -- short cells ------------------------------------------------------------------------
MAX_CELL_LINES = 15
LONG_CELL = re.compile(r"^# long-cell: (?P<reason>.+)$", re.M)


def long_cells(notebook: nbformat.NotebookNode) -> list[str]:
    """Code cells over MAX_CELL_LINES counted lines with no `# long-cell: reason` marker."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        lines = [line for line in course.code_lines(cell.source) if not LONG_CELL.match(line)]
        marker = LONG_CELL.search(cell.source)
        if marker and len(marker["reason"].split()) < 4:
            problems.append(f"cell {index}: '# long-cell:' needs a reason of a few words")
        elif len(lines) > MAX_CELL_LINES and not marker:
            problems.append(f"cell {index}: {len(lines)} lines (at most {MAX_CELL_LINES})")
    return problems


@pytest.mark.parametrize("path", [ROOT / "index.ipynb", *LESSONS, *SOLUTIONS],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_code_cells_are_short(path):
    name = str(path.relative_to(ROOT))
    problems = long_cells(nbformat.read(path, as_version=4))
    assert not problems, (
        f"{name}: " + "; ".join(problems) + ". Split the cell, move a loop into a small "
        "modelshare helper the learner can open, or mark a real exception with "
        "'# long-cell: <why it must stay long>' on its own line"
    )


def test_a_long_cell_is_caught_and_a_marker_needs_a_reason():
    long = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(["x = 1"] * 16))])
    assert long_cells(long) == ["cell 0: 16 lines (at most 15)"]
    long.cells[0].source = "# long-cell: one table the learner reads as a whole\n" + long.cells[0].source
    assert long_cells(long) == []
    long.cells[0].source = long.cells[0].source.replace("one table the learner reads as a whole", "ok")
    assert long_cells(long) == ["cell 0: '# long-cell:' needs a reason of a few words"]


# -- honest timings -----------------------------------------------------------------------
# A lesson's stated teaching minutes may not be below course.estimate(), and may be
# above it by at most PADDING (discussion, questions).
PADDING = 6


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_teaching_minutes_are_honest(path):
    number = path.name[:2]
    stated = course.lesson(number).teaching
    estimate = course.estimate(path)
    assert round(estimate.total) <= stated, (
        f"{path.name}: the header says {stated} min of teaching, but the lesson takes about "
        f"{estimate}. Trim it, move parts under '## Optional / read at home: ...', or change "
        "the minutes in modelshare/course.py (and the day plan). Per cell: "
        f"python -m modelshare.course lessons/{path.name}"
    )
    assert stated <= estimate.total + PADDING, (
        f"{path.name}: {stated} min stated, but the lesson takes about {estimate}: "
        "the header promises more time than the lesson needs"
    )


def test_the_estimate_counts_code_text_challenges_and_skips_optional_parts():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 · T\n\n" + "word " * 128),
        nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\n" + "x = 1\n\n" * 3),
        nbformat.v4.new_markdown_cell("> ### Challenge (4 min): why?\n<details>" + "answer " * 500
                                      + "</details>"),
        nbformat.v4.new_markdown_cell("## Optional / read at home: more\n" + "word " * 1300),
        nbformat.v4.new_code_cell("y = 2"),
        nbformat.v4.new_markdown_cell("## Key points\n- one"),
    ])
    path = ROOT / "test-artifacts" / "estimate.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, path)
    estimate = course.estimate(path)
    assert estimate.reading == pytest.approx((132 + 6 + 5) / 130)  # the answer in details: not counted
    assert estimate.coding == pytest.approx(1.0)  # 30 s + 3 lines of 10 s
    assert estimate.challenges == 4
    assert estimate.optional == pytest.approx(1307 / 130 + 40 / 60)


# -- optional parts -------------------------------------------------------------------------
def optional_problems(notebook: nbformat.NotebookNode) -> list[str]:
    headings = [line for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    problems = [f"'{h}': write optional parts as '## Optional / read at home: <topic>'"
                for h in headings if "optional" in h.lower() and not course.OPTIONAL.match(h)]
    seen_optional = False
    for heading in headings:
        if course.OPTIONAL.match(heading):
            seen_optional = True
        elif seen_optional and heading != "## Key points":
            problems.append(f"'{heading}' comes after an optional part: optional parts go last, "
                            "so that skipping them never breaks a later cell")
    return problems


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_optional_parts_are_marked_and_come_last(path):
    problems = optional_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_a_core_part_after_an_optional_one_is_caught():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Optional / read at home: extra"),
        nbformat.v4.new_markdown_cell("## Core again"),
        nbformat.v4.new_markdown_cell("## optional stuff"),
        nbformat.v4.new_markdown_cell("## Key points"),
    ])
    assert len(optional_problems(notebook)) == 3


# -- plots and pictures ---------------------------------------------------------------------
PLOT_DESCRIPTION = "**What the plot shows:**"


def plot_problems(notebook: nbformat.NotebookNode) -> list[str]:
    problems, styled = [], False
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and 'plt.style.use("petroff10")' in cell.source:
            styled = True
        has_plot = cell.cell_type == "code" and any(
            "image/png" in output.get("data", {}) for output in cell.get("outputs", []))
        if not has_plot:
            continue
        if not styled:
            problems.append(f"cell {index}: plots before plt.style.use(\"petroff10\")")
        after = next((c for c in notebook.cells[index + 1:] if c.cell_type == "markdown"), None)
        if after is None or not after.source.startswith(PLOT_DESCRIPTION) \
                or len(after.source.split()) < 25:
            problems.append(f"cell {index}: the next Markdown cell must start with "
                            f"'{PLOT_DESCRIPTION}' and describe the plot in words")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            for alt, target in re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", cell.source):
                if len(alt.split()) < 5:
                    problems.append(f"cell {index}: the picture {target} needs alt text")
    return problems


@pytest.mark.parametrize("path", [ROOT / "index.ipynb", *LESSONS], ids=lambda p: p.name)
def test_plots_are_colour_blind_safe_and_described(path):
    problems = plot_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_pictures_in_lessons_exist(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", cell.source):
                assert (path.parent / target).exists(), f"{path.name}: {target} does not exist"


# -- numbers in the text come from outputs ----------------------------------------------------
MEASURED = re.compile(r"(?<![\d.])\d\.\d{2,4}(?![\d.])")  # 0.752, 0.804: measured, not typed


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts += [data.get("text/plain", ""), data.get("text/markdown", ""),
                      data.get("text/html", "")]
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def unbacked_numbers(notebook: nbformat.NotebookNode) -> list[str]:
    shown = outputs_text(notebook)
    stated = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"`[^`]*`", "", cell.source)  # code spans are code, not results
            stated |= set(MEASURED.findall(text))
    return sorted(number for number in stated if number not in shown)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_measured_numbers_in_the_text_are_shown_by_an_output(path):
    missing = unbacked_numbers(nbformat.read(path, as_version=4))
    assert not missing, (
        f"{path.name}: the text states {missing} but no cell output shows them; print them "
        "in a cell, so that nbval notices when they change"
    )


def test_an_unbacked_number_is_caught():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("accuracy 0.752 against a baseline of 0.717"),
        nbformat.v4.new_code_cell("print(0.752)"),
    ])
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="0.752\n")]
    assert unbacked_numbers(notebook) == ["0.717"]
