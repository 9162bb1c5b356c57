"""Reading targets before scoring them: which kind of problem, which labels, which device.

Every metric starts with the same questions about ``y_true`` and ``y_pred``, answered here
once for all of them (as scikit-learn answers them):

* Do they describe the same samples? Both have one entry per sample, so their lengths
  must agree (``minml.validation.check_consistent_length``).
* What kind of target is it? ``type_of_target``: "binary" (at most two distinct values),
  "multiclass" (more), "multilabel-indicator" (a 0/1 matrix, one column per label),
  "continuous" (floats that are not whole numbers, a regression target), and the
  "-multioutput" variants of these for several columns.
* Which labels occur? ``unique_labels``: the sorted union of the values of both.
* Where is the work done? Metrics follow ``y_pred``'s device: ``y_true`` and
  ``sample_weight`` are moved there (``align``). Text labels ("cat", "dog") live only on
  the host, so text is scored there.

Labels then become integer codes 0..n-1 by one vectorised binary search (``encode``),
after which counting them is a ``bincount``: no Python loop over samples anywhere.
Long sums are accumulated in float64 (``average``).
"""

from __future__ import annotations

import numpy as np

from minml import backend, validation
from minml.validation import check_consistent_length

__all__ = [
    "as_array",
    "is_text",
    "align",
    "type_of_target",
    "unique_labels",
    "host_unique",
    "check_sample_weight",
    "check_targets",
    "encode",
    "check_pos_label",
    "label_indicator",
    "average",
]


def as_array(y):
    """``y`` as a NumPy or CuPy array (lists, tuples, Tensors converted; arrays kept); None stays None."""
    return None if y is None else validation.as_array(y)


def is_text(y) -> bool:
    """Whether ``y`` holds text (or other Python objects) as labels: those exist only on the host."""
    return isinstance(y, np.ndarray) and y.dtype.kind in "OUS"


def align(y_pred, *others):
    """``y_pred`` and ``others`` as arrays on ``y_pred``'s device (on the host if any holds text).

    ``None`` entries (an absent ``sample_weight``) stay ``None``.
    """
    arrays = [as_array(a) for a in (y_pred, *others)]
    target = backend.CPU if any(is_text(a) for a in arrays) else backend.device_of(arrays[0])
    return [None if a is None else backend.to_device(a, target) for a in arrays]


def host_unique(y) -> np.ndarray:
    """The sorted distinct values of ``y``, as a (small) host array."""
    return backend.asnumpy(backend.namespace(y).unique(y))


def type_of_target(y, input_name: str = "y") -> str:
    """The kind of target ``y`` is, with scikit-learn's names.

    * 1-D (or one column): "continuous" if it holds floats that are not whole numbers,
      else "binary" (at most 2 distinct values) or "multiclass";
    * several columns: "multilabel-indicator" (at most 2 distinct whole values, e.g. 0/1),
      else "continuous-multioutput" or "multiclass-multioutput";
    * "unknown" for anything else (3-D, no columns).
    """
    y = as_array(y)
    if y.ndim == 0 or y.ndim > 2 or (y.ndim == 2 and y.shape[1] == 0):
        return "unknown"
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    suffix = "-multioutput" if y.ndim == 2 else ""
    if is_text(y):
        return "multiclass" + suffix if y.ndim == 2 or np.unique(y).shape[0] > 2 else "binary"
    xp = backend.namespace(y)
    if y.dtype.kind == "f":
        if y.size and not backend.to_scalar(xp.isfinite(y).all()):
            raise ValueError(f"Input {input_name} contains NaN or infinity.")
        if backend.to_scalar((y != xp.floor(y)).any()):
            return "continuous" + suffix
    n_distinct = xp.unique(y).shape[0]
    if suffix:
        return "multilabel-indicator" if n_distinct < 3 else "multiclass" + suffix
    return "multiclass" if n_distinct > 2 else "binary"


def unique_labels(y_true, y_pred, y_type: str):
    """The sorted labels that occur in ``y_true`` or ``y_pred`` (column numbers for multilabel)."""
    xp = backend.namespace(y_pred)
    if y_type == "multilabel-indicator":
        if y_true.shape[1] != y_pred.shape[1]:
            raise ValueError(
                "Multi-label binary indicator input with different numbers of labels: "
                f"{y_true.shape[1]} and {y_pred.shape[1]}"
            )
        return xp.arange(y_true.shape[1])
    if is_text(y_true) != is_text(y_pred):
        raise ValueError("Mix of label input types (string and number)")
    return xp.unique(xp.concatenate([y_true.reshape(-1), y_pred.reshape(-1)]))


def check_sample_weight(sample_weight, n_samples: int):
    """``sample_weight`` checked: one finite weight per sample, not all zero (None passes through)."""
    if sample_weight is None:
        return None
    if sample_weight.ndim != 1 or sample_weight.shape[0] != n_samples:
        raise ValueError(f"sample_weight.shape == {sample_weight.shape}, expected {(n_samples,)}!")
    xp = backend.namespace(sample_weight)
    if not backend.to_scalar(xp.isfinite(sample_weight).all()):
        raise ValueError("Input sample_weight contains NaN or infinity.")
    if not backend.to_scalar((sample_weight != 0).any()):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return sample_weight


def check_targets(y_true, y_pred, sample_weight=None):
    """Check that ``y_true`` and ``y_pred`` describe one classification task; align their devices.

    Returns ``(y_type, labels, y_true, y_pred, sample_weight)``: y_type is "binary",
    "multiclass" or "multilabel-indicator"; labels are the sorted labels present; column
    vectors come back 1-D; everything lives on ``y_pred``'s device.
    """
    y_pred, y_true, sample_weight = align(y_pred, y_true, sample_weight)
    if y_true.ndim == 0 or y_pred.ndim == 0:
        raise ValueError("y_true and y_pred must be arrays of labels, one per sample; got a scalar")
    check_consistent_length(y_true, y_pred, sample_weight)
    if y_true.shape[0] == 0:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample is required."
        )
    check_sample_weight(sample_weight, y_true.shape[0])
    type_true = type_of_target(y_true, "y_true")
    type_pred = type_of_target(y_pred, "y_pred")
    types = {type_true, type_pred}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets")
    y_type = types.pop()
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(
            f"{y_type} is not supported: classification metrics need class labels. For continuous "
            "scores use a ranking metric (roc_auc_score) or threshold them; for a regression target "
            "use a regression metric (r2_score, mean_squared_error)."
        )
    if y_type != "multilabel-indicator":
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
    labels = unique_labels(y_true, y_pred, y_type)
    if y_type == "binary" and labels.shape[0] > 2:
        y_type = "multiclass"
    return y_type, labels, y_true, y_pred, sample_weight


def encode(y, labels):
    """Integer codes of ``y``'s values: the position of each in ``labels``, and ``len(labels)``
    for values not among them. ``labels`` may be in any order.

    One binary search per sample against the sorted labels (``searchsorted``), then the
    sort order maps sorted positions back to positions in ``labels``.
    """
    xp = backend.namespace(y, labels)
    n = labels.shape[0]
    order = backend.argsort(labels)
    sorted_labels = labels[order]
    position = xp.minimum(xp.searchsorted(sorted_labels, y), n - 1)
    return xp.where(sorted_labels[position] == y, order[position], n)


def label_indicator(y, classes):
    """The 0/1 matrix ``Y[i, k] = (y[i] == classes[k])``, on ``y``'s device (the one-hot encoding)."""
    y = as_array(y).reshape(-1)
    classes = backend.to_device(as_array(classes), backend.device_of(y))
    return (y[:, None] == classes[None, :]).astype(np.int64)


def check_pos_label(pos_label, y_true):
    """``pos_label``, or 1 where it is None and ``y_true``'s classes are {0, 1}, {-1, 1} or one of these."""
    if pos_label is not None:
        return pos_label
    classes = host_unique(y_true)
    allowed = ([0, 1], [-1, 1], [0], [-1], [1])
    if is_text(classes) or not any(classes.tolist() == values for values in allowed):
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either make y_true "
            "take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1


def average(values, weights=None, normalize: bool = True):
    """Weighted mean (or, with ``normalize=False``, weighted sum) over the first axis, in float64.

        mean = Σ wᵢ vᵢ / Σ wᵢ          (wᵢ = 1 without weights)

    Returns an array (0-d for 1-D ``values``, one entry per column for 2-D).
    """
    values = values.astype(np.float64)
    if weights is None:
        total, count = values.sum(axis=0), values.shape[0]
    else:
        weights = weights.astype(np.float64)
        total = (values * (weights[:, None] if values.ndim == 2 else weights)).sum(axis=0)
        count = weights.sum()
        if normalize and backend.to_scalar(count) == 0:
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return total / count if normalize else total
