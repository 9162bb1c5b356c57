"""The estimator contract (minml.base) and input validation (minml.validation), on a toy estimator.

The contract suite in tests/contract/ runs the same promises over every real estimator;
these tests pin the machinery itself and its error messages.
"""

import numbers
import warnings

import numpy as np
import pytest

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin, clone, is_classifier
from minml.exceptions import DataConversionWarning, InvalidParameterError, NotFittedError
from minml.validation import (
    Interval,
    Options,
    check_array,
    check_is_fitted,
    check_n_features,
    check_sample_weight,
    check_X_y,
    encode_labels,
    labels_from_codes,
)


class Toy(RegressorMixin, BaseEstimator):
    _parameter_constraints = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "max_bins": [Interval(numbers.Integral, 2, 255, closed="both")],
        "solver": [Options({"cholesky", "svd"})],
        "inner": [None, BaseEstimator],
        "random_state": ["random_state", None],
    }

    def __init__(self, alpha=1.0, max_bins=255, solver="cholesky", inner=None, random_state=None):
        self.alpha = alpha
        self.max_bins = max_bins
        self.solver = solver
        self.inner = inner
        self.random_state = random_state

    def fit(self, X, y):
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self)
        check_n_features(self, X, reset=True)
        self.mean_ = y.mean()
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        return backend.namespace(X).full(X.shape[0], self.mean_)


class Doubler(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return 2 * check_array(X, estimator=self)


def test_get_params_and_set_params_reach_nested_estimators():
    toy = Toy(alpha=2.0, inner=Toy(alpha=3.0))
    params = toy.get_params()
    assert params["alpha"] == 2.0 and params["inner__alpha"] == 3.0
    assert set(toy.get_params(deep=False)) == {"alpha", "max_bins", "solver", "inner", "random_state"}
    assert toy.set_params(alpha=0.5, inner__solver="svd") is toy
    assert toy.alpha == 0.5 and toy.inner.solver == "svd"


def test_set_params_names_the_valid_parameters_on_a_typo():
    with pytest.raises(ValueError, match=r"Invalid parameter 'alpah' for estimator Toy\(\)\. Valid parameters are"):
        Toy().set_params(alpah=1)


def test_repr_shows_only_the_changed_parameters():
    assert repr(Toy()) == "Toy()"
    assert repr(Toy(alpha=2.0, inner=Toy(solver="svd"))) == "Toy(alpha=2.0, inner=Toy(solver='svd'))"


def test_clone_is_unfitted_equal_and_independent():
    toy = Toy(alpha=2.0, inner=Toy(alpha=3.0)).fit(np.ones((3, 2)), np.arange(3.0))
    copy = clone(toy)
    assert type(copy) is Toy and copy.get_params(deep=False).keys() == toy.get_params(deep=False).keys()
    assert copy.alpha == 2.0 and copy.inner.alpha == 3.0 and copy.inner is not toy.inner
    assert not hasattr(copy, "mean_")
    with pytest.raises(TypeError, match="has no 'get_params' method"):
        clone(object())


def test_estimators_with_star_args_are_refused():
    class Bad(BaseEstimator):
        def __init__(self, *layers):
            self.layers = layers

    with pytest.raises(RuntimeError, match=r"takes \*layers"):
        Bad().get_params()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"alpha": -1}, r"The 'alpha' parameter of Toy must be a float ≥ 0; got -1\."),
        ({"alpha": "big"}, r"The 'alpha' parameter of Toy must be a float ≥ 0; got 'big'\."),
        ({"alpha": float("nan")}, r"must be a float ≥ 0; got nan"),
        ({"max_bins": 511}, r"The 'max_bins' parameter of Toy must be an int in the range \[2, 255\]; got 511\."),
        ({"max_bins": 2.5}, r"must be an int in the range \[2, 255\]; got 2.5"),
        ({"max_bins": True}, r"must be an int in the range \[2, 255\]; got True"),
        ({"solver": "qr"}, r"must be a str among \{'cholesky', 'svd'\}; got 'qr'"),
        ({"inner": 3}, r"must be None or an instance of 'BaseEstimator'; got 3"),
        ({"random_state": "seed"}, r"must be an int or a numpy.random.Generator or None; got 'seed'"),
    ],
)
def test_invalid_parameters_are_named_with_their_valid_range(params, message):
    with pytest.raises(InvalidParameterError, match=message):
        Toy(**params).fit(np.ones((3, 2)), np.arange(3.0))


def test_valid_parameters_pass_including_numpy_numbers():
    Toy(alpha=np.float32(0.0), max_bins=np.int64(2), random_state=np.random.default_rng(0)).fit(
        np.ones((3, 2)), np.arange(3.0)
    )


def test_an_interval_checks_a_named_value():
    Interval(numbers.Integral, 1, None, closed="left").check("n_resamples", 3)
    with pytest.raises(ValueError, match=r"n_resamples must be an int ≥ 1; got 0"):
        Interval(numbers.Integral, 1, None, closed="left").check("n_resamples", 0)
    with pytest.raises(ValueError, match=r"confidence_level must be a float in the range \(0, 1\); got nan"):
        Interval(numbers.Real, 0, 1, closed="neither").check("confidence_level", float("nan"))


def test_unfitted_use_raises_not_fitted_error():
    with pytest.raises(NotFittedError, match=r"This Toy instance is not fitted yet\. Call 'fit'"):
        Toy().predict(np.ones((2, 2)))
    assert issubclass(NotFittedError, AttributeError) and issubclass(NotFittedError, ValueError)


def test_mixins_give_fit_transform_and_estimator_type():
    X = np.arange(6.0).reshape(3, 2)
    assert np.array_equal(Doubler().fit_transform(X), 2 * X)
    assert is_classifier(type("C", (ClassifierMixin, BaseEstimator), {})())
    assert not is_classifier(Toy())


def test_check_array_keeps_the_device_and_converts_to_float(device):
    X = backend.to_device(np.array([[1, 2], [3, 4]]), device)
    checked = check_array(X)
    assert backend.device_of(checked) == backend.device_of(X) and checked.dtype == np.float64
    single = backend.to_device(np.ones((2, 2), dtype=np.float32), device)
    assert check_array(single).dtype == np.float32
    assert check_array([[1, 2]]).dtype == np.float64


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.arange(3.0), r"Expected a 2-D array, got a 1-D array instead: X=\[0\. 1\. 2\.\]\. Reshape your data "
                         r"either using X\.reshape\(-1, 1\) if your data has a single feature or "
                         r"X\.reshape\(1, -1\) if it contains a single sample\."),
        (np.ones((2, 2, 2)), r"Found array with dim 3\. Toy expected a 2-D array X\."),
        (np.ones((2, 2)) * 1j, r"Complex data not supported: X has dtype complex128\."),
        (np.array([["a", 1.0]], dtype=object), r"X holds non-numeric values \(for example 'a'\), but Toy needs "
                                               r"numbers\. Encode categorical columns first"),
        (np.ones((0, 3)), r"Found array with 0 sample\(s\) \(shape=\(0, 3\)\) while a minimum of 1 is required by "
                          r"Toy\."),
        (np.ones((3, 0)), r"Found array with 0 feature\(s\)"),
        (np.array([[1.0, np.nan]]), r"Input X contains NaN\. Toy does not accept missing values encoded as NaN\. "
                                    r"Impute them first"),
        (np.array([[1.0, np.inf]]), r"Input X contains infinity or a value too large for dtype\('float64'\)"),
    ],
)
def test_check_array_messages_say_what_to_do(X, message):
    with pytest.raises(ValueError, match=message):
        check_array(X, estimator=Toy())


def test_huge_finite_values_pass_the_finite_check(device):
    """Their sum overflows to infinity, so the check must look at the entries themselves."""
    X = backend.to_device(np.array([[1e308, 1e308], [1e308, -1.0]]), device)
    assert check_array(X).shape == (2, 2)


def test_check_array_allows_nan_when_asked_but_never_infinity(device):
    X = backend.to_device(np.array([[1.0, np.nan]]), device)
    assert check_array(X, allow_nan=True).shape == (1, 2)
    with pytest.raises(ValueError, match="infinity"):
        check_array(backend.to_device(np.array([[np.nan, -np.inf]]), device), allow_nan=True)


def test_check_X_y_moves_y_to_X_and_checks_lengths(device):
    X = backend.to_device(np.ones((3, 2)), device)
    _, y = check_X_y(X, [1, 2, 3])
    assert backend.device_of(y) == backend.device_of(X) and y.dtype == np.float64
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[3, 2\]"):
        check_X_y(X, [1, 2])
    with pytest.raises(ValueError, match="requires y to be passed"):
        check_X_y(X, None, estimator=Toy())
    with pytest.raises(ValueError, match="Input y contains NaN"):
        check_X_y(X, [1.0, np.nan, 2.0])
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        check_X_y(X, np.ones((3, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_X_y(X, np.ones((3, 2)), multi_output=True)[1].shape == (3, 2)


@pytest.mark.parametrize("labels", [[3, 1, 3, 2], [3.0, 1.0, 3.0, 2.0], ["c", "a", "c", "b"], [True, False, True]])
def test_encode_labels_round_trips_numbers_and_strings(device, labels):
    X = backend.to_device(np.ones((len(labels), 1)), device)
    y = np.array(labels)
    classes, codes = encode_labels(y, like=X)
    assert backend.device_of(codes) == backend.device_of(X)
    assert list(backend.asnumpy(classes)) == sorted(set(labels))
    assert list(backend.asnumpy(labels_from_codes(classes, codes))) == labels


def test_encode_labels_refuses_continuous_targets_and_a_single_class():
    X = np.ones((3, 1))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        encode_labels(np.array([0.5, 1.0, 2.0]), like=X)
    with pytest.raises(ValueError, match=r"Toy needs samples of at least 2 classes in the data, but the data "
                                         r"contains only one class: 'a'"):
        encode_labels(np.array(["a", "a", "a"]), like=X, estimator=Toy())


def test_check_sample_weight(device):
    X = backend.to_device(np.ones((3, 2)), device)
    assert backend.asnumpy(check_sample_weight(None, X)).tolist() == [1.0, 1.0, 1.0]
    assert backend.asnumpy(check_sample_weight(2, X)).tolist() == [2.0, 2.0, 2.0]
    weights = check_sample_weight([1, 0, 2], X)
    assert backend.device_of(weights) == backend.device_of(X)
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(2,\), expected \(3,\)"):
        check_sample_weight([1, 2], X)
    with pytest.raises(ValueError, match="non-negative"):
        check_sample_weight([1, -1, 2], X)
    with pytest.raises(ValueError, match="zero for every sample"):
        check_sample_weight([0, 0, 0], X)


def test_predict_checks_the_number_of_features():
    toy = Toy().fit(np.ones((3, 2)), np.arange(3.0))
    assert toy.n_features_in_ == 2
    with pytest.raises(ValueError, match="X has 3 features, but Toy is expecting 2 features as input"):
        toy.predict(np.ones((1, 3)))


def test_scikit_learn_sees_the_contract():
    sklearn_base = pytest.importorskip("sklearn.base")
    from sklearn.utils.validation import check_is_fitted as sklearn_check_is_fitted

    toy = Toy(alpha=2.0)
    copy = sklearn_base.clone(toy)
    assert copy.alpha == 2.0 and copy is not toy
    assert sklearn_base.is_regressor(toy) and not sklearn_base.is_classifier(toy)
    with pytest.raises(Exception, match="not fitted"):
        sklearn_check_is_fitted(toy)
    sklearn_check_is_fitted(toy.fit(np.ones((3, 2)), np.arange(3.0)))
