"""The engine: graph walk (backward.py), Function and unbroadcast (function.py), no_grad (grad_mode.py)."""

import threading

import numpy as np
import pytest

import minml
from minml import backend
from minml.autograd.function import Function, unbroadcast
from minml.testing import FAKE_DEVICE, standard_normal, to_host


def leaf(values, device, dtype="float64"):
    return minml.tensor(values, device=device, dtype=dtype, requires_grad=True)


def grad_of(t):
    return to_host(t.grad)


# --------------------------------------------------------------------------- the graph walk


def test_reused_non_leaf_sums_its_gradients(device):
    a = leaf([1.0, -2.0, 3.0], device)
    b = a + a
    c = b * b  # c = 4a², dc/da = 8a: b's gradient comes from both factors
    c.sum().backward()
    np.testing.assert_allclose(grad_of(a), 8 * np.array([1.0, -2.0, 3.0]))


def test_diamond_graph(device):
    x = leaf([0.5, 2.0], device)
    h = x * 3
    y = h.exp() + h * h  # h feeds two branches that meet again
    y.sum().backward()
    h_host = 3 * np.array([0.5, 2.0])
    np.testing.assert_allclose(grad_of(x), 3 * (np.exp(h_host) + 2 * h_host))


def test_long_chain_has_no_recursion_limit(device):
    """100,000 ops in a row: the topological sort must be iterative (it would overflow Python's stack)."""
    x0 = leaf(1.0, device)
    x = x0
    for _ in range(100_000):
        x = x * 1.0001
    x.backward()
    np.testing.assert_allclose(grad_of(x0), 1.0001**100_000, rtol=1e-9)


def test_gradients_accumulate_over_backward_calls_until_zeroed(device):
    w = leaf([1.0, 2.0], device)
    (w * 3).sum().backward()
    (w * w).sum().backward()  # a fresh graph: adds to .grad
    np.testing.assert_allclose(grad_of(w), [3 + 2, 3 + 4])
    w.grad = None
    (w * 3).sum().backward()
    np.testing.assert_allclose(grad_of(w), [3.0, 3.0])


def test_unused_branches_get_no_gradient(device):
    used = leaf([1.0, 2.0], device)
    only_in_unused = leaf([3.0, 4.0], device)
    never_used = leaf([5.0], device)
    hidden = used * 2
    unused = (hidden * only_in_unused).exp()  # built, but not part of the loss
    loss = (hidden * hidden).sum()
    loss.backward()
    np.testing.assert_allclose(grad_of(used), 8 * np.array([1.0, 2.0]))
    assert only_in_unused.grad is None
    assert never_used.grad is None
    assert unused.grad is None


def test_constant_inputs_get_no_gradient(device):
    x = leaf([1.0, 2.0], device)
    constant = minml.tensor([3.0, 4.0], device=device, dtype="float64")
    (x * constant).sum().backward()
    np.testing.assert_allclose(grad_of(x), [3.0, 4.0])
    assert constant.grad is None and not constant.requires_grad


def test_retain_grad_keeps_a_non_leaf_gradient(device):
    x = leaf([1.0, 2.0], device)
    h = (x * 2).retain_grad()
    other = x * 5
    (h * h + other).sum().backward()
    np.testing.assert_allclose(grad_of(h), 2 * 2 * np.array([1.0, 2.0]))
    assert other.grad is None  # non-leaves keep no gradient unless asked
    assert not h.is_leaf and x.is_leaf


# --------------------------------------------------------------------------- backward's arguments and errors


def test_backward_on_non_scalar_needs_a_gradient(device):
    y = leaf([1.0, 2.0], device) * 2
    with pytest.raises(RuntimeError, match="gradient"):
        y.backward()


def test_backward_with_gradient_argument(device):
    x = leaf([[1.0, 2.0], [3.0, 4.0]], device)
    y = x * x
    upstream = np.array([[1.0, 0.5], [-1.0, 2.0]])
    y.backward(upstream)
    np.testing.assert_allclose(grad_of(x), upstream * 2 * np.array([[1.0, 2.0], [3.0, 4.0]]))
    x.grad = None
    (x * x).backward(minml.tensor(upstream, device=device))  # as a Tensor too
    np.testing.assert_allclose(grad_of(x), upstream * 2 * np.array([[1.0, 2.0], [3.0, 4.0]]))


@pytest.mark.parametrize("shape", [(2,), (2, 1), (4,), (1, 2, 2)])
def test_backward_with_wrongly_shaped_gradient_raises(device, shape):
    y = leaf([[1.0, 2.0], [3.0, 4.0]], device) * 2
    with pytest.raises(RuntimeError, match="shape"):
        y.backward(np.ones(shape))


def test_backward_on_tensor_not_requiring_grad_raises(device):
    x = minml.tensor([1.0, 2.0], device=device)
    with pytest.raises(RuntimeError, match="requires_grad"):
        (x * 2).sum().backward()


def test_second_backward_needs_retain_graph(device):
    x = leaf([1.0, 2.0], device)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_retain_graph_allows_a_second_backward(device):
    x = leaf([1.0, 2.0], device)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(grad_of(x), 2 * 2 * np.array([1.0, 2.0]))


def test_requires_grad_only_on_floats(device):
    ints = minml.tensor([1, 2], device=device)
    with pytest.raises(TypeError, match="floating-point"):
        ints.requires_grad_()
    with pytest.raises(TypeError, match="floating-point"):
        minml.tensor([1, 2], device=device, requires_grad=True)


def test_requires_grad_cannot_be_switched_off_on_a_non_leaf(device):
    y = leaf([1.0], device) * 2
    with pytest.raises(RuntimeError, match="detach"):
        y.requires_grad_(False)


def test_detach_shares_data_without_gradient(device):
    x = leaf([1.0, 2.0], device)
    d = (x * 1).detach()
    assert not d.requires_grad and d.is_leaf and d.grad is None
    e = x.detach()
    e.data[0] = 10.0  # shares memory with x
    np.testing.assert_array_equal(x.detach().numpy(), [10.0, 2.0])
    (e * x).sum().backward()
    np.testing.assert_allclose(grad_of(x), [10.0, 2.0])  # e is a constant: no second term


# --------------------------------------------------------------------------- no_grad / enable_grad


def test_no_grad_as_context_manager(device):
    x = leaf([1.0, 2.0], device)
    assert minml.is_grad_enabled()
    with minml.no_grad():
        assert not minml.is_grad_enabled()
        y = x * 2
        with minml.enable_grad():
            z = x * 2
        w = x * 3
    assert minml.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and z.grad_fn is not None
    assert not w.requires_grad


def test_no_grad_as_decorator(device):
    @minml.no_grad()
    def evaluate(t):
        assert not minml.is_grad_enabled()
        return t * 2

    x = leaf([1.0], device)
    assert not evaluate(x).requires_grad
    assert minml.is_grad_enabled()
    assert (x * 2).requires_grad


def test_no_grad_restores_state_after_an_exception(device):
    with pytest.raises(KeyError), minml.no_grad():
        raise KeyError("inside no_grad")
    assert minml.is_grad_enabled()


def test_grad_mode_is_per_thread(device):
    x = leaf([1.0], device)
    seen = {}

    def worker():
        seen["enabled"] = minml.is_grad_enabled()
        seen["tracked"] = (x * 2).requires_grad

    with minml.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert not minml.is_grad_enabled()
    assert seen == {"enabled": True, "tracked": True}


# --------------------------------------------------------------------------- Function and unbroadcast


class ScaledSquare(Function):
    """y = k a², written as a user would: saves its input, reads a parameter, checks needs_input_grad."""

    @staticmethod
    def forward(ctx, a, k):
        ctx.save_for_backward(a)
        ctx.k = k
        return k * a * a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        assert ctx.needs_input_grad == (True,)
        return 2 * ctx.k * a * grad


def test_custom_function(device):
    x = leaf([1.0, -2.0], device)
    y = ScaledSquare.apply(x, k=3.0)
    assert y.grad_fn.function is ScaledSquare
    y.sum().backward()
    np.testing.assert_allclose(grad_of(x), [6.0, -12.0])
    assert not ScaledSquare.apply(minml.tensor([1.0], device=device), k=1.0).requires_grad


def test_engine_unbroadcasts_gradients(device):
    a = leaf(np.ones((4, 1, 3)), device)
    b = leaf(np.ones(3), device)
    c = leaf(np.ones((2, 1)), device)
    (a * b + c).sum().backward()  # result shape (4, 2, 3)
    np.testing.assert_allclose(grad_of(a), np.full((4, 1, 3), 2.0))
    np.testing.assert_allclose(grad_of(b), np.full(3, 8.0))
    np.testing.assert_allclose(grad_of(c), np.full((2, 1), 12.0))


@pytest.mark.parametrize(
    ("grad_shape", "shape", "axes"),
    [
        ((2, 3), (3,), (0,)),
        ((2, 3), (1, 3), (0,)),
        ((2, 3), (2, 1), (1,)),
        ((4, 1, 3), (1, 3), (0,)),
        ((4, 2, 3), (2, 1), (0, 2)),
        ((2, 3), (), (0, 1)),
        ((), (), ()),
        ((2, 3), (2, 3), ()),
    ],
)
def test_unbroadcast(device, grad_shape, shape, axes):
    host_grad = np.arange(np.prod(grad_shape), dtype=np.float64).reshape(grad_shape)
    result = unbroadcast(backend.to_device(host_grad, device), shape)
    assert result.shape == shape
    np.testing.assert_array_equal(backend.asnumpy(result), host_grad.sum(axis=axes).reshape(shape))


# --------------------------------------------------------------------------- devices


def test_mixing_devices_raises_naming_both(device):
    other = "cpu" if device != "cpu" else FAKE_DEVICE
    x = minml.tensor([1.0], device=device)
    y = minml.tensor([1.0], device=other)
    with pytest.raises(backend.DeviceMismatchError) as error:
        x + y
    assert str(backend.device(device)) in str(error.value)
    assert str(backend.device(other)) in str(error.value)


def test_mixing_fake_device_indices_raises():
    x = minml.tensor([1.0], device=f"{FAKE_DEVICE}:0")
    y = minml.tensor([1.0], device=f"{FAKE_DEVICE}:1")
    with pytest.raises(backend.DeviceMismatchError, match=f"{FAKE_DEVICE}:0 and {FAKE_DEVICE}:1"):
        x * y


# --------------------------------------------------------------------------- who owns .grad


def _double_in_place_changes_only(target, others):
    """Double ``target.grad`` in place; the other tensors' gradients must not move."""
    before = [to_host(t.grad).copy() for t in others]
    target.grad *= 2
    for t, old in zip(others, before):
        np.testing.assert_array_equal(to_host(t.grad), old)


def test_leaf_grads_never_alias_each_other_or_the_graph(device):
    a, b, c = (minml.tensor(standard_normal(3, seed=s), device=device, requires_grad=True) for s in range(3))
    y = (a + b) * c  # + passes one array to both a and b
    y.retain_grad()
    y.sum().backward()
    _double_in_place_changes_only(a, [b, c, y])
    _double_in_place_changes_only(b, [a, c, y])
    _double_in_place_changes_only(c, [a, b, y])


def test_a_user_gradient_is_copied_not_kept(device):
    x = minml.tensor(standard_normal(4), device=device, requires_grad=True)
    gradient = minml.tensor(np.ones(4), device=device)
    (x * 1.0).backward(gradient)
    x.grad *= 3
    np.testing.assert_array_equal(to_host(gradient), np.ones(4))


def test_an_array_handed_to_two_inputs_is_copied_for_one(device):
    class SameArrayTwice(minml.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            fresh = grad * 1.0
            return fresh, fresh

    a, b = (minml.tensor(np.zeros(2), device=device, requires_grad=True) for _ in range(2))
    SameArrayTwice.apply(a, b).sum().backward()
    _double_in_place_changes_only(a, [b])
