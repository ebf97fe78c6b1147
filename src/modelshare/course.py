"""The course map: one place for lesson titles and honest timings.

Lesson 00, the README, the instructor guide and a test (which compares these
minutes with the header of every lesson notebook) all read from here.

    >>> from modelshare import course
    >>> course.total_minutes()  # doctest: +SKIP
    335
"""

from __future__ import annotations

from dataclasses import dataclass


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
    Lesson("01", "why_share", "Why share trained models?", 25, 10),
    Lesson("02", "risks", "What can go wrong when models are shared", 40, 15),
    Lesson("03", "what_to_document", "What to document", 25, 15),
    Lesson("04", "model_cards", "Writing model cards", 40, 20),
    Lesson("05", "release", "Releasing a model on the Hub", 45, 20),
    Lesson("07", "distribution_shift", "Distribution shift: see it and detect it", 30, 10),
    Lesson("08", "shift_remedies", "Distribution shift: address it and document it", 25, 10),
    Lesson("09", "capstone", "Capstone: release and review", 10, 50),
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
