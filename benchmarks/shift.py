"""How honest and how fast the shift detectors of modelshare.shift are.

    .venv/bin/python benchmarks/shift.py [--quick] [--only grid|gss] [--grid-trials 100] [--seeds 0 1]

Prints Markdown tables. First the "Failing Loudly" grid (Rabanser, Günnemann
& Lipton, NeurIPS 2019) on data we did not pick, scikit-learn's bundled
digits and breast-cancer sets (offline loaders only): every detector, and a
plain scipy baseline, at n = 20, 50, 100, 200, 500 rows per side, under no
shift, Gaussian noise (small, medium, large) and the knock-out of half of one
class. Each cell is a detection rate with a 95% Wilson interval, once per seed.
Targets: no false-positive interval lies entirely above 0.08, and every
detector's power is at least its baseline's within noise (the intervals
overlap or ours is higher). See grid() for the set-up.

Then, on the course's own GSS data:

1. Time of each detector on 2,000 x 2,000 rows (target: all < 2 s together).
2. False-positive rate at alpha = 0.05: random splits of the 1974-89 GSS
   rows into two disjoint samples (no shift by construction), at the sample
   sizes lesson 07 uses, with 95% Wilson intervals. Target: no interval lies
   wholly above 0.08.
3. Power under the real temporal shift: held-out 1974-89 rows against
   2014-18 rows at 100, 200, 500 and 1,000 rows per side, plus PSI on model
   scores next to the value that noise alone gives at that size.

Run with the machine otherwise idle; one BLAS thread (as in the tests).
Full run: about 40 minutes on an idle 2-core machine (two seeds of 100 trials
per grid cell); ``--quick`` (one seed, 20 trials, n = 50 and 200) about 2 minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from modelshare.env import course_environment  # cheap: imports no numpy

for _name, _value in course_environment().items():  # one thread, before numpy is imported
    os.environ.setdefault(_name, _value)

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from modelshare import data, example, shift  # noqa: E402

# ---------------------------------------------------------------------------
# the "Failing Loudly" grid

GRID_SIZES = (20, 50, 100, 200, 500)
# Gaussian noise as in the paper: standard deviation 1, 10 or 100 on a 0-255 scale,
# here a share of each feature's range; values are clipped back into the range.
NOISE = {"noise small": 1 / 255, "noise medium": 10 / 255, "noise large": 100 / 255}
SHIFTS = ("none", *NOISE, "knock-out")
DETECTORS = ("features (Bonferroni)", "features (FDR)", "domain classifier", "BBSD", "MMD")
BASELINES = ("scipy per-feature KS (Bonferroni)", "scipy KS on probabilities")
MATCH = {"features (Bonferroni)": BASELINES[0], "features (FDR)": BASELINES[0],
         "BBSD": BASELINES[1]}


class Problem:
    """One dataset: a model trained on half of it, the other half a pool to draw samples from."""

    def __init__(self, name: str, loader) -> None:
        X, y = loader(return_X_y=True)
        rng = np.random.default_rng(2019)
        order = rng.permutation(len(X))
        train, pool = order[: len(X) // 2], order[len(X) // 2:]
        self.name = name
        self.model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(
            X[train], y[train])
        self.X, self.y = X[pool], y[pool]
        self.low, self.high = X.min(axis=0), X.max(axis=0)
        self.columns = [f"x{j}" for j in range(X.shape[1])]

    def sample(self, n: int, kind: str, rng: np.random.Generator) -> np.ndarray:
        """n rows drawn with replacement from the pool, then shifted as ``kind`` says.

        Drawing with replacement lets n = 500 come from a pool of 284 (breast
        cancer) and makes "none" an exact no-shift: both samples come from
        one distribution.
        """
        if kind == "knock-out":  # half of class 0's rows removed before drawing
            first = np.flatnonzero(self.y == 0)
            gone = rng.choice(first, len(first) // 2, replace=False)
            rows = rng.choice(np.setdiff1d(np.arange(len(self.X)), gone), n)
        else:
            rows = rng.choice(len(self.X), n)
        X = self.X[rows].astype(float)
        if kind in NOISE:
            X = np.clip(X + rng.normal(0, NOISE[kind] * (self.high - self.low), X.shape),
                        self.low, self.high)
        return X


def _proba(model, X) -> np.ndarray:
    p = model.predict_proba(X)
    return p[:, 1] if p.shape[1] == 2 else p


def _scipy_ks_bonferroni(a: np.ndarray, b: np.ndarray) -> bool:
    """The plain baseline: scipy's ks_2samp on every column, Bonferroni-corrected."""
    a, b = (a[:, None], b[:, None]) if a.ndim == 1 else (a, b)
    with warnings.catch_warnings():  # scipy warns when it falls back to the asymptotic p
        warnings.simplefilter("ignore", RuntimeWarning)
        p = [stats.ks_2samp(a[:, j], b[:, j]).pvalue for j in range(a.shape[1])]
    return min(np.nan_to_num(p, nan=1.0)) * len(p) < shift.ALPHA


def grid_trial(problem: Problem, n: int, kind: str, rng: np.random.Generator, seed: int,
               detectors=DETECTORS + BASELINES) -> dict:
    """Whether each detector and baseline fires on one pair of samples."""
    a, b = problem.sample(n, "none", rng), problem.sample(n, kind, rng)
    A, B = pd.DataFrame(a, columns=problem.columns), pd.DataFrame(b, columns=problem.columns)
    pa, pb = _proba(problem.model, a), _proba(problem.model, b)
    table = {}  # the per-feature p-values, computed once for both corrections

    def corrected(correction: str) -> bool:
        if "p" not in table:
            table["p"] = shift.feature_tests(A, B, seed=seed).table["p_value"]
        return bool((shift.adjust_p_values(table["p"], correction) < shift.ALPHA).any())

    jobs = {
        "features (Bonferroni)": lambda: corrected("bonferroni"),
        "features (FDR)": lambda: corrected("fdr"),
        "domain classifier": lambda: shift.domain_classifier(A, B, seed=seed).shifted,
        "BBSD": lambda: shift.bbsd_test(pa, pb, seed=seed).shifted,
        "MMD": lambda: shift.mmd_test(*shift.numeric_view(A, B), seed=seed).shifted,
        BASELINES[0]: lambda: _scipy_ks_bonferroni(a, b),
        BASELINES[1]: lambda: _scipy_ks_bonferroni(pa, pb),
    }
    return {name: jobs[name]() for name in detectors}


def grid(problems, sizes, trials: int, seeds, log=print, save: str | None = None,
         detectors=DETECTORS + BASELINES, shifts=SHIFTS) -> pd.DataFrame:
    """Detection counts for every dataset x shift x n x detector x seed.

    With ``save``, the counts so far are written to that CSV after every cell,
    so a long run that is stopped keeps what it measured.
    """
    rows = []
    for problem in problems:
        for kind in shifts:
            for n in sizes:
                for seed in seeds:
                    rng = np.random.default_rng([seed, n, SHIFTS.index(kind), len(problem.name)])
                    counts = dict.fromkeys(detectors, 0)
                    start = time.perf_counter()
                    for trial in range(trials):
                        for name, hit in grid_trial(problem, n, kind, rng, seed * 10_000 + trial,
                                                    detectors).items():
                            counts[name] += bool(hit)
                    for name, hits in counts.items():
                        rows.append({"data": problem.name, "shift": kind, "n": n, "seed": seed,
                                     "detector": name, "hits": hits, "trials": trials})
                    if save:
                        pd.DataFrame(rows).to_csv(save, index=False)
                    log(f"  {problem.name}, {kind}, n = {n}, seed {seed}: "
                        f"{time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return pd.DataFrame(rows)


def wilson(hits: int, n: int) -> tuple[float, float]:
    ci = stats.binomtest(int(hits), int(n)).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


def grid_tables(results: pd.DataFrame) -> list[str]:
    """One table per dataset and shift: rate [95% interval] per detector and n, per seed."""
    lines = []
    seeds = sorted(results["seed"].unique())
    for (name, kind), part in results.groupby(["data", "shift"], sort=False):
        sizes = sorted(part["n"].unique())
        what = "false-positive rate" if kind == "none" else "power"
        lines += [f"**{name}, {kind}** ({what}; one line per seed, {part['trials'].iloc[0]} trials each)",
                  "", "| detector | seed | " + " | ".join(f"n = {n}" for n in sizes) + " |",
                  "| --- | --- |" + " --- |" * len(sizes)]
        for detector in [d for d in DETECTORS + BASELINES if d in set(part["detector"])]:
            for seed in seeds:
                cells = []
                for n in sizes:
                    row = part[(part["n"] == n) & (part["detector"] == detector)
                               & (part["seed"] == seed)].iloc[0]
                    low, high = wilson(row.hits, row.trials)
                    cells.append(f"{row.hits / row.trials:.2f} [{low:.2f}, {high:.2f}]")
                lines.append(f"| {detector} | {seed} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def grid_summary(results: pd.DataFrame) -> list[str]:
    """One compact table: each rate pooled over the seeds, and how far the seeds differ."""
    sizes = sorted(results["n"].unique())
    seeds = sorted(results["seed"].unique())
    lines = [f"Detection rate pooled over seeds {', '.join(map(str, seeds))} "
             f"({results['trials'].iloc[0] * len(seeds)} trials per cell; shift 'none' is the "
             "false-positive rate), 95% Wilson interval; the last column is the largest "
             "difference between the seeds' rates in the row.", "",
             "| data | shift | detector | " + " | ".join(f"n = {n}" for n in sizes)
             + " | seeds differ by |", "| --- | --- | --- |" + " --- |" * (len(sizes) + 1)]
    pooled = results.groupby(["data", "shift", "detector", "n"], sort=False)[["hits", "trials"]].sum()
    spread = results.assign(rate=results["hits"] / results["trials"]).groupby(
        ["data", "shift", "detector", "n"], sort=False)["rate"].agg(lambda r: r.max() - r.min())
    for (name, kind, detector), _ in results.groupby(["data", "shift", "detector"], sort=False):
        cells = []
        for n in sizes:
            hits, trials = pooled.loc[(name, kind, detector, n)]
            low, high = wilson(hits, trials)
            cells.append(f"{hits / trials:.2f} [{low:.2f}, {high:.2f}]")
        worst = max(spread.loc[(name, kind, detector, n)] for n in sizes)
        lines.append(f"| {name} | {kind} | {detector} | " + " | ".join(cells) + f" | {worst:.2f} |")
    return lines


def grid_verdicts(results: pd.DataFrame) -> list[str]:
    """The two targets, checked on every seed separately."""
    fpr_bad, power_bad = [], []
    for keys, part in results.groupby(["data", "shift", "n", "seed"], sort=False):
        name, kind, n, seed = keys
        rate = part.set_index("detector")
        for detector in [d for d in DETECTORS if d in rate.index]:
            low, high = wilson(rate.loc[detector, "hits"], rate.loc[detector, "trials"])
            if kind == "none" and low > 0.08:
                fpr_bad.append(f"{name} n={n} seed {seed}: {detector} [{low:.2f}, {high:.2f}]")
            if kind != "none" and detector in MATCH and MATCH[detector] in rate.index:
                base_low, base_high = wilson(rate.loc[MATCH[detector], "hits"],
                                             rate.loc[MATCH[detector], "trials"])
                if high < base_low:
                    power_bad.append(f"{name} {kind} n={n} seed {seed}: {detector} "
                                     f"[{low:.2f}, {high:.2f}] below {MATCH[detector]} "
                                     f"[{base_low:.2f}, {base_high:.2f}]")
    return [
        f"False-positive intervals entirely above 0.08: {len(fpr_bad)}"
        + "".join(f"\n- {item}" for item in fpr_bad),
        "Detectors whose power interval lies entirely below their scipy baseline's: "
        f"{len(power_bad)}" + "".join(f"\n- {item}" for item in power_bad),
    ]


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
    rows = ["| test | " + " | ".join(f"FPR at n = {n} [95% CI]" for n in sizes)
            + " | no interval wholly above 0.08 |", "| --- |" + " --- |" * (len(sizes) + 1)]
    for name in TESTS:
        ok = "yes" if all(wilson(alarms[n][name], trials)[0] <= 0.08 for n in sizes) else "NO"
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
    parser.add_argument("--quick", action="store_true",
                        help="one seed, 20 trials, n = 50 and 200 in the grid; fewer GSS trials")
    parser.add_argument("--only", choices=["grid", "gss"], help="run one part only")
    parser.add_argument("--grid-trials", type=int, default=100, help="trials per grid cell and seed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1], help="grid seeds")
    parser.add_argument("--grid-sizes", type=int, nargs="+", default=list(GRID_SIZES))
    parser.add_argument("--save", help="also write the grid's raw counts to this CSV file")
    parser.add_argument("--load", nargs="+", help="print the grid from CSVs written by --save (no run)")
    parser.add_argument("--detectors", nargs="+", choices=DETECTORS + BASELINES,
                        help="grid: run only these detectors (e.g. to re-measure one after a fix)")
    parser.add_argument("--shifts", nargs="+", choices=SHIFTS, default=list(SHIFTS), help="grid shifts")
    parser.add_argument("--data", choices=["digits", "breast-cancer"], nargs="+",
                        default=["digits", "breast-cancer"], help="grid data sets")
    parser.add_argument("--trials", type=int, default=300, help="no-shift trials per sample size")
    parser.add_argument("--fpr-sizes", type=int, nargs="+", default=[100, 1000],
                        help="rows per side in the false-positive run (the lesson's sizes)")
    parser.add_argument("--feature-trials", type=int, default=1000,
                        help="no-shift trials for the (cheap) per-feature tests alone")
    parser.add_argument("--power-trials", type=int, default=50)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 500, 1000])
    args = parser.parse_args(argv)
    if args.quick:
        args.grid_trials, args.seeds, args.grid_sizes = 20, args.seeds[:1], [50, 200]
        args.trials, args.feature_trials, args.power_trials = 40, 100, 10
        args.fpr_sizes, args.sizes = [100], [100, 500]
    started = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if args.only != "gss":
        if args.load:
            results = pd.concat([pd.read_csv(path) for path in args.load], ignore_index=True)
        else:
            loaders = {"digits": load_digits, "breast-cancer": load_breast_cancer}
            problems = [Problem(name.replace("-", " "), loaders[name]) for name in args.data]
            results = grid(problems, args.grid_sizes, args.grid_trials, args.seeds, save=args.save,
                           detectors=tuple(args.detectors or DETECTORS + BASELINES),
                           shifts=tuple(args.shifts))
        if args.save:
            results.to_csv(args.save, index=False)
        print("\n".join(grid_summary(results)), end="\n\n")
        print("\n".join(grid_tables(results)))
        print("\n".join(grid_verdicts(results)), end="\n\n", flush=True)
    if args.only != "grid":
        gss(args)
    print(f"total {time.perf_counter() - started:.0f} s; load average at the end: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def gss(args) -> None:
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
    print("\n".join(power(split.X_test, late, model, args.sizes, args.power_trials)), end="\n\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
