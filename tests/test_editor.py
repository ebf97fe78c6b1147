"""The card editors without a browser: CardSession logic and the widgets' wiring."""

from __future__ import annotations

import ipywidgets as w
import pytest

from modelshare import data, example
from modelshare.card.check import check_card
from modelshare.card.document import CardDocument
from modelshare.card.session import CardSession, is_blank, slug
from modelshare.widgets.editor import DatasetCardEditor, ModelCardEditor

USES = ("Learners use it in a workshop to practise documenting a small tabular classifier "
        "trained on survey answers from 1974 to 1989.")
HAND_WRITTEN = """---
# our metadata, hand written
license: mit   # chosen by the team
tags: [survey, tabular]
---
# wages

A classifier for teaching.

## Uses

Only for teaching.

## Something of our own

Keep   this   spacing.
"""


@pytest.fixture(autouse=True)
def close_widgets():
    yield
    w.Widget.close_all()


@pytest.fixture(scope="module")
def running_example():
    frame = data.gss_wages()
    split = example.training_split(frame)
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    return model, split


# -- CardSession -------------------------------------------------------------------
def test_new_session_starts_from_the_template_with_no_draft(tmp_path):
    session = CardSession("gss-income", drafts_dir=tmp_path)
    assert session.get("uses") == ""  # a placeholder shows as an empty field
    assert "[More Information Needed]" in session.doc.get("uses")
    assert not session.draft_path.exists() and not session.restored


def test_every_change_is_written_to_the_draft_and_restored(tmp_path):
    session = CardSession("gss income/v1", drafts_dir=tmp_path)
    session.set("uses", USES).set_metadata("license", "mit")
    assert session.draft_path == tmp_path / "gss-income-v1.md"
    assert session.draft_path.read_text() == session.text
    again = CardSession("gss income/v1", drafts_dir=tmp_path)
    assert again.restored and "Restored your draft" in again.status
    assert again.get("uses") == USES and again.meta["license"] == "mit"
    assert not CardSession("gss income/v1", drafts_dir=tmp_path, restore=False).restored
    assert CardSession("other", drafts_dir=tmp_path).get("uses") == ""


def test_discarding_a_draft_keeps_it_aside(tmp_path):
    session = CardSession("demo", HAND_WRITTEN, drafts_dir=tmp_path)
    session.set("uses", USES)
    session.discard_draft()
    assert session.text == HAND_WRITTEN
    assert not session.draft_path.exists()
    assert USES in (tmp_path / "demo.discarded.md").read_text()


def test_setting_an_empty_section_puts_the_placeholder_back(tmp_path):
    session = CardSession("demo", HAND_WRITTEN, drafts_dir=tmp_path)
    session.set("uses", "   ")
    assert session.doc.get("uses") == "[More Information Needed]"
    assert "section-empty" in [f.id for f in session.check().for_section("uses")]


def test_load_and_save_unchanged_is_byte_exact(tmp_path):
    source = tmp_path / "in" / "README.md"
    source.parent.mkdir()
    source.write_bytes(HAND_WRITTEN.replace("\n", "\r\n").encode())
    session = CardSession("demo", drafts_dir=tmp_path / "drafts")
    session.load(source)
    written = session.save(tmp_path / "out")
    assert written == tmp_path / "out" / "README.md"
    assert written.read_bytes() == source.read_bytes()


def test_an_edit_changes_only_its_section_and_key(tmp_path):
    session = CardSession("demo", HAND_WRITTEN, drafts_dir=tmp_path)
    session.set("uses", "Teaching only, never for decisions about people.")
    session.set_metadata("library_name", "sklearn")
    text = session.text
    assert "license: mit   # chosen by the team" in text and "# our metadata, hand written" in text
    assert "tags: [survey, tabular]" in text and "Keep   this   spacing." in text
    assert "Teaching only, never for decisions about people." in text
    assert "Only for teaching." not in text
    assert CardDocument(text).meta["library_name"] == "sklearn"


def test_removing_a_metadata_key(tmp_path):
    session = CardSession("demo", HAND_WRITTEN, drafts_dir=tmp_path)
    session.set_metadata("tags", [])
    assert "tags" not in session.meta and session.meta["license"] == "mit"


def test_metadata_on_a_fresh_template_card_is_valid_yaml(tmp_path):
    # build_card writes `{}` for empty metadata; a key added after it must still parse
    session = CardSession("demo", drafts_dir=tmp_path)
    session.set_metadata("license", "mit").set_metadata("tags", ["tabular"])
    assert session.doc.meta_error is None
    assert session.meta == {"license": "mit", "tags": ["tabular"]}


def test_load_of_a_missing_file_says_what_to_do(tmp_path):
    session = CardSession("demo", drafts_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="give a README.md"):
        session.load(tmp_path / "nowhere" / "README.md")


def test_bad_names_and_types_are_explained(tmp_path):
    with pytest.raises(ValueError, match="no letters or digits"):
        slug("///")
    with pytest.raises(ValueError, match="CardDocument, the card's text or a path.*pass card="):
        CardSession("demo", 42, drafts_dir=tmp_path)
    with pytest.raises(ValueError, match="'model' or 'dataset'"):
        CardSession("demo", repo_type="space", drafts_dir=tmp_path)


def test_is_blank():
    assert is_blank("<!-- write here -->\n\n[More Information Needed]")
    assert is_blank(None)
    assert not is_blank("- **Licence:** mit")


def test_autofill_fills_empty_sections_and_keeps_your_text(tmp_path, running_example):
    from modelshare.card.session import autofill_sources

    model, split = running_example
    session = CardSession("gss-income", drafts_dir=tmp_path)
    session.set("training_data", "Our own words about the data.")
    before = session.check().breakdown["coverage"]
    fills = autofill_sources(model=model, train=(split.X_train, split.y_train),
                             test=(split.X_test, split.y_test), groups="gender",
                             datasheet=data.GSS_WAGES, n_resamples=50)
    notes = session.autofill(fills)
    assert "kept your text in 'Training Data'" in notes
    assert "filled 'Evaluation'" in notes and "filled 'Training Procedure'" in notes
    assert session.get("training_data") == "Our own words about the data."
    assert "gender" in session.get("evaluation")
    assert session.meta["library_name"] == "sklearn"
    assert session.meta["pipeline_tag"] == "tabular-classification"
    assert session.meta["model-index"][0]["name"] == "gss-income"
    assert "LogisticRegression" in session.doc.get("details")  # Model Details placeholder filled
    assert session.check().breakdown["coverage"] > before
    assert session.draft_path.read_text() == session.text


def test_autofill_needs_pairs(tmp_path, running_example):
    from modelshare.card.session import autofill_sources

    model, split = running_example
    with pytest.raises(ValueError, match=r"train must be a pair \(X, y\), e.g. train=\(split"):
        autofill_sources(model=model, train=split.X_train)


# -- the widgets -------------------------------------------------------------------
def test_typing_updates_preview_meter_titles_and_draft(tmp_path):
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path)
    score, preview = editor.meter.value, editor.preview.value
    editor.section_widgets["out_of_scope"].value = (
        "Decisions about a real person's pay, credit or benefits; people surveyed after 1989, "
        "whose world the model has not seen; any country other than the United States.")
    assert editor.meter.value > score
    assert "Decisions about a real person" in editor.preview.value != preview
    assert f"{editor.score}/100" in editor.score_label.value
    assert editor.score == check_card(editor.text).score
    assert editor.session.draft_path.read_text() == editor.text
    index = 1 + [s.id for s in editor.specs].index("out_of_scope")
    assert editor.accordion.titles[index].startswith("●")
    assert editor.last_update_ms > 0


def test_metadata_widgets_write_yaml(tmp_path):
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path)
    assert editor.meta_widgets["license"].value == "mit"
    assert editor.meta_widgets["tags"].value == "survey, tabular"  # lists: comma-separated
    assert "mit" in editor.meta_widgets["license"].options  # the Hub's licence list
    editor.meta_widgets["license"].value = "apache-2.0"
    editor.meta_widgets["language"].value = "en"
    editor.meta_widgets["pipeline_tag"].value = "tabular-classification"
    meta = editor.session.meta
    assert meta["license"] == "apache-2.0" and meta["language"] == ["en"]
    assert meta["pipeline_tag"] == "tabular-classification"
    assert "apache-2.0" in editor.preview.value
    editor.meta_widgets["language"].value = "en, fr ,, "
    assert editor.session.meta["language"] == ["en", "fr"]
    editor.meta_widgets["language"].value = ""
    assert "language" not in editor.session.meta


def test_every_field_is_named_by_a_label_not_by_its_hint(tmp_path):
    """Screen readers announce a field's description (its <label>), else its placeholder."""
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path)
    labels = {key: widget.description for key, widget in editor.meta_widgets.items()}
    assert labels["datasets"] == "Datasets" and labels["language"] == "Language"
    assert all(labels.values())
    for spec in editor.specs:
        assert editor.section_widgets[spec.id].description == spec.title


def test_sections_open_one_at_a_time_from_their_header_buttons(tmp_path):
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path)
    sections = editor.accordion
    assert sections.selected_index is None
    assert all(pane.layout.display == "none" for pane in sections.panes)
    sections.headers[3].expanded = True  # what a click, Enter or Space does in the browser
    assert sections.selected_index == 3 and sections.panes[3].layout.display is None
    sections.headers[5].expanded = True
    assert sections.selected_index == 5 and not sections.headers[3].expanded
    assert sections.panes[3].layout.display == "none"
    sections.headers[5].expanded = False
    assert sections.selected_index is None
    editor.open_section("uses")
    opened = sections.panes[sections.selected_index]
    assert editor.section_widgets["uses"] in opened.children
    assert sections.headers[sections.selected_index].expanded


def test_buttons_announce_their_result_and_typing_does_not(tmp_path):
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path)
    before = editor.status.seq
    editor.section_widgets["uses"].value = USES
    assert editor.status.seq == before and "Edited" in editor.status.value
    editor.path.value = str(tmp_path / "card")
    editor.save_button.click()
    assert editor.status.seq == before + 1 and editor.status.kind == "info"
    editor.path.value = str(tmp_path / "nowhere" / "README.md")
    editor.load_button.click()
    assert editor.status.seq == before + 2 and editor.status.kind == "error"
    assert editor.status.value.startswith("✖ FileNotFoundError")


def test_each_finding_opens_its_section(tmp_path):
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path)
    findings = editor.session.findings()
    shown = [row for row in editor.finding_rows if row[0].layout.display != "none"]
    assert len(shown) == min(len(findings), len(editor.finding_rows))
    for i, (_, button, _) in enumerate(shown):
        button.click()
        expected = editor.open_section(findings[i].section)
        assert editor.accordion.selected_index == expected
        assert (expected == 0) == (findings[i].section not in [s.id for s in editor.specs])
    evaluation = next(i for i, f in enumerate(findings) if f.section == "evaluation")
    if evaluation < len(shown):
        shown[evaluation][1].click()
        assert editor.accordion.panes[editor.accordion.selected_index].children[1] is \
            editor.section_widgets["evaluation"]


def test_save_and_load_buttons(tmp_path):
    editor = ModelCardEditor("gss-income", HAND_WRITTEN, drafts_dir=tmp_path / "drafts")
    editor.path.value = str(tmp_path / "card" / "README.md")
    editor.save_button.click()
    assert (tmp_path / "card" / "README.md").read_text() == HAND_WRITTEN
    assert "Saved" in editor.status.value
    other = ModelCardEditor("second", drafts_dir=tmp_path / "drafts")
    other.path.value = str(tmp_path / "card" / "README.md")
    other.load_button.click()
    assert other.section_widgets["uses"].value == "Only for teaching."
    assert other.meta_widgets["license"].value == "mit"
    assert other.text == HAND_WRITTEN
    other.path.value = str(tmp_path / "missing.md")
    other.load_button.click()
    assert "FileNotFoundError" in other.status.value and other.text == HAND_WRITTEN


def test_a_new_editor_with_the_same_name_restores_the_draft(tmp_path):
    first = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    first.section_widgets["uses"].value = USES
    first.close()
    second = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    assert second.section_widgets["uses"].value == USES
    assert "Restored your draft" in second.status.value
    second.discard_button.click()
    assert second.section_widgets["uses"].value == ""


def test_editor_set_and_autofill_from_code(tmp_path, running_example):
    model, split = running_example
    editor = ModelCardEditor("gss-income", drafts_dir=tmp_path, model=model,
                             train=(split.X_train, split.y_train),
                             test=(split.X_test, split.y_test), groups="gender",
                             datasheet=data.GSS_WAGES, n_resamples=50)
    assert not editor.autofill_button.disabled
    editor.autofill_button.click()
    assert "Autofill: filled" in editor.status.value
    assert "LogisticRegression" in editor.section_widgets["training_procedure"].value
    assert editor.meta_widgets["library_name"].value == "sklearn"
    editor.set("uses", USES)
    assert editor.section_widgets["uses"].value == USES
    with pytest.raises(ValueError, match="No section 'usage' in this editor: use one of .*uses"):
        editor.set("usage", USES)


def test_editor_get_reads_a_section_as_its_field_shows_it(tmp_path):
    editor = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    assert "Best written by" in editor.session.doc.get("uses")  # the template's guidance...
    assert editor.get("uses") == ""  # ...is not text the learner wrote
    editor.set("uses", USES)
    assert editor.get("uses") == USES == editor.session.get("uses")  # the old path still works
    with pytest.raises(ValueError, match="No section 'usage' in this editor: use one of"):
        editor.get("usage")


def test_setting_metadata_on_a_new_card_changes_only_the_yaml_block(tmp_path):
    """The course template starts with an empty `{}` YAML block (huggingface_hub 2.4 writes
    one for empty card data); CardDocument.set_metadata replaces it and keeps the rest."""
    session = CardSession("demo", drafts_dir=tmp_path)
    assert session.text.startswith("---\n{}\n---\n")
    body = session.doc.body
    session.set_metadata("license", "mit")
    assert session.text == "---\nlicense: mit\n---\n" + body  # the blank line after it, too
    assert session.meta == {"license": "mit"}


def test_autofill_without_sources_is_explained(tmp_path):
    editor = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    assert editor.autofill_button.disabled
    with pytest.raises(ValueError, match="Nothing to autofill from"):
        editor.autofill()


def test_dataset_card_editor(tmp_path):
    frame = data.gss_wages()
    editor = DatasetCardEditor("gss-wages", datasheet=data.GSS_WAGES, frame=frame,
                               drafts_dir=tmp_path)
    assert "size_categories" in editor.meta_widgets and "library_name" not in editor.meta_widgets
    before = editor.score
    editor.autofill()
    assert editor.score > before
    assert "NORC" in editor.section_widgets["collection"].value
    assert editor.session.meta["size_categories"] == ["10K<n<100K"]
    assert editor.check().repo_type == "dataset"
    editor.open_section("maintenance")
    assert editor.accordion.titles[editor.accordion.selected_index].endswith("Maintenance · organiser")


def test_preview_rendered_block_by_block_equals_the_whole_render(tmp_path):
    from modelshare import pretrained
    from modelshare.card.render import render_html

    for card in (HAND_WRITTEN, (pretrained.model_dir() / "README.md").read_text(),
                 "---\nlicense: mit\n---\n---\nnot: yaml\n---\n# T\n\n[x][1]\n\n## Uses\n\n"
                 "[1]: http://example.org\n"):
        session = CardSession("demo", card, drafts_dir=tmp_path)
        session.set("uses", "Teaching | with a pipe and *emphasis*.")
        assert session.preview_html().replace("\n", "") == \
            render_html(session.doc).replace("\n", "")


def test_html_in_a_card_is_shown_as_text_in_the_preview(tmp_path):
    editor = ModelCardEditor("demo", HAND_WRITTEN, drafts_dir=tmp_path)
    editor.set("uses", "<script>alert('x')</script> <img src=x onerror=alert(1)>")
    assert "<script>" not in editor.preview.value and "<img" not in editor.preview.value
    assert "&lt;script&gt;" in editor.preview.value


def test_an_unwritable_draft_folder_keeps_the_edit_and_says_so(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the drafts folder should be")
    editor = ModelCardEditor("demo", HAND_WRITTEN, drafts_dir=blocker)
    editor.section_widgets["uses"].value = USES
    assert editor.session.get("uses") == USES and USES in editor.preview.value
    assert "Could not write the draft" in editor.status.value


def test_a_card_can_be_given_as_a_path_or_a_folder(tmp_path):
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "README.md").write_text(HAND_WRITTEN)
    for given in (tmp_path / "repo", str(tmp_path / "repo" / "README.md")):
        assert CardSession("demo", given, drafts_dir=None).text == HAND_WRITTEN


def test_dataset_autofill_from_a_frame_alone(tmp_path):
    frame = data.gss_wages()
    editor = DatasetCardEditor("gss-wages", frame=frame, drafts_dir=tmp_path)
    editor.autofill()
    assert "`realrinc`" in editor.section_widgets["composition"].value
    assert editor.section_widgets["collection"].value == ""  # no datasheet: left to you


def test_running_the_editor_cell_again_closes_the_old_editor(tmp_path):
    old = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    old.section_widgets["uses"].value = USES
    new = ModelCardEditor("gss-income", drafts_dir=tmp_path)
    assert old.comm is None and old.section_widgets["uses"].comm is None  # closed
    assert new.comm is not None and new.section_widgets["uses"].value == USES
    other = ModelCardEditor("gss-income", drafts_dir=tmp_path / "elsewhere")
    assert new.comm is not None and other.comm is not None


def test_fields_show_the_template_prompts_without_its_guidance_comment(tmp_path):
    session = CardSession("demo", drafts_dir=tmp_path)
    raw = session.doc.get("evaluation")
    shown = session.get("evaluation")
    assert raw.startswith("<!--") and "Best written by" in raw
    assert "<!--" not in shown and shown in raw and shown.startswith("- **")
    session.set("evaluation", shown.replace("[More Information Needed]", "see below", 1))
    assert "<!--" not in session.doc.get("evaluation")
    assert "template-comment" not in [f.id for f in session.check().for_section("evaluation")]


def test_a_card_with_broken_yaml_explains_instead_of_failing(tmp_path):
    broken = "---\nlicense: [mit\n---\n# demo\n\n## Uses\n\nTeaching.\n"
    editor = ModelCardEditor("demo", broken, drafts_dir=tmp_path)
    assert "metadata-yaml-invalid" in editor.check().ids()
    editor.meta_widgets["license"].value = "mit"
    assert "cannot be read" in editor.status.value and "fix it by hand" in editor.status.value
    editor.section_widgets["uses"].value = USES  # the sections still work
    assert USES in editor.preview.value and editor.text.startswith("---\nlicense: [mit\n")
