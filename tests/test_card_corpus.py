"""The card corpus in tests/cards/: every card's expected findings, round trip and preview."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from modelshare.card import CardDocument, check_card, render_html

CARDS = Path(__file__).parent / "cards"
EXPECTED = yaml.safe_load((CARDS / "expected.yaml").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in CARDS.glob("*.md"))


def test_corpus_is_big_enough_and_fully_described():
    assert len(FILES) >= 30
    assert sorted(EXPECTED) == FILES, "every card needs an entry in expected.yaml (and vice versa)"
    kinds = {name.split("_")[0] for name in FILES}
    assert {"good", "poor", "broken", "adv"} <= kinds


# Made-up tokens and keys, assembled here so that no token-shaped string sits in the repository
# (secret scanners, including this project's own pre-stop check, would flag the file).
FILLERS = {
    "{FAKE_HF_TOKEN}": "hf_" + "Q7mZ2xR9kT4vB8nL" + "1pW6sD3fG5hJ0aYcEu",
    "{XXX_HF_TOKEN}": "hf_" + "x" * 34,  # an obvious placeholder the checker must not flag
    "{FAKE_AWS_KEY_ID}": "AKIA" + "Q7MZ2XR9" + "KT4VB8NL",
}


def card_source(name: str):
    """The card to check: its path, or its text with the made-up tokens filled in."""
    text = (CARDS / name).read_text(encoding="utf-8", errors="replace")
    if not any(key in text for key in FILLERS):
        return CARDS / name
    for key, value in FILLERS.items():
        text = text.replace(key, value)
    return text


@pytest.mark.parametrize("name", FILES)
def test_expected_findings(name):
    spec = EXPECTED[name] or {}
    result = check_card(card_source(name))
    ids = set(result.ids())
    assert "check-failed" not in ids
    missing = set(spec.get("expect", [])) - ids
    assert not missing, f"{name}: expected {sorted(missing)}, got {sorted(ids)}"
    unwanted = set(spec.get("absent", [])) & ids
    assert not unwanted, f"{name}: did not expect {sorted(unwanted)}:\n{result.report()}"
    if "type" in spec:
        assert result.repo_type == spec["type"]
    if "score" in spec:
        low, high = spec["score"]
        assert low <= result.score <= high, result.report()
    flagged = {f.section for f in result.findings if f.id == "section-missing"}
    assert set(spec.get("missing_sections", [])) <= flagged, result.report()
    present = {s.id for s in result.sections if s.present}
    assert set(spec.get("present_sections", [])) <= present, result.report()
    assert not set(spec.get("present_sections", [])) & flagged


@pytest.mark.parametrize("name", FILES)
def test_round_trip_and_preview(name, tmp_path):
    raw = (CARDS / name).read_bytes()
    doc = CardDocument.load(CARDS / name)
    assert doc.save(tmp_path / "README.md").read_bytes() == raw
    html = render_html(doc)
    assert "<script" not in html


@pytest.mark.parametrize("name", [n for n in FILES if (EXPECTED[n] or {}).get("hub_rejects_model_index")])
def test_model_index_that_huggingface_hub_rejects(name):
    """The cards we call unreadable really are: huggingface_hub refuses their model-index."""
    from huggingface_hub import ModelCard

    text = (CARDS / name).read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        ModelCard(text)
    assert "model-index-invalid" in check_card(text).ids()


def test_scores_rank_good_above_poor_above_broken():
    """On average a good card beats a poor one, and a poor one beats a broken one; the
    course template left unfilled is the poorest card of all."""
    scores = {name: check_card(CARDS / name).score for name in FILES}

    def mean(prefix):
        chosen = [score for name, score in scores.items() if name.startswith(prefix)]
        return sum(chosen) / len(chosen)

    assert mean("good_") > 90 > mean("poor_") > mean("broken_")
    poor = {name: score for name, score in scores.items() if name.startswith("poor_")}
    assert min(poor, key=poor.get) == "poor_template_unfilled.md"
