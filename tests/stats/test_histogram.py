"""Histograms and automatic bins against numpy.histogram and numpy.histogram_bin_edges."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minml import backend
from minml.stats.histogram import BIN_RULES, histogram, histogram_bin_edges
from minml.testing import assert_close


@st.composite
def samples(draw):
    """Normal or exponential data (rounded, for ties) or small integers; spreads the bin rules handle.

    (Data spread over 1e-60, say, asks every rule, NumPy's too, for ~1e60 bins.)
    """
    n = draw(st.integers(1, 300))
    rng = np.random.default_rng(draw(st.integers(0, 10**6)))
    kind = draw(st.sampled_from(["normal", "exponential", "integers", "constant"]))
    if kind == "integers":
        return rng.integers(-20, 21, size=n)
    if kind == "constant":
        return np.full(n, draw(st.floats(-100, 100)))
    x = rng.normal(size=n) if kind == "normal" else rng.exponential(size=n)
    return np.round(x * draw(st.floats(0.5, 30)), draw(st.integers(0, 3)))


@pytest.mark.parametrize("bins", [*BIN_RULES, 1, 7])
@settings(max_examples=10)
@given(x=samples(), limits=st.none() | st.tuples(st.floats(-50, 0), st.floats(0, 50)))
def test_edges_and_counts_match_numpy(device, bins, x, limits):
    # Scott's rule multiplies by the standard deviation, which rounding leaves at ~1e-14 for constant data
    assume(not (bins == "scott" and np.ptp(x) == 0))
    xd = backend.to_device(x, device)
    edges = histogram_bin_edges(xd, bins, limits)
    assert_close(edges, np.histogram_bin_edges(x, bins, limits), rtol=1e-12)
    counts, edges = histogram(xd, bins, limits)
    expected_counts, expected_edges = np.histogram(x, bins, limits)
    assert np.array_equal(backend.asnumpy(counts), expected_counts)
    assert_close(edges, expected_edges, rtol=1e-12)


def test_density_integrates_to_one(device):
    x = np.random.default_rng(0).exponential(size=500)
    density, edges = histogram(backend.to_device(x, device), "fd", density=True)
    expected, _ = np.histogram(x, "fd", density=True)
    assert_close(density, expected, rtol=1e-12)
    assert float((backend.asnumpy(density) * np.diff(backend.asnumpy(edges))).sum()) == pytest.approx(1.0)


def test_explicit_edges_and_values_outside_them(device):
    x = np.array([-5.0, 0.0, 0.5, 1.0, 2.0, 3.0, 9.0])
    edges = [0.0, 1.0, 1.5, 3.0]
    counts, _ = histogram(backend.to_device(x, device), backend.to_device(np.array(edges), device))
    assert np.array_equal(backend.asnumpy(counts), np.histogram(x, edges)[0])
    counts, _ = histogram(backend.to_device(x, device), edges)
    assert np.array_equal(backend.asnumpy(counts), [2, 1, 2])


def test_bad_bins_are_refused():
    x = np.arange(5.0)
    with pytest.raises(ValueError, match="one of auto"):
        histogram(x, "magic")
    with pytest.raises(ValueError, match="positive integer"):
        histogram(x, 0)
    with pytest.raises(ValueError, match="increase monotonically"):
        histogram(x, [0.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="not finite"):
        histogram(np.array([1.0, np.nan]))
