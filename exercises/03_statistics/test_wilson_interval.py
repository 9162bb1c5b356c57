"""Grader for exercise 03.wilson_interval: the Wilson score interval of a proportion."""

from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("03.wilson_interval")

FORMULA_HINT = ("the Wilson interval is centred at (2np + z^2) / (2(n + z^2)), pulled from p = k/n towards 1/2, "
                "with half-width z sqrt(4npq + z^2) / (2(n + z^2)); it is not the Wald interval p +- z sqrt(pq/n)")
Z_HINT = ("two-sided: z = Phi^-1((1 + level)/2) (1.96 for 95%); one-sided: z = Phi^-1(level) (1.645 for 95%), "
          "and the open end is 0 ('less') or 1 ('greater')")
ENDS_HINT = "k = 0 gives a low end of exactly 0, k = n a high end of exactly 1: set them with xp.where"
CORRECTION_HINT = ("with correction=True the ends are (2np + z^2 -+ 1 -+ z sqrt(z^2 -+ 2 - 1/n + 4p(nq +- 1))) "
                   "/ (2(n + z^2)), upper signs for the low end (Newcombe 1998)")


def textbook_wilson(k, n, level=0.95, alternative="two-sided", correction=False):
    """The interval from the textbook form (p + z²/2n ± z √(pq/n + z²/4n²)) / (1 + z²/n), on the host."""
    k, n = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    z = NormalDist().inv_cdf((1 + level) / 2 if alternative == "two-sided" else level)
    p = k / n
    if correction:  # Newcombe's continuity-corrected ends, in counts
        denominator = 2 * (n + z**2)
        with np.errstate(invalid="ignore"):
            low = (2 * k + z**2 - 1 - z * np.sqrt(z**2 - 2 - 1 / n + 4 * k * (n - k + 1) / n)) / denominator
            high = (2 * k + z**2 + 1 + z * np.sqrt(z**2 + 2 - 1 / n + 4 * k * (n - k - 1) / n)) / denominator
    else:
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
        low, high = centre - half, centre + half
    low = np.where((k == 0) | (alternative == "less"), 0.0, low)
    high = np.where((k == n) | (alternative == "greater"), 1.0, high)
    return low, high


def check_interval(interval, expected, what, hint=FORMULA_HINT, rtol=1e-9):
    assert len(interval) == 2, f"{what}: return ConfidenceInterval(low, high); got {interval!r}"
    expect(interval[0], expected[0], rtol=rtol, atol=1e-12, what=f"{what}, low", hint=hint)
    expect(interval[1], expected[1], rtol=rtol, atol=1e-12, what=f"{what}, high", hint=hint)


@pytest.mark.points(2)
@pytest.mark.hint(FORMULA_HINT)
def test_8_of_10(solution):
    low, high = solution(8, 10)
    check_interval((low, high), textbook_wilson(8, 10), "95% interval of 8 successes in 10 trials")
    expect(low, 0.4901624, rtol=1e-6, what="the low end for 8/10 (0.4902: Wald's would say 0.552)", hint=FORMULA_HINT)


@pytest.mark.points(1)
@pytest.mark.hint(Z_HINT)
def test_other_levels(solution):
    check_interval(solution(30, 200, confidence_level=0.9), textbook_wilson(30, 200, 0.9), "90% interval of 30/200",
                   Z_HINT)
    check_interval(solution(30, 200, 0.99), textbook_wilson(30, 200, 0.99), "99% interval of 30/200", Z_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(ENDS_HINT)
def test_no_successes_and_all_successes(solution):
    low, high = solution(0, 20)
    assert low == 0.0, f"0 successes in 20: the low end must be exactly 0, got {low!r}\nhint: {ENDS_HINT}"
    expect(high, textbook_wilson(0, 20)[1], rtol=1e-9, what="0 successes in 20, high (not 0: Wald's would be)",
           hint=FORMULA_HINT)
    low, high = solution(20, 20)
    assert high == 1.0, f"20 successes in 20: the high end must be exactly 1, got {high!r}\nhint: {ENDS_HINT}"
    expect(low, textbook_wilson(20, 20)[0], rtol=1e-9, what="20 successes in 20, low", hint=FORMULA_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(Z_HINT)
def test_one_sided(solution):
    check_interval(solution(12, 50, 0.95, "less"), textbook_wilson(12, 50, 0.95, "less"),
                   "95% 'less' interval of 12/50 (0 to an upper bound)", Z_HINT)
    check_interval(solution(12, 50, 0.95, "greater"), textbook_wilson(12, 50, 0.95, "greater"),
                   "95% 'greater' interval of 12/50 (a lower bound to 1)", Z_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(CORRECTION_HINT)
def test_continuity_correction(solution):
    for k, n in ((3, 17), (1, 9), (40, 41)):
        check_interval(solution(k, n, correction=True), textbook_wilson(k, n, correction=True),
                       f"continuity-corrected 95% interval of {k}/{n}", CORRECTION_HINT)
    corrected, plain = solution(3, 17, correction=True), solution(3, 17)
    assert corrected[0] < plain[0] and corrected[1] > plain[1], "the continuity correction widens the interval"


@pytest.mark.points(3)
@pytest.mark.hint(FORMULA_HINT)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.floats(0.5, 0.999), st.sampled_from(["two-sided", "less", "greater"]), st.booleans())
def test_matches_the_formula(solution, counts, level, alternative, correction):
    k, n = counts
    interval = solution(k, n, level, alternative, correction)
    expected = textbook_wilson(k, n, level, alternative, correction)
    check_interval(interval, expected, f"{level:.3f} {alternative} interval of {k}/{n}, correction={correction}",
                   rtol=1e-7)
    if not correction:
        assert 0 <= interval[0] <= k / n <= interval[1] <= 1, f"expected 0 <= low <= k/n <= high <= 1; got {interval}"


@pytest.mark.points(1)
@pytest.mark.hint("the Wilson interval is the set of p0 the score z-test does not reject: at its low end the test "
                  "of H0: p = low has p-value exactly 1 - level")
def test_inverts_the_score_test(solution):
    from minml.stats import proportions_ztest

    for k, n in ((8, 10), (37, 120)):
        low, high = solution(k, n, 0.9)
        for end in (low, high):
            expect(proportions_ztest(k, n, value=end).pvalue, 0.1, rtol=1e-8,
                   what=f"p-value of the z-test of p = {end:.4f} (an end of the 90% interval of {k}/{n})",
                   hint=FORMULA_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("with arrays of counts, compute elementwise with xp = minml.backend.namespace(count, nobs) and "
                  "xp.where (not Python if/min/max, not np.* functions: the fake GPU refuses them)")
def test_arrays_on_the_fake_gpu(solution):
    k, n = np.array([0, 3, 50, 99, 100]), np.array([100, 100, 100, 100, 100])
    low, high = solution(backend.to_device(k, FAKE_DEVICE), backend.to_device(n, FAKE_DEVICE))
    assert backend.device_of(low) == FAKE_DEVICE, f"the ends should stay on the inputs' device, not {type(low)}"
    check_interval((low, high), textbook_wilson(k, n), "95% intervals of 0, 3, 50, 99, 100 out of 100", ENDS_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("single counts give Python floats: turn 0-d arrays into numbers with backend.to_scalar")
def test_numbers_give_floats(solution):
    low, high = solution(3, 7)
    assert type(low) is float and type(high) is float, f"expected two Python floats; got {type(low)}, {type(high)}"


@pytest.mark.points(1)
@pytest.mark.hint("raise ValueError when count > nobs, count < 0, nobs = 0, or the level is not strictly between "
                  "0 and 1")
def test_invalid_input_raises(solution):
    for args, kwargs in (((11, 10), {}), ((-1, 10), {}), ((0, 0), {}), ((3, 10), {"confidence_level": 1.5}),
                         ((3, 10), {"confidence_level": 0.0})):
        with pytest.raises(ValueError):
            solution(*args, **kwargs)


@pytest.mark.points(1)
@pytest.mark.hint("scipy.stats.binomtest(k, n).proportion_ci(level, method='wilson') is the same interval")
def test_same_as_scipy(solution):
    stats = pytest.importorskip("scipy.stats")
    for k, n, level in ((8, 10, 0.95), (1, 300, 0.99), (150, 151, 0.8)):
        theirs = stats.binomtest(k, n).proportion_ci(level, method="wilson")
        check_interval(solution(k, n, level), (theirs.low, theirs.high), f"{level} interval of {k}/{n} vs SciPy's")
