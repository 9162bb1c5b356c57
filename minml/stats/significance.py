"""What every hypothesis test shares: a statistic, its null distribution, and the p-value.

A test asks whether the data are surprising under a *null hypothesis* H₀ ("the two groups
have one mean", "the coin is fair"). It condenses the data into one number, the test
statistic T, whose distribution we know when H₀ is true (the null distribution: Student's t,
the standard normal, chi-square, or one built by permuting the data). The p-value is the
probability, under H₀, of a statistic at least as extreme as the one observed:

    alternative="greater":    p = P(T ≥ t)                  (survival function, ``sf``)
    alternative="less":       p = P(T ≤ t)                  (``cdf``)
    alternative="two-sided":  p = 2 · min(P(T ≤ t), P(T ≥ t))   (= 2 · P(T ≥ |t|) when T is symmetric)

A small p says "data this extreme would be rare if H₀ held"; it is *not* the probability
that H₀ is true, and a large p is not evidence for H₀ (the test may simply lack power).
Run many tests and some p-values will be small by chance: see
:mod:`~minml.stats.multiple_testing`.

This module holds the helpers the test modules share: reading samples onto a device,
checking the ``alternative``, and turning a statistic into a p-value. Results are Python
floats for one test, or arrays on the data's device for a batch of tests (``axis``).
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend

__all__ = ["ALTERNATIVES", "check_alternative", "as_sample", "as_counts", "pvalue_from", "finish"]

ALTERNATIVES = ("two-sided", "less", "greater")


def check_alternative(alternative) -> str:
    """``alternative`` in lower case if it is one of :data:`ALTERNATIVES`, else a ValueError listing them."""
    if isinstance(alternative, str) and alternative.lower() in ALTERNATIVES:
        return alternative.lower()
    raise ValueError(f"alternative must be one of {', '.join(repr(a) for a in ALTERNATIVES)}; got {alternative!r}")


def _float_array(x, name: str):
    """``x`` as a floating-point array: lists and numbers go to the default device, integers become float64."""
    if isinstance(x, (list, tuple, numbers.Number)):
        x = backend.to_device(np.asarray(x, dtype=np.float64), backend.default_device())
    try:
        backend.device_of(x)
    except TypeError:
        raise TypeError(f"{name} must be an array, a list or a number; got {type(x).__name__}") from None
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def as_sample(x, name: str, axis: int | None = 0, minimum: int = 1):
    """A sample as a float array with its observations along the last axis.

    ``axis`` says where the observations are (None: all values form one sample). Raises a
    ValueError naming ``name`` when there are fewer than ``minimum`` observations.
    """
    x = _float_array(x, name)
    xp = backend.namespace(x)
    if axis is None or x.ndim == 0:
        x = x.reshape(-1)
    else:
        if not -x.ndim <= axis < x.ndim:
            raise ValueError(f"axis {axis} is out of bounds for {name}, which has {x.ndim} dimension(s)")
        x = xp.moveaxis(x, axis, -1)
    if x.shape[-1] < minimum:
        what = "is empty" if x.shape[-1] == 0 else f"has {x.shape[-1]} observation(s)"
        raise ValueError(f"{name} {what}; the test needs at least {minimum} observation(s) along the axis")
    return x


def as_counts(x, name: str):
    """Frequencies as a float array, checked to be finite and non-negative."""
    x = _float_array(x, name)
    if x.size == 0:
        raise ValueError(f"{name} is empty; the test needs at least one count")
    xp = backend.namespace(x)
    if not backend.to_scalar(xp.isfinite(x).all()):
        raise ValueError(f"{name} must be finite; it holds NaN or infinity")
    if not backend.to_scalar((x >= 0).all()):
        raise ValueError(f"{name} must be non-negative counts; got a negative value {backend.to_scalar(x.min()):g}")
    return x


def pvalue_from(distribution, statistic, alternative: str):
    """The p-value of ``statistic`` under a null ``distribution`` symmetric about 0 (Student's t, the normal).

    "less": cdf(t); "greater": sf(t); "two-sided": 2 · sf(|t|), which is 2 · min(cdf(t), sf(t))
    by symmetry and keeps full precision far in the tail. Clipped to [0, 1].
    """
    xp = backend.namespace(statistic)
    if alternative == "less":
        p = distribution.cdf(statistic)
    elif alternative == "greater":
        p = distribution.sf(statistic)
    else:
        p = 2 * distribution.sf(xp.abs(statistic))
    return xp.clip(p, 0.0, 1.0)


def finish(value):
    """A 0-d array as a Python float (one test); a batch of results stays an array on its device."""
    if isinstance(value, (int, float)):
        return float(value)
    return float(backend.to_scalar(value)) if value.ndim == 0 else value
