"""modelshare.feedback: verdicts that can be trusted, and self-assessment for open writing."""

from __future__ import annotations

import doctest
import json

import pytest

from modelshare import feedback
from modelshare.feedback import (
    AnswerError,
    canonical,
    check_answer,
    check_choice,
    check_statements,
    fingerprint,
    judge,
    judge_choice,
    judge_statements,
    self_assess,
)

REMEDIES = ["retrain", "reweight", "label-shift correction", "recalibrate", "hand over"]
RUBRIC = ["names the years it was trained on", "names the group it fails",
          "says what it must not be used for"]
TEXT = ("Trained on US survey answers from 1974-1989, it misses most high-earning women; "
        "do not use it to screen job or loan applicants.")


@pytest.fixture
def learner(monkeypatch):
    monkeypatch.delenv(feedback.STRICT_ENV, raising=False)


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv(feedback.STRICT_ENV, "1")


@pytest.fixture
def answers_file(tmp_path, monkeypatch):
    path = tmp_path / "model_answers.json"
    path.write_text(json.dumps({"demo-writing": "The model answer, in full.",
                                "demo-parts": {"Uses": "For teaching.", "Out of scope": "Hiring."}}))
    monkeypatch.setattr(feedback, "MODEL_ANSWERS", path)
    return path


# --- check_answer ------------------------------------------------------------------------------

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


def test_sets_count_what_is_missing_and_extra_without_naming_them():
    verdict = judge("ex", {"a", "c"}, expected={"a", "b"})
    assert verdict.status == "not yet"
    assert "1 missing" in verdict.message and "1 that should not be there" in verdict.message
    assert "'c'" not in verdict.message and "'b'" not in verdict.message


def test_strings_ignore_case_spaces_and_hyphens():
    assert judge("ex", "  Local ", expected="local").right
    assert judge("ex", "Apache 2.0", expected="apache-2.0").right


def test_type_mismatch_is_explained():
    verdict = judge("ex", "335", expected=335)
    assert "expected a int, got a str" in verdict.message


def test_floats_compare_with_tolerance_and_want_a_number():
    assert judge("ex", 0.1 + 0.2, expected=0.3).right
    assert "expected a number, got a str" in judge("ex", "0.3", expected=0.3).message


def test_custom_test_can_explain_and_errors_become_messages():
    assert judge("ex", 5, test=lambda a: a > 3).right
    assert judge("ex", 1, test=lambda a: a > 3 or "too small").message == "too small"
    verdict = judge("ex", None, test=lambda a: a > 3)
    assert verdict.status == "not yet" and "could not be checked (TypeError" in verdict.message


def test_fingerprint_checks_without_showing_the_answer(learner, capsys):
    hidden = fingerprint({"c", "e", "g"}, exercise="ex")
    assert isinstance(hidden, str) and len(hidden) == 12
    check_answer("ex", ["G", " e", "c"], fingerprint=hidden)
    assert "Right" in capsys.readouterr().out
    check_answer("ex", {"c", "e"}, fingerprint=hidden, hint="three letters")
    out = capsys.readouterr().out
    assert "Not yet" in out and "three letters" in out
    check_answer("ex", ..., fingerprint=hidden)
    assert "Not answered" in capsys.readouterr().out


def test_fingerprints_are_salted_with_the_exercise_id():
    assert fingerprint("b", exercise="01-x") != fingerprint("b", exercise="05-y")
    assert judge_choice("05-y", "b", "abc", fingerprint("b", exercise="05-y")).right
    assert not judge_choice("05-y", "b", "abc", fingerprint("b", exercise="01-x")).right
    with pytest.raises(TypeError):
        fingerprint("b")  # the id is required: a hash without it would never match


def test_numbers_are_fingerprinted_after_rounding():
    hidden = fingerprint(0.2834, digits=3, exercise="ex")
    assert judge("ex", 0.28349, test=feedback._fingerprint_test("ex", hidden, 3, None)).right
    assert not judge("ex", 0.2846, test=feedback._fingerprint_test("ex", hidden, 3, None)).right
    message = judge("ex", "0.283", test=feedback._fingerprint_test("ex", hidden, 3, None)).message
    assert "expected a number, got a str" in message
    assert fingerprint(102_400_000, exercise="ex") == fingerprint(102_400_000.0, exercise="ex") == fingerprint(1e5 * 1024, exercise="ex")
    assert canonical(-0.0001, digits=3) == "0.000"
    assert fingerprint(False, exercise="ex") == fingerprint("false", exercise="ex")


def test_expected_numbers_compare_rounded_when_digits_are_given(strict, capsys):
    check_answer("ex", 0.76344, expected=0.7634999, digits=3)
    assert capsys.readouterr().out.startswith("✅ Right")
    with pytest.raises(AnswerError, match=r"0\.767 \(to 3 decimals\) is not it"):
        check_answer("ex", 0.7671, expected=0.7634, digits=3)
    with pytest.raises(AnswerError, match="expected a number, got a bool"):
        check_answer("ex", True, expected=1.0, digits=3)


def test_numpy_values_fingerprint_like_python_ones():
    np = pytest.importorskip("numpy")
    assert fingerprint(np.float64(0.76449), digits=3, exercise="ex") == fingerprint(0.764, digits=3, exercise="ex")
    assert fingerprint(np.int64(3), exercise="ex") == fingerprint(3, exercise="ex")
    assert fingerprint(np.bool_(True), exercise="ex") == fingerprint(True, exercise="ex")


# --- check_choice ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["label-shift correction", "Label shift correction",
                                   "label_shift_correction", " LABEL-SHIFT  CORRECTION. ",
                                   "label shift-correction", "labelshift correction"])
def test_choice_accepts_case_hyphen_and_spacing_variants(typed):
    assert judge_choice("ex", typed, REMEDIES, fingerprint("label-shift correction", exercise="ex")).right


def test_choice_outside_the_options_says_so_and_lists_them():
    verdict = judge_choice("ex", "relabel the data", REMEDIES, fingerprint("retrain", exercise="ex"))
    assert verdict.status == "not yet"
    assert verdict.message.startswith("'relabel the data' is not one of the options: 'retrain', ")
    assert "'hand over'" in verdict.message


def test_wrong_option_gets_the_hint_not_the_answer():
    verdict = judge_choice("ex", "reweight", REMEDIES, fingerprint("retrain", exercise="ex"), hint="what changed?")
    assert verdict.status == "not yet" and "Hint: what changed?" in verdict.message
    assert "retrain" not in verdict.message


def test_choice_needs_one_option_not_a_collection():
    verdict = judge_choice("ex", ["retrain"], REMEDIES, fingerprint("retrain", exercise="ex"))
    assert "answer with one option" in verdict.message


def test_bool_choices_accept_python_and_text_spellings():
    hidden = fingerprint(False, exercise="ex")
    assert judge_choice("ex", False, [True, False], hidden).right
    assert judge_choice("ex", "false", [True, False], hidden).right
    assert "not one of the options: True, False" in judge_choice("ex", "no", [True, False],
                                                                  hidden).message


def test_matching_names_the_keys_to_look_at_again():
    right = {"A": "retrain", "B": "reweight", "C": "label-shift correction"}
    hidden = fingerprint(right, exercise="ex")
    assert set(hidden) == {"A", "B", "C"}
    assert judge_choice("ex", {"a": "Retrain", "B": "re-weight", "c": "label shift correction"},
                        REMEDIES, hidden).right
    verdict = judge_choice("ex", {"A": "retrain", "B": "retrain", "C": "recalibrate"}, REMEDIES,
                           hidden)
    assert "1 of 3 right; look again at 'B', 'C'." in verdict.message


def test_matching_keys_keep_their_spelling_and_accept_variants():
    hidden = fingerprint({"network weights": "safetensors", "sklearn pipeline": "skops"}, exercise="ex")
    assert set(hidden) == {"network weights", "sklearn pipeline"}
    assert judge_choice("ex", {"Network-Weights": "SafeTensors", "sklearn_pipeline": "skops"},
                        ["safetensors", "skops", "pickle"], hidden).right


def test_matching_salts_each_key_so_equal_answers_do_not_show():
    hidden = fingerprint({"a": "retrain", "b": "retrain"}, exercise="ex")
    assert hidden["a"] != hidden["b"]


def test_matching_reports_missing_unknown_and_stray_values():
    hidden = fingerprint({"a": "retrain", "b": "reweight"}, exercise="ex")
    assert "no answer yet for 'b'" in judge_choice("ex", {"a": "retrain"}, REMEDIES, hidden).message
    assert "unknown key(s) 'z'" in judge_choice("ex", {"a": "x", "b": "y", "z": "retrain"},
                                                REMEDIES, hidden).message
    message = judge_choice("ex", {"a": "retrain", "b": "relabel"}, REMEDIES, hidden).message
    assert "'relabel' (for 'b') is not one of the options" in message
    assert "answer with a dictionary" in judge_choice("ex", "retrain", REMEDIES, hidden).message
    assert judge_choice("ex", {"a": ..., "b": ...}, REMEDIES, hidden).status == "not answered"
    partly = judge_choice("ex", {"a": "retrain", "b": ...}, REMEDIES, hidden)
    assert partly.status == "not yet" and "no answer yet for 'b'" in partly.message


def test_check_choice_prints_and_raises_like_check_answer(strict, capsys):
    check_choice("ex", "Retrain", REMEDIES, fingerprint("retrain", exercise="ex"), explain="fresh labels")
    assert capsys.readouterr().out.strip() == "✅ Right [ex] fresh labels"
    with pytest.raises(AnswerError, match="not one of the options"):
        check_choice("ex", "retrain it", REMEDIES, fingerprint("retrain", exercise="ex"))


# --- check_statements --------------------------------------------------------------------------

TRUTH = fingerprint({"A": True, "B": False, "C": True, "D": False, "E": True, "F": False}, exercise="ex")


@pytest.mark.parametrize("typed", [{"A", "C", "E"}, ["e", "c", "a"], "A, C, E", "ACE", "a c e",
                                   ("(A)", "C.", "e")])
def test_statements_accept_letters_in_any_form(typed):
    assert judge_statements("ex", typed, "ABCDEF", TRUTH).right


def test_statements_answer_with_counts_never_with_letters():
    verdict = judge_statements("ex", {"A", "B", "C"}, "ABCDEF", TRUTH, hint="read again")
    assert verdict.message == ("2 of your 3 picks are true, and 1 true statement is missing. "
                               "Hint: read again")
    assert judge_statements("ex", {"A", "C", "E", "F"}, "ABCDEF", TRUTH).message == (
        "3 of your 4 picks are true.")
    assert judge_statements("ex", set(), "ABCDEF", TRUTH).message == "you picked nothing yet."


def test_statements_outside_the_options_are_named():
    verdict = judge_statements("ex", {"A", "G"}, "ABCDEF", TRUTH)
    assert verdict.message == "'g' is not one of the options: A, B, C, D, E, F."
    assert "answer with a set of letters" in judge_statements("ex", 3, "ABCDEF", TRUTH).message


def test_check_statements_prints_and_raises(strict, capsys):
    check_statements("ex", {"A", "C", "E"}, "ABCDEF", TRUTH, explain="all three")
    assert capsys.readouterr().out.strip() == "✅ Right [ex] all three"
    with pytest.raises(AnswerError, match="2 of your 2 picks are true"):
        check_statements("ex", {"A", "C"}, "ABCDEF", TRUTH)


def test_statements_take_a_dict_of_statement_texts():
    statements = {"A": "first", "B": "second"}
    truth = fingerprint({"A": False, "B": True}, exercise="ex")
    assert judge_statements("ex", {"b"}, statements, truth).right


# --- self_assess -------------------------------------------------------------------------------

def test_self_assess_never_gives_a_verdict_on_writing(learner, answers_file, capsys):
    wrong_but_long = ("There are no consent or privacy problems; it is fine to use it for "
                      "decisions about every individual person.")
    for text in (TEXT, wrong_but_long):
        self_assess("demo-writing", text, RUBRIC)
        out = capsys.readouterr().out
        assert out.startswith("📝 Self-check [demo-writing]")
        assert "✅" not in out and "❌" not in out


def test_self_assess_plain_text_shows_text_rubric_and_how_to_reveal(learner, answers_file, capsys):
    self_assess("demo-writing", TEXT, RUBRIC)
    out = capsys.readouterr().out
    assert out.startswith("📝 Self-check [demo-writing] Tick each point")
    assert "  | Trained on US survey answers from 1974-1989" in out
    assert all(f"  [ ] {point}" in out for point in RUBRIC)
    assert "modelshare.feedback.model_answer('demo-writing')" in out
    assert "The model answer, in full." not in out  # only once the learner asks


def test_model_answer_is_printed_on_request(answers_file, capsys):
    assert feedback.model_answer("demo-writing") == "The model answer, in full."
    assert "Model answer:\n  | The model answer, in full." in capsys.readouterr().out
    with pytest.raises(KeyError, match="no model answer for 'nope'"):
        feedback.model_answer("nope")


def test_self_assess_in_strict_mode_prints_and_does_not_raise(strict, answers_file, capsys):
    self_assess("demo-writing", "The model answer, in full. " * 3, RUBRIC)
    assert "The model answer appears once the learner submits" in capsys.readouterr().out
    answers_file.write_text(json.dumps({"demo-writing": "The model answer, in full. " * 3}))
    self_assess("demo-writing", "The model answer, in full. " * 3, RUBRIC)
    assert "the text above is the model answer" in capsys.readouterr().out


def test_self_assess_sends_back_empty_short_or_non_text_answers(strict):
    with pytest.raises(AnswerError, match="Not answered"):
        self_assess("demo-writing", ..., RUBRIC)
    with pytest.raises(AnswerError, match=r"write at least 10 words \(you have 2\)"):
        self_assess("demo-writing", "Be careful.", RUBRIC)
    with pytest.raises(AnswerError, match="as text in quotes"):
        self_assess("demo-writing", 42, RUBRIC)
    with pytest.raises(AnswerError, match="Not answered"):
        self_assess("demo-parts", {"Uses": "x", "Out of scope": ...}, RUBRIC)


def test_rubric_has_three_to_five_points():
    with pytest.raises(ValueError, match="3 to 5 points, not 2"):
        self_assess("demo-writing", TEXT, RUBRIC[:2])


def test_self_check_widget_reveals_the_model_answer_after_submitting(answers_file):
    import ipywidgets as widgets

    box = feedback.self_check_widget("demo-parts", {"Uses": "<b>teach</b>", "Out of scope": "x"},
                                     RUBRIC)
    try:
        html_parts = [w for w in _walk(box) if isinstance(w, widgets.HTML)]
        checkboxes = [w for w in _walk(box) if isinstance(w, widgets.Checkbox)]
        (button,) = [w for w in _walk(box) if isinstance(w, widgets.Button)]
        assert [c.description for c in checkboxes] == RUBRIC
        assert "&lt;b&gt;teach&lt;/b&gt;" in html_parts[0].value  # learner text is escaped
        assert all("For teaching." not in part.value for part in html_parts)
        checkboxes[0].value = checkboxes[2].value = True
        button.click()
        shown = html_parts[-1].value
        assert "You ticked 2 of 3" in shown
        assert "For teaching." in shown and "Hiring." in shown
        for checkbox in checkboxes:
            checkbox.value = True
        button.click()
        assert "You ticked every point" in html_parts[-1].value
    finally:
        box.close_all()


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_self_assess_in_ipython_displays_widget_with_text_fallback(learner, answers_file,
                                                                   monkeypatch):
    shown = []
    monkeypatch.setattr(feedback, "_ipython", lambda: object())
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw: shown.append(bundle))
    self_assess("demo-writing", TEXT, RUBRIC)
    (bundle,) = shown
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Your text:")
    assert "  [ ] names the group it fails" in bundle["text/plain"]


# --- the module's own examples -----------------------------------------------------------------

@pytest.mark.parametrize("mode", ["learner", "strict"])
def test_docstring_examples_run(mode, monkeypatch):
    if mode == "strict":
        monkeypatch.setenv(feedback.STRICT_ENV, "1")
    else:
        monkeypatch.delenv(feedback.STRICT_ENV, raising=False)
    outcome = doctest.testmod(feedback, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted >= 10 and outcome.failed == 0
