"""Pipeline and make_pipeline: the same predictions as scikit-learn's Pipeline, nested parameters, indexing,
fit-parameter routing, clear errors, scikit-learn's own tools, and every device."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from preprocessing_data import numeric_tables

from minml import backend
from minml.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone, is_classifier
from minml.preprocessing import MinMaxScaler, Pipeline, PolynomialFeatures, SimpleImputer, StandardScaler, make_pipeline
from minml.testing import assert_close
from minml.validation import check_array, check_sample_weight, check_X_y, encode_labels, labels_from_codes


class CentroidClassifier(ClassifierMixin, BaseEstimator):
    """A small minml classifier for these tests: the class with the nearest (weighted) mean wins."""

    def __init__(self):
        pass

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y, numeric_y=False)
        self.classes_, codes = encode_labels(y, like=X)
        xp = backend.namespace(X)
        members = (codes[:, None] == xp.arange(self.classes_.shape[0])).astype(X.dtype)
        members = members * check_sample_weight(sample_weight, X)[:, None]
        self.centroids_ = (members.T @ X) / members.sum(axis=0)[:, None]
        return self

    def decision_function(self, X):
        X = check_array(X)
        return -((X[:, None, :] - self.centroids_[None]) ** 2).sum(axis=-1)

    def predict_proba(self, X):
        scores = self.decision_function(X)
        odds = backend.namespace(scores).exp(scores - scores.max(axis=1, keepdims=True))
        return odds / odds.sum(axis=1, keepdims=True)

    def predict(self, X):
        return labels_from_codes(self.classes_, self.decision_function(X).argmax(axis=1))


class Doubler(TransformerMixin, BaseEstimator):
    """A transformer without get_feature_names_out or inverse_transform."""

    def __init__(self):
        pass

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return 2 * check_array(X)


def labelled(X):
    """Labels that depend on the (NaN-free part of the) first column: two classes when it varies."""
    first = np.nan_to_num(X[:, 0], nan=np.nanmedian(X[:, 0]))
    return np.where(first > np.median(first), "high", "low")


@settings(max_examples=10)
@given(X=numeric_tables(min_rows=6, constant=False))
def test_predictions_match_a_sklearn_pipeline(X):
    sklearn = pytest.importorskip("sklearn")
    from sklearn import impute, linear_model, pipeline, preprocessing

    y = labelled(X)
    if len(set(y)) < 2:
        y[0] = "high" if y[0] == "low" else "low"
    ours = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), linear_model.LogisticRegression())
    theirs = pipeline.make_pipeline(impute.SimpleImputer(strategy="median"), preprocessing.StandardScaler(),
                                    linear_model.LogisticRegression())
    ours.fit(X, y)
    theirs.fit(X, y)
    assert sklearn.base.is_classifier(ours) and is_classifier(ours)
    assert ours.predict(X).tolist() == theirs.predict(X).tolist()
    for method in ("predict_proba", "decision_function", "predict_log_proba"):
        assert_close(getattr(ours, method)(X), getattr(theirs, method)(X), rtol=1e-7, atol=1e-9, what=method)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y))
    assert ours.classes_.tolist() == theirs.classes_.tolist()


@settings(max_examples=10)
@given(X=numeric_tables(min_rows=4, constant=False))
def test_a_minml_pipeline_runs_on_the_device_of_its_data(device, X):
    y = labelled(X)
    y[:2] = ["high", "low"]
    pipe = make_pipeline(SimpleImputer(), StandardScaler(), CentroidClassifier())
    proba = pipe.fit(backend.to_device(X, device), y).predict_proba(backend.to_device(X, device))
    assert backend.device_of(proba) == backend.device(device)
    Xt = StandardScaler().fit_transform(SimpleImputer().fit_transform(X))  # the same steps by hand, on the host
    assert_close(proba, CentroidClassifier().fit(Xt, y).predict_proba(Xt), rtol=1e-9, atol=1e-12)
    assert list(backend.asnumpy(pipe.predict(backend.to_device(X, device)))) == \
        list(CentroidClassifier().fit(Xt, y).predict(Xt))


def test_fit_parameters_are_routed_by_step_name(device):
    X = backend.to_device(np.array([[0.0], [1.0], [10.0], [11.0]]), device)
    y = np.array([0, 0, 1, 1])
    weights = backend.to_device(np.array([1.0, 0.0, 1.0, 0.0]), device)
    pipe = make_pipeline(StandardScaler(), CentroidClassifier()).fit(
        X, y, standardscaler__sample_weight=weights, centroidclassifier__sample_weight=weights
    )
    assert_close(pipe.named_steps.standardscaler.mean_, np.array([5.0]))
    with pytest.raises(ValueError, match=r"Pipeline\.fit does not accept the 'sample_weight' parameter\. You can "
                                         r"pass parameters to specific steps of your pipeline using the "
                                         r"stepname__parameter format"):
        pipe.fit(X, y, sample_weight=weights)


def test_params_are_nested_like_sklearn():
    sklearn_pipeline = pytest.importorskip("sklearn.pipeline")
    from sklearn import preprocessing

    ours = make_pipeline(StandardScaler(), MinMaxScaler())
    theirs = sklearn_pipeline.make_pipeline(preprocessing.StandardScaler(), preprocessing.MinMaxScaler())
    assert set(ours.get_params()) == set(theirs.get_params()) - {"transform_input"}
    assert set(ours.get_params(deep=False)) == {"steps", "memory", "verbose"}
    ours.set_params(standardscaler__with_mean=False, minmaxscaler__feature_range=(-1, 1))
    assert ours[0].with_mean is False and ours["minmaxscaler"].feature_range == (-1, 1)
    replacement = MinMaxScaler()
    ours.set_params(standardscaler=replacement)
    assert ours.steps[0] == ("standardscaler", replacement)
    ours.set_params(minmaxscaler="passthrough")
    assert_close(ours.fit_transform(np.array([[0.0], [2.0]])), np.array([[0.0], [1.0]]))


def test_clone_repr_indexing_and_slicing():
    pipe = Pipeline([("poly", PolynomialFeatures()), ("scale", StandardScaler()), ("model", CentroidClassifier())])
    copy = clone(pipe)
    assert copy.steps[0][1] is not pipe.steps[0][1] and repr(copy) == repr(pipe)
    assert len(pipe) == 3 and pipe[-1] is pipe.steps[-1][1] and pipe["scale"] is pipe.named_steps["scale"]
    head = pipe[:2]
    assert isinstance(head, Pipeline) and [name for name, _ in head.steps] == ["poly", "scale"]
    pipe.fit(np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]), ["a", "b", "a"])
    assert head.get_feature_names_out(["u", "v"]).tolist() == ["1", "u", "v", "u^2", "u v", "v^2"]
    assert pipe.n_features_in_ == 2
    with pytest.raises(ValueError, match="only supports a step of 1"):
        pipe[::2]


def test_methods_follow_the_final_step():
    scaling = make_pipeline(StandardScaler(), MinMaxScaler())
    assert not hasattr(scaling, "predict") and not hasattr(scaling, "predict_proba")
    assert hasattr(make_pipeline(StandardScaler(), CentroidClassifier()), "predict_proba")
    X = np.array([[1.0, 5.0], [3.0, 9.0], [2.0, 7.0]])
    assert_close(scaling.inverse_transform(scaling.fit_transform(X)), X, rtol=1e-12)
    with pytest.raises(AttributeError, match="has no attribute 'predict'"):
        scaling.predict(X)
    passthrough_end = make_pipeline(StandardScaler(), "passthrough")
    assert_close(passthrough_end.fit(X).transform(X), StandardScaler().fit_transform(X))
    assert make_pipeline(None, StandardScaler()).fit_transform(X).shape == (3, 2)


def test_verbose_prints_each_step(capsys):
    make_pipeline(StandardScaler(), Doubler(), verbose=True).fit(np.ones((3, 1)))
    printed = capsys.readouterr().out
    assert "(step 1 of 2) Processing standardscaler" in printed and "(step 2 of 2) Processing doubler" in printed


@pytest.mark.parametrize(
    ("steps", "error", "message"),
    [
        ([("model", CentroidClassifier()), ("scale", StandardScaler())], TypeError,
         r"All intermediate steps should be transformers and implement fit and transform or be the string "
         r"'passthrough'"),
        ([("scale", StandardScaler()), ("scale", MinMaxScaler())], ValueError, r"Names provided are not unique: "
                                                                                r"\['scale'\]"),
        ([("a__b", StandardScaler())], ValueError, r"Estimator names must not contain __"),
        ([("steps", StandardScaler())], ValueError, r"Estimator names conflict with constructor arguments: "
                                                    r"\['steps'\]"),
        ([("scale", StandardScaler()), ("last", 3)], TypeError, r"Last step of Pipeline should implement fit"),
        ([], TypeError, r"non-empty list of \(name, estimator\) tuples"),
    ],
)
def test_invalid_steps_are_explained(steps, error, message):
    with pytest.raises(error, match=message):
        Pipeline(steps).fit(np.ones((3, 2)), [0, 1, 0])


def test_feature_names_need_every_step_to_name_them():
    pipe = make_pipeline(StandardScaler(), Doubler()).fit(np.ones((2, 1)))
    with pytest.raises(AttributeError, match="Doubler does not provide get_feature_names_out"):
        pipe.get_feature_names_out()


def test_works_in_sklearn_cross_validation_and_grid_search():
    model_selection = pytest.importorskip("sklearn.model_selection")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3)) * [1.0, 100.0, 0.01]
    X[rng.random(X.shape) < 0.1] = np.nan
    y = np.where(np.nan_to_num(X[:, 0]) + rng.standard_normal(40) * 0.3 > 0, 1, 0)
    pipe = make_pipeline(SimpleImputer(), StandardScaler(), CentroidClassifier())
    scores = model_selection.cross_val_score(pipe, X, y, cv=4)
    assert scores.shape == (4,) and np.all((0 <= scores) & (scores <= 1))
    search = model_selection.GridSearchCV(pipe, {"simpleimputer__strategy": ["mean", "median"],
                                                 "standardscaler__with_std": [True, False]}, cv=3).fit(X, y)
    assert search.best_params_["simpleimputer__strategy"] in ("mean", "median")
    assert search.best_estimator_ is not pipe and search.predict(X).shape == (40,)


@given(strategy=st.sampled_from(["mean", "median"]))
def test_fitting_on_the_training_rows_only_keeps_test_statistics_out(strategy):
    train, test = np.array([[1.0], [np.nan], [3.0]]), np.array([[100.0], [np.nan]])
    pipe = make_pipeline(SimpleImputer(strategy=strategy), StandardScaler()).fit(train)
    assert_close(pipe.transform(test), (np.array([[100.0], [2.0]]) - 2.0) / np.sqrt(2 / 3))
