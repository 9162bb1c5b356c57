"""Normalisation layers: BatchNorm1d, BatchNorm2d, LayerNorm.

Each standardises its input to mean 0 and variance 1 over some axes, then
applies a learned per-feature affine map:

    x̂ = (x - μ) / √(σ² + ε),      y = γ ⊙ x̂ + β

They differ in the axes μ and σ² are taken over. *Batch* norm averages each
channel over the batch (and over the pixels, for images): axes (0, 2, 3, ...),
one μ and σ² per channel. *Layer* norm averages each sample over its last
few axes (``normalized_shape``), one μ and σ² per sample, so it behaves the
same in training and evaluation and for a batch of one.

Batch statistics are noisy and need a batch, so in training batch norm also
keeps exponential moving averages (buffers, saved with the model) that
evaluation uses instead:

    running_mean ← (1 - m) · running_mean + m · μ
    running_var  ← (1 - m) · running_var  + m · σ² · n / (n - 1)

(m = ``momentum``; the unbiased variance of the n values, as PyTorch does,
while x̂ uses the biased one).

The backward pass of x̂ is written in closed form (:class:`Normalize`): when
μ and σ² are x's own statistics over n values, every x̂ depends on every x of
its group, and the chain rule through μ and σ² collapses to

    dL/dx = (1/√(σ² + ε)) · (g - mean(g) - x̂ · mean(g ⊙ x̂)),    g = dL/dx̂

with the means over the same axes — the gradient with its mean and its
component along x̂ projected out (shifting or scaling x leaves x̂ unchanged).
With fixed statistics (evaluation) it is just g / √(σ² + ε).
"""

from __future__ import annotations

import numbers

import numpy as np

from minml.autograd.function import Function
from minml.autograd.tensor import Tensor, ones, zeros
from minml.nn.module import Module, Parameter

__all__ = ["batch_norm", "layer_norm", "BatchNorm1d", "BatchNorm2d", "LayerNorm"]


class Normalize(Function):
    """x̂ = (x - mean) / √(var + ε); ``axes`` names the axes when mean and var are x's own statistics."""

    @staticmethod
    def forward(ctx, x, mean, var, eps, axes):
        inv_std = 1.0 / ctx.xp.sqrt(var + eps)
        x_hat = (x - mean) * inv_std
        ctx.save_for_backward(x_hat, inv_std)
        ctx.axes = axes
        return x_hat

    @staticmethod
    def backward(ctx, grad):
        x_hat, inv_std = ctx.saved
        if ctx.axes is None:  # fixed statistics: x̂ is an affine map of x
            return grad * inv_std, None, None
        mean_grad = grad.mean(axis=ctx.axes, keepdims=True)
        mean_grad_x_hat = (grad * x_hat).mean(axis=ctx.axes, keepdims=True)
        return inv_std * (grad - mean_grad - x_hat * mean_grad_x_hat), None, None


def _standardize(x: Tensor, axes: tuple[int, ...], eps: float):
    """x̂ from x's own mean and biased variance over ``axes``; also returns those (raw arrays, size-1 axes kept).

    The sums are accumulated in float64 (as PyTorch does): in float32 a mean
    of many values far from zero loses digits that a small variance needs.
    The variance is the mean of the squared deviations, written out: CuPy's
    ``var(dtype=float64)`` still works in the input's float32.
    """
    mean = x.data.mean(axis=axes, keepdims=True, dtype=np.float64).astype(x.dtype, copy=False)
    deviation = x.data - mean
    var = (deviation * deviation).mean(axis=axes, keepdims=True, dtype=np.float64).astype(x.dtype, copy=False)
    return Normalize.apply(x, mean, var, eps=eps, axes=axes), mean, var


def _affine(x_hat: Tensor, weight, bias, shape) -> Tensor:
    """γ ⊙ x̂ + β with γ and β reshaped to ``shape`` to broadcast against x̂ (either may be None)."""
    if weight is not None:
        x_hat = x_hat * weight.reshape(shape)
    if bias is not None:
        x_hat = x_hat + bias.reshape(shape)
    return x_hat


def batch_norm(
    x: Tensor, running_mean=None, running_var=None, weight=None, bias=None,
    training: bool = False, momentum: float = 0.1, eps: float = 1e-5,
) -> Tensor:
    """Batch normalisation of x (N, C, ...) per channel C, as torch.nn.functional.batch_norm.

    With ``training`` the statistics come from the batch (and the running
    statistics, if given, move towards them by ``momentum``, in place);
    otherwise ``running_mean`` and ``running_var`` (C,) are used.
    ``weight`` γ and ``bias`` β (C,) are optional.
    """
    axes = (0, *range(2, x.ndim))  # every axis but the channels
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)  # (1, C, 1, ...): one value per channel
    if training:
        count = x.data.size // x.shape[1]
        if count < 2:
            raise ValueError(
                f"batch_norm in training needs more than one value per channel to compute a variance; "
                f"got input of shape {tuple(x.shape)}. Use a larger batch or call model.eval()"
            )
        x_hat, mean, var = _standardize(x, axes, eps)
        if running_mean is not None:
            running_mean.data[...] = (1 - momentum) * running_mean.data + momentum * mean.reshape(-1)
            running_var.data[...] = (1 - momentum) * running_var.data + momentum * var.reshape(-1) * (
                count / (count - 1)
            )
    elif running_mean is None or running_var is None:
        raise ValueError("batch_norm in evaluation (training=False) needs running_mean and running_var")
    else:
        mean, var = running_mean.data.reshape(shape), running_var.data.reshape(shape)
        x_hat = Normalize.apply(x, mean, var, eps=eps, axes=None)
    return _affine(x_hat, weight, bias, shape)


def layer_norm(x: Tensor, normalized_shape, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    """Layer normalisation over the last ``len(normalized_shape)`` axes of x, as torch.nn.functional.layer_norm."""
    normalized_shape = _as_shape(normalized_shape)
    first = x.ndim - len(normalized_shape)  # the first normalised axis
    if first < 0 or tuple(x.shape[first:]) != normalized_shape:
        raise ValueError(
            f"layer_norm expects input whose last dimensions are normalized_shape {normalized_shape}; "
            f"got input of shape {tuple(x.shape)}"
        )
    axes = tuple(range(first, x.ndim))
    x_hat, _, _ = _standardize(x, axes, eps)
    return _affine(x_hat, weight, bias, normalized_shape)


def _as_shape(shape) -> tuple[int, ...]:
    return (int(shape),) if isinstance(shape, numbers.Integral) else tuple(int(n) for n in shape)


# --------------------------------------------------------------------------- modules


def _register_affine(module: Module, shape, weight: bool, bias: bool, dtype, device) -> None:
    """γ = 1 and β = 0 of ``shape`` as ``module.weight`` and ``module.bias``; None for those left out."""
    dtype = np.dtype(dtype or np.float32)
    module.register_parameter("weight", Parameter(ones(shape, dtype=dtype, device=device)) if weight else None)
    module.register_parameter("bias", Parameter(zeros(shape, dtype=dtype, device=device)) if bias else None)


class _BatchNorm(Module):
    """Batch norm over C channels of an input of one of ``ranks`` (the subclasses fix the layouts)."""

    ranks: dict[int, str]  # accepted number of dimensions -> layout, for the error message

    def __init__(
        self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
        track_running_stats: bool = True, *, bias: bool = True, device=None, dtype=None,
    ):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _register_affine(self, (num_features,), affine, affine and bias, dtype, device)
        if track_running_stats:
            dtype = np.dtype(dtype or np.float32)
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype, device=device))
            self.register_buffer("running_var", ones(num_features, dtype=dtype, device=device))
            self.register_buffer("num_batches_tracked", zeros((), dtype=np.int64, device=device))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def forward(self, x: Tensor) -> Tensor:
        self._check_input(x)
        use_batch_stats = self.training or not self.track_running_stats
        momentum = self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data += 1
            if momentum is None:  # a cumulative average: batch k counts 1/k
                momentum = 1.0 / int(self.num_batches_tracked.item())
        return batch_norm(
            x, self.running_mean, self.running_var, self.weight, self.bias,
            use_batch_stats, momentum, self.eps,
        )

    def _check_input(self, x: Tensor) -> None:
        if x.ndim not in self.ranks or x.shape[1] != self.num_features:
            layouts = " or ".join(self.ranks.values())
            raise ValueError(
                f"{type(self).__name__}({self.num_features}) expects input of shape {layouts} "
                f"with C = {self.num_features}; got shape {tuple(x.shape)}"
            )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch norm of features (N, C) or of sequences (N, C, L), per channel C."""

    ranks = {2: "(N, C)", 3: "(N, C, L)"}


class BatchNorm2d(_BatchNorm):
    """Batch norm of images (N, C, H, W), per channel C over the batch and the pixels."""

    ranks = {4: "(N, C, H, W)"}


class LayerNorm(Module):
    """Layer norm over the last axes (``normalized_shape``) of each sample, with learned γ, β of that shape."""

    def __init__(
        self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
        *, device=None, dtype=None,
    ):
        super().__init__()
        self.normalized_shape, self.eps = _as_shape(normalized_shape), eps
        self.elementwise_affine = elementwise_affine
        _register_affine(self, self.normalized_shape, elementwise_affine, elementwise_affine and bias, dtype, device)

    def forward(self, x: Tensor) -> Tensor:
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )
