"""The bundled real data sets: the same arrays as scikit-learn's loaders, each with its licence and citation.

(The digits have their own tests in test_datasets.py.)
"""

import ast
import fnmatch
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from minml.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine

sklearn_datasets = pytest.importorskip("sklearn.datasets")

DATA = resources.files("minml.datasets").joinpath("data")
LOADERS = {
    "iris": (load_iris, {}),
    "wine": (load_wine, {}),
    "breast_cancer": (load_breast_cancer, {}),
    "diabetes": (load_diabetes, {}),
    "diabetes_raw": (load_diabetes, {"scaled": False}),
}
CLASSIFICATION = {
    "iris": (load_iris, (150, 4), [50, 50, 50]),
    "wine": (load_wine, (178, 13), [59, 71, 48]),
    "breast_cancer": (load_breast_cancer, (569, 30), [212, 357]),
}


def _assert_same(ours, theirs):
    assert type(ours) is type(theirs)
    if isinstance(ours, np.ndarray):
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        np.testing.assert_array_equal(ours, theirs)
    else:
        assert ours == theirs


@pytest.mark.parametrize("name", LOADERS)
def test_loaders_give_sklearns_arrays_exactly(name):
    load, kwargs = LOADERS[name]
    ours, theirs = load(**kwargs), getattr(sklearn_datasets, load.__name__)(**kwargs)
    keys = {"data", "target", "feature_names", "target_names"} & set(theirs)
    assert keys <= set(ours) and "DESCR" in ours
    assert ("target_names" in ours) == ("target_names" in theirs)
    for key in sorted(keys):
        _assert_same(ours[key], theirs[key])
    X, y = load(return_X_y=True, **kwargs)
    _assert_same(X, theirs.data)
    _assert_same(y, theirs.target)


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_sets_have_their_documented_sizes(name):
    load, shape, class_sizes = CLASSIFICATION[name]
    bunch = load()
    assert bunch.data.shape == shape and bunch.target.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(bunch.target), class_sizes)
    assert len(bunch.feature_names) == shape[1] and len(bunch.target_names) == len(class_sizes)


def test_scaled_diabetes_columns_have_mean_zero_and_unit_norm():
    scaled, raw = load_diabetes(), load_diabetes(scaled=False)
    assert scaled.data.shape == raw.data.shape == (442, 10) and scaled.target.dtype == np.float64
    np.testing.assert_allclose(scaled.data.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose((scaled.data**2).sum(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(scaled.target, raw.target)
    # scaling is affine per column: the raw column is recovered from the scaled one
    recovered = scaled.data * raw.data.std(axis=0) * np.sqrt(442) + raw.data.mean(axis=0)
    np.testing.assert_allclose(recovered, raw.data, rtol=1e-12)
    np.testing.assert_array_equal(np.unique(raw.data[:, 1]), [1.0, 2.0])


@pytest.mark.parametrize(
    "load, licence_file, required",
    [
        (load_iris, "IRIS_LICENSE.md", ["CC BY 4.0", "https://doi.org/10.24432/C56C76", "Fisher", "1936"]),
        (load_wine, "WINE_LICENSE.md", ["CC BY 4.0", "https://doi.org/10.24432/C5PC7J", "Aeberhard", "Forina"]),
        (
            load_breast_cancer,
            "BREAST_CANCER_LICENSE.md",
            ["CC BY 4.0", "https://doi.org/10.24432/C5DW2B", "Wolberg", "Mangasarian", "Street"],
        ),
        (load_diabetes, "DIABETES_LICENSE.md", ["Least Angle Regression", "Efron", "Annals of Statistics", "BSD"]),
    ],
)
def test_every_data_set_ships_with_licence_and_citation(load, licence_file, required):
    bunch = load()
    assert bunch.DESCR == DATA.joinpath(licence_file).read_text(encoding="utf-8")
    for text in required:
        assert text in bunch.DESCR
    for name in bunch.feature_names:  # every column is explained (breast cancer: each of its 10 properties)
        prop = name.removeprefix("mean ").removeprefix("worst ").removesuffix(" error")
        assert f"| {prop} |" in bunch.DESCR, name


def test_every_data_file_has_a_licence_and_is_packaged():
    """Each csv.gz has its *_LICENSE.md, and both match setup.py's package_data for minml.datasets."""
    files = sorted(entry.name for entry in DATA.iterdir() if entry.is_file())
    tables = [name.removesuffix(".csv.gz") for name in files if name.endswith(".csv.gz")]
    assert set(tables) == {"iris", "wine", "breast_cancer", "diabetes", "digits"}
    for table in tables:
        assert f"{table.upper()}_LICENSE.md" in files
    setup_py = Path(__file__).parents[2] / "setup.py"
    if not setup_py.exists():
        pytest.skip("not run from a source checkout: no setup.py")
    package_data = next(
        node.value
        for node in ast.walk(ast.parse(setup_py.read_text()))
        if isinstance(node, ast.keyword) and node.arg == "package_data"
    )
    patterns = ast.literal_eval(package_data)["minml.datasets"]
    for name in files:
        assert any(fnmatch.fnmatch(f"data/{name}", pattern) for pattern in patterns), name


def test_loaders_return_fresh_host_arrays():
    first, second = load_iris(), load_iris()
    assert type(first.data) is np.ndarray and first.data.flags.writeable
    first.data[0, 0] = -1.0
    assert second.data[0, 0] == load_iris().data[0, 0] == 5.1


def test_digits_share_the_one_reader():
    """The reader takes files with and without a header line: the digits file is sklearn's, byte for byte."""
    digits = load_digits()
    assert digits.feature_names[:2] == ["pixel_0_0", "pixel_0_1"]
    assert digits.target.dtype == np.int64 and digits.images.shape == (1797, 8, 8)
