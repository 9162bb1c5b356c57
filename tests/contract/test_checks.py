"""The contract checks themselves: they pass on estimators that keep the contract and fail on ones that break it.

The toy estimators here live in the tests, not in minml, so the discovery never counts them as minml's.
"""

import numbers

import numpy as np
import pytest

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from minml.testing.estimators import CHECKS, check_estimator, checks_for, contract_data, contract_instances
from minml.validation import (
    Interval,
    check_array,
    check_is_fitted,
    check_n_features,
    check_X_y,
    encode_labels,
    labels_from_codes,
)


class ToyRidge(RegressorMixin, BaseEstimator):
    """Ridge regression by the normal equations (intercept from centring)."""

    _parameter_constraints = {"alpha": [Interval(numbers.Real, 0, None, closed="left")]}

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self)
        check_n_features(self, X, reset=True)
        xp = backend.namespace(X)
        X_mean, y_mean = X.mean(axis=0), y.mean()
        Xc = X - X_mean
        self.coef_ = backend.solve(Xc.T @ Xc + self.alpha * xp.eye(X.shape[1], dtype=X.dtype), Xc.T @ (y - y_mean))
        self.intercept_ = y_mean - X_mean @ self.coef_
        return self

    def predict(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        return X @ self.coef_ + self.intercept_


class ToyCentroids(ClassifierMixin, BaseEstimator):
    """Nearest centroid, with a softmax of negative squared distances as probabilities."""

    def __init__(self, temperature=1.0, random_state=None):
        self.temperature = temperature
        self.random_state = random_state

    def fit(self, X, y):
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        check_n_features(self, X, reset=True)
        self.classes_, codes = encode_labels(y, like=X, estimator=self)
        xp = backend.namespace(X)
        one_hot = (codes[:, None] == xp.arange(self.classes_.shape[0])).astype(X.dtype)
        self.centroids_ = (one_hot.T @ X) / one_hot.sum(axis=0)[:, None]
        return self

    def decision_function(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        scores = -((X[:, None, :] - self.centroids_[None]) ** 2).sum(axis=2) / self.temperature
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def predict_proba(self, X):
        scores = self.decision_function(X)
        xp = backend.namespace(scores)
        if scores.ndim == 1:
            scores = xp.stack([xp.zeros_like(scores), scores], axis=1)
        scores = scores - scores.max(axis=1, keepdims=True)
        weights = xp.exp(scores)
        return weights / weights.sum(axis=1, keepdims=True)

    def predict(self, X):
        codes = self.predict_proba(X).argmax(axis=1)
        return labels_from_codes(self.classes_, codes)


class ToyScaler(TransformerMixin, BaseEstimator):
    """Standard scaling, with feature names out."""

    def __init__(self, with_mean=True):
        self.with_mean = with_mean

    def fit(self, X, y=None):
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=True)
        self.mean_ = X.mean(axis=0) if self.with_mean else backend.namespace(X).zeros(X.shape[1], dtype=X.dtype)
        self.scale_ = X.std(axis=0) + 1e-12
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        return (X - self.mean_) / self.scale_

    def get_feature_names_out(self, input_features=None):
        names = input_features if input_features is not None else [f"x{i}" for i in range(self.n_features_in_)]
        return np.asarray(names, dtype=object)


# --------------------------------------------------------------------------- broken on purpose


class ValidatesInInit(ToyRidge):
    """Converts its parameter in __init__ (breaks check_init_stores_params)."""

    def __init__(self, alpha=1.0):
        self.alpha = float(alpha)
        self.solver = "cholesky"


class ChangesParamInFit(ToyRidge):
    """Overwrites its parameter in fit (breaks check_fit_does_not_change_params)."""

    def fit(self, X, y):
        self.alpha = 2 * self.alpha
        return super().fit(X, y)


class LeaksToHost(ToyRidge):
    """Keeps its coefficients on the host whatever X's device (breaks check_device on a GPU)."""

    def fit(self, X, y):
        super().fit(X, y)
        self.coef_ = backend.asnumpy(self.coef_)
        return self


class DeclaresHostAttribute(LeaksToHost):
    """Keeps coef_ on the host and says so (allowed by the device check)."""

    _host_attributes = ("coef_",)

    def predict(self, X):
        return X @ backend.to_device(self.coef_, backend.device_of(X)) + self.intercept_


class NoNFeaturesCheck(ToyRidge):
    """Forgets n_features_in_ (breaks check_n_features_in and the wrong-width check)."""

    def fit(self, X, y):
        super().fit(X, y)
        del self.n_features_in_
        return self

    def predict(self, X):
        X = check_array(X, estimator=self)
        return X[:, : self.coef_.shape[0]] @ self.coef_ + self.intercept_


class SkipsWithReason(ToyRidge):
    """Declares a documented opt-out."""

    _contract_skip = {"check_dtypes": "a toy reason, to show the skip"}


class NeedsArguments(ToyRidge):
    """A required constructor argument and no _contract_instances."""

    def __init__(self, alpha):
        self.alpha = alpha


class NeedsArgumentsWithExamples(NeedsArguments):
    """A required argument, with examples for the contract suite."""

    @classmethod
    def _contract_instances(cls):
        return [cls(alpha=0.5), cls(alpha=2.0)]


class BadProba(ToyCentroids):
    """Probabilities that do not sum to 1 (breaks check_classifier_predict_proba)."""

    def predict_proba(self, X):
        return 0.5 * super().predict_proba(X)


class UndeclaredNan(ToyScaler):
    """Accepts NaN without declaring _allow_nan (breaks check_nan_inf_error)."""

    def fit(self, X, y=None):
        X = check_array(X, estimator=self, allow_nan=True)
        return super().fit(backend.namespace(X).nan_to_num(X), y)


class DeclaredNan(UndeclaredNan):
    _allow_nan = True


class IgnoresRandomState(ToyRidge):
    """Adds noise from fresh entropy, ignoring any seed (breaks check_fit_twice_same_result)."""

    def fit(self, X, y):
        super().fit(X, y)
        self.coef_ = self.coef_ + backend.rng(None, backend.device_of(self.coef_)).normal(size=self.coef_.shape)
        return self


class PredictChangesState(ToyRidge):
    """Predicting moves the coefficients (breaks check_methods_do_not_change_state)."""

    def predict(self, X):
        self.coef_ = self.coef_ * 1.5
        return super().predict(X)


class FitTransformDiffers(ToyScaler):
    """fit_transform that forgets to scale (breaks check_transformer_fit_transform)."""

    def fit_transform(self, X, y=None):
        self.fit(X)
        return X - self.mean_


class NoFit(BaseEstimator):
    """A public base class without fit (should be abstract or private)."""


class StarArgs(ToyRidge):
    def __init__(self, *alphas):
        self.alphas = alphas


GOOD = [ToyRidge(), ToyRidge(alpha=0.0), ToyCentroids(), ToyScaler(), DeclaredNan(), SkipsWithReason()]


@pytest.mark.parametrize("estimator", GOOD, ids=repr)
def test_estimators_keeping_the_contract_pass_every_check(estimator, device):
    report = check_estimator(estimator, device=device)
    assert set(report) == {check.__name__ for check in checks_for(estimator)}
    skipped = getattr(estimator, "_contract_skip", {})
    assert all(result == "passed" for name, result in report.items() if name not in skipped)


BROKEN = [
    (ValidatesInInit(), "check_init_stores_params", "sets attributes that are not parameters: \\['solver'\\]"),
    (ChangesParamInFit(), "check_fit_does_not_change_params", "fit replaced the parameter\\(s\\) \\['alpha'\\]"),
    (NoNFeaturesCheck(), "check_n_features_in", "n_features_in_"),
    (NoNFeaturesCheck(), "check_n_features_mismatch_error", "one feature too many: no error raised"),
    (NoNFeaturesCheck(), "check_not_fitted_error", "raised AttributeError.*expected NotFittedError"),
    (BadProba(), "check_classifier_predict_proba", "sum to 1"),
    (UndeclaredNan(), "check_nan_inf_error", "fit with NaN in X: no error raised"),
    (IgnoresRandomState(), "check_fit_twice_same_result", "second fit: predict differs"),
    (IgnoresRandomState(), "check_fit_clone_same_result", "clone: predict differs"),
    (PredictChangesState(), "check_methods_do_not_change_state", "calling again: predict differs"),
    (FitTransformDiffers(), "check_transformer_fit_transform", "fit_transform vs fit\\(\\).transform\\(\\)"),
]


@pytest.mark.parametrize(
    ("estimator", "check", "message"), BROKEN, ids=[f"{type(e).__name__}-{name}" for e, name, _ in BROKEN]
)
def test_broken_estimators_fail_the_check_they_break(estimator, check, message, device):
    with pytest.raises(AssertionError, match=message):
        CHECKS[check](estimator, device)


def test_fitted_attributes_left_on_the_host_fail_the_device_check():
    CHECKS["check_device"](LeaksToHost(), "cpu")
    with pytest.raises(AssertionError, match="fitted on fake, but LeaksToHost.coef_ is on cpu"):
        CHECKS["check_device"](LeaksToHost(), "fake")
    CHECKS["check_device"](DeclaresHostAttribute(), "fake")


def test_check_estimator_lists_every_failure_by_check_name():
    with pytest.raises(AssertionError, match="fails 3 contract check") as caught:
        check_estimator(ChangesParamInFit())
    for name in ("check_repr", "check_fit_does_not_change_params", "check_fit_twice_same_result"):
        assert f"\n  {name}: " in str(caught.value)


def test_a_documented_skip_is_reported_with_its_reason():
    report = check_estimator(SkipsWithReason())
    assert report["check_dtypes"] == "skipped: a toy reason, to show the skip"


def test_skips_must_name_real_checks():
    class Typo(ToyRidge):
        _contract_skip = {"check_dtype": "misspelt"}

    with pytest.raises(ValueError, match=r"Typo._contract_skip names unknown checks \['check_dtype'\]"):
        check_estimator(Typo())


def test_checks_are_chosen_by_the_kind_of_estimator():
    names = {kind: {check.__name__ for check in checks_for(kind())} for kind in (ToyRidge, ToyCentroids, ToyScaler)}
    assert "check_regressor_score_is_r2" in names[ToyRidge] and "check_classifier_classes" not in names[ToyRidge]
    assert "check_classifier_string_labels" in names[ToyCentroids]
    assert "check_regressor_train_r2" not in names[ToyCentroids]
    assert "check_transformer_fit_transform" in names[ToyScaler] and "check_fit_returns_self" in names[ToyScaler]
    with pytest.raises(TypeError, match=r"check an instance, such as ToyRidge\(\)"):
        checks_for(ToyRidge)


def test_contract_instances_builds_defaults_or_asks_for_examples():
    assert [repr(e) for e in contract_instances(ToyRidge)] == ["ToyRidge()"]
    assert [repr(e) for e in contract_instances(NeedsArgumentsWithExamples)] == [
        "NeedsArgumentsWithExamples(alpha=0.5)",
        "NeedsArgumentsWithExamples(alpha=2.0)",
    ]
    with pytest.raises(TypeError, match=r"needs the argument\(s\) \['alpha'\].*NeedsArguments._contract_instances"):
        contract_instances(NeedsArguments)
    with pytest.raises(TypeError, match="without fit.*abstract.*or private"):
        contract_instances(NoFit)
    with pytest.raises(TypeError, match=r"takes \*alphas"):
        contract_instances(StarArgs)


def test_contract_data_follows_the_declared_input_kind():
    class Categorical(ToyScaler):
        _contract_input = "categorical"

    class Positive(ToyScaler):
        _contract_input = "positive"

    class Unknown(ToyScaler):
        _contract_input = "ordinal"

    X, _ = contract_data(Categorical())
    for column in X.T:  # three categories per column, equally frequent, so every cross-validation fold sees each
        assert np.array_equal(np.unique(column, return_counts=True)[1], [10, 10, 10])
    assert contract_data(Positive())[0].min() == 0
    with pytest.raises(ValueError, match="_contract_input must be 'continuous', 'categorical' or 'positive'"):
        contract_data(Unknown())
    X, y = contract_data(ToyCentroids(), n_classes=2)
    assert X.shape == (30, 3) and sorted(set(y.tolist())) == [0, 1]
