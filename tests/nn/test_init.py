"""nn.init: the distributions' statistics, PyTorch's gains and fans, seeding, in-place filling."""

import math

import numpy as np
import pytest

import minml
from minml import nn
from minml.nn import init
from minml.testing import assert_close, torch_or_skip

SHAPE = (300, 200, 3)  # (out, in, kernel): fan_in = 600, fan_out = 900


def filled(device, fill, *args, **kwargs):
    """A fresh tensor of SHAPE filled by ``fill`` with seed 0, as a host array."""
    tensor = minml.zeros(*SHAPE, device=device)
    assert fill(tensor, *args, random_state=0, **kwargs) is tensor  # in place, returns the tensor
    return tensor.numpy()


@pytest.mark.parametrize(("fill", "kwargs", "std"), [
    (init.xavier_uniform_, {}, math.sqrt(2 / 1500)),
    (init.xavier_uniform_, {"gain": 2.0}, 2 * math.sqrt(2 / 1500)),
    (init.kaiming_uniform_, {}, math.sqrt(2 / (1 + 0.0)) / math.sqrt(600)),
    (init.kaiming_uniform_, {"a": math.sqrt(5)}, 1 / math.sqrt(3 * 600)),
    (init.kaiming_uniform_, {"mode": "fan_out", "nonlinearity": "relu"}, math.sqrt(2 / 900)),
    (init.uniform_, {"a": -2.0, "b": 2.0}, 4 / math.sqrt(12)),
])
def test_uniform_initialisers(device, fill, kwargs, std):
    values = filled(device, fill, **kwargs)
    bound = std * math.sqrt(3)  # U(-b, b) has standard deviation b / √3
    assert np.abs(values).max() <= bound * (1 + 1e-6)
    assert np.abs(values).max() > 0.99 * bound
    assert abs(values.mean()) < 0.01 * bound
    assert abs(values.std() / std - 1) < 0.01


@pytest.mark.parametrize(("fill", "kwargs", "mean", "std"), [
    (init.xavier_normal_, {}, 0.0, math.sqrt(2 / 1500)),
    (init.kaiming_normal_, {"nonlinearity": "relu"}, 0.0, math.sqrt(2 / 600)),
    (init.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "tanh"}, 0.0, 5 / 3 / math.sqrt(900)),
    (init.normal_, {"mean": 3.0, "std": 0.5}, 3.0, 0.5),
])
def test_normal_initialisers(device, fill, kwargs, mean, std):
    values = filled(device, fill, **kwargs)
    assert abs(values.mean() - mean) < 0.01 * std
    assert abs(values.std() / std - 1) < 0.01
    assert abs(np.mean(np.abs(values - mean) > 2 * std) - 0.0455) < 0.005  # a normal's tails, not a uniform's


def test_constant_fills(device):
    tensor = minml.zeros(2, 3, device=device)
    assert_close(init.ones_(tensor), np.ones((2, 3)))
    assert_close(init.constant_(tensor, 2.5), np.full((2, 3), 2.5))
    assert_close(init.zeros_(tensor), np.zeros((2, 3)))


def test_seeded_and_the_same_on_every_device(device):
    on_device = filled(device, init.kaiming_normal_)
    assert_close(on_device, filled("cpu", init.kaiming_normal_))
    assert not np.array_equal(on_device, minml.zeros(*SHAPE).numpy())


def test_filling_a_parameter_records_no_graph_and_keeps_its_dtype(device):
    param = nn.Parameter(np.zeros((4, 5)), dtype=np.float64, device=device)
    init.xavier_uniform_(param, random_state=1)
    assert param.is_leaf and param.requires_grad and param.dtype == np.float64 and param.grad is None


def test_gains_and_fans_match_torch():
    torch = torch_or_skip()
    for name, param in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                        ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None), ("conv2d", None)]:
        assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")
    shape = (8, 3, 5, 2)
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))
    assert init._fans(minml.zeros(*shape)) == expected


def test_errors():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.xavier_uniform_(minml.zeros(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_normal_(minml.zeros(3, 3), mode="fan_avg")
