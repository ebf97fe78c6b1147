"""ShiftExplorer: pick a deployment window and a subgroup, see what changes.

The work is done by plain functions that tests call without a browser:
:func:`explorer_data` evaluates the model on every window and subgroup once,
:func:`verdicts` runs the label-free detectors for one window (cached),
:func:`accuracy_text`, :func:`plot_png` and :func:`view_html` turn that into
what the learner sees. :class:`ShiftExplorer` only wires two dropdowns to
:func:`view_html`.

Example:
    >>> from modelshare.widgets.shift import ShiftExplorer        # doctest: +SKIP
    >>> ShiftExplorer(model, split.X_train, sets)                  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from modelshare import shift

ALL = "all"


@dataclass
class ExplorerData:
    """Everything the explorer shows, computed once (verdicts on demand)."""

    model: Any
    reference: pd.DataFrame
    sets: Mapping[str, tuple[pd.DataFrame, pd.Series]]
    table: pd.DataFrame
    sample_size: int = 500
    seed: int = 0
    _verdicts: dict = field(default_factory=dict, repr=False)

    @property
    def windows(self) -> list[str]:
        return list(self.sets)

    def groups(self, window: str | None = None) -> list[str]:
        """Subgroups with an accuracy (enough rows) in ``window``, or in any window."""
        rows = self.table if window is None else self.table[self.table["window"] == window]
        return list(dict.fromkeys(rows["group"]))


def explorer_data(
    model: Any,
    reference: pd.DataFrame,
    sets: Mapping[str, tuple[pd.DataFrame, pd.Series]],
    by: Sequence[str] = ("gender", "educcat"),
    *,
    sample_size: int = 500,
    seed: int = 0,
) -> ExplorerData:
    """Evaluate ``model`` on every window of ``sets`` and every subgroup of ``by``.

    ``reference`` is the data the model was trained on (the detectors compare
    each window with it); ``sets`` maps window names to (X, y).
    """
    if not sets:
        raise ValueError("sets is empty: give at least one window, e.g. {'2014-18': (X, y)}.")
    missing = [column for column in by if column not in reference.columns]
    if missing:
        raise ValueError(f"by={missing} are not columns of the data: {list(reference.columns)}.")
    table = shift.accuracy_table(model, sets, by=by)
    return ExplorerData(model, reference, dict(sets), table, sample_size, seed)


def _subset(X: pd.DataFrame, group: str) -> pd.DataFrame:
    if group == ALL:
        return X
    column, _, value = group.partition(" = ")
    return X[X[column].astype(str) == value]


def verdicts(data: ExplorerData, window: str, group: str = ALL) -> list[shift.TestResult]:
    """Label-free detectors: up to ``sample_size`` rows of the window vs the training data.

    An unknown window raises ``ValueError`` naming the windows there are (like every
    other bad argument in ``modelshare.shift``).
    """
    key = (window, group)
    if key not in data._verdicts:
        if window not in data.sets:
            raise ValueError(f"No window {window!r}; choose one of {data.windows}.")
        reference = _subset(data.reference, group)
        current = _subset(data.sets[window][0], group)
        n = min(data.sample_size, len(reference), len(current))
        if n < 20:
            data._verdicts[key] = []
            return []
        reference = reference.sample(n, random_state=data.seed)
        current = current.sample(n, random_state=data.seed)
        data._verdicts[key] = [
            shift.domain_classifier(reference, current, seed=data.seed),
            shift.bbsd_test(data.model.predict_proba(reference), data.model.predict_proba(current)),
            shift.feature_tests(reference, current),
        ]
    return data._verdicts[key]


def row(data: ExplorerData, window: str, group: str = ALL) -> pd.Series | None:
    """The accuracy-table row for one window and subgroup (None if too few rows)."""
    match = data.table[(data.table["window"] == window) & (data.table["group"] == group)]
    return None if match.empty else match.iloc[0]


def accuracy_text(data: ExplorerData, window: str, group: str = ALL) -> str:
    """One sentence: the accuracy in this window and subgroup, with its interval."""
    found = row(data, window, group)
    where = window if group == ALL else f"{window}, {group}"
    if found is None:
        return f"Accuracy in {where}: too few rows to say."
    baseline = row(data, data.windows[0], group)
    text = (
        f"Accuracy in {where}: {found.accuracy:.3f} "
        f"(95% interval {found.ci_low:.3f}-{found.ci_high:.3f}, n = {found.n:,})"
    )
    if baseline is not None and window != data.windows[0]:
        text += f"; in {data.windows[0]}: {baseline.accuracy:.3f}"
    return text + "."


def plot_png(data: ExplorerData, window: str, group: str = ALL) -> bytes:
    """Accuracy by window (all rows and the chosen subgroup), the chosen window marked."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    with plt.style.context("petroff10"):  # colour-blind-safe; markers tell the lines apart too
        figure = Figure(figsize=(6, 3), dpi=80)
        axes = figure.subplots()
    positions = np.arange(len(data.windows))
    for label, marker in ((ALL, "o"), (group, "s")) if group != ALL else ((ALL, "o"),):
        rows = [row(data, name, label) for name in data.windows]
        keep = [i for i, r in enumerate(rows) if r is not None]
        values = np.array([rows[i].accuracy for i in keep])
        errors = np.array([[rows[i].accuracy - rows[i].ci_low, rows[i].ci_high - rows[i].accuracy] for i in keep])
        axes.errorbar(positions[keep], values, yerr=errors.T if len(keep) else None, marker=marker,
                      capsize=3, label=label)
    axes.axvspan(data.windows.index(window) - 0.4, data.windows.index(window) + 0.4, color="0.85")
    axes.set_xticks(positions, data.windows)
    axes.set_ylabel("accuracy")
    axes.legend(loc="lower left", fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def plot_description(data: ExplorerData, window: str, group: str = ALL) -> str:
    """The plot in words (its alt text): what is drawn and the accuracy in each window."""
    lines = [("all rows", ALL, "circles")] + ([(group, group, "squares")] if group != ALL else [])
    parts = []
    for label, name, marker in lines:
        values = [f"{w} {r.accuracy:.3f}" for w in data.windows if (r := row(data, w, name)) is not None]
        parts.append(f"{label} ({marker}): " + ", ".join(values))
    return (f"Accuracy by window with 95% intervals, the {window} window shaded. "
            + "; ".join(parts) + ".")


def view_html(data: ExplorerData, window: str, group: str = ALL) -> str:
    """What the explorer shows for one choice: accuracy, detector verdicts and the plot."""
    items = "".join(
        f"<li class='shift-verdict'>{'⚠️' if result.shifted else '✅'} {html.escape(str(result))}</li>"
        for result in verdicts(data, window, group)
    ) or "<li>too few rows for the detectors</li>"
    image = base64.b64encode(plot_png(data, window, group)).decode()
    return (
        f"<p class='shift-accuracy'>{html.escape(accuracy_text(data, window, group))}</p>"
        f"<p>Detectors ({data.sample_size} rows of this window vs the training data, no labels):</p>"
        f"<ul>{items}</ul>"
        f"<img alt='{html.escape(plot_description(data, window, group), quote=True)}' "
        f"src='data:image/png;base64,{image}'/>"
    )


class ShiftExplorer(widgets.VBox):
    """Two dropdowns (window, subgroup) and a live view of accuracy, verdicts and a plot.

    ``reference`` is the data the model was trained on; ``sets`` maps window
    names to (X, y), the first being the held-out data from the training years.
    """

    def __init__(self, model: Any, reference: pd.DataFrame, sets, by=("gender", "educcat"), *,
                 sample_size: int = 500, seed: int = 0, window: str | None = None):
        self.data = explorer_data(model, reference, sets, by, sample_size=sample_size, seed=seed)
        windows = self.data.windows
        self.window = widgets.Dropdown(options=windows, value=window or windows[-1],
                                       description="Window")
        self.group = widgets.Dropdown(options=self.data.groups(), value=ALL, description="Group")
        self.view = widgets.HTML()
        self.window.observe(self._update, names="value")
        self.group.observe(self._update, names="value")
        super().__init__([widgets.HBox([self.window, self.group]), self.view])
        self.add_class("shift-explorer")
        self._update()

    def _update(self, change: Any = None) -> None:
        self.view.value = view_html(self.data, self.window.value, self.group.value)
