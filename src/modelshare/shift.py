"""Detect, estimate, correct and report distribution shift, on scipy and scikit-learn.

Every detector compares a frozen *reference* sample (what the model was
trained and tested on) with a *current* sample (what it meets now) and
returns a :class:`TestResult` with a p-value: the chance of a difference at
least this large if nothing had changed. None of them needs labels.

======================  ======================================================
``feature_tests``       one two-sample test per column (``ks_test`` for numbers,
                        chi-square for categories), corrected for testing many columns
``domain_classifier``   can a classifier tell the two samples apart? (AUC, p-value,
                        and which current rows look new)
``bbsd_test``           black-box shift detection: KS test on the model's own scores
``mmd_test``            kernel maximum mean discrepancy with a permutation test
``psi``                 population stability index, with ``psi_noise`` for the value
                        that sampling alone produces at your sample size
======================  ======================================================

Remedies: ``bbse_weights`` + ``adjust_proba`` (label shift),
``importance_weights`` + ``effective_sample_size`` (covariate shift),
``calibration_error`` (is the model still calibrated?), and
:class:`ShiftReport` writes the card's "Distribution Shift and Monitoring"
section and model-index results per time window and subgroup.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> result = mmd_test(rng.normal(size=(200, 2)), rng.normal(1, size=(200, 2)))
    >>> result.shifted
    True
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.base import clone
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ALPHA = 0.05
CORRECTIONS = ("bonferroni", "fdr")
MMD_MAX_ROWS = 8000  # both samples together: the kernel matrix needs 4 bytes x rows^2


@dataclass(frozen=True)
class TestResult:
    """The verdict of one shift detector.

    >>> TestResult("demo", statistic=0.3, p_value=0.001).shifted
    True
    """

    __test__ = False  # not a pytest test class

    name: str
    statistic: float
    p_value: float
    alpha: float = ALPHA
    detail: str = ""
    table: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def shifted(self) -> bool:
        """True when the p-value is below ``alpha``: the samples differ more than chance explains."""
        return bool(self.p_value < self.alpha)

    def __str__(self) -> str:
        verdict = "shift detected" if self.shifted else "no shift detected"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.name}: statistic {self.statistic:.3g}, p = {self.p_value:.2g} -> {verdict}{detail}"


@dataclass(frozen=True)
class DomainResult(TestResult):
    """A domain-classifier verdict, plus how "new" each current row looks (0-1)."""

    novelty: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def auc(self) -> float:
        return self.statistic


# ---------------------------------------------------------------------------
# helpers


def _frame(data: Any, name: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    array = np.asarray(data)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{name} must be a table (rows x columns), got an array of shape {array.shape}.")
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


def _check_pair(reference: pd.DataFrame, current: pd.DataFrame, minimum: int = 2) -> None:
    if list(reference.columns) != list(current.columns):
        raise ValueError(
            "reference and current must have the same columns in the same order; "
            f"got {list(reference.columns)} and {list(current.columns)}."
        )
    for label, frame in (("reference", reference), ("current", current)):
        if len(frame) < minimum:
            raise ValueError(f"{label} has {len(frame)} rows; a two-sample test needs at least {minimum}.")


def is_categorical(column: pd.Series) -> bool:
    """Strings, categories and booleans are compared as categories, numbers with KS."""
    return not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def numeric_view(reference: Any, current: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both samples as dense float arrays: numbers standardised, categories one-hot.

    The encoding is fitted on the reference only, so the current sample is
    seen through the reference's eyes (a category never seen before becomes zeros).

    >>> a, b = numeric_view(pd.DataFrame({"n": [1.0, 2.0], "c": ["x", "y"]}),
    ...                     pd.DataFrame({"n": [3.0], "c": ["z"]}))
    >>> a.shape, b.shape
    ((2, 3), (1, 3))
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    encoder = _encoder().fit(reference)
    return _dense(encoder.transform(reference)), _dense(encoder.transform(current))


def _encoder() -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("numbers", StandardScaler(), make_column_selector(dtype_include="number")),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                make_column_selector(dtype_exclude="number"),
            ),
        ],
        sparse_threshold=0,
    )


def _dense(matrix: Any) -> np.ndarray:
    if sparse.issparse(matrix):
        matrix = matrix.toarray()
    return np.asarray(matrix, dtype=float)


def adjust_p_values(p_values: Sequence[float], correction: str = "bonferroni") -> np.ndarray:
    """Correct p-values for testing many columns at once.

    ``"bonferroni"`` multiplies by the number of tests (controls the chance of
    any false alarm); ``"fdr"`` is Benjamini-Hochberg (controls the share of
    false alarms among the columns flagged).

    >>> adjust_p_values([0.01, 0.04], "bonferroni").tolist()
    [0.02, 0.08]
    """
    p = np.asarray(p_values, dtype=float)
    if correction == "bonferroni":
        return np.minimum(p * len(p), 1.0)
    if correction == "fdr":
        return stats.false_discovery_control(p, method="bh")
    raise ValueError(f"correction={correction!r}: use one of {CORRECTIONS}.")


# ---------------------------------------------------------------------------
# detectors


def ks_test(a: Any, b: Any, *, n_permutations: int = 1000, seed: int = 0) -> tuple[float, float, str]:
    """Two-sample Kolmogorov-Smirnov test that stays honest when values repeat.

    Returns (statistic, p-value, name of the method). scipy's p-value assumes
    no ties; with repeated values (ages in whole years, numbers of children) it
    is too large, so the test raises too few alarms. With ties the p-value
    comes from ``n_permutations`` random relabellings of the pooled values
    instead. When no relabelling reaches the real statistic, the smaller of
    1 / (n_permutations + 1) and scipy's (then conservative) p-value is used.

    >>> ks_test([1, 2, 2, 3] * 20, [1, 2, 2, 3] * 20)[1]
    1.0
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with warnings.catch_warnings():  # scipy falls back from exact to asymptotic p
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.ks_2samp(a, b)
    statistic, p_scipy = float(result.statistic), float(result.pvalue)
    pooled = np.r_[a, b]
    values, counts = np.unique(pooled, return_counts=True)
    if len(values) == len(pooled):
        return statistic, p_scipy, "KS"
    # A random relabelling puts a random share of each distinct value into "a": a
    # multivariate hypergeometric draw. The statistic is then the largest gap between
    # the two empirical CDFs, read at each distinct value.
    n, m = len(a), len(b)
    at_or_below = np.cumsum(counts)
    rng = np.random.default_rng(seed)
    reached = done = 0
    while done < n_permutations:
        batch = min(200, n_permutations - done)
        draws = rng.multivariate_hypergeometric(counts, n, size=batch, method="count")
        in_a = np.cumsum(draws, axis=1)
        gaps = np.abs(in_a / n - (at_or_below - in_a) / m).max(axis=1)
        reached += int((gaps >= statistic - 1e-12).sum())
        done += batch
    p_value = (1 + reached) / (1 + n_permutations)
    if reached == 0:
        p_value = min(p_value, p_scipy)
    return statistic, p_value, "KS (permutation)"


def feature_tests(
    reference: Any,
    current: Any,
    *,
    correction: str = "bonferroni",
    alpha: float = ALPHA,
    seed: int = 0,
) -> TestResult:
    """Test each column separately: KS for numbers, chi-square for categories.

    The overall verdict is "shifted" when any corrected p-value is below
    ``alpha``; ``result.table`` lists every column, most shifted first.
    Numbers with repeated values get a permutation p-value (see :func:`ks_test`).

    >>> ref = pd.DataFrame({"age": [20.0, 30, 40, 50] * 25, "job": list("abab") * 25})
    >>> feature_tests(ref, ref).shifted
    False
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    _check_pair(reference, current)
    if correction not in CORRECTIONS:
        raise ValueError(f"correction={correction!r}: use one of {CORRECTIONS}.")
    rows = []
    for column in reference.columns:
        a, b = reference[column].dropna(), current[column].dropna()
        if len(a) < 2 or len(b) < 2:
            raise ValueError(f"column {column!r} has fewer than 2 answered rows in one sample.")
        if is_categorical(reference[column]):
            counts = pd.crosstab(
                np.r_[np.zeros(len(a)), np.ones(len(b))], np.r_[a.astype(str), b.astype(str)]
            )
            if counts.shape[1] < 2:
                statistic, p_value = 0.0, 1.0
            else:
                result = stats.chi2_contingency(counts.to_numpy())
                statistic, p_value = float(result.statistic), float(result.pvalue)
            test = "chi-square"
        else:
            statistic, p_value, test = ks_test(a, b, seed=seed)
        rows.append({"feature": column, "test": test, "statistic": statistic, "p_value": p_value})
    table = pd.DataFrame(rows)
    table["p_adjusted"] = adjust_p_values(table["p_value"], correction)
    table["shifted"] = table["p_adjusted"] < alpha
    table = table.sort_values("p_adjusted", kind="stable").reset_index(drop=True)
    flagged = table.loc[table["shifted"], "feature"].tolist()
    return TestResult(
        name=f"per-feature tests ({correction})",
        statistic=float(len(flagged)),
        p_value=float(table["p_adjusted"].min()),
        alpha=alpha,
        detail=f"shifted: {', '.join(flagged)}" if flagged else "",
        table=table,
    )


def domain_classifier(
    reference: Any,
    current: Any,
    *,
    model: Any = None,
    seed: int = 0,
    alpha: float = ALPHA,
) -> DomainResult:
    """Train a classifier to tell current rows from reference rows.

    If it cannot (AUC near 0.5) the samples look alike. The rows are split in
    two halves (stratified, seeded); a model trained on one half scores the
    other and vice versa, so every row gets an honest out-of-sample score.
    The AUC and its p-value (a one-sided Mann-Whitney U test; AUC is U divided
    by the number of pairs) come from the first half only: pooling scores of
    two models that each saw the other's rows inflates false alarms.
    ``result.novelty`` holds, for each current row, the out-of-sample
    probability that it is "current": high values are the rows that look
    least like the training data. The default model is a logistic regression
    on standardised numbers and one-hot categories; pass any scikit-learn
    classifier as ``model``.

    >>> rng = np.random.default_rng(0)
    >>> domain_classifier(rng.normal(size=(100, 2)), rng.normal(size=(100, 2))).shifted
    False
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    _check_pair(reference, current, minimum=4)
    X = pd.concat([reference, current], ignore_index=True)
    is_current = np.r_[np.zeros(len(reference), int), np.ones(len(current), int)]
    if model is None:
        model = make_pipeline(_encoder(), LogisticRegression(max_iter=1000))
    halves = list(StratifiedKFold(n_splits=2, shuffle=True, random_state=seed).split(X, is_current))
    scores = np.empty(len(X))
    for train, test in halves:
        fitted = clone(model).fit(X.iloc[train], is_current[train])
        scores[test] = fitted.predict_proba(X.iloc[test])[:, 1]
    test = halves[0][1]
    new, old = scores[test][is_current[test] == 1], scores[test][is_current[test] == 0]
    u_test = stats.mannwhitneyu(new, old, alternative="greater")
    auc = float(u_test.statistic) / (len(new) * len(old))
    return DomainResult(
        name="domain classifier",
        statistic=auc,
        p_value=float(u_test.pvalue),
        alpha=alpha,
        detail=f"AUC {auc:.3f}",
        novelty=scores[is_current == 1],
    )


def bbsd_test(
    reference_scores: Any, current_scores: Any, *, alpha: float = ALPHA, seed: int = 0
) -> TestResult:
    """Black-box shift detection: KS test on the model's outputs (Rabanser et al. 2019).

    Pass ``model.predict_proba(X)`` for each sample. For two classes the
    positive-class column is tested; for more, each class column is tested
    and Bonferroni-corrected (with :func:`ks_test`, so repeated scores are
    handled). Needs no labels and no access to the inputs' meaning, only the
    deployed model.

    >>> bbsd_test([0.1, 0.2, 0.3, 0.4] * 10, [0.1, 0.2, 0.3, 0.4] * 10).shifted
    False
    """
    a, b = np.asarray(reference_scores, float), np.asarray(current_scores, float)
    if a.ndim == 1:
        a, b = a[:, None], b[:, None]
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(
            "pass model.predict_proba(...) for both samples (same number of columns); "
            f"got shapes {a.shape} and {b.shape}."
        )
    if a.shape[1] == 2:
        a, b = a[:, 1:], b[:, 1:]
    tests = [ks_test(a[:, j], b[:, j], seed=seed) for j in range(a.shape[1])]
    statistics = [statistic for statistic, _, _ in tests]
    p_values = adjust_p_values([p for _, p, _ in tests], "bonferroni")
    return TestResult(
        name="BBSD (KS on model scores)",
        statistic=max(statistics),
        p_value=float(p_values.min()),
        alpha=alpha,
    )


def _bandwidth(pooled: np.ndarray, rng: np.random.Generator, limit: int = 1000) -> float:
    """The median distance between points (the "median heuristic")."""
    sample = pooled[rng.choice(len(pooled), size=min(limit, len(pooled)), replace=False)]
    distances = np.sqrt(np.maximum(_squared_distances(sample, sample), 0))
    median = float(np.median(distances[np.triu_indices(len(sample), k=1)]))
    return median if median > 0 else 1.0


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T


def mmd_test(
    reference: Any,
    current: Any,
    *,
    n_permutations: int = 200,
    bandwidth: float | None = None,
    seed: int = 0,
    alpha: float = ALPHA,
) -> TestResult:
    """Maximum mean discrepancy with a Gaussian kernel and a permutation test.

    MMD compares whole distributions at once (not column by column). The
    p-value is the share of random relabellings of the pooled rows that give
    an MMD at least as large as the real one. Cost grows with the square of
    the number of rows (the kernel matrix); numbers only: use
    :func:`numeric_view` for tables with categories.

    >>> rng = np.random.default_rng(0)
    >>> mmd_test(rng.normal(size=(100, 3)), rng.normal(size=(100, 3))).shifted
    False
    """
    a = _dense(reference) if sparse.issparse(reference) else np.asarray(reference, dtype=float)
    b = _dense(current) if sparse.issparse(current) else np.asarray(current, dtype=float)
    if a.ndim == 1:
        a, b = a[:, None], b[:, None]
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(
            f"reference and current must be numeric tables with the same columns; got shapes "
            f"{a.shape} and {b.shape}. For categories, use shift.numeric_view(reference, current)."
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("mmd_test needs finite numbers: drop or fill missing values first.")
    n, m = len(a), len(b)
    if n + m > MMD_MAX_ROWS:
        raise ValueError(
            f"mmd_test on {n:,} + {m:,} rows would need a {n + m:,} x {n + m:,} kernel matrix "
            f"({4 * (n + m) ** 2 / 1e9:.1f} GB); pass a random sample of at most "
            f"{MMD_MAX_ROWS // 2:,} rows per side, e.g. frame.sample(2000, random_state=0)."
        )
    rng = np.random.default_rng(seed)
    pooled = np.vstack([a, b])
    width = bandwidth or _bandwidth(pooled, rng)
    kernel = _squared_distances(pooled, pooled).astype(np.float32)
    np.multiply(kernel, -1.0 / (2 * width**2), out=kernel)
    np.exp(kernel, out=kernel)
    # MMD^2 = s' K s with s = +1/n on reference rows and -1/m on current rows;
    # every permutation relabels the rows, so all of them are one matrix product.
    signs = np.empty((n + m, n_permutations + 1), dtype=np.float32)
    base = np.r_[np.full(n, 1.0 / n), np.full(m, -1.0 / m)]
    signs[:, 0] = base
    for j in range(1, n_permutations + 1):
        signs[:, j] = rng.permutation(base)
    values = np.einsum("ij,ij->j", signs, kernel @ signs, dtype=np.float64)
    statistic = float(values[0])
    p_value = (1 + int((values[1:] >= statistic).sum())) / (1 + n_permutations)
    return TestResult(
        name="MMD (permutation test)",
        statistic=statistic,
        p_value=p_value,
        alpha=alpha,
        detail=f"{n_permutations} permutations, bandwidth {width:.3g}",
    )


def psi(reference: Any, current: Any, *, bins: int = 10) -> float:
    """Population stability index of one column (numbers or categories).

    Numbers are cut at the reference's deciles. PSI sums
    (current share - reference share) * ln(current share / reference share)
    over the bins. Rule of thumb: < 0.1 no shift, 0.1-0.25 moderate, > 0.25 major.
    Caveat: PSI has no notion of sample size, so small samples give large
    values from noise alone; compare with :func:`psi_noise` at your n.

    >>> round(psi([1, 2, 3, 4] * 50, [1, 2, 3, 4] * 50), 3)
    0.0
    """
    a, b = pd.Series(np.asarray(reference).ravel()), pd.Series(np.asarray(current).ravel())
    if len(a) == 0 or len(b) == 0:
        raise ValueError("psi needs at least one value in each sample.")
    if is_categorical(a):
        levels = sorted(set(a.astype(str)) | set(b.astype(str)))
        p = a.astype(str).value_counts(normalize=True).reindex(levels, fill_value=0).to_numpy()
        q = b.astype(str).value_counts(normalize=True).reindex(levels, fill_value=0).to_numpy()
    else:
        edges = np.unique(np.quantile(a.to_numpy(float), np.linspace(0, 1, bins + 1)[1:-1]))
        p = np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1) / len(a)
        q = np.bincount(np.searchsorted(edges, b, side="right"), minlength=len(edges) + 1) / len(b)
    p, q = np.clip(p, 1e-4, None), np.clip(q, 1e-4, None)
    return float(np.sum((q - p) * np.log(q / p)))


def psi_noise(
    reference: Any, n: int, *, bins: int = 10, trials: int = 200, quantile: float = 0.95, seed: int = 0
) -> float:
    """The PSI that sampling alone gives: a quantile of PSI(reference, n random reference rows).

    A PSI below this value at sample size ``n`` is no evidence of shift.

    >>> psi_noise(np.arange(1000.0), n=50) > psi_noise(np.arange(1000.0), n=500)
    True
    """
    values = np.asarray(reference).ravel()
    if n < 1:
        raise ValueError(f"n={n}: the sample size must be at least 1.")
    rng = np.random.default_rng(seed)
    draws = [psi(values, rng.choice(values, size=n, replace=True), bins=bins) for _ in range(trials)]
    return float(np.quantile(draws, quantile))


def detect(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    model: Any = None,
    *,
    seed: int = 0,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Run every detector on one pair of samples and return one row per test.

    Per-feature tests, domain classifier and MMD look at the inputs; with a
    ``model`` (anything with ``predict_proba``), BBSD also looks at its scores.

    >>> rng = np.random.default_rng(0)
    >>> same = pd.DataFrame({"x": rng.normal(size=200)})
    >>> detect(same.iloc[:100], same.iloc[100:])["shifted"].any()
    np.False_
    """
    results = [
        feature_tests(reference, current, alpha=alpha, seed=seed),
        domain_classifier(reference, current, seed=seed, alpha=alpha),
    ]
    if model is not None:
        results.append(
            bbsd_test(model.predict_proba(reference), model.predict_proba(current), alpha=alpha,
                      seed=seed)
        )
    results.append(mmd_test(*numeric_view(reference, current), seed=seed, alpha=alpha))
    return pd.DataFrame(
        {
            "test": [r.name for r in results],
            "statistic": [round(r.statistic, 3) for r in results],
            "p_value": [float(f"{r.p_value:.2g}") for r in results],
            "shifted": [r.shifted for r in results],
        }
    )


# ---------------------------------------------------------------------------
# estimating and correcting


def bbse_weights(y_source: Any, pred_source: Any, pred_target: Any, classes: Any = None) -> np.ndarray:
    """Black-box shift estimation (Lipton et al. 2018): w[y] = p_target(y) / p_source(y).

    Solves C w = mu, where C[i, j] is the joint frequency of (prediction i,
    label j) on held-out *labelled* source data and mu the frequency of each
    prediction on the *unlabelled* target data. Assumes label shift only:
    p(x | y) must stay the same. Negative solutions are clipped to 0.

    >>> bbse_weights([0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 1, 0]).round(2).tolist()
    [0.5, 1.5]
    """
    y_source, pred_source = np.asarray(y_source), np.asarray(pred_source)
    pred_target = np.asarray(pred_target)
    if len(y_source) != len(pred_source):
        raise ValueError(
            f"y_source has {len(y_source)} labels but pred_source {len(pred_source)} predictions."
        )
    classes = np.unique(y_source) if classes is None else np.asarray(classes)
    index = {label: i for i, label in enumerate(classes.tolist())}
    k = len(classes)
    joint = np.zeros((k, k))
    for label, prediction in zip(y_source.tolist(), pred_source.tolist(), strict=True):
        joint[index[prediction], index[label]] += 1
    joint /= len(y_source)
    mu = np.array([(pred_target == label).mean() for label in classes])
    if np.linalg.matrix_rank(joint) < k:
        raise ValueError(
            "the confusion matrix cannot be inverted (the model never predicts some class); "
            "BBSE needs a classifier that predicts every class on the source data."
        )
    return np.clip(np.linalg.solve(joint, mu), 0, None)


def adjust_proba(proba: Any, weights: Any) -> np.ndarray:
    """Correct predicted probabilities for new class priors: p'(y|x) ∝ w[y] p(y|x).

    >>> adjust_proba([[0.5, 0.5]], [1.0, 3.0]).tolist()
    [[0.25, 0.75]]
    """
    proba, weights = np.asarray(proba, float), np.asarray(weights, float)
    if proba.ndim != 2 or proba.shape[1] != len(weights):
        raise ValueError(f"proba has shape {proba.shape} but there are {len(weights)} class weights.")
    adjusted = proba * weights
    return adjusted / adjusted.sum(axis=1, keepdims=True)


def importance_weights(
    reference: Any,
    current: Any,
    *,
    clip: float = 10.0,
    model: Any = None,
    folds: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Weights for the reference rows that make them look like the current sample.

    A domain classifier gives p = P(current | x); the weight is the odds
    p / (1 - p), scaled by the sample sizes. Weights above ``clip`` times the
    mean are cut down to it (a few huge weights would otherwise decide
    everything), then all are rescaled to mean 1.
    Pass them as ``sample_weight`` when refitting. Check
    :func:`effective_sample_size`: it says how many rows the weighted sample
    is really worth. Assumes covariate shift: p(y | x) must stay the same.

    >>> rng = np.random.default_rng(0)
    >>> w = importance_weights(rng.normal(size=(200, 1)), rng.normal(1, size=(200, 1)))
    >>> round(float(w.mean()), 6)
    1.0
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    _check_pair(reference, current, minimum=folds)
    if clip <= 1:
        raise ValueError(f"clip={clip}: the largest weight allowed must be above 1.")
    X = pd.concat([reference, current], ignore_index=True)
    is_current = np.r_[np.zeros(len(reference), int), np.ones(len(current), int)]
    if model is None:
        model = make_pipeline(_encoder(), LogisticRegression(max_iter=1000))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    p = cross_val_predict(clone(model), X, is_current, cv=splitter, method="predict_proba")[:, 1]
    p = np.clip(p[: len(reference)], 1e-6, 1 - 1e-6)
    weights = p / (1 - p) * len(reference) / len(current)
    weights = np.minimum(weights / weights.mean(), clip)
    return weights / weights.mean()


def effective_sample_size(weights: Any) -> float:
    """How many unweighted rows a weighted sample is worth: (sum w)^2 / sum w^2.

    >>> effective_sample_size([1, 1, 1, 1]), effective_sample_size([4, 0, 0, 0])
    (4.0, 1.0)
    """
    w = np.asarray(weights, float)
    if (w < 0).any() or w.sum() == 0:
        raise ValueError("weights must be non-negative and not all zero.")
    return float(w.sum() ** 2 / (w**2).sum())


def calibration_error(y_true: Any, proba: Any, *, bins: int = 10) -> float:
    """Expected calibration error of positive-class probabilities (equal-width bins).

    The average gap, weighted by bin size, between the predicted probability
    and the observed share of positives. 0 means perfectly calibrated.

    >>> calibration_error([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])
    0.0
    """
    y, p = np.asarray(y_true, float), np.asarray(proba, float)
    if p.ndim == 2:
        p = p[:, 1]
    if len(y) != len(p) or len(y) == 0:
        raise ValueError(f"y_true has {len(y)} values and proba {len(p)}; they must match and be non-empty.")
    which = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return round(float(error), 12)


# ---------------------------------------------------------------------------
# evaluating and reporting


def accuracy_table(
    model: Any,
    sets: Mapping[str, tuple[pd.DataFrame, pd.Series]],
    by: Sequence[str] = (),
    *,
    min_rows: int = 30,
) -> pd.DataFrame:
    """Accuracy with a 95% confidence interval for each named set and each subgroup.

    ``sets`` maps a window name to (X, y). Each column in ``by`` adds one row
    per value (e.g. ``gender = Female``); groups with fewer than ``min_rows``
    rows are left out because their accuracy says little.

    Columns: window, group, n, accuracy, ci_low, ci_high (Wilson interval).
    """
    rows = []
    for window, (X, y) in sets.items():
        if len(X) != len(y):
            raise ValueError(f"set {window!r}: X has {len(X)} rows but y has {len(y)}.")
        correct = np.asarray(model.predict(X)) == np.asarray(y)
        groups: list[tuple[str, np.ndarray]] = [("all", np.ones(len(X), bool))]
        for column in by:
            if column not in X.columns:
                raise ValueError(f"by={column!r} is not a column of set {window!r}: {list(X.columns)}.")
            for value in sorted(X[column].dropna().unique(), key=str):
                groups.append((f"{column} = {value}", (X[column] == value).to_numpy()))
        for group, mask in groups:
            n = int(mask.sum())
            if n < min_rows:
                continue
            hits = int(correct[mask].sum())
            interval = stats.binomtest(hits, n).proportion_ci(method="wilson")
            rows.append(
                {
                    "window": window,
                    "group": group,
                    "n": n,
                    "accuracy": round(hits / n, 3),
                    "ci_low": round(float(interval.low), 3),
                    "ci_high": round(float(interval.high), 3),
                }
            )
    return pd.DataFrame(rows, columns=["window", "group", "n", "accuracy", "ci_low", "ci_high"])


@dataclass
class ShiftReport:
    """What was measured about shift, ready for the model card and the Hub.

    ``evaluation`` is an :func:`accuracy_table`; ``detections`` maps a window
    name to the detector results for it; ``findings`` and ``monitoring`` are
    the author's own sentences (what the numbers mean, what will be watched).

    >>> table = pd.DataFrame([{"window": "2014-18", "group": "all", "n": 100,
    ...                        "accuracy": 0.76, "ci_low": 0.7, "ci_high": 0.8}])
    >>> report = ShiftReport("1974-1989", "US adults", table)
    >>> "2014-18" in report.to_markdown()
    True
    """

    training_window: str
    population: str
    evaluation: pd.DataFrame
    detections: Mapping[str, Sequence[TestResult]] = field(default_factory=dict)
    findings: Sequence[str] = ()
    remedies: Sequence[str] = ()
    monitoring: Sequence[str] = ()
    metric: str = "accuracy"
    dataset_name: str = "GSS wages"
    dataset_type: str = "gss_wages"
    task_type: str = "tabular-classification"

    def __post_init__(self) -> None:
        missing = {"window", "group", "n", "accuracy"} - set(self.evaluation.columns)
        if missing:
            raise ValueError(
                f"evaluation lacks columns {sorted(missing)}; build it with shift.accuracy_table(...)."
            )

    def to_markdown(self) -> str:
        """The body of the card's "Distribution Shift and Monitoring" section."""
        lines = [
            f"**Training data:** {self.population}, {self.training_window}.",
            "",
            f"**{self.metric.capitalize()} over time and by subgroup** (95% interval):",
            "",
            "| window | group | n | " + self.metric + " | 95% interval |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in self.evaluation.itertuples(index=False):
            interval = (
                f"{row.ci_low:.3f}-{row.ci_high:.3f}" if hasattr(row, "ci_low") else "n/a"
            )
            lines.append(f"| {row.window} | {row.group} | {row.n} | {row.accuracy:.3f} | {interval} |")
        if self.detections:
            lines += ["", "**Label-free shift detectors** (inputs and model outputs only):", ""]
            for window, results in self.detections.items():
                for result in results:
                    lines.append(f"- {window}: {result}")
        for title, items in (
            ("What this means", self.findings),
            ("What we did about it", self.remedies),
            ("Monitoring plan", self.monitoring),
        ):
            if items:
                lines += ["", f"**{title}:**", ""] + [f"- {item}" for item in items]
        return "\n".join(lines) + "\n"

    def to_eval_results(self) -> list:
        """One huggingface_hub ``EvalResult`` per window and subgroup (the card's model-index)."""
        from huggingface_hub import EvalResult

        results = []
        for row in self.evaluation.itertuples(index=False):
            results.append(
                EvalResult(
                    task_type=self.task_type,
                    dataset_type=self.dataset_type,
                    dataset_name=f"{self.dataset_name} {row.window}",
                    dataset_config=str(row.window),
                    dataset_split="all" if row.group == "all" else str(row.group),
                    metric_type=self.metric,
                    metric_value=float(row.accuracy),
                )
            )
        return results


def windows(
    frame: pd.DataFrame, spans: Mapping[str, tuple[int, int]], task: Any = None
) -> dict[str, tuple[pd.DataFrame, pd.Series]]:
    """(X, y) for each named span of years, e.g. ``{"1990-99": (1990, 1999)}``.

    ``task`` turns (frame, years) into (X, y); the default is the course's
    ``data.income_task`` applied to working-age rows (``example.working_age``).
    """
    if task is None:
        from modelshare import data, example

        def task(frame, years):
            return data.income_task(example.working_age(frame), years=years)

    return {name: task(frame, years) for name, years in spans.items()}


__all__ = [
    "ALPHA",
    "MMD_MAX_ROWS",
    "DomainResult",
    "ShiftReport",
    "TestResult",
    "accuracy_table",
    "adjust_p_values",
    "adjust_proba",
    "bbse_weights",
    "bbsd_test",
    "calibration_error",
    "detect",
    "domain_classifier",
    "effective_sample_size",
    "feature_tests",
    "importance_weights",
    "is_categorical",
    "ks_test",
    "mmd_test",
    "numeric_view",
    "psi",
    "psi_noise",
    "windows",
]
