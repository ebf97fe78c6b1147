"""Membership inference, per-group reports, pickle scanning and environment diffs."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.tree import DecisionTreeClassifier

from modelshare import risks


def noisy_data(n: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    y = (X[:, 0] + rng.normal(scale=1.5, size=n) > 0).astype(int)
    return X, y


def test_an_overfit_tree_leaks_membership_and_a_constant_model_does_not():
    X_in, y_in = noisy_data(300, 0)
    X_out, y_out = noisy_data(300, 1)
    tree = DecisionTreeClassifier(random_state=0).fit(X_in, y_in)
    leaky = risks.membership_inference(tree, X_in, y_in, X_out, y_out)
    assert leaky.members_flagged == 1.0
    assert leaky.advantage > 0.2
    assert leaky.accuracy == pytest.approx(0.5 + leaky.advantage / 2)
    constant = DummyClassifier(strategy="prior").fit(X_in, y_in)
    safe = risks.membership_inference(constant, X_in, y_in, X_out, y_out, threshold=0.5)
    assert abs(safe.advantage) < 0.1
    assert "advantage over guessing" in str(leaky)


def test_membership_inference_refuses_bad_input():
    X, y = noisy_data(20, 0)
    tree = DecisionTreeClassifier().fit(X, y)
    with pytest.raises(ValueError, match="threshold"):
        risks.membership_inference(tree, X, y, X, y, threshold=0)
    with pytest.raises(ValueError, match="at least one"):
        risks.membership_inference(tree, X[:0], y[:0], X, y)
    with pytest.raises(ValueError, match="not one the model knows"):
        risks.true_label_confidence(tree, X[:1], [7])


def test_group_report_per_group():
    report = risks.group_report([1, 1, 0, 1, 0, 0], [1, 0, 0, 0, 0, 1], ["a", "a", "a", "b", "b", "b"])
    assert report.loc["a", "people"] == 3
    assert report.loc["a", "true positive rate"] == 0.5
    assert report.loc["b", "true positive rate"] == 0.0
    assert report.loc["b", "predicted positive rate"] == pytest.approx(1 / 3)
    assert report.loc["a", "accuracy"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="no rows"):
        risks.group_report([], [], [])


class Marker:
    """A harmless payload: loading it writes a file into a folder we choose."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (self.path, "written while loading"))


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_pickle_imports_finds_the_payload_without_running_it(tmp_path, protocol):
    marker = tmp_path / "marker.txt"
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"weights": [1, 2], "x": Marker(marker)}, protocol=protocol))
    found = risks.pickle_imports(path)
    # protocol 4+ names the method; older ones fetch it with getattr from pathlib.Path
    assert "pathlib.Path.write_text" in found or "pathlib.Path" in found
    assert not marker.exists()  # scanning did not run it
    pickle.loads(path.read_bytes())
    assert marker.read_text() == "written while loading"  # loading did


def test_pickle_imports_of_plain_data_is_empty(tmp_path):
    path = tmp_path / "plain.pkl"
    path.write_bytes(pickle.dumps({"a": [1.0, 2.0], "b": "text"}))
    assert risks.pickle_imports(path) == []


def test_environment_diff():
    mine = {"python": "3.11.7", "packages": {"numpy": "2.4.6", "torch": "2.13.0"}}
    theirs = {"python": "3.10.2", "packages": {"numpy": "2.4.6", "pandas": "2.2.0"}}
    assert risks.environment_diff(mine, theirs) == [
        "python: 3.11.7 here, 3.10.2 there",
        "pandas: missing here, 2.2.0 there",
        "torch: 2.13.0 here, missing there",
    ]
    assert risks.environment_diff(mine, mine) == []


def test_pickle_imports_follows_memoised_names_in_a_real_model(tmp_path):
    from sklearn.preprocessing import StandardScaler

    path = tmp_path / "scaler.pkl"
    path.write_bytes(pickle.dumps([StandardScaler().fit(np.eye(3)), np.float64(2.0)], protocol=5))
    found = risks.pickle_imports(path)
    assert "sklearn.preprocessing._data.StandardScaler" in found
    assert "numpy.dtype" in found and "numpy._core.multiarray.scalar" in found
    assert all(name.startswith(("numpy", "sklearn", "builtins")) for name in found), found


def test_pickled_as_if_from_another_version_warns_on_load():
    import pickle
    import warnings

    from sklearn.linear_model import LogisticRegression

    from modelshare.risks import pickled_as_if_from

    fitted = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pickle.loads(pickled_as_if_from(fitted, "1.0.2"))
    assert any("1.0.2" in str(w.message) for w in caught)
    with pytest.raises(ValueError, match="does not record"):
        pickled_as_if_from({"not": "sklearn"}, "1.0.2")


def test_plots_tell_groups_apart_without_colour():
    import matplotlib

    matplotlib.use("Agg")
    from sklearn.tree import DecisionTreeClassifier

    X = np.arange(20).reshape(-1, 1)
    y = np.array([0, 1] * 10)
    tree = DecisionTreeClassifier(random_state=0).fit(X[:10], y[:10])
    fig = risks.plot_confidence({"tree": tree}, (X[:10], y[:10]), (X[10:], y[10:]))
    patches = fig.axes[0].patches
    assert {patch.get_hatch() for patch in patches} >= {None, "//"}  # members filled, outsiders hatched
    report = risks.group_report([1, 0, 1, 0], [1, 0, 0, 0], ["a", "a", "b", "b"])
    fig = risks.plot_group_rates(report)
    markers = [line.get_marker() for line in fig.axes[0].lines if line.get_label() in ("a", "b")]
    assert len(set(markers)) == 2
