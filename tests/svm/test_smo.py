"""The SMO solver: the pair update, the LRU row cache, the KKT conditions at the solution, max_iter."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minml import backend
from minml.exceptions import ConvergenceWarning
from minml.svm import smo
from minml.svm.kernels import rbf_kernel


@settings(max_examples=25)
@given(st.floats(0, 2), st.floats(0, 2), st.sampled_from([-1.0, 1.0]), st.sampled_from([-1.0, 1.0]),
       st.floats(1e-3, 10), st.floats(1e-3, 5))
def test_pair_update_stays_in_the_box_and_keeps_the_constraint(a_i, a_j, y_i, y_j, b, a):
    C = 2.0
    new_i, new_j = smo.smo_pair_update(a_i, a_j, y_i, y_j, C, C, b, a)
    assert 0 <= new_i <= C and 0 <= new_j <= C
    assert y_i * new_i + y_j * new_j == pytest.approx(y_i * a_i + y_j * a_j, abs=1e-12)
    step = (new_i - a_i) * y_i
    assert -1e-12 <= step <= b / a + 1e-12  # never past the unconstrained optimum, never backwards


def test_pair_update_takes_the_newton_step_when_there_is_room():
    assert smo.smo_pair_update(0.5, 0.5, 1.0, 1.0, 10.0, 10.0, 0.6, 2.0) == pytest.approx((0.8, 0.2))
    assert smo.smo_pair_update(0.5, 0.5, 1.0, -1.0, 0.6, 10.0, 10.0, 1.0) == pytest.approx((0.6, 0.6))  # clipped


def test_row_cache_is_lru_and_bounded(device):
    X = backend.to_device(np.random.default_rng(0).standard_normal((10, 2)), device)
    asked = []

    def rows(indices):
        asked.append(list(indices))
        return rbf_kernel(X[backend.to_device(np.asarray(indices), device)], X)

    cache = smo.KernelRowCache(rows, 10, 10, cache_size=3 * 80 / 2**20, min_rows=2, like=X)  # room for 3 rows
    assert cache.n_slots == 3
    full = backend.asnumpy(rbf_kernel(X, X))
    np.testing.assert_allclose(backend.asnumpy(cache.rows([4, 1])), full[[4, 1]])
    np.testing.assert_allclose(backend.asnumpy(cache.rows([1, 7])), full[[1, 7]])  # 1 is cached
    assert asked == [[4, 1], [7]]
    cache.rows([2])  # evicts 4, the least recently used
    cache.rows([4])
    assert asked[-1] == [4] and cache.computed == 5 and len(cache.slot_of) == 3


def solve(X, y, C, device, **options):
    X, signs = backend.to_device(X, device), backend.to_device(np.where(y == 1, 1.0, -1.0), device)
    xp = backend.namespace(X)

    def rows(indices):
        return rbf_kernel(X[backend.to_device(np.asarray(indices), device)], X, 0.5)

    def block(indices):
        index = backend.to_device(np.asarray(indices), device)
        return rbf_kernel(X[index], X[index], 0.5)

    result = smo.smo_solve(rows, block, xp.ones(X.shape[0]), signs, -xp.ones(X.shape[0]),
                           xp.full(X.shape[0], C), **options)
    return result, backend.asnumpy(rbf_kernel(X, X, 0.5)), backend.asnumpy(signs)


@pytest.mark.parametrize("shrinking", [True, False])
def test_solution_satisfies_the_kkt_conditions(device, shrinking):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((80, 2)), (rng.random(80) < 0.5).astype(int)
    C, tol = 1.5, 1e-6
    result, K, signs = solve(X, y, C, device, tol=tol, shrinking=shrinking, working_set_size=8)
    alpha = backend.asnumpy(result.alpha)
    assert result.converged and (alpha >= 0).all() and (alpha <= C).all()
    assert abs(signs @ alpha) < 1e-10
    margin = signs * ((K @ (alpha * signs)) - result.rho)  # yᵢ f(xᵢ)
    assert (margin[alpha < 1e-9] >= 1 - 1e-4).all()  # outside the margin
    assert (margin[alpha > C - 1e-9] <= 1 + 1e-4).all()  # inside it
    free = (alpha > 1e-9) & (alpha < C - 1e-9)
    np.testing.assert_allclose(margin[free], 1.0, atol=1e-4)  # on it


def test_max_iter_warns_and_says_what_to_try():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((60, 2)), np.arange(60) % 2
    with pytest.warns(ConvergenceWarning, match="Raise max_iter"):
        result, _, _ = solve(X, y, 10.0, "cpu", max_iter=5)
    assert result.n_iter == 5 and not result.converged
