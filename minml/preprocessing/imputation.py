"""Filling in missing values: SimpleImputer.

Most models cannot multiply by "unknown". The simplest repair replaces each missing
entry of column j by one number learned from the observed entries of column j in
``fit`` (``statistics_``), and applies the same numbers to new data in ``transform``:

- "mean": the column mean (fine for symmetric data; outliers pull it);
- "median": the middle value (robust to outliers);
- "most_frequent": the mode, the commonest value (also works for strings; ties go to
  the smallest value);
- "constant": ``fill_value`` (0 for numbers, "missing_value" for strings by default).

The fact that a value was missing can itself predict the target (a blank income
field is not random): ``add_indicator=True`` appends one 0/1 column per feature that
had missing values in fit. Learn the statistics on the training set only: imputing
with a mean that includes the test set leaks it into the model.
"""

from __future__ import annotations

import collections
import numbers
import warnings

import numpy as np

from minml import backend
from minml.base import BaseEstimator, TransformerMixin
from minml.preprocessing._transformer import check_table, input_feature_names
from minml.preprocessing.quantiles import nan_quantile
from minml.validation import Options, check_is_fitted

__all__ = ["SimpleImputer"]


def _is_nan(value) -> bool:
    return isinstance(value, numbers.Real) and value != value


def _missing_mask(X, missing_values):
    """True where X holds ``missing_values`` (NaN matches NaN, which == cannot)."""
    if _is_nan(missing_values):
        return X != X
    if X.dtype.kind in "biuf" and not isinstance(missing_values, numbers.Number):
        return backend.namespace(X).zeros(X.shape, dtype=bool)
    return X == missing_values


def _most_frequent(values, *, numeric: bool):
    """The commonest of ``values`` (a 1-D array), the smallest among ties; NaN if there are none."""
    if values.shape[0] == 0:
        return np.nan
    if numeric:
        xp = backend.namespace(values)
        uniques, counts = xp.unique(values, return_counts=True)
        return uniques[xp.argmax(counts)]  # unique sorts, and argmax takes the first of equal counts
    counts = collections.Counter(values.tolist())
    top = max(counts.values())
    return min(value for value, count in counts.items() if count == top)


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace missing values column by column with a statistic learned in fit.

    ``missing_values`` (np.nan by default, or a number, a string, None) marks
    what is missing; ``strategy`` is "mean", "median", "most_frequent" or
    "constant" (with ``fill_value``). A column with no observed value in fit
    is dropped from the output (with a warning) unless ``keep_empty_features``,
    which fills it with 0 (or ``fill_value``). Numeric data stays on its device;
    strings (object arrays, "most_frequent" and "constant" only) on the host.
    Learned: ``statistics_``.
    """

    _allow_nan = True
    _parameter_constraints = {
        "missing_values": [numbers.Real, str, None],
        "strategy": [Options({"mean", "median", "most_frequent", "constant"})],
        "fill_value": [object],
        "copy": ["boolean"],
        "add_indicator": ["boolean"],
        "keep_empty_features": ["boolean"],
    }

    def __init__(self, *, missing_values=np.nan, strategy="mean", fill_value=None, copy=True, add_indicator=False,
                 keep_empty_features=False):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _check_table(self, X, *, reset: bool):
        X = check_table(self, X, reset=reset)
        if X.dtype.kind not in "biuf":
            X = backend.asnumpy(X).astype(object)
            if self.strategy in ("mean", "median"):
                try:
                    X = X.astype(np.float64)
                except (TypeError, ValueError):
                    raise ValueError(
                        f"Cannot use {self.strategy} strategy with non-numeric data: X holds strings or objects. "
                        "Use strategy='most_frequent' or strategy='constant' for categorical columns."
                    ) from None
        elif X.dtype.kind != "f":
            X = X.astype(np.float64)
        return X

    def fit(self, X, y=None):
        """Learn each column's replacement value from its observed entries."""
        self._validate_params()
        X = self._check_table(X, reset=True)
        numeric = X.dtype.kind == "f"
        if numeric and isinstance(self.fill_value, str) and self.strategy == "constant":
            raise ValueError(
                f"fill_value={self.fill_value!r} is invalid: a numeric X needs a numerical fill_value, or "
                "convert X to an object array first."
            )
        missing = _missing_mask(X, self.missing_values)
        self.statistics_ = self._statistics(X, missing, numeric)
        empty = backend.asnumpy(missing.all(axis=0))
        if self.keep_empty_features:
            if self.strategy != "constant":
                self.statistics_ = _where_columns(self.statistics_, empty, 0)
            empty = np.zeros_like(empty)
        elif empty.any():
            self.statistics_ = _where_columns(self.statistics_, empty, np.nan)
            warnings.warn(
                f"Skipping features without any observed values: {np.flatnonzero(empty).tolist()}. At least one "
                f"non-missing value is needed for imputation with strategy={self.strategy!r}.",
                UserWarning,
                stacklevel=2,
            )
        self._kept = np.flatnonzero(~empty)
        self._indicator_features = np.flatnonzero(backend.asnumpy(missing.any(axis=0)))
        return self

    def _statistics(self, X, missing, numeric: bool):
        if self.strategy == "constant":
            default = 0 if numeric else "missing_value"
            value = default if self.fill_value is None else self.fill_value
            if numeric:
                return backend.namespace(X).full(X.shape[1], value, dtype=X.dtype)
            return np.full(X.shape[1], value, dtype=object)
        if not numeric:
            return np.array([_most_frequent(X[~missing[:, j], j], numeric=False) for j in range(X.shape[1])],
                            dtype=object)
        xp = backend.namespace(X)
        values = xp.where(missing, xp.nan, X)
        if self.strategy == "median":
            return nan_quantile(values, 0.5)
        if self.strategy == "mean":
            with np.errstate(invalid="ignore", divide="ignore"):  # a column with no values: 0 / 0 = NaN
                return xp.where(missing, 0, X).sum(axis=0) / (~missing).sum(axis=0)
        modes = [_most_frequent(X[~missing[:, j], j], numeric=True) for j in range(X.shape[1])]
        return xp.stack([xp.full((), m, dtype=X.dtype) if isinstance(m, float) else m for m in modes])

    def transform(self, X):
        """X with each missing entry replaced by its column's statistic (plus the indicator columns)."""
        check_is_fitted(self)
        X = self._check_table(X, reset=False)
        if (X.dtype.kind == "f") != (self.statistics_.dtype.kind == "f"):
            raise ValueError("SimpleImputer was fitted on numeric data and is given non-numeric data, or the "
                             "other way round; transform data of the kind it was fitted on.")
        missing = _missing_mask(X, self.missing_values)
        if X.dtype.kind == "f":
            xp = backend.namespace(X)
            filled = xp.where(missing, self.statistics_.astype(X.dtype, copy=False), X)
        else:
            xp = np
            filled = np.where(missing, self.statistics_, X)
        kept = filled[:, backend.to_device(self._kept, backend.device_of(filled))]
        if not self.add_indicator:
            return kept
        indicator = missing[:, backend.to_device(self._indicator_features, backend.device_of(missing))]
        return xp.concatenate([kept, indicator.astype(kept.dtype)], axis=1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The kept input names, then ``missingindicator_{name}`` for each indicator column."""
        names = input_feature_names(self, input_features)
        out = list(names[self._kept])
        if self.add_indicator:
            out += [f"missingindicator_{name}" for name in names[self._indicator_features]]
        return np.asarray(out, dtype=object)


def _where_columns(statistics, columns, value):
    """``statistics`` with the entries at the host mask ``columns`` replaced by ``value``."""
    if not columns.any():
        return statistics
    mask = backend.to_device(columns, backend.device_of(statistics))
    if statistics.dtype.kind == "f":
        return backend.namespace(statistics).where(mask, value, statistics)
    return np.where(columns, value, statistics)
