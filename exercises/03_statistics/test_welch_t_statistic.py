"""Grader for exercise 03.welch_t_statistic: Welch's t statistic and its Welch–Satterthwaite degrees of freedom."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("03.welch_t_statistic")

VARIANCE_HINT = ("use the sample variance with ddof=1 (divide by n - 1, not n), and divide each by its own sample "
                 "size: v = s^2 / n; Welch's test does not pool the two variances")
DF_HINT = ("Welch-Satterthwaite: df = (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1)) with v = s^2 / n; "
           "square the v's in the denominator and divide by n - 1, not n")


def expected_welch(a, b):
    """t and df from the definitions, on the host, one pair of samples per leading index."""
    n1, n2 = a.shape[-1], b.shape[-1]
    v1 = np.var(a, axis=-1, ddof=1) / n1
    v2 = np.var(b, axis=-1, ddof=1) / n2
    t = (np.mean(a, axis=-1) - np.mean(b, axis=-1)) / np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    return t, df


def check_pair(result, expected, what, rtol=1e-9):
    assert isinstance(result, tuple) and len(result) == 2, f"{what}: return a tuple (t, df); got {result!r}"
    expect(result[0], expected[0], rtol=rtol, atol=1e-12, what=f"{what}: t", hint=VARIANCE_HINT)
    expect(result[1], expected[1], rtol=rtol, atol=1e-9, what=f"{what}: df", hint=DF_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(VARIANCE_HINT)
def test_small_example_t(solution):
    # a: mean 2.5, s^2 = 5/3, n = 4; b: mean 6, s^2 = 10, n = 5 -> v1 = 5/12, v2 = 2, t = -3.5 / sqrt(29/12)
    t, _ = solution(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0, 8.0, 10.0]))
    expect(t, -3.5 / np.sqrt(29 / 12), rtol=1e-12, what="t of [1, 2, 3, 4] vs [2, 4, 6, 8, 10]", hint=VARIANCE_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(DF_HINT)
def test_small_example_df(solution):
    # v1 = 5/12, v2 = 2: df = (29/12)^2 / ((5/12)^2 / 3 + 2^2 / 4)
    _, df = solution(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0, 8.0, 10.0]))
    expect(df, (29 / 12) ** 2 / ((5 / 12) ** 2 / 3 + 1.0), rtol=1e-12, what="df of [1, 2, 3, 4] vs [2, 4, 6, 8, 10]",
           hint=DF_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("with equal sizes and equal variances Welch's df is n1 + n2 - 2; otherwise it is smaller: check "
                  "the Welch-Satterthwaite formula")
def test_df_between_smaller_sample_and_pooled(solution):
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 12), rng.normal(0, 5, 30)
    _, df = solution(a, b)
    df = float(backend.asnumpy(df))
    assert 11 <= df <= 40, f"df must lie between min(n1, n2) - 1 = 11 and n1 + n2 - 2 = 40; got {df}"
    check_pair(solution(a, b), expected_welch(a, b), "n1 = 12 (sd 1) vs n2 = 30 (sd 5)")


@pytest.mark.points(3)
@pytest.mark.hint("t = (mean(a) - mean(b)) / sqrt(v1 + v2), v = var(ddof=1) / n, each sample with its own n")
@given(hnp.arrays(np.float64, st.integers(2, 40), elements=st.floats(-100, 100)),
       hnp.arrays(np.float64, st.integers(2, 40), elements=st.floats(-100, 100)))
def test_matches_the_definition(solution, a, b):
    a = a + np.linspace(0, 1, a.size)  # never constant: t and df are finite
    b = b - np.linspace(0, 2, b.size)
    check_pair(solution(a, b), expected_welch(a, b), f"samples of sizes {a.size} and {b.size}", rtol=1e-7)


@pytest.mark.points(2)
@pytest.mark.hint("reduce along the LAST axis (axis=-1) only, so that leading axes are a batch of tests: "
                  "a of shape (5, 20) and b of shape (1, 30) give 5 tests")
def test_a_batch_of_tests(solution):
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, (5, 20)), rng.normal(0.5, 2, (1, 30))
    t, df = solution(a, b)
    shapes = (np.shape(t), np.shape(df))
    assert shapes == ((5,), (5,)), f"expected t and df of shape (5,); got shapes {shapes}"
    check_pair((t, df), expected_welch(a, b), "5 tests, a (5, 20) vs b (1, 30)")


@pytest.mark.points(2)
@pytest.mark.hint("scipy.stats.ttest_ind(a, b, equal_var=False) is Welch's test: same t, same df")
def test_same_as_scipy(solution):
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(2)
    a, b = rng.normal(10, 2, (3, 50)), rng.normal(11, 6, (3, 15))
    t, df = solution(a, b)
    theirs = stats.ttest_ind(a, b, axis=-1, equal_var=False)
    expect(t, theirs.statistic, rtol=1e-9, what="t vs scipy.stats.ttest_ind(equal_var=False)", hint=VARIANCE_HINT)
    expect(df, theirs.df, rtol=1e-9, what="df vs scipy.stats.ttest_ind(equal_var=False)", hint=DF_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("compute with xp = minml.backend.namespace(a, b) and array methods (a.mean, a.var, xp.sqrt), "
                  "not np.* functions: the fake GPU refuses them")
def test_on_the_fake_gpu(solution):
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, (4, 25)), rng.normal(0, 3, (4, 9))
    t, df = solution(backend.to_device(a, FAKE_DEVICE), backend.to_device(b, FAKE_DEVICE))
    assert backend.device_of(t) == FAKE_DEVICE, f"t should stay on the inputs' device; it is on {backend.device_of(t)}"
    check_pair((t, df), expected_welch(a, b), "4 tests on the fake GPU")


@pytest.mark.points(2)
@pytest.mark.hint("minml.stats.ttest_ind(equal_var=False) calls your function; its p-value is the two-sided tail "
                  "of Student's t with YOUR df")
def test_minml_ttest_ind_uses_it(solution, monkeypatch):
    from minml.stats import ttest_ind

    monkeypatch.setattr(sys.modules["minml.stats.t_tests"], "welch_t_statistic", solution)
    rng = np.random.default_rng(4)
    a, b = rng.normal(0, 1, 8), rng.normal(1.5, 3, 40)
    result = ttest_ind(a, b, equal_var=False)
    t, df = expected_welch(a, b)
    stats = pytest.importorskip("scipy.stats")
    expect(result.statistic, t, rtol=1e-9, what="ttest_ind(equal_var=False).statistic", hint=VARIANCE_HINT)
    expect(result.df, df, rtol=1e-9, what="ttest_ind(equal_var=False).df", hint=DF_HINT)
    expect(result.pvalue, 2 * stats.t.sf(abs(t), df), rtol=1e-8, what="ttest_ind(equal_var=False).pvalue",
           hint=DF_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("two constant samples give 0/0: return NaN (inside np.errstate(divide='ignore', "
                  "invalid='ignore')) rather than raising")
def test_constant_samples_give_nan(solution):
    t, df = solution(np.full(5, 3.0), np.full(4, 3.0))
    assert np.isnan(backend.asnumpy(t)) and np.isnan(backend.asnumpy(df)), f"expected NaN and NaN; got {t}, {df}"
