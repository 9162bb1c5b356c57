"""Grader for exercise 03.beta_binomial_posterior: the conjugate update of a Beta prior by binomial counts."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("03.beta_binomial_posterior")

UPDATE_HINT = "alpha' = alpha + (sum of the successes k), beta' = beta + (sum of the failures n - k)"
FAILURES_HINT = ("the failures of observation i are n_i - k_i; with one number n for every observation the failures "
                 "add up to m*n - sum(k), not n - sum(k): subtract before summing, (trials - successes).sum(axis=0)")
AXIS_HINT = "sum along axis 0 only (the observations): the other axes are a batch of independent models"


def check_posterior(result, expected, what, hint=UPDATE_HINT):
    assert isinstance(result, tuple) and len(result) == 2, f"{what}: return a tuple (alpha', beta'); got {result!r}"
    expect(result[0], expected[0], rtol=1e-12, what=f"{what}: alpha'", hint=hint)
    expect(result[1], expected[1], rtol=1e-12, what=f"{what}: beta'", hint=hint)


@pytest.mark.points(2)
@pytest.mark.hint(UPDATE_HINT)
def test_coin_flips(solution):
    # a uniform prior, Beta(1, 1), then heads, tails, heads, heads: 3 successes and 1 failure
    result = solution(1.0, 1.0, np.array([1.0, 0.0, 1.0, 1.0]), 1)
    check_posterior(result, (4.0, 2.0), "Beta(1, 1) after heads, tails, heads, heads")


@pytest.mark.points(2)
@pytest.mark.hint(FAILURES_HINT)
def test_counts_out_of_several_trials(solution):
    # 3 of 10 and 5 of 6: 8 successes, 7 + 1 = 8 failures
    result = solution(2.0, 5.0, np.array([3.0, 5.0]), np.array([10.0, 6.0]))
    check_posterior(result, (10.0, 13.0), "Beta(2, 5) after 3 of 10 and 5 of 6", FAILURES_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(FAILURES_HINT)
def test_one_number_of_trials_for_every_observation(solution):
    # five days of 20 visitors each, 2 + 0 + 4 + 1 + 3 = 10 buyers: 100 - 10 = 90 failures
    result = solution(1.0, 1.0, np.array([2.0, 0.0, 4.0, 1.0, 3.0]), 20)
    check_posterior(result, (11.0, 91.0), "Beta(1, 1) after 2, 0, 4, 1, 3 successes out of 20 each", FAILURES_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(AXIS_HINT)
def test_a_batch_of_models(solution):
    # three arms of a bandit, each with its own prior; rows are rounds, columns arms
    successes = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 1.0]])
    alpha, beta = np.array([1.0, 2.0, 0.5]), np.array([1.0, 2.0, 0.5])
    result = solution(alpha, beta, successes, 1)
    check_posterior(result, (np.array([4.0, 3.0, 2.5]), np.array([2.0, 5.0, 2.5])), "3 arms after 4 rounds",
                    AXIS_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("updating on all the data at once and on two batches one after the other must agree: the update "
                  "only adds sums")
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=2, max_size=30),
       st.floats(0.1, 10), st.floats(0.1, 10), st.data())
def test_sequential_updating_equals_one_update(solution, pairs, alpha, beta, data):
    trials = np.array([n + k for k, n in pairs], dtype=float)  # k successes and n failures each
    successes = np.array([k for k, _ in pairs], dtype=float)
    cut = data.draw(st.integers(1, len(pairs) - 1))
    all_at_once = solution(alpha, beta, successes, trials)
    first = solution(alpha, beta, successes[:cut], trials[:cut])
    then = solution(first[0], first[1], successes[cut:], trials[cut:])
    expected = (alpha + successes.sum(), beta + (trials - successes).sum())
    check_posterior(all_at_once, expected, f"Beta({alpha:.3g}, {beta:.3g}) after {len(pairs)} observations")
    check_posterior(then, expected, f"the same, updated on the first {cut} observations and then on the rest")


@pytest.mark.points(1)
@pytest.mark.hint("use array methods (.sum(axis=0)) so the result stays on the data's device; no np.* functions")
def test_on_the_fake_gpu(solution):
    successes = backend.to_device(np.array([[3.0, 0.0], [5.0, 6.0]]), FAKE_DEVICE)
    alpha_post, beta_post = solution(1.0, 1.0, successes, 6)
    assert backend.device_of(alpha_post) == FAKE_DEVICE, "alpha' should live on the data's device"
    check_posterior((alpha_post, beta_post), (np.array([9.0, 7.0]), np.array([5.0, 7.0])), "2 models on the fake GPU")


@pytest.mark.points(2)
@pytest.mark.hint("minml.stats.BetaBinomial.update calls your function; its posterior is Beta(alpha', beta')")
def test_minml_beta_binomial_uses_it(solution, monkeypatch):
    from minml.stats import BetaBinomial

    monkeypatch.setattr(sys.modules["minml.stats.conjugate"], "beta_binomial_posterior", solution)
    model = BetaBinomial(2.0, 2.0).update(np.array([7.0, 4.0, 9.0]), trials=10)  # 20 of 30: Beta(22, 12)
    expect(model.posterior.mean(), 22 / 34, rtol=1e-12, what="posterior mean after 20 successes in 30 trials",
           hint=FAILURES_HINT)
    stats = pytest.importorskip("scipy.stats")
    low, high = model.credible_interval(0.9)
    expect([low, high], stats.beta(22, 12).ppf([0.05, 0.95]), rtol=1e-8, what="90% credible interval",
           hint=FAILURES_HINT)
