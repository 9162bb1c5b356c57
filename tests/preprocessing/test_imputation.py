"""SimpleImputer: against scikit-learn for every strategy, with NaN, empty columns, indicators and string
columns; numeric data stays on its device."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from preprocessing_data import category_tables, numeric_tables

from minml import backend
from minml.preprocessing import SimpleImputer
from minml.testing import assert_close

STRATEGIES = ["mean", "median", "most_frequent", "constant"]


def quietly(function, *args):
    """Call ``function`` with the warning about all-missing columns silenced (it is tested on its own)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return function(*args)


@given(X=numeric_tables(empty_column=False), strategy=st.sampled_from(STRATEGIES), add_indicator=st.booleans(),
       empty=st.booleans(), keep_empty_features=st.booleans())
def test_matches_sklearn_on_numbers(device, X, strategy, add_indicator, empty, keep_empty_features):
    impute = pytest.importorskip("sklearn.impute")
    if empty:
        X = np.concatenate([X, np.full((X.shape[0], 1), np.nan)], axis=1)
    params = {"strategy": strategy, "add_indicator": add_indicator, "keep_empty_features": keep_empty_features}
    if strategy == "constant":
        params["fill_value"] = -7.5
    ours, theirs = SimpleImputer(**params), impute.SimpleImputer(**params)
    quietly(ours.fit, backend.to_device(X, device))
    quietly(theirs.fit, X)
    assert backend.device_of(ours.statistics_) == backend.device(device)
    assert_close(ours.statistics_, theirs.statistics_.astype(np.float64), rtol=1e-12, atol=1e-12)
    Z = ours.transform(backend.to_device(X, device))
    assert backend.device_of(Z) == backend.device(device)
    assert_close(Z, quietly(theirs.transform, X), rtol=1e-12, atol=1e-12)
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


@given(tables=category_tables(missing=True), strategy=st.sampled_from(["most_frequent", "constant"]))
def test_matches_sklearn_on_strings(tables, strategy):
    impute = pytest.importorskip("sklearn.impute")
    train, test = tables
    params = {"strategy": strategy, "missing_values": None}
    ours, theirs = SimpleImputer(**params), impute.SimpleImputer(**params)
    quietly(ours.fit, train)
    quietly(theirs.fit, train)
    for table in (train, test):
        assert ours.transform(table).tolist() == quietly(theirs.transform, table).tolist()


def test_other_missing_markers(device):
    X = backend.to_device(np.array([[1.0, -1.0], [-1.0, 4.0], [3.0, 2.0]]), device)
    imputer = SimpleImputer(missing_values=-1.0, strategy="median").fit(X)
    assert_close(imputer.transform(X), np.array([[1.0, 3.0], [2.0, 4.0], [3.0, 2.0]]))
    strings = np.array([["a", "?"], ["?", "b"], ["a", "b"]], dtype=object)
    filled = SimpleImputer(missing_values="?", strategy="most_frequent").fit_transform(strings)
    assert filled.tolist() == [["a", "b"], ["a", "b"], ["a", "b"]]


def test_ties_go_to_the_smallest_value(device):
    X = backend.to_device(np.array([[3.0], [1.0], [3.0], [1.0], [np.nan]]), device)
    assert_close(SimpleImputer(strategy="most_frequent").fit(X).statistics_, np.array([1.0]))


def test_all_missing_columns_are_dropped_with_a_warning_unless_kept(device):
    X = backend.to_device(np.array([[1.0, np.nan], [3.0, np.nan]]), device)
    with pytest.warns(UserWarning, match=r"Skipping features without any observed values: \[1\]\. At least one "
                                         r"non-missing value is needed for imputation with strategy='mean'"):
        assert SimpleImputer().fit_transform(X).shape == (2, 1)
    assert_close(SimpleImputer(keep_empty_features=True).fit_transform(X), np.array([[1.0, 0.0], [3.0, 0.0]]))


@pytest.mark.parametrize(
    ("imputer", "X", "message"),
    [
        (SimpleImputer(), np.array([["a"], [None]], dtype=object), r"Cannot use mean strategy with non-numeric data"),
        (SimpleImputer(strategy="median"), np.array([["a"]], dtype=object), r"Cannot use median strategy"),
        (SimpleImputer(strategy="constant", fill_value="x"), np.array([[1.0]]), r"a numeric X needs a numerical "
                                                                              r"fill_value"),
        (SimpleImputer(strategy="mode"), np.array([[1.0]]), r"'strategy' parameter of SimpleImputer must be"),
        (SimpleImputer(), np.array([[np.inf]]), r"infinity"),
    ],
)
def test_errors_say_what_to_do(imputer, X, message):
    with pytest.raises(ValueError, match=message):
        imputer.fit(X)


def test_transform_refuses_the_other_kind_of_data():
    imputer = SimpleImputer(strategy="most_frequent").fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="fitted on numeric data and is given non-numeric data"):
        imputer.transform(np.array([["a"]], dtype=object))
