"""ShiftExplorer without a browser: the plain functions, then the thin widget on top."""

from __future__ import annotations

import ipywidgets
import pytest

from modelshare import data, example, shift
from modelshare.widgets import shift as explorer

HELD_OUT = "1974-89 (held out)"


@pytest.fixture(scope="module")
def gss():
    frame = data.gss_wages()
    split = example.training_split(frame)
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    sets = {HELD_OUT: (split.X_test, split.y_test)}
    sets.update(shift.windows(frame, {"1990-99": (1990, 1999), "2014-18": (2014, 2018)}))
    return model, split.X_train, sets


@pytest.fixture(scope="module")
def prepared(gss):
    model, reference, sets = gss
    return explorer.explorer_data(model, reference, sets, sample_size=300)


@pytest.fixture
def closing():
    """Close the widgets a test creates (ipywidgets keeps a global registry)."""
    yield
    ipywidgets.Widget.close_all()


def test_explorer_data_evaluates_every_window_and_group(prepared):
    assert prepared.windows == [HELD_OUT, "1990-99", "2014-18"]
    groups = prepared.groups()
    assert groups[0] == "all" and "gender = Female" in groups and "educcat = Bachelor" in groups
    assert len(prepared.table) == 3 * len(groups)


def test_accuracy_text_states_the_tables_number_and_the_baseline(prepared):
    row = explorer.row(prepared, "2014-18", "gender = Female")
    text = explorer.accuracy_text(prepared, "2014-18", "gender = Female")
    assert text.startswith(f"Accuracy in 2014-18, gender = Female: {row.accuracy:.3f} ")
    assert f"n = {row.n:,}" in text
    assert text.endswith(f"in {HELD_OUT}: {explorer.row(prepared, HELD_OUT, 'gender = Female').accuracy:.3f}.")
    assert explorer.accuracy_text(prepared, "1990-99") != explorer.accuracy_text(prepared, "2014-18")
    assert "; in" not in explorer.accuracy_text(prepared, HELD_OUT)  # no baseline for itself
    assert explorer.accuracy_text(prepared, "2014-18", "gender = Other") == (
        "Accuracy in 2014-18, gender = Other: too few rows to say."
    )


def test_verdicts_fire_on_the_late_window_not_on_held_out_rows(prepared):
    late = explorer.verdicts(prepared, "2014-18")
    control = explorer.verdicts(prepared, HELD_OUT)
    assert [r.name for r in late] == ["domain classifier", "BBSD (KS on model scores)",
                                      "per-feature tests (bonferroni)"]
    assert late[0].shifted and late[2].shifted
    assert not any(r.shifted for r in control)
    assert explorer.verdicts(prepared, "2014-18") is late  # computed once, then cached
    with pytest.raises(ValueError, match=r"No window '2030-39'; choose one of \['1974-89"):
        explorer.verdicts(prepared, "2030-39")


def test_verdicts_compare_like_with_like_within_a_group(prepared):
    women = explorer.verdicts(prepared, "2014-18", "gender = Female")
    table = women[2].table.set_index("feature")
    assert table.loc["gender", "p_value"] == 1.0  # one gender on both sides: nothing to compare
    assert explorer.verdicts(prepared, "2014-18", "gender = Other") == []


def test_view_html_shows_accuracy_verdicts_and_a_plot(prepared):
    page = explorer.view_html(prepared, "2014-18", "educcat = Bachelor")
    assert "<p class='shift-accuracy'>Accuracy in 2014-18, educcat = Bachelor:" in page
    assert page.count("<li class='shift-verdict'>") == 3 and "shift detected" in page
    assert "src='data:image/png;base64," in page
    assert explorer.plot_png(prepared, HELD_OUT).startswith(b"\x89PNG")


def test_explorer_data_explains_bad_input(gss):
    model, reference, sets = gss
    with pytest.raises(ValueError, match="at least one window"):
        explorer.explorer_data(model, reference, {})
    with pytest.raises(ValueError, match="not columns"):
        explorer.explorer_data(model, reference, sets, by=["race"])


@pytest.mark.slow
def test_widget_updates_when_window_or_group_changes(gss, closing):
    model, reference, sets = gss
    widget = explorer.ShiftExplorer(model, reference, sets, sample_size=200)
    assert widget.window.value == "2014-18" and widget.group.value == "all"
    late = widget.view.value
    assert explorer.accuracy_text(widget.data, "2014-18") in late
    widget.window.value = "1990-99"
    assert explorer.accuracy_text(widget.data, "1990-99") in widget.view.value
    widget.group.value = "gender = Male"
    assert explorer.accuracy_text(widget.data, "1990-99", "gender = Male") in widget.view.value
    assert "shift-explorer" in widget._dom_classes


def test_the_plot_is_described_in_words(prepared):
    """The picture has alt text that says what it shows, so colour carries no meaning alone."""
    text = explorer.plot_description(prepared, "2014-18", "gender = Female")
    female = explorer.row(prepared, "2014-18", "gender = Female")
    assert text.startswith("Accuracy by window with 95% intervals, the 2014-18 window shaded.")
    assert "all rows (circles):" in text and "gender = Female (squares):" in text
    assert f"2014-18 {female.accuracy:.3f}" in text
    page = explorer.view_html(prepared, "2014-18", "gender = Female")
    assert "alt='Accuracy by window with 95% intervals" in page
