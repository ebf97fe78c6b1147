"""check_card: findings, score, inputs of every kind."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from modelshare.card import CardCheck, check_card
from modelshare.card.check import MAX_CHARS
from modelshare.rules import secrets

CARDS = Path(__file__).parent / "cards"
GOOD = (CARDS / "good_gss_full.md").read_text(encoding="utf-8")


def test_good_card_scores_full_marks_and_report_explains():
    result = check_card(GOOD)
    assert isinstance(result, CardCheck)
    assert result.score == 100 and result.findings == []
    assert result.breakdown == {"coverage": 90.0, "metadata": 10.0, "penalties": 0.0}
    assert "100/100" in result.report()


@pytest.mark.parametrize("heading, section", [
    ("## Usage", "get_started"), ("## How to use", "get_started"),
    ("## Intended uses", "uses"), ("## Caveats", "limitations"), ("## 3. Limitations", "limitations"),
    ("## Results", "evaluation"), ("### Hyperparameters", "training_procedure"),
    ("## Contact information", "contact"), ("## Carbon footprint", "environmental_impact"),
    ("## Monitoring", "shift"), ("## Usage (HuggingFace Transformers)", "get_started"),
])
def test_heading_synonyms_are_recognised(heading, section):
    text = f"# T\n\n{heading}\n\n" + "Plenty of words here to count as a written section. " * 3
    result = check_card(text)
    assert section not in {f.section for f in result.findings if f.id == "section-missing"}


def test_combined_heading_counts_for_both_sections():
    text = ("# T\n\n## Intended uses & limitations\n\n"
            + "Teaching only; it fails for people over eighty and for later years. " * 3)
    present = {s.id for s in check_card(text).sections if s.present}
    assert {"uses", "limitations"} <= present


def test_removing_a_section_lowers_the_score_by_its_weight():
    without = GOOD.replace("## Bias, Risks, and Limitations", "## Notes")
    full, reduced = check_card(GOOD), check_card(without)
    assert full.score - reduced.score == 14  # its weight in modelshare.card.sections
    (finding,) = [f for f in reduced.findings if f.id == "section-missing"]
    assert finding.section == "limitations" and "sociotechnic" in finding.fix


def test_each_finding_points_at_a_known_section_or_metadata():
    from modelshare.card.sections import section_specs

    for path in CARDS.glob("*.md"):
        result = check_card(path)
        valid = {s.id for s in section_specs(result.repo_type)} | {"metadata", None}
        assert {f.section for f in result.findings} <= valid, path.name


def test_minilm_critique_matches_a_careful_review():
    """The real third-party card: usage code and training details are there; limitations,
    evaluation, out-of-scope use and ethics are not, and the base model is only in the text."""
    result = check_card(CARDS / "thirdparty_all-MiniLM-L6-v2.md")
    missing = {f.section for f in result.findings if f.id == "section-missing"}
    assert {"limitations", "evaluation", "out_of_scope", "ethics"} <= missing
    assert not {"uses", "get_started", "training_data", "training_procedure"} & missing
    (base,) = [f for f in result.findings if f.id == "base-model-missing"]
    assert "nreimers/MiniLM-L6-H384-uncased" in base.fix
    assert not [f for f in result.findings if f.section == "metadata" and f.severity == "error"]


def test_claims_need_numbers_nearby():
    assert "claim-unsupported" in check_card("# T\n\nOur model is state-of-the-art.\n").ids()
    assert "claim-unsupported" not in check_card(
        "# T\n\nIt is state-of-the-art on GSS: balanced accuracy 0.72 (95% CI 0.70-0.74).\n").ids()
    # titles of linked projects are not claims
    assert "claim-unsupported" not in check_card(
        "# T\n\nPart of [the best model ever: state of the art](https://example.org).\n").ids()


def test_secret_caps_score_and_is_redacted():
    token = "hf_" + "Q7mZ2xR9kT4vB8nL1pW6sD3fG5hJ0aYcEu"
    result = check_card(GOOD + f"\n\n```python\nlogin('{token}')\n```\n")
    (finding,) = [f for f in result.findings if f.id == "hf-token"]
    assert result.score == 0 and token not in finding.message and finding.severity == "error"
    assert not secrets.IDS & set(check_card(GOOD + "\n\nlogin(token=os.environ['HF_TOKEN'])\n").ids())


def test_placeholders_and_comments_point_at_their_section():
    text = GOOD.replace("Open an issue in the course repository, or write to the course team.",
                        "Open an issue. TODO add an e-mail address. <!-- who answers? -->")
    result = check_card(text)
    assert [f.section for f in result.findings if f.id == "placeholder"] == ["contact"]
    assert [f.section for f in result.findings if f.id == "template-comment"] == ["contact"]


def test_pickle_files_next_to_the_card(tmp_path):
    (tmp_path / "README.md").write_text(GOOD, encoding="utf-8")
    assert "weights-pickle" not in check_card(tmp_path).ids()
    with open(tmp_path / "model.bin", "wb") as handle:
        pickle.dump({"weights": [1, 2, 3]}, handle)
    found = [f for f in check_card(tmp_path).findings if f.id == "weights-pickle"]
    assert found and "model.bin" in found[0].message and found[0].section == "weights"


@pytest.mark.parametrize("source, finding", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not-text"),
    ("# T\n\x00\x00binary", "not-text"),
    ("", "card-empty"),
    ("   \n\n", "card-empty"),
    ("---\n: : :\n  - [\n---\n", "metadata-yaml-invalid"),
    ("---\nlicense: mit\n", "metadata-missing"),  # an unclosed block is not a YAML block
    ("---\n[1, 2]\n---\n", "metadata-not-mapping"),
    ("---\nmodel-index: [{name: x, results: [{task: 1}]}]\nlicense: mit\n---\n", "model-index-invalid"),
])
def test_bad_input_gives_findings_not_tracebacks(source, finding):
    result = check_card(source)
    assert finding in result.ids() and "check-failed" not in result.ids()
    assert 0 <= result.score <= 100


def test_huge_card_is_truncated_with_a_warning():
    result = check_card(GOOD + "\n" + "word " * (MAX_CHARS // 5))
    assert "card-too-large" in result.ids()


def test_paths_folders_and_missing_files(tmp_path):
    (tmp_path / "README.md").write_text(GOOD, encoding="utf-8")
    assert check_card(tmp_path).score == check_card(tmp_path / "README.md").score == 100
    assert check_card(str(tmp_path / "README.md")).source.endswith("README.md")
    with pytest.raises(FileNotFoundError, match="No card"):
        check_card(tmp_path / "nothing.md")
    with pytest.raises(FileNotFoundError):
        check_card(str(tmp_path / "sub" / "README.md"))
    assert check_card("just a line of text").source == "<text>"
    with pytest.raises(FileNotFoundError, match="README.md"):
        check_card("/")  # a folder without a card


def test_dataset_cards_are_detected_and_checked_with_datasheet_sections():
    result = check_card(CARDS / "poor_dataset_minimal.md")
    assert result.repo_type == "dataset"
    assert {s.id for s in result.sections} >= {"motivation", "composition", "collection"}
    forced = check_card(CARDS / "poor_dataset_minimal.md", repo_type="model")
    assert forced.repo_type == "model"


def test_to_dict_is_json_ready():
    import json

    payload = json.loads(json.dumps(check_card(CARDS / "poor_claims.md").to_dict()))
    assert payload["score"] == check_card(CARDS / "poor_claims.md").score
    assert {"id", "severity", "message", "fix", "section"} <= set(payload["findings"][0])


def test_a_card_document_can_be_checked_directly():
    from modelshare.card import load_card

    doc = load_card(CARDS / "good_gss_full.md")
    assert check_card(doc).score == 100
    doc.set("limitations", "")
    assert check_card(doc, repo_type="model").score < 100


def test_notebook_display_lists_every_finding():
    result = check_card(CARDS / "poor_claims.md")
    shown = result._repr_markdown_()
    assert shown.startswith(f"**{result.score}/100**")
    assert shown.count("\n| ") == len(result.findings) + 1  # header + one row each
    assert "No findings." in check_card(CARDS / "good_gss_full.md")._repr_markdown_()


def test_contact_given_in_passing_earns_half():
    text = GOOD.replace("## Model Card Contact\n\nOpen an issue in the course repository, or write "
                        "to the course team.", "Questions: team@example.org")
    result = check_card(text)
    (finding,) = [f for f in result.findings if f.section == "contact"]
    assert finding.id == "section-unheaded" and "team@example.org" in finding.message
    assert result.score == 98  # half of the section's 3 points


@pytest.mark.parametrize("text, flagged", [
    ("Accuracy 0.81 on 2,000 rows.", False),
    ("Accuracy 81% on 2,000 rows.", False),
    ("Accuracy 0.74 (95% CI 0.72-0.76).", True),  # a 95% interval is not a 0.95 result
])
def test_model_index_numbers_must_appear_in_the_text(text, flagged):
    card = ("---\nlicense: mit\nmodel-index:\n- name: m\n  results:\n  - task: {type: t}\n"
            "    dataset: {type: d, name: n}\n    metrics: [{type: accuracy, value: 0.81}]\n---\n"
            f"# m\n\n## Evaluation\n\n{text}\n")
    assert ("model-index-not-in-text" in check_card(card).ids()) is flagged


BASE_HEAD = "---\nlicense: mit\nlibrary_name: transformers\n---\n# acme/bert-small-sentiment\n\n"


@pytest.mark.parametrize("body, claimed", [
    ("This model is a fine-tuned version of [bert](https://huggingface.co/google/bert-base-uncased)"
     " on reviews.", True),
    ("[codebert-base](https://huggingface.co/microsoft/codebert-base) fine-tuned on CodeXGLUE.", True),
    ("We used the pretrained [`n/MiniLM`](https://huggingface.co/n/MiniLM) model and fine-tuned it.",
     True),
    # a sibling size of this model, its own files, an export of it, another card, no parent verb
    ("It is based on the same recipe as [the large one](https://huggingface.co/acme/bert-large-sentiment).",
     False),
    ("It was fine-tuned from [model.bin](https://huggingface.co/google/bert-base-uncased/resolve/main/m.bin).",
     False),
    ("An ONNX version of [this model](https://huggingface.co/acme/bert-small-sentiment-onnx) exists.",
     False),
    ("This card is based on [the card](https://huggingface.co/google/bert-base-uncased) of Google's.",
     False),
    ("See also `google/bert-base-uncased` for comparison.", False),
    ("Initialised from `acme/bert-small-sentiment`.\n\n```python\n"
     "pipeline('x', model='acme/bert-small-sentiment')\n```", False),
])
def test_base_model_is_claimed_missing_only_for_a_real_parent(body, claimed):
    assert ("base-model-missing" in check_card(BASE_HEAD + body + "\n").ids()) is claimed


@pytest.mark.parametrize("kind", ["model", "dataset"])
def test_the_hubs_own_templates_earn_nothing_but_their_metadata(kind):
    """Rendered from the templates inside the installed huggingface_hub (not copied here):
    every placeholder form they use ([More Information Needed], bold, default sentences,
    guidance comments) counts zero words."""
    from huggingface_hub import DatasetCard, DatasetCardData, ModelCard, ModelCardData

    if kind == "model":
        text = str(ModelCard.from_template(ModelCardData(license="mit"), model_id="demo"))
    else:
        text = str(DatasetCard.from_template(DatasetCardData(license="mit"), pretty_name="demo"))
    result = check_card(text, kind)
    assert result.breakdown["coverage"] <= 3  # at most the "- **License:** mit" line the data fill
    assert result.score <= 10
    empty = {f.section for f in result.findings if f.id == "section-empty"}
    assert len(empty) >= 7  # reported once per section, not once per placeholder
    assert "section-unheaded" not in result.ids()  # template sentences are not mentions
