"""ColumnTransformer and make_column_transformer: mixed numeric/categorical tables against scikit-learn's
ColumnTransformer (NaN, unknown categories), named tables (dict, structured array), column selections,
devices, nested parameters and error messages."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from preprocessing_data import category_tables, numeric_tables

from minml import backend
from minml.exceptions import NotFittedError
from minml.preprocessing import (
    ColumnTransformer,
    MinMaxScaler,
    OneHotEncoder,
    SimpleImputer,
    StandardScaler,
    make_column_transformer,
    make_pipeline,
)
from minml.testing import assert_close


def mixed_table(numbers, categories):
    """One host object table: the numeric columns, then the string columns."""
    return np.concatenate([numbers.astype(object), categories], axis=1)


@settings(max_examples=15)
@given(numbers=numeric_tables(min_rows=12, max_rows=12, max_columns=2), tables=category_tables(min_rows=12),
       remainder=st.sampled_from(["drop", "passthrough"]))
def test_matches_sklearn_on_a_mixed_table(numbers, tables, remainder):
    pytest.importorskip("sklearn")
    from sklearn import compose, impute, pipeline, preprocessing

    train_categories, test_categories = tables
    train = mixed_table(numbers, train_categories)
    test = mixed_table(numbers[::-1], test_categories)
    n = numbers.shape[1]
    scaled = list(range(n - 1)) if n > 1 else []  # the last numeric column is left to the remainder
    categorical = list(range(n, train.shape[1]))
    ours = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), scaled),
        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
    ], remainder=remainder)
    theirs = compose.ColumnTransformer([
        ("num", pipeline.make_pipeline(impute.SimpleImputer(strategy="median"), preprocessing.StandardScaler()),
         scaled),
        ("cat", preprocessing.OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
    ], remainder=remainder)
    Z, expected = ours.fit_transform(train), theirs.fit_transform(train)
    assert_close(Z.astype(float), expected.astype(float), rtol=1e-9, atol=1e-12)
    assert_close(ours.transform(test).astype(float), theirs.transform(test).astype(float), rtol=1e-9, atol=1e-12)
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert ours.output_indices_ == theirs.output_indices_
    assert [name for name, *_ in ours.transformers_] == [name for name, *_ in theirs.transformers_]


def test_named_tables_select_columns_by_name(device):
    table = {
        "age": backend.to_device(np.array([20.0, np.nan, 40.0, 60.0]), device),
        "city": np.array(["oslo", "rome", "oslo", "lima"], dtype=object),
        "income": backend.to_device(np.array([1.0, 2.0, 3.0, 5.0]), device),
    }
    ct = make_column_transformer(
        (make_pipeline(SimpleImputer(), StandardScaler()), ["age"]),
        (OneHotEncoder(), "city"),
        remainder="passthrough",
    )
    Z = ct.fit_transform(table)
    assert backend.device_of(Z) == backend.device(device)  # the one-hot block moved to the numbers' device
    ages = np.array([20.0, 40.0, 40.0, 60.0])
    expected = np.column_stack([(ages - 40) / ages.std(), [0, 0, 0, 1], [1, 0, 1, 0], [0, 1, 0, 0],
                                [1.0, 2.0, 3.0, 5.0]])
    assert_close(Z, expected, rtol=1e-12)
    assert ct.feature_names_in_.tolist() == ["age", "city", "income"]
    assert ct.get_feature_names_out().tolist() == [
        "pipeline__age", "onehotencoder__city_lima", "onehotencoder__city_oslo", "onehotencoder__city_rome",
        "remainder__income",
    ]
    assert set(ct.named_transformers_) == {"pipeline", "onehotencoder", "remainder"}
    with pytest.raises(ValueError, match="The feature names should match those that were passed during fit"):
        ct.transform({"age": table["age"], "town": table["city"], "income": table["income"]})


def test_structured_arrays_are_named_tables():
    table = np.array([(1.0, "a"), (3.0, "b")], dtype=[("size", "f8"), ("kind", "U1")])
    ct = ColumnTransformer([("size", MinMaxScaler(), ["size"]), ("kind", OneHotEncoder(), ["kind"])])
    assert ct.fit_transform(table).tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
    assert ct.get_feature_names_out().tolist() == ["size__size", "kind__kind_a", "kind__kind_b"]


@pytest.mark.parametrize(
    "columns",
    [[1, 2], slice(1, 3), np.array([False, True, True, False]), lambda X: [1, 2], [-3, -2]],
    ids=["indices", "slice", "mask", "callable", "negative"],
)
def test_column_selections_on_arrays(device, columns):
    X = backend.to_device(np.arange(12.0).reshape(3, 4), device)
    ct = ColumnTransformer([("scale", MinMaxScaler(), columns)], remainder="passthrough")
    Z = ct.fit_transform(X)
    assert backend.device_of(Z) == backend.device(device)
    assert_close(Z, np.array([[0.0, 0.0, 0.0, 3.0], [0.5, 0.5, 4.0, 7.0], [1.0, 1.0, 8.0, 11.0]]))
    assert ct.transformers_[-1][0] == "remainder" and ct.transformers_[-1][2] == [0, 3]


def test_name_slices_include_both_ends():
    table = {name: np.arange(3.0) for name in "abcd"}
    ct = ColumnTransformer([("middle", "passthrough", slice("b", "c"))])
    assert ct.fit(table).get_feature_names_out().tolist() == ["middle__b", "middle__c"]


def test_drop_empty_selections_and_weights():
    X = np.arange(6.0).reshape(3, 2)
    ct = ColumnTransformer([("none", StandardScaler(), []), ("gone", "drop", [0]), ("kept", "passthrough", [1])],
                           transformer_weights={"kept": 10.0})
    assert ct.fit_transform(X).tolist() == [[10.0], [30.0], [50.0]]
    assert ct.output_indices_ == {"none": slice(0, 0), "gone": slice(0, 0), "kept": slice(0, 1),
                                  "remainder": slice(0, 0)}
    assert not hasattr(ct.named_transformers_["none"], "mean_")  # no columns, so never fitted


def test_params_are_nested_like_sklearn():
    compose = pytest.importorskip("sklearn.compose")
    from sklearn import preprocessing

    ours = ColumnTransformer([("num", StandardScaler(), [0]), ("cat", OneHotEncoder(), [1])])
    theirs = compose.ColumnTransformer([("num", preprocessing.StandardScaler(), [0]),
                                        ("cat", preprocessing.OneHotEncoder(), [1])])
    assert set(ours.get_params()) <= set(theirs.get_params())  # scikit-learn's encoder has a few more options
    assert {"num", "cat", "num__with_mean", "cat__handle_unknown", "remainder"} <= set(ours.get_params())
    ours.set_params(num__with_mean=False, cat="drop", remainder="passthrough")
    assert ours.transformers[0][1].with_mean is False and ours.transformers[1][1] == "drop"
    assert ours.fit_transform(np.array([[2.0, 5.0], [4.0, 7.0]])).tolist() == [[2.0], [4.0]]


def test_verbose_feature_names_out_false_and_clashing_names():
    X = np.arange(6.0).reshape(3, 2)
    plain = ColumnTransformer([("a", StandardScaler(), [0]), ("b", "passthrough", [1])],
                              verbose_feature_names_out=False).fit(X)
    assert plain.get_feature_names_out().tolist() == ["x0", "x1"]
    clash = ColumnTransformer([("a", StandardScaler(), [0]), ("b", "passthrough", [0])],
                              verbose_feature_names_out=False).fit(X)
    with pytest.raises(ValueError, match=r"Output feature names: \['x0'\] are not unique"):
        clash.get_feature_names_out()


@pytest.mark.parametrize(
    ("transformers", "X", "error", "message"),
    [
        ([("s", StandardScaler(), ["age"])], np.ones((2, 2)), ValueError,
         r"Column 'age' was given by name, but X has no column names"),
        ([("s", StandardScaler(), ["weight"])], {"age": np.ones(2)}, ValueError,
         r"A given column is not a column of the table: 'weight'"),
        ([("s", StandardScaler(), [5])], np.ones((2, 2)), ValueError,
         r"Column index 5 is out of range for X with 2 columns"),
        ([("s", StandardScaler(), np.array([True]))], np.ones((2, 2)), ValueError,
         r"A boolean column mask must have one entry per column \(2\)"),
        ([("s", SimpleImputer, [0])], np.ones((2, 2)), TypeError,
         r"All estimators should implement fit and transform, or can be 'drop' or 'passthrough'"),
        ([("s", StandardScaler(), [0]), ("s", StandardScaler(), [1])], np.ones((2, 2)), ValueError,
         r"Names provided are not unique: \['s'\]"),
        ([("s", StandardScaler())], np.ones((2, 2)), TypeError, r"list of \(name, transformer, columns\) tuples"),
        ([("s", StandardScaler(), [0])], {"a": np.ones(2), "b": np.ones(3)}, ValueError,
         r"Every column of a table must be a 1-D array of the same length"),
    ],
)
def test_errors_say_what_went_wrong(transformers, X, error, message):
    with pytest.raises(error, match=message):
        ColumnTransformer(transformers).fit(X)


def test_transform_checks_fit_and_columns():
    ct = ColumnTransformer([("s", StandardScaler(), [0])])
    with pytest.raises(NotFittedError):
        ct.transform(np.ones((2, 2)))
    ct.fit(np.arange(4.0).reshape(2, 2))
    with pytest.raises(ValueError, match="X has 3 features, but ColumnTransformer is expecting 2 features"):
        ct.transform(np.ones((2, 3)))


def test_inside_a_pipeline_with_a_sklearn_model():
    pytest.importorskip("sklearn")
    from sklearn import compose, linear_model, pipeline, preprocessing

    rng = np.random.default_rng(1)
    numbers = rng.standard_normal((30, 2)) * [1.0, 50.0]
    cities = np.array(["oslo", "rome", "lima"], dtype=object)[rng.integers(3, size=(30, 1))]
    X = mixed_table(numbers, cities)
    y = (numbers[:, 0] + (cities[:, 0] == "rome") > 0.3).astype(int)
    ours = make_pipeline(
        make_column_transformer((StandardScaler(), [0, 1]), (OneHotEncoder(), [2])), linear_model.LogisticRegression()
    ).fit(X, y)
    theirs = pipeline.make_pipeline(
        compose.make_column_transformer((preprocessing.StandardScaler(), [0, 1]),
                                        (preprocessing.OneHotEncoder(sparse_output=False), [2])),
        linear_model.LogisticRegression(),
    ).fit(X, y)
    assert_close(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-7, atol=1e-9)
    assert ours.get_params().keys() >= {"columntransformer__standardscaler__with_mean"}


def test_verbose_prints_each_fit(capsys):
    ColumnTransformer([("num", StandardScaler(), [0])], verbose=True).fit(np.ones((2, 2)))
    assert "[ColumnTransformer]" in capsys.readouterr().out
