"""How honest and how fast the shift detectors of modelshare.shift are.

    .venv/bin/python benchmarks/shift.py [--trials 300] [--fpr-sizes 100 1000] [--sizes ...]

Prints three Markdown tables:

1. Time of each detector on 2,000 x 2,000 rows (target: all < 2 s together).
2. False-positive rate at alpha = 0.05: random splits of the 1974-89 GSS
   rows into two disjoint samples (no shift by construction), at the sample
   sizes lesson 07 uses. Target: each test within [0.02, 0.08] (issue 6),
   shown with a 95% binomial interval.
3. Power under the real temporal shift: held-out 1974-89 rows against
   2014-18 rows at 100, 200, 500 and 1,000 rows per side, plus PSI on model
   scores next to the value that noise alone gives at that size.

Run with the machine otherwise idle; one BLAS thread (as in the tests).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from modelshare.env import course_environment  # cheap: imports no numpy

for _name, _value in course_environment().items():  # one thread, before numpy is imported
    os.environ.setdefault(_name, _value)

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from modelshare import data, example, shift  # noqa: E402

TESTS = ("features (Bonferroni)", "features (FDR)", "domain classifier", "BBSD", "MMD")


def run_tests(A, B, scores_a, scores_b, seed: int) -> dict[str, float]:
    """The p-value of every test on one pair of samples."""
    return {
        "features (Bonferroni)": shift.feature_tests(A, B).p_value,
        "features (FDR)": shift.feature_tests(A, B, correction="fdr").p_value,
        "domain classifier": shift.domain_classifier(A, B, seed=seed).p_value,
        "BBSD": shift.bbsd_test(scores_a, scores_b).p_value,
        "MMD": shift.mmd_test(*shift.numeric_view(A, B), seed=seed).p_value,
    }


def interval(hits: int, n: int) -> str:
    ci = stats.binomtest(hits, n).proportion_ci(method="wilson")
    return f"{hits / n:.3f} [{ci.low:.3f}, {ci.high:.3f}]"


def false_positive_rates(X, scores, trials: int, sizes: list[int]) -> list[str]:
    """Random splits of one sample into two disjoint halves of n rows: no shift by construction."""
    rng = np.random.default_rng(0)
    alarms = {n: dict.fromkeys(TESTS, 0) for n in sizes}
    for n in sizes:
        for trial in range(trials):
            index = rng.permutation(len(X))[: 2 * n]
            a, b = index[:n], index[n:]
            for name, p in run_tests(X.iloc[a], X.iloc[b], scores[a], scores[b], trial).items():
                alarms[n][name] += p < shift.ALPHA
    rows = ["| test | " + " | ".join(f"FPR at n = {n} [95% CI]" for n in sizes) + " | in [0.02, 0.08] |",
            "| --- |" + " --- |" * (len(sizes) + 1)]
    for name in TESTS:
        rates = [alarms[n][name] / trials for n in sizes]
        ok = "yes" if all(0.02 <= rate <= 0.08 for rate in rates) else "NO"
        rows.append(f"| {name} | " + " | ".join(interval(alarms[n][name], trials) for n in sizes)
                    + f" | {ok} |")
    return rows


def feature_false_positive_rates(X, trials: int, sizes: list[int]) -> list[str]:
    """The per-feature tests alone are cheap: more trials pin their rate down."""
    rng = np.random.default_rng(123)
    rows = ["| per-feature tests only | " + " | ".join(f"FPR at n = {n} [95% CI]" for n in sizes)
            + " |", "| --- |" + " --- |" * len(sizes)]
    counts = {"Bonferroni": [], "FDR": []}
    for n in sizes:
        bonferroni = fdr = 0
        for trial in range(trials):
            index = rng.permutation(len(X))[: 2 * n]
            result = shift.feature_tests(X.iloc[index[:n]], X.iloc[index[n:]], seed=trial)
            bonferroni += result.shifted
            fdr += shift.adjust_p_values(result.table["p_value"], "fdr").min() < shift.ALPHA
        counts["Bonferroni"].append(interval(bonferroni, trials))
        counts["FDR"].append(interval(fdr, trials))
    for name, cells in counts.items():
        rows.append(f"| features ({name}), {trials} trials | " + " | ".join(cells) + " |")
    return rows


def power(early, late, model, sizes: list[int], trials: int) -> list[str]:
    rng = np.random.default_rng(1)
    s_early, s_late = model.predict_proba(early)[:, 1], model.predict_proba(late)[:, 1]
    header = "| test | " + " | ".join(f"n = {n}" for n in sizes) + " |"
    rows = [header, "| --- |" + " --- |" * len(sizes)]
    table = {name: [] for name in TESTS}
    psi_rows = {"PSI on model scores (median)": [], "PSI from noise alone (95th pct)": []}
    for n in sizes:
        hits = dict.fromkeys(TESTS, 0)
        psis = []
        for trial in range(trials):
            a = rng.choice(len(early), n, replace=False)
            b = rng.choice(len(late), n, replace=False)
            for name, p in run_tests(early.iloc[a], late.iloc[b], s_early[a], s_late[b], trial).items():
                hits[name] += p < shift.ALPHA
            psis.append(shift.psi(s_early[a], s_late[b]))
        for name in TESTS:
            table[name].append(f"{hits[name] / trials:.2f}")
        psi_rows["PSI on model scores (median)"].append(f"{np.median(psis):.3f}")
        psi_rows["PSI from noise alone (95th pct)"].append(f"{shift.psi_noise(s_early, n):.3f}")
    for name, cells in {**table, **psi_rows}.items():
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows


def timings(early, late, model) -> list[str]:
    A, B = early.sample(2000, random_state=0), late.sample(2000, random_state=0)
    sa, sb = model.predict_proba(A), model.predict_proba(B)
    jobs = {
        "per-feature tests (8 columns)": lambda: shift.feature_tests(A, B),
        "domain classifier (logistic, two halves)": lambda: shift.domain_classifier(A, B),
        "BBSD (KS on scores)": lambda: shift.bbsd_test(sa, sb),
        "MMD (200 permutations, incl. encoding)": lambda: shift.mmd_test(*shift.numeric_view(A, B)),
        "PSI (model scores)": lambda: shift.psi(sa[:, 1], sb[:, 1]),
        "importance weights (5-fold logistic)": lambda: shift.importance_weights(A, B),
    }
    rows = ["| detector on 2,000 x 2,000 rows | seconds (best of 3) |", "| --- | --- |"]
    total = 0.0
    for name, job in jobs.items():
        best = min(_timed(job) for _ in range(3))
        total += best
        rows.append(f"| {name} | {best:.3f} |")
    rows.append(f"| **all together** | **{total:.2f}** (target < 2) |")
    return rows


def _timed(job) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=300, help="no-shift trials per sample size")
    parser.add_argument("--fpr-sizes", type=int, nargs="+", default=[100, 1000],
                        help="rows per side in the false-positive run (the lesson's sizes)")
    parser.add_argument("--feature-trials", type=int, default=1000,
                        help="no-shift trials for the (cheap) per-feature tests alone")
    parser.add_argument("--power-trials", type=int, default=50)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 500, 1000])
    args = parser.parse_args(argv)

    frame = data.gss_wages()
    split = example.training_split(frame)
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    early, _ = data.income_task(example.working_age(frame), years=example.TRAINING_YEARS)
    late, _ = data.income_task(example.working_age(frame), years=(2014, 2018))

    print("\n".join(timings(early, late, model)), end="\n\n", flush=True)
    print(f"False alarms: random splits of the {len(early):,} rows of 1974-89, {args.trials} trials:")
    print("\n".join(false_positive_rates(early, model.predict_proba(early)[:, 1], args.trials,
                                         args.fpr_sizes)), end="\n\n", flush=True)
    print("\n".join(feature_false_positive_rates(early, args.feature_trials, args.fpr_sizes)),
          end="\n\n", flush=True)
    # As in the lesson: the reference is the held-out split, which the model never trained on.
    print(f"Power under the real shift (held-out 1974-89 vs 2014-18), {args.power_trials} trials:")
    print("\n".join(power(split.X_test, late, model, args.sizes, args.power_trials)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
