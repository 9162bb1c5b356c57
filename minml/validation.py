"""Checking what users pass to an estimator, with messages that say what to do next.

Every ``fit``, ``predict`` and ``transform`` starts here. A model fitted on bad
input does not crash: it returns a wrong answer silently (a NaN that spreads
through every coefficient, a 1-D array read as one sample with n features).
So the checks run first and fail early, in scikit-learn's words, naming the
estimator and the fix:

- :func:`check_array` — a 2-D numeric array on one device: no 1-D X, no complex
  or non-numeric data, no empty data, no NaN or infinity unless allowed;
- :func:`check_X_y` — the same for X, a target y beside it, equal lengths;
- :func:`encode_labels` — class labels (numbers or strings) as codes 0..K-1;
- :func:`check_sample_weight`, :func:`check_n_features`, :func:`check_is_fitted`;
- :class:`Interval`, :class:`Options` and :func:`validate_params` — the
  constructor's parameters, checked against the ranges each estimator declares
  in its ``_parameter_constraints``.

Arrays keep their device: NumPy in, NumPy out; CuPy in, CuPy out. Lists, tuples
and other array-likes become NumPy arrays; an autograd Tensor gives its data.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from minml import backend
from minml.exceptions import DataConversionWarning, InvalidParameterError, NotFittedError

__all__ = [
    "Interval",
    "Options",
    "as_array",
    "check_X_y",
    "check_array",
    "check_consistent_length",
    "check_is_fitted",
    "check_n_features",
    "check_sample_weight",
    "check_target",
    "encode_labels",
    "labels_from_codes",
    "validate_params",
]


def _owner(estimator) -> str:
    """How a message names who is asking: the estimator's class, or "this function"."""
    return type(estimator).__name__ if estimator is not None else "this function"


def as_array(values):
    """A NumPy or CuPy array from an array (kept as it is), an autograd Tensor or an array-like (list, DataFrame)."""
    from minml.autograd import Tensor

    if isinstance(values, Tensor):
        return values.data
    if hasattr(values, "shape") and hasattr(values, "dtype") and not hasattr(values, "columns"):
        try:
            backend.device_of(values)
            return values
        except TypeError:
            pass
    return np.asarray(values)


def _as_float(array, name: str, estimator):
    """``array`` as float32 or float64 (kept if already so; integers and bools become float64)."""
    kind = array.dtype.kind
    if kind == "c":
        raise ValueError(
            f"Complex data not supported: {name} has dtype {array.dtype}. Use the real part ({name}.real), "
            f"the modulus (abs({name})), or the real and imaginary parts as two features."
        )
    if kind == "f":
        return array
    if kind in "biu":
        return array.astype(np.float64)
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError):
        example = next((v for v in np.asarray(array).ravel() if not isinstance(v, numbers.Number)), None)
        raise ValueError(
            f"{name} holds non-numeric values (for example {example!r}), but {_owner(estimator)} needs numbers. "
            "Encode categorical columns first, for example with minml.preprocessing.OneHotEncoder or "
            "OrdinalEncoder (a ColumnTransformer applies them to some columns only)."
        ) from None


def _check_finite(array, name: str, allow_nan: bool, estimator) -> None:
    """Raise if ``array`` holds infinity, or NaN unless ``allow_nan`` (one device sync when all is well).

    A finite sum proves every entry finite (NaN and ±inf carry through a sum): one
    pass without a mask the size of the array. Only a sum that is not finite (a
    NaN, an infinity, or finite values overflowing) looks at the entries one by one.
    """
    xp = backend.namespace(array)
    with np.errstate(over="ignore", invalid="ignore"):  # the sum may overflow, or meet inf − inf
        total = array.sum()
    if backend.to_scalar(xp.isfinite(total)) or backend.to_scalar(xp.isfinite(array).all()):
        return
    has_nan = backend.to_scalar(xp.isnan(array).any())
    if has_nan and not allow_nan:
        raise ValueError(
            f"Input {name} contains NaN. {_owner(estimator)} does not accept missing values encoded as NaN. "
            "Impute them first (for example with minml.preprocessing.SimpleImputer in a Pipeline), "
            "or drop the samples that hold them."
        )
    if backend.to_scalar(xp.isinf(array).any()):
        raise ValueError(
            f"Input {name} contains infinity or a value too large for dtype('{array.dtype}'). "
            "Replace or clip those values (a log of zero or a division by zero upstream is the usual cause)."
        )


def check_array(
    X,
    *,
    estimator=None,
    name: str = "X",
    ensure_2d: bool = True,
    allow_nan: bool = False,
    numeric: bool = True,
    ensure_min_samples: int = 1,
    ensure_min_features: int = 1,
):
    """``X`` as a validated array on its own device, float32 or float64 when ``numeric``.

    Raises ValueError, naming ``estimator``, for: a 1-D or 3-D X where a 2-D
    one is expected; complex or non-numeric data (when ``numeric``); fewer than
    ``ensure_min_samples`` rows or ``ensure_min_features`` columns; NaN (unless
    ``allow_nan``) or infinity.
    """
    array = as_array(X)
    if ensure_2d and array.ndim != 2:
        if array.ndim < 2:
            shown = backend.asnumpy(array) if array.size <= 20 else f"array of shape {array.shape}"
            raise ValueError(
                f"Expected a 2-D array, got a {array.ndim}-D array instead: {name}={shown}. "
                f"Reshape your data either using {name}.reshape(-1, 1) if your data has a single feature or "
                f"{name}.reshape(1, -1) if it contains a single sample."
            )
        raise ValueError(f"Found array with dim {array.ndim}. {_owner(estimator)} expected a 2-D array {name}.")
    if numeric:
        array = _as_float(array, name, estimator)
    n_samples = array.shape[0] if array.ndim else 1
    if n_samples < ensure_min_samples:
        raise ValueError(
            f"Found array with {n_samples} sample(s) (shape={array.shape}) while a minimum of "
            f"{ensure_min_samples} is required by {_owner(estimator)}."
        )
    if ensure_2d and array.shape[1] < ensure_min_features:
        raise ValueError(
            f"Found array with {array.shape[1]} feature(s) (shape={array.shape}) while a minimum of "
            f"{ensure_min_features} is required by {_owner(estimator)}."
        )
    if numeric:
        _check_finite(array, name, allow_nan, estimator)
    return array


def check_consistent_length(*arrays) -> None:
    """Raise ValueError unless every non-None array has the same number of samples (rows)."""
    lengths = [array.shape[0] for array in arrays if array is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")


def check_target(y, *, like, estimator=None, numeric: bool = True, multi_output: bool = False):
    """The target ``y`` as an array: on ``like``'s device and float when ``numeric`` (regression).

    Class labels (``numeric=False``) stay as given (they may be strings); see
    :func:`encode_labels`. A column vector (n, 1) is flattened with a
    DataConversionWarning unless ``multi_output`` allows 2-D targets.
    """
    if y is None:
        raise ValueError(f"{_owner(estimator)} requires y to be passed, but the target y is None.")
    target = as_array(y)
    if target.ndim == 2 and target.shape[1] == 1 and not multi_output:
        warnings.warn(
            "A column-vector y was passed when a 1-D array was expected. Change the shape of y to "
            "(n_samples,), for example using y.ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        target = target.ravel()
    if target.ndim != 1 and not (multi_output and target.ndim == 2):
        expected = "a 1-D or 2-D array" if multi_output else "a 1-D array"
        raise ValueError(f"y should be {expected}; got an array of shape {target.shape} instead.")
    if numeric:
        target = _as_float(target, "y", estimator)
        target = backend.to_device(target, backend.device_of(like)).astype(like.dtype, copy=False)
        _check_finite(target, "y", False, estimator)
    return target


def check_X_y(X, y, *, estimator=None, allow_nan: bool = False, numeric_y: bool = True, multi_output: bool = False):
    """Validated ``(X, y)``: X by :func:`check_array`, y by :func:`check_target`, equal numbers of samples."""
    X = check_array(X, estimator=estimator, allow_nan=allow_nan)
    y = check_target(y, like=X, estimator=estimator, numeric=numeric_y, multi_output=multi_output)
    check_consistent_length(X, y)
    return X, y


def encode_labels(y, *, like, estimator=None, min_classes: int = 2):
    """``(classes, codes)``: the sorted distinct labels of ``y`` and each sample's index into them.

    ``classes[codes]`` gives ``y`` back. Numeric labels live on ``like``'s device;
    string labels stay on the host, and only their codes move. A float label
    with a fractional part means a regression target: that is an error, as is
    having fewer than ``min_classes`` classes.
    """
    device = backend.device_of(like)
    if y.dtype.kind in "biuf":
        labels = backend.to_device(y, device)
        xp = backend.namespace(labels)
        if labels.dtype.kind == "f" and not backend.to_scalar((labels == xp.round(labels)).all()):
            raise ValueError(
                "Unknown label type: continuous. Maybe you are trying to fit a classifier, which expects "
                "discrete classes, on a regression target with continuous values."
            )
        classes, codes = xp.unique(labels, return_inverse=True)
    else:
        classes, codes = np.unique(backend.asnumpy(y).astype(str if y.dtype.kind == "U" else object),
                                   return_inverse=True)
        codes = backend.to_device(codes, device)
    if classes.shape[0] < min_classes:
        raise ValueError(
            f"{_owner(estimator)} needs samples of at least {min_classes} classes in the data, but the data "
            f"contains only one class: {backend.asnumpy(classes).tolist()[0]!r}"
        )
    return classes, codes.reshape(-1)


def labels_from_codes(classes, codes):
    """``classes[codes]``, the codes first moved to where the classes live (strings live on the host)."""
    return classes[backend.to_device(codes, backend.device_of(classes))]


def check_sample_weight(sample_weight, X, *, estimator=None):
    """Per-sample weights as a float array like X's, on X's device: ones when ``sample_weight`` is None.

    Weights must be finite, non-negative, not all zero, one per sample (a
    scalar means the same weight for every sample).
    """
    xp = backend.namespace(X)
    n_samples = X.shape[0]
    if sample_weight is None:
        return xp.ones(n_samples, dtype=X.dtype)
    if isinstance(sample_weight, numbers.Number):
        return xp.full(n_samples, sample_weight, dtype=X.dtype)
    weights = _as_float(as_array(sample_weight), "sample_weight", estimator)
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight.shape == {weights.shape}, expected ({n_samples},): one weight per sample.")
    weights = backend.to_device(weights, backend.device_of(X)).astype(X.dtype, copy=False)
    _check_finite(weights, "sample_weight", False, estimator)
    if backend.to_scalar((weights < 0).any()):
        raise ValueError("sample_weight must be non-negative: a negative weight has no meaning as a count.")
    if not backend.to_scalar((weights > 0).any()):
        raise ValueError("sample_weight is zero for every sample: there is nothing to fit.")
    return weights


def check_n_features(estimator, X, *, reset: bool) -> None:
    """In ``fit`` (``reset=True``) record ``n_features_in_``; later, require X to have that many columns."""
    if reset:
        estimator.n_features_in_ = X.shape[1]
        return
    expected = estimator.n_features_in_
    if X.shape[1] != expected:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting {expected} features "
            "as input."
        )


def is_fitted(estimator) -> bool:
    """True once ``fit`` has set a learned attribute (a public name ending in ``_``)."""
    return any(name.endswith("_") and not name.startswith("_") for name in vars(estimator))


def check_is_fitted(estimator, attributes: str | list[str] | None = None) -> None:
    """Raise :class:`NotFittedError` unless ``estimator`` is fitted (or has all ``attributes``)."""
    if attributes is None:
        fitted = is_fitted(estimator)
    else:
        names = [attributes] if isinstance(attributes, str) else attributes
        fitted = all(hasattr(estimator, name) for name in names)
    if not fitted:
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with appropriate arguments "
            "before using this estimator."
        )


# --------------------------------------------------------------------------- parameters


class Interval:
    """A range of numbers a parameter may take: ``Interval(numbers.Real, 0, None, closed="left")`` is x ≥ 0.

    ``kind`` is ``numbers.Integral`` (ints only) or ``numbers.Real`` (ints and
    floats); ``None`` as a bound means unbounded; ``closed`` is "left",
    "right", "both" or "neither". Booleans are not numbers here.
    """

    def __init__(self, kind, left, right, *, closed: str):
        if closed not in ("left", "right", "both", "neither"):
            raise ValueError(f"closed must be 'left', 'right', 'both' or 'neither'; got {closed!r}")
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def is_satisfied_by(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        left_closed, right_closed = self.closed in ("left", "both"), self.closed in ("right", "both")
        if self.left is not None and (value < self.left or (value == self.left and not left_closed)):
            return False
        if self.right is not None and (value > self.right or (value == self.right and not right_closed)):
            return False
        return value == value  # NaN lies in no interval

    def check(self, name: str, value) -> None:
        """Raise ``ValueError("n must be an int ≥ 1; got 0")`` unless ``value`` lies in the interval."""
        if not self.is_satisfied_by(value):
            raise ValueError(f"{name} must be {self}; got {value!r}")

    def __str__(self) -> str:
        noun = "an int" if self.kind is numbers.Integral else "a float"
        left_closed, right_closed = self.closed in ("left", "both"), self.closed in ("right", "both")
        if self.left is not None and self.right is not None:
            return (
                f"{noun} in the range {'[' if left_closed else '('}{self.left}, "
                f"{self.right}{']' if right_closed else ')'}"
            )
        if self.left is not None:
            return f"{noun} {'≥' if left_closed else '>'} {self.left}"
        if self.right is not None:
            return f"{noun} {'≤' if right_closed else '<'} {self.right}"
        return noun


class Options:
    """A parameter that must be one of a few values: ``Options({"cholesky", "svd"})``."""

    def __init__(self, options):
        self.options = set(options)

    def is_satisfied_by(self, value) -> bool:
        try:
            return value in self.options
        except TypeError:  # an unhashable value is none of the options
            return False

    def __str__(self) -> str:
        kinds = {type(option).__name__ for option in self.options}
        noun = f"a {kinds.pop()}" if len(kinds) == 1 else "one"
        return f"{noun} among {{{', '.join(repr(o) for o in sorted(self.options, key=repr))}}}"


class _InstanceOf:
    def __init__(self, kind, description: str):
        self.kind, self.description = kind, description

    def is_satisfied_by(self, value) -> bool:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        return isinstance(value, self.kind) and (bool in kinds or not isinstance(value, bool))

    def __str__(self) -> str:
        return self.description


class _Callable:
    def is_satisfied_by(self, value) -> bool:
        return callable(value)

    def __str__(self) -> str:
        return "a callable"


def _make_constraint(constraint):
    """Shorthands: None, "boolean", "random_state", "array-like", callable, or a type."""
    if constraint is None:
        return _InstanceOf(type(None), "None")
    if constraint == "boolean":
        return _InstanceOf((bool, np.bool_), "a bool")
    if constraint == "random_state":
        return _InstanceOf(
            (numbers.Integral, np.random.Generator, backend.RandomGenerator),
            "an int or a numpy.random.Generator",
        )
    if constraint == "array-like":
        return _InstanceOf(object, "an array-like")
    if constraint is callable:
        return _Callable()
    if isinstance(constraint, type):
        return _InstanceOf(constraint, f"an instance of {constraint.__name__!r}")
    return constraint


def validate_params(estimator) -> None:
    """Check each parameter named in ``type(estimator)._parameter_constraints`` against its constraints.

    A parameter passes if it satisfies any one of its constraints; otherwise
    :class:`~minml.exceptions.InvalidParameterError` says, for example,
    "The 'alpha' parameter of Ridge must be a float ≥ 0; got -1."
    """
    for name, constraints in type(estimator)._parameter_constraints.items():
        value = getattr(estimator, name)
        checks = [_make_constraint(constraint) for constraint in constraints]
        if not any(check.is_satisfied_by(value) for check in checks):
            allowed = " or ".join(str(check) for check in checks)
            raise InvalidParameterError(
                f"The {name!r} parameter of {type(estimator).__name__} must be {allowed}; got {value!r}."
            )
