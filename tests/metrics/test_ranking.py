"""ROC and precision-recall curves and their areas against scikit-learn, ties in the scores included."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn_differential import check_against_sklearn, on

from minml import backend
from minml.metrics import (
    UndefinedMetricWarning,
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from minml.testing import to_host

sk = pytest.importorskip("sklearn.metrics", reason="scikit-learn not installed")


@st.composite
def scored(draw, min_samples=1):
    """Binary y_true (sometimes a single class), scores with many ties (a few distinct values), maybe weights."""
    n = draw(st.integers(min_samples, 14))
    y_true = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 1)))
    levels = draw(st.sampled_from([2, 4, 1000]))  # 2 or 4 distinct scores: ties everywhere
    y_score = draw(hnp.arrays(np.int64, n, elements=st.integers(0, levels))) / levels
    weights = draw(st.none() | hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, 1.0, 3.0])))
    return y_true, y_score, weights


@given(scored(), st.booleans())
def test_roc_curve_matches_sklearn(device, data, drop_intermediate):
    y_true, y_score, w = data
    check_against_sklearn(
        roc_curve, sk.roc_curve, device, y_true, y_score, sample_weight=w, drop_intermediate=drop_intermediate
    )


@given(scored(), st.booleans())
def test_precision_recall_curve_matches_sklearn(device, data, drop_intermediate):
    y_true, y_score, w = data
    check_against_sklearn(
        precision_recall_curve,
        sk.precision_recall_curve,
        device,
        y_true,
        y_score,
        sample_weight=w,
        drop_intermediate=drop_intermediate,
    )


@given(scored(), st.sampled_from([None, 1.0, 0.3, 0.75]))
def test_roc_auc_matches_sklearn_with_ties_single_classes_and_partial_areas(device, data, max_fpr):
    y_true, y_score, w = data
    check_against_sklearn(roc_auc_score, sk.roc_auc_score, device, y_true, y_score, sample_weight=w, max_fpr=max_fpr)


@given(scored())
def test_average_precision_matches_sklearn(device, data):
    y_true, y_score, w = data
    check_against_sklearn(average_precision_score, sk.average_precision_score, device, y_true, y_score, sample_weight=w)


@st.composite
def multiclass_scored(draw):
    """Multiclass y_true covering k classes and probability rows (ties likely), maybe weights."""
    k = draw(st.integers(3, 4))
    n = draw(st.integers(k, 12))
    y_true = np.concatenate([np.arange(k), draw(hnp.arrays(np.int64, n - k, elements=st.integers(0, k - 1)))])
    raw = draw(hnp.arrays(np.int64, (n, k), elements=st.integers(0, 3))) + 1
    weights = draw(st.none() | hnp.arrays(np.float64, n, elements=st.sampled_from([0.5, 1.0, 2.0])))
    return y_true, raw / raw.sum(axis=1, keepdims=True), weights


@settings(max_examples=15)
@given(multiclass_scored(), st.sampled_from(["macro", "weighted", "micro", None]))
def test_one_vs_rest_auc_and_average_precision_match_sklearn(device, data, average):
    y_true, proba, w = data
    check_against_sklearn(
        roc_auc_score, sk.roc_auc_score, device, y_true, proba, multi_class="ovr", average=average, sample_weight=w
    )
    check_against_sklearn(
        average_precision_score, sk.average_precision_score, device, y_true, proba, average=average, sample_weight=w
    )
    if average in ("macro", "weighted"):
        check_against_sklearn(
            roc_auc_score, sk.roc_auc_score, device, y_true, proba, multi_class="ovo", average=average
        )


def test_ties_count_one_half():
    # one positive and one negative tied at 0.5: the pair is half right
    assert roc_auc_score([0, 1, 0, 1], [0.1, 0.5, 0.5, 0.9]) == pytest.approx(0.875)
    fpr, tpr, thresholds = roc_curve([0, 1, 0, 1], [0.1, 0.5, 0.5, 0.9])
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 1, 1])
    np.testing.assert_allclose(thresholds, [np.inf, 0.9, 0.5, 0.1])


def test_curves_follow_y_score_and_labels_may_be_text(device):
    (y_score,) = on(device, np.array([0.2, 0.9, 0.4, 0.7]))
    y_true = np.array(["no", "yes", "no", "yes"])
    fpr, tpr, thresholds = roc_curve(y_true, y_score, pos_label="yes", sample_weight=[1, 2, 1, 0.5])
    assert all(backend.device_of(a) == backend.device(device) for a in (fpr, tpr, thresholds))
    assert auc(fpr, tpr) == 1.0
    assert type(roc_auc_score([0, 1, 0, 1], y_score)) is float
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label="yes")
    np.testing.assert_allclose(to_host(precision), [1 / 2, 2 / 3, 1, 1, 1])
    np.testing.assert_allclose(to_host(recall), [1, 1, 1, 1 / 2, 0])
    assert average_precision_score(y_true, y_score, pos_label="yes") == 1.0


def test_single_class_roc_auc_warns_and_is_nan_as_in_sklearn(device):
    y_true, y_score = on(device, np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9]))
    with pytest.warns(
        UndefinedMetricWarning, match="Only one class is present in y_true. ROC AUC score is not defined"
    ):
        assert math.isnan(roc_auc_score(y_true, y_score))


def test_auc_needs_a_monotonic_x():
    assert auc([1, 0.5, 0], [1, 1, 1]) == 1.0  # decreasing x still gives a positive area
    with pytest.raises(ValueError, match="x is neither increasing nor decreasing"):
        auc([0, 1, 0.5], [0, 1, 1])
    with pytest.raises(ValueError, match="At least 2 points are needed"):
        auc([0], [1])


def test_ranking_errors_say_what_to_do(device):
    y_score = on(device, np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8]]))[0]
    with pytest.raises(ValueError, match=r"multi_class must be in \('ovo', 'ovr'\)"):
        roc_auc_score([0, 1, 2], y_score)
    with pytest.raises(ValueError, match="multiclass format is not supported: pass pos_label"):
        roc_curve([0, 1, 2], y_score[:, 0])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[3, 2\]"):
        roc_curve([0, 1, 1], y_score[:2, 0])
    with pytest.raises(ValueError, match="should sum up to 1.0"):
        roc_auc_score([0, 1, 2], y_score * 2, multi_class="ovr")
    with pytest.raises(ValueError, match="pos_label is not specified"):
        roc_curve(["a", "b", "a"], y_score[:, 0])


@settings(max_examples=10)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["macro", "weighted", "micro", None]))
def test_multilabel_indicators_are_averaged_like_sklearn(device, seed, average):
    rng = np.random.default_rng(seed)
    y_true = np.vstack([[0, 1, 1], [1, 0, 1], rng.integers(0, 2, (6, 3))])  # every column has both classes
    y_score = rng.integers(0, 4, (8, 3)) / 4
    check_against_sklearn(roc_auc_score, sk.roc_auc_score, device, y_true, y_score, average=average)
    check_against_sklearn(average_precision_score, sk.average_precision_score, device, y_true, y_score, average=average)
