"""Data sets to learn on: random problems whose truth is known (:mod:`~minml.datasets.synthetic`)
and real data shipped with the package (:mod:`~minml.datasets.bundled`).

- Generators: ``make_moons``, ``make_circles``, ``make_blobs``, ``make_spirals`` (shapes to
  classify), ``make_classification`` (clusters on hypercube corners with informative,
  redundant, repeated and noise features), ``make_regression`` (a linear target with
  ``coef=True`` to get the true coefficients), ``make_low_rank_matrix`` (correlated
  features) and ``make_friedman1`` (a non-linear target).
- Real data, offline, each with its source, licence and citation as ``DESCR``:
  ``load_iris``, ``load_wine``, ``load_breast_cancer`` (classification), ``load_diabetes``
  (regression) and ``load_digits`` (8×8 images).

All return host NumPy arrays, as scikit-learn's do, with scikit-learn's names and
parameters; move them to a device where the model is.
"""

from minml.datasets.bundled import Bunch, load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from minml.datasets.synthetic import (
    make_blobs,
    make_circles,
    make_classification,
    make_friedman1,
    make_low_rank_matrix,
    make_moons,
    make_regression,
    make_spirals,
)

__all__ = [
    "Bunch",
    "load_iris",
    "load_wine",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_spirals",
    "make_classification",
    "make_regression",
    "make_low_rank_matrix",
    "make_friedman1",
]
