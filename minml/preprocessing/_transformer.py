"""What minml's transformers share: checking X in fit and transform, and naming output features.

Every transformer starts ``fit`` with :func:`check_fit_input` (parameters, X as a
2-D float array on its device, NaN allowed where the class sets ``_allow_nan``,
``n_features_in_`` recorded) and ``transform`` with :func:`check_transform_input`
(fitted, same number of columns). Output features are named as scikit-learn
names them: a one-to-one transformer keeps its input names, which are
``feature_names_in_`` when fit saw named columns and ``x0, x1, …`` otherwise.
"""

from __future__ import annotations

import numpy as np

from minml.validation import check_array, check_is_fitted, check_n_features

__all__ = ["OneToOneFeatureMixin", "check_fit_input", "check_table", "check_transform_input", "input_feature_names"]


def check_fit_input(estimator, X):
    """Validate the parameters and X at the start of ``fit``; record ``n_features_in_``; return X."""
    estimator._validate_params()
    X = check_array(X, estimator=estimator, allow_nan=getattr(estimator, "_allow_nan", False))
    check_n_features(estimator, X, reset=True)
    return X


def check_transform_input(estimator, X):
    """Check that ``estimator`` is fitted and X has the columns it was fitted on; return X."""
    check_is_fitted(estimator)
    X = check_array(X, estimator=estimator, allow_nan=getattr(estimator, "_allow_nan", False))
    check_n_features(estimator, X, reset=False)
    return X


def check_table(estimator, X, *, reset: bool):
    """X for transformers that take categories as well as numbers (encoders, imputers).

    A 2-D array kept in its own dtype: numbers stay numbers (NaN allowed, infinity
    refused) on their device; strings and mixed objects stay as they are.
    """
    X = check_array(X, estimator=estimator, numeric=False)
    if X.dtype.kind in "cf":
        check_array(X, estimator=estimator, allow_nan=True)  # complex data and infinity are refused
    check_n_features(estimator, X, reset=reset)
    return X


def input_feature_names(estimator, input_features=None) -> np.ndarray:
    """The names of the fitted estimator's input columns, as an object array.

    ``input_features`` if given (it must have one name per column, and match
    ``feature_names_in_`` when fit saw names); else ``feature_names_in_``; else
    ``x0, x1, …``.
    """
    check_is_fitted(estimator, "n_features_in_")
    known = getattr(estimator, "feature_names_in_", None)
    if input_features is None:
        if known is not None:
            return np.asarray(known, dtype=object)
        return np.asarray([f"x{i}" for i in range(estimator.n_features_in_)], dtype=object)
    names = np.asarray(input_features, dtype=object)
    if names.ndim != 1 or names.shape[0] != estimator.n_features_in_:
        raise ValueError(
            f"input_features should have length equal to number of features ({estimator.n_features_in_}), "
            f"got {names.shape[0] if names.ndim else 0}"
        )
    if known is not None and not np.array_equal(names, np.asarray(known, dtype=object)):
        raise ValueError("input_features is not equal to feature_names_in_")
    return names


class OneToOneFeatureMixin:
    """For transformers whose output column j is a function of input column j alone: names pass through."""

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The output feature names: the input feature names, unchanged."""
        return input_feature_names(self, input_features)
