"""calibration_curve: equal to scikit-learn's, on every device."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.metrics.calibration import calibration_curve
from minml.testing import assert_close


@given(seed=st.integers(0, 2**16), n_bins=st.integers(1, 12), strategy=st.sampled_from(["uniform", "quantile"]))
def test_matches_scikit_learn(device, seed, n_bins, strategy):
    sklearn_calibration = pytest.importorskip("sklearn.calibration")
    rng = np.random.default_rng(seed)
    y_prob = np.round(rng.random(60), 1)  # rounded: many ties and probabilities exactly on bin edges
    y_true = (rng.random(60) < y_prob).astype(int)
    expected = sklearn_calibration.calibration_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    actual = calibration_curve(y_true, backend.to_device(y_prob, device), n_bins=n_bins, strategy=strategy)
    for ours, theirs in zip(actual, expected):
        assert backend.device_of(ours) == backend.device(device)
        assert_close(ours, theirs)


def test_perfectly_calibrated_probabilities_lie_on_the_diagonal():
    y_prob = np.repeat([0.1, 0.5, 0.9], 10)
    y_true = np.concatenate([np.arange(10) < k for k in (1, 5, 9)]).astype(int)
    prob_true, prob_pred = calibration_curve(y_true, y_prob, n_bins=10)
    assert np.allclose(prob_true, prob_pred)


def test_labels_other_than_0_1_need_pos_label():
    y_prob = np.array([0.2, 0.8, 0.6])
    with pytest.raises(ValueError, match="pos_label"):
        calibration_curve(np.array(["no", "yes", "yes"]), y_prob)
    prob_true, _ = calibration_curve(np.array(["no", "yes", "yes"]), y_prob, pos_label="yes", n_bins=2)
    assert prob_true.tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    ("y_true", "y_prob", "message"),
    [
        ([0, 1], [0.5, 1.5], r"outside \[0, 1\]"),
        ([0, 1, 2], [0.1, 0.2, 0.3], "binary targets"),
        ([0, 1], [0.1, 0.2, 0.3], "inconsistent numbers of samples"),
    ],
)
def test_bad_input_is_explained(y_true, y_prob, message):
    with pytest.raises(ValueError, match=message):
        calibration_curve(np.array(y_true), np.array(y_prob))
