"""The risk register: ratings, the card section it writes, and its widget."""

from __future__ import annotations

import ipywidgets as w
import pytest

from modelshare.card.check import check_card
from modelshare.card.session import CardSession
from modelshare.widgets.editor import ModelCardEditor
from modelshare.widgets.risk_register import RISKS, RiskRegister, rating


@pytest.fixture(autouse=True)
def close_widgets():
    yield
    w.Widget.close_all()


def filled() -> RiskRegister:
    register = RiskRegister("The model saw only US survey answers from 1974-1989.")
    register.assess("privacy", "A rare combination of answers could point to one person",
                    likelihood="low", impact="high", mitigation="Publish no training rows",
                    owner="project organiser")
    register.assess("bias", "Lower recall for women, who earned less in the 1980s",
                    likelihood="high", impact="high", mitigation="Report per-group results",
                    owner="model developer")
    register.assess("misuse", "Used to set someone's pay", likelihood="medium", impact="high",
                    mitigation="State it is out of scope", owner="")
    return register


def test_the_seed_risks_are_all_there():
    assert [r.id for r in RISKS] == ["privacy", "consent", "bias", "ip", "robustness",
                                     "reproducibility", "misuse", "accountability"]
    assert all(r.question.endswith("?") for r in RISKS)


@pytest.mark.parametrize("likelihood, impact, expected", [
    ("low", "low", "low"), ("low", "medium", "low"), ("medium", "medium", "medium"),
    ("low", "high", "medium"), ("medium", "high", "high"), ("high", "high", "high"),
])
def test_rating_grid(likelihood, impact, expected):
    assert rating(likelihood, impact) == expected == rating(impact, likelihood)


def test_markdown_is_sorted_by_rating_and_lists_what_is_left():
    text = filled().to_markdown()
    assert text.startswith("The model saw only US survey answers")
    lines = [line for line in text.splitlines() if line.startswith("| ") and "risk |" not in line]
    assert [line.split(" | ")[0] for line in lines] == [
        "| Data bias and fairness", "| Unintended use and misuse", "| Privacy"]
    assert "| Unintended use and misuse | medium | high | high | Used to set someone's pay | " \
           "State it is out of scope | - |" in text
    assert "Not assessed yet: Informed consent, Intellectual property" in text


def test_problems_name_the_gaps():
    problems = filled().problems()
    assert "Unintended use and misuse: say the owner" in problems
    assert "Reproducibility: not assessed yet" in problems
    assert not any(p.startswith("Privacy") for p in problems)


def test_bad_input_is_explained():
    register = RiskRegister()
    with pytest.raises(ValueError, match="use one of low, medium, high"):
        register.assess("bias", likelihood="very high")
    with pytest.raises(ValueError, match="the register has: privacy, consent.*Use one of"):
        register.assess("copyright")


def test_pipes_in_text_do_not_break_the_table():
    register = RiskRegister().assess("ip", "a | b", likelihood="low", impact="low",
                                     mitigation="x\ny", owner="me")
    assert "| a \\| b | x y | me |" in register.to_markdown()


def test_writes_the_limitations_section_and_raises_the_score(tmp_path):
    session = CardSession("gss-income", drafts_dir=tmp_path)
    before = session.check()
    filled().write_to(session)
    after = session.check()
    assert "Data bias and fairness" in session.doc.get("limitations")
    status = {s.id: s for s in after.sections}
    assert status["limitations"].points == status["limitations"].weight
    assert after.breakdown["coverage"] > before.breakdown["coverage"]
    assert check_card(session.text).score == after.score


def test_widget_edits_the_register_and_writes_to_an_editor(tmp_path):
    editor = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    register = RiskRegister()
    ui = register.widget(editor)
    fields = {}
    for child in ui.children[:-2]:
        for box in child.children[1:]:
            for field in box.children:
                fields[next(c for c in field._dom_classes if c.startswith("ms-risk-"))] = field
    assert len(fields) == 5 * len(RISKS)
    fields["ms-risk-consent-likelihood"].value = "medium"
    fields["ms-risk-consent-impact"].value = "high"
    fields["ms-risk-consent-concern"].value = "Respondents agreed to a survey, not to a model"
    assert register.entry("consent").rating == "high"
    preview = ui.children[-1]
    assert "Respondents agreed to a survey" in preview.value
    ui.children[-2].click()  # "Write to card"
    assert "Informed consent | medium | high | high" in editor.section_widgets["limitations"].value
    assert "Informed consent" in editor.preview.value


def test_widget_without_editor_cannot_write():
    ui = RiskRegister().widget()
    assert ui.children[-2].disabled


def test_writes_a_dataset_cards_considerations(tmp_path):
    session = CardSession("gss-wages", repo_type="dataset", drafts_dir=tmp_path)
    filled().write_to(session, "considerations")
    assert "Data bias and fairness" in session.doc.get("considerations")
    assert not session.check().for_section("considerations")
