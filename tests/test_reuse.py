"""modelshare.reuse: the reuse-versus-scratch measurements of lesson 01."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from modelshare import reuse


def test_doctests():
    assert doctest.testmod(reuse, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_balanced_sample_is_half_and_half_and_repeatable():
    frame = pd.DataFrame({"review": [str(i) for i in range(40)], "label": [0] * 30 + [1] * 10})
    sample = reuse.balanced_sample(frame, 16, seed=3)
    assert sample["label"].value_counts().to_dict() == {0: 8, 1: 8}
    assert sample.equals(reuse.balanced_sample(frame, 16, seed=3))


def test_balanced_sample_says_when_a_label_is_too_rare():
    frame = pd.DataFrame({"review": list("abcde"), "label": [0, 0, 0, 0, 1]})
    with pytest.raises(ValueError, match="smallest label has 1"):
        reuse.balanced_sample(frame, 4)


def test_paired_comparison_counts_agreement_and_tests_the_disagreements():
    y = np.array([1] * 50 + [0] * 50)
    a = y.copy()
    b = y.copy()
    b[:20] = 1 - b[:20]  # b wrong on 20 items a gets right
    result = reuse.paired_comparison(y, a, b, names=("a", "b"))
    assert (result.both, result.a_only, result.b_only, result.neither) == (80, 20, 0, 0)
    assert result.p_value < 1e-5  # 20 of 20 disagreements one way: a real difference
    tie = reuse.paired_comparison(y, b, b)
    assert tie.a_only == tie.b_only == 0 and tie.p_value == 1.0


def test_paired_comparison_p_value_is_mcnemars_exact_test():
    from scipy.stats import binomtest

    y = np.zeros(60, dtype=int)
    a = np.zeros(60, dtype=int)
    b = np.zeros(60, dtype=int)
    a[:17] = 1  # a wrong on 17 items b gets right
    b[20:45] = 1  # b wrong on 25 items a gets right
    result = reuse.paired_comparison(y, a, b)
    assert (result.a_only, result.b_only) == (25, 17)
    assert result.p_value == pytest.approx(binomtest(25, 42).pvalue)


def test_paired_comparison_refuses_unequal_lengths():
    with pytest.raises(ValueError, match="every test item"):
        reuse.paired_comparison([1, 0], [1], [0, 0])


def test_learning_curve_averages_draws_and_charges_reuse_for_encoding():
    rng = np.random.default_rng(0)
    y_train = np.array([0, 1] * 20)
    y_test = np.array([0, 1] * 10)
    texts_train = ["good tasty" if label else "bad awful" for label in y_train]
    texts_test = ["good" if label else "bad" for label in y_test]
    vectors_train = rng.normal(size=(40, 4)) + y_train[:, None]
    vectors_test = rng.normal(size=(20, 4)) + y_test[:, None]
    train = pd.DataFrame({"review": texts_train, "label": y_train})
    test = pd.DataFrame({"review": texts_test, "label": y_test})
    curve = reuse.learning_curve(vectors_train, train, vectors_test, test, sizes=(4, 8), draws=3,
                                 encode_seconds=1.0)
    assert len(curve.runs) == 2 * 2 * 3
    assert list(curve.accuracy.columns) == [reuse.REUSE, reuse.SCRATCH]
    assert list(curve.accuracy.index) == [4, 8]
    assert (curve.accuracy[reuse.SCRATCH] == 1.0).all()  # the words give the label away
    assert (curve.milliseconds[reuse.REUSE] >= [4000, 8000]).all()  # 1 s per encoded text


def test_learning_curve_plot_tells_the_lines_apart_without_colour():
    import matplotlib

    matplotlib.use("Agg")
    rng = np.random.default_rng(1)
    y = np.array([0, 1] * 10)
    frame = pd.DataFrame({"review": ["tea cake"] * 20, "label": y})
    curve = reuse.learning_curve(rng.normal(size=(20, 3)), frame, rng.normal(size=(20, 3)), frame,
                                 sizes=(4,), draws=1)
    fig = curve.plot()
    lines = [line for line in fig.axes[0].lines if line.get_label() in (reuse.REUSE, reuse.SCRATCH)]
    assert len({line.get_marker() for line in lines}) == 2
    assert len({line.get_linestyle() for line in lines}) == 2


def test_learning_curve_refuses_vectors_that_do_not_match_the_rows():
    frame = pd.DataFrame({"review": ["a", "b"], "label": [0, 1]})
    with pytest.raises(ValueError, match="one vector per row"):
        reuse.learning_curve(np.zeros((3, 2)), frame, np.zeros((2, 2)), frame)
