"""Log loss and Brier score against scikit-learn: binary and multiclass, weights, labels, clipping."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn_differential import check_against_sklearn, on

from minml.metrics import brier_score_loss, log_loss

sk = pytest.importorskip("sklearn.metrics", reason="scikit-learn not installed")


@st.composite
def probabilities(draw):
    """y_true over k classes (possibly fewer present) and (n, k) probabilities, 0 and 1 included; or
    for k = 2 sometimes just the positive column."""
    k = draw(st.integers(2, 4))
    n = draw(st.integers(1, 10))
    y_true = draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)))
    raw = draw(hnp.arrays(np.int64, (n, k), elements=st.integers(0, 4)))
    raw[raw.sum(axis=1) == 0, 0] = 1
    proba = raw / raw.sum(axis=1, keepdims=True)
    if k == 2 and draw(st.booleans()):
        proba = proba[:, 1]
    weights = draw(st.none() | hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, 2.0])))
    labels = list(range(k)) if draw(st.booleans()) else None
    return y_true, proba, weights, labels


@given(probabilities(), st.booleans())
def test_log_loss_matches_sklearn(device, data, normalize):
    y_true, proba, w, labels = data
    check_against_sklearn(
        log_loss, sk.log_loss, device, y_true, proba, sample_weight=w, labels=labels, normalize=normalize
    )


@given(probabilities(), st.sampled_from(["auto", True, False]))
def test_brier_score_matches_sklearn(device, data, scale_by_half):
    y_true, proba, w, labels = data
    check_against_sklearn(
        brier_score_loss,
        sk.brier_score_loss,
        device,
        y_true,
        proba,
        sample_weight=w,
        labels=labels if proba.ndim == 2 else None,
        scale_by_half=scale_by_half,
    )


def test_confident_mistakes_are_clipped_not_infinite(device):
    (proba,) = on(device, np.array([[1.0, 0.0], [0.0, 1.0]]))  # both sure, one wrong
    loss = log_loss([0, 0], proba, labels=[0, 1])
    assert type(loss) is float
    assert loss == pytest.approx(sk.log_loss([0, 0], [[1.0, 0.0], [0.0, 1.0]], labels=[0, 1]))
    assert loss == pytest.approx(-np.log(np.finfo(np.float64).eps) / 2)


def test_text_labels_and_pos_label():
    assert log_loss(["ham", "spam", "spam"], [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]]) == pytest.approx(
        sk.log_loss(["ham", "spam", "spam"], [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]])
    )
    assert brier_score_loss(["ham", "spam"], [0.1, 0.8], pos_label="spam") == pytest.approx((0.01 + 0.04) / 2)


def test_probability_errors(device):
    (proba,) = on(device, np.array([[0.5, 0.6], [0.3, 0.7]]))
    with pytest.warns(UserWarning, match="The y_prob values do not sum to one"):
        log_loss([0, 1], proba)
    with pytest.raises(ValueError, match="y_true contains only one label"):
        log_loss([1, 1], proba)
    with pytest.raises(ValueError, match="y_prob contains values greater than 1"):
        brier_score_loss([0, 1], proba * 2)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[2, 3\]"):
        log_loss([0, 1, 1], proba)
    with pytest.raises(ValueError, match="different number of classes: 3 vs 2"):
        log_loss([0, 1, 2], on(device, np.full((3, 2), 0.5))[0])
