"""Real data sets shipped inside the package (nothing downloads at run time).

The files live in ``minml/datasets/data/``, each with a ``*_LICENSE.md`` giving
its source, licence and citation; that text is also the loaded data set's
``DESCR``. Loaders return a :class:`Bunch` of host NumPy arrays, as
scikit-learn's ``load_*`` functions do, or ``(X, y)`` with ``return_X_y=True``.
"""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

__all__ = ["Bunch", "load_digits"]


class Bunch(dict):
    """A dict whose keys are also attributes: ``digits.data is digits["data"]``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"this Bunch has no {name!r}; it has {', '.join(self)}") from None

    def __dir__(self):
        return [*super().__dir__(), *self]


def _data_file(name: str):
    return resources.files("minml.datasets").joinpath("data", name)


def load_digits(*, return_X_y: bool = False):
    """The 1,797 handwritten digits (8×8 images, pixels 0..16) of the UCI optical recognition data set.

    Returns a :class:`Bunch` with ``data`` (1797, 64) float64 (each image row by
    row), ``target`` (1797,) int64 digits 0..9, ``images`` (1797, 8, 8) (a view of
    ``data``), ``feature_names`` (``"pixel_<row>_<col>"``), ``target_names``
    (0..9) and ``DESCR`` (source, licence CC BY 4.0, citation), or ``(data, target)``
    with ``return_X_y=True``. The same arrays as ``sklearn.datasets.load_digits()``.
    """
    with _data_file("digits.csv.gz").open("rb") as compressed, gzip.open(compressed, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    data, target = table[:, :-1], table[:, -1].astype(np.int64)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        images=data.reshape(-1, 8, 8),
        feature_names=[f"pixel_{row}_{col}" for row in range(8) for col in range(8)],
        target_names=np.arange(10),
        DESCR=_data_file("DIGITS_LICENSE.md").read_text(encoding="utf-8"),
    )
