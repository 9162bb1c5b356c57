"""Data sets to learn on: random toy problems (:mod:`~minml.datasets.synthetic`) and real data
shipped with the package (:mod:`~minml.datasets.bundled`). All return host NumPy arrays, as
scikit-learn's do."""

from minml.datasets.bundled import Bunch, load_digits
from minml.datasets.synthetic import make_blobs, make_circles, make_moons, make_spirals

__all__ = ["Bunch", "load_digits", "make_blobs", "make_circles", "make_moons", "make_spirals"]
