"""Polynomial features: letting a linear model fit curves and interactions.

A linear model is linear in its *features*, not in the raw inputs. Give it the
products of the inputs up to a degree d as extra columns and it fits polynomials:
with inputs (a, b) and degree 2 the features are

    1, a, b, a², a·b, b²

Each output column is a monomial x₀^p₀ · x₁^p₁ · … with p₀ + p₁ + … ≤ d; its exponents
are one row of ``powers_``. ``interaction_only`` keeps the products of distinct
inputs (a·b but not a²). The number of columns grows as C(n + d, d): scale the inputs
first (powers of large numbers overflow) and regularize the model that follows.
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np

from minml import backend
from minml.base import BaseEstimator, TransformerMixin
from minml.preprocessing._transformer import check_fit_input, check_transform_input, input_feature_names
from minml.validation import Interval

__all__ = ["PolynomialFeatures"]


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the input features up to ``degree`` (an int, or a (min_degree, max_degree) pair).

    Columns come in scikit-learn's order: the bias 1 (if ``include_bias``), then
    degree 1, then degree 2, … each in lexicographic order of the features
    used. Learned: ``powers_`` (n_output_features, n_features_in),
    ``n_output_features_``.
    """

    _parameter_constraints = {
        "degree": [Interval(numbers.Integral, 0, None, closed="left"), tuple],
        "interaction_only": ["boolean"],
        "include_bias": ["boolean"],
        "order": [str],
    }

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True, order="C"):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degrees(self) -> tuple[int, int]:
        if isinstance(self.degree, tuple):
            low, high = self.degree
            if not (isinstance(low, numbers.Integral) and isinstance(high, numbers.Integral) and 0 <= low <= high):
                raise ValueError(
                    "degree=(min_degree, max_degree) must be non-negative integers that fulfil "
                    f"min_degree <= max_degree, got {self.degree!r}."
                )
            return low, high
        return 0, self.degree

    def fit(self, X, y=None):
        """Work out the monomials (``powers_``) for X's number of features."""
        X = check_fit_input(self, X)
        low, high = self._degrees()
        combine = itertools.combinations if self.interaction_only else itertools.combinations_with_replacement
        n = X.shape[1]
        self._combinations = [()] if self.include_bias else []
        for degree in range(max(1, low), high + 1):
            self._combinations.extend(combine(range(n), degree))
        if not self._combinations:
            raise ValueError(
                f"degree={self.degree!r} with include_bias={self.include_bias} and interaction_only="
                f"{self.interaction_only} would result in an empty output array for {n} feature(s). Raise the "
                "degree or set include_bias=True."
            )
        powers = np.zeros((len(self._combinations), n), dtype=np.int64)
        for row, combination in enumerate(self._combinations):
            for feature in combination:
                powers[row, feature] += 1
        self.powers_ = backend.to_device(powers, backend.device_of(X))
        self.n_output_features_ = len(self._combinations)
        return self

    def transform(self, X):
        """The monomial columns: each product built as a lower-degree product times one more feature."""
        X = check_transform_input(self, X)
        xp = backend.namespace(X)
        columns: dict[tuple, object] = {(): xp.ones(X.shape[0], dtype=X.dtype)}
        for combination in self._combinations:
            if combination not in columns:
                prefix = combination[:-1]
                if prefix not in columns:  # a prefix below min_degree was not listed: build it first
                    for end in range(1, len(prefix) + 1):
                        columns.setdefault(prefix[:end], columns[prefix[: end - 1]] * X[:, prefix[end - 1]])
                columns[combination] = columns[prefix] * X[:, combination[-1]]
        return xp.stack([columns[combination] for combination in self._combinations], axis=1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Each monomial spelled out: "1", "x0", "x0^2", "x0 x1"."""
        names = input_feature_names(self, input_features)
        out = []
        for row in backend.asnumpy(self.powers_):
            terms = [name if power == 1 else f"{name}^{power}" for name, power in zip(names, row) if power]
            out.append(" ".join(terms) if terms else "1")
        return np.asarray(out, dtype=object)
