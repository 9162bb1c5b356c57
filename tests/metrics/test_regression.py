"""Regression metrics against scikit-learn: weights, several outputs, constant targets."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn_differential import check_against_sklearn, on

from minml.metrics import (
    UndefinedMetricWarning,
    explained_variance_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

sk = pytest.importorskip("sklearn.metrics", reason="scikit-learn not installed")

ERRORS = [
    (mean_squared_error, sk.mean_squared_error),
    (root_mean_squared_error, sk.root_mean_squared_error),
    (mean_absolute_error, sk.mean_absolute_error),
]
SCORES = [(r2_score, sk.r2_score), (explained_variance_score, sk.explained_variance_score)]


@st.composite
def targets(draw):
    """y_true and y_pred of one or several outputs (constant columns and exact fits occur), maybe weights."""
    n = draw(st.integers(1, 10))
    shape = draw(st.sampled_from([(n,), (n, 1), (n, 3)]))
    values = st.sampled_from([-2.0, 0.0, 0.5, 1.0, 3.25])  # few values: constant targets and perfect fits happen
    y_true = draw(hnp.arrays(np.float64, shape, elements=values))
    y_pred = y_true.copy() if draw(st.booleans()) else draw(hnp.arrays(np.float64, shape, elements=values))
    weights = draw(st.none() | hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, 1.0, 4.0])))
    return y_true, y_pred, weights


def _multioutput(draw, y, choices):
    choice = draw(st.sampled_from(choices))
    return np.array([0.2, 0.0, 1.0])[: y.shape[1]] if choice == "array" and y.ndim == 2 and y.shape[1] == 3 else choice


@pytest.mark.parametrize(("ours", "theirs"), ERRORS)
@given(data=targets(), draw=st.data())
def test_errors_match_sklearn(device, ours, theirs, data, draw):
    y_true, y_pred, w = data
    multioutput = _multioutput(draw.draw, y_true, ["raw_values", "uniform_average", "array"])
    check_against_sklearn(ours, theirs, device, y_true, y_pred, sample_weight=w, multioutput=multioutput)


@pytest.mark.parametrize(("ours", "theirs"), SCORES)
@given(data=targets(), draw=st.data(), force_finite=st.booleans())
def test_scores_match_sklearn(device, ours, theirs, data, draw, force_finite):
    y_true, y_pred, w = data
    multioutput = _multioutput(draw.draw, y_true, ["raw_values", "uniform_average", "variance_weighted", "array"])
    with np.errstate(divide="ignore", invalid="ignore"):  # force_finite=False: 0/0 is NaN, x/0 is -inf, by design
        check_against_sklearn(
            ours, theirs, device, y_true, y_pred, sample_weight=w, multioutput=multioutput, force_finite=force_finite
        )


def test_float32_inputs_accumulate_in_float64(device):
    rng = np.random.default_rng(0)
    y_true = rng.normal(size=20_000).astype(np.float32)
    y_pred = y_true + np.float32(1e-3)
    expected = sk.mean_squared_error(y_true.astype(np.float64), y_pred.astype(np.float64))
    assert mean_squared_error(*on(device, y_true, y_pred)) == pytest.approx(expected, rel=1e-9)


def test_regression_errors(device):
    y3, y4 = on(device, np.arange(3.0), np.arange(4.0))
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[3, 4\]"):
        mean_squared_error(y3, y4)
    with pytest.raises(ValueError, match=r"different number of output \(1!=2\)"):
        r2_score(y3, on(device, np.ones((3, 2)))[0])
    with pytest.raises(ValueError, match="Allowed 'multioutput' string values"):
        mean_absolute_error(y3, y3, multioutput="variance_weighted")
    with pytest.warns(UndefinedMetricWarning, match="not well-defined with less than two samples"):
        r2_score(y3[:1], y3[:1])
