"""Covariance, correlation and ranks against NumPy and SciPy, with ties, on every device."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.stats.correlation import corrcoef, cov, kendalltau, pearsonr, rankdata, spearmanr
from minml.testing import assert_close

stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")


def on(device, value):
    return backend.to_device(np.asarray(value, dtype=np.float64), device)


def pairs(seed, n, ties):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = 0.6 * x + rng.normal(size=n)
    return (np.round(x), np.round(2 * y)) if ties else (x, y)


@settings(max_examples=10)
@given(seed=st.integers(0, 1000), rows=st.integers(1, 4), n=st.integers(2, 12), rowvar=st.booleans(),
       bias=st.booleans())
def test_cov_and_corrcoef_match_numpy(device, seed, rows, n, rowvar, bias):
    m = np.random.default_rng(seed).normal(size=(rows, n))
    m = m if rowvar else m.T
    assert_close(cov(on(device, m), rowvar=rowvar, bias=bias), np.cov(m, rowvar=rowvar, bias=bias),
                 rtol=1e-10, atol=1e-12)
    if rows > 1:
        assert_close(corrcoef(on(device, m), rowvar=rowvar), np.corrcoef(m, rowvar=rowvar), rtol=1e-10, atol=1e-12)


def test_cov_of_two_vectors_and_ddof(device):
    x, y = pairs(0, 20, ties=False)
    assert_close(cov(on(device, x), on(device, y)), np.cov(x, y), rtol=1e-12)
    assert_close(cov(on(device, x), on(device, y), ddof=0), np.cov(x, y, ddof=0), rtol=1e-12)
    assert cov(on(device, x)) == pytest.approx(np.cov(x), rel=1e-12)
    r = backend.to_scalar(corrcoef(on(device, x), on(device, y))[0, 1])
    assert r == pytest.approx(np.corrcoef(x, y)[0, 1], rel=1e-12)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("n", [3, 10, 60])
def test_correlations_and_p_values_match_scipy(device, n, ties):
    x, y = pairs(n, n, ties)
    xd, yd = on(device, x), on(device, y)
    for ours, theirs in [
        (pearsonr(xd, yd), stats.pearsonr(x, y)),
        (spearmanr(xd, yd), stats.spearmanr(x, y)),
        (kendalltau(xd, yd), stats.kendalltau(x, y, method="asymptotic")),
    ]:
        assert isinstance(ours.statistic, float)
        assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10, abs=1e-12)
        assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-8, abs=1e-14)


def test_perfect_and_absent_association(device):
    x = on(device, np.arange(8.0))
    assert pearsonr(x, 2 * x + 1).statistic == pytest.approx(1.0)
    assert spearmanr(x, -(x**3)).statistic == pytest.approx(-1.0)
    assert kendalltau(x, x**3).statistic == pytest.approx(1.0)
    assert np.isnan(kendalltau(x, on(device, np.ones(8))).statistic)


def test_pairs_must_match():
    with pytest.raises(ValueError, match="same length"):
        pearsonr(np.arange(3.0), np.arange(4.0))
    with pytest.raises(ValueError, match="at least 2 observations"):
        kendalltau(np.arange(1.0), np.arange(1.0))


@pytest.mark.parametrize("method", ["average", "min", "max", "dense", "ordinal"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_rankdata_matches_scipy(device, method, axis):
    a = np.round(np.random.default_rng(4).normal(size=(5, 7)) * 2)
    assert_close(rankdata(on(device, a), method=method, axis=axis), stats.rankdata(a, method=method, axis=axis))


def test_rankdata_of_a_slice_with_nan_is_nan(device):
    a = np.array([[1.0, np.nan, 3.0], [3.0, 1.0, 2.0]])
    assert_close(rankdata(on(device, a), axis=1), stats.rankdata(a, axis=1))
    with pytest.raises(ValueError, match="method must be one of"):
        rankdata(a, method="random")
