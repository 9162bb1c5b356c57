"""clip_grad_norm_: the same total norm and clipped gradients as torch.nn.utils.clip_grad_norm_."""

import math

import numpy as np
import pytest

import minml
from minml import backend
from minml.optim import clip_grad_norm_
from minml.testing import assert_close, standard_normal, to_host, torch_or_skip

SHAPES = [(3, 4), (5,), (2,)]


def with_grads(make_tensor, set_grad, grads):
    """Parameters holding ``grads`` (the last one has no gradient: it must be skipped)."""
    params = [make_tensor(np.zeros(shape)) for shape in SHAPES]
    for p, g in zip(params, grads):
        set_grad(p, g)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])  # clips; leaves the gradients alone
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_same_as_torch(device, norm_type, max_norm, dtype):
    torch = torch_or_skip()
    grads = [standard_normal(*shape, seed=i).astype(dtype) for i, shape in enumerate(SHAPES[:-1])]

    def set_ours(p, g):
        p.grad = backend.to_device(g.copy(), device)

    def set_theirs(p, g):
        p.grad = torch.tensor(g)

    ours = with_grads(lambda a: minml.tensor(a, device=device, dtype=dtype, requires_grad=True), set_ours, grads)
    theirs = with_grads(lambda a: torch.tensor(a, dtype=getattr(torch, dtype), requires_grad=True), set_theirs, grads)
    total = clip_grad_norm_(ours, max_norm, norm_type)
    their_total = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    tolerance = dict(rtol=1e-12, atol=1e-15) if dtype == "float64" else dict(rtol=1e-5, atol=1e-7)
    assert isinstance(total, minml.Tensor) and total.shape == () and total.device == device
    assert total.dtype == np.dtype(dtype)
    assert_close(total, their_total, what="total norm", **tolerance)
    for i, (p, q) in enumerate(zip(ours[:-1], theirs[:-1])):
        assert_close(p.grad, q.grad, what=f"clipped gradient {i}", **tolerance)
    assert ours[-1].grad is None


def test_clipped_norm_is_max_norm_and_direction_is_kept(device):
    p = minml.tensor([0.0, 0.0], device=device, requires_grad=True)
    p.grad = backend.to_device(np.array([3.0, 4.0]), device)
    grad = p.grad
    total = clip_grad_norm_(p, max_norm=1.0)  # a single tensor is accepted
    assert total.item() == 5.0
    assert p.grad is grad  # scaled in place
    np.testing.assert_allclose(to_host(p.grad), [0.6, 0.8], rtol=1e-6)


def test_no_gradients_gives_zero(device):
    p = minml.tensor([1.0], device=device, requires_grad=True)
    assert clip_grad_norm_([p], 1.0).item() == 0.0


def test_error_if_nonfinite(device):
    p = minml.tensor([1.0, 2.0], device=device, requires_grad=True)
    p.grad = backend.to_device(np.array([np.nan, 1.0]), device)
    with pytest.raises(RuntimeError, match="not finite"):
        clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    p.grad = backend.to_device(np.array([3.0, 4.0]), device)
    assert clip_grad_norm_([p], 1.0, error_if_nonfinite=True).item() == 5.0
