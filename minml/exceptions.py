"""The errors and warnings minml's estimators raise, named as scikit-learn names them.

Catch them by these names (``except NotFittedError``); each message says what to do next.
"""

from __future__ import annotations

__all__ = [
    "ConvergenceWarning", "DataConversionWarning", "DegenerateDataWarning", "FitFailedWarning", "InvalidParameterError",
    "NotFittedError", "UndefinedMetricWarning",
]


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


class DegenerateDataWarning(RuntimeWarning):
    """The data cannot support the requested interval: it has zero width or is NaN (the message says why)."""


class FitFailedWarning(RuntimeWarning):
    """A fit failed during cross-validation or a search; its score was set to ``error_score``."""


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for these inputs (a 0/0); it was set to a fixed value instead."""
