"""Autofill from real artifacts: the course's GSS pipeline, its data, weights, a transformers model."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import skops.io as sio
from huggingface_hub import EvalResult, ModelCard
from sklearn import metrics
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeRegressor

from modelshare import data, pretrained
from modelshare.card import (
    build_card,
    check_card,
    from_dataframe,
    from_environment,
    from_estimator,
    from_evaluation,
    from_transformers,
    from_weights,
)
from modelshare.card.autofill import _balanced_accuracy, _f1, _r2, bootstrap_ci, weights_format

MINILM = pretrained.model_dir()  # wherever the package is installed: any venv, any Python


@pytest.fixture(scope="module")
def gss():
    X, y = data.income_task(data.gss_wages(), years=(1974, 1989))
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    prep = ColumnTransformer([
        ("num", StandardScaler(), data.NUMERIC_FEATURES),
        ("cat", OneHotEncoder(handle_unknown="ignore"), data.CATEGORICAL_FEATURES),
    ])
    model = Pipeline([("prep", prep), ("clf", LogisticRegression(C=0.5, max_iter=1000))])
    return model.fit(Xtr, ytr), Xtr, Xte, ytr, yte


def test_estimator_lists_changed_hyperparameters_first(gss):
    model = gss[0]
    fill = from_estimator(model)
    assert fill.facts["model_type"] == "LogisticRegression"
    assert fill.facts["non_default"] == ["C", "max_iter"]
    table = fill.sections["training_procedure"]
    assert table.index("**C**") < table.index("solver")
    assert "`num` on age, childs, prestg10: StandardScaler()" in fill.sections["preprocessing"]
    assert "OneHotEncoder(handle_unknown='ignore')" in fill.sections["preprocessing"]
    assert fill.metadata == {"library_name": "sklearn", "tags": ["sklearn", "tabular"],
                             "pipeline_tag": "tabular-classification"}
    assert "LogisticRegression" in fill.details["model_type"]


def test_estimator_regressor_without_pipeline():
    X = np.arange(40.0).reshape(20, 2)
    fill = from_estimator(DecisionTreeRegressor(max_depth=3).fit(X, X[:, 0]))
    assert fill.metadata["pipeline_tag"] == "tabular-regression"
    assert "preprocessing" not in fill.sections
    assert fill.facts["non_default"] == ["max_depth"]


def test_dataframe_summary_and_imbalance_warning(gss):
    _, Xtr, _, ytr, _ = gss
    fill = from_dataframe(Xtr, ytr, datasheet=data.GSS_WAGES)
    text = fill.sections["training_data"]
    assert f"- **Rows:** {len(Xtr):,}" in text
    assert "NORC" in text and "Terms of use" in text
    assert fill.facts["class_balance"] == {"0": int((ytr == 0).sum()), "1": int((ytr == 1).sum())}
    assert fill.warnings == []  # 28% positive: below no 20% threshold
    strict = from_dataframe(Xtr, ytr, imbalance_threshold=0.3)
    assert strict.warnings and "class imbalance" in strict.warnings[0]
    assert "[More Information Needed]" in strict.sections["training_data"]  # provenance unknown


def test_dataframe_missing_values_and_bad_input():
    frame = data.gss_wages(complete=False)
    fill = from_dataframe(frame)
    assert fill.facts["missing"] == int(frame.isna().sum().sum()) > 0
    with pytest.raises(ValueError, match="DataFrame"):
        from_dataframe([[1, 2]])


def test_environment_uses_env_capture():
    fill = from_environment(("numpy", "scikit-learn"))
    assert set(fill.facts["packages"]) == {"numpy", "scikit-learn"}
    assert f"numpy=={np.__version__}" in fill.sections["environment"]


def test_weights_skops_safetensors_and_pickle(gss, tmp_path):
    model = gss[0]
    sio.dump(model, tmp_path / "model.skops")
    fill = from_weights(tmp_path / "model.skops")
    assert fill.facts["format"] == "skops" and fill.warnings == []
    assert len(fill.facts["sha256"]) == 64
    with open(tmp_path / "model.pkl", "wb") as handle:
        pickle.dump(model, handle)
    risky = from_weights(tmp_path / "model.pkl")
    assert risky.facts["format"] == "pickle" and "pickle" in risky.warnings[0]
    assert weights_format(MINILM / "model.safetensors") == "safetensors"
    with pytest.raises(FileNotFoundError, match="weights"):
        from_weights(tmp_path / "missing.skops")


def test_vectorised_metrics_match_sklearn():
    rng = np.random.default_rng(1)
    t, p = rng.integers(0, 3, 500), rng.integers(0, 3, 500)
    assert _balanced_accuracy(t, p) == pytest.approx(metrics.balanced_accuracy_score(t, p))
    t2, p2 = t % 2, p % 2
    assert _f1(t2, p2) == pytest.approx(metrics.f1_score(t2, p2))
    yt, yp = rng.normal(size=200), rng.normal(size=200)
    assert _r2(yt, yp) == pytest.approx(metrics.r2_score(yt, yp))


def test_bootstrap_interval_is_reproducible_and_sensible():
    rng = np.random.default_rng(0)
    t = rng.integers(0, 2, 400)
    p = np.where(rng.random(400) < 0.8, t, 1 - t)
    low, high = bootstrap_ci(_f1, t, p, n_resamples=300, seed=3)
    assert low < metrics.f1_score(t, p) < high and high - low < 0.2
    assert bootstrap_ci(_f1, t, p, n_resamples=300, seed=3) == (low, high)


def test_evaluation_ci_groups_and_eval_results(gss):
    model, _, Xte, _, yte = gss
    fill = from_evaluation(model, Xte, yte, groups="gender", n_resamples=200, min_group_size=1600)
    overall = fill.facts["overall"]["accuracy"]
    assert overall["value"] == pytest.approx(metrics.accuracy_score(yte, model.predict(Xte)))
    assert overall["ci"][0] < overall["value"] < overall["ci"][1]
    women = Xte["gender"] == "Female"
    assert fill.facts["groups"]["Female"]["n"] == int(women.sum())
    assert fill.facts["groups"]["Female"]["f1"] == pytest.approx(
        metrics.f1_score(yte[women], model.predict(Xte[women])))
    assert "too few rows" in fill.sections["evaluation"] and fill.warnings  # 1,531 < 1,600
    assert all(isinstance(r, EvalResult) for r in fill.eval_results)
    assert [r.metric_type for r in fill.eval_results] == ["accuracy", "balanced_accuracy", "f1"]


def test_full_gss_card_builds_loads_in_huggingface_hub_and_scores(gss, tmp_path):
    model, Xtr, Xte, ytr, yte = gss
    sio.dump(model, tmp_path / "model.skops")
    fills = [from_estimator(model), from_dataframe(Xtr, ytr, datasheet=data.GSS_WAGES),
             from_environment(), from_weights(tmp_path / "model.skops"),
             from_evaluation(model, Xte, yte, groups="gender", n_resamples=100)]
    doc = build_card("gss-income", metadata={"license": "mit", "language": "en"}, fills=fills)
    card = ModelCard(doc.text)  # huggingface_hub parses our model-index back into EvalResults
    assert card.data.model_name == "gss-income"
    assert {r.metric_type for r in card.data.eval_results} == {"accuracy", "balanced_accuracy", "f1"}
    result = check_card(doc.text)
    assert result.breakdown["metadata"] == 10  # METADATA_POINTS: all of them
    filled = {s.id for s in result.sections if s.points == s.weight}
    assert {"training_data", "training_procedure", "weights", "evaluation", "environment"} <= filled
    # what only a person can write is left for the learner, and the checker says so
    empty = {f.section for f in result.findings if f.id == "section-empty"}
    assert {"uses", "limitations", "ethics", "shift"} <= empty
    before = result.score
    doc.set("limitations", "Balanced accuracy for women is 0.54 against 0.71 for men: the model "
            "rarely predicts a high income for a woman, mirroring the pay gap of 1974-1989.")
    assert check_card(doc.text).score > before


def test_evaluation_of_a_regressor(gss):
    _, Xtr, Xte, _, _ = gss
    model = DecisionTreeRegressor(max_depth=4, random_state=0).fit(Xtr[["age", "prestg10"]],
                                                                    Xtr["childs"])
    fill = from_evaluation(model, Xte[["age", "prestg10"]], Xte["childs"], n_resamples=100)
    assert list(fill.facts["overall"]) == ["mae", "rmse", "r2"]
    assert fill.facts["overall"]["r2"]["value"] == pytest.approx(
        metrics.r2_score(Xte["childs"], model.predict(Xte[["age", "prestg10"]])))
    assert fill.eval_results[0].task_type == "tabular-regression"


@pytest.mark.slow
def test_transformers_model_summary():
    from transformers import AutoModel

    model = AutoModel.from_pretrained(MINILM)
    fill = from_transformers(model)
    assert fill.facts["parameters"] == sum(p.numel() for p in model.parameters())
    assert fill.facts["config"]["hidden_size"] == 384
    assert fill.facts["architecture"] == "BertModel"
    assert fill.metadata["library_name"] == "transformers"
