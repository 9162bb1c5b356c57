"""The helpers every test shares: alternatives, samples along an axis, counts, p-values, results."""

import numpy as np
import pytest

from minml import backend
from minml.stats.continuous import Normal
from minml.stats.significance import as_counts, as_sample, check_alternative, finish, pvalue_from
from minml.testing import assert_close


def test_alternatives_are_matched_in_any_case():
    assert check_alternative("Two-Sided") == "two-sided"
    with pytest.raises(ValueError, match="alternative must be one of 'two-sided', 'less', 'greater'; got 'both'"):
        check_alternative("both")


def test_a_sample_has_its_observations_on_the_last_axis(device):
    x = backend.to_device(np.arange(12.0).reshape(3, 4), device)
    assert as_sample(x, "x", axis=0).shape == (4, 3)
    assert as_sample(x, "x", axis=None).shape == (12,)
    assert as_sample([1, 2, 3], "x").dtype == np.float64  # lists and integers become float64


def test_counts_are_checked():
    with pytest.raises(ValueError, match="counts must be non-negative counts; got a negative value -2"):
        as_counts([1, -2], "counts")
    with pytest.raises(TypeError, match="counts must be an array"):
        as_counts("three", "counts")


def test_two_sided_p_value_keeps_its_precision_far_in_the_tail(device):
    z = backend.to_device(np.array([-30.0, -1.0, 0.0, 1.0, 30.0]), device)
    p = pvalue_from(Normal(), z, "two-sided")
    expected = 2 * np.array([Normal().sf(30.0), Normal().sf(1.0), 0.5, Normal().sf(1.0), Normal().sf(30.0)])
    assert_close(p, expected, rtol=1e-12, atol=0)  # CUDA's erfc differs from SciPy's by ~6e-14 relative at z=30
    assert backend.to_scalar(p[0]) > 0  # 2 · (1 − Φ(30)) would round to 0
    assert_close(pvalue_from(Normal(), z, "less") + pvalue_from(Normal(), z, "greater"), np.ones(5), rtol=1e-15)


def test_one_result_is_a_python_float_and_a_batch_stays_on_its_device(device):
    x = backend.to_device(np.array([1.5, 2.5]), device)
    assert finish(x.sum()) == 4.0 and isinstance(finish(x.sum()), float)
    assert backend.device_of(finish(x)) == device
