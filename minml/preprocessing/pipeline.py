"""Pipelines: preprocessing and a model fitted and applied as one estimator.

A model's preprocessing is part of the model. Fitting a scaler on all the data and
then cross-validating the classifier leaks the test folds' statistics into training;
a Pipeline prevents it, because ``fit`` runs

    X₁ = step₁.fit_transform(X, y);  X₂ = step₂.fit_transform(X₁, y);  …;  final.fit(Xₖ, y)

on the training data only, and ``predict`` replays the *fitted* transforms:

    final.predict(stepₖ.transform(… step₁.transform(X)))

A Pipeline is itself an estimator: cross-validation and grid search clone and refit it
whole, and ``set_params(scale__with_mean=False)`` reaches a step's parameter by
``step name__parameter``. A step may be "passthrough" (or None) to skip it.
"""

from __future__ import annotations

import time

from minml.base import available_if
from minml.datasets.bundled import Bunch
from minml.preprocessing._composition import _NamedEstimators, is_transformer, log_elapsed

__all__ = ["Pipeline", "make_pipeline"]

_SKIP = ("passthrough", None)


def _check_final_step_has(pipeline, name: str) -> None:
    """AttributeError unless the final step has ``name`` (so ``hasattr(pipe, "predict_proba")`` is honest)."""
    final = pipeline._final_estimator
    if final not in _SKIP and not hasattr(final, name):
        raise AttributeError(f"This '{type(pipeline).__name__}' has no attribute '{name}': its final step "
                             f"{type(final).__name__} has none.")


_if_final_step_has = available_if(_check_final_step_has)


def _route_params(names, params: dict) -> dict:
    """``{"clf__sample_weight": w}`` → ``{"clf": {"sample_weight": w}}``: fit parameters for each step."""
    routed: dict[str, dict] = {name: {} for name in names}
    for key, value in params.items():
        step, _, inner = key.partition("__")
        if not inner or step not in routed:
            raise ValueError(f"Pipeline.fit does not accept the {key!r} parameter. You can pass parameters to "
                             "specific steps of your pipeline using the stepname__parameter format, e.g. "
                             "`Pipeline.fit(X, y, logisticregression__sample_weight=sample_weight)`.")
        routed[step][inner] = value
    return routed


class Pipeline(_NamedEstimators):
    """A sequence of transformers ending in any estimator, used as one estimator.

    ``steps`` is a list of ``(name, estimator)`` pairs; every step but the last
    must have ``fit`` and ``transform`` (or be "passthrough" / None). The
    pipeline has the final step's methods: ``predict``, ``predict_proba``,
    ``decision_function``, ``score``, ``transform``… Steps are fitted in place
    (no clone). ``memory`` (caching) is not supported: leave it None.
    ``verbose`` prints each step's fit time. Index it like a list:
    ``pipe[0]``, ``pipe["scale"]``, ``pipe[:-1]`` (a sub-pipeline).
    """

    _parts = "steps"
    _parameter_constraints = {"steps": [list], "memory": [None], "verbose": ["boolean"]}

    def __init__(self, steps, *, memory=None, verbose=False):
        self.steps = steps
        self.memory = memory
        self.verbose = verbose

    @classmethod
    def _contract_instances(cls):
        from minml.preprocessing.imputation import SimpleImputer
        from minml.preprocessing.scaling import StandardScaler

        return [cls([("impute", SimpleImputer()), ("scale", StandardScaler())])]

    # ------------------------------------------------------------------ structure

    def _validate_steps(self) -> None:
        self._validate_params()
        if not self.steps or not all(isinstance(step, (tuple, list)) and len(step) == 2 for step in self.steps):
            raise TypeError(f"Pipeline steps must be a non-empty list of (name, estimator) tuples; got {self.steps!r}")
        names, estimators = zip(*self.steps)
        self._validate_names(names)
        for estimator in estimators[:-1]:
            if estimator in _SKIP:
                continue
            if not is_transformer(estimator):
                raise TypeError(
                    "All intermediate steps should be transformers and implement fit and transform or be the "
                    f"string 'passthrough' '{estimator!r}' (type {type(estimator)}) doesn't"
                )
        final = estimators[-1]
        if final not in _SKIP and (isinstance(final, type) or not hasattr(final, "fit")):
            raise TypeError(
                "Last step of Pipeline should implement fit or be the string 'passthrough'. "
                f"'{final!r}' (type {type(final)}) doesn't"
            )

    @property
    def named_steps(self) -> Bunch:
        """The steps by name, as a dict that also allows ``pipe.named_steps.scale``."""
        return Bunch(self.steps)

    @property
    def _final_estimator(self):
        return self.steps[-1][1]

    @property
    def _estimator_type(self):
        """The final step's kind ("classifier", "regressor"…), from minml's attribute or scikit-learn's tags."""
        final = self._final_estimator
        if hasattr(final, "_estimator_type"):
            return final._estimator_type
        tags = getattr(final, "__sklearn_tags__", None)
        return tags().estimator_type if tags is not None else None

    @property
    def _allow_nan(self) -> bool:
        first = next((step for _, step in self.steps if step not in _SKIP), None)
        return getattr(first, "_allow_nan", False)

    @property
    def classes_(self):
        """The final step's classes."""
        return self._final_estimator.classes_

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index):
        """A step by position or name; a slice gives a sub-pipeline sharing the same (fitted) steps."""
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("Pipeline slicing only supports a step of 1")
            return type(self)(self.steps[index], memory=self.memory, verbose=self.verbose)
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    def _log(self, position: int, name: str, start: float) -> None:
        if self.verbose:
            log_elapsed("Pipeline", f"(step {position + 1} of {len(self.steps)}) Processing {name}", start)

    # ------------------------------------------------------------------ fitting

    def _fit_transformers(self, X, y, routed):
        """Fit every step but the last, each on the previous one's output; return the last output."""
        for position, (name, transformer) in enumerate(self.steps[:-1]):
            if transformer in _SKIP:
                continue
            start = time.perf_counter()
            if hasattr(transformer, "fit_transform"):
                X = transformer.fit_transform(X, y, **routed[name])
            else:
                X = transformer.fit(X, y, **routed[name]).transform(X)
            self._log(position, name, start)
        return X

    def _record_input(self, X) -> None:
        first = next((step for _, step in self.steps if step not in _SKIP), None)
        if hasattr(first, "n_features_in_"):
            self.n_features_in_ = first.n_features_in_
        if hasattr(first, "feature_names_in_"):
            self.feature_names_in_ = first.feature_names_in_

    def fit(self, X, y=None, **params):
        """Fit the transformers one after another, then the final estimator; returns self.

        Fit parameters go to a step as ``stepname__parameter=value``.
        """
        self._validate_steps()
        routed = _route_params([name for name, _ in self.steps], params)
        Xt = self._fit_transformers(X, y, routed)
        name, final = self.steps[-1]
        if final not in _SKIP:
            start = time.perf_counter()
            final.fit(Xt, y, **routed[name])
            self._log(len(self.steps) - 1, name, start)
        self._record_input(X)
        return self

    def fit_transform(self, X, y=None, **params):
        """Fit all steps and return the last one's transform of the training data."""
        self._validate_steps()
        routed = _route_params([name for name, _ in self.steps], params)
        Xt = self._fit_transformers(X, y, routed)
        name, final = self.steps[-1]
        if final not in _SKIP:
            start = time.perf_counter()
            if hasattr(final, "fit_transform"):
                Xt = final.fit_transform(Xt, y, **routed[name])
            else:
                Xt = final.fit(Xt, y, **routed[name]).transform(Xt)
            self._log(len(self.steps) - 1, name, start)
        self._record_input(X)
        return Xt

    @_if_final_step_has
    def fit_predict(self, X, y=None, **params):
        """Fit the transformers, then ``fit_predict`` of the final estimator on their output."""
        self._validate_steps()
        routed = _route_params([name for name, _ in self.steps], params)
        Xt = self._fit_transformers(X, y, routed)
        name, final = self.steps[-1]
        predictions = final.fit_predict(Xt, y, **routed[name])
        self._record_input(X)
        return predictions

    # ------------------------------------------------------------------ using the fitted pipeline

    def _transform_until_final(self, X):
        for _, transformer in self.steps[:-1]:
            if transformer not in _SKIP:
                X = transformer.transform(X)
        return X

    @_if_final_step_has
    def predict(self, X, **params):
        """The final estimator's predictions for the transformed X."""
        return self._final_estimator.predict(self._transform_until_final(X), **params)

    @_if_final_step_has
    def predict_proba(self, X, **params):
        """The final estimator's class probabilities for the transformed X."""
        return self._final_estimator.predict_proba(self._transform_until_final(X), **params)

    @_if_final_step_has
    def predict_log_proba(self, X, **params):
        """The final estimator's log class probabilities for the transformed X."""
        return self._final_estimator.predict_log_proba(self._transform_until_final(X), **params)

    @_if_final_step_has
    def decision_function(self, X):
        """The final estimator's decision function on the transformed X."""
        return self._final_estimator.decision_function(self._transform_until_final(X))

    @_if_final_step_has
    def score(self, X, y=None, sample_weight=None):
        """The final estimator's score on the transformed X."""
        Xt = self._transform_until_final(X)
        if sample_weight is None:
            return self._final_estimator.score(Xt, y)
        return self._final_estimator.score(Xt, y, sample_weight=sample_weight)

    @_if_final_step_has
    def transform(self, X):
        """X passed through every step's transform (the final step must be a transformer or "passthrough")."""
        Xt = self._transform_until_final(X)
        final = self._final_estimator
        return Xt if final in _SKIP else final.transform(Xt)

    @_if_final_step_has
    def inverse_transform(self, X):
        """The steps' inverse transforms applied in reverse order."""
        for _, step in reversed(self.steps):
            if step not in _SKIP:
                X = step.inverse_transform(X)
        return X

    def get_feature_names_out(self, input_features=None):
        """The feature names after every step (each step must have ``get_feature_names_out``)."""
        names = input_features
        for _, step in self.steps:
            if step in _SKIP:
                continue
            if not hasattr(step, "get_feature_names_out"):
                raise AttributeError(f"Estimator {type(step).__name__} does not provide get_feature_names_out. "
                                     "Did you mean to call pipeline[:-1].get_feature_names_out()?")
            names = step.get_feature_names_out(names)
        return names

    def __sklearn_is_fitted__(self) -> bool:
        """Fitted when the final step is (a "passthrough" final step: when the step before it is)."""
        from minml.validation import is_fitted

        last = next((step for _, step in reversed(self.steps) if step not in _SKIP), None)
        return last is None or is_fitted(last)


def _estimator_names(estimators) -> list[str]:
    """Names for unnamed estimators: the lower-cased class name, numbered where it repeats ("ridge-1", "ridge-2")."""
    names = [estimator if isinstance(estimator, str) or estimator is None else type(estimator).__name__.lower()
             for estimator in estimators]
    names = ["passthrough" if name is None else name for name in names]
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name}-{seen[name]}"
        unique.append(name)
    return unique


def make_pipeline(*steps, memory=None, verbose=False) -> Pipeline:
    """A Pipeline whose step names are the lower-cased class names ("standardscaler", "ridge-1"…)."""
    return Pipeline(list(zip(_estimator_names(steps), steps)), memory=memory, verbose=verbose)
