"""Round trip and section-level editing (modelshare.card.document)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from huggingface_hub import ModelCard
from huggingface_hub.repocard import REGEX_YAML_BLOCK as HUB_REGEX

from modelshare.card import CardDocument, load_card
from modelshare.card.document import REGEX_YAML_BLOCK

CARDS = Path(__file__).parent / "cards"
MINILM = CARDS / "thirdparty_all-MiniLM-L6-v2.md"

CARD = """---
# our notes stay
license: mit   # the licence
custom_key:
  nested: [1, 2]
tags:
- sklearn
---

# Demo

Short summary.

## Uses

Teaching.

### Direct Use

In class.

## Limitations

Only toy data.
"""


def test_yaml_block_pattern_is_the_hubs():
    assert REGEX_YAML_BLOCK.pattern == HUB_REGEX.pattern


def test_huggingface_hub_round_trip_is_not_byte_identical_but_ours_is(tmp_path):
    """Why CardDocument exists: ModelCard rewrites the YAML block (comments are lost)."""
    card = ModelCard(CARD)
    card.save(tmp_path / "hub.md")
    assert (tmp_path / "hub.md").read_text() != CARD
    assert "# our notes stay" not in (tmp_path / "hub.md").read_text()
    doc = CardDocument(CARD)
    doc.save(tmp_path / "ours.md")
    assert (tmp_path / "ours.md").read_text() == CARD


def test_sections_are_found_with_synonyms():
    doc = CardDocument(CARD)
    assert doc.section_ids() == ["summary", "uses", "limitations"]
    assert doc.get("summary") == "Short summary."
    assert doc.get("uses") == "Teaching.\n\n### Direct Use\n\nIn class."  # subsections included
    assert doc.get("evaluation") is None
    with pytest.raises(ValueError, match="valid ids"):
        doc.get("usage")


def test_set_changes_one_section_only():
    doc = CardDocument(CARD).set("uses", "Only for the course.")
    expected = CARD.replace("Teaching.\n\n### Direct Use\n\nIn class.", "Only for the course.")
    assert doc.text == expected


def test_set_of_get_changes_nothing():
    doc = CardDocument.load(MINILM)
    before = doc.text
    for section_id in doc.section_ids():
        doc.set(section_id, doc.get(section_id))
    assert doc.text == before


def test_adding_a_missing_section_keeps_everything_else():
    doc = CardDocument.load(MINILM)
    before = {sid: doc.get(sid) for sid in doc.section_ids()}
    doc.set("limitations", "Not checked for social bias.")
    doc.set("contact", "Open a discussion on the model page.")
    assert doc.get("limitations") == "Not checked for social bias."
    assert doc.get("contact") == "Open a discussion on the model page."
    assert {sid: doc.get(sid) for sid in before} == before
    assert doc.front == CardDocument.load(MINILM).front
    # inserted in checklist order: limitations before the examples, contact at the end
    assert doc.section_ids().index("limitations") < doc.section_ids().index("get_started")
    assert doc.section_ids()[-1] == "contact"


def test_set_metadata_keeps_other_keys_order_and_comments():
    doc = CardDocument(CARD).set_metadata("license", "apache-2.0")
    assert doc.meta["license"] == "apache-2.0"
    assert list(doc.meta) == ["license", "custom_key", "tags"]
    assert "# our notes stay" in doc.front and "nested: [1, 2]" in doc.front
    assert doc.body == CardDocument(CARD).body
    doc.set_metadata("library_name", "sklearn")
    assert list(doc.meta) == ["license", "custom_key", "tags", "library_name"]
    doc.set_metadata("custom_key", None)
    assert list(doc.meta) == ["license", "tags", "library_name"]
    assert ModelCard(doc.text).data.library_name == "sklearn"  # the Hub reads what we wrote


def test_set_metadata_on_a_card_without_yaml_and_with_crlf():
    doc = CardDocument("# T\n\nText.\n").set_metadata("license", "mit")
    assert doc.text == "---\nlicense: mit\n---\n# T\n\nText.\n"
    crlf = (CARDS / "adv_crlf.md").read_bytes().decode()
    doc = CardDocument(crlf).set_metadata("pipeline_tag", "tabular-classification")
    doc.set("uses", "Line one.\nLine two.")
    assert "\n" not in doc.text.replace("\r\n", "")
    assert doc.meta["pipeline_tag"] == "tabular-classification"


def test_set_metadata_refuses_broken_yaml():
    doc = load_card(CARDS / "broken_yaml.md")
    assert doc.meta is None and "line" in doc.meta_error
    with pytest.raises(ValueError, match="cannot be read"):
        doc.set_metadata("license", "mit")


def test_dates_stay_text_and_hub_sees_same_metadata():
    doc = CardDocument("---\nreleased: 2024-05-01\nlicense: mit\n---\n")
    assert doc.meta == {"released": "2024-05-01", "license": "mit"}
    assert yaml.safe_load(doc.yaml_text)["license"] == ModelCard(doc.text).data.license


def test_to_model_card_gives_the_huggingface_hub_object():
    card = CardDocument.load(MINILM).to_model_card()
    assert card.data.pipeline_tag == "sentence-similarity"


def test_headings_inside_code_quotes_and_comments_are_not_sections():
    doc = load_card(CARDS / "adv_headings_in_code.md")
    assert "limitations" not in doc.section_ids()
    quoted = CardDocument("# T\n\n> ## Limitations\n> quoted from another card\n\n<!--\n## Uses\n-->\n")
    assert quoted.section_ids() == ["summary"]


def test_set_metadata_on_an_empty_flow_mapping_gives_valid_yaml():
    doc = CardDocument("---\n{}\n---\n# T\n\ntext\n")
    doc.set_metadata("license", "mit")
    assert doc.text == "---\nlicense: mit\n---\n# T\n\ntext\n"
    assert doc.meta == {"license": "mit"}
