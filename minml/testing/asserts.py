"""Assertions that work on any device, and the "same lambda on minml and PyTorch" check.

``check_against_torch(fn, *arrays, device=...)`` runs one function on minml
tensors and on PyTorch tensors built from the same float64 data, and compares
values and gradients. The function only uses methods both libraries share
(``x.exp()``, ``x @ y``, ``x.sum(dim)``...) or takes the library as ``lib``.
Without PyTorch it skips, visibly.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.autograd.tensor import Tensor

__all__ = ["assert_close", "to_host", "check_against_torch", "gradcheck_on", "standard_normal", "torch_or_skip"]


def to_host(x) -> np.ndarray:
    """A NumPy array from a Tensor, a backend array, a torch tensor or a number."""
    if isinstance(x, Tensor):
        x = x.data
    if type(x).__module__.startswith("torch"):
        return x.detach().cpu().numpy()
    return backend.asnumpy(x)


def assert_close(actual, expected, rtol: float = 1e-6, atol: float = 1e-8, what: str = "values") -> None:
    """Like numpy.testing.assert_allclose, for arrays on any device (shapes must match too)."""
    actual, expected = to_host(actual), to_host(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


def gradcheck_on(device, fn, *arrays) -> None:
    """Assert :func:`minml.gradcheck` passes for ``fn`` on host ``arrays`` moved to ``device``."""
    import minml

    assert minml.gradcheck(fn, *(minml.tensor(a, device=device) for a in arrays))


def standard_normal(*shape, seed: int = 0) -> np.ndarray:
    """A float64 host array of standard normal samples from its own seeded generator."""
    return np.random.default_rng(seed).standard_normal(shape)


def torch_or_skip():
    """The torch module, or a visible pytest skip saying how to install the CPU build."""
    import pytest

    return pytest.importorskip(
        "torch", reason="PyTorch not installed: `pip install torch==2.13.0` runs the differential tests"
    )


def check_against_torch(fn, *arrays, device="cpu", rtol: float = 1e-6, atol: float = 1e-8, grad: bool = True):
    """Run ``fn(lib, *tensors)`` with lib = minml and with lib = torch; compare values and gradients.

    ``arrays`` are host arrays: floating ones become float64 leaves requiring
    grad, others (integer indices, masks) are passed as constants.
    """
    import minml

    torch = torch_or_skip()

    def leaves(make):
        return [make(a) for a in arrays]

    ours = leaves(lambda a: minml.tensor(a, device=device, requires_grad=grad and a.dtype.kind == "f"))
    theirs = leaves(lambda a: torch.tensor(np.array(a), requires_grad=grad and a.dtype.kind == "f"))
    our_out, their_out = fn(minml, *ours), fn(torch, *theirs)
    assert_close(our_out, their_out, rtol, atol, what="forward values vs PyTorch")
    if not grad:
        return
    weights = np.random.default_rng(0).standard_normal(their_out.shape)
    (our_out * minml.tensor(weights, device=device)).sum().backward()
    (their_out * torch.tensor(weights)).sum().backward()
    for number, (mine, reference) in enumerate(zip(ours, theirs)):
        if reference.requires_grad:
            expected = reference.grad if reference.grad is not None else torch.zeros_like(reference)
            actual = mine.grad if mine.grad is not None else np.zeros(mine.shape)
            assert_close(actual, expected, rtol, atol, what=f"gradient of input {number} vs PyTorch")
