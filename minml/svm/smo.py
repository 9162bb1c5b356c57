"""Sequential minimal optimisation (SMO): the solver behind SVC and SVR, as libsvm runs it, in batches.

Every kernel SVM here is one quadratic programme over dual variables α (libsvm's form)::

    minimise   f(α) = ½ αᵀ Q α + pᵀ α        Q[i, j] = yᵢ yⱼ K(xᵢ, xⱼ),   yᵢ = ±1
    subject to yᵀ α = 0   and   0 ≤ αᵢ ≤ Cᵢ

(SVC: p = -1 and one α per sample; SVR: two α per sample, see :mod:`minml.svm.classes`.)
The equality constraint means no single α can move alone, so SMO moves two at once
along the direction that keeps yᵀα fixed: αᵢ by +yᵢ·t and αⱼ by -yⱼ·t. Along it
f changes by -b·t + ½ a·t², with

    vₖ = -yₖ Gₖ  (G = Qα + p, the gradient)      b = vᵢ - vⱼ      a = Kᵢᵢ + Kⱼⱼ - 2 Kᵢⱼ

so the best step is t = b / a, clipped so that both α stay in their boxes
(:func:`smo_pair_update`). The pair is chosen as libsvm does since Fan, Chen and
Lin (2005): i is the sample with the largest vᵢ among those allowed to go "up"
(I_up), and j, among those allowed to go "down" (I_low) with vⱼ < vᵢ, maximises the
decrease b² / a of f — the *second-order* working-set selection. The optimum is
reached (the KKT conditions hold) when max_{I_up} v - min_{I_low} v < tol.

Why batches. libsvm performs ~10⁴-10⁵ of these cheap two-variable steps in C. In
Python each step costs microseconds of interpreter time, and each needs kernel
rows of length n. So, as ThunderSVM does on GPUs, each *outer* iteration here:

1. selects a working set B of q violating variables — the q/2 with the largest v in
   I_up, and the q/2 in I_low with the best second-order gain b² / a against the most
   violating i (with ``shrinking``, only variables that can still violate the KKT
   conditions, libsvm's shrinking rule: a variable at a bound whose v lies beyond
   the current extremes cannot be chosen and is left out);
2. solves the q-variable sub-problem with plain SMO on the small q × q kernel block
   (:func:`solve_subproblem`, on the host: q-long arrays, no device sync per step),
   until its own gap has halved (:data:`LOCAL_FRACTION`) or after q/2 steps
   (:data:`STEPS_PER_VARIABLE`): solving a sub-problem much more finely than the whole
   is solved yet wastes steps on variables the next batch will move again;
3. fetches the kernel rows of the variables that actually moved — a fraction of B —
   from an LRU cache of rows (:class:`KernelRowCache`, sized in MB like libsvm's
   ``cache_size``, so memory stays bounded however large n is), computing the
   missing ones in one block;
4. updates the whole gradient with one matrix-vector product, G += Q[:, moved] Δα.

Python's overhead is paid once per batch of steps, and the kernel work becomes a
few large matrix products; about as many kernel rows are read as libsvm reads. The
gradient is kept exact for every variable (the update is one product), so
shrinking never needs libsvm's gradient reconstruction.
"""

from __future__ import annotations

import math
import warnings
from collections import OrderedDict

import numpy as np

from minml import backend
from minml.exceptions import ConvergenceWarning

__all__ = ["KernelRowCache", "SMOResult", "smo_pair_update", "smo_solve", "solve_subproblem"]

TAU = 1e-12  # libsvm's floor for the curvature a when the kernel is not positive definite
LOCAL_FRACTION = 0.5
"""A sub-problem is solved until its gap is below max(tol, LOCAL_FRACTION × its first gap)."""
STEPS_PER_VARIABLE = 0.5
"""... or for at most STEPS_PER_VARIABLE × q steps (both tuned on bench/svm.py's problems)."""


class KernelRowCache:
    """Rows K[i, :] of the kernel matrix, computed on demand and kept in an LRU cache of bounded size.

    ``compute_rows(indices)`` returns the (len(indices), n_columns) rows for a
    host list of row indices. The cache holds at most ``cache_size`` MB of
    float64 rows (at least ``min_rows`` of them), preallocated once on the
    device of ``like``; the least recently used rows are overwritten first.
    """

    def __init__(self, compute_rows, n_rows: int, n_columns: int, cache_size: float, min_rows: int, like):
        xp = backend.namespace(like)
        capacity = int(cache_size * 2**20) // (8 * n_columns)
        self.n_slots = min(n_rows, max(min_rows, capacity))
        self.buffer = xp.empty((self.n_slots, n_columns), dtype=np.float64)
        self.compute_rows = compute_rows
        self.slot_of: OrderedDict[int, int] = OrderedDict()  # row -> slot, least recently used first
        self.device = backend.device_of(like)
        self.computed = 0  # rows computed so far (a cache miss each)

    def rows(self, indices: list[int]):
        """K[indices, :] as a (len(indices), n_columns) array; ``indices`` distinct, at most n_slots of them."""
        wanted = set(indices)
        missing = [i for i in indices if i not in self.slot_of]
        for i in indices:
            if i in self.slot_of:
                self.slot_of.move_to_end(i)
        if missing:
            free = list(range(len(self.slot_of), self.n_slots))
            evictable = (row for row in list(self.slot_of) if row not in wanted)
            while len(free) < len(missing):
                free.append(self.slot_of.pop(next(evictable)))
            slots = free[: len(missing)]
            computed = self.compute_rows(missing)
            self.buffer[self._on_device(slots)] = computed
            self.slot_of.update(zip(missing, slots))
            self.computed += len(missing)
            if len(missing) == len(indices):  # nothing was cached: no need to read the rows back
                return computed
        return self.buffer[self._on_device([self.slot_of[i] for i in indices])]

    def _on_device(self, host_indices):
        return backend.to_device(np.asarray(host_indices, dtype=np.int64), self.device)


# exercise 09.smo_pair_update
def smo_pair_update(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    """One SMO step on the pair (i, j): the new (αᵢ, αⱼ), both kept in their box [0, C].

    The step moves αᵢ by +yᵢ·t and αⱼ by -yⱼ·t, which keeps Σ yₖ αₖ unchanged. Along
    that line the dual objective changes by -b·t + ½·a·t², where b > 0 is the KKT
    violation of the pair and a = Kᵢᵢ + Kⱼⱼ - 2Kᵢⱼ its curvature, so the
    unconstrained best step is t = b / a. If a ≤ 0 (two identical samples, or a
    kernel that is not positive definite) f does not curve up along the line and
    the best step is as long as the box allows: use a = 1e-12 instead, as libsvm
    does. Clip t so that neither α leaves [0, C]: αᵢ can move by at most Cᵢ - αᵢ
    if yᵢ = +1 (it grows), αᵢ if yᵢ = -1 (it shrinks); αⱼ by at most αⱼ if
    yⱼ = +1, Cⱼ - αⱼ if yⱼ = -1. Clip the one step t, not each α on its own: both
    must move by the same t, or Σ yₖ αₖ changes. All arguments are Python floats
    (y = ±1); return two floats.
    """
    room_i = C_i - alpha_i if y_i > 0 else alpha_i
    room_j = alpha_j if y_j > 0 else C_j - alpha_j
    t = min(b / max(a, TAU), room_i, room_j)
    new_i = min(max(alpha_i + y_i * t, 0.0), C_i)
    new_j = min(max(alpha_j - y_j * t, 0.0), C_j)
    return new_i, new_j
# end exercise


def _up_low(y, alpha, upper):
    """Masks of I_up (αₖ may move so that yₖαₖ grows) and I_low (yₖαₖ may shrink)."""
    positive = y > 0
    below, above = alpha < upper, alpha > 0
    return (positive & below) | (~positive & above), (positive & above) | (~positive & below)


def solve_subproblem(K, y, alpha, v, upper, tol: float, max_steps: int):
    """SMO with second-order pair selection on a small problem held in host NumPy arrays.

    ``K`` is the (q, q) kernel block, ``v = -y·G`` the current gradient signs,
    ``alpha`` and ``upper`` the variables and their bounds (all length q; alpha
    and v are updated in place). Stops when the local gap max_{up} v - min_{low} v
    falls below max(tol, LOCAL_FRACTION × first gap) (ThunderSVM's rule, with 0.1
    there: no need to solve a sub-problem much more finely than the whole one is
    solved yet), or after ``max_steps`` steps. Returns the number of steps taken.

    Every step is a handful of NumPy calls on q-long arrays: membership of I_up
    and I_low is kept as 0 / ±inf offsets added to v (only entries i and j change
    per step), and the curvatures a = Kᵢᵢ + Kₜₜ - 2Kᵢₜ of every pair come from one
    (q, q) table built up front.
    """
    diagonal = np.diagonal(K)
    curvature = diagonal[:, None] + diagonal[None, :] - 2.0 * K
    curvature[curvature <= 0] = TAU
    up, low = _up_low(y, alpha, upper)
    up_offset, low_offset = np.where(up, 0.0, -np.inf), np.where(low, 0.0, np.inf)
    y_list, upper_list = y.tolist(), upper.tolist()
    local_tol = None
    steps = 0
    while steps < max_steps:
        v_up = v + up_offset
        i = int(np.argmax(v_up))
        v_low = v + low_offset
        m = v_up[i]
        gap = m - v_low.min()
        if local_tol is None:
            local_tol = max(tol, LOCAL_FRACTION * gap)
        if not gap >= local_tol:  # also stops on an empty I_up or I_low (gap -inf or nan)
            break
        b = np.maximum(m - v_low, 0.0)
        j = int(np.argmax(b * b / curvature[i]))
        old_i, old_j = float(alpha[i]), float(alpha[j])
        y_i, y_j = y_list[i], y_list[j]
        new_i, new_j = smo_pair_update(old_i, old_j, y_i, y_j, upper_list[i], upper_list[j], float(b[j]),
                                       float(curvature[i, j]))
        alpha[i], alpha[j] = new_i, new_j
        v -= ((new_i - old_i) * y_i) * K[i] - ((old_j - new_j) * y_j) * K[j]  # K is symmetric: rows = columns
        for k, value in ((i, new_i), (j, new_j)):
            grows = value < upper_list[k] if y_list[k] > 0 else value > 0  # may yₖαₖ still grow? shrink?
            shrinks = value > 0 if y_list[k] > 0 else value < upper_list[k]
            up_offset[k] = 0.0 if grows else -np.inf
            low_offset[k] = 0.0 if shrinks else np.inf
        steps += 1
    return steps


class SMOResult:
    """What :func:`smo_solve` returns: ``alpha`` (device array), ``rho`` (f(x) = Σ αᵢyᵢK(xᵢ, x) - ρ), ``n_iter``."""

    def __init__(self, alpha, rho, n_iter: int, converged: bool, rows_computed: int):
        self.alpha, self.rho, self.n_iter = alpha, rho, n_iter
        self.converged, self.rows_computed = converged, rows_computed


def _top(score, k: int):
    """Indices of the k largest finite entries of ``score`` (fewer if fewer are finite), as a host array."""
    xp = backend.namespace(score)
    k = min(k, score.shape[0])
    candidates = xp.argpartition(-score, k - 1)[:k] if k < score.shape[0] else xp.arange(score.shape[0])
    picked = backend.asnumpy(candidates)
    keep = backend.asnumpy(xp.isfinite(score[candidates]))
    return picked[keep]


def smo_solve(compute_rows, compute_block, diagonal, y, p, upper, *, sample_of=None, tol=1e-3, max_iter=-1,
              shrinking=True, cache_size=200.0, working_set_size=256):
    """Solve min ½αᵀQα + pᵀα s.t. yᵀα = 0, 0 ≤ α ≤ upper, with Q[i, j] = yᵢyⱼK[s(i), s(j)], by batched SMO.

    ``compute_rows(samples)`` gives kernel rows K[samples, :] over the
    n_samples data points, ``compute_block(samples)`` the small block
    ``K[samples][:, samples]``; ``diagonal`` is K's diagonal (n_samples,). Variable
    i uses sample ``sample_of[i]`` (a host int array; default: variable i is
    sample i — SVR has two variables per sample). ``y``, ``p`` and ``upper``
    are device arrays over the variables. ``max_iter`` bounds the number of
    two-variable steps (-1: none); ``working_set_size`` is q in the module
    docstring. Returns an :class:`SMOResult`.
    """
    xp = backend.namespace(y, p, upper)
    n_vars, n_samples = y.shape[0], diagonal.shape[0]
    sample_of = np.arange(n_vars) if sample_of is None else np.asarray(sample_of)
    sample_of_device = backend.to_device(sample_of, backend.device_of(y))
    diagonal_vars = diagonal[sample_of_device]
    q = max(2, min(working_set_size, n_vars))
    cache = KernelRowCache(compute_rows, n_samples, n_samples, cache_size, q + 1, like=y)
    alpha = xp.zeros(n_vars, dtype=np.float64)
    y_host, upper_host = backend.asnumpy(y), backend.asnumpy(upper)  # read per batch: copied to the host once
    G = p.astype(np.float64, copy=True)
    steps, converged = 0, False
    budget = math.inf if max_iter == -1 else max_iter
    while True:
        up, low = _up_low(y, alpha, upper)
        v = -y * G
        v_up, v_low = xp.where(up, v, -xp.inf), xp.where(low, v, xp.inf)
        i = int(backend.to_scalar(xp.argmax(v_up)))
        m, M = backend.asnumpy(xp.stack([v_up[i], v_low.min()])).tolist()
        if not m - M >= tol:
            converged = True
            break
        if steps >= budget:
            break
        if shrinking:  # only variables that can still violate: up ones above M, low ones below m
            v_up = xp.where(v_up > M, v_up, -xp.inf)
            v_low = xp.where(v_low < m, v_low, xp.inf)
        row_i = cache.rows([int(sample_of[i])])[0]
        row_i = row_i if n_vars == n_samples else row_i[sample_of_device]
        b = m - v
        a = diagonal_vars[i] + diagonal_vars - 2.0 * row_i
        a = xp.where(a > 0, a, TAU)
        gain = xp.where(xp.isfinite(v_low) & (b > 0), b * b / a, -xp.inf)
        chosen = np.concatenate([[i], _top(v_up, q // 2), _top(gain, q // 2)])
        B = np.unique(chosen)[:q]
        B_device = backend.to_device(B, backend.device_of(y))
        distinct, position = np.unique(sample_of[B], return_inverse=True)
        block = backend.asnumpy(compute_block(distinct.tolist()))[np.ix_(position.ravel(), position.ravel())]
        alpha_B_old = backend.asnumpy(alpha[B_device])
        alpha_B = alpha_B_old.copy()
        v_B = backend.asnumpy(v[B_device])
        y_B, upper_B = y_host[B], upper_host[B]
        max_steps = int(min(budget - steps, STEPS_PER_VARIABLE * q))
        steps += solve_subproblem(block, y_B, alpha_B, v_B, upper_B, tol, max_steps)
        moved = np.flatnonzero(alpha_B != alpha_B_old)  # often a fraction of B: only their rows are needed
        if moved.size == 0:  # steps too small to change any α in floating point: as close as it gets
            break
        C_device = backend.to_device(B[moved], backend.device_of(y))
        alpha[C_device] = backend.to_device(alpha_B[moved], backend.device_of(y))
        delta = backend.to_device((alpha_B - alpha_B_old)[moved], backend.device_of(y))
        rows = _rows_of(cache, sample_of[B[moved]])  # (|moved|, n_samples)
        change = rows.T @ (y[C_device] * delta)  # Σ_b K[:, s(b)] y_b Δα_b over samples
        G += y * (change if n_vars == n_samples else change[sample_of_device])
    if not converged:
        warnings.warn(
            f"The SMO solver stopped after {steps} steps (max_iter={max_iter}) before reaching tol={tol}. "
            "Raise max_iter, standardise the features (StandardScaler), raise tol, or lower C.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return SMOResult(alpha, _rho(y, alpha, G, upper), steps, converged, cache.computed)


def _rows_of(cache, samples):
    """Kernel rows for ``samples`` (host ints, possibly repeated: SVR's two variables share a sample)."""
    distinct, position = np.unique(samples, return_inverse=True)
    if len(distinct) == len(samples):
        return cache.rows(samples.tolist())
    rows = cache.rows(distinct.tolist())
    return rows[backend.to_device(position.reshape(-1), backend.device_of(rows))]


def _rho(y, alpha, G, upper):
    """ρ with f(x) = Σ αᵢyᵢK(xᵢ, x) - ρ: the mean of yᵢGᵢ over free αᵢ (0 < αᵢ < Cᵢ), as libsvm computes it.

    With no free α, ρ is the midpoint of the interval the bounded ones allow.
    """
    xp = backend.namespace(y, alpha, G)
    yG = y * G
    at_upper = alpha >= upper
    at_lower = (alpha <= 0) & ~at_upper  # a variable with bound 0 counts as at its upper bound, as in libsvm
    free = ~at_upper & ~at_lower
    n_free = backend.to_scalar(free.sum())
    if n_free > 0:
        return backend.to_scalar(xp.where(free, yG, 0.0).sum()) / n_free
    upper_side = (at_upper & (y < 0)) | (at_lower & (y > 0))
    ub = backend.to_scalar(xp.where(upper_side, yG, xp.inf).min())
    lb = backend.to_scalar(xp.where(~upper_side, yG, -xp.inf).max())
    return (ub + lb) / 2
