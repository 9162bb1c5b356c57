"""The errors and warnings minml's estimators raise, named as scikit-learn names them.

Catch them by these names (``except NotFittedError``); each message says what to do next.
"""

from __future__ import annotations

__all__ = ["ConvergenceWarning", "DataConversionWarning", "InvalidParameterError", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used (predict, transform, ...) before ``fit``.

    A ValueError and an AttributeError, as in scikit-learn, so code written for
    either keeps working.
    """


class InvalidParameterError(ValueError, TypeError):
    """A constructor parameter has the wrong type or lies outside its valid range (checked in ``fit``)."""


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at ``max_iter`` before meeting its tolerance."""


class DataConversionWarning(UserWarning):
    """The input was converted in a way the user may not expect (a column vector ``y`` flattened)."""
