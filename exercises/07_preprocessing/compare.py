"""`minml compare 07`: your preprocessing functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs on the default device (MINML_DEVICE): a table of
100,000 rows with about 5 % of its values missing. The peers work on the host, so when minml runs
on a GPU their times include copying the inputs there:

* the NaN-aware statistics against NumPy's ``nanmean`` / ``nanvar`` and scikit-learn's
  ``StandardScaler`` (its ``mean_``, ``var_`` and ``scale_``);
* one-hot encoding of 100,000 codes against 40 known categories (some values unknown, so
  their rows are all zeros) against broadcasting in NumPy and scikit-learn's ``OneHotEncoder``
  with ``handle_unknown="ignore"``;
* Tukey's fences against NumPy's ``nanquantile`` and PyTorch's ``nanquantile``.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("sklearn.preprocessing", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


def table_with_gaps():
    """100,000 × 20 measurements of different scales and offsets, 5 % of them missing, one column constant."""
    rng = np.random.default_rng(0)
    X = rng.normal(50.0, 10.0, (100_000, 20)) * np.geomspace(0.01, 100.0, 20)
    X[:, 7] = 3.0
    X[rng.random(X.shape) < 0.05] = np.nan
    return (backend.to_device(X),)


def numpy_nan_stats(X):
    X = backend.asnumpy(X)
    mean, var = np.nanmean(X, axis=0), np.nanvar(X, axis=0)
    return mean, var, np.where(np.nanmax(X, axis=0) == np.nanmin(X, axis=0), 1.0, np.sqrt(var))


def sklearn_standard_scaler(X):
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(backend.asnumpy(X))
    return scaler.mean_, scaler.var_, scaler.scale_


def codes_and_categories():
    """100,000 codes from 0 to 49 against the known categories 0..39: a fifth of the rows are unknown."""
    rng = np.random.default_rng(1)
    column = rng.integers(0, 50, size=100_000).astype(np.float64)
    return backend.to_device(column), backend.to_device(np.arange(40.0)), "ignore"


def numpy_broadcast(column, categories, handle_unknown):
    return (backend.asnumpy(column)[:, None] == backend.asnumpy(categories)[None, :]).astype(np.float64)


def sklearn_one_hot_encoder(column, categories, handle_unknown):
    from sklearn.preprocessing import OneHotEncoder

    encoder = OneHotEncoder(categories=[backend.asnumpy(categories)], handle_unknown=handle_unknown,
                            sparse_output=False)
    return encoder.fit_transform(backend.asnumpy(column)[:, None])


def table_and_factor():
    return table_with_gaps() + (1.5,)


def numpy_fences(X, factor):
    q1, q3 = np.nanquantile(backend.asnumpy(X), [0.25, 0.75], axis=0)
    return q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)


def torch_fences(X, factor):
    import torch

    q1, q3 = torch.nanquantile(torch.from_numpy(backend.asnumpy(X)), torch.tensor([0.25, 0.75], dtype=torch.float64),
                               dim=0)
    return (q1 - factor * (q3 - q1)).numpy(), (q3 + factor * (q3 - q1)).numpy()


CASES = [
    Case(exercise="07.nan_standardize_stats", make_inputs=table_with_gaps,
         peers={"numpy": numpy_nan_stats, "sklearn": sklearn_standard_scaler}, agreement="max_abs_diff"),
    Case(exercise="07.one_hot_with_unknown", make_inputs=codes_and_categories,
         peers={"numpy": numpy_broadcast, "sklearn": sklearn_one_hot_encoder}, agreement="equal"),
    Case(exercise="07.iqr_bounds", make_inputs=table_and_factor,
         peers={"numpy": numpy_fences, "torch": torch_fences}, agreement="max_abs_diff"),
]
