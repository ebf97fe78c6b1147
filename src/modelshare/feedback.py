"""Instant, trustworthy feedback for exercises.

Only answers that can be checked objectively get ✅ Right / ❌ Not yet. Open
writing gets a rubric to tick and, once the learner asks, the model answer:
never a verdict decided by keywords.

=====================  =====================================================================
call                   use it for
=====================  =====================================================================
``check_answer``       a number, a value or the result of code (``expected=``, ``test=``, or a
                       hidden ``fingerprint=``)
``check_choice``       one option from a list, or one option per key (a matching); case,
                       hyphen and spacing variants are accepted, anything else is "not one of
                       the options"
``check_statements``   "pick the true statements": a set of letters, answered with counts
``self_assess``        open writing: the learner's text beside a 3-5 point rubric, then the
                       model answer (widgets in JupyterLab, plain text elsewhere)
``fingerprint``        hide an expected answer so that the exercise does not show it
=====================  =====================================================================

An exercise cell ends with one call, after the region the learner fills in::

    check_choice("05-cause", cause, options=["a", "b", "c"], fingerprint="9d4bc6e481ca",
                 hint="the last commit's title says what changed.")

The untouched placeholder (``cause = ...``) counts as "not answered yet" and never
raises, so an exercise notebook runs from top to bottom. When the test suite runs
the *solutions* (``MODELSHARE_STRICT=1``, set by ``make test``), anything but a
right answer raises :class:`AnswerError`, so a broken solution fails the build.

Fingerprints are made once, by the author, in a scratch cell::

    >>> fingerprint("b", exercise="05-cause")
    '9d4bc6e481ca'
    >>> fingerprint({"A": True, "B": False}, exercise="demo")  # matchings, statements: per key
    {'A': 'dcf0a96bbf66', 'B': 'b0896268969b'}
"""

from __future__ import annotations

import hashlib
import html
import json
import numbers
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "AnswerError", "Verdict", "canonical", "check_answer", "check_choice", "check_statements",
    "fingerprint", "judge", "judge_choice", "judge_statements", "model_answer", "self_assess",
    "self_check_widget", "strict",
]

STRICT_ENV = "MODELSHARE_STRICT"
MODEL_ANSWERS = Path(__file__).with_name("model_answers.json")  # written by tools/build_exercises.py

ICONS = {
    "right": "✅ Right",
    "not yet": "❌ Not yet",
    "not answered": "✏️  Not answered yet",
    "self-check": "📝 Self-check",
}


class AnswerError(AssertionError):
    """Raised in strict mode when a solution's answer is not right."""


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer: ``status`` is one of the keys of ``ICONS``."""

    exercise: str
    status: str
    message: str

    @property
    def right(self) -> bool:
        return self.status == "right"

    def __str__(self) -> str:
        return f"{ICONS[self.status]} [{self.exercise}] {self.message}".rstrip()


def strict() -> bool:
    """True when the test suite runs the solutions."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0", "false", "False")


def is_placeholder(value: Any) -> bool:
    """The generated exercise leaves ``...`` where the learner's answer goes."""
    return value is Ellipsis


def report(verdict: Verdict) -> Verdict:
    """Print the verdict; in strict mode raise unless it is right (or a finished self-check)."""
    print(verdict)
    if strict() and verdict.status not in ("right", "self-check"):
        raise AnswerError(str(verdict))
    return verdict


# --- fingerprints ---------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015]+")
_EDGES = "'\"`.,;:!?()[]{} "


def canonical(value: Any, digits: int | None = None) -> str:
    """The form in which two answers count as the same.

    Text ignores case, spaces, hyphens, underscores and stray punctuation at
    either end; a whole number is the same as a float with nothing after the
    point; ``digits`` rounds a number first.

    >>> canonical("Label-shift  correction") == canonical("label shift correction")
    True
    >>> canonical(1.0), canonical(0.12345, digits=3)
    ('1', '0.123')
    """
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":
        return str(bool(value)).lower()
    if isinstance(value, numbers.Number) and not isinstance(value, complex):
        number = float(value)
        if digits is not None:
            text = f"{round(number, digits):.{digits}f}"
            return "0" + text[2:] if text.startswith("-0") and not text.strip("-0.") else text
        return str(int(number)) if number.is_integer() else repr(number)
    return _SEPARATORS.sub("", str(value).strip(_EDGES).casefold())


def _hash(exercise: str, text: str) -> str:
    # Salted with the exercise id: the same answer hashes differently in two exercises,
    # so a fingerprint seen in one place (or in these docs) tells nothing elsewhere.
    return hashlib.sha256(f"{exercise}|{text}".encode()).hexdigest()[:12]


def fingerprint(answer: Any, *, exercise: str, digits: int | None = None) -> Any:
    """A short hash of an answer, so that an exercise can check it without showing it.

    Text and numbers are hashed in their :func:`canonical` form; a set, list or
    tuple without order; a dict key by key (each value salted with its key), for
    :func:`check_choice` matchings and :func:`check_statements`. Every hash is
    salted with the ``exercise`` id, so pass the id the check uses.

    >>> fingerprint(" Local ", exercise="00-hub") == fingerprint("local", exercise="00-hub")
    True
    >>> fingerprint("local", exercise="00-hub") == fingerprint("local", exercise="01-hub")
    False
    >>> fingerprint(0.28349, exercise="x", digits=3) == fingerprint(0.2834, exercise="x", digits=3)
    True
    """
    if isinstance(answer, Mapping):
        return {key: _hash(exercise, f"{canonical(key)}:{canonical(value, digits)}")
                for key, value in answer.items()}
    if isinstance(answer, (set, frozenset, list, tuple)):
        return _hash(exercise, "|".join(sorted(canonical(item, digits) for item in answer)))
    return _hash(exercise, canonical(answer, digits))


# --- right / not yet --------------------------------------------------------------------------

def check_answer(
    exercise: str,
    answer: Any,
    expected: Any = None,
    *,
    test: Callable[[Any], bool | str] | None = None,
    fingerprint: str | None = None,
    digits: int | None = None,
    hint: str = "",
    explain: str = "",
) -> None:
    """Print a verdict on a value (and raise on a wrong one in strict mode).

    Give the right answer in one of three ways: ``expected`` (compared with a
    tolerance for floats, without order for sets), ``test`` (returns True, False,
    or a string that says what is wrong) or ``fingerprint`` (see
    :func:`fingerprint`). With ``digits``, numbers are compared rounded to that
    many decimals (so the learner need not round). ``explain`` is shown when
    the answer is right, ``hint`` when it is not.

    >>> check_answer("demo", 4, expected=4, explain="2 + 2 is 4.")
    ✅ Right [demo] 2 + 2 is 4.
    >>> check_answer("demo", 0.2831, fingerprint="bd513cd5bfa0", digits=3)
    ✅ Right [demo]
    >>> print(judge("demo", 0.7671, test=_rounded_test(0.7634, 3, None)))
    ❌ Not yet [demo] 0.767 (to 3 decimals) is not it.
    """
    if fingerprint is not None:
        test = _fingerprint_test(exercise, fingerprint, digits, test)
    elif digits is not None:
        test = _rounded_test(expected, digits, test)
    report(judge(exercise, answer, expected, test=test, hint=hint, explain=explain))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool) or getattr(
        getattr(value, "dtype", None), "kind", "") in ("i", "u", "f")


def _rounded_test(expected: Any, digits: int, other: Callable | None) -> Callable:
    def test(value: Any) -> bool | str:
        if not _is_number(value):
            return f"expected a number, got a {type(value).__name__} ({value!r})."
        if other is not None and (outcome := other(value)) is not True:
            return outcome
        return canonical(value, digits) == canonical(expected, digits) or (
            f"{canonical(value, digits)} (to {digits} decimals) is not it.")

    return test


def _fingerprint_test(exercise: str, wanted: str, digits: int | None,
                      other: Callable | None) -> Callable:
    def test(value: Any) -> bool | str:
        if digits is not None and not _is_number(value):
            return f"expected a number, got a {type(value).__name__} ({value!r})."
        if other is not None:
            outcome = other(value)
            if outcome is not True:
                return outcome
        return _fingerprint(value, exercise=exercise, digits=digits) == wanted

    return test


def judge(
    exercise: str,
    answer: Any,
    expected: Any = None,
    *,
    test: Callable[[Any], bool | str] | None = None,
    hint: str = "",
    explain: str = "",
) -> Verdict:
    """The verdict on an answer, without printing: what :func:`check_answer` shows."""
    if _unanswered(answer):
        return _not_answered(exercise)
    try:
        outcome = test(answer) if test is not None else _same(answer, expected)
    except Exception as error:  # a learner's odd value must give a message, not a traceback
        outcome = f"your answer could not be checked ({type(error).__name__}: {error})."
    if outcome is True:
        return Verdict(exercise, "right", explain)
    return _not_yet(exercise, outcome if isinstance(outcome, str) else "", hint)


def _unanswered(answer: Any) -> bool:
    if is_placeholder(answer):
        return True
    if isinstance(answer, tuple) and answer and all(map(is_placeholder, answer)):
        return True
    return isinstance(answer, Mapping) and bool(answer) and all(map(is_placeholder, answer.values()))


def _not_answered(exercise: str) -> Verdict:
    return Verdict(exercise, "not answered",
                   "Replace the `...` with your answer, then run the cell again.")


def _not_yet(exercise: str, reason: str, hint: str) -> Verdict:
    message = " ".join(part for part in (reason, f"Hint: {hint}" if hint else "") if part)
    return Verdict(exercise, "not yet", message or "Have another look.")


def _same(answer: Any, expected: Any) -> bool | str:
    if isinstance(expected, set):
        try:
            got = set(answer) if not isinstance(answer, str) else {answer}
        except TypeError:
            return "expected a collection of choices (a set or list)."
        missing, extra = expected - got, got - expected
        if not missing and not extra:
            return True
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing")
        if extra:
            parts.append(f"{len(extra)} that should not be there")
        return "You have " + " and ".join(parts) + "."
    if isinstance(expected, str) and isinstance(answer, str):
        return canonical(answer) == canonical(expected)
    if isinstance(expected, float):
        if isinstance(answer, (bool, str)) or not isinstance(answer, numbers.Number):
            return f"expected a number, got a {type(answer).__name__} ({answer!r})."
        return abs(float(answer) - expected) <= 1e-6 * max(1.0, abs(expected)) or (
            f"{answer} is not it.")
    if answer == expected:
        return True
    numeric = isinstance(answer, numbers.Number) and isinstance(expected, numbers.Number)
    if not numeric and type(answer) is not type(expected):
        return f"expected a {type(expected).__name__}, got a {type(answer).__name__} ({answer!r})."
    return False


# --- choices ----------------------------------------------------------------------------------

def check_choice(
    exercise: str,
    answer: Any,
    options: Iterable[Any],
    fingerprint: str | Mapping[str, str],
    *,
    hint: str = "",
    explain: str = "",
) -> None:
    """Check one choice from ``options``, or one choice per key (a matching).

    ``fingerprint`` is ``fingerprint(right_option, exercise=...)`` for one choice, or
    ``fingerprint({key: right_option, ...}, exercise=...)`` for a matching, whose answer is a
    dict. Case, spaces, hyphens and underscores do not matter; a value that is
    none of the options gets "not one of the options: ...".

    >>> check_choice("demo", "Label shift correction", ["retrain", "label-shift correction"],
    ...              fingerprint("label-shift correction", exercise="demo"))
    ✅ Right [demo]
    >>> print(judge_choice("demo", "relabel", ["retrain", "label-shift correction"], "0" * 12))
    ❌ Not yet [demo] 'relabel' is not one of the options: 'retrain', 'label-shift correction'.
    """
    report(judge_choice(exercise, answer, options, fingerprint, hint=hint, explain=explain))


def judge_choice(exercise: str, answer: Any, options: Iterable[Any],
                 fingerprint: str | Mapping[str, str], *, hint: str = "",
                 explain: str = "") -> Verdict:
    """The verdict of :func:`check_choice`, without printing."""
    if _unanswered(answer):
        return _not_answered(exercise)
    options = list(options)
    known = {canonical(option) for option in options}
    listed = ", ".join(repr(option) for option in options)
    if not isinstance(fingerprint, Mapping):
        if isinstance(answer, (Mapping, set, list, tuple)):
            return _not_yet(exercise, f"answer with one option, not a {type(answer).__name__}: "
                            f"one of {listed}.", "")
        if canonical(answer) not in known:
            return _not_yet(exercise, f"{answer!r} is not one of the options: {listed}.", "")
        if _hash(exercise, canonical(answer)) == fingerprint:
            return Verdict(exercise, "right", explain)
        return _not_yet(exercise, f"{answer!r} is not the best fit.", hint)

    keys = list(fingerprint)
    if not isinstance(answer, Mapping):
        return _not_yet(exercise, "answer with a dictionary from each of "
                        f"{', '.join(map(repr, keys))} to one of the options.", "")
    given = {canonical(key): value for key, value in answer.items()}
    wanted = {canonical(key) for key in keys}
    unknown = [key for key in answer if canonical(key) not in wanted]
    if unknown:
        return _not_yet(exercise, f"unknown key(s) {', '.join(map(repr, unknown))}: the keys are "
                        f"{', '.join(map(repr, keys))}.", "")
    missing = [key for key in keys if is_placeholder(given.get(canonical(key), ...))]
    if missing:
        return _not_yet(exercise, f"no answer yet for {', '.join(map(repr, missing))}.", "")
    strays = [f"{given[canonical(key)]!r} (for {key!r})" for key in keys
              if canonical(given[canonical(key)]) not in known]
    if strays:
        return _not_yet(exercise, f"{', '.join(strays)} is not one of the options: {listed}.", "")
    wrong = [key for key in keys if fingerprint[key] != _hash(
        exercise, f"{canonical(key)}:{canonical(given[canonical(key)])}")]
    if not wrong:
        return Verdict(exercise, "right", explain)
    return _not_yet(exercise, f"{len(keys) - len(wrong)} of {len(keys)} right; look again at "
                    f"{', '.join(map(repr, wrong))}.", hint)


def check_statements(
    exercise: str,
    answer: Any,
    statements: Iterable[str],
    fingerprint: Mapping[str, str],
    *,
    hint: str = "",
    explain: str = "",
) -> None:
    """Check "pick the true statements": ``answer`` is a set of letters.

    ``statements`` are the letters on offer (a string such as ``"ABCDEF"``, a
    list, or a dict from letter to text); ``fingerprint`` is
    ``fingerprint({letter: is_true, ...}, exercise=...)``. Letters may come in any case, as a
    list, or as a string like ``"A, C"``. A wrong pick is answered with counts,
    never with which letter is wrong.

    >>> truth = fingerprint({"A": True, "B": False, "C": True}, exercise="demo")
    >>> print(judge_statements("demo", {"a", "b"}, "ABC", truth))
    ❌ Not yet [demo] 1 of your 2 picks is true, and 1 true statement is missing.
    """
    report(judge_statements(exercise, answer, statements, fingerprint, hint=hint, explain=explain))


def judge_statements(exercise: str, answer: Any, statements: Iterable[str],
                     fingerprint: Mapping[str, str], *, hint: str = "",
                     explain: str = "") -> Verdict:
    """The verdict of :func:`check_statements`, without printing."""
    if _unanswered(answer):
        return _not_answered(exercise)
    letters = list(statements)
    known = {canonical(letter): letter for letter in letters}
    listed = ", ".join(letters)
    if isinstance(answer, str):
        tokens = [token for token in re.split(r"[\s,;]+", answer) if token.strip(_EDGES)]
        if len(tokens) == 1 and len(canonical(tokens[0])) > 1 and all(
                char in known for char in canonical(tokens[0])):
            tokens = list(canonical(tokens[0]))  # "ACE"
        answer = tokens
    if not isinstance(answer, (set, frozenset, list, tuple)):
        return _not_yet(exercise, f"answer with a set of letters, such as {{{letters[0]!r}}}.", "")
    picked = {canonical(item) for item in answer}
    strays = sorted(item for item in picked if item not in known)
    if strays:
        return _not_yet(exercise, f"{', '.join(map(repr, strays))} is not one of the options: "
                        f"{listed}.", "")
    hashes = {canonical(key): value for key, value in fingerprint.items()}
    truth = {key: _hash(exercise, f"{key}:true") == hashes.get(key) for key in known}
    true_picks = sum(truth[key] for key in picked)
    missing = sum(truth.values()) - true_picks
    if true_picks == len(picked) and not missing:
        return Verdict(exercise, "right", explain)
    if not picked:
        reason = "you picked nothing yet."
    else:
        reason = f"{true_picks} of your {len(picked)} pick{'s' * (len(picked) != 1)} " \
                 f"{'is' if true_picks == 1 else 'are'} true"
        reason += f", and {missing} true statement{'s are' if missing != 1 else ' is'} missing." \
            if missing else "."
    return _not_yet(exercise, reason, hint)


# --- open writing -----------------------------------------------------------------------------

def model_answer(exercise: str, show: bool = True) -> str | dict[str, str]:
    """The model answer of a self-assessed exercise (printed unless ``show=False``).

    The answers live in ``modelshare/model_answers.json``, generated from the
    solution notebooks by ``tools/build_exercises.py``.
    """
    answers = json.loads(MODEL_ANSWERS.read_text()) if MODEL_ANSWERS.exists() else {}
    if exercise not in answers:
        raise KeyError(f"no model answer for {exercise!r}; known: {', '.join(sorted(answers))}. "
                       "Maintainers: run `make exercises`.")
    answer = answers[exercise]
    if show:
        print(_text_block("Model answer", answer))
    return answer


def self_assess(exercise: str, answer: Any, rubric: list[str], *, min_words: int = 10) -> None:
    """Open writing: show the text beside a rubric to tick, then the model answer.

    ``answer`` is the learner's text, or a dict from a label to text when the
    exercise asks for several parts. Nothing here decides whether the writing
    is good: only an empty or very short text (under ``min_words`` words) is
    sent back. In JupyterLab the learner ticks the rubric's points and presses
    a button that reveals the model answer; in a plain-text frontend, and when
    the test suite runs (strict mode), the same content is printed.

    >>> rubric = ["names the years", "names the group it fails", "says what not to do"]
    >>> self_assess("demo", "Trained on 1974-1989; it misses most high-earning women.",
    ...             rubric, min_words=5)  # doctest: +ELLIPSIS
    📝 Self-check [demo] Tick each point your text meets, then compare it with the model answer.
    Your text:
      | Trained on 1974-1989; it misses most high-earning women.
    Does your text ...
      [ ] names the years
      [ ] names the group it fails
      [ ] says what not to do
    ...
    """
    if not 3 <= len(rubric) <= 5:
        raise ValueError(f"a rubric has 3 to 5 points, not {len(rubric)}.")
    verdict = _judge_writing(exercise, answer, min_words)
    report(verdict)
    if verdict.status == "self-check":
        _show_self_check(exercise, _parts(answer), rubric)


def _parts(answer: Any) -> dict[str, str]:
    return dict(answer) if isinstance(answer, Mapping) else {"Your text": answer}


def _judge_writing(exercise: str, answer: Any, min_words: int) -> Verdict:
    if _unanswered(answer) or isinstance(answer, Mapping) and any(map(is_placeholder,
                                                                      answer.values())):
        return _not_answered(exercise)
    parts = _parts(answer)
    not_text = [label for label, text in parts.items() if not isinstance(text, str)]
    if not_text:
        return _not_yet(exercise, "write your answer as text in quotes "
                        f"(got a {type(parts[not_text[0]]).__name__}).", "")
    words = sum(len(text.split()) for text in parts.values())
    if words < min_words:
        return _not_yet(exercise, f"write at least {min_words} words (you have {words}).", "")
    return Verdict(exercise, "self-check",
                   "Tick each point your text meets, then compare it with the model answer.")


def _text_block(title: str, text: str | Mapping[str, str]) -> str:
    parts = text if isinstance(text, Mapping) else {"": text}
    lines = [f"{title}:"]
    for label, body in parts.items():
        if label:
            lines.append(f"  {label}:")
        for paragraph in str(body).splitlines() or [""]:
            lines += textwrap.wrap(paragraph, 88, initial_indent="  | ", break_on_hyphens=False,
                                   subsequent_indent="  | ") or ["  |"]
    return "\n".join(lines)


def _self_check_text(exercise: str, parts: dict[str, str], rubric: list[str]) -> str:
    lines = [_text_block("Your text", parts if list(parts) != ["Your text"] else parts["Your text"])]
    lines.append("Does your text ...")
    lines += [f"  [ ] {point}" for point in rubric]
    if strict():
        try:
            same = model_answer(exercise, show=False) == (
                parts if list(parts) != ["Your text"] else parts["Your text"])
        except KeyError:
            same = False
        lines.append("(This is the solution: the text above is the model answer.)" if same else
                     "(The model answer appears once the learner submits the ticks.)")
    else:
        lines.append(f"Tick the points in your head, then run "
                     f"modelshare.feedback.model_answer({exercise!r}) to compare.")
    return "\n".join(lines)


def _show_self_check(exercise: str, parts: dict[str, str], rubric: list[str]) -> None:
    text = _self_check_text(exercise, parts, rubric)
    shell = _ipython()
    if strict() or shell is None:
        print(text)
        return
    from IPython.display import display

    box = self_check_widget(exercise, parts, rubric)
    bundle = box._repr_mimebundle_()
    bundle["text/plain"] = text  # what a frontend without widgets shows
    display(bundle, raw=True)


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def self_check_widget(exercise: str, parts: dict[str, str], rubric: list[str]):
    """The widget :func:`self_assess` shows: text, checklist, button, then the model answer."""
    import ipywidgets as widgets

    def block(title: str, body: Mapping[str, str] | str) -> str:
        body = body if isinstance(body, Mapping) else {"": body}
        inner = "".join(
            (f"<div><b>{html.escape(label)}</b></div>" if label else "")
            + f"<div style='white-space: pre-wrap'>{html.escape(str(text))}</div>"
            for label, text in body.items())
        return (f"<div class='modelshare-selfcheck-{title.split()[0].lower()}' style='border-left: "
                "4px solid var(--jp-border-color1, #999); padding: 0 0.8em; margin: 0.3em 0'>"
                f"<div><b>{html.escape(title)}</b></div>{inner}</div>")

    shown = parts if list(parts) != ["Your text"] else parts["Your text"]
    yours = widgets.HTML(block("Your text", shown),
                         layout=widgets.Layout(flex="1 1 320px", min_width="240px"))
    boxes = [widgets.Checkbox(value=False, description=point, indent=False,
                              layout=widgets.Layout(width="auto", height="auto"))
             for point in rubric]
    button = widgets.Button(description="Show the model answer", icon="eye",
                            tooltip="Compare your text with the model answer",
                            layout=widgets.Layout(width="auto"))
    checklist = widgets.VBox([widgets.HTML(f"<style>{WRAP_LABELS}</style>"
                                           "<b>Tick what your text does:</b>"), *boxes, button],
                             layout=widgets.Layout(flex="1 1 320px", min_width="240px"))
    revealed = widgets.HTML()

    def reveal(_button=None) -> None:
        ticked = sum(box.value for box in boxes)
        if ticked == len(boxes):
            advice = "You ticked every point. Is the model answer as specific as yours?"
        else:
            advice = (f"You ticked {ticked} of {len(boxes)}. Add what the unticked points ask "
                      "for, then run the cell again.")
        try:
            shown = block("Model answer", model_answer(exercise, show=False))
        except KeyError as error:  # a maintainer forgot `make exercises`: say so, do not crash
            shown = f"<div>{html.escape(str(error))}</div>"
        revealed.value = f"<div role='status'>{html.escape(advice)}</div>{shown}"
        button.description = "Model answer shown below"

    button.on_click(reveal)
    return _with_class(widgets.VBox([widgets.Box([yours, checklist],
                                     layout=widgets.Layout(flex_flow="row wrap")), revealed],
                                     layout=widgets.Layout(width="100%")), "modelshare-selfcheck")


# ipywidgets cuts a long checkbox label to one line with "..."; a rubric point must be read whole.
WRAP_LABELS = (".modelshare-selfcheck .widget-checkbox, .modelshare-selfcheck .widget-checkbox * "
               "{white-space: normal !important; overflow: visible !important; "
               "text-overflow: clip !important; height: auto !important;}")


def _with_class(widget, name: str):
    widget.add_class(name)
    return widget


_fingerprint = fingerprint  # check_answer's keyword of the same name hides the function
