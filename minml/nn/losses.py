"""Loss functions (``minml.nn.functional.mse_loss`` ...) and their Module forms (``nn.MSELoss`` ...).

A loss turns predictions and targets into one number to minimise. Each
function computes per-item losses and then applies ``reduction``: "mean"
(the default), "sum" or "none" (the per-item losses themselves).

Classification losses take *logits* (unnormalised scores) and work in log
space (log-sum-exp, softplus), so logits of ±1e4 give exact finite losses.
Cross-entropy is one fused op whose gradient is the famous softmax(z) - y;
with plain integer labels it picks log p[n, y_n] by indexing, with no one-hot matrix.
"""

from __future__ import annotations

import math

from minml import backend
from minml.autograd.activations import log_softmax_array, softplus
from minml.autograd.elementwise import clip, log, where
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor
from minml.nn.module import Module

__all__ = [
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "MSELoss",
    "L1Loss",
    "HuberLoss",
    "SmoothL1Loss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
]

REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """The mean or sum of the per-item losses, or the losses themselves ("none")."""
    _check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _check_same_shape(name: str, input, target) -> None:
    """Regression losses compare element by element: broadcasting (N, 1) with (N,) is almost always a bug."""
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(
            f"{name}: input shape {tuple(input.shape)} and target shape {tuple(target.shape)} differ; "
            "reshape one of them (e.g. target.reshape(input.shape)) so each prediction meets its own target"
        )


def _array_on(value, device):
    """The backend array of a Tensor, or a host array / list moved (explicitly) to ``device``."""
    return value.data if isinstance(value, Tensor) else backend.to_device(value, device)


# --------------------------------------------------------------------------- regression


def mse_loss(input: Tensor, target, reduction: str = "mean") -> Tensor:
    """Mean squared error: l = (x - y)²."""
    _check_same_shape("mse_loss", input, target)
    diff = input - target
    return _reduce(diff * diff, reduction)


def l1_loss(input: Tensor, target, reduction: str = "mean") -> Tensor:
    """Mean absolute error: l = |x - y|."""
    _check_same_shape("l1_loss", input, target)
    return _reduce((input - target).abs(), reduction)


def huber_loss(input: Tensor, target, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """l = ½ d² where |d| < δ, else δ (|d| - ½ δ), d = x - y: squared near 0, linear (robust) far away."""
    _check_same_shape("huber_loss", input, target)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive; got {delta}")
    diff = input - target
    size = diff.abs()
    return _reduce(where(size < delta, 0.5 * diff * diff, delta * (size - 0.5 * delta)), reduction)


def smooth_l1_loss(input: Tensor, target, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """Huber loss divided by ``beta`` (l = ½ d²/β near 0, |d| - ½ β beyond β); beta=0 is the L1 loss."""
    if beta == 0:
        return l1_loss(input, target, reduction)
    return _reduce(huber_loss(input, target, "none", delta=beta) / beta, reduction)


# --------------------------------------------------------------------------- classification


# exercise 10.cross_entropy_from_logits
def cross_entropy_from_logits(logits, labels):
    """Stable per-item cross-entropy of ``logits`` (N, C) and ``labels`` (N,).

    With p = softmax(z) the loss of item n is l_n = -log p[n, y_n]. Compute it
    in log space, never forming p: log p = z - logsumexp(z) row by row, where

        logsumexp(z) = m + log Σ_c exp(z_c - m),   m = max_c z_c

    (subtracting the row maximum m first keeps every exp in (0, 1]: exp(1e4)
    would overflow to inf, and log(softmax) of a logit far below the others
    would be log 0 = -inf). Then pick each row's label with integer indexing,
    ``log_p[xp.arange(N), labels]`` (no one-hot matrix). Return
    ``(losses, log_p)``: the losses (N,) and the log-probabilities (N, C),
    which backward reuses (dl/dz = exp(log_p) - one_hot(y)). Use
    ``xp = minml.backend.namespace(logits)`` for exp, log and arange.
    """
    xp = backend.namespace(logits)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[xp.arange(logits.shape[0]), labels], log_p
# end exercise


class SoftmaxCrossEntropy(Function):
    """Per item: l = -Σ_c q_c log p_c with p = softmax(z) over the class axis 1.

    dl/dz = p Σ_c q_c - q; for a one-hot q that is the famous p - y. ``q`` (a
    constant) carries the targets, class weights, label smoothing and the
    mean's 1/count; ``reduce`` sums the per-item losses.
    """

    @staticmethod
    def forward(ctx, logits, q, reduce):
        log_p = log_softmax_array(ctx.xp, logits, axis=1)
        ctx.save_for_backward(log_p, q)
        ctx.reduce = reduce
        losses = -(q * log_p).sum(axis=1)
        return losses.sum() if reduce else losses

    @staticmethod
    def backward(ctx, grad):
        xp = ctx.xp
        log_p, q = ctx.saved
        per_item = grad if ctx.reduce else xp.expand_dims(grad, 1)
        return per_item * (xp.exp(log_p) * q.sum(axis=1, keepdims=True) - q), None


class LabelCrossEntropy(Function):
    """The common case without a one-hot matrix: logits (N, C), labels (N,) all in 0..C-1, no weights.

    l_n = -log p[n, y_n] (:func:`cross_entropy_from_logits`) and dl/dz = p - one_hot(y),
    built by subtracting 1 at each row's label. ``scale`` is 1/N for "mean", else 1.
    """

    @staticmethod
    def forward(ctx, logits, labels, reduction):
        losses, log_p = cross_entropy_from_logits(logits, labels)
        ctx.save_for_backward(log_p, labels)
        ctx.reduction = reduction
        if reduction == "none":
            return losses
        total = losses.sum()
        return total / losses.shape[0] if reduction == "mean" else total

    @staticmethod
    def backward(ctx, grad):
        xp = ctx.xp
        log_p, labels = ctx.saved
        grad_logits = xp.exp(log_p)
        grad_logits[xp.arange(labels.shape[0]), labels] -= 1  # p - one_hot(y), a fresh array
        if ctx.reduction == "none":
            return grad_logits * xp.expand_dims(grad, 1), None
        scale = grad / labels.shape[0] if ctx.reduction == "mean" else grad
        return grad_logits * scale, None


def _target_weights(name, input, target, weight, ignore_index, label_smoothing, reduction):
    """The constant q of :class:`SoftmaxCrossEntropy`, shaped like ``input`` (N, C, d...), for ``reduction``.

    Class indices y: q_c = w_c ((1-ε) [c = y] + ε/C), zero for items with
    y = ignore_index; "mean" divides by Σ w_y over the counted items
    (PyTorch's weighted mean). Class probabilities (a float target shaped like
    input): q_c = w_c ((1-ε) y_c + ε/C), and "mean" divides by the item count.
    """
    _check_reduction(reduction)
    if input.ndim < 2:
        raise ValueError(f"{name} expects input of shape (N, C) or (N, C, d1, ...); got shape {tuple(input.shape)}")
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1]; got {label_smoothing}")
    xp, dtype, classes = input._xp, input.dtype, input.shape[1]
    target = _array_on(target, input.device)
    class_axis = (1, classes) + (1,) * (input.ndim - 2)  # reshape (C,) to broadcast along axis 1
    weights = None if weight is None else _array_on(weight, input.device).astype(dtype).reshape(class_axis)
    if target.dtype.kind == "f" and target.shape == input.shape:
        q = target.astype(dtype) * (1 - label_smoothing) + label_smoothing / classes
        count = math.prod(target.shape) // classes
    elif target.dtype.kind in "iu" and target.shape == input.shape[:1] + input.shape[2:]:
        counted = target != ignore_index
        bad = counted & ((target < 0) | (target >= classes))
        if backend.to_scalar(bad.any()):
            first = backend.to_scalar(target[bad][0])
            raise IndexError(f"{name}: target {first} is out of bounds for {classes} classes (0 to {classes - 1})")
        one_hot = xp.expand_dims(xp.where(counted, target, -1), 1) == xp.arange(classes).reshape(class_axis)
        q = one_hot.astype(dtype)
        count = q.sum() if weights is None else (q * weights).sum()
        if label_smoothing:
            q = q * (1 - label_smoothing) + xp.expand_dims(counted, 1).astype(dtype) * (label_smoothing / classes)
    else:
        raise ValueError(
            f"{name} expects targets of class indices (integers) of shape {input.shape[:1] + input.shape[2:]} "
            f"or class probabilities (floats) of shape {tuple(input.shape)}; got {target.dtype} of shape "
            f"{tuple(target.shape)}"
        )
    if weights is not None:
        q = q * weights
    return q / count if reduction == "mean" else q


def cross_entropy(
    input: Tensor, target, weight=None, ignore_index: int = -100, reduction: str = "mean", label_smoothing: float = 0.0
) -> Tensor:
    """Softmax cross-entropy of logits ``input`` (N, C) or (N, C, d...) against class indices or probabilities.

    l = -Σ_c w_c q_c log softmax(z)_c with q the one-hot target (smoothed to
    (1-ε) q + ε/C by ``label_smoothing``) and w the optional class ``weight``.
    Items whose target is ``ignore_index`` count for nothing.
    """
    labels = _plain_labels(input, target, weight, ignore_index, label_smoothing, reduction)
    if labels is not None:
        return LabelCrossEntropy.apply(input, labels, reduction=reduction)
    q = _target_weights("cross_entropy", input, target, weight, ignore_index, label_smoothing, reduction)
    return SoftmaxCrossEntropy.apply(input, q, reduce=reduction != "none")


def _plain_labels(input, target, weight, ignore_index, label_smoothing, reduction):
    """The labels as a backend array if :class:`LabelCrossEntropy` applies, else None (the general path).

    It applies to logits (N, C) with integer labels (N,) all in 0..C-1, none
    equal to ``ignore_index``, and no class weights or smoothing. The check
    reads one flag from the device (a sync on a GPU), as the general path's
    range check does; a label out of range or ignored sends the batch to the
    general path, which reports or skips it.
    """
    if weight is not None or label_smoothing or input.ndim != 2 or reduction not in REDUCTIONS:
        return None
    labels = _array_on(target, input.device)
    if labels.dtype.kind not in "iu" or labels.shape != input.shape[:1]:
        return None
    outside = (labels < 0) | (labels >= input.shape[1]) | (labels == ignore_index)
    return None if backend.to_scalar(outside.any()) else labels


def nll_loss(input: Tensor, target, weight=None, ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` (e.g. from log_softmax): l = -w_y input_y."""
    q = _target_weights("nll_loss", input, target, weight, ignore_index, 0.0, reduction)
    losses = -(input * q).sum(axis=1)
    return losses if reduction == "none" else losses.sum()


def binary_cross_entropy_with_logits(input: Tensor, target, weight=None, reduction: str = "mean", pos_weight=None):
    """l = w [p y softplus(-x) + (1 - y) softplus(x)]: binary cross-entropy of σ(x), computed stably.

    Since -log σ(x) = softplus(-x) and -log(1 - σ(x)) = softplus(x), no
    probability is ever formed. ``pos_weight`` p weighs the positive class
    (broadcast over the last axis), ``weight`` w each element.
    """
    _check_same_shape("binary_cross_entropy_with_logits", input, target)
    positive = softplus(-input) * target
    if pos_weight is not None:
        positive = positive * pos_weight
    loss = positive + softplus(input) * (1 - target)
    return _reduce(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy(input: Tensor, target, weight=None, reduction: str = "mean") -> Tensor:
    """l = -w [y log p + (1 - y) log(1 - p)] for probabilities p; each log clipped at -100, as PyTorch does.

    Prefer :func:`binary_cross_entropy_with_logits` on logits: it is stable where p is 0 or 1.
    """
    _check_same_shape("binary_cross_entropy", input, target)
    loss = -(clip(log(input), min=-100) * target + clip(log(1 - input), min=-100) * (1 - target))
    return _reduce(loss if weight is None else loss * weight, reduction)


# --------------------------------------------------------------------------- loss modules


def _buffer(value):
    """A Tensor for a weight given as a Tensor, array or list (None stays None)."""
    return value if value is None or isinstance(value, Tensor) else Tensor(value)


class _Loss(Module):
    """A loss as a Module: ``loss_fn = nn.MSELoss(); loss = loss_fn(prediction, target)``."""

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        _check_reduction(reduction)
        self.reduction = reduction


class MSELoss(_Loss):
    def forward(self, input, target):
        return mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    def forward(self, input, target):
        return l1_loss(input, target, self.reduction)


class HuberLoss(_Loss):
    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return huber_loss(input, target, self.reduction, self.delta)


class SmoothL1Loss(_Loss):
    def __init__(self, reduction: str = "mean", beta: float = 1.0):
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input, target):
        return smooth_l1_loss(input, target, self.reduction, self.beta)


class CrossEntropyLoss(_Loss):
    """:func:`cross_entropy` as a Module; the class ``weight`` is a buffer, so ``to(device)`` moves it."""

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(reduction)
        self.register_buffer("weight", _buffer(weight))
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return cross_entropy(input, target, self.weight, self.ignore_index, self.reduction, self.label_smoothing)


class NLLLoss(_Loss):
    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__(reduction)
        self.register_buffer("weight", _buffer(weight))
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class BCELoss(_Loss):
    def __init__(self, weight=None, reduction: str = "mean"):
        super().__init__(reduction)
        self.register_buffer("weight", _buffer(weight))

    def forward(self, input, target):
        return binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Loss):
    def __init__(self, weight=None, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction)
        self.register_buffer("weight", _buffer(weight))
        self.register_buffer("pos_weight", _buffer(pos_weight))

    def forward(self, input, target):
        return binary_cross_entropy_with_logits(input, target, self.weight, self.reduction, self.pos_weight)
