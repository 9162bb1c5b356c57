"""The permutation test: a p-value for any statistic, with no distribution assumed.

If the null hypothesis says the labels do not matter, then relabelling the data gives
data that were just as likely. So shuffle the labels, recompute the statistic, and repeat:
the shuffled statistics form the null distribution, and the p-value is the share of them
at least as extreme as the observed one. What "relabelling" means depends on H₀
(``permutation_type``, as in SciPy):

* ``"independent"`` — H₀: all samples come from one distribution. Pool the observations
  and deal them back out into samples of the original sizes (n!/(n₁! n₂! …) ways).
  Two-sample tests of a difference in means, medians, …
* ``"samples"`` — H₀: within each pair (observation i of every sample) the sample
  labels are exchangeable. Swap the values of observation i among the samples ((k!)ⁿ
  ways); with one sample, flip each observation's sign (2ⁿ ways). Paired tests (before
  and after on the same subjects).
* ``"pairings"`` — H₀: the samples are unrelated. Shuffle each sample's order, breaking
  the pairing ((n!)ᵏ ways). Correlation tests.

When the number of distinct relabellings is at most ``n_resamples`` they are all
enumerated and the p-value is exact. Otherwise ``n_resamples`` random ones are drawn and,
since the observed labelling is itself one of the possibilities, counted in
(p = (1 + #{extreme}) / (1 + n_resamples)): a Monte-Carlo p-value is never 0, and a test
at level α rejects with probability at most α. Statistics within a relative 10⁻¹⁴ of the
observed one count as ties (rounding must not turn "equal" into "more extreme").

How it is computed. As in :mod:`minml.stats.bootstrap`, relabellings are integer index
arrays drawn with ``minml.backend.rng`` (the same draws as SciPy's from one seed: NumPy's
``Generator.permuted``), ``batch`` of them at a time, and the statistic is evaluated on the
whole batch at once along ``axis=-1``.
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass

import numpy as np

from minml import backend
from minml.stats.bootstrap import BATCH_ELEMENTS, evaluate_statistic
from minml.stats.significance import check_alternative
from minml.validation import Interval

__all__ = ["PermutationTestResult", "permutation_test", "PERMUTATION_TYPES"]

PERMUTATION_TYPES = ("independent", "samples", "pairings")
_TIE_TOLERANCE = 100 * np.finfo(np.float64).eps  # as SciPy: relative closeness that counts as equal


@dataclass
class PermutationTestResult:
    """The observed ``statistic`` and ``pvalue`` (Python floats), and the ``null_distribution``
    (the statistic of every relabelling, an array on the data's device)."""

    statistic: float
    pvalue: float
    null_distribution: object


def _check_samples(data, permutation_type: str):
    if hasattr(data, "shape") or not isinstance(data, (list, tuple)):
        raise TypeError(
            f"data must be a sequence of samples, e.g. (x, y); got {type(data).__name__}. "
            "Wrap a single sample in a tuple: permutation_test((x,), statistic, ...)."
        )
    samples = [s if hasattr(s, "shape") else np.asarray(s, dtype=np.float64) for s in data]
    if not samples:
        raise ValueError("data must hold at least one sample; got an empty sequence")
    if permutation_type == "independent" and len(samples) < 2:
        raise ValueError("permutation_type='independent' relabels observations between samples: it needs at least 2")
    for i, sample in enumerate(samples):
        if sample.ndim != 1:
            raise ValueError(f"sample {i} must be 1-D (one value per observation); got shape {tuple(sample.shape)}")
        if len(sample) == 0:
            raise ValueError(f"sample {i} is empty: the permutation test needs at least one observation")
    backend.namespace(*samples)  # one device, or a DeviceMismatchError naming both
    lengths = [len(s) for s in samples]
    if permutation_type != "independent" and len(set(lengths)) > 1:
        raise ValueError(
            f"permutation_type={permutation_type!r} keeps observation i of every sample together: the samples "
            f"must have one length; got {lengths}"
        )
    return samples


# --------------------------------------------------------------------------- relabellings as index arrays


def _count(permutation_type: str, lengths: list[int]) -> int:
    """How many distinct relabellings there are."""
    if permutation_type == "independent":  # multinomial n! / (n₁! n₂! …)
        total, count = 0, 1
        for n in lengths:
            total += n
            count *= math.comb(total, n)
        return count
    k, n = max(len(lengths), 2), lengths[0]  # "samples" with one sample: two "samples", x and −x
    return math.factorial(n) ** len(lengths) if permutation_type == "pairings" else math.factorial(k) ** n


def _all_relabellings(permutation_type: str, lengths: list[int]):
    """Every relabelling, as host index rows (the same layout as :func:`_random_relabellings`)."""
    if permutation_type == "independent":

        def partitions(remaining, sizes):
            if len(sizes) == 1:
                yield list(remaining)
                return
            for chosen in itertools.combinations(remaining, sizes[0]):
                rest = [i for i in remaining if i not in chosen]
                for tail in partitions(rest, sizes[1:]):
                    yield list(chosen) + tail

        return partitions(list(range(sum(lengths))), lengths)
    if permutation_type == "pairings":
        k, size = len(lengths), lengths[0]
    else:
        k, size = lengths[0], max(len(lengths), 2)
    return (list(rows) for rows in itertools.product(itertools.permutations(range(size)), repeat=k))


def _random_relabellings(permutation_type: str, lengths: list[int], rows: int, generator):
    """``rows`` random relabellings on the generator's device: each row a permutation, drawn as SciPy draws them."""
    if permutation_type == "independent":
        shape, size = (rows,), sum(lengths)
    elif permutation_type == "pairings":
        shape, size = (rows, len(lengths)), lengths[0]
    else:
        shape, size = (rows, lengths[0]), max(len(lengths), 2)
    return generator.permuted(np.broadcast_to(np.arange(size), (*shape, size)), axis=-1)


def _relabel(permutation_type: str, samples: list, indices):
    """The relabelled samples, each of shape (rows, observations), from a batch of index rows."""
    xp = backend.namespace(*samples)
    if permutation_type == "independent":  # indices (rows, N) into the pooled observations
        pooled = xp.concatenate(samples)[indices]
        edges = np.cumsum([0] + [len(s) for s in samples]).tolist()
        return [pooled[:, start:stop] for start, stop in zip(edges[:-1], edges[1:])]
    if permutation_type == "pairings":  # indices (rows, k, n): a reordering of each sample
        return [sample[indices[:, s, :]] for s, sample in enumerate(samples)]
    # "samples": indices (rows, n, k): for observation i, which sample each new sample takes its value from
    stacked = xp.stack(samples if len(samples) > 1 else [samples[0], -samples[0]], axis=1)  # (n, k)
    n = stacked.shape[0]
    swapped = stacked[xp.arange(n)[None, :, None], indices]  # (rows, n, k)
    return [swapped[:, :, s] for s in range(len(samples))]


# --------------------------------------------------------------------------- the test


def permutation_test(
    data,
    statistic,
    *,
    permutation_type: str = "independent",
    n_resamples: int = 9999,
    batch: int | None = None,
    alternative: str = "two-sided",
    random_state=None,
) -> PermutationTestResult:
    """A permutation test of ``statistic(*data)``, as ``scipy.stats.permutation_test``.

    ``data``: a sequence of 1-D samples on one device. ``statistic(*samples, axis=-1)`` must
    be vectorised as for :func:`~minml.stats.bootstrap_ci`: it receives arrays of shape
    (rows, observations) and returns shape (rows,). ``permutation_type``: "independent",
    "samples" or "pairings" (module docstring). ``alternative``: "greater" (large statistics
    are evidence against H₀), "less", or "two-sided" (twice the smaller one-sided p-value,
    at most 1). ``batch``: relabellings per call of the statistic (default: about
    ``BATCH_ELEMENTS`` values per batch). One seed gives SciPy's draws and null distribution.
    """
    if permutation_type not in PERMUTATION_TYPES:
        raise ValueError(
            f"permutation_type must be one of {', '.join(map(repr, PERMUTATION_TYPES))}; got {permutation_type!r}"
        )
    alternative = check_alternative(alternative)
    Interval(numbers.Integral, 1, None, closed="left").check("n_resamples", n_resamples)
    if batch is not None:
        Interval(numbers.Integral, 1, None, closed="left").check("batch", batch)
    samples = _check_samples(data, permutation_type)
    device = backend.device_of(samples[0])
    xp = backend.namespace(*samples)
    lengths = [len(s) for s in samples]
    batch = batch or max(1, BATCH_ELEMENTS // sum(lengths))
    total = _count(permutation_type, lengths)
    exact = n_resamples >= total
    n_resamples = total if exact else n_resamples

    with device:  # a GPU computes on the data's card, and arrays made here land there
        observed = evaluate_statistic(statistic, [s[None, :] for s in samples], 1)[0]
        generator = None if exact else backend.rng(random_state, device)
        relabellings = _all_relabellings(permutation_type, lengths) if exact else None
        null = []
        for start in range(0, n_resamples, batch):
            rows = min(batch, n_resamples - start)
            if exact:
                indices = backend.to_device(np.array(list(itertools.islice(relabellings, rows))), device)
            else:
                indices = _random_relabellings(permutation_type, lengths, rows, generator)
            null.append(evaluate_statistic(statistic, _relabel(permutation_type, samples, indices), rows))
        null = xp.concatenate(null)

        adjustment = 0 if exact else 1
        tolerance = xp.abs(_TIE_TOLERANCE * observed)
        p_less = ((null <= observed + tolerance).sum() + adjustment) / (n_resamples + adjustment)
        p_greater = ((null >= observed - tolerance).sum() + adjustment) / (n_resamples + adjustment)
        p = {"less": p_less, "greater": p_greater, "two-sided": 2 * xp.minimum(p_less, p_greater)}[alternative]
        p = xp.clip(p, 0.0, 1.0)
        observed_value, p_value = backend.asnumpy(xp.stack([observed, p]).astype(np.float64)).tolist()
    return PermutationTestResult(observed_value, p_value, null)
