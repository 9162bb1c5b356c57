"""Different preprocessing for different columns: the ColumnTransformer.

A real table mixes kinds of columns: ages and incomes to impute and scale, cities
and colours to one-hot encode. A ColumnTransformer sends each group of columns to
its own transformer and puts the outputs side by side::

    ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), [0, 1]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), [2]),
    ], remainder="drop")

Columns not named by any transformer are dropped, or passed through unchanged with
``remainder="passthrough"`` (or sent to a ``remainder`` transformer). Like every
step of a pipeline, each transformer is fitted on the training data only.

What X may be, and how columns are chosen:

- a 2-D array (NumPy or CuPy numbers, or a host object array for mixed tables):
  columns by integer index, list of indices, slice or boolean mask;
- a table with column names — a dict ``{name: 1-D column}``, a NumPy structured
  array, or a pandas DataFrame where pandas is installed: also by name or list of
  names;
- in either case, a callable ``columns(X)`` returning one of the above.

Numeric columns keep their device; a group that holds any string column becomes a
host object array. The output is numeric on the numeric blocks' device (host blocks,
such as one-hot codes of string columns, are moved there), or a host object array if
a block passes strings through.
"""

from __future__ import annotations

import numbers
import time

import numpy as np

from minml import backend
from minml.base import clone
from minml.datasets.bundled import Bunch
from minml.preprocessing._composition import _NamedEstimators, is_transformer, log_elapsed
from minml.preprocessing._transformer import input_feature_names
from minml.preprocessing.pipeline import _estimator_names
from minml.validation import as_array, check_array, check_is_fitted

__all__ = ["ColumnTransformer", "make_column_transformer"]

_STRINGS = ("drop", "passthrough")


class _Table:
    """X seen as columns: ``names`` (or None), ``n_rows``, ``n_columns``, and ``take(indices)`` → a 2-D array."""

    def __init__(self, X):
        self.array = None
        if isinstance(X, dict):
            self.names = [str(name) for name in X]
            self.columns = [as_array(column) for column in X.values()]
        elif isinstance(X, np.ndarray) and X.dtype.names is not None:
            self.names = list(X.dtype.names)
            self.columns = [X[name] for name in self.names]
        elif hasattr(X, "columns") and hasattr(X, "iloc"):  # a pandas DataFrame
            self.names = [str(name) for name in X.columns]
            self.columns = [X[name].to_numpy() for name in X.columns]
        else:
            self.names = None
            self.array = check_array(X, numeric=False, estimator=None)
            self.n_rows, self.n_columns = self.array.shape
            return
        if not self.columns:
            raise ValueError("X has no columns.")
        lengths = {column.shape[0] if column.ndim == 1 else -1 for column in self.columns}
        if len(lengths) != 1 or -1 in lengths:
            raise ValueError("Every column of a table must be a 1-D array of the same length; got lengths "
                             f"{[column.shape for column in self.columns]}.")
        self.n_rows, self.n_columns = lengths.pop(), len(self.columns)

    def take(self, indices: list[int]):
        """The chosen columns as one 2-D array: numbers stay on their device, anything else is a host object array."""
        if self.array is not None:
            return self.array[:, indices]
        chosen = [self.columns[i] for i in indices]
        if all(column.dtype.kind in "biuf" for column in chosen):
            return backend.namespace(*chosen).stack(chosen, axis=1)
        return np.stack([backend.asnumpy(column).astype(object) for column in chosen], axis=1)

    def resolve(self, spec, X) -> list[int]:
        """The column indices that ``spec`` (index, name, slice, mask, list or callable) selects."""
        if callable(spec):
            spec = spec(X)
        if isinstance(spec, (numbers.Integral, str)):
            return self.resolve([spec], X)
        if isinstance(spec, slice):
            if isinstance(spec.start, str) or isinstance(spec.stop, str):  # by name, both ends included
                start = 0 if spec.start is None else self._index_of(spec.start)
                stop = self.n_columns if spec.stop is None else self._index_of(spec.stop) + 1
                return list(range(start, stop))
            return list(range(self.n_columns))[spec]
        items = backend.asnumpy(as_array(spec)) if not isinstance(spec, (list, tuple)) else np.asarray(spec)
        if items.size == 0:
            return []
        if items.dtype.kind == "b":
            if items.shape != (self.n_columns,):
                raise ValueError(f"A boolean column mask must have one entry per column ({self.n_columns}); got "
                                 f"shape {items.shape}.")
            return np.flatnonzero(items).tolist()
        if items.dtype.kind in "iu":
            indices = items.tolist()
            bad = [i for i in indices if not -self.n_columns <= i < self.n_columns]
            if bad:
                raise ValueError(f"Column index {bad[0]} is out of range for X with {self.n_columns} columns.")
            return [i % self.n_columns for i in indices]
        if items.dtype.kind in "UO":
            return [self._index_of(name) for name in items.tolist()]
        raise ValueError(f"Columns must be given as ints, strings, a slice, a boolean mask or a callable; got {spec!r}")

    def _index_of(self, name) -> int:
        if self.names is None:
            raise ValueError(
                f"Column {name!r} was given by name, but X has no column names. Select columns by integer index, "
                "or pass X as a dict of named columns, a structured array or a DataFrame."
            )
        if name not in self.names:
            raise ValueError(f"A given column is not a column of the table: {name!r}. Columns are {self.names}.")
        return self.names.index(name)


def _hstack(blocks, n_rows: int):
    """Output blocks side by side (see the module docstring for where the result lives)."""
    if not blocks:
        return np.zeros((n_rows, 0))
    if any(block.dtype.kind not in "biuf" for block in blocks):
        return np.concatenate([backend.asnumpy(block).astype(object) for block in blocks], axis=1)
    devices = [backend.device_of(block) for block in blocks if backend.device_of(block) != backend.device("cpu")]
    target = devices[0] if devices else backend.device("cpu")
    moved = [backend.to_device(block, target) for block in blocks]
    return backend.namespace(*moved).concatenate(moved, axis=1)


class ColumnTransformer(_NamedEstimators):
    """Apply a transformer to each group of columns and join the outputs side by side.

    ``transformers`` is a list of ``(name, transformer, columns)``; a transformer
    may be "drop" or "passthrough". ``remainder`` ("drop", "passthrough" or a
    transformer) handles the columns no transformer names. ``transformer_weights``
    ({name: weight}) multiplies a transformer's output. ``verbose`` prints each fit's
    time. ``verbose_feature_names_out``
    prefixes output names with ``name__``. ``sparse_threshold`` and ``n_jobs`` are
    accepted for scikit-learn compatibility: the output is always dense and the work
    sequential. Learned: ``transformers_`` (fitted clones, with a ``"remainder"``
    entry when columns remain), ``named_transformers_``, ``output_indices_``,
    ``n_features_in_`` and, for named columns, ``feature_names_in_``.
    """

    _parts = "transformers"
    _parameter_constraints = {
        "transformers": [list],
        "remainder": [object],
        "sparse_threshold": [numbers.Real],
        "n_jobs": [numbers.Integral, None],
        "transformer_weights": [dict, None],
        "verbose": ["boolean"],
        "verbose_feature_names_out": ["boolean"],
    }

    def __init__(self, transformers, *, remainder="drop", sparse_threshold=0.3, n_jobs=None, transformer_weights=None,
                 verbose=False, verbose_feature_names_out=True):
        self.transformers = transformers
        self.remainder = remainder
        self.sparse_threshold = sparse_threshold
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    @classmethod
    def _contract_instances(cls):
        from minml.preprocessing.scaling import StandardScaler

        return [cls([("scale", StandardScaler(), [0])], remainder="passthrough")]

    @property
    def _allow_nan(self) -> bool:
        parts = [transformer for _, transformer, _ in self.transformers] + [self.remainder]
        return all(part in _STRINGS or getattr(part, "_allow_nan", False) for part in parts)

    def _validate_transformers(self) -> None:
        self._validate_params()
        if not all(isinstance(part, tuple) and len(part) == 3 for part in self.transformers):
            raise TypeError("transformers must be a list of (name, transformer, columns) tuples; got "
                            f"{self.transformers!r}")
        self._validate_names([name for name, _, _ in self.transformers])
        for name, transformer in [(name, t) for name, t, _ in self.transformers] + [("remainder", self.remainder)]:
            if transformer in _STRINGS:
                continue
            if not is_transformer(transformer):
                raise TypeError(
                    "All estimators should implement fit and transform, or can be 'drop' or 'passthrough' "
                    f"specifiers. {name!r}: {transformer!r} (type {type(transformer)}) doesn't."
                )

    def fit(self, X, y=None):
        """Fit each transformer on its columns; returns self."""
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        """Fit each transformer on its columns and return the joined outputs."""
        self._validate_transformers()
        table = _Table(X)
        self.n_features_in_ = table.n_columns
        if table.names is not None:
            self.feature_names_in_ = np.asarray(table.names, dtype=object)
        parts = [(name, transformer, columns, table.resolve(columns, X)) for name, transformer, columns in
                 self.transformers]
        used = {index for *_, indices in parts for index in indices}
        remaining = [index for index in range(table.n_columns) if index not in used]
        if remaining:
            parts.append(("remainder", self.remainder, remaining, remaining))
        fitted, blocks = [], []
        for position, (name, transformer, columns, indices) in enumerate(parts):
            if transformer in _STRINGS or not indices:
                fitted.append((name, transformer, columns))
                blocks.append(table.take(indices) if transformer == "passthrough" and indices else None)
                continue
            start = time.perf_counter()
            transformer = clone(transformer)
            fitted.append((name, transformer, columns))
            blocks.append(transformer.fit_transform(table.take(indices), y))
            if self.verbose:
                log_elapsed("ColumnTransformer", f"({position + 1} of {len(parts)}) Processing {name}", start)
        self.transformers_ = fitted
        self._indices = [indices for *_, indices in parts]
        return self._join(fitted, blocks, table.n_rows)

    def _join(self, parts, blocks, n_rows: int):
        """Weight the blocks, record where each one lands (``output_indices_``), and stack them."""
        weights = self.transformer_weights or {}
        self.output_indices_, kept, start = {}, [], 0
        for (name, _, _), block in zip(parts, blocks):
            if block is None:  # dropped, or no columns: an empty slice, as scikit-learn records it
                self.output_indices_[name] = slice(0, 0)
                continue
            if block.ndim != 2:
                raise ValueError(f"The output of the {name!r} transformer should be 2-D (a list or an array); "
                                 f"got an array of shape {block.shape}.")
            self.output_indices_[name] = slice(start, start + block.shape[1])
            start += block.shape[1]
            kept.append(block * weights[name] if name in weights else block)
        self.output_indices_.setdefault("remainder", slice(0, 0))
        return _hstack(kept, n_rows)

    @property
    def named_transformers_(self) -> Bunch:
        """The fitted transformers by name (``ct.named_transformers_.num``)."""
        check_is_fitted(self, "transformers_")
        return Bunch((name, transformer) for name, transformer, _ in self.transformers_)

    def transform(self, X):
        """Each fitted transformer applied to its columns, the outputs joined side by side."""
        check_is_fitted(self, "transformers_")
        table = _Table(X)
        if table.n_columns != self.n_features_in_:
            raise ValueError(f"X has {table.n_columns} features, but ColumnTransformer is expecting "
                             f"{self.n_features_in_} features as input.")
        known = getattr(self, "feature_names_in_", None)
        if known is not None and table.names is not None and table.names != list(known):
            raise ValueError(f"The feature names should match those that were passed during fit: {list(known)}; "
                             f"got {table.names}.")
        blocks = []
        for (_, transformer, _), indices in zip(self.transformers_, self._indices):
            if transformer == "drop" or not indices:
                blocks.append(None)
            elif transformer == "passthrough":
                blocks.append(table.take(indices))
            else:
                blocks.append(transformer.transform(table.take(indices)))
        return self._join(self.transformers_, blocks, table.n_rows)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output names: each transformer's names for its columns, prefixed ``name__`` when verbose."""
        check_is_fitted(self, "transformers_")
        names = input_feature_names(self, input_features)
        out = []
        for (name, transformer, _), indices in zip(self.transformers_, self._indices):
            if transformer == "drop" or not indices:
                continue
            inner = names[indices] if transformer == "passthrough" else transformer.get_feature_names_out(
                names[indices])
            out.extend(f"{name}__{feature}" if self.verbose_feature_names_out else str(feature) for feature in inner)
        if len(set(out)) != len(out):
            duplicates = sorted({feature for feature in out if out.count(feature) > 1})
            raise ValueError(f"Output feature names: {duplicates} are not unique. Please set "
                             "verbose_feature_names_out=True to add prefixes to feature names")
        return np.asarray(out, dtype=object)


def make_column_transformer(*transformers, remainder="drop", sparse_threshold=0.3, n_jobs=None, verbose=False,
                            verbose_feature_names_out=True) -> ColumnTransformer:
    """A ColumnTransformer from ``(transformer, columns)`` pairs, named after the transformers' classes."""
    names = _estimator_names([transformer for transformer, _ in transformers])
    return ColumnTransformer(
        [(name, transformer, columns) for name, (transformer, columns) in zip(names, transformers)],
        remainder=remainder,
        sparse_threshold=sparse_threshold,
        n_jobs=n_jobs,
        verbose=verbose,
        verbose_feature_names_out=verbose_feature_names_out,
    )
