"""Reuse a shared encoder, or train from scratch? The measurements of lesson 01.

With few labelled examples, compare two classifiers built from the same labels:

- **reuse**: texts turned into vectors by a frozen shared encoder, then a
  logistic regression (:func:`fit_reuse`);
- **from scratch**: TF-IDF word weights learnt from the labelled texts only,
  then the same logistic regression (:func:`fit_scratch`).

:func:`learning_curve` repeats that for growing numbers of labels and several
random draws; :func:`paired_comparison` compares two models on the same test
items, which is the fair way to ask whether one is really better.

Example:
    >>> import numpy as np
    >>> result = paired_comparison([1, 1, 0, 0], [1, 1, 0, 1], [1, 0, 0, 0], names=("a", "b"))
    >>> result.a_only, result.b_only
    (1, 1)
    >>> print(result)   # doctest: +NORMALIZE_WHITESPACE
    4 test items: both right 2, only a right 1, only b right 1, both wrong 0.
    McNemar's exact test: p = 1.00 (a small p, say below 0.05, would mean a real difference)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

REUSE = "reuse (MiniLM)"
SCRATCH = "from scratch (TF-IDF)"


def balanced_sample(frame: pd.DataFrame, size: int, seed: int = 0, label: str = "label") -> pd.DataFrame:
    """``size`` rows, half of each label, shuffled (so guessing scores 0.5).

    >>> frame = pd.DataFrame({"review": list("abcdef"), "label": [0, 0, 0, 1, 1, 1]})
    >>> balanced_sample(frame, 4)["label"].value_counts().tolist()
    [2, 2]
    """
    counts = frame[label].value_counts()
    if size % 2 or counts.min() < size // 2:
        raise ValueError(f"balanced_sample: size={size} needs an even size and {size // 2} rows of "
                         f"each label; the smallest label has {counts.min()}.")
    halves = frame.groupby(label).sample(size // 2, random_state=seed)
    return halves.sample(frac=1, random_state=seed).reset_index(drop=True)


def fit_reuse(vectors: np.ndarray, y: Any):
    """A logistic regression on the encoder's vectors (the encoder itself stays frozen)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000).fit(vectors, y)


def fit_scratch(texts: Any, y: Any):
    """TF-IDF learnt from these texts only, then a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)).fit(list(texts), y)


@dataclass
class LearningCurve:
    """Test accuracy and training time of both approaches, per number of labels and draw."""

    runs: pd.DataFrame  # one row per (labels, draw, approach): accuracy, seconds

    @property
    def accuracy(self) -> pd.DataFrame:
        """Mean test accuracy per number of labels (rows) and approach (columns)."""
        return self._mean("accuracy").round(3)

    @property
    def milliseconds(self) -> pd.DataFrame:
        """Mean compute time per number of labels and approach, in milliseconds."""
        return (1000 * self._mean("seconds")).round(1)

    def _mean(self, column: str) -> pd.DataFrame:
        table = self.runs.pivot_table(index="labels", columns="approach", values=column, aggfunc="mean")
        table.columns.name = None
        return table[[REUSE, SCRATCH]]

    def plot(self):
        """Accuracy and compute time against labels, one line style and marker per approach."""
        import matplotlib.pyplot as plt

        accuracy, time_ms = self.accuracy, self.milliseconds
        with plt.style.context("petroff10"):
            fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
            for name, marker, style in ((REUSE, "o", "-"), (SCRATCH, "s", "--")):
                for axis, table in ((left, accuracy), (right, time_ms)):
                    axis.plot(table.index, table[name], marker=marker, linestyle=style, label=name)
            left.axhline(0.5, color="grey", linestyle=":", label="guessing")
            left.set(xscale="log", xlabel="labelled reviews", ylabel="test accuracy",
                     title="Accuracy (higher is better)")
            right.set(xscale="log", yscale="log", xlabel="labelled reviews",
                      ylabel="milliseconds", title="Compute time (lower is better)")
            for axis in (left, right):
                axis.set_xticks(list(accuracy.index), [str(n) for n in accuracy.index])
                axis.set_xticks([], minor=True)
            left.legend(loc="lower right")
            fig.tight_layout()
        return fig


def learning_curve(
    train_vectors: np.ndarray, train: pd.DataFrame, test_vectors: np.ndarray, test: pd.DataFrame,
    sizes: tuple[int, ...] = (16, 32, 64, 128, 256), draws: int = 5,
    encode_seconds: float = 0.0, text: str = "review", label: str = "label",
) -> LearningCurve:
    """Train both approaches on ``draws`` random balanced draws of each size; score on the test set.

    ``train`` and ``test`` hold the texts and 0/1 labels (columns ``text`` and
    ``label``); ``train_vectors`` and ``test_vectors`` are the encoder's vectors of
    the same rows, in the same order. ``encode_seconds`` is the encoder's time per
    text: the reuse approach pays it for every labelled text it trains on, so it is
    added to reuse's training time.
    """
    if len(train_vectors) != len(train) or len(test_vectors) != len(test):
        raise ValueError("learning_curve needs one vector per row of train and of test, in order.")
    train_texts, test_texts = list(train[text]), list(test[text])
    y_train, y_test = train[label].to_numpy(), test[label].to_numpy()
    runs = []
    for size in sizes:
        for draw in range(draws):
            rng = np.random.default_rng(draw)
            rows = np.concatenate([
                rng.choice(np.flatnonzero(y_train == label), size // 2, replace=False)
                for label in (0, 1)
            ])
            start = time.perf_counter()
            reuse = fit_reuse(train_vectors[rows], y_train[rows])
            reuse_seconds = time.perf_counter() - start + size * encode_seconds
            start = time.perf_counter()
            scratch = fit_scratch([train_texts[i] for i in rows], y_train[rows])
            scratch_seconds = time.perf_counter() - start
            runs.append({"labels": size, "draw": draw, "approach": REUSE, "seconds": reuse_seconds,
                         "accuracy": reuse.score(test_vectors, y_test)})
            runs.append({"labels": size, "draw": draw, "approach": SCRATCH,
                         "seconds": scratch_seconds, "accuracy": scratch.score(test_texts, y_test)})
    return LearningCurve(pd.DataFrame(runs))


@dataclass(frozen=True)
class PairedComparison:
    """Two models scored on the same test items: where they agree and where they differ."""

    names: tuple[str, str]
    both: int  # items both get right
    a_only: int  # items only the first model gets right
    b_only: int
    neither: int
    p_value: float  # McNemar's exact test: a binomial test on the items where they differ

    def __str__(self) -> str:
        a, b = self.names
        total = self.both + self.a_only + self.b_only + self.neither
        return (
            f"{total} test items: both right {self.both}, only {a} right {self.a_only}, "
            f"only {b} right {self.b_only}, both wrong {self.neither}.\n"
            f"McNemar's exact test: p = {self.p_value:.2f} "
            "(a small p, say below 0.05, would mean a real difference)"
        )


def paired_comparison(y_true: Any, pred_a: Any, pred_b: Any,
                      names: tuple[str, str] = (REUSE, SCRATCH)) -> PairedComparison:
    """Compare two classifiers on the same items with McNemar's exact test.

    Only the items where exactly one model is right carry information about which
    is better; if neither were better, each of those would go either way with
    probability 1/2. scipy's exact binomial test gives the p-value.
    """
    from scipy.stats import binomtest

    y_true, pred_a, pred_b = (np.asarray(v) for v in (y_true, pred_a, pred_b))
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError("paired_comparison needs one prediction of each model for every test item.")
    right_a, right_b = pred_a == y_true, pred_b == y_true
    a_only, b_only = int((right_a & ~right_b).sum()), int((right_b & ~right_a).sum())
    p_value = binomtest(a_only, a_only + b_only).pvalue if a_only + b_only else 1.0
    return PairedComparison(names, int((right_a & right_b).sum()), a_only, b_only,
                            int((~right_a & ~right_b).sum()), float(p_value))
