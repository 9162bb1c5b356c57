"""``Tensor`` and the factories (minml/autograd/tensor.py): dtypes, copies, devices, conversions."""

import importlib.util

import numpy as np
import pytest

import minml
from minml import backend
from minml.testing import FAKE_DEVICE, to_host

# --------------------------------------------------------------------------- dtype rules


@pytest.mark.parametrize(
    ("data", "kwargs", "dtype"),
    [
        ([1.0], {}, np.float32),  # Python floats: float32, as in PyTorch
        (2.5, {}, np.float32),
        ([1, 2], {}, np.int64),
        ([True, False], {}, np.bool_),
        (np.array([1.0, 2.0]), {}, np.float64),  # arrays keep their dtype
        (np.array([1.0], dtype=np.float32), {}, np.float32),
        ([1, 2], {"dtype": "float32"}, np.float32),
        ([1.5], {"dtype": np.float64}, np.float64),
        (np.array([1.0, 2.0]), {"dtype": "float32"}, np.float32),
    ],
)
def test_tensor_dtype(device, data, kwargs, dtype):
    assert minml.tensor(data, device=device, **kwargs).dtype == dtype


def test_python_number_never_widens(device):
    x = minml.tensor([1.0, 2.0], device=device)
    assert (x * 2.0).dtype == np.float32
    assert (2.0 * x).dtype == np.float32
    assert (x + 1).dtype == np.float32
    assert (x / 3.0).dtype == np.float32


def test_mixed_float_tensors_promote(device):
    x32 = minml.tensor([1.0], device=device)
    x64 = minml.tensor(np.array([1.0]), device=device)
    assert (x32 + x64).dtype == np.float64
    assert (x64 * x32).dtype == np.float64


def test_tensor_rejects_non_numbers(device):
    with pytest.raises(TypeError, match="numbers"):
        minml.tensor(["a", "b"], device=device)


# --------------------------------------------------------------------------- copies


def test_tensor_copies_a_host_array(device):
    source = np.array([1.0, 2.0, 3.0])
    t = minml.tensor(source, device=device)
    source[0] = 100.0
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0, 3.0])


def test_tensor_copies_a_tensor_and_a_device_array(device):
    original = minml.tensor([1.0, 2.0], device=device)
    copy = minml.tensor(original)
    from_array = minml.tensor(original.data)
    original[0] = 100.0
    assert copy.device == device and from_array.device == device  # an array keeps its device
    np.testing.assert_array_equal(copy.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(from_array.numpy(), [1.0, 2.0])


def test_numpy_returns_a_host_copy(device):
    t = minml.tensor([1.0, 2.0], device=device)
    host = t.numpy()
    assert type(host) is np.ndarray
    host[0] = 100.0
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


def test_implicit_numpy_conversion_of_a_tensor_requiring_grad_raises(device):
    t = minml.tensor([1.0, 2.0], device=device, requires_grad=True)
    with pytest.raises(TypeError, match="detach"):
        np.asarray(t)
    np.testing.assert_array_equal(t.detach().numpy(), [1.0, 2.0])


# --------------------------------------------------------------------------- devices


def test_device_argument(device):
    t = minml.tensor([1.0], device=device)
    assert t.device == device
    assert backend.device_of(t.data) == device


def test_default_device_from_context(device):
    with minml.device(device):
        made = [minml.tensor([1.0]), minml.zeros(2), minml.ones(2), minml.arange(3), minml.eye(2), minml.randn(2)]
        assert all(t.device == device for t in made)
    assert minml.tensor([1.0]).device == "cpu"


def test_default_device_from_environment(device, monkeypatch):
    monkeypatch.setenv("MINML_DEVICE", device)
    assert minml.tensor([1.0]).device == device
    assert minml.full(2, 3.0).device == device
    with minml.device("cpu"):  # the context wins over the environment
        assert minml.tensor([1.0]).device == "cpu"


def test_unknown_device_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown device 'tpu'") as error:
        minml.tensor([1.0], device="tpu")
    for name in ("'cpu'", "'cuda'", f"'{FAKE_DEVICE}'"):
        assert name in str(error.value)


def test_bad_environment_device_is_reported(monkeypatch):
    monkeypatch.setenv("MINML_DEVICE", "tpu")
    with pytest.raises(ValueError, match="MINML_DEVICE"):
        minml.tensor([1.0])


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed here")
def test_cuda_without_cupy_says_how_to_install():
    with pytest.raises(backend.DeviceUnavailableError, match="pip install"):
        minml.tensor([1.0], device="cuda")


def test_to_round_trip_carries_the_gradient_back(device):
    x = minml.tensor([1.0, -2.0, 3.0], requires_grad=True)  # on the cpu
    moved = x.to(device)
    assert moved.device == device
    (moved * moved).sum().backward()
    assert x.grad is not None and type(x.grad) is np.ndarray  # the gradient came back to the cpu
    np.testing.assert_allclose(x.grad, [2.0, -4.0, 6.0])
    np.testing.assert_array_equal(moved.to("cpu").numpy(), x.detach().numpy())


def test_to_same_device_and_dtype_is_a_no_op(device):
    x = minml.tensor([1.0], device=device)
    assert x.to(device) is x
    assert x.to(device, dtype=np.float32) is x


# --------------------------------------------------------------------------- casts and conversions


def test_float_and_double_are_differentiable(device):
    x = minml.tensor(np.array([1.0, 2.0]), device=device, requires_grad=True)
    y = x.float()
    assert y.dtype == np.float32 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(to_host(x.grad), [2.0, 4.0])

    z = minml.tensor([1.0, 2.0], device=device, requires_grad=True)
    w = z.double()
    assert w.dtype == np.float64
    (w * 3).sum().backward()
    assert z.grad.dtype == np.float32
    np.testing.assert_allclose(to_host(z.grad), [3.0, 3.0])


def test_item_float_int_len(device):
    assert minml.tensor([2.5], device=device).item() == 2.5
    assert isinstance(minml.tensor(2.5, device=device).item(), float)
    assert float(minml.tensor(2.5, device=device)) == 2.5
    assert int(minml.tensor(7, device=device)) == 7
    assert len(minml.zeros(4, 2, device=device)) == 4
    with pytest.raises(ValueError, match="one-element"):
        minml.tensor([1.0, 2.0], device=device).item()
    with pytest.raises(TypeError, match="0-d"):
        len(minml.tensor(1.0, device=device))


def test_shape_queries(device):
    t = minml.zeros(2, 3, 4, device=device)
    assert t.shape == (2, 3, 4) and t.ndim == 3 and t.dim() == 3
    assert t.numel() == 24
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4


def test_repr(device):
    on_device = "" if device == "cpu" else f", device='{backend.device(device)}'"
    assert repr(minml.tensor([1.0, 2.0], device=device)) == f"tensor([1., 2.]{on_device})"
    x = minml.tensor(np.array([1.0]), device=device, requires_grad=True)
    assert repr(x) == f"tensor([1.]{on_device}, dtype=float64, requires_grad=True)"
    assert repr(x * 2) == f"tensor([2.]{on_device}, dtype=float64, grad_fn=Mul)"


# --------------------------------------------------------------------------- factories


def test_filled_factories(device):
    cases = [
        (minml.zeros(2, 3, device=device), np.zeros((2, 3), np.float32)),
        (minml.zeros((2, 3), device=device), np.zeros((2, 3), np.float32)),
        (minml.ones(3, device=device, dtype="float64"), np.ones(3)),
        (minml.full((2, 2), 7.0, device=device), np.full((2, 2), 7.0, np.float32)),
        (minml.full(3, 2, dtype="int64", device=device), np.full(3, 2)),
        (minml.eye(3, device=device), np.eye(3, dtype=np.float32)),
        (minml.eye(2, 3, device=device), np.eye(2, 3, dtype=np.float32)),
    ]
    for made, expected in cases:
        assert made.device == device and made.dtype == expected.dtype
        np.testing.assert_array_equal(made.numpy(), expected)
    assert minml.zeros(2, device=device, requires_grad=True).requires_grad


def test_like_factories_follow_their_argument(device):
    x = minml.tensor(np.array([[1.0, 2.0]]), device=device)
    for made, fill in [(minml.zeros_like(x), 0.0), (minml.ones_like(x), 1.0)]:
        assert made.shape == (1, 2) and made.dtype == np.float64 and made.device == device
        np.testing.assert_array_equal(made.numpy(), np.full((1, 2), fill))
    assert minml.ones_like(minml.tensor([1, 2], device=device)).dtype == np.int64
    assert minml.zeros_like(x, dtype="float32").dtype == np.float32


def test_arange(device):
    ints = minml.arange(5, device=device)
    assert ints.dtype == np.int64 and ints.device == device
    np.testing.assert_array_equal(ints.numpy(), np.arange(5))
    floats = minml.arange(0, 1, 0.25, device=device)
    assert floats.dtype == np.float32
    np.testing.assert_array_equal(floats.numpy(), [0.0, 0.25, 0.5, 0.75])
    np.testing.assert_array_equal(minml.arange(2, 8, 3, device=device).numpy(), [2, 5])


@pytest.mark.parametrize("draw", [minml.randn, minml.rand])
def test_random_factories_give_one_stream_on_every_device(device, draw):
    here = draw(3, 4, random_state=0, device=device)
    on_cpu = draw(3, 4, random_state=0, device="cpu")
    assert here.device == device and here.shape == (3, 4) and here.dtype == np.float32
    np.testing.assert_array_equal(here.numpy(), on_cpu.numpy())
    assert not np.array_equal(draw(3, 4, random_state=1, device=device).numpy(), on_cpu.numpy())


def test_rand_range_and_randn_dtype(device):
    values = minml.rand(1000, random_state=0, device=device).numpy()
    assert values.min() >= 0.0 and values.max() < 1.0
    assert minml.randn(2, random_state=0, dtype="float64", device=device).dtype == np.float64
    assert minml.randn(2, device=device, requires_grad=True).requires_grad
