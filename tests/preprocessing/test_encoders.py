"""OneHotEncoder, OrdinalEncoder and one_hot_with_unknown: against scikit-learn on string tables (with unknown
categories and missing values) and numeric columns on every device; inverse transforms and error messages."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from preprocessing_data import category_tables, numeric_tables

from minml import backend
from minml.exceptions import NotFittedError
from minml.preprocessing import OneHotEncoder, OrdinalEncoder, one_hot_with_unknown
from minml.testing import assert_close, to_host


def same_categories(ours, theirs):
    assert len(ours.categories_) == len(theirs.categories_)
    for mine, expected in zip(ours.categories_, theirs.categories_):
        assert [str(v) for v in to_host(mine).tolist()] == [str(v) for v in expected.tolist()]


@given(tables=category_tables(missing=True), drop=st.sampled_from([None, "first", "if_binary"]))
def test_one_hot_encoder_matches_sklearn_on_strings(tables, drop):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    train, test = tables
    ours = OneHotEncoder(drop=drop, handle_unknown="ignore").fit(train)
    theirs = preprocessing.OneHotEncoder(drop=drop, handle_unknown="ignore", sparse_output=False).fit(train)
    same_categories(ours, theirs)
    Z = ours.transform(train)
    assert isinstance(Z, np.ndarray) and Z.dtype == np.float64
    assert_close(Z, theirs.transform(train), rtol=0, atol=0)
    with warnings.catch_warnings():  # scikit-learn warns that unknowns and dropped categories look alike
        warnings.simplefilter("ignore", UserWarning)
        assert_close(ours.transform(test), theirs.transform(test), rtol=0, atol=0)
    assert ours.get_feature_names_out(["a", "b", "c"][: train.shape[1]]).tolist() == \
        theirs.get_feature_names_out(["a", "b", "c"][: train.shape[1]]).tolist()
    if Z.shape[1]:  # scikit-learn cannot invert a table with no columns (every column had one category, dropped)
        assert ours.inverse_transform(Z).tolist() == theirs.inverse_transform(theirs.transform(train)).tolist()


@given(X=numeric_tables(max_rows=10, constant=False), drop=st.sampled_from([None, "first"]))
def test_one_hot_encoder_on_numbers_stays_on_the_device(device, X, drop):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    X = np.round(X / np.nanmax(np.abs(X), axis=0).clip(1e-3)) + 0.0  # few distinct values (and NaN); no -0.0
    ours = OneHotEncoder(drop=drop).fit(backend.to_device(X, device))
    theirs = preprocessing.OneHotEncoder(drop=drop, sparse_output=False).fit(X)
    same_categories(ours, theirs)
    Z = ours.transform(backend.to_device(X, device))
    assert backend.device_of(Z) == backend.device(device)
    assert backend.device_of(ours.categories_[0]) == backend.device(device)
    assert_close(Z, theirs.transform(X), rtol=0, atol=0)
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert_close(ours.inverse_transform(Z), X, rtol=0, atol=0)


def test_unknown_categories_are_an_error_that_names_column_value_and_fix(device):
    encoder = OneHotEncoder().fit(np.array([["paris", "red"], ["rome", "blue"]], dtype=object))
    with pytest.raises(ValueError, match=r"Found unknown categories \['lima'\] in column 0 during transform\. "
                                         r"Set handle_unknown='ignore'"):
        encoder.transform(np.array([["lima", "red"]], dtype=object))
    numeric = OneHotEncoder().fit(backend.to_device(np.array([[1.0], [2.0]]), device))
    with pytest.raises(ValueError, match=r"unknown categories \[3\.0\] in column 0"):
        numeric.transform(backend.to_device(np.array([[3.0], [1.0], [3.0]]), device))
    ignoring = OneHotEncoder(handle_unknown="ignore").fit(backend.to_device(np.array([[1.0], [2.0]]), device))
    assert to_host(ignoring.transform(backend.to_device(np.array([[3.0], [2.0]]), device))).tolist() == \
        [[0.0, 0.0], [0.0, 1.0]]


def test_given_categories_are_used_and_checked():
    encoder = OneHotEncoder(categories=[["s", "m", "l"]]).fit(np.array([["m"], ["s"]], dtype=object))
    assert encoder.categories_[0].tolist() == ["s", "m", "l"]
    assert encoder.transform(np.array([["l"]], dtype=object)).tolist() == [[0.0, 0.0, 1.0]]
    with pytest.raises(ValueError, match=r"Found unknown categories \['xl'\] in column 0 during fit"):
        OneHotEncoder(categories=[["s", "m"]]).fit(np.array([["xl"]], dtype=object))
    with pytest.raises(ValueError, match="Shape mismatch"):
        OneHotEncoder(categories=[["s"], ["t"]]).fit(np.array([["s"]], dtype=object))


def test_one_hot_encoder_refuses_sparse_output_and_unfitted_use():
    with pytest.raises(ValueError, match="sparse_output=True is not supported: minml has no sparse matrices"):
        OneHotEncoder(sparse_output=True).fit(np.array([["a"]], dtype=object))
    with pytest.raises(NotFittedError):
        OneHotEncoder().transform(np.array([["a"]], dtype=object))
    with pytest.raises(ValueError, match="X has 2 features, but OneHotEncoder is expecting 1"):
        OneHotEncoder().fit(np.array([["a"]], dtype=object)).transform(np.array([["a", "b"]], dtype=object))
    with pytest.raises(ValueError, match="infinity"):
        OneHotEncoder().fit(np.array([[1.0], [np.inf]]))


def test_dtype_and_feature_names():
    encoder = OneHotEncoder(dtype=np.float32).fit(np.array([["x", 1], ["y", 2]], dtype=object))
    assert encoder.transform(np.array([["y", 1]], dtype=object)).dtype == np.float32
    assert encoder.get_feature_names_out(["letter", "digit"]).tolist() == ["letter_x", "letter_y", "digit_1",
                                                                          "digit_2"]


# ----------------------------------------------------------------- OrdinalEncoder


@given(tables=category_tables(missing=True), unknown_value=st.sampled_from([-1, np.nan]),
       encoded_missing_value=st.sampled_from([np.nan, -2]))
def test_ordinal_encoder_matches_sklearn(tables, unknown_value, encoded_missing_value):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    train, test = tables
    params = {"handle_unknown": "use_encoded_value", "unknown_value": unknown_value,
              "encoded_missing_value": encoded_missing_value}
    ours, theirs = OrdinalEncoder(**params).fit(train), preprocessing.OrdinalEncoder(**params).fit(train)
    same_categories(ours, theirs)
    for table in (train, test):
        assert_close(ours.transform(table), theirs.transform(table), rtol=0, atol=0)
    codes = ours.transform(train)
    assert [[str(v) for v in row] for row in ours.inverse_transform(codes).tolist()] == \
        [[str(v) for v in row] for row in theirs.inverse_transform(theirs.transform(train)).tolist()]


def test_ordinal_encoder_on_numbers_stays_on_the_device(device):
    X = np.array([[3.0, 10.0], [1.0, np.nan], [3.0, 20.0]])
    encoder = OrdinalEncoder().fit(backend.to_device(X, device))
    codes = encoder.transform(backend.to_device(X, device))
    assert backend.device_of(codes) == backend.device(device)
    assert_close(codes, np.array([[1.0, 0.0], [0.0, np.nan], [1.0, 1.0]]), rtol=0, atol=0)
    assert_close(encoder.inverse_transform(codes), X, rtol=0, atol=0)


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"handle_unknown": "use_encoded_value"}, TypeError, r"unknown_value should be an integer or np\.nan when "
                                                             r"handle_unknown is 'use_encoded_value', got None"),
        ({"unknown_value": -1}, TypeError, r"unknown_value should only be set when handle_unknown is "
                                           r"'use_encoded_value'"),
        ({"handle_unknown": "use_encoded_value", "unknown_value": 1}, ValueError,
         r"The used value for unknown_value 1 is one of the values already used"),
        ({"handle_unknown": "ignore"}, ValueError, r"'handle_unknown' parameter of OrdinalEncoder must be"),
    ],
)
def test_ordinal_encoder_parameter_errors(params, error, message):
    with pytest.raises(error, match=message):
        OrdinalEncoder(**params).fit(np.array([["a"], ["b"]], dtype=object))


def test_ordinal_encoder_unknown_error():
    with pytest.raises(ValueError, match=r"Found unknown categories \['c'\] in column 1 during transform"):
        OrdinalEncoder().fit(np.array([["a", "a"]], dtype=object)).transform(np.array([["a", "c"]], dtype=object))


# ----------------------------------------------------------------- the exercise


@given(codes=st.lists(st.integers(0, 5), min_size=0, max_size=12), n_known=st.integers(1, 6))
def test_one_hot_with_unknown_is_rows_of_the_identity_or_zeros(device, codes, n_known):
    column = np.array(codes, dtype=np.float64) * 10
    categories = np.arange(n_known, dtype=np.float64) * 10
    table = one_hot_with_unknown(backend.to_device(column, device), backend.to_device(categories, device), "ignore")
    assert backend.device_of(table) == backend.device(device) and table.dtype == np.float64
    expected = np.vstack([np.eye(n_known), np.zeros((6 - n_known, n_known))])[np.array(codes, dtype=int)]
    assert_close(table, expected.reshape(len(codes), n_known), rtol=0, atol=0)
    if any(code >= n_known for code in codes):
        with pytest.raises(ValueError, match=r"Found unknown categories \[.*\] during transform.*"
                                             r"handle_unknown='ignore'"):
            one_hot_with_unknown(backend.to_device(column, device), backend.to_device(categories, device))


def test_one_hot_with_unknown_treats_missing_values_as_a_category(device):
    column = backend.to_device(np.array([2.0, np.nan, 1.0]), device)
    table = one_hot_with_unknown(column, backend.to_device(np.array([1.0, 2.0, np.nan]), device))
    assert to_host(table).tolist() == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    strings = one_hot_with_unknown(np.array(["b", None, "z"], dtype=object), np.array(["a", "b", None], dtype=object),
                                   handle_unknown="ignore")
    assert strings.tolist() == [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    with pytest.raises(ValueError, match=r"\['z'\]"):
        one_hot_with_unknown(np.array(["z", "z"], dtype=object), np.array(["a"], dtype=object))
