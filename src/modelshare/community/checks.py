"""Feedback for lesson 06's exercises, on top of :mod:`modelshare.feedback`.

Two answers need a message that ``feedback`` does not give (yet) for them:

- a model id given as the whole record ``list_models`` returns (a ``ModelInfo``)
  rather than its ``.id``: :func:`check_choice` says "put its ``.id``";
- a measured accuracy: :func:`accuracy_test` accepts any value within an absolute
  tolerance of the right one (checked through its fingerprint, so the notebook never
  shows it), and answers a percentage, or the card's own number, with a specific hint.

    >>> from modelshare.feedback import fingerprint, judge
    >>> right = fingerprint(0.7431, exercise="demo", digits=3)
    >>> test = accuracy_test("demo", right, claimed=0.98)
    >>> print(judge("demo", 0.747, test=test))   # what check_answer(..., test=test) prints
    ✅ Right [demo]
    >>> print(judge("demo", 74.3, test=test))
    ❌ Not yet [demo] give the accuracy as a fraction between 0 and 1 (0.8, not 80).
    >>> print(judge("demo", 0.98, test=test))  # doctest: +ELLIPSIS
    ❌ Not yet [demo] that is the card's own number: ...
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any

from modelshare import feedback


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real) or getattr(getattr(value, "dtype", None), "kind", "") in ("i", "u", "f"):
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    return None


def accuracy_test(exercise: str, fingerprint: str, claimed: float,
                  tolerance: float = 0.005) -> Callable[[Any], bool | str]:
    """A ``test`` for :func:`~modelshare.feedback.check_answer`: True for an accuracy
    within ``tolerance`` of the right one, given as its fingerprint to 3 decimals
    (``feedback.fingerprint(right, exercise=exercise, digits=3)``).

    The fingerprint hides the value, so the test tries every value on the 0.001 grid
    within the tolerance. Before that, a number above 1 or below 0, and the card's
    ``claimed`` number, get their own message."""
    steps = round(tolerance * 1000)

    def test(value: Any) -> bool | str:
        number = _number(value)
        if number is None:
            return f"expected a number, got a {type(value).__name__} ({value!r})."
        if 1 < number <= 100:
            return "give the accuracy as a fraction between 0 and 1 (0.8, not 80)."
        if not 0 <= number <= 1:
            return "an accuracy is a fraction between 0 and 1."
        if abs(number - claimed) < 0.0005:
            return ("that is the card's own number: measure the model yourself, on the "
                    "held-out answers you rebuilt.")
        grid = round(number, 3)
        return any(feedback.fingerprint(round(grid + k / 1000, 3), exercise=exercise, digits=3)
                   == fingerprint for k in range(-steps, steps + 1))

    return test


def check_choice(exercise: str, answer: Any, options: Iterable[Any], fingerprint: str, *,
                 hint: str = "", explain: str = "") -> None:
    """:func:`~modelshare.feedback.check_choice` for a model id, which first tells a
    learner who gave the whole ``ModelInfo`` (or any record with an ``id``) to put its
    ``.id``."""
    if not isinstance(answer, str) and hasattr(answer, "id") and not feedback.is_placeholder(answer):
        feedback.report(feedback.Verdict(
            exercise, "not yet", f"that is a whole {type(answer).__name__}, the record of the "
            f"model {answer.id!r}: put its `.id` (the name, a text)."))
        return
    feedback.check_choice(exercise, answer, options, fingerprint, hint=hint, explain=explain)
