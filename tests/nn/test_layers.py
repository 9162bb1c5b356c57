"""Layers against PyTorch: Linear, Embedding, activations, Flatten, Identity, Dropout's scaling."""

import math

import numpy as np
import pytest

import minml
from minml import nn
from minml.nn import functional as F
from minml.testing import assert_close, check_against_torch, gradcheck_on, standard_normal, torch_or_skip


def compare_with_torch_layer(ours, theirs, x, device, grad_x=True):
    """Same parameters, same input: outputs and every gradient (input and parameters) agree."""
    torch = torch_or_skip()
    with torch.no_grad():
        for name, value in ours.state_dict().items():
            theirs.get_parameter(name).copy_(torch.tensor(value.numpy()))
    our_x = minml.tensor(x, device=device, requires_grad=grad_x)
    their_x = torch.tensor(x, requires_grad=grad_x)
    our_out, their_out = ours(our_x), theirs(their_x)
    assert_close(our_out, their_out, what="forward")
    upstream = np.random.default_rng(1).standard_normal(their_out.shape)
    (our_out * minml.tensor(upstream, device=device)).sum().backward()
    (their_out * torch.tensor(upstream)).sum().backward()
    if grad_x:
        assert_close(our_x.grad, their_x.grad, what="input gradient")
    for name, param in ours.named_parameters():
        assert_close(param.grad, theirs.get_parameter(name).grad, what=f"gradient of {name}")


@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3), (3,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(device, shape, bias):
    torch = torch_or_skip()
    ours = nn.Linear(3, 4, bias=bias, dtype=np.float64, device=device, random_state=0)
    theirs = torch.nn.Linear(3, 4, bias=bias, dtype=torch.float64)
    compare_with_torch_layer(ours, theirs, standard_normal(*shape), device)


def test_functional_linear_gradcheck(device):
    gradcheck_on(device, F.linear, standard_normal(4, 3), standard_normal(2, 3, seed=1), standard_normal(2, seed=2))
    gradcheck_on(device, F.linear, standard_normal(2, 2, 3), standard_normal(5, 3, seed=1))


def test_linear_rejects_the_wrong_number_of_features(device):
    layer = nn.Linear(3, 2, device=device)
    with pytest.raises(ValueError, match=r"2 features but the weight \(2, 3\) expects 3"):
        layer(minml.ones(4, 2, device=device))


def test_linear_default_init_is_pytorchs(device):
    layer = nn.Linear(400, 300, device=device, random_state=0)
    assert layer.weight.dtype == np.float32 and layer.weight.device == minml.device(device)
    bound = 1 / math.sqrt(400)
    for param in (layer.weight, layer.bias):
        values = param.numpy()
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.95 * bound
    assert abs(layer.weight.numpy().std() - bound / math.sqrt(3)) < 0.01 * bound  # U(-b, b) has std b/√3


def test_linear_is_seeded_and_the_same_on_every_device(device):
    on_device = nn.Linear(5, 4, device=device, random_state=7)
    on_cpu = nn.Linear(5, 4, random_state=7)
    for ours, reference in zip(on_device.parameters(), on_cpu.parameters()):
        assert_close(ours, reference)
    assert not np.allclose(nn.Linear(5, 4, random_state=8).weight.numpy(), on_cpu.weight.numpy())


def test_embedding_matches_torch(device):
    torch = torch_or_skip()
    ours = nn.Embedding(6, 3, dtype=np.float64, device=device, random_state=0)
    theirs = torch.nn.Embedding(6, 3, dtype=torch.float64)
    ids = np.array([[0, 2, 2], [5, 0, 1]])  # repeated ids must add their gradients
    compare_with_torch_layer(ours, theirs, ids, device, grad_x=False)


def test_embedding_init_and_errors(device):
    layer = nn.Embedding(500, 40, device=device, random_state=0)
    values = layer.weight.numpy()
    assert abs(values.mean()) < 0.02 and abs(values.std() - 1) < 0.02  # N(0, 1), as PyTorch
    assert repr(layer) == "Embedding(500, 40)"
    with pytest.raises(TypeError, match="integer"):
        layer(minml.ones(3, device=device))


@pytest.mark.parametrize("padding_idx", [0, 4, -1, -6])
def test_embedding_padding_row_matches_torch(device, padding_idx):
    """The padding row starts at zeros and gets no gradient, even when looked up; negative counts from the end."""
    torch = torch_or_skip()
    ours = nn.Embedding(6, 3, padding_idx, dtype=np.float64, device=device, random_state=0)
    theirs = torch.nn.Embedding(6, 3, padding_idx, dtype=torch.float64)
    assert ours.padding_idx == theirs.padding_idx and repr(ours) == repr(theirs)
    assert np.array_equal(ours.weight.numpy()[ours.padding_idx], np.zeros(3))
    with minml.no_grad():
        ours.weight[...] = minml.tensor(standard_normal(6, 3), device=device)  # the padding row need not be zero
    ids = np.array([[0, 2, 4], [5, 0, 1], [4, 4, 5]])  # every padding row is looked up
    compare_with_torch_layer(ours, theirs, ids, device, grad_x=False)
    assert_close(ours.weight.grad[ours.padding_idx], np.zeros(3))


@pytest.mark.parametrize("lookup", [
    lambda weight, ids: minml.embedding(weight, ids, padding_idx=-1),
    lambda weight, ids: F.embedding(ids, weight, padding_idx=-1),  # PyTorch's argument order
])
def test_functional_embedding_holds_the_padding_gradient_at_zero(device, lookup):
    weight = minml.tensor(standard_normal(4, 2), device=device, requires_grad=True)
    lookup(weight, np.array([1, 3, 3])).sum().backward()
    assert_close(weight.grad, np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]))


@pytest.mark.parametrize("padding_idx", [6, -7, 1.0])
def test_embedding_padding_idx_must_be_a_row(device, padding_idx):
    with pytest.raises(ValueError, match=r"padding_idx must be None or an int in \[-6, 6\)"):
        nn.Embedding(6, 3, padding_idx=padding_idx, device=device)


ACTIVATIONS = [
    ("ReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2}),
    ("Tanh", {}),
    ("Sigmoid", {}),
    ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
    ("Softplus", {"beta": 2.0}),
    ("Softmax", {"dim": 1}),
    ("LogSoftmax", {"dim": 0}),
    ("Flatten", {}),
    ("Flatten", {"start_dim": 0, "end_dim": 1}),
    ("Identity", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), ACTIVATIONS)
def test_parameter_free_modules_match_torch(device, name, kwargs):
    torch = torch_or_skip()

    def run(lib, x):
        layers = nn if lib is minml else torch.nn
        return getattr(layers, name)(**kwargs)(x)

    check_against_torch(run, standard_normal(3, 4, 2), device=device)


@pytest.mark.parametrize("scale", [1.0, 1e4])
@pytest.mark.parametrize("function", ["softmax", "log_softmax"])
def test_functional_softmax_is_stable_and_takes_dim(device, function, scale):
    torch = torch_or_skip()

    def run(lib, x):
        functional = F if lib is minml else torch.nn.functional
        return getattr(functional, function)(x, dim=0)

    logits = standard_normal(4, 3) * scale
    check_against_torch(run, logits, device=device, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("function", ["adaptive_avg_pool2d", "adaptive_max_pool2d"])
def test_functional_adaptive_pooling_matches_torch(device, function):
    torch = torch_or_skip()

    def run(lib, x):
        functional = F if lib is minml else torch.nn.functional
        return getattr(functional, function)(x, (2, 3))

    check_against_torch(run, standard_normal(2, 3, 5, 7), device=device)


def test_dropout_zeroes_and_rescales(device):
    p = 0.3
    layer = nn.Dropout(p, random_state=0)
    x = minml.tensor(standard_normal(200, 50) + 5, device=device, requires_grad=True)  # no zeros in x
    out = layer(x)
    kept = out.numpy() != 0
    assert abs(1 - kept.mean() - p) < 0.02
    assert_close(out.numpy()[kept], x.numpy()[kept] / (1 - p), rtol=1e-6)
    out.sum().backward()
    assert_close(x.grad, kept / (1 - p), rtol=1e-6)  # the gradient flows through the same mask


def test_dropout_scaling_matches_torch(device):
    torch = torch_or_skip()
    host = standard_normal(100, 10) + 5
    torch_out = torch.nn.Dropout(0.25)(torch.tensor(host)).numpy()
    our_out = nn.Dropout(0.25, random_state=0)(minml.tensor(host, device=device)).numpy()
    for out in (torch_out, our_out):
        kept = out != 0
        np.testing.assert_allclose(out[kept] / host[kept], 1 / 0.75)


def test_dropout_is_identity_in_eval_and_seeded(device):
    x = minml.tensor(standard_normal(20, 20), device=device)
    layer = nn.Dropout(0.5, random_state=3)
    assert layer.eval()(x) is x
    first, second = nn.Dropout(0.5, random_state=3)(x), nn.Dropout(0.5, random_state=3)(x)
    assert_close(first, second)
    layer.train()
    masks = [layer(x).numpy() != 0 for _ in range(2)]
    assert not np.array_equal(masks[0], masks[1])  # the module's generator moves on between calls
    assert repr(layer) == "Dropout(p=0.5)"
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        nn.Dropout(1.5)
