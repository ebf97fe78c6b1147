"""The course map: one place for lesson titles, honest timings and the workshop schedule.

Lesson 00, index.ipynb, the README, the instructor guide and the tests all read
from here: the tests compare these minutes with the header of every lesson
notebook, and check that the schedule in the guide adds up to the map.

    >>> from modelshare import course
    >>> course.lesson("00").minutes
    15
    >>> print(course.table().splitlines()[2])
    | 00 | Set up and find your way | 10 min | 5 min |

How the teaching minutes are estimated (see :func:`estimate`; run
``python -m modelshare.course lessons/02_risks.ipynb`` for one lesson, cell by
cell): the text is read and explained at about 130 words a minute, each line of
code is typed or read through in about 10 seconds, each code cell takes another
30 seconds to run and look at, and each challenge takes the minutes it states.
Parts headed "Optional / read at home" are not counted: a workshop skips them.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    title: str
    teaching: int  # minutes
    exercises: int  # minutes

    @property
    def filename(self) -> str:
        return f"{self.number}_{self.slug}.ipynb"

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises


LESSONS: tuple[Lesson, ...] = (
    Lesson("00", "setup", "Set up and find your way", 10, 5),
    Lesson("01", "why_share", "Why share trained models?", 20, 12),
    Lesson("02", "risks", "What can go wrong when models are shared", 35, 15),
    Lesson("03", "what_to_document", "What to document", 20, 15),
    Lesson("04", "model_cards", "Writing model cards", 30, 24),
    Lesson("05", "release", "Releasing a model on the Hub", 35, 15),
    Lesson("06", "finding_and_reusing", "Finding and reusing a model", 25, 10),
    Lesson("07", "distribution_shift", "Distribution shift: see it and detect it", 28, 10),
    Lesson("08", "shift_remedies", "Distribution shift: address it and document it", 25, 12),
    Lesson("09", "capstone", "Capstone: release and review", 5, 30),
)


def lesson(number: str) -> Lesson:
    """The lesson with this number, e.g. ``lesson("04")``."""
    for item in LESSONS:
        if item.number == number:
            return item
    raise KeyError(f"No lesson {number!r}; the course has {', '.join(x.number for x in LESSONS)}.")


def total_minutes() -> int:
    return sum(item.minutes for item in LESSONS)


def table(links: bool = False) -> str:
    """The course map as a Markdown table; ``links=True`` links each lesson's three notebooks
    (paths relative to the repository root)."""
    if links:
        rows = ["| # | lesson | teaching | exercises | practise | answers |",
                "| --- | --- | --- | --- | --- | --- |"]
        rows += [
            f"| {x.number} | [{x.title}](lessons/{x.filename}) | {x.teaching} min | "
            f"{x.exercises} min | [exercises](exercises/{x.filename}) | "
            f"[solutions](solutions/{x.filename}) |"
            for x in LESSONS
        ]
        return "\n".join(rows)
    rows = ["| # | lesson | teaching | exercises |", "| --- | --- | --- | --- |"]
    rows += [
        f"| {x.number} | {x.title} | {x.teaching} min | {x.exercises} min |" for x in LESSONS
    ]
    teaching = sum(x.teaching for x in LESSONS)
    exercises = sum(x.exercises for x in LESSONS)
    rows.append(f"| | **total: {_hours(total_minutes())}** | {teaching} min | {exercises} min |")
    return "\n".join(rows)


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


# -- the workshop schedule ---------------------------------------------------------
DAY_MINUTES = 210  # one half-day: 3.5 hours, breaks included


@dataclass(frozen=True)
class Break:
    minutes: int


# Two half-days. Every lesson of LESSONS appears exactly once (a test checks it).
# A new lesson (06, 08) goes into day 2 in course order; the test fails if a day
# then runs past DAY_MINUTES, which is the signal to re-plan, not to squeeze.
DAYS: tuple[tuple[str | Break, ...], ...] = (
    ("00", "01", "02", Break(15), "03", "04"),
    ("05", "06", Break(15), "07", "08", "09"),
)


@dataclass(frozen=True)
class Slot:
    day: int
    start: int  # minutes after the start of the day
    minutes: int
    what: str

    @property
    def end(self) -> int:
        return self.start + self.minutes


def schedule() -> list[Slot]:
    """Every lesson and break of :data:`DAYS` with its start time, day by day."""
    slots = []
    for day, blocks in enumerate(DAYS, start=1):
        clock = 0
        for block in blocks:
            if isinstance(block, Break):
                slots.append(Slot(day, clock, block.minutes, "break"))
            else:
                item = lesson(block)
                what = (f"{item.number} {item.title} ({item.teaching} min teaching, "
                        f"{item.exercises} min exercises)")
                slots.append(Slot(day, clock, item.minutes, what))
            clock = slots[-1].end
    return slots


def day_minutes(day: int) -> int:
    """Minutes day ``day`` (1 or 2) takes, breaks included."""
    return sum(slot.minutes for slot in schedule() if slot.day == day)


def schedule_table() -> str:
    """The two half-days as a Markdown table (the instructor guide shows it)."""
    rows = ["| day | from | to | what |", "| --- | --- | --- | --- |"]
    for slot in schedule():
        rows.append(f"| {slot.day} | {_clock(slot.start)} | {_clock(slot.end)} | {slot.what} |")
    for day in range(1, len(DAYS) + 1):
        used = day_minutes(day)
        rows.append(f"| {day} | | | **day {day}: {_clock(used)} of {_clock(DAY_MINUTES)}**, "
                    f"{DAY_MINUTES - used} min to spare |")
    return "\n".join(rows)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


# -- how long a lesson takes to teach ------------------------------------------------
WORDS_PER_MINUTE = 130  # reading and explaining the text
SECONDS_PER_LINE = 10  # typing (live coding) or reading through one line of code
SECONDS_PER_CELL = 30  # running a cell and looking at what it printed
OPTIONAL = re.compile(r"^## Optional / read at home", re.M)
_HEADING2 = re.compile(r"^## ", re.M)
_CHALLENGE = re.compile(r"Challenge[^\n]*?\((?:[^)\n]*?, )?(\d+) min")
_DETAILS = re.compile(r"<details>.*?</details>", re.S)


@dataclass(frozen=True)
class CellEstimate:
    index: int
    kind: str  # "markdown", "code" or "challenge"
    minutes: float
    optional: bool


@dataclass(frozen=True)
class Estimate:
    """Minutes to teach one lesson, by kind of work; optional parts are kept apart."""

    cells: tuple[CellEstimate, ...]

    def _sum(self, kind: str | None = None, optional: bool = False) -> float:
        return sum(c.minutes for c in self.cells
                   if c.optional == optional and (kind is None or c.kind == kind))

    @property
    def reading(self) -> float:
        return self._sum("markdown")

    @property
    def coding(self) -> float:
        return self._sum("code")

    @property
    def challenges(self) -> float:
        return self._sum("challenge")

    @property
    def total(self) -> float:
        """The workshop part: reading + coding + challenges, optional parts excluded."""
        return self._sum()

    @property
    def optional(self) -> float:
        """Minutes of the "Optional / read at home" parts (not in ``total``)."""
        return self._sum(optional=True)

    def __str__(self) -> str:
        return (f"{self.total:.0f} min (reading {self.reading:.0f}, code {self.coding:.0f}, "
                f"challenges {self.challenges:.0f}); optional parts {self.optional:.0f} min more")


def code_lines(source: str) -> list[str]:
    """The lines of a code cell that count: not blank, not an nbval marker."""
    return [line for line in source.splitlines()
            if line.strip() and not line.lstrip().startswith("# NBVAL_")]


def estimate(path: Path | str) -> Estimate:
    """Estimate the teaching minutes of a lesson notebook, cell by cell.

    Answers inside ``<details>`` blocks are not counted as reading: they are
    discussed within the challenge's own minutes.
    """
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    cells, optional = [], False
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            for heading in _HEADING2.finditer(source):  # the last level-2 heading decides
                optional = bool(OPTIONAL.match(source, heading.start()))
            challenge = sum(int(m) for m in _CHALLENGE.findall(source))
            words = len(_DETAILS.sub("", source).split())
            cells.append(CellEstimate(index, "markdown", words / WORDS_PER_MINUTE, optional))
            if challenge:
                cells.append(CellEstimate(index, "challenge", challenge, optional))
        elif cell["cell_type"] == "code" and source.strip():
            seconds = SECONDS_PER_CELL + SECONDS_PER_LINE * len(code_lines(source))
            cells.append(CellEstimate(index, "code", seconds / 60, optional))
    return Estimate(tuple(cells))


def estimate_table(lessons_dir: Path | str = "lessons") -> str:
    """Estimated minutes of every lesson in the map, as a Markdown table (the instructor guide)."""
    rows = ["| lesson | reading | code | challenges | teaching | optional parts |",
            "| --- | --- | --- | --- | --- | --- |"]
    for item in LESSONS:
        found = estimate(Path(lessons_dir) / item.filename)
        rows.append(f"| {item.number} | {found.reading:.0f} | {found.coding:.0f} | "
                    f"{found.challenges:.0f} | {found.total:.0f} (header: {item.teaching}) | "
                    f"{found.optional:.0f} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    """``python -m modelshare.course [NOTEBOOK ...]``: estimated minutes, cell by cell."""
    if not argv:
        print(table())
        print()
        print(schedule_table())
        return 0
    for name in argv:
        result = estimate(name)
        print(f"{name}: {result}")
        for cell in result.cells:
            flag = "  (optional)" if cell.optional else ""
            print(f"  cell {cell.index:>3}  {cell.kind:<9} {cell.minutes:5.1f} min{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
