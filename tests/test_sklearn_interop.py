"""minml's estimators inside scikit-learn's own tools: Pipeline, cross_val_score, GridSearchCV, check_estimator.

Every estimator the contract suite discovers (minml.testing.estimators) is dropped into
scikit-learn's workflow as a user would, and must give the same numbers as using it by hand.
Skipped, visibly, without scikit-learn.
"""

import numbers
import warnings

import numpy as np
import pytest

from minml.base import clone, is_classifier
from minml.testing.estimators import contract_data, discover_instances, is_regressor, with_fixed_seeds

pytest.importorskip("sklearn", reason="scikit-learn not installed: `pip install scikit-learn` runs the interop tests")

from sklearn.linear_model import Ridge as SklearnRidge  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

INSTANCES = discover_instances()[0]  # classes that cannot be built fail tests/contract/test_discovery.py
PREDICTORS = [e for e in INSTANCES if is_classifier(e) or is_regressor(e)]
TRANSFORMERS = [e for e in INSTANCES if hasattr(e, "transform") and not (is_classifier(e) or is_regressor(e))]

# Checks of scikit-learn's check_estimator that minml fails by design, for every estimator.
SKLEARN_EXPECTED_FAILURES = {
    "check_estimators_unfitted": "minml raises minml.exceptions.NotFittedError (a ValueError and AttributeError); "
    "the check wants scikit-learn's own class, which minml cannot subclass without depending on scikit-learn",
    "check_supervised_y_2d": "minml warns with minml.exceptions.DataConversionWarning, not scikit-learn's class",
    "check_dtype_object": "minml refuses non-numeric X with its own message (naming the encoders to use), not "
    "scikit-learn's wording",
}
# ... and for one estimator only. Where scikit-learn's own estimator of that name fails the check too (its
# PER_ESTIMATOR_XFAIL_CHECKS in sklearn/utils/_test_common/instance_generator.py), the reason says so.
_SKLEARN_XFAILS_TOO = "scikit-learn's own {name} fails this check too (its PER_ESTIMATOR_XFAIL_CHECKS)"
SLOW_IN_SKLEARN_CHECKS = {"SVC", "SVR", "LinearSVC"}
SKLEARN_EXPECTED_FAILURES_OF = {
    "SimpleImputer": {
        "check_complex_data": "SimpleImputer's message for complex X says which strategies take non-numeric data, "
        "not scikit-learn's wording",
    },
    "Pipeline": dict.fromkeys(
        ["check_estimators_overwrite_params", "check_dont_overwrite_parameters"],
        _SKLEARN_XFAILS_TOO.format(name="Pipeline") + ": fitting fits the steps, which are parameters, in place",
    ),
    "ColumnTransformer": dict.fromkeys(
        ["check_estimators_empty_data_messages", "check_estimators_nan_inf", "check_estimator_sparse_array",
         "check_estimator_sparse_matrix", "check_fit1d", "check_fit2d_predict1d", "check_complex_data",
         "check_fit2d_1feature"],
        _SKLEARN_XFAILS_TOO.format(name="ColumnTransformer") + ": its messages come from the inner transformers",
    ),
    **{
        name: dict.fromkeys(["check_requires_y_none"], _SKLEARN_XFAILS_TOO.format(name=name))
        for name in ("GridSearchCV", "RandomizedSearchCV")
    },
    **{
        name: {
            "check_sample_weight_equivalence_on_dense_data": _SKLEARN_XFAILS_TOO.format(name=name)
            + ": shuffled minibatches visit a sample of weight 3 and three copies of it in different orders"
        }
        for name in ("SGDClassifier", "SGDRegressor")
    },
    **{
        name: {
            "check_sample_weight_equivalence_on_dense_data": _SKLEARN_XFAILS_TOO.format(name=name)
            + ": the solver stops at tol, and with no free support vector the intercept is not unique"
        }
        for name in ("SVC", "SVR", "LinearSVC")
    },
    **{
        name: {
            "check_sample_weight_equivalence_on_dense_data": _SKLEARN_XFAILS_TOO.format(name=name)
            + ": a bootstrap draws a sample of weight 3 and three copies of it differently"
        }
        for name in ("RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier")
    },
    **{
        name: {
            "check_sample_weight_equivalence_on_dense_data": "late rounds choose between equally good splits by "
            "float sums (3·g against g + g + g), which moves the zero-weight rows"
        }
        for name in ("GradientBoostingClassifier", "GradientBoostingRegressor")
    },
}


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _grid(estimator) -> tuple[str, list]:
    """One parameter and two valid values for it: a float halved, else an int plus one, else its value alone."""
    params = estimator.get_params(deep=False)
    skip = {"random_state", "verbose", "n_jobs", "copy"}
    floats = [n for n, v in params.items() if n not in skip and isinstance(v, float) and v > 0]
    ints = [n for n, v in params.items() if n not in skip and isinstance(v, numbers.Integral)
            and not isinstance(v, bool) and v > 0]
    if floats:
        return floats[0], [params[floats[0]], params[floats[0]] / 2]
    if ints:
        return ints[0], [params[ints[0]], params[ints[0]] + 1]
    name = sorted(params)[0] if params else None
    return name, [params[name]] if name else []


@pytest.mark.parametrize("estimator", PREDICTORS, ids=repr)
def test_predictor_in_a_sklearn_pipeline_matches_using_it_by_hand(estimator):
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    pipeline = _quiet(Pipeline([("scale", StandardScaler()), ("model", clone(estimator))]).fit, X, y)
    scaled = StandardScaler().fit_transform(X)
    expected = _quiet(clone(estimator).fit, scaled, y).predict(scaled)
    np.testing.assert_allclose(np.asarray(pipeline.predict(X)), np.asarray(expected), rtol=1e-7, atol=1e-9)
    assert isinstance(pipeline.score(X, y), float)


@pytest.mark.parametrize("estimator", PREDICTORS, ids=repr)
def test_predictor_in_sklearn_cross_val_score(estimator):
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    scores = _quiet(cross_val_score, estimator, X, y, cv=3, error_score="raise")
    assert scores.shape == (3,) and np.isfinite(scores).all()
    # a lone decision tree fitted on 20 rows of a linear target scores R² ≈ 0.5 (scikit-learn's 0.59)
    assert scores.mean() > (0.8 if is_classifier(estimator) else 0.3), f"poor cross-validated score {scores}"


@pytest.mark.parametrize("estimator", PREDICTORS, ids=repr)
def test_predictor_in_sklearn_grid_search(estimator):
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    name, values = _grid(estimator)
    search = _quiet(GridSearchCV(estimator, {name: values}, cv=3, error_score="raise").fit, X, y)
    assert search.best_params_[name] in values and type(search.best_estimator_) is type(estimator)
    refit = _quiet(clone(estimator).set_params(**search.best_params_).fit, X, y)
    np.testing.assert_allclose(np.asarray(search.predict(X)), np.asarray(refit.predict(X)), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("estimator", TRANSFORMERS, ids=repr)
def test_transformer_in_a_sklearn_pipeline_matches_using_it_by_hand(estimator):
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    pipeline = Pipeline([("transform", clone(estimator)), ("scale", StandardScaler())])
    expected = StandardScaler().fit_transform(np.asarray(_quiet(clone(estimator).fit_transform, X, y)))
    np.testing.assert_allclose(np.asarray(_quiet(pipeline.fit_transform, X, y)), expected, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("estimator", TRANSFORMERS, ids=repr)
def test_transformer_in_sklearn_grid_search_over_its_parameter(estimator):
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    name, values = _grid(estimator)
    pipeline = Pipeline([("transform", estimator), ("ridge", SklearnRidge())])
    search = GridSearchCV(pipeline, {f"transform__{name}": values}, cv=3, error_score="raise")
    _quiet(search.fit, X, y)
    assert search.best_params_[f"transform__{name}"] in values
    assert np.isfinite(search.best_score_)


@pytest.mark.parametrize("estimator", INSTANCES, ids=repr)
def test_sklearn_check_estimator(estimator):
    pytest.importorskip("sklearn", minversion="1.6", reason="check_estimator(on_fail=None) needs scikit-learn 1.6")
    if type(estimator).__name__ in SLOW_IN_SKLEARN_CHECKS:
        pytest.skip(f"scikit-learn's check_estimator takes minutes on {type(estimator).__name__} here; "
                    "minml's contract suite (tests/contract) checks it")
    from sklearn.utils import estimator_checks as checks
    expected = {**SKLEARN_EXPECTED_FAILURES, **SKLEARN_EXPECTED_FAILURES_OF.get(type(estimator).__name__, {})}
    results = _quiet(checks.check_estimator, estimator, on_fail=None, expected_failed_checks=expected)
    failed = [f"{r['check_name']}: {r['exception']!r}"[:500] for r in results if r["status"] == "failed"]
    assert not failed, "scikit-learn's check_estimator fails:\n" + "\n".join(failed)
