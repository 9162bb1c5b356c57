"""The estimator contract: what every classical model in minml promises, as scikit-learn's do.

An estimator is configured by its constructor and learns in ``fit``::

    model = Ridge(alpha=1.0)          # __init__ stores its keyword arguments, nothing else
    model.fit(X_train, y_train)       # learns; returns the estimator itself
    model.coef_                       # what it learned ends in "_"
    model.predict(X_test)             # and a score(X, y) to go with it

Because every estimator keeps this shape, tools can treat them alike without
knowing what they are: :func:`clone` makes an unfitted copy from
``get_params()``; a grid search calls ``set_params`` and ``fit`` over and over;
a pipeline chains ``fit_transform`` calls. The same promises let minml's
estimators run inside scikit-learn's own Pipeline, cross_val_score and
GridSearchCV.

- :class:`BaseEstimator` — ``get_params`` / ``set_params`` / ``repr``, and the
  check of the constructor's parameters against ``_parameter_constraints``;
- :class:`ClassifierMixin` (score = accuracy), :class:`RegressorMixin`
  (score = R²), :class:`TransformerMixin` (``fit_transform``);
- :func:`clone`, and from :mod:`minml.validation` the input checks
  (:func:`~minml.validation.check_is_fitted` ...).
"""

from __future__ import annotations

import copy
import functools
import inspect

from minml.validation import is_fitted, validate_params

__all__ = [
    "BaseEstimator", "ClassifierMixin", "RegressorMixin", "TransformerMixin", "available_if", "clone",
    "estimator_type", "is_classifier", "is_regressor",
]


class BaseEstimator:
    """Parameters in, parameters out: the base of every minml estimator.

    Subclasses list their parameters as keyword arguments of ``__init__`` and
    store each one unchanged under its own name (no checks, no conversion:
    ``fit`` does those, so ``set_params`` and ``clone`` stay exact). They may
    declare ``_parameter_constraints = {"alpha": [Interval(Real, 0, None,
    closed="left")], ...}``, checked by ``self._validate_params()`` at the
    start of ``fit``.

    Class attributes tell the contract suite (minml.testing.estimators) and
    scikit-learn's tools what an estimator accepts: ``_allow_nan`` (NaN in X is
    handled), ``_multi_output`` (a regressor takes a 2-D y), ``_contract_input``
    ("categorical" or "positive": the kind of X to test it with),
    ``_host_attributes`` (learned attributes kept on the host on purpose) and
    ``_contract_skip`` ({check name: reason}, shown as a skip with its reason).
    """

    _parameter_constraints: dict = {}

    @classmethod
    def _get_param_names(cls) -> list[str]:
        """The constructor's parameter names, sorted."""
        signature = inspect.signature(cls.__init__)
        parameters = [p for p in signature.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD]
        for parameter in parameters:
            if parameter.kind == parameter.VAR_POSITIONAL:
                raise RuntimeError(
                    f"{cls.__name__} takes *{parameter.name} in __init__: estimators must list every parameter "
                    "by name, so that get_params, set_params and clone can see them."
                )
        return sorted(p.name for p in parameters)

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters by name; with ``deep``, nested estimators' too (as ``step__alpha``)."""
        params = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                params.update({f"{name}__{key}": inner for key, inner in value.get_params(deep=True).items()})
        return params

    def set_params(self, **params):
        """Set parameters by name (``alpha=0.1``, or ``step__alpha=0.1`` for a nested one); returns self."""
        valid = self.get_params(deep=True)
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, _, inner = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {self!r}. Valid parameters are: "
                    f"{self._get_param_names()!r}."
                )
            if inner:
                nested.setdefault(name, {})[inner] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, inner_params in nested.items():
            valid[name].set_params(**inner_params)
        return self

    def _validate_params(self) -> None:
        """Check the parameters against ``_parameter_constraints`` (called first thing in ``fit``)."""
        validate_params(self)

    def __repr__(self) -> str:
        """``Ridge(alpha=2.0)``: the class and the parameters that differ from their defaults."""
        defaults = {
            name: parameter.default for name, parameter in inspect.signature(type(self).__init__).parameters.items()
        }
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params(deep=False).items()
            if name not in defaults or repr(value) != repr(defaults[name])
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_is_fitted__(self) -> bool:
        """Lets scikit-learn's ``check_is_fitted`` see a fitted minml estimator."""
        return is_fitted(self)

    def __sklearn_tags__(self):
        """What scikit-learn's tools need to know (classifier or regressor, NaN allowed ...).

        Only scikit-learn calls this, so importing it here is safe.
        """
        from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags, TransformerTags

        kind = getattr(self, "_estimator_type", None)
        data = getattr(self, "_contract_input", None)
        return Tags(
            estimator_type=kind,
            target_tags=TargetTags(
                required=kind in ("classifier", "regressor"), multi_output=getattr(self, "_multi_output", False)
            ),
            transformer_tags=TransformerTags() if hasattr(self, "transform") else None,
            classifier_tags=ClassifierTags() if kind == "classifier" else None,
            regressor_tags=RegressorTags() if kind == "regressor" else None,
            input_tags=InputTags(
                allow_nan=getattr(self, "_allow_nan", False),
                categorical=data == "categorical",
                positive_only=data == "positive",
            ),
        )


class ClassifierMixin:
    """For classifiers: ``score`` is the accuracy, the fraction of samples predicted right."""

    _estimator_type = "classifier"

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy of ``self.predict(X)`` against ``y`` (weighted by ``sample_weight``)."""
        from minml.metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)


class RegressorMixin:
    """For regressors: ``score`` is R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)², the fraction of variance explained."""

    _estimator_type = "regressor"

    def score(self, X, y, sample_weight=None) -> float:
        """R² of ``self.predict(X)`` against ``y`` (averaged over outputs, weighted by ``sample_weight``)."""
        from minml.metrics import r2_score

        return r2_score(y, self.predict(X), sample_weight=sample_weight)


class TransformerMixin:
    """For transformers: ``fit_transform(X)`` is ``fit(X).transform(X)`` (subclasses may do it in one pass)."""

    def fit_transform(self, X, y=None, **fit_params):
        """Fit to ``X`` (and ``y`` where the transformer uses it), then transform ``X``."""
        return self.fit(X, y, **fit_params).transform(X)


class _ConditionalMethod:
    """A method that exists only where ``check(instance, name)`` raises no AttributeError."""

    def __init__(self, method, check):
        self.method, self.check = method, check
        functools.update_wrapper(self, method)

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        self.check(instance, self.name)
        return self.method.__get__(instance, owner)


def available_if(check):
    """Decorator: the method exists only where ``check(instance, method_name)`` raises no AttributeError.

    Meta-estimators (Pipeline, GridSearchCV) offer ``predict_proba`` only when the
    model they wrap has it, so that ``hasattr(pipe, "predict_proba")`` is honest,
    as scikit-learn's ``available_if`` makes it.
    """
    return lambda method: _ConditionalMethod(method, check)


def estimator_type(estimator) -> str | None:
    """ "classifier", "regressor" or None: minml's ``_estimator_type``, else scikit-learn's tags.

    scikit-learn ≥ 1.6 estimators say what they are only through ``__sklearn_tags__``.
    """
    kind = getattr(estimator, "_estimator_type", None)
    if kind is not None or not hasattr(estimator, "__sklearn_tags__"):
        return kind
    try:
        return estimator.__sklearn_tags__().estimator_type
    except (ImportError, AttributeError):  # scikit-learn missing, or tags without the field
        return None


def is_classifier(estimator) -> bool:
    """True for classifiers, minml's or scikit-learn's (they score by accuracy and get stratified folds)."""
    return estimator_type(estimator) == "classifier"


def is_regressor(estimator) -> bool:
    """True for regressors, minml's or scikit-learn's."""
    return estimator_type(estimator) == "regressor"


def clone(estimator, *, safe: bool = True):
    """A new, unfitted estimator with the same parameters (nested estimators cloned too).

    Lists, tuples and sets of estimators are cloned element by element. With
    ``safe=False``, an object that is not an estimator is deep-copied; with
    ``safe=True`` it is an error.
    """
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)(clone(item, safe=safe) for item in estimator)
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if not safe:
            return copy.deepcopy(estimator)
        raise TypeError(
            f"Cannot clone object {estimator!r} (type {type(estimator).__name__}): it does not seem to be an "
            "estimator, as it has no 'get_params' method."
        )
    params = {name: clone(value, safe=False) for name, value in estimator.get_params(deep=False).items()}
    return type(estimator)(**params)
