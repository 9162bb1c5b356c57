"""Real data sets shipped inside the package (nothing downloads at run time).

Five small classics, each a table with one sample per row:

- ``load_iris``: 150 flowers, 4 measurements, 3 species of 50 (CC BY 4.0);
- ``load_wine``: 178 wines, 13 chemical measurements, 3 cultivars (CC BY 4.0);
- ``load_breast_cancer``: 569 tumours, 30 cell-nucleus features, malignant or benign (CC BY 4.0);
- ``load_diabetes``: 442 patients, 10 baseline variables, a float target (disease progression);
- ``load_digits``: 1,797 handwritten digits as 8×8 images, 64 pixel features (CC BY 4.0).

The files live in ``minml/datasets/data/`` as gzip-compressed CSV: one sample per
row, the features then the target in the last column, and (all but the digits)
a first line ``# name,name,...,target`` naming the columns. Beside each file a
``*_LICENSE.md`` gives its source, licence, citation and what the variables
mean; that text is also the loaded data set's ``DESCR``. Every file holds the
same numbers as scikit-learn's copy, so ``load_iris()`` here and in
``sklearn.datasets`` give equal arrays.

Loaders return a :class:`Bunch` of host NumPy arrays, as scikit-learn's
``load_*`` functions do (``data``, ``target``, ``feature_names``,
``target_names`` for classification, ``DESCR``), or ``(X, y)`` with
``return_X_y=True``.
"""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

__all__ = ["Bunch", "load_iris", "load_wine", "load_breast_cancer", "load_diabetes", "load_digits"]


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


def _read_table(name: str) -> tuple[np.ndarray, np.ndarray, list[str] | None]:
    """Read ``data/<name>.csv.gz``: features (float64), target (last column, float64), column names.

    The column names come from a first line ``# name,name,...`` where the file has one
    (``None`` where it has not); the target's own column name is dropped.
    """
    with _data_file(f"{name}.csv.gz").open("rb") as compressed, gzip.open(compressed, "rt") as text:
        lines = text.read().splitlines()
    names = lines[0].removeprefix("# ").split(",")[:-1] if lines[0].startswith("# ") else None
    table = np.loadtxt(lines, delimiter=",", dtype=np.float64, comments="#", ndmin=2)
    return table[:, :-1], table[:, -1], names


def _load(name: str, return_X_y: bool, *, classes=None, transform=None, **fields):
    """The one loader behind every ``load_*``: read the table, then return ``(X, y)`` or a Bunch.

    ``classes`` are the target names of a classification data set (its target becomes
    int64 labels 0, 1, ...; a regression target stays float64). ``transform`` maps the
    stored features to the returned ones (diabetes scales them); ``fields`` are extra
    Bunch entries, and ``feature_names`` among them overrides the file's header.
    """
    data, target, names = _read_table(name)
    if transform is not None:
        data = transform(data)
    if classes is not None:
        target = target.astype(np.int64)
        fields["target_names"] = np.array(classes)
    if return_X_y:
        return data, target
    fields.setdefault("feature_names", names)
    return Bunch(
        data=data,
        target=target,
        **fields,
        DESCR=_data_file(f"{name.upper()}_LICENSE.md").read_text(encoding="utf-8"),
    )


def load_iris(*, return_X_y: bool = False):
    """Fisher's iris flowers: 150 samples, 4 measurements in cm, 3 species of 50.

    Features: sepal length, sepal width, petal length, petal width (cm). Target
    0, 1, 2 = setosa, versicolor, virginica. Setosa is linearly separable from the
    other two; versicolor and virginica overlap a little. Returns a :class:`Bunch`
    (``data`` (150, 4) float64, ``target`` (150,) int64, ``feature_names``,
    ``target_names``, ``DESCR``) or ``(data, target)`` with ``return_X_y=True``;
    the same arrays as ``sklearn.datasets.load_iris()``.
    """
    return _load("iris", return_X_y, classes=["setosa", "versicolor", "virginica"])


def load_wine(*, return_X_y: bool = False):
    """Chemical analysis of 178 wines from one region of Italy, made from 3 cultivars.

    13 measurements per wine (alcohol, malic acid, ..., proline) on very different
    scales — a data set where standardising the features matters. Target 0, 1, 2
    (59, 71 and 48 wines) = ``class_0``, ``class_1``, ``class_2``. Returns a
    :class:`Bunch` (``data`` (178, 13) float64, ``target`` int64, ``feature_names``,
    ``target_names``, ``DESCR``) or ``(data, target)``; the same arrays as
    ``sklearn.datasets.load_wine()``.
    """
    return _load("wine", return_X_y, classes=["class_0", "class_1", "class_2"])


def load_breast_cancer(*, return_X_y: bool = False):
    """Breast Cancer Wisconsin (Diagnostic): 569 tumours described by 30 features of their cell nuclei.

    Ten properties of the nuclei in a digitised image of a fine-needle aspirate
    (radius, texture, perimeter, area, smoothness, compactness, concavity, concave
    points, symmetry, fractal dimension), each as its mean, standard error and
    worst (largest) value. Target 0 = malignant (212), 1 = benign (357). Returns a
    :class:`Bunch` (``data`` (569, 30) float64, ``target`` int64, ``feature_names``
    (a NumPy array, as in scikit-learn), ``target_names``, ``DESCR``) or
    ``(data, target)``; the same arrays as ``sklearn.datasets.load_breast_cancer()``.
    """
    bunch = _load("breast_cancer", return_X_y, classes=["malignant", "benign"])
    if not return_X_y:
        bunch["feature_names"] = np.array(bunch.feature_names)
    return bunch


def _scale_columns(X: np.ndarray) -> np.ndarray:
    """Centre every column and scale it to unit Euclidean norm: (x − mean) / (std · √n)."""
    centred = X - X.mean(axis=0)
    return centred / X.std(axis=0) / np.sqrt(len(X))


def load_diabetes(*, return_X_y: bool = False, scaled: bool = True):
    """Efron et al.'s diabetes data: 442 patients, 10 baseline variables, progression a year later.

    Features: age, sex, body-mass index, average blood pressure and six blood-serum
    measurements (s1..s6). The target (float64, 25..346) measures how far the disease
    progressed one year after baseline. With ``scaled=True`` (the default, as in
    scikit-learn) every feature column is centred and divided by its standard
    deviation times √442, so each column has mean 0 and sum of squares 1; with
    ``scaled=False`` the raw values (age in years, sex coded 1/2, ...). Returns a
    :class:`Bunch` (``data`` (442, 10), ``target`` (442,), ``feature_names``,
    ``DESCR``) or ``(data, target)``; the same arrays as
    ``sklearn.datasets.load_diabetes(scaled=...)``.
    """
    return _load("diabetes", return_X_y, transform=_scale_columns if scaled else None)


def load_digits(*, return_X_y: bool = False):
    """The 1,797 handwritten digits (8×8 images, pixels 0..16) of the UCI optical recognition data set.

    Returns a :class:`Bunch` with ``data`` (1797, 64) float64 (each image row by
    row), ``target`` (1797,) int64 digits 0..9, ``images`` (1797, 8, 8) (a view of
    ``data``), ``feature_names`` (``"pixel_<row>_<col>"``), ``target_names``
    (0..9) and ``DESCR`` (source, licence CC BY 4.0, citation), or ``(data, target)``
    with ``return_X_y=True``. The same arrays as ``sklearn.datasets.load_digits()``.
    """
    bunch = _load(
        "digits",
        return_X_y,
        classes=np.arange(10),
        feature_names=[f"pixel_{row}_{col}" for row in range(8) for col in range(8)],
    )
    if not return_X_y:
        bunch["images"] = bunch.data.reshape(-1, 8, 8)
    return bunch
