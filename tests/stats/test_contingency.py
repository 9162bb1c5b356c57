"""Chi-square tests: goodness of fit and independence against scipy.stats, Yates' correction, errors."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats.contingency import chi2_contingency, chisquare, expected_freq
from minml.testing import assert_close


def scipy_stats():
    return pytest.importorskip("scipy.stats", reason="SciPy not installed")


def on(device, *values):
    return tuple(backend.to_device(np.asarray(v, dtype=np.float64), device) for v in values)


counts = st.integers(0, 30)


@settings(max_examples=20)
@given(data=st.data(), ddof=st.integers(0, 1), given_expected=st.booleans())
def test_goodness_of_fit_matches_scipy(device, data, ddof, given_expected):
    stats = scipy_stats()
    f_obs = data.draw(hnp.arrays(np.int64, st.integers(3, 8), elements=counts))
    assume(f_obs.sum() > 0)
    f_exp = None
    if given_expected:
        weights = data.draw(hnp.arrays(np.float64, f_obs.shape, elements=st.floats(0.1, 5)))
        f_exp = weights / weights.sum() * f_obs.sum()
    ours = chisquare(*on(device, f_obs), *(on(device, f_exp) if given_expected else ()), ddof=ddof)
    theirs = stats.chisquare(f_obs, f_exp, ddof=ddof)
    assert isinstance(ours.statistic, float) and isinstance(ours.pvalue, float)
    assert ours.df == len(f_obs) - 1 - ddof
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10, abs=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-14)


@settings(max_examples=25)
@given(
    table=hnp.arrays(np.int64, st.sampled_from([(2, 2), (2, 3), (3, 4), (4, 2), (2, 2, 2)]), elements=counts),
    correction=st.booleans(),
)
def test_independence_matches_scipy(device, table, correction):
    stats = scipy_stats()
    for axis in range(table.ndim):
        assume((table.sum(axis=tuple(a for a in range(table.ndim) if a != axis)) > 0).all())
    ours = chi2_contingency(*on(device, table), correction=correction)
    theirs = stats.chi2_contingency(table, correction=correction)
    assert ours.dof == theirs.dof
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10, abs=1e-12)
    assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-14)
    assert backend.device_of(ours.expected_freq) == device
    assert_close(ours.expected_freq, theirs.expected_freq, rtol=1e-12)


def test_yates_correction_shrinks_the_2x2_statistic_but_not_larger_tables():
    table = np.array([[12, 5], [3, 9]])
    assert chi2_contingency(table).statistic < chi2_contingency(table, correction=False).statistic
    larger = np.array([[12, 5, 4], [3, 9, 8]])
    assert chi2_contingency(larger).statistic == chi2_contingency(larger, correction=False).statistic


def test_correction_never_moves_a_count_past_its_expectation():
    # expected = observed ± 0.25 here: Yates' half unit is capped at 0.25, giving X² = 0 (SciPy gh-13875)
    table = np.array([[5.25, 4.75], [4.75, 5.25]])
    assert chi2_contingency(table).statistic == pytest.approx(0.0, abs=1e-12)


def test_a_single_row_has_no_degrees_of_freedom():
    result = chi2_contingency([[3, 4, 5]])
    assert (result.statistic, result.pvalue, result.dof) == (0.0, 1.0, 0)


def test_expected_frequencies_are_the_outer_product_of_the_margins(device):
    table = np.array([[10.0, 20.0], [30.0, 40.0]])
    expected = expected_freq(*on(device, table))
    assert_close(expected, np.outer(table.sum(1), table.sum(0)) / table.sum(), rtol=1e-14)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: chisquare([]), "f_obs is empty"),
        (lambda: chisquare([3, -1, 4]), "non-negative"),
        (lambda: chisquare([3, 1, 4], [2, 2, 2]), "same total"),
        (lambda: chisquare([3, 1, 4], [4, 4]), "shape"),
        (lambda: chisquare([3, 1, 4], [8, 0, 0]), "f_exp must be positive"),
        (lambda: chisquare([3, 5], ddof=1), "degrees of freedom"),
        (lambda: chisquare([[1, 2], [3, 4]]), "1-D"),
        (lambda: chisquare([1.0, np.nan, 2.0]), "finite"),
        (lambda: chi2_contingency([[1, 2], [-3, 4]]), "non-negative"),
        (lambda: chi2_contingency([[0, 0], [3, 4]]), "zero margin: index 0 along axis 0"),
        (lambda: chi2_contingency([[1, 0], [3, 0]]), "zero margin: index 1 along axis 1"),
        (lambda: chi2_contingency(5), "at least 1-D"),
    ],
)
def test_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
