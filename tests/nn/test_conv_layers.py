"""Convolution and pooling layers (minml/nn/conv.py): PyTorch differential tests, initialisation, gradcheck, errors."""

import math

import numpy as np
import pytest

import minml
from minml.nn import Parameter, conv
from minml.nn.conv import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, Conv2d, MaxPool2d
from minml.nn.normalization import BatchNorm2d
from minml.testing import assert_close, gradcheck_on, standard_normal, torch_or_skip

CONVS = [  # (in, out, kernel, keyword arguments)
    (3, 4, 3, {}),
    (2, 3, (3, 2), {"stride": 2, "padding": 1}),
    (1, 2, 2, {"stride": (1, 2), "padding": (0, 1), "dilation": 2, "bias": False}),
    (2, 2, 1, {}),
    (4, 6, 3, {"groups": 2, "padding": 1}),
    (2, 4, (3, 2), {"groups": 2, "stride": 2, "bias": False}),  # depthwise, two filters per channel
    (2, 3, (2, 4), {"padding": "same", "dilation": (2, 1)}),
    (2, 3, 3, {"padding": "valid", "stride": 2}),
]
POOLS = [
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", (3,), {"stride": 1, "padding": 1}),
    ("MaxPool2d", ((2, 3),), {"stride": (2, 1), "dilation": (1, 2)}),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", ((3, 2),), {"stride": 1, "padding": (1, 0)}),
    ("MaxPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}),
    ("AvgPool2d", (3, 2, 1), {"ceil_mode": True}),
    ("AvgPool2d", (3, 2, 1, True, False), {}),  # ceil_mode, count_include_pad=False, positionally as in PyTorch
    ("AvgPool2d", ((2, 3),), {"stride": 2, "padding": 1, "count_include_pad": False}),
    ("AdaptiveAvgPool2d", (1,), {}),
    ("AdaptiveAvgPool2d", ((4, None),), {}),
    ("AdaptiveMaxPool2d", ((3, 2),), {}),
]


def from_torch(theirs, ours):
    """``ours`` with ``theirs``' parameters and buffers copied in (same names); returns ours."""
    ours.load_state_dict({key: value.numpy() for key, value in theirs.state_dict().items()})
    return ours


def compare(ours, theirs, x, device):
    """Forward and backward of both layers on ``x`` (float64); compare outputs and every gradient."""
    torch = torch_or_skip()
    our_x, their_x = minml.tensor(x, device=device, requires_grad=True), torch.tensor(x, requires_grad=True)
    our_y, their_y = ours(our_x), theirs(their_x)
    assert_close(our_y, their_y, rtol=1e-10, atol=1e-12, what="forward values vs PyTorch")
    weights = standard_normal(*their_y.shape, seed=1)
    (our_y * minml.tensor(weights, device=device)).sum().backward()
    (their_y * torch.tensor(weights)).sum().backward()
    assert_close(our_x.grad, their_x.grad, rtol=1e-10, atol=1e-12, what="input gradient vs PyTorch")
    for (name, mine), (_, reference) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert_close(mine.grad, reference.grad, rtol=1e-10, atol=1e-12, what=f"gradient of {name} vs PyTorch")


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # PyTorch's note that it copies the input
@pytest.mark.parametrize(("c_in", "c_out", "kernel", "kwargs"), CONVS)
@pytest.mark.parametrize("batched", [True, False])
def test_conv2d_matches_torch(device, c_in, c_out, kernel, kwargs, batched):
    torch = torch_or_skip()
    theirs = torch.nn.Conv2d(c_in, c_out, kernel, dtype=torch.float64, **kwargs)
    ours = from_torch(theirs, Conv2d(c_in, c_out, kernel, dtype="float64", device=device, **kwargs))
    shape = (2, c_in, 6, 5) if batched else (c_in, 6, 5)
    compare(ours, theirs, standard_normal(*shape), device)


@pytest.mark.parametrize(("name", "args", "kwargs"), POOLS)
@pytest.mark.parametrize("batched", [True, False])
def test_pooling_matches_torch(device, name, args, kwargs, batched):
    torch = torch_or_skip()
    shape = (2, 3, 6, 7) if batched else (3, 6, 7)
    ours, theirs = getattr(conv, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    compare(ours, theirs, standard_normal(*shape), device)


def test_a_conv_block_trains_like_torchs(device):
    """Conv2d → BatchNorm2d → ReLU → MaxPool2d → AvgPool2d: the same gradients for every parameter."""
    torch = torch_or_skip()

    def block(layers):
        conv_layer, norm, max_pool, avg_pool = layers
        return lambda x: avg_pool(max_pool(norm(conv_layer(x)).relu()))

    theirs = [
        torch.nn.Conv2d(2, 3, 3, padding=1, dtype=torch.float64), torch.nn.BatchNorm2d(3, dtype=torch.float64),
        torch.nn.MaxPool2d(2), torch.nn.AvgPool2d(2, stride=1),
    ]
    ours = [
        from_torch(theirs[0], Conv2d(2, 3, 3, padding=1, dtype="float64", device=device)),
        BatchNorm2d(3, dtype="float64", device=device), MaxPool2d(2), AvgPool2d(2, stride=1),
    ]
    x = standard_normal(4, 2, 8, 8)
    our_x, their_x = minml.tensor(x, device=device), torch.tensor(x)
    block(ours)(our_x).sum().backward()
    block(theirs)(their_x).sum().backward()
    for mine, reference in zip(ours[:2], theirs[:2]):
        for (name, p), (_, q) in zip(mine.named_parameters(), reference.named_parameters(), strict=True):
            assert_close(p.grad, q.grad, rtol=1e-9, atol=1e-12, what=f"{type(mine).__name__}.{name} gradient")


# --------------------------------------------------------------------------- Conv2d's parameters


def test_conv2d_parameters_start_like_torchs(device):
    """Uniform in ±1/√fan_in, float32, on the device, seeded: the same numbers on every device for one seed."""
    layer = Conv2d(16, 32, 3, device=device, random_state=0)
    bound = 1 / math.sqrt(16 * 3 * 3)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    assert all(isinstance(p, Parameter) and p.requires_grad for p in layer.parameters())
    assert layer.weight.shape == (32, 16, 3, 3) and layer.bias.shape == (32,)
    for p in layer.parameters():
        assert p.device == device and p.dtype == np.float32
        values = p.numpy()
        assert np.abs(values).max() <= bound
    weights = layer.weight.numpy()
    assert np.abs(weights).max() > 0.99 * bound and abs(weights.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert_close(layer.weight, Conv2d(16, 32, 3, random_state=0).weight)  # cpu, same seed
    assert not np.array_equal(weights, Conv2d(16, 32, 3, device=device, random_state=1).weight.numpy())
    assert not np.array_equal(layer.bias.numpy(), weights.reshape(-1)[:32])  # the bias is a fresh draw


def test_grouped_conv2d_parameters_start_like_torchs(device):
    """Weight (C_out, C_in/groups, KH, KW); fan_in = C_in/groups·KH·KW bounds both weight and bias."""
    layer = Conv2d(8, 16, 3, groups=4, device=device, random_state=0)
    bound = 1 / math.sqrt(8 // 4 * 3 * 3)
    assert layer.weight.shape == (16, 2, 3, 3) and layer.bias.shape == (16,)
    for p in layer.parameters():
        assert np.abs(p.numpy()).max() <= bound
    assert np.abs(layer.weight.numpy()).max() > 0.95 * bound and np.abs(layer.bias.numpy()).max() > 0.5 * bound


def test_conv2d_without_bias_and_in_float64(device):
    layer = Conv2d(2, 3, (1, 2), bias=False, dtype="float64", device=device, random_state=0)
    assert layer.bias is None and [name for name, _ in layer.named_parameters()] == ["weight"]
    assert layer.weight.dtype == np.float64
    assert layer(minml.ones(1, 2, 3, 3, dtype="float64", device=device)).dtype == np.float64


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda: Conv2d(1, 8, 3, padding=1), lambda nn: nn.Conv2d(1, 8, 3, padding=1)),
        (lambda: Conv2d(2, 4, (3, 2), dilation=2, bias=False), lambda nn: nn.Conv2d(2, 4, (3, 2), 1, 0, 2, bias=False)),
        (lambda: Conv2d(2, 4, 5, stride=(2, 1)), lambda nn: nn.Conv2d(2, 4, 5, stride=(2, 1))),
        (lambda: Conv2d(4, 8, 3, groups=4, bias=False), lambda nn: nn.Conv2d(4, 8, 3, groups=4, bias=False)),
        (lambda: Conv2d(4, 8, 3, padding="same"), lambda nn: nn.Conv2d(4, 8, 3, padding="same")),
        (lambda: Conv2d(4, 8, 3, padding="valid", groups=2), lambda nn: nn.Conv2d(4, 8, 3, padding="valid", groups=2)),
        (lambda: AvgPool2d((2, 3), stride=1), lambda nn: nn.AvgPool2d((2, 3), stride=1)),
    ],
)
def test_repr_and_state_dict_keys_are_torchs(device, ours, theirs):
    torch = torch_or_skip()
    layer, reference = ours().to(device), theirs(torch.nn)
    assert repr(layer) == repr(reference)
    assert list(layer.state_dict()) == list(reference.state_dict())


def test_pool_reprs_are_torchs():
    torch = torch_or_skip()
    for ours, theirs in [
        (MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (MaxPool2d(3, 2, 1, ceil_mode=True), torch.nn.MaxPool2d(3, 2, 1, ceil_mode=True)),
        (AvgPool2d(3, 2, ceil_mode=True, count_include_pad=False), torch.nn.AvgPool2d(3, 2, 0, True, False)),
        (AdaptiveAvgPool2d((None, 7)), torch.nn.AdaptiveAvgPool2d((None, 7))),
        (AdaptiveMaxPool2d(1), torch.nn.AdaptiveMaxPool2d(1)),
    ]:
        assert repr(ours) == repr(theirs)


# --------------------------------------------------------------------------- gradcheck and errors


@pytest.mark.parametrize(
    "make",
    [
        lambda d: Conv2d(2, 2, 2, stride=2, padding=1, dtype="float64", device=d, random_state=0),
        lambda d: MaxPool2d(2, stride=1),
        lambda d: AvgPool2d(3, stride=2, padding=1),
        lambda d: AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        lambda d: MaxPool2d(3, stride=2, ceil_mode=True),
    ],
)
def test_layers_gradcheck(device, make):
    layer = make(device)
    gradcheck_on(device, layer, standard_normal(1, 2, 4, 4) + np.arange(16).reshape(4, 4))  # distinct maxima


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (lambda d: Conv2d(3, 2, 3, device=d), (2, 3, 5), r"\(N, C, H, W\) or \(C, H, W\) with C = 3; got shape"),
        (lambda d: Conv2d(3, 2, 3, device=d), (1, 2, 3, 5, 5), r"got shape \(1, 2, 3, 5, 5\)"),
        (lambda d: Conv2d(3, 2, 3, device=d), (2, 4, 5, 5), r"with C = 3; got shape \(2, 4, 5, 5\)"),
        (lambda d: Conv2d(3, 2, 3, device=d), (3, 2, 2), "the kernel spans 3x3 pixels"),
        (lambda d: MaxPool2d(2), (4, 4), r"MaxPool2d expects input of shape \(N, C, H, W\) or \(C, H, W\); got"),
        (lambda d: AvgPool2d(2), (1, 1, 1, 4, 4), r"AvgPool2d expects input of shape \(N, C, H, W\) or \(C, H, W\)"),
        (lambda d: MaxPool2d(2, padding=2), (1, 4, 4), "padding .* must be at most half the kernel size"),
    ],
)
def test_bad_input_is_refused(device, layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(device)(minml.zeros(*shape, device=device))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kernel_size": 0}, "kernel_size must be an int >= 1"), ({"kernel_size": 3, "stride": (1, 0)}, "stride must"),
     ({"kernel_size": 3, "padding": -1}, "padding must be an int >= 0"), ({"kernel_size": (1, 2, 3)}, "or a pair"),
     ({"kernel_size": 3, "groups": 0}, "groups must be a positive int; got 0"),
     ({"kernel_size": 3, "groups": 4}, r"in_channels \(6\) must be divisible by groups \(4\)"),
     ({"kernel_size": 3, "groups": 3}, r"out_channels \(4\) must be divisible by groups \(3\)"),
     ({"kernel_size": 3, "padding": "full"}, "padding must be an int, a pair of ints, 'same' or 'valid'; got 'full'"),
     ({"kernel_size": 3, "padding": "same", "stride": (1, 2)}, r"needs stride 1 .* got stride \(1, 2\)")],
)
def test_bad_conv2d_settings_are_refused_when_built(device, kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2d(6, 4, device=device, **kwargs)
