"""`minml compare 10`: your functions beside minml's reference and PyTorch's ``torch.nn.functional``.

Every implementation gets the same seeded inputs, on the default device (MINML_DEVICE); the
table shows how closely each agrees with the reference and how long it took. The inputs are the
sizes of the lesson's digits models, float32. The peers (their time includes copying the inputs
to the host when minml runs on a GPU, and the peer's autograd bookkeeping):

* linear backward: ``torch.nn.functional.linear`` on a batch of 128, 256 -> 256 features, then
  ``backward`` with the same dL/dy: PyTorch's own dL/dx, dL/dW, dL/db;
* cross-entropy: ``torch.nn.functional.log_softmax`` and ``cross_entropy(..., reduction="none")``
  on 128 x 10 logits with a few of ±1e4 among them, where a naive log(softmax) gives inf;
* im2col: ``torch.nn.functional.unfold``, PyTorch's im2col, on the 32-channel 28 x 28 maps of
  a small CNN. It orders the rows (c, i, j) rather than (i, j, c): the peer's result is
  rearranged to minml's layout, which the time includes.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case


def warm_up(*modules):
    """Import the peers' libraries now, so their import time is not counted as their run time."""
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def host32(array):
    return np.ascontiguousarray(backend.asnumpy(array), dtype=np.float32)


# --------------------------------------------------------------------------- linear backward


def hidden_layer():
    """dL/dy (128, 256), x (128, 256) and W (256, 256): the middle layer of a 64-256-256-10 MLP."""
    warm_up("torch")
    rng = np.random.default_rng(0)
    grad, x = rng.standard_normal((128, 256)), rng.standard_normal((128, 256))
    weight = rng.standard_normal((256, 256)) / 16
    return tuple(backend.to_device(a.astype(np.float32)) for a in (grad, x, weight))


def torch_linear_backward(grad, x, weight):
    import torch

    tx = torch.from_numpy(host32(x)).requires_grad_()
    tw = torch.from_numpy(host32(weight)).requires_grad_()
    tb = torch.zeros(weight.shape[0], requires_grad=True)
    torch.nn.functional.linear(tx, tw, tb).backward(torch.from_numpy(host32(grad)))
    return tx.grad, tw.grad, tb.grad


# --------------------------------------------------------------------------- cross-entropy


def digit_logits():
    """128 rows of 10 logits, a few of them ±1e4, and their labels."""
    warm_up("torch")
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((128, 10)) * 3
    logits[::16, 0] = 1e4
    logits[8::16, 3] = -1e4
    return backend.to_device(logits.astype(np.float32)), backend.to_device(rng.integers(0, 10, 128))


def torch_cross_entropy(logits, labels):
    import torch

    z, y = torch.from_numpy(host32(logits)), torch.from_numpy(backend.asnumpy(labels))
    return torch.nn.functional.cross_entropy(z, y, reduction="none"), torch.nn.functional.log_softmax(z, dim=1)


# --------------------------------------------------------------------------- im2col


def feature_maps():
    """32 channels of 28 x 28 for a batch of 16, padded by 1, and a 3 x 3 window (stride 1)."""
    warm_up("torch")
    maps = np.random.default_rng(2).standard_normal((16, 32, 30, 30)).astype(np.float32)
    return backend.to_device(maps), (3, 3), (1, 1), (1, 1)


def torch_unfold(padded, kernel, stride, dilation):
    import torch

    n, c, hp, wp = padded.shape
    cols = torch.nn.functional.unfold(torch.from_numpy(host32(padded)), kernel, dilation=dilation, stride=stride)
    oh, ow = ((size - d * (k - 1) - 1) // s + 1 for size, k, s, d in zip((hp, wp), kernel, stride, dilation))
    # (N, C·KH·KW, OH·OW), rows (c, i, j) -> minml's (KH·KW, N, C, OH, OW)
    return cols.reshape(n, c, kernel[0] * kernel[1], oh, ow).permute(2, 0, 1, 3, 4)


CASES = [
    Case(
        exercise="10.linear_backward",
        make_inputs=hidden_layer,
        peers={"torch": torch_linear_backward},
        agreement="max_abs_diff",
    ),
    Case(
        exercise="10.cross_entropy_from_logits",
        make_inputs=digit_logits,
        peers={"torch": torch_cross_entropy},
        agreement="max_abs_diff",
    ),
    Case(
        exercise="10.im2col",
        make_inputs=feature_maps,
        peers={"torch": torch_unfold},
        agreement="max_abs_diff",
    ),
]
