from __future__ import annotations

import pytest

from modelshare import feedback
from modelshare.feedback import AnswerError, check_answer, judge


@pytest.fixture
def learner(monkeypatch):
    monkeypatch.delenv(feedback.STRICT_ENV, raising=False)


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv(feedback.STRICT_ENV, "1")


def test_placeholder_is_not_answered_and_never_raises(learner, capsys):
    check_answer("ex", ..., expected=3)
    assert "Not answered yet" in capsys.readouterr().out


def test_placeholder_raises_in_strict_mode(strict):
    with pytest.raises(AnswerError, match="Not answered"):
        check_answer("ex", ..., expected=3)


def test_right_answer_prints_explanation(strict, capsys):
    check_answer("ex", 3, expected=3, explain="three it is")
    assert capsys.readouterr().out.strip() == "✅ Right [ex] three it is"


def test_wrong_answer_gives_hint_for_learner(learner, capsys):
    check_answer("ex", 4, expected=3, hint="count again")
    out = capsys.readouterr().out
    assert "Not yet" in out and "Hint: count again" in out


def test_wrong_answer_raises_in_strict_mode(strict):
    with pytest.raises(AnswerError):
        check_answer("ex", 4, expected=3)


def test_sets_say_what_is_missing_and_extra():
    verdict = judge("ex", {"a", "c"}, expected={"a", "b"})
    assert verdict.status == "not yet"
    assert "1 missing" in verdict.message and "['c']" in verdict.message


def test_strings_ignore_case_and_spaces():
    assert judge("ex", "  Local ", expected="local").right


def test_type_mismatch_is_explained():
    verdict = judge("ex", "335", expected=335)
    assert "expected a int, got a str" in verdict.message


def test_floats_compare_with_tolerance():
    assert judge("ex", 0.1 + 0.2, expected=0.3).right


def test_custom_test_can_explain_and_errors_become_messages():
    assert judge("ex", 5, test=lambda a: a > 3).right
    assert judge("ex", 1, test=lambda a: a > 3 or "too small").message == "too small"
    verdict = judge("ex", None, test=lambda a: a > 3)
    assert verdict.status == "not yet" and "could not be checked (TypeError" in verdict.message


def test_fingerprint_checks_without_showing_the_answer(learner, capsys):
    from modelshare.feedback import fingerprint

    hidden = fingerprint({"c", "e", "g"})
    assert len(hidden) == 12
    check_answer("ex", ["G", " e", "c"], fingerprint=hidden)
    assert "Right" in capsys.readouterr().out
    check_answer("ex", {"c", "e"}, fingerprint=hidden, hint="three letters")
    out = capsys.readouterr().out
    assert "Not yet" in out and "three letters" in out
    check_answer("ex", ..., fingerprint=hidden)
    assert "Not answered" in capsys.readouterr().out
