"""The card checker on 67 cards other people wrote, graded 1-5 by hand (tests/cards/real/).

The card texts are not in the repository (tests/cards/real/README.md says why and how to
rebuild them); without them these tests skip and say so. benchmarks/cards.py prints the
same figures as a table.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest
from scipy.stats import spearmanr

from modelshare.card import CardDocument, check_card

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import card_corpus  # noqa: E402

CORPUS = card_corpus.load_corpus()
pytestmark = pytest.mark.skipif(
    not CORPUS, reason="real-card corpus not found: rebuild it with tools/card_corpus.py "
    "(tests/cards/real/README.md) or set MODELSHARE_CARD_CORPUS")


@pytest.fixture(scope="module")
def scored():
    return [(entry, text, check_card(text, repo_type=entry["kind"])) for entry, text in CORPUS]


def test_the_whole_corpus_is_there_unchanged():
    import hashlib

    assert len(CORPUS) == len(card_corpus.manifest()) >= 60
    for entry, text in CORPUS:
        if entry.get("sha256"):
            assert hashlib.sha256(text.encode("utf-8")).hexdigest() == entry["sha256"], entry["id"]


def test_every_real_card_round_trips_and_is_checked(scored):
    for entry, text, result in scored:
        assert CardDocument(text, entry["kind"]).text == text, entry["id"]
        assert "check-failed" not in result.ids(), entry["id"]


def test_scores_rank_cards_as_the_grades_do(scored):
    grades = [e["grade"] for e, _, _ in scored]
    scores = [r.score for _, _, r in scored]
    assert spearmanr(grades, scores)[0] >= 0.8
    held = [(e, r) for e, _, r in scored if e["split"] == "holdout"]
    assert spearmanr([e["grade"] for e, _ in held], [r.score for _, r in held])[0] >= 0.8, (
        "the held-out third ranks worse than the rest")
    means = [statistics.mean(r.score for e, _, r in scored if e["grade"] == g) for g in range(1, 6)]
    assert means == sorted(means), f"mean score per grade is not increasing: {means}"


def test_excellent_cards_pass_a_gate_of_75(scored):
    assert min(r.score for e, _, r in scored if e["grade"] == 5) >= 75


def test_no_false_invalid_value_verdicts(scored):
    from cards import verdicts

    judged = [(e["id"], message, right) for e, _, r in scored for message, right in verdicts(e, r)]
    wrong = [(cid, message) for cid, message, right in judged if not right]
    assert judged and len(wrong) <= 0.01 * len(judged), wrong
