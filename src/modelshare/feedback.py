"""Instant feedback for exercises.

An exercise cell ends with a call such as::

    check_answer("risk-sorting", answer, expected={"privacy", "consent"},
                 hint="Which risks are about people, not the model?")

A learner sees a friendly verdict at once. The untouched placeholder
(``answer = ...``) counts as "not answered yet" and never raises, so an
exercise notebook runs from top to bottom. When the test suite runs the
*solutions* (``MODELSHARE_STRICT=1``, set by ``make test``), a wrong or missing
answer raises, so a broken solution fails the build.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

STRICT_ENV = "MODELSHARE_STRICT"


class AnswerError(AssertionError):
    """Raised in strict mode when a solution's answer is wrong."""


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer."""

    exercise: str
    status: str  # "right", "not yet", "not answered"
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        icon = {"right": "✅ Right", "not yet": "❌ Not yet", "not answered": "✏️  Not answered yet"}[
            self.status
        ]
        return f"{icon} [{self.exercise}] {self.message}".rstrip()


def strict() -> bool:
    """True when the test suite runs the solutions."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0", "false", "False")


def is_placeholder(value: Any) -> bool:
    """The generated exercise leaves ``...`` where the learner's answer goes."""
    return value is Ellipsis


def report(verdict: Verdict) -> Verdict:
    """Print the verdict; in strict mode raise unless it is right."""
    print(verdict)
    if strict() and not verdict.right:
        raise AnswerError(str(verdict))
    return verdict


def fingerprint(answer: Any) -> str:
    """A short hash of an answer, so an exercise can check it without showing it.

    Text is compared without case and surrounding spaces; a set, list or tuple
    without order. Write the fingerprint of the right answer into the exercise
    (``fingerprint({"c", "e", "g"})``) and pass it as ``check_answer(...,
    fingerprint=...)``.

    >>> fingerprint(" Local ") == fingerprint("local")
    True
    """
    if isinstance(answer, (set, frozenset, list, tuple)):
        text = "|".join(sorted(str(item).strip().lower() for item in answer))
    else:
        text = str(answer).strip().lower()
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def check_answer(
    exercise: str,
    answer: Any,
    expected: Any = None,
    *,
    test: Callable[[Any], bool | str] | None = None,
    fingerprint: str | None = None,
    hint: str = "",
    explain: str = "",
) -> None:
    """Print a verdict on a learner's answer (and raise on a wrong one in strict mode).

    ``test`` may return True/False, or a string that explains what is wrong;
    ``fingerprint`` (see :func:`fingerprint`) checks without showing the answer.
    ``explain`` is shown when the answer is right, ``hint`` when it is not.

    >>> check_answer("demo", 4, expected=4, explain="2 + 2 is 4.")
    ✅ Right [demo] 2 + 2 is 4.
    """
    if fingerprint is not None:
        wanted = fingerprint
        test = test or (lambda value: _fingerprint(value) == wanted)
    report(judge(exercise, answer, expected, test=test, hint=hint, explain=explain))


def judge(
    exercise: str,
    answer: Any,
    expected: Any = None,
    *,
    test: Callable[[Any], bool | str] | None = None,
    hint: str = "",
    explain: str = "",
) -> Verdict:
    """The verdict on an answer, without printing: what ``check_answer`` shows."""
    if is_placeholder(answer):
        return Verdict(
            exercise, "not answered", "Replace the `...` with your answer, then run the cell again."
        )
    try:
        if test is not None:
            outcome = test(answer)
        else:
            outcome = _same(answer, expected)
    except Exception as error:  # a learner's odd value must give a message, not a traceback
        outcome = f"your answer could not be checked ({type(error).__name__}: {error})."
    if outcome is True:
        return Verdict(exercise, "right", explain)
    reason = outcome if isinstance(outcome, str) else ""
    message = " ".join(part for part in (reason, f"Hint: {hint}" if hint else "") if part)
    return Verdict(exercise, "not yet", message or "Have another look.")


def _same(answer: Any, expected: Any) -> bool | str:
    if isinstance(expected, set):
        try:
            got = set(answer)
        except TypeError:
            return "expected a collection of choices (a set or list)."
        missing, extra = expected - got, got - expected
        if not missing and not extra:
            return True
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing")
        if extra:
            parts.append(f"{len(extra)} that should not be there: {sorted(map(str, extra))}")
        return "You have " + " and ".join(parts) + "."
    if isinstance(expected, str) and isinstance(answer, str):
        return answer.strip().lower() == expected.strip().lower() or False
    if isinstance(expected, float):
        try:
            return abs(float(answer) - expected) <= 1e-6 * max(1.0, abs(expected)) or (
                f"{answer} is not {expected}."
            )
        except (TypeError, ValueError):
            return f"expected a number, got {type(answer).__name__}."
    if answer == expected:
        return True
    numbers = (int, float)
    if not (isinstance(answer, numbers) and isinstance(expected, numbers)) and type(answer) is not type(
        expected
    ):
        return f"expected a {type(expected).__name__}, got a {type(answer).__name__} ({answer!r})."
    return False


_fingerprint = fingerprint  # check_answer's keyword of the same name hides the function
