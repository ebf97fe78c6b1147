"""Small measurements behind lesson 02: what can go wrong when a model is shared.

- ``membership_inference``: does a model give away who was in its training data?
- ``group_report``: the same metric, per group of people (a fairness gap).
- ``pickle_imports``: what a pickle file would import and call, read without loading it.
- ``environment_diff``: which package versions differ between two captured environments.
- ``plot_confidence`` and ``plot_group_rates``: the two pictures of lesson 02, drawn so
  that no meaning rests on colour alone (hatching, markers and labels).

Example:
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> tree = DecisionTreeClassifier(random_state=0).fit(X_in, y_in)      # doctest: +SKIP
    >>> result = membership_inference(tree, X_in, y_in, X_out, y_out)      # doctest: +SKIP
    >>> print(result)                                                      # doctest: +SKIP
    flagged as members: 100.0% of members, 62.5% of outsiders; advantage over guessing 0.375
"""

from __future__ import annotations

import pickletools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class MembershipResult:
    """How well the simplest membership-inference attack tells members from outsiders."""

    members_flagged: float  # share of training rows the attack calls "member" (true positive rate)
    outsiders_flagged: float  # share of unseen rows it wrongly calls "member" (false positive rate)
    threshold: float

    @property
    def advantage(self) -> float:
        """True positive rate minus false positive rate: 0 = no better than a coin, 1 = perfect."""
        return self.members_flagged - self.outsiders_flagged

    @property
    def accuracy(self) -> float:
        """Accuracy of the attack on an even mix of members and outsiders (a coin scores 0.5)."""
        return 0.5 + self.advantage / 2

    def __str__(self) -> str:
        return (
            f"flagged as members: {self.members_flagged:.1%} of members, "
            f"{self.outsiders_flagged:.1%} of outsiders; advantage over guessing {self.advantage:.3f}"
        )


def true_label_confidence(model: Any, X: Any, y: Any) -> np.ndarray:
    """The probability the model gives to each row's true label.

    >>> true_label_confidence(model, X, y)[:3]   # doctest: +SKIP
    array([1. , 0.5, 1. ])
    """
    proba = model.predict_proba(X)
    columns = {label: index for index, label in enumerate(model.classes_)}
    try:
        index = np.array([columns[label] for label in np.asarray(y)])
    except KeyError as error:
        raise ValueError(f"label {error.args[0]!r} is not one the model knows ({list(model.classes_)}).") from None
    return proba[np.arange(len(index)), index]


def membership_inference(
    model: Any, X_members: Any, y_members: Any, X_outsiders: Any, y_outsiders: Any,
    threshold: float = 0.9,
) -> MembershipResult:
    """Flag a person as "in the training data" when the model is very sure of their true label.

    The attacker needs only the released model and a person's record. An
    overfit model is sure about the people it memorised, so the rule
    "confidence >= threshold" separates them from outsiders; a model that
    generalises is about as sure of both, and the attack is no better than a coin.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold={threshold}: use a probability between 0 (excluded) and 1.")
    if len(X_members) == 0 or len(X_outsiders) == 0:
        raise ValueError("membership_inference needs at least one member and one outsider.")
    members = true_label_confidence(model, X_members, y_members) >= threshold
    outsiders = true_label_confidence(model, X_outsiders, y_outsiders) >= threshold
    return MembershipResult(float(members.mean()), float(outsiders.mean()), threshold)


def group_report(y_true: Any, y_pred: Any, groups: Any) -> pd.DataFrame:
    """Per group: size, true rate of positives, accuracy, predicted positive rate, true positive rate.

    >>> group_report([1, 0, 1, 0], [1, 0, 0, 0], ["a", "a", "b", "b"])["accuracy"].tolist()
    [1.0, 0.5]
    """
    frame = pd.DataFrame(
        {"y": np.asarray(y_true), "pred": np.asarray(y_pred), "group": np.asarray(groups)}
    )
    if len(frame) == 0:
        raise ValueError("group_report got no rows.")

    def summary(part: pd.DataFrame) -> pd.Series:
        positives = part[part["y"] == 1]
        return pd.Series(
            {
                "people": len(part),
                "actual positive rate": part["y"].mean(),
                "accuracy": (part["y"] == part["pred"]).mean(),
                "predicted positive rate": part["pred"].mean(),
                "true positive rate": positives["pred"].mean() if len(positives) else np.nan,
            }
        )

    rows = {name: summary(part) for name, part in frame.groupby("group", sort=True)}
    report = pd.DataFrame(rows).T
    report["people"] = report["people"].astype(int)
    report.index.name = "group"
    return report


def plot_confidence(models: dict[str, Any], members: tuple[Any, Any], outsiders: tuple[Any, Any],
                    threshold: float = 0.9):
    """One panel per model: how sure it is of the true answer, members against outsiders.

    ``members`` and ``outsiders`` are ``(X, y)`` pairs. Members are filled bars,
    outsiders hatched outlines, so the two can be told apart without colour.
    """
    import matplotlib.pyplot as plt

    bins = np.linspace(0, 1, 11)
    with plt.style.context("petroff10"):
        fig, axes = plt.subplots(1, len(models), figsize=(5 * len(models), 3.2), sharey=True,
                                 squeeze=False)
        for axis, (name, model) in zip(axes[0], models.items(), strict=True):
            axis.hist(true_label_confidence(model, *members), bins=bins, alpha=0.6,
                      label="members (trained on)")
            axis.hist(true_label_confidence(model, *outsiders), bins=bins, histtype="step",
                      hatch="//", linewidth=1.5, label="outsiders (never seen)")
            axis.axvline(threshold, color="black", linestyle=":", label=f"attack threshold {threshold}")
            axis.set(title=name, xlabel="probability the model gives to the true answer")
        axes[0][0].set_ylabel("people")
        axes[0][0].legend(loc="upper left")
        fig.tight_layout()
    return fig


def plot_group_rates(report: pd.DataFrame,
                     rates: tuple[str, ...] = ("actual positive rate", "predicted positive rate",
                                               "true positive rate")):
    """A dot plot of :func:`group_report` rates: one row per rate, one marker shape per group."""
    import matplotlib.pyplot as plt

    markers = "osD^v"
    with plt.style.context("petroff10"):
        fig, axis = plt.subplots(figsize=(6.5, 0.6 + 0.7 * len(rates)))
        rows = np.arange(len(rates))[::-1]  # the first rate at the top
        for (group, values), marker in zip(report.iterrows(), markers, strict=False):
            axis.plot([values[rate] for rate in rates], rows, marker=marker, linestyle="none",
                      markersize=9, label=str(group))
        for row, rate in zip(rows, rates, strict=True):
            axis.hlines(row, report[rate].min(), report[rate].max(), color="grey", linewidth=1)
        axis.set_yticks(rows, rates)
        axis.set(xlim=(0, 1), xlabel="share of people in the group")
        axis.legend(loc="lower right", title=report.index.name)
        fig.tight_layout()
    return fig


def pickle_imports(path: Path | str) -> list[str]:
    """Every ``module.name`` a pickle file would import when loaded, found WITHOUT loading it.

    Loading a pickle imports these names and may call them, so anything beyond
    the libraries you expect is a warning sign. Reads the opcodes with pickletools.

    >>> import pickle, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.pkl")
    >>> with open(path, "wb") as f:
    ...     pickle.dump(print, f)
    >>> pickle_imports(path)
    ['builtins.print']
    """
    found: list[str] = []
    memo: dict[int, Any] = {}
    pushed: list[Any] = []  # what recent opcodes put on the stack (None: not a string)
    with open(path, "rb") as file:
        for opcode, arg, _ in pickletools.genops(file):
            name = opcode.name
            if name in ("GLOBAL", "INST"):
                module, attribute = str(arg).split(" ", 1)
                found.append(f"{module}.{attribute}")
            elif name == "STACK_GLOBAL":  # protocol 4+: module and name were pushed as strings
                module, attribute = pushed[-2:] if len(pushed) >= 2 else (None, None)
                if isinstance(module, str) and isinstance(attribute, str):
                    found.append(f"{module}.{attribute}")
                else:
                    found.append("<a name this scan could not read: treat the file as unsafe>")
                pushed.append(None)
            elif name == "MEMOIZE":
                memo[len(memo)] = pushed[-1] if pushed else None
            elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
                memo[arg] = pushed[-1] if pushed else None
            elif name in ("GET", "BINGET", "LONG_BINGET"):
                pushed.append(memo.get(arg))
            elif isinstance(arg, str) and ("UNICODE" in name or "STRING" in name):
                pushed.append(arg)
            else:
                pushed.append(None)
    return sorted(set(found))


def environment_diff(mine: dict, theirs: dict) -> list[str]:
    """Lines saying what differs between two ``modelshare.env.capture()`` results.

    >>> environment_diff({"python": "3.11.7", "packages": {"numpy": "2.4.6"}},
    ...                  {"python": "3.11.7", "packages": {"numpy": "1.26.4"}})
    ['numpy: 2.4.6 here, 1.26.4 there']
    """
    lines = []
    if mine.get("python") != theirs.get("python"):
        lines.append(f"python: {mine.get('python')} here, {theirs.get('python')} there")
    mine_packages, their_packages = mine.get("packages", {}), theirs.get("packages", {})
    for name in sorted(set(mine_packages) | set(their_packages)):
        here, there = mine_packages.get(name, "missing"), their_packages.get(name, "missing")
        if here != there:
            lines.append(f"{name}: {here} here, {there} there")
    return lines


def pickled_as_if_from(model: Any, sklearn_version: str) -> bytes:
    """Pickle a scikit-learn model as if another scikit-learn version had saved it.

    scikit-learn writes its version into every pickled estimator and warns when
    a file comes from another version. This rewrites that one string in the
    pickle bytes (opcode ``SHORT_BINUNICODE``: the byte 0x8c, the length, the
    text), so lesson 02 can show the warning without installing an old release.

    >>> from sklearn.linear_model import LogisticRegression
    >>> blob = pickled_as_if_from(LogisticRegression(), "1.0.2")
    >>> b"1.0.2" in blob
    True
    """
    import pickle
    from importlib import metadata

    current = metadata.version("scikit-learn").encode()
    old = sklearn_version.encode()
    if len(old) > 255:
        raise ValueError("a version string is at most 255 characters")
    blob = pickle.dumps(model)
    marker = b"\x8c" + bytes([len(current)]) + current
    if marker not in blob:
        raise ValueError("this object does not record a scikit-learn version in its pickle")
    return blob.replace(marker, b"\x8c" + bytes([len(old)]) + old)
