"""Scorers: a metric packaged with how to get predictions out of a model, named by a string.

Cross-validation and hyperparameter search compare models by one number, larger is
better. A *scorer* makes that number from a fitted model and held-out data:

    scorer(estimator, X, y)  =  sign × metric(y, response(estimator, X))

* ``response`` is how the model is asked: ``predict`` for labels or values,
  ``predict_proba`` for probabilities, ``decision_function`` for margins; a tuple means
  "the first of these the model has". For a binary classifier only the positive class's
  column of ``predict_proba`` is kept (and a margin is negated if the positive class is
  ``classes_[0]``).
* ``sign`` is -1 for losses, which is why the scorer names are "neg_mean_squared_error",
  "neg_log_loss": a search maximises -loss.

``get_scorer("f1_macro")`` returns the scorer scikit-learn gives for that name;
``make_scorer`` builds one for any metric.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np

from minml import backend
from minml.metrics.classification import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    precision_score,
    recall_score,
)
from minml.metrics.probabilistic import brier_score_loss, log_loss
from minml.metrics.ranking import average_precision_score, roc_auc_score
from minml.metrics.regression import (
    explained_variance_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

__all__ = ["make_scorer", "get_scorer", "get_scorer_names", "check_scoring"]

_RESPONSE_METHODS = ("predict", "predict_proba", "decision_function")


def _is_classifier(estimator) -> bool:
    tags = getattr(estimator, "__sklearn_tags__", None)
    if tags is not None:
        try:
            return tags().estimator_type == "classifier"
        except AttributeError:  # an estimator whose tags lack the field: fall back to its classes_
            pass
    return getattr(estimator, "_estimator_type", None) == "classifier" or hasattr(estimator, "classes_")


class _Scorer:
    """``sign * score_func(y, response(estimator, X), **kwargs)`` as a Python float."""

    def __init__(self, score_func, sign, kwargs, response_method):
        self._score_func = score_func
        self._sign = sign
        self._kwargs = kwargs
        self._response_method = response_method

    def __repr__(self) -> str:
        sign = "" if self._sign > 0 else ", greater_is_better=False"
        kwargs = "".join(f", {key}={value}" for key, value in self._kwargs.items())
        return f"make_scorer({self._score_func.__name__}{sign}, response_method={self._response_method!r}{kwargs})"

    def _pos_label(self):
        """The positive class the metric scores: its ``pos_label`` argument or that parameter's default."""
        if "pos_label" in self._kwargs:
            return self._kwargs["pos_label"]
        parameter = inspect.signature(self._score_func).parameters.get("pos_label")
        return None if parameter is None else parameter.default

    def _response(self, estimator, X):
        """The first of ``response_method`` the estimator has, called on X, reduced for a binary classifier."""
        names = (self._response_method,) if isinstance(self._response_method, str) else self._response_method
        name = next((n for n in names if hasattr(estimator, n)), None)
        if name is None:
            raise AttributeError(
                f"{type(estimator).__name__} has none of the following attributes: {', '.join(names)}."
            )
        y_pred = getattr(estimator, name)(X)
        if not _is_classifier(estimator) or name == "predict":
            return y_pred
        classes = backend.asnumpy(estimator.classes_)
        if classes.shape[0] != 2:
            return y_pred
        pos_label = self._pos_label()
        if pos_label is None:
            pos_label = classes[-1]
        elif pos_label not in classes.tolist():
            raise ValueError(f"pos_label={pos_label} is not a valid label: It should be one of {classes}")
        if name == "predict_proba":
            if y_pred.ndim != 2 or y_pred.shape[1] < 2:
                raise ValueError(f"Got predict_proba of shape {y_pred.shape}, but need classifier with two classes.")
            return y_pred[:, int(np.flatnonzero(classes == pos_label)[0])]
        return -y_pred if pos_label == classes[0] else y_pred

    def __call__(self, estimator, X, y_true, sample_weight=None, **kwargs) -> float:
        """The score of a fitted ``estimator`` on ``X`` against ``y_true`` (larger is better)."""
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        y_pred = self._response(estimator, X)
        return float(self._sign * self._score_func(y_true, y_pred, **{**self._kwargs, **kwargs}))


def make_scorer(score_func, *, response_method="predict", greater_is_better=True, **kwargs):
    """A scorer ``scorer(estimator, X, y)`` from a metric ``score_func(y_true, y_pred, **kwargs)``.

    ``response_method``: "predict", "predict_proba", "decision_function", or a tuple of
    them tried in order. ``greater_is_better=False`` (a loss) negates the metric.
    """
    names = (response_method,) if isinstance(response_method, str) else tuple(response_method)
    if not names or any(name not in _RESPONSE_METHODS for name in names):
        raise ValueError(
            f"response_method must be one of {_RESPONSE_METHODS} or a tuple of them; got {response_method!r}"
        )
    return _Scorer(score_func, 1 if greater_is_better else -1, kwargs, response_method)


_SCORES = ("decision_function", "predict_proba")
_SCORERS = {
    "accuracy": make_scorer(accuracy_score),
    "balanced_accuracy": make_scorer(balanced_accuracy_score),
    "roc_auc": make_scorer(roc_auc_score, response_method=_SCORES),
    "roc_auc_ovr": make_scorer(roc_auc_score, response_method="predict_proba", multi_class="ovr"),
    "roc_auc_ovr_weighted": make_scorer(
        roc_auc_score, response_method="predict_proba", multi_class="ovr", average="weighted"
    ),
    "roc_auc_ovo": make_scorer(roc_auc_score, response_method="predict_proba", multi_class="ovo"),
    "roc_auc_ovo_weighted": make_scorer(
        roc_auc_score, response_method="predict_proba", multi_class="ovo", average="weighted"
    ),
    "average_precision": make_scorer(average_precision_score, response_method=_SCORES),
    "neg_log_loss": make_scorer(log_loss, greater_is_better=False, response_method="predict_proba"),
    "neg_brier_score": make_scorer(brier_score_loss, greater_is_better=False, response_method="predict_proba"),
    "explained_variance": make_scorer(explained_variance_score),
    "r2": make_scorer(r2_score),
    "neg_mean_squared_error": make_scorer(mean_squared_error, greater_is_better=False),
    "neg_root_mean_squared_error": make_scorer(root_mean_squared_error, greater_is_better=False),
    "neg_mean_absolute_error": make_scorer(mean_absolute_error, greater_is_better=False),
}
for _name, _metric in (("precision", precision_score), ("recall", recall_score), ("f1", f1_score)):
    _SCORERS[_name] = make_scorer(_metric, average="binary")
    for _average in ("macro", "micro", "weighted", "samples"):
        _SCORERS[f"{_name}_{_average}"] = make_scorer(_metric, pos_label=None, average=_average)
del _name, _metric, _average


def get_scorer_names() -> list[str]:
    """The names :func:`get_scorer` accepts, sorted."""
    return sorted(_SCORERS)


def get_scorer(scoring):
    """The scorer named ``scoring`` (a fresh copy); a callable or None is returned unchanged."""
    if not isinstance(scoring, str):
        return scoring
    if scoring not in _SCORERS:
        raise ValueError(
            f"{scoring!r} is not a valid scoring value. Use minml.metrics.get_scorer_names() to get valid options."
        )
    return copy.deepcopy(_SCORERS[scoring])


class _PassthroughScorer:
    """Scores with the estimator's own ``score`` method (accuracy for classifiers, R² for regressors)."""

    def __call__(self, estimator, X, y_true, sample_weight=None) -> float:
        if sample_weight is None:
            return float(estimator.score(X, y_true))
        return float(estimator.score(X, y_true, sample_weight=sample_weight))

    def __repr__(self) -> str:
        return "_PassthroughScorer()"


def check_scoring(estimator=None, scoring=None):
    """The scorer for ``scoring`` (a name or a callable); for None, the estimator's own ``score``."""
    if scoring is not None:
        return get_scorer(scoring)
    if estimator is not None and not hasattr(estimator, "score"):
        raise TypeError(
            f"If no scoring is specified, the estimator passed should have a 'score' method. "
            f"The estimator {estimator!r} does not."
        )
    return _PassthroughScorer()
