"""modelshare.card.frontmatter splits a card exactly where huggingface_hub does."""

from __future__ import annotations

import pytest
from huggingface_hub import ModelCard, repocard
from hypothesis import given, settings
from hypothesis import strategies as st

from modelshare.card.frontmatter import REGEX_YAML_BLOCK, load_yaml, read_metadata, split
from modelshare.rules.metadata import scalar_traps


def test_same_pattern_as_huggingface_hub():
    assert REGEX_YAML_BLOCK.pattern == repocard.REGEX_YAML_BLOCK.pattern


def hub_view(text: str) -> tuple[bool, str]:
    """(has metadata, body) as huggingface_hub's ModelCard sees the text."""
    match = repocard.REGEX_YAML_BLOCK.search(text)
    try:
        return match is not None, ModelCard(text, ignore_metadata_errors=True).text
    except Exception:  # noqa: BLE001 - the client refuses unreadable YAML; the split still counts
        return match is not None, text[match.end():] if match else text


CASES = {
    "plain": "---\nlicense: mit\n---\n# Model\n",
    "opening with trailing spaces": "--- \nlicense: mit\n---\n# Model\n",
    "closing with trailing spaces": "---\nlicense: mit\n---  \n# Model\n",
    "crlf": "---\r\nlicense: mit\r\n---\r\n# Model\r\n",
    "old mac line ends": "---\rlicense: mit\r---\r# Model\r",
    "blank lines first": "\n\n---\nlicense: mit\n---\n# Model\n",
    "no closing line": "---\nlicense: mit\n# Model\n",
    "empty block": "---\n---\n# Model\n",
    "block not first": "# Model\n\n---\nlicense: mit\n---\n",
    "rule in the body": "# Model\n\ntext\n\n---\n\nmore\n",
    "byte order mark": "\ufeff---\nlicense: mit\n---\n# Model\n",
    "only the block": "---\nlicense: mit\n---",
}


@pytest.mark.parametrize("name", CASES)
def test_split_agrees_with_huggingface_hub(name):
    text = CASES[name]
    parts = split(text)
    has_block, body = hub_view(text)
    assert (parts.yaml is not None) == has_block
    assert parts.body == body
    assert parts.head + parts.body == text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["---", "--- ", "---\t", "license: mit", "", " ", "# T", "x: [1,"]),
                max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_split_agrees_on_random_cards(lines, newline):
    text = newline.join(lines)
    parts = split(text)
    has_block, body = hub_view(text)
    assert (parts.yaml is not None) == has_block and parts.body == body


def test_load_yaml_keeps_dates_as_text_and_says_where_it_breaks():
    assert load_yaml("date: 2020-01-02") == ({"date": "2020-01-02"}, None)
    assert load_yaml("") == ({}, None) and load_yaml(None) == (None, None)
    data, error = load_yaml("license: mit\ntags: [a, b\n")
    assert data is None and "line" in error


def test_read_metadata_is_empty_for_anything_but_a_mapping():
    assert read_metadata("---\nlicense: mit\n---\n") == {"license": "mit"}
    assert read_metadata("---\n- a\n- b\n---\n") == {}
    assert read_metadata("---\nx: [\n---\n") == {}
    assert read_metadata("# no block") == {}


def test_scalar_traps_name_the_word_its_type_and_line():
    yaml_text = "language:\n- en\n- no\n- 'no'\nversion: 1.10\nreleased: 2020-01-02\nname: null"
    traps = {t.path: (t.text, t.kind, t.line) for t in scalar_traps(yaml_text)}
    assert traps == {"language[1]": ("no", "boolean", 4), "version": ("1.10", "number", 6),
                     "released": ("2020-01-02", "date", 7), "name": ("null", "null", 8)}
    assert scalar_traps("x: [") == []
