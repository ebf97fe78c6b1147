"""Fill card sections from the real artifacts: the model, its data, the environment.

Each function looks at one artifact and returns a :class:`Fill`: markdown for
one or more card sections, metadata for the YAML block, ``EvalResult``
entries for the model-index, and warnings worth reading. Pass fills to
:func:`modelshare.card.build_card`. Autofill writes down facts; the
judgement (why this model, for whom, what could go wrong) stays with you,
and any fact it cannot know is left as a placeholder for you to fill.

Example (the course's running example):
    >>> from modelshare import data                                   # doctest: +SKIP
    >>> X, y = data.income_task(data.gss_wages(), years=(1974, 1989))  # doctest: +SKIP
    >>> fill = from_dataframe(X, y, datasheet=data.GSS_WAGES)          # doctest: +SKIP
    >>> print(fill.sections["training_data"])                         # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelshare.rules.weights import weights_format

PLACEHOLDER = "[More Information Needed]"


@dataclass
class Fill:
    """What one autofill function found: card sections, metadata, eval results, warnings."""

    sections: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    eval_results: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)  # Model Details list items

    def _repr_markdown_(self) -> str:
        parts = [f"**{sid}**\n\n{text}" for sid, text in self.sections.items()]
        parts += [f"> warning: {w}" for w in self.warnings]
        return "\n\n".join(parts)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- scikit-learn ----------------------------------------------------------------
def _params(estimator) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """(non-default, default) parameters of one estimator, without nested estimators."""
    signature = inspect.signature(type(estimator).__init__)
    changed, default = [], []
    for name, value in estimator.get_params(deep=False).items():
        if hasattr(value, "get_params"):
            continue
        param = signature.parameters.get(name)
        base = param.default if param is not None else inspect.Parameter.empty
        same = base is not inspect.Parameter.empty and repr(base) == repr(value)
        (default if same else changed).append((name, value))
    return changed, default


def _steps(estimator, prefix: str = "") -> list[str]:
    """Readable preprocessing steps of a Pipeline / ColumnTransformer."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    lines: list[str] = []
    if isinstance(estimator, Pipeline):
        for name, step in estimator.steps[:-1] if not prefix else estimator.steps:
            lines += _steps(step, prefix) if isinstance(step, Pipeline | ColumnTransformer) else [
                f"{prefix}- `{name}`: {_describe(step)}"
            ]
    elif isinstance(estimator, ColumnTransformer):
        transformers = getattr(estimator, "transformers_", estimator.transformers)
        for name, trans, cols in transformers:
            if isinstance(trans, str) and trans == "drop":
                lines.append(f"{prefix}- `{name}`: columns {_cols(cols)} dropped")
                continue
            if isinstance(trans, str):
                lines.append(f"{prefix}- `{name}`: columns {_cols(cols)} passed through unchanged")
                continue
            what = (" -> ".join(_describe(s) for _, s in trans.steps)
                    if hasattr(trans, "steps") else _describe(trans))
            lines.append(f"{prefix}- `{name}` on {_cols(cols)}: {what}")
    return lines


def _cols(cols) -> str:
    if isinstance(cols, list | tuple) or hasattr(cols, "tolist"):
        cols = list(cols)
        shown = ", ".join(str(c) for c in cols[:12])
        return shown + (f" and {len(cols) - 12} more" if len(cols) > 12 else "")
    return str(cols)


def _describe(step) -> str:
    changed, _ = _params(step)
    args = ", ".join(f"{k}={_fmt(v)}" for k, v in changed)
    return f"{type(step).__name__}({args})"


def from_estimator(model) -> Fill:
    """Model type, hyperparameters (non-default first) and preprocessing of a fitted sklearn model.

    >>> from sklearn.linear_model import LogisticRegression
    >>> fill = from_estimator(LogisticRegression(C=0.5))
    >>> fill.facts["model_type"], fill.facts["hyperparameters"]["C"]
    ('LogisticRegression', 0.5)
    """
    from sklearn.base import is_classifier, is_regressor
    from sklearn.pipeline import Pipeline

    final = model.steps[-1][1] if isinstance(model, Pipeline) else model
    changed, default = _params(final)
    kind = type(final).__name__
    module = type(final).__module__.split(".")
    family = module[1] if len(module) > 1 and module[0] == "sklearn" else module[0]
    import sklearn

    rows = [[f"**{k}**", _fmt(v), "set by us"] for k, v in changed]
    rows += [[k, _fmt(v), "library default"] for k, v in default]
    procedure = (
        f"- **Model type:** `{kind}` from scikit-learn {sklearn.__version__} (`sklearn.{family}`)\n"
        + (f"- **Pipeline:** {' -> '.join(type(s).__name__ for _, s in model.steps)}\n"
           if isinstance(model, Pipeline) else "")
        + "- **How the settings were chosen:** " + PLACEHOLDER + "\n\n"
        + "Hyperparameters (the ones we changed first):\n\n"
        + _table(["parameter", "value", "origin"], rows)
    )
    fill = Fill(facts={
        "model_type": kind,
        "hyperparameters": dict(changed + default),
        "non_default": [k for k, _ in changed],
    })
    fill.sections["training_procedure"] = procedure
    fill.details["model_type"] = (
        f"{kind} (scikit-learn{' pipeline' if isinstance(model, Pipeline) else ''})"
    )
    steps = _steps(model) if isinstance(model, Pipeline) else []
    fill.facts["preprocessing"] = steps
    if steps:
        fill.sections["preprocessing"] = (
            "Steps inside the released pipeline, in order (they run again on every prediction):\n\n"
            + "\n".join(steps)
            + f"\n\n- **Train/test split:** {PLACEHOLDER}\n- **Rows removed (outliers, missing "
            f"values):** {PLACEHOLDER}"
        )
    fill.metadata["library_name"] = "sklearn"
    fill.metadata["tags"] = ["sklearn", "tabular"]
    if is_classifier(model):
        fill.metadata["pipeline_tag"] = "tabular-classification"
    elif is_regressor(model):
        fill.metadata["pipeline_tag"] = "tabular-regression"
    return fill


# -- data ------------------------------------------------------------------------
def from_dataframe(X, y=None, *, datasheet=None, imbalance_threshold: float = 0.2,
                   max_features: int = 30, provenance: bool = True) -> Fill:
    """Rows, features and types, class balance, missing values and a per-feature summary.

    ``datasheet`` (a :class:`modelshare.data.Datasheet`) adds who collected the
    data, how, and on what licence. A class rarer than ``imbalance_threshold``
    (share of rows) gives a warning.
    """
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        raise ValueError(f"from_dataframe wants a pandas DataFrame, got {type(X).__name__}; pass "
                         "the training features as a DataFrame, e.g. from_dataframe(split.X_train, "
                         "split.y_train).")
    fill = Fill()
    n_rows, n_cols = X.shape
    missing = X.isna().sum()
    rows = []
    for col in list(X.columns)[:max_features]:
        series = X[col]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            summary = (f"mean {series.mean():.3g}, sd {series.std():.3g}, min {series.min():.3g}, "
                       f"median {series.median():.3g}, max {series.max():.3g}")
        else:
            counts = series.astype("string").value_counts(dropna=True)
            top = (f"most common {counts.index[0]!s} ({counts.iloc[0] / max(len(series), 1):.0%})"
                   if len(counts) else "all missing")
            summary = f"{len(counts)} values; {top}"
        rows.append([f"`{col}`", str(series.dtype), int(missing[col]), summary])
    lines = [
        f"- **Rows:** {n_rows:,}",
        f"- **Features:** {n_cols} ({', '.join(f'`{c}`' for c in list(X.columns)[:max_features])}"
        + (" ..." if n_cols > max_features else "") + ")",
        f"- **Missing values:** {int(missing.sum()):,} cells"
        + (f" in {int((missing > 0).sum())} columns" if missing.sum() else ""),
    ]
    fill.facts.update(rows=n_rows, features=list(X.columns), missing=int(missing.sum()))
    if y is not None:
        y = pd.Series(y)
        name = y.name or "target"
        if y.nunique() <= 20:
            counts = y.value_counts().sort_index()
            shares = counts / counts.sum()
            fill.facts["class_balance"] = {str(k): int(v) for k, v in counts.items()}
            lines.append(f"- **Target:** `{name}`, {len(counts)} classes")
            balance = _table([f"`{name}`", "rows", "share"],
                             [[k, f"{v:,}", f"{shares[k]:.1%}"] for k, v in counts.items()])
            rare = shares[shares < imbalance_threshold]
            if len(rare):
                msg = (f"class imbalance: {', '.join(f'{k} is {s:.1%}' for k, s in rare.items())} "
                       f"of the rows (below {imbalance_threshold:.0%}); accuracy alone will hide "
                       "errors on the rare class, so report per-class or balanced metrics.")
                fill.warnings.append(msg)
                balance += f"\n\n> **Class imbalance:** {msg}"
        else:
            lines.append(f"- **Target:** `{name}`, numeric: mean {y.mean():.3g}, sd {y.std():.3g}")
            balance = ""
    else:
        balance = ""
    if datasheet is not None:
        source = [
            f"- **Dataset:** {datasheet.name}: {datasheet.description}",
            f"- **Collected by:** {datasheet.collected_by}",
            f"- **How:** {datasheet.collection}",
            f"- **Licence:** {datasheet.licence}",
            f"- **Terms of use:** {datasheet.terms}",
            f"- **Personal data:** {datasheet.personal_data}",
        ] + [f"- **Known issue:** {issue}" for issue in datasheet.known_issues]
    elif provenance:
        source = [f"- **Collected by, how and when:** {PLACEHOLDER}",
                  f"- **Owner, licence and terms of use:** {PLACEHOLDER}"]
    else:
        source = []
    text = "\n".join(source + lines)
    if balance:
        text += "\n\nClass balance:\n\n" + balance
    text += "\n\nPer-feature summary:\n\n" + _table(["feature", "type", "missing", "summary"], rows)
    fill.sections["training_data"] = text
    return fill


# -- environment -----------------------------------------------------------------
def from_environment(packages: tuple[str, ...] | None = None) -> Fill:
    """Python, platform and package versions, from :func:`modelshare.env.capture`."""
    from modelshare import env

    info = env.capture(packages)
    rows = [[name, version] for name, version in sorted(info["packages"].items())]
    text = (
        f"- **Python:** {info['python']}\n- **Platform:** {info['platform']} ({info['machine']})\n\n"
        + _table(["package", "version"], rows)
        + "\n\nTo rebuild it: `pip install "
        + " ".join(f"{n}=={v}" for n, v in sorted(info["packages"].items())) + "`"
    )
    return Fill(sections={"environment": text}, facts=info)


# -- weights ---------------------------------------------------------------------
PICKLE_WARNING = (
    "{name} is a pickle: loading it runs whatever code it contains. Publish the model as "
    "skops (scikit-learn) or safetensors (tensors) instead, or at least give its sha256."
)


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def from_weights(path: str | Path) -> Fill:
    """File name, format, size and sha256 of a weights file; warns for pickles."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No weights file at {path}; give the path of the saved model.")
    fmt = weights_format(path)
    size = path.stat().st_size
    digest = sha256(path)
    fill = Fill(facts={"file": path.name, "format": fmt, "bytes": size, "sha256": digest})
    text = (f"- **File:** `{path.name}`\n- **Format:** {fmt}\n- **Size:** {size:,} bytes\n"
            f"- **sha256:** `{digest}`")
    if "pickle" in fmt:
        warning = PICKLE_WARNING.format(name=path.name)
        fill.warnings.append(warning)
        text += f"\n\n> **Warning:** {warning}"
    elif fmt == "skops":
        text += ("\n\nLoad it with `skops.io.load(path, trusted=[...])` after checking "
                 "`skops.io.get_untrusted_types(file=path)`.")
    fill.sections["weights"] = text
    return fill


# -- evaluation ------------------------------------------------------------------
# Metric formulas written with numpy so that scipy's bootstrap can score all
# resamples at once (``axis=-1``); tests check them against sklearn.metrics.
def _accuracy(t, p, axis=-1):
    return (t == p).mean(axis=axis)


def _balanced_accuracy(t, p, axis=-1):
    import numpy as np

    recalls = []
    for c in np.unique(t):
        actual = (t == c).sum(axis=axis)
        hit = ((t == c) & (p == c)).sum(axis=axis)
        recalls.append(np.where(actual > 0, hit / np.maximum(actual, 1), np.nan))
    return np.nanmean(np.stack(recalls), axis=0)


def _f1(t, p, axis=-1, positive=1):
    import numpy as np

    tp = ((t == positive) & (p == positive)).sum(axis=axis)
    wrong = (t != p).sum(axis=axis)
    return np.where(2 * tp + wrong > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0)


def _mae(t, p, axis=-1):
    import numpy as np

    return np.abs(t - p).mean(axis=axis)


def _rmse(t, p, axis=-1):
    import numpy as np

    return np.sqrt(((t - p) ** 2).mean(axis=axis))


def _r2(t, p, axis=-1):
    import numpy as np

    residual = ((t - p) ** 2).sum(axis=axis)
    total = ((t - t.mean(axis=axis, keepdims=True)) ** 2).sum(axis=axis)
    return 1 - residual / np.where(total == 0, np.nan, total)


def _metric_functions(classifier: bool, labels) -> dict:
    """Metrics for a classifier (f1 of the larger label when binary, as sklearn) or regressor."""
    from functools import partial

    if classifier:
        out = {"accuracy": _accuracy, "balanced_accuracy": _balanced_accuracy}
        if len(labels) == 2:
            out["f1"] = partial(_f1, positive=labels[-1])
        return out
    return {"mae": _mae, "rmse": _rmse, "r2": _r2}


def bootstrap_ci(metric, y_true, y_pred, *, n_resamples: int = 1000, confidence: float = 0.95,
                 seed: int = 0) -> tuple[float, float]:
    """A percentile bootstrap interval for ``metric(y_true, y_pred, axis=-1)``.

    The resampling is scipy.stats.bootstrap's (paired: a resample keeps each
    row's truth and prediction together).
    """
    import numpy as np
    from scipy import stats

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    result = stats.bootstrap(
        (y_true, y_pred), metric, paired=True, vectorized=True, n_resamples=n_resamples,
        confidence_level=confidence, method="percentile", rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def from_evaluation(model, X, y, *, groups=None, dataset_name: str = "held-out test split",
                    dataset_type: str = "custom", task_type: str | None = None,
                    n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0,
                    min_group_size: int = 30) -> Fill:
    """Metrics with bootstrap confidence intervals, a per-group table and EvalResult entries.

    ``groups`` is a column name of ``X`` or a Series aligned with it (e.g. gender);
    groups with fewer than ``min_group_size`` rows are flagged as too small to trust.
    """
    import numpy as np
    import pandas as pd
    from huggingface_hub import EvalResult
    from sklearn.base import is_classifier

    classifier = is_classifier(model)
    y = np.asarray(y)
    pred = np.asarray(model.predict(X))
    funcs = _metric_functions(classifier, np.unique(y) if classifier else [])
    task_type = task_type or ("tabular-classification" if classifier else "tabular-regression")
    fill = Fill()
    rows, results = [], {}
    for name, func in funcs.items():
        value = float(func(y, pred))
        low, high = bootstrap_ci(func, y, pred, n_resamples=n_resamples, confidence=confidence,
                                 seed=seed)
        results[name] = {"value": value, "ci": (low, high)}
        rows.append([name, f"{value:.3f}", f"{low:.3f} - {high:.3f}"])
        fill.eval_results.append(EvalResult(
            task_type=task_type, dataset_type=dataset_type, dataset_name=dataset_name,
            dataset_split="test", metric_type=name, metric_value=round(value, 4),
            metric_name=f"{name} (test, {confidence:.0%} CI {low:.3f}-{high:.3f})",
        ))
    fill.facts["overall"] = results
    fill.metadata["metrics"] = list(funcs)
    text = (f"- **Test data:** {dataset_name}, {len(y):,} rows not used for training\n"
            f"- **Metrics:** {', '.join(funcs)}; intervals are {confidence:.0%} percentile "
            f"bootstrap intervals over {n_resamples} resamples of the test rows\n\n"
            + _table(["metric", "value", f"{confidence:.0%} interval"], rows))
    if groups is not None:
        g = X[groups] if isinstance(groups, str) else pd.Series(groups)
        label = groups if isinstance(groups, str) else (g.name or "group")
        g = np.asarray(g.astype("string").fillna("(missing)"))
        group_rows, small = [], []
        per_group = {}
        for value in sorted(set(g)):
            mask = g == value
            n = int(mask.sum())
            scores = {name: float(func(y[mask], pred[mask])) for name, func in funcs.items()}
            per_group[value] = {"n": n, **scores}
            flag = " (too few rows to trust)" if n < min_group_size else ""
            if flag:
                small.append(value)
            group_rows.append([f"{value}{flag}", f"{n:,}"] + [f"{s:.3f}" for s in scores.values()])
        fill.facts["groups"] = per_group
        text += (f"\n\nResults by `{label}`:\n\n"
                 + _table([str(label), "rows", *funcs], group_rows))
        if small:
            msg = (f"groups {', '.join(map(str, small))} have fewer than {min_group_size} test "
                   "rows; their scores are too noisy to compare.")
            fill.warnings.append(msg)
            text += f"\n\n> **Small groups:** {msg}"
    fill.sections["evaluation"] = text
    return fill


# -- transformers ----------------------------------------------------------------
def from_transformers(model) -> Fill:
    """Architecture, parameter count and a config summary of a loaded transformers model."""
    config = model.config
    n_params = sum(p.numel() for p in model.parameters())
    keys = ["model_type", "hidden_size", "num_hidden_layers", "num_attention_heads",
            "intermediate_size", "vocab_size", "max_position_embeddings", "hidden_act", "dtype"]
    rows = [[k, getattr(config, k)] for k in keys if getattr(config, k, None) is not None]
    architecture = (getattr(config, "architectures", None) or [type(model).__name__])[0]
    text = (f"- **Architecture:** `{architecture}` (`{type(model).__name__}` as loaded)\n"
            f"- **Parameters:** {n_params:,}\n\nConfiguration:\n\n"
            + _table(["setting", "value"], rows))
    return Fill(
        sections={"training_procedure": text},
        metadata={"library_name": "transformers"},
        details={"model_type": f"{architecture} ({n_params / 1e6:.1f}M parameters, transformers)"},
        facts={"architecture": architecture, "parameters": n_params, "config": dict(rows)},
    )
