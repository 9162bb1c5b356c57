"""The estimator contract as checks: does an estimator keep the promises scikit-learn's do?

:mod:`minml.base` states the contract (``__init__`` stores parameters, ``fit``
returns self, learned attributes end in ``_``...). This module tests it, the way
scikit-learn's ``sklearn.utils.estimator_checks`` does, on tiny data so that
every estimator can be checked on every device in a few seconds:

    >>> from minml.testing.estimators import check_estimator
    >>> check_estimator(MyRidge(alpha=0.5))                   # raises AssertionError listing what broke
    >>> check_estimator(MyRidge(), device="fake")             # on the fake GPU of minml.testing

Each check is a function ``check_name(estimator, device)`` that raises
AssertionError (or lets the estimator's own error through) when a promise is
broken. They come in categories: API (parameters, clone, repr, unfitted use),
general (input validation, determinism, pickling, devices), classifier,
regressor and transformer; :func:`checks_for` picks the ones that apply.

Discovery: :func:`all_estimators` walks the minml package and returns every
public class that subclasses :class:`~minml.base.BaseEstimator`, so a new
estimator cannot miss the contract suite (tests/contract/). An estimator whose
constructor has required arguments (a Pipeline needs its steps) defines a
classmethod ``_contract_instances()`` returning example instances.

What an estimator may declare, as class attributes (each one documented, and
each skip shown by pytest with its reason — never silent):

- ``_allow_nan = True`` — NaN in X is accepted (missing values), not an error;
- ``_multi_output = True`` — a regressor that accepts a 2-D y (one column per output);
- ``_contract_input = "categorical"`` (X of small non-negative integers, as for
  encoders) or ``"positive"`` (X ≥ 0);
- ``_host_attributes = ("n_iter_",)`` — learned attributes kept on the host by design
  (bookkeeping such as iteration counts, never mixed into device computations);
  every other learned array must live on X's device;
- ``_contract_skip = {"check_name": "why this check does not apply"}``;
- ``_contract_device_tol = 1e-9`` — the ``tol`` check_device fits with. An iterative solver
  stopped at its usual ``tol`` may stop at another iterate on another device (its sums round
  differently there); run to convergence, both devices reach the same optimum.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pickle
import pkgutil
import warnings

import numpy as np

from minml import backend
from minml.base import BaseEstimator, clone, is_classifier
from minml.exceptions import DataConversionWarning, NotFittedError

__all__ = [
    "CHECKS",
    "DEFAULT_EXCLUDED_MODULES",
    "OPTIONAL_DEPENDENCIES",
    "all_estimators",
    "check_estimator",
    "checks_for",
    "contract_data",
    "contract_instances",
    "discover_instances",
    "is_regressor",
    "skip_reason",
    "with_fixed_seeds",
]

DEFAULT_EXCLUDED_MODULES = ("minml.testing", "minml.grading", "minml._exercises")
"""Modules (and everything under them) that hold no estimators of minml's own."""

OPTIONAL_DEPENDENCIES = frozenset(
    {"cupy", "cupyx", "sklearn", "torch", "joblib", "pandas", "mkdocs", "markdown_exec", "playwright"}
)
"""Packages minml may use without requiring them: a module that fails to import only for want of one is skipped."""

_METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function", "transform")

# --------------------------------------------------------------------------- discovery


def _import(name: str, optional: frozenset[str]):
    """The module ``name``, or None when importing it fails only for want of an ``optional`` dependency."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] in optional:
            return None
        raise


def _modules(package: str, exclude: tuple[str, ...], optional: frozenset[str]):
    """Import ``package`` and every module below it, except ``exclude``d ones and ``__main__`` modules.

    A module whose import fails only because an optional dependency is missing
    is skipped; any other import error propagates: a broken module must not
    quietly take its estimators out of the contract suite.
    """
    root = _import(package, optional)
    if root is None:
        return
    yield root
    for info in pkgutil.iter_modules(getattr(root, "__path__", []), prefix=f"{package}."):
        name = info.name
        if name.rsplit(".", 1)[-1] == "__main__" or any(name == ex or name.startswith(f"{ex}.") for ex in exclude):
            continue
        if info.ispkg:
            yield from _modules(name, exclude, optional)
        elif (module := _import(name, optional)) is not None:
            yield module


def all_estimators(
    package: str = "minml",
    *,
    exclude: tuple[str, ...] = DEFAULT_EXCLUDED_MODULES,
    optional: frozenset[str] = OPTIONAL_DEPENDENCIES,
) -> list[tuple[str, type]]:
    """``(name, class)`` for every public estimator class defined in ``package``, sorted by name.

    Public: the class name has no leading underscore. Estimator: a subclass of
    :class:`~minml.base.BaseEstimator` that is not abstract. Defined in the
    package: classes merely imported from elsewhere do not count.
    """
    found = {}
    for module in _modules(package, exclude, optional):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            defined_here = cls.__module__ == package or cls.__module__.startswith(f"{package}.")
            if (
                defined_here
                and not name.startswith("_")
                and not cls.__name__.startswith("_")
                and issubclass(cls, BaseEstimator)
                and cls is not BaseEstimator
                and not inspect.isabstract(cls)
            ):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return sorted(((cls.__name__, cls) for cls in found.values()), key=lambda item: (item[0], item[1].__module__))


def contract_instances(cls) -> list:
    """Example instances of ``cls`` to check: ``cls()``, or ``cls._contract_instances()`` when it defines that.

    Raises TypeError saying what to do when the class cannot be checked: its
    constructor has required arguments and it gives no examples, it has no
    ``fit`` (a base class that should be abstract or private), or its
    ``__init__`` hides its parameters behind ``*args``.
    """
    if not callable(getattr(cls, "fit", None)):
        raise TypeError(
            f"{cls.__name__} is a public estimator class without fit. If it is a base class, make it abstract "
            "(abc.ABC with an abstractmethod) or private (a leading underscore) so that the contract suite skips it."
        )
    try:
        cls._get_param_names()
    except RuntimeError as error:
        raise TypeError(str(error)) from None
    if "_contract_instances" in dir(cls):
        instances = list(cls._contract_instances())
        if not instances or not all(isinstance(instance, cls) for instance in instances):
            raise TypeError(f"{cls.__name__}._contract_instances() must return a non-empty list of {cls.__name__}s.")
        return instances
    required = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name != "self" and p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if required:
        raise TypeError(
            f"{cls.__name__}() needs the argument(s) {required}, so the contract suite cannot build one. Add a "
            f"classmethod {cls.__name__}._contract_instances(cls) returning a list of example instances."
        )
    return [cls()]


def discover_instances(package: str = "minml", **discovery) -> tuple[list, dict[str, str]]:
    """Example instances of every estimator in ``package``, and ``{class name: why}`` for those that cannot be built.

    ``discovery`` goes to :func:`all_estimators` (``exclude``, ``optional``).
    """
    instances, problems = [], {}
    for name, cls in all_estimators(package, **discovery):
        try:
            instances.extend(contract_instances(cls))
        except Exception as error:  # noqa: BLE001 - reported to the caller, who fails on it
            problems[f"{cls.__module__}.{name}"] = f"{type(error).__name__}: {error}"
    return instances, problems


def is_regressor(estimator) -> bool:
    """True for regressors (their score is R²)."""
    return getattr(estimator, "_estimator_type", None) == "regressor"


def skip_reason(estimator, check) -> str | None:
    """Why ``check`` does not apply to ``estimator`` (from its ``_contract_skip``), or None when it does."""
    return getattr(estimator, "_contract_skip", {}).get(check.__name__)


# --------------------------------------------------------------------------- data


def _classification_data(n_samples: int = 30, n_features: int = 3, n_classes: int = 3, seed: int = 0):
    """Well separated Gaussian blobs: X (n_samples, n_features) float64 and labels 0..n_classes-1, shuffled."""
    rng = np.random.default_rng(seed)
    centers = 6.0 * np.eye(max(n_classes, n_features))[:n_classes, :n_features]
    y = np.arange(n_samples) % n_classes
    X = centers[y] + rng.standard_normal((n_samples, n_features))
    order = rng.permutation(n_samples)
    return X[order], y[order]


def _regression_data(n_samples: int = 30, n_features: int = 3, n_outputs: int = 0, seed: int = 0):
    """A noisy linear problem: y = X w + 3 + noise, with large weights (easy even for regularised models)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    weights = rng.uniform(4.0, 10.0, size=(n_features, max(n_outputs, 1))) * rng.choice([-1, 1], (n_features, 1))
    y = X @ weights + 3.0 + 0.1 * rng.standard_normal((n_samples, max(n_outputs, 1)))
    return X, (y if n_outputs else y[:, 0])


def _adapt_X(estimator, X: np.ndarray) -> np.ndarray:
    """X as the estimator's declared ``_contract_input`` wants it (scikit-learn's categorical / positive tags)."""
    kind = getattr(estimator, "_contract_input", "continuous")
    if kind == "categorical":  # three equally frequent categories per column, 0, 1 and 2, in X's order
        return (np.argsort(np.argsort(X, axis=0), axis=0) * 3 // X.shape[0]).astype(np.float64)
    if kind == "positive":
        return X - X.min()
    if kind != "continuous":
        raise ValueError(f"_contract_input must be 'continuous', 'categorical' or 'positive'; got {kind!r}")
    return X


def contract_data(estimator, *, n_classes: int = 3, seed: int = 0):
    """The checks' tiny host data (X, y) for ``estimator``: 30 samples, 3 features.

    Classifiers get well separated blobs with labels 0..n_classes-1; other
    estimators a noisy linear target. X follows ``_contract_input``.
    """
    if is_classifier(estimator):
        X, y = _classification_data(n_classes=n_classes, seed=seed)
    else:
        X, y = _regression_data(seed=seed)
    return _adapt_X(estimator, X), y


def _data(estimator, device, n_classes: int = 3, seed: int = 0):
    """(X, y) on ``device``."""
    X, y = contract_data(estimator, n_classes=n_classes, seed=seed)
    return backend.to_device(X, device), backend.to_device(y, device)


def with_fixed_seeds(estimator):
    """A clone of ``estimator`` whose random_state parameters (nested ones too) that were None are 0."""
    estimator = clone(estimator)
    seeds = {name: 0 for name, value in estimator.get_params(deep=True).items()
             if (name == "random_state" or name.endswith("__random_state")) and value is None}
    return estimator.set_params(**seeds)


def _methods(estimator) -> list[str]:
    """The prediction and transformation methods ``estimator`` offers (asked after fitting)."""
    return [name for name in _METHODS if hasattr(estimator, name)]


def _outputs(estimator, X) -> dict[str, np.ndarray]:
    """Host copies of every method's output on X."""
    return {name: backend.asnumpy(getattr(estimator, name)(X)) for name in _methods(estimator)}


def _assert_outputs_equal(actual: dict, expected: dict, rtol: float = 1e-7, atol: float = 1e-9, what: str = ""):
    assert actual.keys() == expected.keys(), f"{what}: methods {sorted(actual)} != {sorted(expected)}"
    for name in expected:
        got, want = actual[name], expected[name]
        assert got.shape == want.shape, f"{what}: {name} has shape {got.shape}, expected {want.shape}"
        if want.dtype.kind in "fc":
            np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=f"{what}: {name} differs")
        else:
            assert np.array_equal(got, want), f"{what}: {name} differs: {got} != {want}"


def _fit(estimator, X, y):
    """``estimator.fit(X, y)`` with convergence and conversion warnings silenced (tiny data makes many)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimator.fit(X, y)


def _fitted_attributes(estimator) -> dict:
    """The learned attributes: public names ending in ``_`` in the instance's ``__dict__``."""
    return {name: value for name, value in vars(estimator).items() if name.endswith("_") and not name.startswith("_")}


def _misplaced_arrays(value, device, where: str, depth: int = 0) -> list[str]:
    """Where in ``value`` (an attribute, possibly a list/dict/estimator) a numeric array is not on ``device``."""
    if depth > 4:
        return []
    if isinstance(value, (list, tuple)):
        return [m for i, item in enumerate(value) for m in _misplaced_arrays(item, device, f"{where}[{i}]", depth + 1)]
    if isinstance(value, dict):
        return [m for k, item in value.items() for m in _misplaced_arrays(item, device, f"{where}[{k!r}]", depth + 1)]
    if isinstance(value, BaseEstimator):
        host = set(getattr(value, "_host_attributes", ()))
        return [m for name, item in _fitted_attributes(value).items() if name not in host
                for m in _misplaced_arrays(item, device, f"{where}.{name}", depth + 1)]
    if hasattr(value, "shape") and hasattr(value, "dtype") and not isinstance(value, np.generic):
        try:
            place = backend.device_of(value)
        except TypeError:
            return []
        host_only = isinstance(value, np.ndarray) and value.dtype.kind in "OUSV"  # strings live on the host
        if place != backend.device(device) and not host_only:
            return [f"{where} is on {place}"]
    return []


# --------------------------------------------------------------------------- API checks


def check_init_stores_params(estimator, device):
    """``__init__`` stores every parameter unchanged under its own name and sets no other public attribute."""
    params = estimator.get_params(deep=False)
    fresh = type(estimator)(**params)
    for name, value in params.items():
        assert hasattr(fresh, name), f"__init__ does not store the parameter {name!r} as self.{name}"
        assert getattr(fresh, name) is value, (
            f"__init__ changed the parameter {name!r}: stored {getattr(fresh, name)!r}, given {value!r}. Store "
            "parameters unchanged and validate them in fit."
        )
    extra = sorted(name for name in vars(fresh) if name not in params and not name.startswith("_"))
    assert not extra, f"__init__ sets attributes that are not parameters: {extra}. Set them in fit."
    if not getattr(estimator, "_contract_instances", None):
        defaults = {p.name: p.default for p in inspect.signature(type(estimator).__init__).parameters.values()}
        default = type(estimator)()
        for name in params:
            assert getattr(default, name) is defaults[name], f"the default of {name!r} is not stored as given"


def check_get_params_set_params_round_trip(estimator, device):
    """``set_params(**get_params())`` returns self and changes nothing; get_params lists only parameters."""
    estimator = clone(estimator)
    shallow, deep = estimator.get_params(deep=False), estimator.get_params(deep=True)
    assert set(shallow) <= set(deep), "get_params(deep=True) must include every shallow parameter"
    assert set(shallow) == set(estimator._get_param_names()), "get_params(deep=False) must list the __init__ parameters"
    assert estimator.set_params(**shallow) is estimator, "set_params must return the estimator itself"
    after = estimator.get_params(deep=False)
    assert all(after[name] is shallow[name] for name in shallow), "set_params(**get_params()) changed a parameter"


def check_clone(estimator, device):
    """``clone`` gives a new, unfitted estimator of the same class with the same parameters, fitted or not."""
    X, y = _data(estimator, device)
    fitted = _fit(clone(estimator), X, y)
    for original in (estimator, fitted):
        copy = clone(original)
        assert type(copy) is type(original) and copy is not original, "clone must build a new object of the class"
        assert repr(copy.get_params(deep=True)) == repr(original.get_params(deep=True)), "clone changed parameters"
        assert not _fitted_attributes(copy), f"a clone must be unfitted; it has {sorted(_fitted_attributes(copy))}"


def check_repr(estimator, device):
    """``repr`` names the class and works before and after fit."""
    text = repr(estimator)
    assert isinstance(text, str) and text.startswith(type(estimator).__name__ + "("), f"bad repr: {text!r}"
    X, y = _data(estimator, device)
    assert repr(_fit(clone(estimator), X, y)) == text, "fitting must not change the repr (it shows parameters)"


def check_fit_returns_self(estimator, device):
    """``fit`` returns the estimator itself, so that ``model.fit(X, y).predict(X)`` works."""
    estimator = clone(estimator)
    X, y = _data(estimator, device)
    assert _fit(estimator, X, y) is estimator, "fit must return self"


def check_no_fitted_attributes_before_fit(estimator, device):
    """An unfitted estimator has no learned (``_``-suffixed) attribute: they are what marks it fitted."""
    estimator = clone(estimator)
    assert not _fitted_attributes(estimator), (
        f"attributes ending in '_' exist before fit: {sorted(_fitted_attributes(estimator))}"
    )


def check_n_features_in(estimator, device):
    """``fit`` records ``n_features_in_``, the number of columns of X, as a Python int."""
    estimator = clone(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    assert getattr(estimator, "n_features_in_", None) == X.shape[1], "fit must set n_features_in_ = X.shape[1]"
    assert type(estimator.n_features_in_) is int, f"n_features_in_ must be an int, not {type(estimator.n_features_in_)}"


def check_fit_does_not_change_params(estimator, device):
    """``fit`` leaves the parameters as the user set them; what it learns goes into new ``_`` attributes."""
    estimator = clone(estimator)
    before_objects = estimator.get_params(deep=False)
    before = repr(estimator.get_params(deep=True))
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    after_objects = estimator.get_params(deep=False)
    changed = sorted(name for name in before_objects if after_objects[name] is not before_objects[name])
    assert not changed, f"fit replaced the parameter(s) {changed}"
    assert repr(estimator.get_params(deep=True)) == before, "fit changed a parameter's value in place"
    added = sorted(name for name in vars(estimator)
                   if name not in before_objects and not name.startswith("_") and not name.endswith("_"))
    assert not added, f"fit added public attributes {added}: learned attributes end in '_', private ones start with it"


def check_not_fitted_error(estimator, device):
    """Every prediction method raises NotFittedError before ``fit``."""
    estimator = clone(estimator)
    X, y = _data(estimator, device)
    methods = [name for name in (*_METHODS, "score") if hasattr(estimator, name)]
    for name in methods:
        args = (X, y) if name == "score" else (X,)
        try:
            getattr(estimator, name)(*args)
        except NotFittedError:
            continue
        except Exception as error:  # noqa: BLE001 - the check reports which error came instead
            raise AssertionError(
                f"{name} before fit raised {type(error).__name__}: {error}; expected NotFittedError"
            ) from error
        raise AssertionError(f"{name} before fit did not raise NotFittedError")


# --------------------------------------------------------------------------- general checks


def check_fit_twice_same_result(estimator, device):
    """Fitting the same estimator twice on the same data gives the same model (fit starts afresh)."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    first = _outputs(_fit(estimator, X, y), X)
    X2, y2 = _data(estimator, device, seed=1)
    _fit(estimator, X2, y2)  # a different fit in between must leave no trace
    _assert_outputs_equal(_outputs(_fit(estimator, X, y), X), first, what="second fit")


def check_fit_clone_same_result(estimator, device):
    """A clone, fitted on the same data, gives the same results (with random_state fixed)."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    first = _outputs(_fit(clone(estimator), X, y), X)
    _assert_outputs_equal(_outputs(_fit(clone(estimator), X, y), X), first, what="clone")


def check_methods_do_not_change_state(estimator, device):
    """Predicting is deterministic and leaves the fitted attributes untouched."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    before = {name: pickle.dumps(value) for name, value in _fitted_attributes(estimator).items()}
    first = _outputs(estimator, X)
    _assert_outputs_equal(_outputs(estimator, X), first, rtol=0, atol=0, what="calling again")
    after = {name: pickle.dumps(value) for name, value in _fitted_attributes(estimator).items()}
    assert after.keys() == before.keys(), f"predicting added attributes: {sorted(set(after) - set(before))}"
    changed = sorted(name for name in after if after[name] != before[name])
    assert not changed, f"predicting changed the fitted attribute(s) {changed}"


def check_1d_X_error(estimator, device):
    """A 1-D X, in fit and after it, is refused with a message that says how to reshape it."""
    estimator = clone(estimator)
    X, y = _data(estimator, device)
    with _raises(ValueError, "reshape", "fit with a 1-D X"):
        _fit(estimator, X[:, 0], y)
    _fit(estimator, X, y)
    for name in _methods(estimator):
        with _raises(ValueError, "reshape", f"{name} with a 1-D X"):
            getattr(estimator, name)(X[0])


def check_nan_inf_error(estimator, device):
    """NaN in X is an error naming NaN (unless ``_allow_nan``); infinity is always an error."""
    estimator = clone(estimator)
    X, y = contract_data(estimator)
    for value, word in ((np.nan, "NaN"), (np.inf, "infinity")):
        bad = X.copy()
        bad[1, 0] = value
        bad = backend.to_device(bad, device)
        if value != value and getattr(estimator, "_allow_nan", False):
            _fit(estimator, bad, backend.to_device(y, device))
            continue
        with _raises(ValueError, word, f"fit with {word} in X"):
            _fit(estimator, bad, backend.to_device(y, device))
        _fit(estimator, backend.to_device(X, device), backend.to_device(y, device))
        for name in _methods(estimator):
            with _raises(ValueError, word, f"{name} with {word} in X"):
                getattr(estimator, name)(bad)


def check_empty_data_error(estimator, device):
    """X with no samples, or with no features, is refused."""
    estimator = clone(estimator)
    X, y = _data(estimator, device)
    with _raises(ValueError, "sample", "fit on 0 samples"):
        _fit(estimator, X[:0], y[:0])
    with _raises(ValueError, "feature", "fit on 0 features"):
        _fit(estimator, X[:, :0], y)


def check_inconsistent_lengths_error(estimator, device):
    """X and y with different numbers of samples are refused, naming both lengths."""
    if not _is_supervised(estimator):
        return
    X, y = _data(estimator, device)
    with _raises(ValueError, "inconsistent numbers of samples", "fit with len(y) != len(X)"):
        _fit(clone(estimator), X, y[:-1])


def _is_supervised(estimator) -> bool:
    return getattr(estimator, "_estimator_type", None) in ("classifier", "regressor")


def check_requires_y(estimator, device):
    """A classifier or regressor fitted without y says that it needs y."""
    if not _is_supervised(estimator):
        return
    X, _ = _data(estimator, device)
    with _raises(ValueError, "requires y", "fit with y=None"):
        _fit(clone(estimator), X, None)


def check_y_column_vector(estimator, device):
    """A column-vector y of shape (n, 1) works like the 1-D y, with a DataConversionWarning (unless multi-output)."""
    if not _is_supervised(estimator) or getattr(estimator, "_multi_output", False):
        return
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    expected = _outputs(_fit(clone(estimator), X, y), X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator.fit(X, y.reshape(-1, 1))
    assert any(issubclass(w.category, DataConversionWarning) for w in caught), (
        "a column-vector y must raise a DataConversionWarning (check_target does it)"
    )
    _assert_outputs_equal(_outputs(estimator, X), expected, rtol=1e-7, atol=1e-9, what="y of shape (n, 1)")


def _accepts_sample_weight(estimator) -> bool:
    return "sample_weight" in inspect.signature(estimator.fit).parameters


def check_sample_weight(estimator, device):
    """``sample_weight`` of ones changes nothing, and an integer weight k acts as k copies of the sample."""
    if not _accepts_sample_weight(estimator):
        return
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    weights = np.ones(X.shape[0])
    weights[: X.shape[0] // 3] = 3.0
    repeated = np.repeat(np.arange(X.shape[0]), weights.astype(int))
    on = functools.partial(backend.to_device, dev=device)
    X_device = on(X)
    unweighted = _outputs(_fit(clone(estimator), X_device, on(y)), X_device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ones = _outputs(clone(estimator).fit(X_device, on(y), sample_weight=on(np.ones(X.shape[0]))), X_device)
        weighted = _outputs(clone(estimator).fit(X_device, on(y), sample_weight=on(weights)), X_device)
    _assert_outputs_equal(ones, unweighted, rtol=1e-6, atol=1e-8, what="sample_weight=ones vs none")
    copies = _outputs(_fit(clone(estimator), on(X[repeated]), on(y[repeated])), X_device)
    _assert_outputs_equal(weighted, copies, rtol=1e-5, atol=1e-7, what="weight 3 vs 3 copies of the sample")


def check_n_features_mismatch_error(estimator, device):
    """After fitting on p features, X with another number of features is refused by every method."""
    estimator = clone(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    wider = backend.namespace(X).concatenate([X, X[:, :1]], axis=1)
    for name in _methods(estimator):
        with _raises(ValueError, "features", f"{name} on X with one feature too many"):
            getattr(estimator, name)(wider)


def check_fit_on_lists(estimator, device):
    """Python lists are accepted as X and y, with the same results as arrays."""
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    expected = _outputs(_fit(clone(estimator), X, y), X)
    _assert_outputs_equal(_outputs(_fit(estimator, X.tolist(), y.tolist()), X.tolist()), expected, what="lists")


def check_dtypes(estimator, device):
    """float32 and integer X work: integers as their float64 values, float32 to float32 precision."""
    estimator = with_fixed_seeds(estimator)
    X, y = contract_data(estimator)
    X = np.round(X * 4)  # integer valued, so the int64 copy holds exactly the same numbers
    reference = _outputs(_fit(clone(estimator), backend.to_device(X, device), backend.to_device(y, device)),
                         backend.to_device(X, device))
    as_int = backend.to_device(X.astype(np.int64), device)
    _assert_outputs_equal(_outputs(_fit(clone(estimator), as_int, backend.to_device(y, device)), as_int),
                          reference, what="int64 X")
    as_f32 = backend.to_device(X.astype(np.float32), device)
    outputs = _outputs(_fit(clone(estimator), as_f32, backend.to_device(y, device)), as_f32)
    _assert_outputs_equal(outputs, reference, rtol=1e-3, atol=1e-3, what="float32 X")


def check_pickle(estimator, device):
    """A pickled and unpickled fitted estimator predicts the same, on the same device."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    restored = pickle.loads(pickle.dumps(estimator))
    assert type(restored) is type(estimator)
    _assert_outputs_equal(_outputs(restored, X), _outputs(estimator, X), rtol=0, atol=0, what="after pickling")
    assert not _misplaced_arrays(restored, device, "restored"), _misplaced_arrays(restored, device, "restored")


def check_device(estimator, device):
    """Fitted on ``device``, learned attributes and outputs stay there, and equal a CPU fit's."""
    estimator = with_fixed_seeds(estimator)
    if hasattr(estimator, "_contract_device_tol"):
        estimator.set_params(tol=estimator._contract_device_tol)
    X, y = contract_data(estimator)
    cpu = _outputs(_fit(clone(estimator), X, y), X)
    X_device = backend.to_device(X, device)
    _fit(estimator, X_device, backend.to_device(y, device))
    misplaced = _misplaced_arrays(estimator, device, type(estimator).__name__)
    assert not misplaced, f"fitted on {device}, but {', '.join(misplaced)}"
    for name in _methods(estimator):
        output = getattr(estimator, name)(X_device)
        assert backend.device_of(output) == backend.device(device), (
            f"{name} on {device} input returned an array on {backend.device_of(output)}"
        )
    _assert_outputs_equal(_outputs(estimator, X_device), cpu, rtol=1e-5, atol=1e-7, what=f"{device} vs cpu")


# --------------------------------------------------------------------------- classifier checks


def check_classifier_classes(estimator, device):
    """``classes_`` holds the sorted distinct labels; predict returns labels from ``classes_``."""
    estimator = clone(estimator)
    X, y = contract_data(estimator)
    labels = np.array([7, -2, 3])[y]
    _fit(estimator, backend.to_device(X, device), backend.to_device(labels, device))
    assert np.array_equal(backend.asnumpy(estimator.classes_), [-2, 3, 7]), f"classes_ = {estimator.classes_}"
    predicted = backend.asnumpy(estimator.predict(backend.to_device(X, device)))
    assert predicted.shape == (X.shape[0],), f"predict returned shape {predicted.shape}, expected ({X.shape[0]},)"
    assert set(predicted.tolist()) <= {-2, 3, 7}, f"predict returned labels outside classes_: {set(predicted)}"


def check_classifier_string_labels(estimator, device):
    """String labels work: ``classes_`` and predictions are the strings."""
    estimator = clone(estimator)
    X, y = contract_data(estimator)
    names = np.array(["owl", "cat", "dog"])
    _fit(estimator, backend.to_device(X, device), names[y])
    assert backend.asnumpy(estimator.classes_).tolist() == ["cat", "dog", "owl"], f"classes_ = {estimator.classes_}"
    predicted = backend.asnumpy(estimator.predict(backend.to_device(X, device)))
    assert set(predicted.tolist()) <= {"cat", "dog", "owl"}, f"predict returned {set(predicted.tolist())}"
    assert np.mean(predicted == names[y]) > 0.8, "with string labels the classifier no longer fits the easy problem"


def check_classifier_predict_proba(estimator, device):
    """``predict_proba`` rows are probabilities (≥ 0, sum to 1), one column per class, argmax = predict."""
    estimator = with_fixed_seeds(estimator)
    for n_classes in (2, 3):
        X, y = _data(estimator, device, n_classes=n_classes)
        _fit(estimator, X, y)
        if not hasattr(estimator, "predict_proba"):
            return
        proba = backend.asnumpy(estimator.predict_proba(X))
        assert proba.shape == (X.shape[0], n_classes), f"predict_proba shape {proba.shape}"
        assert (proba >= 0).all() and (proba <= 1).all(), "probabilities must lie in [0, 1]"
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6, err_msg="predict_proba rows must sum to 1")
        classes = backend.asnumpy(estimator.classes_)
        predicted = backend.asnumpy(estimator.predict(X))
        assert np.array_equal(classes[proba.argmax(axis=1)], predicted), "argmax of predict_proba must match predict"
        if hasattr(estimator, "predict_log_proba"):
            np.testing.assert_allclose(np.exp(backend.asnumpy(estimator.predict_log_proba(X))), proba, rtol=1e-6,
                                       atol=1e-12, err_msg="predict_log_proba must be log(predict_proba)")


def check_classifier_decision_function(estimator, device):
    """``decision_function`` is (n,) for two classes (positive means classes_[1]) and (n, K) for K > 2."""
    estimator = with_fixed_seeds(estimator)
    for n_classes in (2, 3):
        X, y = _data(estimator, device, n_classes=n_classes)
        _fit(estimator, X, y)
        if not hasattr(estimator, "decision_function"):
            return
        scores = backend.asnumpy(estimator.decision_function(X))
        classes = backend.asnumpy(estimator.classes_)
        predicted = backend.asnumpy(estimator.predict(X))
        if n_classes == 2:
            assert scores.shape == (X.shape[0],), f"binary decision_function shape {scores.shape}"
            assert np.array_equal(classes[(scores > 0).astype(int)], predicted), "sign of decision_function != predict"
        else:
            assert scores.shape == (X.shape[0], n_classes), f"multiclass decision_function shape {scores.shape}"
            assert np.array_equal(classes[scores.argmax(axis=1)], predicted), "argmax of decision_function != predict"


def check_classifier_one_class_error(estimator, device):
    """A y with a single class is refused, saying so."""
    X, y = _data(estimator, device)
    with _raises(ValueError, "class", "fit with one class"):
        _fit(clone(estimator), X, backend.namespace(y).zeros_like(y))


def check_classifier_continuous_y_error(estimator, device):
    """A continuous (regression) target is refused by a classifier, saying it is continuous."""
    X, _ = _data(estimator, device)
    y = backend.to_device(np.linspace(0.05, 2.95, X.shape[0]), device)
    with _raises(ValueError, "continuous", "fit on a continuous y"):
        _fit(clone(estimator), X, y)


def check_classifier_score_is_accuracy(estimator, device):
    """``score`` is the accuracy of predict, as a Python float."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    score = estimator.score(X, y)
    assert type(score) is float, f"score must be a Python float, got {type(score).__name__}"
    expected = float(np.mean(backend.asnumpy(estimator.predict(X)) == backend.asnumpy(y)))
    assert abs(score - expected) < 1e-12, f"score {score} != accuracy {expected}"


def check_classifier_train_accuracy(estimator, device):
    """On well separated blobs (2 and 3 classes), training accuracy is at least 0.83 (scikit-learn's bar)."""
    for n_classes in (2, 3):
        estimator = with_fixed_seeds(estimator)
        X, y = _data(estimator, device, n_classes=n_classes)
        _fit(estimator, X, y)
        accuracy = float(np.mean(backend.asnumpy(estimator.predict(X)) == backend.asnumpy(y)))
        assert accuracy >= 0.83, f"training accuracy {accuracy:.2f} < 0.83 on easy {n_classes}-class blobs"


# --------------------------------------------------------------------------- regressor checks


def _r2(y, predicted) -> float:
    y, predicted = np.asarray(y, dtype=np.float64), np.asarray(predicted, dtype=np.float64)
    return float(np.mean(1 - ((y - predicted) ** 2).sum(axis=0) / ((y - y.mean(axis=0)) ** 2).sum(axis=0)))


def check_regressor_predict_shape(estimator, device):
    """``predict`` gives one number per sample: shape (n_samples,) for a 1-D y."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    predicted = _fit(estimator, X, y).predict(X)
    assert predicted.shape == (X.shape[0],), f"predict shape {predicted.shape}, expected ({X.shape[0]},)"


def check_regressor_score_is_r2(estimator, device):
    """``score`` is R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)² of predict, as a Python float."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    score = estimator.score(X, y)
    assert type(score) is float, f"score must be a Python float, got {type(score).__name__}"
    expected = _r2(backend.asnumpy(y), backend.asnumpy(estimator.predict(X)))
    assert abs(score - expected) < 1e-9, f"score {score} != R² {expected}"


def check_regressor_train_r2(estimator, device):
    """On an easy noisy linear problem, training R² is above 0.5 (scikit-learn's bar)."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    r2 = _r2(backend.asnumpy(y), backend.asnumpy(_fit(estimator, X, y).predict(X)))
    assert r2 > 0.5, f"training R² {r2:.3f} ≤ 0.5 on an easy linear problem"


def check_regressor_multi_output(estimator, device):
    """A regressor declaring ``_multi_output`` fits a 2-D y: predictions (n, n_outputs), each output fitted."""
    if not getattr(estimator, "_multi_output", False):
        return
    estimator = with_fixed_seeds(estimator)
    X, y = _regression_data(n_outputs=2)
    X = backend.to_device(_adapt_X(estimator, X), device)
    predicted = backend.asnumpy(_fit(estimator, X, backend.to_device(y, device)).predict(X))
    assert predicted.shape == y.shape, f"multi-output predict shape {predicted.shape}, expected {y.shape}"
    assert _r2(y, predicted) > 0.5, "multi-output fit is poor"


# --------------------------------------------------------------------------- transformer checks


def check_transformer_fit_transform(estimator, device):
    """``fit_transform(X)`` equals ``fit(X).transform(X)`` and keeps one row per sample."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        at_once = backend.asnumpy(clone(estimator).fit_transform(X, y))
    separately = backend.asnumpy(_fit(clone(estimator), X, y).transform(X))
    assert at_once.shape[0] == X.shape[0], f"transform gave {at_once.shape[0]} rows for {X.shape[0]} samples"
    _assert_outputs_equal({"fit_transform": at_once}, {"fit_transform": separately}, rtol=1e-7, atol=1e-9,
                          what="fit_transform vs fit().transform()")


def check_transformer_feature_names_out(estimator, device):
    """``get_feature_names_out()``, where offered, names every output column with a string."""
    estimator = with_fixed_seeds(estimator)
    X, y = _data(estimator, device)
    _fit(estimator, X, y)
    if not hasattr(estimator, "get_feature_names_out"):
        return
    names = estimator.get_feature_names_out()
    n_columns = estimator.transform(X).shape[1]
    assert isinstance(names, np.ndarray) and names.shape == (n_columns,), (
        f"get_feature_names_out() must return a NumPy array of {n_columns} names; got {names!r}"
    )
    assert all(isinstance(name, str) for name in names.tolist()), "feature names must be strings"
    given = [f"col{i}" for i in range(X.shape[1])]
    assert estimator.get_feature_names_out(given).shape == (n_columns,)


# --------------------------------------------------------------------------- running them


class _raises:
    """Context manager: the block must raise ``kind`` with ``word`` (case-insensitive) in its message."""

    def __init__(self, kind, word: str, what: str):
        self.kind, self.word, self.what = kind, word, what

    def __enter__(self):
        return self

    def __exit__(self, exc_type, error, traceback):
        if exc_type is None:
            raise AssertionError(
                f"{self.what}: no error raised; expected {self.kind.__name__} mentioning {self.word!r}"
            )
        if not issubclass(exc_type, self.kind):
            return False  # let the unexpected error through, with its own traceback
        if self.word.lower() not in str(error).lower():
            raise AssertionError(f"{self.what}: the message should mention {self.word!r}; got: {error}") from error
        return True


API_CHECKS = (
    check_init_stores_params,
    check_get_params_set_params_round_trip,
    check_clone,
    check_repr,
    check_fit_returns_self,
    check_no_fitted_attributes_before_fit,
    check_n_features_in,
    check_fit_does_not_change_params,
    check_not_fitted_error,
)
GENERAL_CHECKS = (
    check_fit_twice_same_result,
    check_fit_clone_same_result,
    check_methods_do_not_change_state,
    check_1d_X_error,
    check_nan_inf_error,
    check_empty_data_error,
    check_inconsistent_lengths_error,
    check_requires_y,
    check_y_column_vector,
    check_sample_weight,
    check_n_features_mismatch_error,
    check_fit_on_lists,
    check_dtypes,
    check_pickle,
    check_device,
)
CLASSIFIER_CHECKS = (
    check_classifier_classes,
    check_classifier_string_labels,
    check_classifier_predict_proba,
    check_classifier_decision_function,
    check_classifier_one_class_error,
    check_classifier_continuous_y_error,
    check_classifier_score_is_accuracy,
    check_classifier_train_accuracy,
)
REGRESSOR_CHECKS = (
    check_regressor_predict_shape,
    check_regressor_score_is_r2,
    check_regressor_train_r2,
    check_regressor_multi_output,
)
TRANSFORMER_CHECKS = (check_transformer_fit_transform, check_transformer_feature_names_out)
CHECKS = {check.__name__: check for group in (API_CHECKS, GENERAL_CHECKS, CLASSIFIER_CHECKS, REGRESSOR_CHECKS,
                                               TRANSFORMER_CHECKS) for check in group}
"""Every check by name."""


def checks_for(estimator) -> list:
    """The checks that apply to ``estimator``: API and general ones, then those of its kind(s)."""
    if isinstance(estimator, type):
        raise TypeError(f"check an instance, such as {estimator.__name__}(), not the class {estimator.__name__}")
    checks = [*API_CHECKS, *GENERAL_CHECKS]
    if is_classifier(estimator):
        checks += CLASSIFIER_CHECKS
    if is_regressor(estimator):
        checks += REGRESSOR_CHECKS
    if hasattr(estimator, "transform") or hasattr(estimator, "fit_transform"):
        checks += TRANSFORMER_CHECKS
    return checks


def check_estimator(estimator, *, device="cpu") -> dict[str, str]:
    """Run every applicable check on ``estimator`` (on ``device``); raise AssertionError if any fails.

    Returns ``{check name: "passed" or "skipped: reason"}``. The failures are
    listed together, each with its check's name and message.
    """
    skips = getattr(estimator, "_contract_skip", {})
    unknown = sorted(set(skips) - set(CHECKS))
    if unknown:
        raise ValueError(f"{type(estimator).__name__}._contract_skip names unknown checks {unknown}")
    report, failures = {}, []
    for check in checks_for(estimator):
        reason = skip_reason(estimator, check)
        if reason:
            report[check.__name__] = f"skipped: {reason}"
            continue
        try:
            check(estimator, device)
        except Exception as error:  # noqa: BLE001 - every failure is collected, then raised together
            failures.append(f"{check.__name__}: {type(error).__name__}: {error}")
            report[check.__name__] = "failed"
        else:
            report[check.__name__] = "passed"
    if failures:
        raise AssertionError(f"{estimator!r} fails {len(failures)} contract check(s) on {device}:\n  "
                             + "\n  ".join(failures))
    return report
