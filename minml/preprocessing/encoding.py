"""Turning categories into numbers a model can multiply: one-hot and ordinal encoding.

Class ``k`` of ``K`` becomes the k-th standard basis vector of length K, so no class
is "bigger" than another. Softmax regression, cross-entropy targets and
scikit-learn's ``OneHotEncoder`` all use this table.

A column of a data table works the same way once its categories are known:
:class:`OneHotEncoder` learns each column's sorted distinct values in ``fit``
(``categories_``) and gives every value its own 0/1 column in ``transform``;
:class:`OrdinalEncoder` gives each value its index 0, 1, …, K − 1 instead (compact,
but it invents an order, so it suits trees better than linear models). A value
never seen in fit is an *unknown category*: an error by default, or, with
``handle_unknown="ignore"``, a row of zeros (no known category is switched on).
A missing value (NaN, or None in an object column) is a category of its own.

String columns live on the host (object arrays); numeric columns may live on a
device, and their codes are computed there.
"""

from __future__ import annotations

import numbers

import numpy as np

from minml import backend
from minml.base import BaseEstimator, TransformerMixin
from minml.preprocessing._transformer import check_table, input_feature_names
from minml.validation import Options, check_array, check_is_fitted

__all__ = ["OneHotEncoder", "OrdinalEncoder", "one_hot", "one_hot_with_unknown"]


# exercise 00.one_hot
def one_hot(labels, n_classes: int, dtype: str = "float64"):
    """One-hot encode integer class labels: row i is all 0 but a 1 in column ``labels[i]``.

        Y[i, k] = 1 if labels[i] == k else 0,    for k = 0, 1, ..., n_classes - 1

    ``labels`` holds integers in [0, n_classes) and may have any shape; the result has shape
    ``labels.shape + (n_classes,)`` and the given ``dtype``. No Python loops: compare the
    labels, given a new last axis (``labels[..., None]``), with ``xp.arange(n_classes)`` and
    let broadcasting build the table. Compute with ``xp = minml.backend.namespace(labels)``.
    Raise ``TypeError`` if the labels are not integers, and ``ValueError`` saying so if any
    label lies outside [0, n_classes) (as an index, -1 would silently mean the last class);
    ``minml.backend.to_scalar(mask.any())`` turns the device's answer into a Python bool.
    """
    xp = backend.namespace(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {labels.dtype}")
    if backend.to_scalar(((labels < 0) | (labels >= n_classes)).any()):
        low, high = backend.to_scalar(labels.min()), backend.to_scalar(labels.max())
        raise ValueError(
            f"labels must be in the range [0, n_classes) = [0, {n_classes}); got labels from {low} to {high}"
        )
    return (labels[..., None] == xp.arange(n_classes)).astype(dtype)
# end exercise


# exercise 07.one_hot_with_unknown
def one_hot_with_unknown(column, categories, handle_unknown: str = "error"):
    """One-hot encode one column of a table, given its known ``categories``.

    ``column`` has shape (n_samples,) and ``categories`` shape (n_categories,), distinct
    values of the same kind (numbers, or strings in object arrays). Return the float64
    table Y of shape (n_samples, n_categories) with

        Y[i, c] = 1 if column[i] == categories[c] else 0

    built without Python loops: compare ``column[:, None]`` with ``categories[None, :]``.
    A missing value is a category too, but NaN == NaN is False: NaN is the one value not
    equal to itself, so also count column[i] and categories[c] as equal where both
    ``x != x``. A row that matches no category holds an *unknown* value. With
    ``handle_unknown="ignore"`` leave it all zeros; with ``"error"`` raise ValueError
    "Found unknown categories [...] during transform" listing the distinct unknown values
    (``minml.backend.asnumpy`` brings them to the host to print) and suggesting
    handle_unknown='ignore'; ``minml.backend.to_scalar(mask.all())`` turns the device's
    answer into a Python bool. Comparisons, ``.any`` and ``.astype`` work the same on
    every device, so no ``xp`` function is needed.
    """
    both_missing = (column != column)[:, None] & (categories != categories)[None, :]
    same = (column[:, None] == categories[None, :]) | both_missing
    if handle_unknown == "error":
        known = same.any(axis=1)
        if not backend.to_scalar(known.all()):
            unknown = list(dict.fromkeys(backend.asnumpy(column[~known]).tolist()))
            raise ValueError(
                f"Found unknown categories {unknown} during transform. Set handle_unknown='ignore' to encode "
                "them as all-zero rows, or include them in the categories."
            )
    return same.astype(np.float64)
# end exercise


def _is_nan(value) -> bool:
    """NaN, the value not equal to itself (None is not NaN)."""
    return value is not None and value != value


def _is_missing(value) -> bool:
    """None or NaN: a host value that marks a missing entry."""
    return value is None or _is_nan(value)


def _column_categories(column):
    """The sorted distinct values of one column; missing values (None, then NaN) last, as scikit-learn orders them."""
    if column.dtype.kind in "biuf":
        xp = backend.namespace(column)
        present = column[column == column]
        values = xp.unique(present)
        if present.shape[0] < column.shape[0]:
            values = xp.concatenate([values, xp.full(1, xp.nan, dtype=values.dtype)])
        return values
    values = column.tolist()
    kept = sorted({value for value in values if not _is_missing(value)})
    missing = [None] * any(value is None for value in values) + [np.nan] * any(_is_nan(value) for value in values)
    categories = np.empty(len(kept) + len(missing), dtype=object)
    categories[:] = kept + missing
    return categories


def _table_columns(X):
    """The columns of a 2-D table: numeric columns stay on X's device, others become host object arrays."""
    if X.dtype.kind in "biuf":
        return [X[:, j] for j in range(X.shape[1])]
    host = backend.asnumpy(X).astype(object)
    return [host[:, j] for j in range(host.shape[1])]


class _BaseEncoder(TransformerMixin, BaseEstimator):
    """What both encoders share: learning ``categories_`` per column, and checking tables in and out."""

    _allow_nan = True  # a missing value is a category of its own
    _contract_input = "categorical"  # test with a few repeated values per column, as categories are

    def _fit_categories(self, X):
        self._validate_params()
        X = check_table(self, X, reset=True)
        columns = _table_columns(X)
        if isinstance(self.categories, str):
            self.categories_ = [_column_categories(column) for column in columns]
            return columns
        if len(self.categories) != len(columns):
            raise ValueError(
                f"Shape mismatch: if categories is an array, it has to be of shape (n_features,); got "
                f"{len(self.categories)} lists of categories for {len(columns)} features."
            )
        self.categories_ = []
        for j, (column, given) in enumerate(zip(columns, self.categories)):
            values = np.asarray(given, dtype=None if column.dtype.kind in "biuf" else object)
            if column.dtype.kind in "biuf":
                values = backend.to_device(values.astype(column.dtype), backend.device_of(column))
            self.categories_.append(values)
            if self.handle_unknown == "error":
                self._encode_column(j, column, handle_unknown="error", when="fit")
        return columns

    def _encode_column(self, j: int, column, *, handle_unknown: str, when: str = "transform"):
        """The one-hot table of column j against ``categories_[j]``; errors name the column."""
        categories = self.categories_[j]
        if column.dtype.kind not in "biuf" or categories.dtype.kind not in "biuf":
            column, categories = backend.asnumpy(column).astype(object), backend.asnumpy(categories).astype(object)
        try:
            return one_hot_with_unknown(column, categories, handle_unknown)
        except ValueError as error:
            where = f"in column {self._column_name(j)} during {when}"
            raise ValueError(str(error).replace("during transform", where)) from None

    def _column_name(self, j: int) -> str:
        names = getattr(self, "feature_names_in_", None)
        return repr(names[j]) if names is not None else str(j)

    def _transform_columns(self, X):
        check_is_fitted(self)
        return _table_columns(check_table(self, X, reset=False))


class OneHotEncoder(_BaseEncoder):
    """Encode each categorical column as one 0/1 column per category (dense output only).

    ``categories`` "auto" (learned: the sorted distinct values) or one list per
    column. ``drop``: None (keep all), "first" (drop each column's first
    category: K − 1 columns suffice and remove the collinearity with an
    intercept) or "if_binary" (only for two-category columns).
    ``handle_unknown``: "error" or "ignore" (unknown values become all zeros).
    ``sparse_output`` must be False: minml has no sparse matrices (scikit-learn's
    default is True). ``dtype`` of the output, float64 by default. Learned:
    ``categories_``, ``drop_idx_``.
    """

    _parameter_constraints = {
        "categories": [Options({"auto"}), list],
        "drop": [None, Options({"first", "if_binary"})],
        "sparse_output": ["boolean"],
        "dtype": [type, str],
        "handle_unknown": [Options({"error", "ignore"})],
    }

    def __init__(self, *, categories="auto", drop=None, sparse_output=False, dtype=np.float64,
                 handle_unknown="error"):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown

    def fit(self, X, y=None):
        """Learn each column's categories (and which one to drop)."""
        if self.sparse_output is True:
            raise ValueError(
                "sparse_output=True is not supported: minml has no sparse matrices. Use "
                "OneHotEncoder(sparse_output=False) for a dense array."
            )
        self._fit_categories(X)
        sizes = [categories.shape[0] for categories in self.categories_]
        if self.drop is None:
            self.drop_idx_ = None
        else:
            dropped = [0 if self.drop == "first" or size == 2 else None for size in sizes]
            self.drop_idx_ = np.array(dropped, dtype=object)
        return self

    def _kept(self, j: int) -> list[int]:
        """The category indices of column j that get an output column."""
        size = self.categories_[j].shape[0]
        dropped = None if self.drop_idx_ is None else self.drop_idx_[j]
        return [c for c in range(size) if c != dropped]

    def transform(self, X):
        """The one-hot table: for each column, one 0/1 column per kept category."""
        columns = self._transform_columns(X)
        blocks = []
        for j, column in enumerate(columns):
            table = self._encode_column(j, column, handle_unknown=self.handle_unknown)
            dropped = None if self.drop_idx_ is None else self.drop_idx_[j]
            blocks.append(table if dropped is None else table[:, 1:])  # only the first category is ever dropped
        xp = backend.namespace(*blocks)
        return xp.concatenate(blocks, axis=1).astype(self.dtype)

    def inverse_transform(self, X):
        """The categories back from a one-hot table; an all-zero block gives the dropped category, or None."""
        check_is_fitted(self)
        table = backend.asnumpy(check_array(X, estimator=self, ensure_min_features=0))
        widths = [len(self._kept(j)) for j in range(len(self.categories_))]
        if table.shape[1] != sum(widths):
            raise ValueError(f"Shape of the passed X data is not correct. Expected {sum(widths)} columns, got "
                             f"{table.shape[1]}.")
        columns, start = [], 0
        for j, width in enumerate(widths):
            categories = backend.asnumpy(self.categories_[j]).astype(object)
            block = table[:, start:start + width]
            start += width
            kept = np.array(self._kept(j), dtype=np.int64)
            values = categories[kept[block.argmax(axis=1)]] if width else np.full(table.shape[0], None)
            empty = block.sum(axis=1) == 0
            dropped = None if self.drop_idx_ is None else self.drop_idx_[j]
            values[empty] = None if dropped is None else categories[dropped]
            columns.append(values)
        return _stack_decoded(columns, self.categories_)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``{feature}_{category}`` for every output column, e.g. ``color_red``."""
        names = input_feature_names(self, input_features)
        out = []
        for j, name in enumerate(names):
            categories = backend.asnumpy(self.categories_[j]).tolist()
            out.extend(f"{name}_{categories[c]}" for c in self._kept(j))
        return np.asarray(out, dtype=object)


def _stack_decoded(columns, categories):
    """Decoded host columns side by side: numbers on the categories' device if all are numbers, else objects."""
    table = np.stack(columns, axis=1)
    if all(c.dtype.kind in "biuf" for c in categories) and not any(v is None for v in table.ravel()):
        return backend.to_device(table.astype(np.result_type(*[c.dtype for c in categories])),
                                 backend.device_of(categories[0]))
    return table


class OrdinalEncoder(_BaseEncoder):
    """Encode each categorical column as the integer index of its category: 0, 1, …, K − 1 (as floats).

    ``handle_unknown``: "error", or "use_encoded_value" with ``unknown_value``
    (an int outside 0..K − 1, or np.nan) for values unseen in fit. Missing
    values (NaN, None) become ``encoded_missing_value`` (NaN by default).
    Learned: ``categories_``.
    """

    _parameter_constraints = {
        "categories": [Options({"auto"}), list],
        "dtype": [type, str],
        "handle_unknown": [Options({"error", "use_encoded_value"})],
        "unknown_value": [numbers.Integral, numbers.Real, None],
        "encoded_missing_value": [numbers.Integral, numbers.Real],
    }

    def __init__(self, *, categories="auto", dtype=np.float64, handle_unknown="error", unknown_value=None,
                 encoded_missing_value=np.nan):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value

    def fit(self, X, y=None):
        """Learn each column's categories."""
        encoded = self.handle_unknown == "use_encoded_value"
        valid_unknown = isinstance(self.unknown_value, numbers.Integral) or (
            isinstance(self.unknown_value, numbers.Real) and self.unknown_value != self.unknown_value
        )
        if encoded and not valid_unknown:
            raise TypeError(
                "unknown_value should be an integer or np.nan when handle_unknown is 'use_encoded_value', "
                f"got {self.unknown_value!r}."
            )
        if not encoded and self.unknown_value is not None:
            raise TypeError(
                "unknown_value should only be set when handle_unknown is 'use_encoded_value', got "
                f"{self.unknown_value!r}."
            )
        self._fit_categories(X)
        if encoded and isinstance(self.unknown_value, numbers.Integral):
            if any(0 <= self.unknown_value < c.shape[0] for c in self.categories_):
                raise ValueError(
                    f"The used value for unknown_value {self.unknown_value} is one of the values already used "
                    "for encoding the seen categories: pick a value outside 0..K-1, such as -1 or np.nan."
                )
        return self

    def transform(self, X):
        """Each value's category index; unknown values ``unknown_value``, missing values ``encoded_missing_value``."""
        columns = self._transform_columns(X)
        handle = "ignore" if self.handle_unknown == "use_encoded_value" else "error"
        codes = []
        for j, column in enumerate(columns):
            table = self._encode_column(j, column, handle_unknown=handle)
            xp = backend.namespace(table)
            code = table.argmax(axis=1).astype(np.float64)
            if handle == "ignore":
                code = xp.where(table.any(axis=1), code, np.nan if self.unknown_value is None else self.unknown_value)
            categories = self.categories_[j]
            if categories.shape[0] and _is_nan(_last(categories)):  # NaN is missing; None is a category
                code = xp.where(table[:, -1] == 1, self.encoded_missing_value, code)
            codes.append(code)
        xp = backend.namespace(*codes)
        return xp.stack(codes, axis=1).astype(self.dtype)

    def inverse_transform(self, X):
        """The categories back from their codes; unknown codes give None, missing codes NaN (None for objects)."""
        check_is_fitted(self)
        codes = backend.asnumpy(check_array(X, estimator=self, allow_nan=True))
        if codes.shape[1] != len(self.categories_):
            raise ValueError(f"Shape of the passed X data is not correct. Expected {len(self.categories_)} columns, "
                             f"got {codes.shape[1]}.")
        columns = []
        for j, categories in enumerate(self.categories_):
            categories = backend.asnumpy(categories).astype(object)
            code = codes[:, j]
            valid = (code == code) & (code >= 0) & (code < categories.shape[0]) & (code == np.round(code))
            values = np.full(code.shape[0], None, dtype=object)
            values[valid] = categories[code[valid].astype(np.int64)]
            if categories.shape[0] and _is_nan(categories[-1]):
                missing = self.encoded_missing_value
                values[(code != code) if _is_missing(missing) else (code == missing)] = categories[-1]
            columns.append(values)
        return _stack_decoded(columns, self.categories_)


def _last(categories):
    """The last category as a host value (where a missing-value category sits)."""
    return backend.asnumpy(categories[-1:]).tolist()[0]
