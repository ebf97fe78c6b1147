"""Property tests: any text round-trips, editing never loses the rest, checking never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from modelshare.card import CardDocument, check_card, render_html
from modelshare.card.check import looks_like_path
from modelshare.card.sections import MODEL_SECTIONS

# Text built from the pieces that make cards tricky: YAML fences, headings, code fences,
# comments, placeholders, odd line ends and arbitrary unicode.
PIECES = st.sampled_from([
    "---", "---\n", "# ", "## ", "### ", "Uses", "Limitations", "Evaluation", "```", "~~~",
    "<!-- c -->", "[More Information Needed]", "license: mit", "model-index:", "- a",
    "  nested: 1", "\n", "\r\n", "\r", "\t", "Setext\n===", "hf_", ": [", "'", "\"", "\x00",
    "works well", "state of the art", "model.pkl",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_any_text_round_trips(text):
    assert CardDocument(text).text == text


@FAST
@given(TEXT)
def test_check_never_crashes(text):
    assume(not looks_like_path(text))  # a path that names nothing raises FileNotFoundError
    result = check_card(text)
    assert 0 <= result.score <= 100
    assert not {"check-failed", "metadata-check-failed"} & set(result.ids())
    render_html(text)


@FAST
@given(st.binary(max_size=200))
def test_check_never_crashes_on_bytes(data):
    result = check_card(data)
    assert 0 <= result.score <= 100 and "check-failed" not in result.ids()


BASE = (
    "---\nlicense: mit\nodd_key: [1, 2]\n---\n# Title\n\nSummary here.\n\n## Uses\n\nTeaching."
    "\n\n## Evaluation\n\nAccuracy 0.8.\n\n## Model Card Contact\n\nUs.\n"
)
SECTION_IDS = st.sampled_from([s.id for s in MODEL_SECTIONS if s.id != "training"])
MARKDOWN = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="#`\r"),
                   min_size=1, max_size=60).filter(lambda t: t.strip("\r\n") and "---" not in t)


@FAST
@given(SECTION_IDS, MARKDOWN)
def test_editing_one_section_keeps_the_others(section_id, markdown):
    doc = CardDocument(BASE)
    before = {sid: doc.get(sid) for sid in doc.section_ids() if sid != section_id}
    doc.set(section_id, markdown)
    after = CardDocument(doc.text)
    assert after.front == CardDocument(BASE).front
    assert after.meta == {"license": "mit", "odd_key": [1, 2]}
    for sid, text in before.items():
        assert after.get(sid) == text


@FAST
@given(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True),
       st.one_of(st.text(max_size=20), st.integers(), st.lists(st.text(max_size=5), max_size=3)))
def test_setting_a_key_keeps_order_and_other_keys(key, value):
    doc = CardDocument(BASE).set_metadata(key, value)
    keys = ["license", "odd_key"]
    assert doc.meta[key] == value
    assert [k for k in doc.meta if k in keys and k != key] == [k for k in keys if k != key]
    assert doc.body == CardDocument(BASE).body


HEADING_PIECES = st.sampled_from([
    "# ", "## ", "###### ", "####### ", "#", " #", "    #", "Uses", "Limitations", "\n", "\r\n",
    "\n\n", "- ", "* ", "1. ", "10) ", "text", " ##", "\\#", "> ", "| a | b |", "[x]: y", "\t",
    "<", "<div>", "`", "```", "~~~", "=", "===", "-", "---", "_", "*", "word ", "# Title #", "#5",
    "  ", "<!-- c -->", "[x]: y\n===", "[x]: y\n---",
])
HEADING_TEXT = st.lists(st.one_of(HEADING_PIECES, st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HEADING_TEXT)
def test_card_headings_are_exactly_commonmarks(text):
    """The card parser switches off markdown-it rules it does not need (block quotes, inline
    parsing) for speed: it must still find CommonMark's headings, and
    only those (a '#' line in code, in HTML or after a list marker is not a section)."""
    from markdown_it import MarkdownIt

    from modelshare.card.document import _structure

    full = MarkdownIt("commonmark").parse(text)
    expected = [(tok.map, int(tok.tag[1]), full[i + 1].content.strip())
                for i, tok in enumerate(full) if tok.type == "heading_open" and tok.map]
    quoted = any(tok.type == "blockquote_open" for tok in full)
    assume(not quoted)  # a heading inside "> ..." is quoted text, not a section: skipped on purpose
    heads, _, _ = _structure(text)
    assert heads == expected


KEYS = st.sampled_from(["license", "language", "tags", "datasets", "base_model", "pipeline_tag",
                        "library_name", "model-index", "metrics", "co2_eq_emissions",
                        "license_name", "size_categories", "task_categories", "licence", "x"])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["name", "results", "task", "dataset", "metrics", "type",
                                       "value", "source", "url", "emissions"]), children,
                      max_size=4),
    max_leaves=12,
)


@FAST
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.sampled_from(["model", "dataset"]))
def test_metadata_check_handles_any_values(meta, repo_type):
    from modelshare.card import check_metadata

    found = check_metadata(meta, repo_type)
    assert "metadata-check-failed" not in [f.id for f in found]
