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
``psi``                 population stability index: an effect size (how far apart),
                        with ``psi_noise`` for the value that sampling alone gives
======================  ======================================================

Missing values: every detector takes ``nan_policy`` ("raise", the default,
or "omit"), as scipy does. Dates are compared as numbers; text columns whose
values nearly all differ (IDs) are refused.

Remedies: ``bbse_weights`` + ``adjust_proba`` (label shift),
``importance_weights`` (covariate shift; its ``effective_sample_size``
says how many rows the reweighted data are worth),
``calibration_error`` (is the model still calibrated?), and
:class:`ShiftReport` writes the card's "Distribution Shift and Monitoring"
section and model-index results per time window and subgroup.

Pictures: ``plot_accuracy`` (each group's accuracy with its interval, per window
or per model); ``toy_world`` and ``plot_toy_world`` make the three kinds of shift
visible one at a time in a made-up world with one input (lesson 07).

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
NAN_POLICIES = ("raise", "omit")  # as scipy's nan_policy: stop at a missing value, or leave it out
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
# helpers: tables, missing values, dates, identifiers


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


def _check_nan_policy(nan_policy: str) -> None:
    if nan_policy not in NAN_POLICIES:
        raise ValueError(f"nan_policy={nan_policy!r}: use one of {NAN_POLICIES}.")


def _missing_message(name: str, count: int, where: str = "") -> str:
    return (
        f"{name} has {count:,} missing value{'s' if count != 1 else ''} (NaN){where}. "
        f"Drop or fill them first (e.g. {name}.dropna()), or pass nan_policy='omit' to leave "
        "them out of this test (the verdict then covers only the answered rows)."
    )


def _drop_missing(values: Any, name: str, nan_policy: str) -> np.ndarray:
    """A 1-D or 2-D numeric array without missing values (rows with any NaN dropped)."""
    _check_nan_policy(nan_policy)
    array = np.asarray(values, dtype=float)
    missing = np.isnan(array) if array.ndim == 1 else np.isnan(array).any(axis=1)
    if missing.any():
        if nan_policy == "raise":
            raise ValueError(_missing_message(name, int(np.isnan(array).sum())))
        array = array[~missing]
    return array


def _drop_missing_rows(
    reference: pd.DataFrame, current: pd.DataFrame, nan_policy: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables without rows that have a missing value (or a clear error)."""
    _check_nan_policy(nan_policy)
    for name, frame in (("reference", reference), ("current", current)):
        counts = frame.isna().sum()
        if counts.any() and nan_policy == "raise":
            columns = ", ".join(f"{column!r}: {count}" for column, count in counts[counts > 0].items())
            raise ValueError(_missing_message(name, int(counts.sum()), f" (by column: {columns})"))
    return reference.dropna(), current.dropna()


def is_categorical(column: pd.Series) -> bool:
    """Strings, categories and booleans are compared as categories, numbers with KS.

    Dates and durations count as numbers (see :func:`dates_as_numbers`).
    """
    if pd.api.types.is_datetime64_any_dtype(column) or pd.api.types.is_timedelta64_dtype(column):
        return False
    return not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def dates_as_numbers(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Dates become days since 1970-01-01 and durations become days, so tests compare them as numbers.

    Compared as text, two samples of timestamps share no value at all and a
    test of their counts sees nothing. Returns the table and the names of the
    columns converted (time zones are dropped: the instant is kept, in UTC).

    >>> table, converted = dates_as_numbers(pd.DataFrame({"when": pd.to_datetime(["1970-01-02"])}))
    >>> table["when"].tolist(), converted
    ([1.0], ['when'])
    """
    converted = [
        column
        for column in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[column])
        or pd.api.types.is_timedelta64_dtype(frame[column])
    ]
    if not converted:
        return frame, []
    frame = frame.copy()
    day = np.timedelta64(1, "D")
    for column in converted:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            if getattr(values.dt, "tz", None) is not None:
                values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            values = values - pd.Timestamp("1970-01-01")
        frame[column] = values / day  # NaT becomes NaN
    return frame, converted


def _looks_like_identifier(values: pd.Series) -> bool:
    """Text whose values are (nearly) all different: names, IDs, free text."""
    answered = values.dropna()
    return len(answered) >= 20 and answered.astype(str).nunique() >= 0.95 * len(answered)


def _screen(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Dates to numbers, identifier-like text refused, identifier-like integers noted.

    Returns both tables and a note per column, for the per-feature table.
    """
    reference, dated = dates_as_numbers(reference)
    current, _ = dates_as_numbers(current)
    notes = {column: "date compared as a number (days since 1970)" for column in dated}
    for column in reference.columns:
        text = is_categorical(reference[column])
        whole = pd.api.types.is_integer_dtype(reference[column]) and not text
        if not (text or whole):
            continue  # measurements (floats) may all differ: nothing to check
        pooled = pd.concat([reference[column], current[column]], ignore_index=True)
        if text and _looks_like_identifier(pooled):
            raise ValueError(
                f"column {column!r} looks like an identifier or free text: "
                f"{pooled.astype(str).nunique():,} different values in {len(pooled):,} rows. "
                "A test of its counts compares names, not a distribution. Drop it first, "
                f"e.g. reference.drop(columns=[{column!r}]) (and the same for current)."
            )
        if whole and len(pooled) >= 20 and pooled.nunique() == len(pooled):
            notes[column] = "every value differs: if this is an ID, drop the column"
            warnings.warn(
                f"column {column!r} holds whole numbers that all differ, like row IDs; "
                "if it is an identifier, drop it: a shift in IDs says nothing about the data.",
                UserWarning,
                stacklevel=3,
            )
    return reference, current, notes


def numeric_view(reference: Any, current: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both samples as dense float arrays: numbers standardised, categories one-hot.

    The encoding is fitted on both samples together, so it does not depend on
    which rows are "reference": a permutation test on the result (such as
    :func:`mmd_test`) relabels rows whose numbers do not change with their
    label. Fitted on the reference alone, a column that happens to be constant
    in a small reference sample blows up the current rows, and MMD raised
    false alarms in a quarter of no-shift comparisons of 20 digits images.
    Dates become numbers (:func:`dates_as_numbers`); missing values stay NaN.

    >>> a, b = numeric_view(pd.DataFrame({"n": [1.0, 2.0], "c": ["x", "y"]}),
    ...                     pd.DataFrame({"n": [3.0], "c": ["z"]}))
    >>> a.shape, b.shape  # one number, three categories (z is new)
    ((2, 4), (1, 4))
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    reference, current, _ = _screen(reference, current)
    encoder = _encoder().fit(pd.concat([reference, current], ignore_index=True))
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
# the two-sample KS test, honest when values repeat

KS_METHODS = ("auto", "exact", "permutation")
KS_EXACT_MAX_CELLS = 4_000_000  # n x m per column: beyond this, "auto" uses permutations
KS_NEGLIGIBLE_TIES = 0.01  # at most 1% of the pooled values repeat: scipy's p-value is used


def permutations_needed(n_tests: int = 1, alpha: float = ALPHA) -> int:
    """Enough random relabellings that a corrected permutation p-value can still be small.

    A p-value from B relabellings is never below 1 / (B + 1); after a
    Bonferroni correction over ``n_tests`` tests it must still fall well
    under ``alpha``. With a fixed 1,000 and 64 columns the smallest corrected
    p-value is 0.064: no column could ever be flagged. Here B is at least
    20 x n_tests / alpha (and at least 1,000).

    >>> permutations_needed(1), permutations_needed(64)
    (1000, 25600)
    """
    return max(1000, int(np.ceil(20 * n_tests / alpha)))


def _ks_statistic_parts(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Pooled counts per distinct value, the a-counts, and n*m*D as an exact integer."""
    n, m = len(a), len(b)
    _, inverse = np.unique(np.r_[a, b], return_inverse=True)
    counts = np.bincount(inverse)
    in_a = np.bincount(inverse[:n], minlength=len(counts))
    s, i = np.cumsum(counts), np.cumsum(in_a)
    return counts, in_a, int(np.abs(i * m - (s - i) * n).max())


def _ks_exact_with_ties(pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Exact permutation p-values of the KS statistic for pairs that share n and m.

    Relabelling the pooled values at random is a random lattice path from
    (0, 0) to (n, m): a step right per value given to the first sample, up per
    value given to the second. The statistic can only be read where a run of
    equal values ends, so the path "exceeds" the observed statistic only if it
    crosses the boundary at one of those points. ``exited`` holds, for every
    point on the current diagonal, the share of paths into it that have
    already crossed; scipy's own exact method does the same without ties.
    Written in numpy because no library offers the test with ties; the cost is
    n x m steps per column, all columns at once.
    """
    n, m = len(pairs[0][0]), len(pairs[0][1])
    if n > m:  # walk along the shorter sample
        return _ks_exact_with_ties([(b, a) for a, b in pairs])
    total = n + m
    checkpoints = np.zeros((total + 1, len(pairs)), bool)
    limit = np.zeros(len(pairs), np.int64)
    for column, (a, b) in enumerate(pairs):
        counts, _, limit[column] = _ks_statistic_parts(a, b)
        checkpoints[np.cumsum(counts), column] = True
    index = np.arange(n + 1)
    exited, step = np.zeros((n + 1, len(pairs))), np.zeros((n + 1, len(pairs)))
    for s in range(1, total + 1):
        low, high = max(0, s - m), min(n, s)
        here = slice(low, high + 1)
        step[here] = exited[here] * ((s - index[here]) / s)[:, None]
        first = max(low, 1)
        step[first : high + 1] += exited[first - 1 : high] * (index[first : high + 1] / s)[:, None]
        columns = np.flatnonzero(checkpoints[s])
        if columns.size:
            gap = np.abs(index[here] * m - (s - index[here]) * n)
            block = step[here][:, columns]
            block[gap[:, None] >= limit[None, columns]] = 1.0
            step[here, columns] = block
        if low:
            step[low - 1] = 0.0
        exited, step = step, exited
    p_values = exited[n].copy()
    p_values[limit == 0] = 1.0
    return p_values


def _ks_permutation(a: np.ndarray, b: np.ndarray, n_permutations: int, seed: int) -> float:
    """Permutation p-value of the KS statistic: (1 + relabellings at least as extreme) / (1 + B)."""
    counts, _, limit = _ks_statistic_parts(a, b)
    n, m = len(a), len(b)
    # A random relabelling puts a random share of each distinct value into "a": a
    # multivariate hypergeometric draw. The statistic is then the largest gap between
    # the two empirical CDFs, read where each run of equal values ends.
    at_or_below = np.cumsum(counts)
    rng = np.random.default_rng(seed)
    reached = done = 0
    while done < n_permutations:
        batch = min(500, n_permutations - done)
        draws = rng.multivariate_hypergeometric(
            counts, n, size=batch, method="marginals" if len(counts) < 100 else "count"
        )
        in_a = np.cumsum(draws, axis=1)
        gaps = np.abs(in_a * m - (at_or_below - in_a) * n).max(axis=1)
        reached += int((gaps >= limit).sum())
        done += batch
    return (1 + reached) / (1 + n_permutations)


def _ks_many(
    pairs: list[tuple[np.ndarray, np.ndarray]],
    *,
    method: str = "auto",
    n_permutations: int | None = None,
    n_tests: int | None = None,
    alpha: float = ALPHA,
    seed: int = 0,
) -> list[tuple[float, float, str]]:
    """:func:`ks_test` on many pairs; exact computations that share sizes run together."""
    if method not in KS_METHODS:
        raise ValueError(f"method={method!r}: use one of {KS_METHODS}.")
    n_tests = len(pairs) if n_tests is None else n_tests
    permutations = n_permutations or permutations_needed(n_tests, alpha)
    results: list[Any] = [None] * len(pairs)
    exact: dict[tuple[int, int], list[int]] = {}
    for k, (a, b) in enumerate(pairs):
        with warnings.catch_warnings():  # scipy falls back from exact to asymptotic p
            warnings.simplefilter("ignore", RuntimeWarning)
            scipy_result = stats.ks_2samp(a, b)
        statistic = float(scipy_result.statistic)
        repeated = len(a) + len(b) - len(np.unique(np.r_[a, b]))
        if method == "auto" and repeated <= KS_NEGLIGIBLE_TIES * (len(a) + len(b)):
            # No ties, or so few that scipy's p-value (then slightly too large) is as good.
            results[k] = (statistic, float(scipy_result.pvalue), "KS")
        elif method == "exact" or (method == "auto" and len(a) * len(b) <= KS_EXACT_MAX_CELLS):
            exact.setdefault((len(a), len(b)), []).append(k)
            results[k] = statistic
        else:
            p_value = _ks_permutation(a, b, permutations, seed + k)
            results[k] = (statistic, p_value, f"KS (permutation, {permutations:,})")
    for members in exact.values():
        p_values = _ks_exact_with_ties([pairs[k] for k in members])
        for k, p_value in zip(members, p_values, strict=True):
            results[k] = (results[k], float(min(1.0, p_value)), "KS (exact)")
    return results


def ks_test(
    a: Any,
    b: Any,
    *,
    method: str = "auto",
    n_permutations: int | None = None,
    n_tests: int = 1,
    alpha: float = ALPHA,
    nan_policy: str = "raise",
    seed: int = 0,
) -> tuple[float, float, str]:
    """Two-sample Kolmogorov-Smirnov test that stays honest when values repeat.

    Returns (statistic, p-value, name of the method). Without repeated values
    (or with at most ``KS_NEGLIGIBLE_TIES`` of them) scipy's p-value is used
    ("KS"). scipy's p-value assumes no ties; with many repeated values (ages
    in whole years, numbers of children, pixel values) it is too large, so
    the test raises too few alarms. Then the p-value is
    the exact share of relabellings of the pooled values that give a
    statistic at least as large ("KS (exact)"); ``method="auto"`` switches to
    ``n_permutations`` random relabellings ("KS (permutation, B)") when
    n x m exceeds ``KS_EXACT_MAX_CELLS``. A permutation p-value is never below
    1 / (B + 1), so the default B grows with ``n_tests``, the number of tests
    a correction will count (see :func:`permutations_needed`).

    ``nan_policy="raise"`` (default) stops at missing values; ``"omit"`` drops them.

    >>> ks_test([1, 2, 2, 3] * 20, [1, 2, 2, 3] * 20)[1:]
    (1.0, 'KS (exact)')
    """
    a = _drop_missing(a, "the first sample", nan_policy).ravel()
    b = _drop_missing(b, "the second sample", nan_policy).ravel()
    if len(a) == 0 or len(b) == 0:
        raise ValueError(f"ks_test needs values in both samples; got {len(a)} and {len(b)}.")
    (result,) = _ks_many([(a, b)], method=method, n_permutations=n_permutations, n_tests=n_tests,
                         alpha=alpha, seed=seed)
    return result


# ---------------------------------------------------------------------------
# detectors


MIN_EXPECTED = 5  # Cochran's rule for chi-square: every expected count at least 5


def _merge_rare_levels(counts: np.ndarray) -> tuple[np.ndarray, int]:
    """Merge categories too rare for the chi-square approximation into one level.

    ``counts`` has one row per sample and one column per category. Categories
    whose expected count in the smaller sample is below 5 are pooled into one
    "rare levels" column; if that pool is still too small it takes in the
    smallest other category, and so on. Returns the merged table and how many
    categories went into the pool.
    """
    sizes = counts.sum(axis=1)
    needed = MIN_EXPECTED * sizes.sum() / sizes.min()  # pooled count for an expected 5
    order = np.argsort(counts.sum(axis=0), kind="stable")
    totals = counts.sum(axis=0)[order]
    merged = int((totals < needed).sum())
    if merged == 0:
        return counts, 0
    while merged < len(order) and counts[:, order[:merged]].sum() < needed:
        merged += 1  # the pool is still too small: add the next smallest category
    pool = counts[:, order[:merged]].sum(axis=1, keepdims=True)
    return np.hstack([counts[:, order[merged:]], pool]), merged


def _chi_square(a: pd.Series, b: pd.Series) -> tuple[float, float, str]:
    _, inverse = np.unique(np.r_[a.astype(str), b.astype(str)], return_inverse=True)
    counts = np.vstack([np.bincount(inverse[: len(a)], minlength=inverse.max() + 1),
                        np.bincount(inverse[len(a):], minlength=inverse.max() + 1)])
    counts, merged = _merge_rare_levels(counts)
    note = f"{merged} rare categories merged (expected count < {MIN_EXPECTED})" if merged else ""
    if counts.shape[1] < 2:
        return 0.0, 1.0, (note + "; " if note else "") + "one category left: nothing to compare"
    result = stats.chi2_contingency(counts)
    return float(result.statistic), float(result.pvalue), note


def feature_tests(
    reference: Any,
    current: Any,
    *,
    correction: str = "bonferroni",
    alpha: float = ALPHA,
    nan_policy: str = "raise",
    n_permutations: int | None = None,
    seed: int = 0,
) -> TestResult:
    """Test each column separately: KS for numbers, chi-square for categories.

    The overall verdict is "shifted" when any corrected p-value is below
    ``alpha``; ``result.table`` lists every column, most shifted first, with a
    ``note`` where the test needed care:

    - numbers with repeated values get an exact (or permutation) p-value
      (see :func:`ks_test`; permutations scale with the number of columns);
    - categories too rare for chi-square are merged (expected count < 5);
    - dates and durations are compared as numbers (days);
    - text columns whose values nearly all differ (IDs, names) are refused,
      and whole-number columns whose values all differ are flagged.

    ``nan_policy="raise"`` (default) stops at a missing value; ``"omit"``
    leaves missing values out, column by column.

    >>> ref = pd.DataFrame({"age": [20.0, 30, 40, 50] * 25, "job": list("abab") * 25})
    >>> feature_tests(ref, ref).shifted
    False
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    _check_pair(reference, current)
    _check_nan_policy(nan_policy)
    if correction not in CORRECTIONS:
        raise ValueError(f"correction={correction!r}: use one of {CORRECTIONS}.")
    if nan_policy == "raise":
        _drop_missing_rows(reference, current, "raise")
    reference, current, notes = _screen(reference, current)
    rows, numbers = [], []
    for column in reference.columns:
        a, b = reference[column].dropna(), current[column].dropna()
        if len(a) < 2 or len(b) < 2:
            raise ValueError(
                f"column {column!r} has {len(a)} and {len(b)} answered rows; a test needs at least 2 "
                "in each sample. Drop the column or collect more rows."
            )
        row = {"feature": column, "note": notes.get(column, "")}
        if is_categorical(reference[column]):
            row["statistic"], row["p_value"], note = _chi_square(a, b)
            row["test"] = "chi-square"
            row["note"] = "; ".join(part for part in (row["note"], note) if part)
        else:
            numbers.append((len(rows), a.to_numpy(float), b.to_numpy(float)))
        rows.append(row)
    ks_results = _ks_many([(a, b) for _, a, b in numbers], n_permutations=n_permutations,
                          n_tests=len(rows), alpha=alpha, seed=seed)
    for (k, _, _), (statistic, p_value, test) in zip(numbers, ks_results, strict=True):
        rows[k].update(statistic=statistic, p_value=p_value, test=test)
    table = pd.DataFrame(rows)[["feature", "test", "statistic", "p_value", "note"]]
    table.insert(4, "p_adjusted", adjust_p_values(table["p_value"], correction))
    table.insert(5, "shifted", table["p_adjusted"] < alpha)
    table = table.sort_values("p_adjusted", kind="stable").reset_index(drop=True)
    flagged = table.loc[table["shifted"], "feature"].tolist()
    return TestResult(
        name=f"per-feature tests ({correction})",
        statistic=float(len(flagged)),
        p_value=float(table["p_adjusted"].min()),
        alpha=alpha,
        detail=f"shifted: {', '.join(map(str, flagged))}" if flagged else "",
        table=table,
    )


def domain_classifier(
    reference: Any,
    current: Any,
    *,
    model: Any = None,
    seed: int = 0,
    alpha: float = ALPHA,
    nan_policy: str = "raise",
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
    classifier as ``model``. With ``nan_policy="omit"`` rows with a missing
    value are left out and their novelty is NaN.

    >>> rng = np.random.default_rng(0)
    >>> domain_classifier(rng.normal(size=(100, 2)), rng.normal(size=(100, 2))).shifted
    False
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    _check_pair(reference, current, minimum=4)
    reference, current, _ = _screen(reference, current)
    kept_reference, kept_current = _drop_missing_rows(reference, current, nan_policy)
    _check_pair(kept_reference, kept_current, minimum=4)
    X = pd.concat([kept_reference, kept_current], ignore_index=True)
    is_current = np.r_[np.zeros(len(kept_reference), int), np.ones(len(kept_current), int)]
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
    novelty = pd.Series(np.nan, index=current.index)
    novelty[kept_current.index] = scores[is_current == 1]
    return DomainResult(
        name="domain classifier",
        statistic=auc,
        p_value=float(u_test.pvalue),
        alpha=alpha,
        detail=f"AUC {auc:.3f}",
        novelty=novelty.to_numpy(),
    )


def bbsd_test(
    reference_scores: Any,
    current_scores: Any,
    *,
    alpha: float = ALPHA,
    nan_policy: str = "raise",
    n_permutations: int | None = None,
    seed: int = 0,
) -> TestResult:
    """Black-box shift detection: KS test on the model's outputs (Rabanser et al. 2019).

    Pass ``model.predict_proba(X)`` for each sample. For two classes the
    positive-class column is tested; for more, each class column is tested
    and Bonferroni-corrected (with :func:`ks_test`, so repeated scores are
    handled). Needs no labels and no access to the inputs' meaning, only the
    deployed model. ``nan_policy="omit"`` drops rows with a missing score.

    >>> bbsd_test([0.1, 0.2, 0.3, 0.4] * 10, [0.1, 0.2, 0.3, 0.4] * 10).shifted
    False
    """
    a = np.asarray(reference_scores, float)
    b = np.asarray(current_scores, float)
    if a.ndim == 1:
        a, b = a[:, None], b[:, None]
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(
            "pass model.predict_proba(...) for both samples (same number of columns); "
            f"got shapes {a.shape} and {b.shape}."
        )
    a = _drop_missing(a, "reference_scores", nan_policy)
    b = _drop_missing(b, "current_scores", nan_policy)
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"bbsd_test needs at least 2 rows of scores per sample; got {len(a)} and {len(b)}.")
    if a.shape[1] == 2:
        a, b = a[:, 1:], b[:, 1:]
    tests = _ks_many([(a[:, j], b[:, j]) for j in range(a.shape[1])], n_permutations=n_permutations,
                     alpha=alpha, seed=seed)
    p_values = adjust_p_values([p for _, p, _ in tests], "bonferroni")
    return TestResult(
        name="BBSD (KS on model scores)",
        statistic=max(statistic for statistic, _, _ in tests),
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
    nan_policy: str = "raise",
) -> TestResult:
    """Maximum mean discrepancy with a Gaussian kernel and a permutation test.

    MMD compares whole distributions at once (not column by column). The
    p-value is the share of random relabellings of the pooled rows that give
    an MMD at least as large as the real one. Cost grows with the square of
    the number of rows (the kernel matrix); numbers only: use
    :func:`numeric_view` for tables with categories. ``nan_policy="omit"``
    drops rows with a missing value.

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
    a, b = _drop_missing(a, "reference", nan_policy), _drop_missing(b, "current", nan_policy)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("mmd_test needs finite numbers: replace infinite values first.")
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"mmd_test needs at least 2 rows per sample; got {len(a)} and {len(b)}.")
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


def psi(reference: Any, current: Any, *, bins: int = 10, nan_policy: str = "raise") -> float:
    """Population stability index of one column (numbers or categories): an effect size.

    Numbers are cut at the reference's deciles. PSI sums
    (current share - reference share) * ln(current share / reference share)
    over the bins: it says how far apart two distributions are, not whether
    the difference is more than chance. Industry rule of thumb: < 0.1 small,
    0.1-0.25 moderate, > 0.25 large. Small samples give large values from
    noise alone: compare with :func:`psi_noise` at your sample sizes first.
    ``nan_policy="raise"`` (default) stops at missing values; ``"omit"`` drops them.

    >>> round(psi([1, 2, 3, 4] * 50, [1, 2, 3, 4] * 50), 3)
    0.0
    """
    a, b = pd.Series(np.asarray(reference).ravel()), pd.Series(np.asarray(current).ravel())
    _check_nan_policy(nan_policy)
    for name, values in (("reference", a), ("current", b)):
        if values.isna().any() and nan_policy == "raise":
            raise ValueError(_missing_message(name, int(values.isna().sum())))
    a, b = a.dropna().reset_index(drop=True), b.dropna().reset_index(drop=True)
    if len(a) == 0 or len(b) == 0:
        raise ValueError("psi needs at least one value in each sample.")
    if is_categorical(a):
        levels = sorted(set(a.astype(str)) | set(b.astype(str)))
        p = a.astype(str).value_counts(normalize=True).reindex(levels, fill_value=0).to_numpy()
        q = b.astype(str).value_counts(normalize=True).reindex(levels, fill_value=0).to_numpy()
    else:
        a, b = a.to_numpy(float), b.to_numpy(float)
        edges = np.unique(np.quantile(a, np.linspace(0, 1, bins + 1)[1:-1]))
        p = np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1) / len(a)
        q = np.bincount(np.searchsorted(edges, b, side="right"), minlength=len(edges) + 1) / len(b)
    p, q = np.clip(p, 1e-4, None), np.clip(q, 1e-4, None)
    return float(np.sum((q - p) * np.log(q / p)))


def psi_noise(
    reference: Any,
    n: int,
    *,
    n_reference: int | None = None,
    bins: int = 10,
    trials: int = 200,
    quantile: float = 0.95,
    nan_policy: str = "raise",
    seed: int = 0,
) -> float:
    """The PSI that sampling alone gives when nothing has changed.

    Both samples are noisy: the reference (``n_reference`` rows, by default
    as many as ``reference`` has) and the current one (``n`` rows). Each
    trial draws both from ``reference`` (with replacement, so from the same
    distribution) and computes their PSI; the result is the ``quantile`` of
    those values. A PSI below it at these sample sizes is no evidence of
    shift; a PSI above it is, and then PSI itself says how large the shift is.

    >>> psi_noise(np.arange(1000.0), n=50) > psi_noise(np.arange(1000.0), n=500)
    True
    """
    values = pd.Series(np.asarray(reference).ravel())
    _check_nan_policy(nan_policy)
    if values.isna().any():
        if nan_policy == "raise":
            raise ValueError(_missing_message("reference", int(values.isna().sum())))
        values = values.dropna()
    values = values.to_numpy()
    n_reference = len(values) if n_reference is None else n_reference
    if n < 1 or n_reference < 1:
        raise ValueError(f"n={n}, n_reference={n_reference}: each sample size must be at least 1.")
    if len(values) == 0:
        raise ValueError("psi_noise needs at least one reference value.")
    rng = np.random.default_rng(seed)
    draws = [
        psi(rng.choice(values, size=n_reference), rng.choice(values, size=n), bins=bins)
        for _ in range(trials)
    ]
    return float(np.quantile(draws, quantile))


def detect(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    model: Any = None,
    *,
    seed: int = 0,
    alpha: float = ALPHA,
    nan_policy: str = "raise",
) -> pd.DataFrame:
    """Run every detector on one pair of samples and return one row per test.

    Per-feature tests, domain classifier and MMD look at the inputs; with a
    ``model`` (anything with ``predict_proba``), BBSD also looks at its scores.
    ``nan_policy`` is passed to every detector.

    >>> rng = np.random.default_rng(0)
    >>> same = pd.DataFrame({"x": rng.normal(size=200)})
    >>> detect(same.iloc[:100], same.iloc[100:])["shifted"].any()
    np.False_
    """
    results = [
        feature_tests(reference, current, alpha=alpha, seed=seed, nan_policy=nan_policy),
        domain_classifier(reference, current, seed=seed, alpha=alpha, nan_policy=nan_policy),
    ]
    reference, current = _drop_missing_rows(_frame(reference, "reference"),
                                            _frame(current, "current"), nan_policy)
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


def _labels(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one label per row (shape (n,)), got shape {array.shape}; "
            "pass model.predict(X), not model.predict_proba(X)."
        )
    if len(array) == 0:
        raise ValueError(f"{name} is empty.")
    if pd.isna(array).any():
        raise ValueError(f"{name} has {int(pd.isna(array).sum())} missing labels; drop those rows first.")
    return array


def bbse_weights(y_source: Any, pred_source: Any, pred_target: Any, classes: Any = None) -> np.ndarray:
    """Black-box shift estimation (Lipton et al. 2018): w[y] = p_target(y) / p_source(y).

    Solves C w = mu, where C[i, j] is the joint frequency of (prediction i,
    label j) on held-out *labelled* source data and mu the frequency of each
    prediction on the *unlabelled* target data. Assumes label shift only:
    p(x | y) must stay the same. Negative solutions are clipped to 0.

    >>> bbse_weights([0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 1, 0]).round(2).tolist()
    [0.5, 1.5]
    """
    y_source = _labels(y_source, "y_source")
    pred_source = _labels(pred_source, "pred_source")
    pred_target = _labels(pred_target, "pred_target")
    if len(y_source) != len(pred_source):
        raise ValueError(
            f"y_source has {len(y_source)} labels but pred_source {len(pred_source)} predictions."
        )
    classes = np.unique(y_source) if classes is None else np.asarray(classes)
    names = classes.tolist()
    for name, values in (("y_source", y_source), ("pred_source", pred_source), ("pred_target", pred_target)):
        unknown = sorted({str(value) for value in values.tolist()} - {str(c) for c in names})
        if unknown:
            raise ValueError(
                f"{name} holds labels that are not among the classes {names}: {unknown[:5]}. "
                "Use the same labels (and types) for y and for the model's predictions, "
                "or pass classes=[...]."
            )
    index = {str(label): i for i, label in enumerate(names)}
    k = len(classes)
    joint = np.zeros((k, k))
    for label, prediction in zip(y_source.tolist(), pred_source.tolist(), strict=True):
        joint[index[str(prediction)], index[str(label)]] += 1
    joint /= len(y_source)
    mu = np.bincount([index[str(p)] for p in pred_target.tolist()], minlength=k) / len(pred_target)
    if np.linalg.matrix_rank(joint) < k:
        raise ValueError(
            "the confusion matrix cannot be inverted (the model never predicts some class, or "
            "predicts two classes alike); BBSE needs a classifier that predicts every class on the "
            "source data and tells them apart."
        )
    return np.clip(np.linalg.solve(joint, mu), 0, None)


def adjust_proba(proba: Any, weights: Any) -> np.ndarray:
    """Correct predicted probabilities for new class priors: p'(y|x) ∝ w[y] p(y|x).

    >>> adjust_proba([[0.5, 0.5]], [1.0, 3.0]).tolist()
    [[0.25, 0.75]]
    """
    proba, weights = np.asarray(proba, float), np.asarray(weights, float)
    if proba.ndim != 2 or weights.ndim != 1 or proba.shape[1] != len(weights):
        raise ValueError(
            f"proba has shape {proba.shape} but there are {weights.size} class weights; "
            "pass model.predict_proba(X) and one weight per class (from bbse_weights)."
        )
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError(f"class weights must be finite and non-negative; got {weights.tolist()}.")
    if not np.isfinite(proba).all() or (proba < 0).any():
        raise ValueError("proba must hold finite, non-negative probabilities (no NaN).")
    adjusted = proba * weights
    totals = adjusted.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        rows = np.flatnonzero(totals[:, 0] == 0)
        raise ValueError(
            f"{len(rows)} row(s) (first: {rows[0]}) get probability 0 for every class: the model "
            "gives them only classes whose weight is 0. A weight of 0 says the class has vanished; "
            "check the weights (bbse_weights clips negative estimates to 0) before adjusting."
        )
    return adjusted / totals


@dataclass(frozen=True)
class ImportanceWeights:
    """Importance weights for the reference rows, clipped, with what clipping cost.

    ``weights`` (mean 1, none above ``clip``) go into ``sample_weight``;
    ``unclipped`` are the weights before clipping (mean 1). Clipping lowers
    the variance of what is fitted with the weights but leaves the reweighted
    data less like the current data. :func:`effective_sample_size` of this
    object therefore reports the unclipped weights: how many rows of the
    current population the reference is really worth.
    """

    weights: np.ndarray = field(repr=False)
    unclipped: np.ndarray = field(repr=False)
    clip: float

    @property
    def n_clipped(self) -> int:
        """How many rows had their weight cut down to ``clip``."""
        return int((self.unclipped * self.weights.mean() > self.weights + 1e-9).sum())

    @property
    def effective_sample_size(self) -> float:
        """(sum w)^2 / sum w^2 of the unclipped weights: the honest count."""
        return effective_sample_size(self.unclipped)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.weights if dtype is None else self.weights.astype(dtype)

    def __len__(self) -> int:
        return len(self.weights)

    def __str__(self) -> str:
        n = len(self.weights)
        return (
            f"{n:,} weights, {self.n_clipped:,} clipped at {self.clip:g}; effective sample size "
            f"{self.effective_sample_size:,.0f} of {n:,} rows before clipping, "
            f"{effective_sample_size(self.weights):,.0f} after (clipping buys that with bias)"
        )


def _clip_mean_one(raw: np.ndarray, clip: float) -> np.ndarray:
    """Weights proportional to ``raw`` where possible, mean 1, none above ``clip``.

    The largest k weights are set to ``clip`` and the rest scaled so the mean
    is 1; k is the smallest number for which no scaled weight exceeds ``clip``.
    """
    order = np.sort(raw)[::-1]
    n = len(raw)
    rest = np.cumsum(order[::-1])[::-1]  # rest[k] = sum of all but the k largest
    for k in range(n):
        scale = (n - k * clip) / rest[k]
        if order[k] * scale <= clip:
            return np.minimum(raw * scale, clip)
    return np.full(n, 1.0)


def importance_weights(
    reference: Any,
    current: Any,
    *,
    clip: float = 10.0,
    model: Any = None,
    folds: int = 5,
    seed: int = 0,
) -> ImportanceWeights:
    """Weights for the reference rows that make them look like the current sample.

    A domain classifier gives p = P(current | x); the weight is the odds
    p / (1 - p), scaled by the sample sizes: the ratio p_current(x) / p_reference(x).
    A few huge weights would otherwise decide everything, so the weights are
    clipped: after scaling to mean 1, none is above ``clip``. Pass
    ``result.weights`` as ``sample_weight`` when refitting, and read
    ``result.effective_sample_size``: how many rows the reference is really
    worth for the current data. Assumes covariate shift: p(y | x) must stay the
    same. Missing values are refused (drop or fill them first).

    >>> rng = np.random.default_rng(0)
    >>> w = importance_weights(rng.normal(size=(200, 1)), rng.normal(1, size=(200, 1)), clip=5)
    >>> round(float(w.weights.mean()), 6), bool(w.weights.max() <= 5)
    (1.0, True)
    """
    reference, current = _frame(reference, "reference"), _frame(current, "current")
    _check_pair(reference, current, minimum=folds)
    if clip <= 1:
        raise ValueError(f"clip={clip}: the largest weight allowed must be above 1.")
    reference, current, _ = _screen(reference, current)
    _drop_missing_rows(reference, current, "raise")
    X = pd.concat([reference, current], ignore_index=True)
    is_current = np.r_[np.zeros(len(reference), int), np.ones(len(current), int)]
    if model is None:
        model = make_pipeline(_encoder(), LogisticRegression(max_iter=1000))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    p = cross_val_predict(clone(model), X, is_current, cv=splitter, method="predict_proba")[:, 1]
    p = np.clip(p[: len(reference)], 1e-6, 1 - 1e-6)
    raw = p / (1 - p) * len(reference) / len(current)
    return ImportanceWeights(_clip_mean_one(raw, clip), raw / raw.mean(), float(clip))


def effective_sample_size(weights: Any) -> float:
    """How many unweighted rows a weighted sample is worth: (sum w)^2 / sum w^2 (Kish).

    For the result of :func:`importance_weights` this is computed on the
    weights *before* clipping: clipping makes the number look better without
    making the reference more like the current data.

    >>> effective_sample_size([1, 1, 1, 1]), effective_sample_size([4, 0, 0, 0])
    (4.0, 1.0)
    """
    if isinstance(weights, ImportanceWeights):
        return weights.effective_sample_size
    w = np.asarray(weights, float)
    if not np.isfinite(w).all() or (w < 0).any() or w.sum() == 0:
        raise ValueError("weights must be finite, non-negative and not all zero.")
    return float(w.sum() ** 2 / (w**2).sum())


def calibration_error(y_true: Any, proba: Any, *, bins: int = 10) -> float:
    """Expected calibration error of positive-class probabilities (equal-width bins).

    The average gap, weighted by bin size, between the predicted probability
    and the observed share of positives. 0 means perfectly calibrated. For
    two classes only: ``y_true`` holds 0/1 (or False/True) and ``proba`` the
    positive class's probability, or ``predict_proba``'s two columns.

    >>> calibration_error([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])
    0.0
    """
    y, p = np.asarray(y_true), np.asarray(proba, float)
    if p.ndim == 2:
        if p.shape[1] != 2:
            raise ValueError(
                f"proba has {p.shape[1]} columns; calibration_error is for two classes. For more, "
                "compute it per class (one class against the rest) on that class's column."
            )
        p = p[:, 1]
    if y.ndim != 1 or len(y) != len(p) or len(y) == 0:
        raise ValueError(f"y_true has {len(y)} values and proba {len(p)}; they must match and be non-empty.")
    if pd.isna(y).any() or np.isnan(p).any():
        raise ValueError("y_true and proba must not have missing values; drop those rows first.")
    if not set(np.unique(y).tolist()) <= {0, 1}:
        raise ValueError(
            f"y_true must hold 0 and 1 (two classes); got {sorted(map(str, np.unique(y)))[:5]}. "
            "Turn labels into 0/1 first, e.g. (y == positive_label).astype(int)."
        )
    if (p < 0).any() or (p > 1).any():
        raise ValueError("proba must be probabilities between 0 and 1.")
    y = y.astype(float)
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


# ---------------------------------------------------------------------------
# pictures, and a made-up world that shows each kind of shift on its own (lesson 07)

MARKERS = ("o", "s", "^", "D", "v")  # shapes: no series is told apart by colour alone
TOY_KINDS = ("source", "covariate", "label", "concept")


def plot_accuracy(table: pd.DataFrame, *, series: str = "window", ax: Any = None) -> Any:
    """Each group's accuracy with its 95% interval, one marker shape per value of ``series``.

    ``table`` is an :func:`accuracy_table`, or several concatenated with a column that
    names each model (then ``series="model"``). Groups are sorted by the accuracy in the
    last series, lowest at the bottom. Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    missing = {series, "group", "accuracy", "ci_low", "ci_high"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks columns {sorted(missing)}; build it with "
                         "shift.accuracy_table(...) and name the series column with series=...")
    names = list(dict.fromkeys(table[series]))
    if not 1 <= len(names) <= len(MARKERS):
        raise ValueError(f"plot_accuracy draws 1 to {len(MARKERS)} series; the table has "
                         f"{len(names)} values of {series!r}: select some first.")
    last = table[table[series] == names[-1]].set_index("group")["accuracy"]
    order = list(last.sort_values().index)
    order += [group for group in dict.fromkeys(table["group"]) if group not in order]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 1 + 0.35 * len(order)))
    offsets = np.linspace(-0.15, 0.15, len(names)) if len(names) > 1 else [0.0]
    for name, marker, offset in zip(names, MARKERS, offsets, strict=False):
        rows = table[table[series] == name].set_index("group").reindex(order)
        errors = [rows["accuracy"] - rows["ci_low"], rows["ci_high"] - rows["accuracy"]]
        ax.errorbar(rows["accuracy"], np.arange(len(order)) + offset, xerr=errors, fmt=marker,
                    capsize=3, label=str(name))
    ax.set_yticks(np.arange(len(order)), order)
    ax.set_xlabel("accuracy (95% interval)")
    ax.legend(loc="lower right")
    return ax


def toy_world(kind: str = "source", n: int = 5000, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A made-up world with one input x and a label y, before or after one kind of shift.

    In the ``"source"`` world x ~ Normal(0, 1) and y = 1 with probability
    sigmoid(3 x): the boundary is at x = 0 and about half the cases are positive.
    Each shifted world changes one thing:

    - ``"covariate"``: x ~ Normal(1.5, 1); p(y | x) as in the source;
    - ``"label"``: 85% positives, drawn from the source world class by class,
      so p(x | y) stays what it was;
    - ``"concept"``: the boundary moves to x = 1, so p(y | x) changes; p(x) stays.

    Returns (X, y), X with one column as scikit-learn expects.

    >>> X, y = toy_world("label", n=1000)
    >>> X.shape, float(y.mean())
    ((1000, 1), 0.85)
    """
    if kind not in TOY_KINDS:
        raise ValueError(f"kind={kind!r}: use one of {TOY_KINDS}.")
    rng = np.random.default_rng(seed)
    size = 4 * n if kind == "label" else n  # draw more, then keep 85% positives
    x = rng.normal(1.5 if kind == "covariate" else 0.0, 1.0, size)
    boundary = 1.0 if kind == "concept" else 0.0
    y = (rng.random(size) < 1 / (1 + np.exp(-3 * (x - boundary)))).astype(int)
    if kind == "label":  # resample each class: p(x | y) unchanged, p(y) moved
        k = round(0.85 * n)
        keep = np.r_[rng.choice(np.flatnonzero(y == 1), k, replace=False),
                     rng.choice(np.flatnonzero(y == 0), n - k, replace=False)]
        keep = rng.permutation(keep)
        x, y = x[keep], y[keep]
    return x[:, None], y


def plot_toy_world(model: Any, source: tuple, deployed: tuple, *, ax: Any = None) -> Any:
    """One toy world in one panel (see :func:`toy_world`).

    Outlines: p(x) in the source world (solid) and after the shift (dashed). Black
    dots: the share of y = 1 among deployed cases near each x, the true p(y = 1 | x)
    after the shift. Thick line: what ``model`` believes p(y = 1 | x) to be.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3))
    (x_source, _), (x, y) = source, deployed
    span = dict(bins=36, range=(-4, 5), density=True, histtype="step")
    ax.hist(x_source[:, 0], linestyle="-", label="p(x), source", **span)
    ax.hist(x[:, 0], linestyle="--", label="p(x), deployed", **span)
    edges = np.linspace(-4, 5, 19)
    which = np.digitize(x[:, 0], edges)
    share = [y[which == b].mean() if (which == b).sum() > 20 else np.nan for b in range(1, len(edges))]
    ax.plot((edges[:-1] + edges[1:]) / 2, share, "ko", markersize=3, label="p(y=1 | x), deployed")
    grid = np.linspace(-4, 5, 200)
    ax.plot(grid, model.predict_proba(grid[:, None])[:, 1], linewidth=2.5, label="model's p(y=1 | x)")
    ax.set_xlabel("x")
    return ax

__all__ = [
    "ALPHA",
    "MMD_MAX_ROWS",
    "DomainResult",
    "ImportanceWeights",
    "KS_EXACT_MAX_CELLS",
    "KS_NEGLIGIBLE_TIES",
    "NAN_POLICIES",
    "ShiftReport",
    "TOY_KINDS",
    "TestResult",
    "accuracy_table",
    "adjust_p_values",
    "adjust_proba",
    "bbse_weights",
    "bbsd_test",
    "calibration_error",
    "dates_as_numbers",
    "detect",
    "domain_classifier",
    "effective_sample_size",
    "feature_tests",
    "importance_weights",
    "is_categorical",
    "ks_test",
    "mmd_test",
    "numeric_view",
    "permutations_needed",
    "psi",
    "psi_noise",
    "plot_accuracy",
    "plot_toy_world",
    "toy_world",
    "windows",
]
