"""Estimators made of named estimators (Pipeline's steps, ColumnTransformer's transformers).

Their parameters include their parts: ``get_params()`` lists each part by its name
and each part's parameters as ``name__parameter``, so ``set_params(scale__with_mean=False)``
reaches inside and ``set_params(scale=RobustScaler())`` swaps a part, as scikit-learn's
``_BaseComposition`` does.
"""

from __future__ import annotations

import time

from minml.base import BaseEstimator

__all__ = ["_NamedEstimators", "is_transformer", "log_elapsed"]


def log_elapsed(source: str, message: str, start: float) -> None:
    """Print how long a step took, as scikit-learn's verbose composites do: ``[Pipeline] ... total=0.1s``."""
    print(f"[{source}] {message:.>{70 - len(source)}} total={time.perf_counter() - start:6.1f}s")


def is_transformer(estimator) -> bool:
    """An estimator instance (not a class) with ``fit`` (or ``fit_transform``) and ``transform``."""
    return (
        not isinstance(estimator, type)
        and (hasattr(estimator, "fit") or hasattr(estimator, "fit_transform"))
        and hasattr(estimator, "transform")
    )


class _NamedEstimators(BaseEstimator):
    """Base for estimators holding a list of ``(name, estimator, ...)`` tuples in the attribute ``_parts``."""

    _parts: str = "steps"

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's parameters; with ``deep``, each part by name and its parameters as ``name__key``."""
        params = super().get_params(deep=deep)
        if not deep:
            return params
        for name, estimator in self._named_parts():
            params[name] = estimator
            if hasattr(estimator, "get_params") and not isinstance(estimator, type):
                params.update({f"{name}__{key}": value for key, value in estimator.get_params(deep=True).items()})
        return params

    def set_params(self, **params):
        """Set parameters: the parts list itself, a part by name (replaced), or ``name__key`` inside a part."""
        if self._parts in params:
            setattr(self, self._parts, params.pop(self._parts))
        names = [name for name, _ in self._named_parts()]
        for key in list(params):
            if "__" not in key and key in names:
                self._replace_part(key, params.pop(key))
        super().set_params(**params)
        return self

    def _named_parts(self) -> list:
        """``(name, estimator)`` of each part; none while the parts list is malformed (``fit`` says what is wrong)."""
        try:
            return [(name, estimator) for name, estimator, *_ in getattr(self, self._parts)]
        except (TypeError, ValueError):
            return []

    def _replace_part(self, name: str, estimator) -> None:
        parts = [(name, estimator, *rest) if part_name == name else (part_name, old, *rest)
                 for part_name, old, *rest in getattr(self, self._parts)]
        setattr(self, self._parts, parts)

    def _validate_names(self, names) -> None:
        """Names must be unique, free of "__", and not clash with a constructor parameter."""
        duplicates = sorted({name for name in names if list(names).count(name) > 1})
        if duplicates:
            raise ValueError(f"Names provided are not unique: {duplicates!r}")
        clashes = sorted(set(names) & set(self._get_param_names()))
        if clashes:
            raise ValueError(f"Estimator names conflict with constructor arguments: {clashes!r}")
        invalid = [name for name in names if "__" in name]
        if invalid:
            raise ValueError(f"Estimator names must not contain __: got {invalid!r}")
