"""Activations, (log-)softmax and dropout: gradients, PyTorch agreement, stability at ±1e4, dropout's rules.

Each entry of ``ACTIVATIONS`` is ``fn(lib, tensor, axis)``, run on minml and on PyTorch
(whose functional spellings live in ``torch.nn.functional``), with the keyword arguments of
:func:`minml.testing.strategies.arrays_of_shape` that keep inputs off the kink at 0.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minml
from minml.testing import assert_close, check_against_torch
from minml.testing.strategies import arrays_of_shape, float_arrays, shapes

# every op is its own test, so a few examples each keep the file fast
per_device = settings(max_examples=10)


def functional(lib):
    """minml itself, or torch.nn.functional: the two spell the activations alike."""
    return lib.nn.functional if lib.__name__ == "torch" else lib


ANY = {}
NONZERO = {"min_magnitude": 0.1}

ACTIVATIONS = {
    "tanh": (lambda lib, a, axis: lib.tanh(a), ANY),
    "sigmoid": (lambda lib, a, axis: lib.sigmoid(a), ANY),
    "relu": (lambda lib, a, axis: lib.relu(a), NONZERO),
    "relu()": (lambda lib, a, axis: a.relu(), NONZERO),
    "leaky_relu": (lambda lib, a, axis: functional(lib).leaky_relu(a), NONZERO),
    "leaky_relu(0.2)": (lambda lib, a, axis: functional(lib).leaky_relu(a, 0.2), NONZERO),
    "gelu": (lambda lib, a, axis: functional(lib).gelu(a), ANY),
    "gelu(tanh)": (lambda lib, a, axis: functional(lib).gelu(a, approximate="tanh"), ANY),
    "softplus": (lambda lib, a, axis: functional(lib).softplus(a), ANY),
    "softplus(beta=2)": (lambda lib, a, axis: functional(lib).softplus(a, beta=2.0), ANY),
    "softmax": (lambda lib, a, axis: functional(lib).softmax(a, axis), ANY),
    "softmax()": (lambda lib, a, axis: a.softmax(dim=axis), ANY),
    "log_softmax": (lambda lib, a, axis: functional(lib).log_softmax(a, axis), ANY),
    "log_softmax()": (lambda lib, a, axis: a.log_softmax(dim=axis), ANY),
}


@st.composite
def array_and_axis(draw, max_side=3, **bounds):
    """A host array of at least one dimension and an axis of it (maybe negative)."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=max_side))
    return draw(arrays_of_shape(shape, **bounds)), draw(st.integers(-len(shape), len(shape) - 1))


@per_device
@given(data=st.data())
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gradcheck(device, name, data):
    fn, bounds = ACTIVATIONS[name]
    x, axis = data.draw(array_and_axis(**bounds))
    assert minml.gradcheck(lambda a: fn(minml, a, axis), minml.tensor(x, device=device))


@per_device
@given(data=st.data())
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_matches_torch(device, name, data):
    fn, bounds = ACTIVATIONS[name]
    x, axis = data.draw(array_and_axis(max_side=4, **bounds))
    check_against_torch(lambda lib, a: fn(lib, a, axis), x, device=device)


@pytest.mark.parametrize("name", ["relu", "leaky_relu(0.2)"])
def test_kink_at_zero_matches_torch(device, name):
    fn, _ = ACTIVATIONS[name]
    check_against_torch(lambda lib, a: fn(lib, a, -1), np.array([-1.0, 0.0, 1.0]), device=device)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_dtype_is_kept(device, name, dtype):
    fn, _ = ACTIVATIONS[name]
    x = minml.tensor(np.array([[-1.5, 0.5], [2.0, -0.25]], dtype=dtype), device=device, requires_grad=True)
    out = fn(minml, x, 0)
    assert out.dtype == dtype
    out.sum().backward()
    assert x.grad.dtype == dtype


# Logits of ±1e4 overflow exp() in a naive formula; the stable ones give exact answers.
# name: (fn, value at LOGIT_ROW, gradient of the sum of the values there)
LOGIT_ROW = [1e4, 0.0, -1e4]
STABLE = {
    "softmax": (lambda lib, a: functional(lib).softmax(a, -1), [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    "log_softmax": (lambda lib, a: a.log_softmax(dim=-1), [0.0, -1e4, -2e4], [-2.0, 1.0, 1.0]),
    "logsumexp": (lambda lib, a: a.logsumexp(dim=-1, keepdim=True), [1e4], [1.0, 0.0, 0.0]),
    "sigmoid": (lambda lib, a: lib.sigmoid(a), [1.0, 0.5, 0.0], [0.0, 0.25, 0.0]),
    "softplus": (lambda lib, a: functional(lib).softplus(a), [1e4, math.log(2), 0.0], [1.0, 0.5, 0.0]),
}


@pytest.mark.filterwarnings("error")  # no overflow or invalid-value warnings along the way
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", STABLE)
def test_stable_at_huge_logits(device, name, dtype):
    fn, value, gradient = STABLE[name]
    x = minml.tensor(np.array(LOGIT_ROW, dtype=dtype), device=device, requires_grad=True)
    out = fn(minml, x)
    out.sum().backward()
    assert_close(out, np.array(value, dtype=dtype), rtol=1e-7, atol=1e-7)
    assert_close(x.grad, np.array(gradient, dtype=dtype), rtol=1e-7, atol=1e-7, what="gradient")


@pytest.mark.parametrize("name", STABLE)
def test_stable_at_huge_logits_like_torch(device, name):
    fn, _, _ = STABLE[name]
    logits = np.array([LOGIT_ROW, [-1e4, -1e4, -1e4 + 1.0], [1e4, 1e4, 5e3]])
    check_against_torch(fn, logits, device=device)


def test_gelu_rejects_unknown_approximation(device):
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh'; got 'erf'"):
        minml.gelu(minml.tensor([1.0], device=device), approximate="erf")


# ----------------------------------------------------------------------------- dropout


def random_tensor(device, shape=(4, 5), seed=0):
    host = np.random.default_rng(seed).uniform(0.5, 2.0, shape)  # no zeros: a dropped element shows as 0
    return minml.tensor(host, device=device, requires_grad=True)


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_rejects_probability_outside_0_1(device, p):
    with pytest.raises(ValueError, match=r"dropout probability must be in \[0, 1\]"):
        minml.dropout(random_tensor(device), p)


@pytest.mark.parametrize("kwargs", [{"p": 0.5, "training": False}, {"p": 0.0}], ids=["eval", "p=0"])
def test_dropout_identity(device, kwargs):
    x = random_tensor(device)
    out = minml.dropout(x, random_state=0, **kwargs)
    assert_close(out, x.data)
    out.sum().backward()
    assert_close(x.grad, np.ones(x.shape), what="gradient")


@pytest.mark.parametrize("p, training", [(0.5, False), (0.0, True), (1.0, True)])
def test_dropout_deterministic_cases_match_torch(device, p, training):
    x = np.random.default_rng(1).standard_normal((3, 4))
    check_against_torch(lambda lib, a: functional(lib).dropout(a, p=p, training=training), x, device=device)


def test_dropout_seed_is_reproducible_across_devices(device):
    x = random_tensor(device, shape=(6, 7))
    on_device = minml.dropout(x, 0.5, random_state=3)
    on_cpu = minml.dropout(x.detach().to("cpu"), 0.5, random_state=3)
    assert on_device.device == x.device
    assert_close(on_device, on_cpu, what="same seed on this device and the CPU")
    assert_close(minml.dropout(x, 0.5, random_state=3), on_device, what="same seed twice")
    assert not np.array_equal(minml.dropout(x, 0.5, random_state=4).numpy(), on_device.numpy())


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_dropout_preserves_the_expected_value(device, p):
    n = 100_000
    out = minml.dropout(minml.ones(n, dtype=np.float64, device=device), p, random_state=0).numpy()
    tolerance = 5 * math.sqrt(p / ((1 - p) * n))  # five standard errors of the mean
    assert abs(out.mean() - 1.0) < tolerance
    assert abs((out == 0).mean() - p) < 5 * math.sqrt(p * (1 - p) / n)


@pytest.mark.parametrize("p", [0.2, 0.7])
def test_dropout_gradient_is_the_scaled_mask(device, p):
    x = random_tensor(device, shape=(50,))
    out = minml.dropout(x, p, random_state=5)
    weights = np.random.default_rng(2).standard_normal(x.shape)
    (out * minml.tensor(weights, device=device)).sum().backward()
    kept = out.numpy() != 0
    assert 0 < kept.sum() < kept.size
    assert_close(out, np.where(kept, x.numpy() / (1 - p), 0.0), what="values: survivors scaled by 1/(1-p)")
    assert_close(x.grad, weights * kept / (1 - p), what="gradient")


@per_device
@given(x=float_arrays(max_dims=3, max_side=3), p=st.sampled_from([0.25, 0.5]))
def test_dropout_gradcheck(device, x, p):
    assert minml.gradcheck(lambda a: minml.dropout(a, p, random_state=0), minml.tensor(x, device=device))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_dtype_is_kept(device, dtype):
    x = minml.tensor(np.ones((3, 4), dtype=dtype), device=device, requires_grad=True)
    out = minml.dropout(x, 0.5, random_state=0)
    assert out.dtype == dtype
    out.sum().backward()
    assert x.grad.dtype == dtype
