"""Learner answers through the real checks of exercises 07 and 08: no wrong answer passes,
no right answer fails.

The solution notebook runs once (its own cells, in order); then, for each
exercise, the learner's answer is put in place of the solution and the cell's
check runs in strict mode, where anything but "right" raises. The answers
live here, next to the other shift tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from modelshare import feedback

ROOT = Path(__file__).resolve().parents[1]
END = "### END SOLUTION"


def run_solution(name: str) -> tuple[dict, dict[str, str]]:
    """Run a solution notebook's code cells; return the namespace and each exercise's check code."""
    namespace: dict = {}
    checks: dict[str, str] = {}
    notebook = nbformat.read(ROOT / "solutions" / name, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []):
            continue
        exec(compile(cell.source, name, "exec"), namespace)  # noqa: S102 - our own notebook
        if END in cell.source:
            check = cell.source.split(END, 1)[1]
            for exercise in ("06-detect-count", "06-psi", "06-remedy", "08-reweight-evidence",
                             "06-card-section"):
                if f'"{exercise}"' in check:
                    checks[exercise] = check
    return namespace, checks


@pytest.fixture(scope="module")
def strict_env():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(feedback.STRICT_ENV, "1")
        yield


@pytest.fixture(scope="module")
def exercise07(strict_env):
    return run_solution("07_distribution_shift.ipynb")


@pytest.fixture(scope="module")
def exercise08(strict_env):
    return run_solution("08_shift_remedies.ipynb")


def verdict(solution, exercise: str, **answers) -> bool:
    """True when the check accepts the answers, False when it says "not yet"."""
    namespace, checks = solution
    trial = dict(namespace, **answers)
    try:
        exec(compile(checks[exercise], exercise, "exec"), trial)  # noqa: S102
    except feedback.AnswerError:
        return False
    return True


RIGHT_07 = [
    ("06-detect-count", {"n_fired": 3, "most_shifted": "educcat"}),
    ("06-detect-count", {"n_fired": np.int64(3), "most_shifted": " Educcat "}),
    ("06-psi", {"reading": "b", "noise": 0.127}),
    ("06-psi", {"reading": " B ", "noise": 0.12724712}),  # not rounded: checked to 3 decimals
]
WRONG_07 = [
    ("06-detect-count", {"n_fired": 4, "most_shifted": "educcat"}),  # BBSD did not fire
    ("06-detect-count", {"n_fired": 3, "most_shifted": "occrecode"}),  # second, not first
    ("06-detect-count", {"n_fired": 3, "most_shifted": "age"}),
    ("06-psi", {"reading": "a", "noise": 0.127}),  # the rule of thumb without the noise check
    ("06-psi", {"reading": "c", "noise": 0.127}),
    ("06-psi", {"reading": "moderate", "noise": 0.127}),  # not one of the options
    ("06-psi", {"reading": "b", "noise": 0.1}),  # the rule-of-thumb line, not the noise level
    ("06-psi", {"reading": "b", "noise": 0.106}),  # the PSI itself
]


@pytest.mark.parametrize(("exercise", "answers"), RIGHT_07)
def test_right_answers_in_other_words_pass_07(exercise07, exercise, answers):
    assert verdict(exercise07, exercise, **answers)


@pytest.mark.parametrize(("exercise", "answers"), WRONG_07)
def test_plausible_wrong_answers_fail_07(exercise07, exercise, answers):
    assert not verdict(exercise07, exercise, **answers)


RIGHT_REMEDIES = [
    {"A": "retrain", "B": "reweight", "C": "bbse", "D": "recalibrate", "E": "hand over"},
    {"A": "Retrain", "B": " reweight", "C": "BBSE", "D": "recalibrate ", "E": "hand-over"},
]
WRONG_REMEDIES = [
    {"A": "retrain", "B": "reweight", "C": "reweight", "D": "recalibrate", "E": "hand over"},
    {"A": "retrain", "B": "retrain", "C": "bbse", "D": "recalibrate", "E": "hand over"},
    {"A": "retrain", "B": "reweight", "C": "bbse", "D": "retrain", "E": "retrain"},
    {"A": "retrain", "B": "reweight", "C": "label-shift correction", "D": "recalibrate",
     "E": "hand over"},  # not one of the options as written
    {"A": "retrain", "B": "reweight", "C": "bbse", "D": "recalibrate"},  # E missing
]


@pytest.mark.parametrize("remedies", RIGHT_REMEDIES)
def test_right_remedies_pass(exercise08, remedies):
    assert verdict(exercise08, "06-remedy", remedies=remedies)


@pytest.mark.parametrize("remedies", WRONG_REMEDIES)
def test_wrong_remedies_fail(exercise08, remedies):
    assert not verdict(exercise08, "06-remedy", remedies=remedies)


@pytest.mark.parametrize("letters", [{"b", "c"}, ["C", "b"], ("b", " c")])
def test_the_supported_statements_pass(exercise08, letters):
    assert verdict(exercise08, "08-reweight-evidence", supported=letters)


@pytest.mark.parametrize("letters", [{"a", "b", "c"}, {"b"}, {"c"}, {"b", "c", "f"}, {"a", "d"},
                                     {"b", "c", "z"}, set()])
def test_unsupported_statements_fail(exercise08, letters):
    """a: a small gain proves nothing; d: label shift changes p(y | x); e: clipping adds bias;
    f: an alarm is not a measured drop."""
    assert not verdict(exercise08, "08-reweight-evidence", supported=letters)


MONITORING = "Yearly domain classifier on 1,000 new answers; label 300 and re-evaluate when it fires."
RIGHT_SENTENCES = [
    ("Overall accuracy in 2000-09 was 0.766, lowest for men.", MONITORING),
    ("Women lost most: 0.878 -> 0.793, while all rows went to 0.766 in 2000-09.", "Check yearly."),
]
WRONG_SENTENCES = [
    ("Accuracy fell.", MONITORING),  # no number
    ("Accuracy fell by 0.038 in 2000-09.", MONITORING),  # a difference, not the accuracy
    ("Accuracy fell to about 0.77.", MONITORING),  # not the table's number
    ("Accuracy was 0.804 on held-out data.", MONITORING),  # not the 2000-09 number
    ("Accuracy for women in 2000-09 was 0.793.", MONITORING),  # a group, not all rows
    ("Overall accuracy in 2000-09 was 0.766.", "   "),  # no monitoring step
    ("Overall accuracy in 2000-09 was 0.766.", ...),  # monitoring still the placeholder
    (0.766, MONITORING),  # a number, not a sentence
]


@pytest.mark.parametrize(("finding", "monitoring_step"), RIGHT_SENTENCES)
def test_card_sentences_in_other_words_pass(exercise08, finding, monitoring_step):
    assert verdict(exercise08, "06-card-section", finding=finding, monitoring_step=monitoring_step)


@pytest.mark.parametrize(("finding", "monitoring_step"), WRONG_SENTENCES)
def test_plausible_wrong_card_sentences_fail(exercise08, finding, monitoring_step):
    assert not verdict(exercise08, "06-card-section", finding=finding, monitoring_step=monitoring_step)


def test_the_model_answer_builds_the_card_section(exercise08):
    """The solution's two sentences go into a ShiftReport with the table and the detector verdict."""
    namespace = exercise08[0]
    section = namespace["shift"].ShiftReport(
        "1974-89", "US adults", namespace["evaluation"],
        findings=[namespace["finding"]], monitoring=[namespace["monitoring_step"]]).to_markdown()
    assert "| 2000-09 | all | 9007 | 0.766 |" in section and namespace["finding"] in section


def test_placeholders_are_not_answers(exercise07, exercise08):
    assert not verdict(exercise07, "06-psi", reading=..., noise=0.127)
    assert not verdict(exercise08, "06-remedy", remedies=...)
    assert not verdict(exercise08, "06-card-section", finding=..., monitoring_step=...)
