"""The course template, build_card / build_dataset_card, the section table and the HTML preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import DatasetCard, ModelCard

from modelshare import data
from modelshare.card import (
    Fill,
    build_card,
    build_dataset_card,
    check_card,
    from_datasheet,
    render_html,
    section,
    section_specs,
)
from modelshare.card.build import template_path
from modelshare.card.sections import normalise_heading, recognise

SEED = Path("/work/shared/seed/documenting-and-releasing-a-model.txt")


def test_template_has_every_section_of_the_table_in_order():
    doc = build_card("demo")
    ids = [s.id for s in section_specs("model")]
    assert doc.section_ids() == ids
    text = Path(template_path("model")).read_text()
    assert "ModelCard.from_template" in text  # says how it is used


def test_template_keeps_the_hubs_sections_and_adds_the_checklist():
    text = build_card("demo").text
    hub = ["Model Details", "Uses", "Out-of-Scope Use", "Bias, Risks, and Limitations",
           "How to Get Started with the Model", "Training Details", "Training Data",
           "Training Procedure", "Preprocessing", "Evaluation", "Environmental Impact", "Citation",
           "Model Card Contact"]
    checklist = ["Environment", "Model Weights", "Ethical Considerations",
                 "Distribution Shift and Monitoring", "Acknowledgements"]
    for title in hub + checklist:
        assert f"# {title}\n" in text, title


def test_guidance_is_our_own_words_and_has_a_role():
    seed = SEED.read_text() if SEED.exists() else ""
    for spec in section_specs("model") + section_specs("dataset"):
        assert spec.role in {"developer", "sociotechnic", "organiser"}
        assert len(spec.guidance.split()) >= 5
        for sentence in spec.guidance.split(". "):
            if len(sentence) > 30:
                assert sentence not in seed
    assert section("shift").title == "Distribution Shift and Monitoring"
    assert sum(s.weight for s in section_specs("model")) == 90
    with pytest.raises(ValueError, match="valid ids"):
        section("usage")


def test_normalise_and_recognise():
    assert normalise_heading("## 2.1 Usage (Sentence-Transformers) [optional]") == "usage"
    assert recognise("Environmental Impact") == "environmental_impact"
    assert recognise("Software environment") == "environment"
    assert recognise("Out-of-scope uses") == "out_of_scope"
    assert recognise("Some unrelated heading") is None


def test_sections_and_fills_merge_with_yours_first():
    fill = Fill(sections={"uses": "From autofill.", "evaluation": "Accuracy 0.8 by gender: ..."},
                metadata={"library_name": "sklearn", "license": "apache-2.0", "tags": ["a"]},
                details={"model_type": "LogisticRegression"})
    doc = build_card("demo", metadata={"license": "mit", "tags": ["b"]},
                     sections={"uses": "Written by me."}, fills=[fill], developers="Ana")
    assert doc.get("uses") == "Written by me."
    assert doc.get("evaluation").startswith("Accuracy 0.8")
    assert doc.meta["license"] == "mit" and doc.meta["library_name"] == "sklearn"
    assert doc.meta["tags"] == ["b", "a"]
    details = doc.get("details")
    assert "**Developed by:** Ana" in details and "LogisticRegression" in details
    assert ModelCard(doc.text).data.license == "mit"


def test_unknown_section_ids_and_misspelt_details_are_refused():
    with pytest.raises(ValueError, match="Unknown section id"):
        build_card("demo", sections={"usage": "x"})
    with pytest.raises(ValueError, match="developers"):
        build_card("demo", developer="Ana")  # the template says `developers`


def test_unfilled_card_points_at_every_empty_section():
    result = check_card(build_card("demo", metadata={"license": "mit"}).text)
    empty = {f.section for f in result.findings if f.id == "section-empty"}
    assert {"uses", "limitations", "evaluation", "ethics", "shift", "contact"} <= empty
    assert result.score < 15


def test_dataset_card_from_the_gss_datasheet():
    frame = data.gss_wages()
    doc = build_dataset_card("GSS wages", metadata={"license": "other"},
                             fills=[from_datasheet(data.GSS_WAGES, frame)])
    assert doc.repo_type == "dataset"
    assert DatasetCard(doc.text).data.pretty_name == "GSS wages"
    assert "NORC" in doc.get("collection")
    assert f"{len(frame):,}" in doc.get("composition")
    assert doc.meta["size_categories"] == ["10K<n<100K"]
    result = check_card(doc.text)
    assert result.repo_type == "dataset"
    empty = {f.section for f in result.findings if f.id == "section-empty"}
    assert empty == {"motivation", "preprocessing", "uses", "maintenance"}


def test_render_html_is_safe():
    text = (Path(__file__).parent / "cards" / "good_gss_full.md").read_text()
    html = render_html(text)
    assert "<table" in html and "<h2>Uses</h2>" in html and "<td>mit</td>" in html
    hostile = render_html("# T\n\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n")
    assert "<script" not in hostile and "<img" not in hostile
