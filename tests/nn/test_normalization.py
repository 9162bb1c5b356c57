"""BatchNorm1d, BatchNorm2d, LayerNorm (minml/nn/normalization.py): PyTorch differential tests, gradcheck, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml.nn import Parameter, normalization
from minml.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm, batch_norm, layer_norm
from minml.testing import assert_close, gradcheck_on, standard_normal, torch_or_skip
from minml.testing.strategies import arrays_of_shape

BATCH_NORMS = [("BatchNorm1d", (6, 3)), ("BatchNorm1d", (4, 3, 5)), ("BatchNorm2d", (3, 2, 4, 5))]


def paired(name, *args, device, **kwargs):
    """The same float64 layer from minml (on ``device``) and from torch, with random γ and β copied into both."""
    torch = torch_or_skip()
    theirs = getattr(torch.nn, name)(*args, dtype=torch.float64, **kwargs)
    with torch.no_grad():
        for number, param in enumerate(theirs.parameters()):
            param.copy_(torch.tensor(standard_normal(*param.shape, seed=number)))
    ours = getattr(normalization, name)(*args, dtype="float64", device=device, **kwargs)
    ours.load_state_dict({key: value.numpy() for key, value in theirs.state_dict().items()})
    return ours, theirs


def step(ours, theirs, x, device, seed):
    """One forward and backward of both layers on ``x`` with the same random output weights; compare everything."""
    torch = torch_or_skip()
    our_x = minml.tensor(x, device=device, requires_grad=True)
    their_x = torch.tensor(x, requires_grad=True)
    our_y, their_y = ours(our_x), theirs(their_x)
    assert_close(our_y, their_y, rtol=1e-10, atol=1e-10, what="forward values vs PyTorch")
    weights = standard_normal(*x.shape, seed=seed)
    (our_y * minml.tensor(weights, device=device)).sum().backward()
    (their_y * torch.tensor(weights)).sum().backward()
    assert_close(our_x.grad, their_x.grad, rtol=1e-8, atol=1e-10, what="input gradient vs PyTorch")
    for (name, mine), (_, reference) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert_close(mine.grad, reference.grad, rtol=1e-8, atol=1e-10, what=f"gradient of {name} vs PyTorch")
    ours.zero_grad()
    theirs.zero_grad()


def assert_same_state(ours, theirs):
    theirs = theirs.state_dict()
    assert list(ours.state_dict()) == list(theirs)
    for key, value in ours.state_dict().items():
        assert_close(value, theirs[key], rtol=1e-10, atol=1e-12, what=key)


@pytest.mark.parametrize(("name", "shape"), BATCH_NORMS)
@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
def test_batch_norm_matches_torch_in_training_then_evaluation(device, name, shape, momentum):
    ours, theirs = paired(name, shape[1], momentum=momentum, device=device)
    for seed in range(3):  # shifted, scaled batches so the running statistics move
        step(ours, theirs, 2.0 + 3.0 * standard_normal(*shape, seed=seed), device, seed)
        assert_same_state(ours, theirs)
    assert int(ours.num_batches_tracked.item()) == 3
    ours.eval()
    theirs.eval()
    step(ours, theirs, standard_normal(*shape, seed=10), device, seed=10)
    assert_same_state(ours, theirs)  # evaluation leaves the running statistics alone


@pytest.mark.parametrize(("name", "shape"), BATCH_NORMS[1:])
@pytest.mark.parametrize(("affine", "track_running_stats"), [(False, True), (True, False), (False, False)])
def test_batch_norm_options_match_torch(device, name, shape, affine, track_running_stats):
    ours, theirs = paired(name, shape[1], affine=affine, track_running_stats=track_running_stats, device=device)
    assert len(list(ours.parameters())) == (2 if affine else 0)
    for training in (True, False):
        ours.train(training)
        theirs.train(training)
        step(ours, theirs, standard_normal(*shape, seed=training), device, seed=5)
        assert_same_state(ours, theirs)


@pytest.mark.parametrize(("shape", "normalized_shape"), [((4, 5), 5), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4))])
@pytest.mark.parametrize("elementwise_affine", [True, False])
def test_layer_norm_matches_torch(device, shape, normalized_shape, elementwise_affine):
    ours, theirs = paired("LayerNorm", normalized_shape, elementwise_affine=elementwise_affine, device=device)
    step(ours, theirs, 1.0 + 2.0 * standard_normal(*shape), device, seed=1)
    ours.eval()  # layer norm is the same in evaluation
    step(ours, theirs, 1.0 + 2.0 * standard_normal(*shape), device, seed=1)


@pytest.mark.parametrize(("name", "args"), [("BatchNorm1d", (3,)), ("BatchNorm2d", (4,)), ("LayerNorm", ((2, 3),))])
def test_parameters_buffers_dtype_and_repr_are_torchs(device, name, args):
    torch = torch_or_skip()
    ours, theirs = getattr(normalization, name)(*args, device=device), getattr(torch.nn, name)(*args)
    ours_repr = repr(ours)
    if "bias=" not in repr(theirs):  # PyTorch before 2.13 had no bias switch on its norm layers, nor in their repr
        ours_repr = ours_repr.replace(", bias=True", "")
    assert ours_repr == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in ours.state_dict().items():
        assert value.device == device
        assert value.dtype == theirs.state_dict()[key].numpy().dtype  # float32, and int64 for the counter
        assert_close(value, theirs.state_dict()[key], what=key)
    assert all(isinstance(p, Parameter) for p in ours.parameters())


# --------------------------------------------------------------------------- gradcheck of the functional forms


@st.composite
def batch_norm_inputs(draw):
    """x (N, C, ...) with N·(spatial) >= 2 per channel, and γ, β of shape (C,)."""
    shape = draw(st.sampled_from([(3, 2), (2, 3, 2), (2, 2, 2, 3), (1, 2, 3)]))
    return [draw(arrays_of_shape(s, min_magnitude=0.1)) for s in (shape, shape[1:2], shape[1:2])]


@given(arrays=batch_norm_inputs(), training=st.booleans())
def test_batch_norm_gradcheck(device, arrays, training):
    channels = arrays[0].shape[1]
    running_mean = minml.tensor(standard_normal(channels), device=device)
    running_var = minml.tensor(1.0 + np.arange(channels), device=device)
    gradcheck_on(
        device,
        lambda x, w, b: batch_norm(x, running_mean, running_var, w, b, training=training, momentum=0.0),
        *arrays,
    )


@given(x=st.sampled_from([(4,), (3, 4), (2, 2, 3)]).flatmap(lambda s: arrays_of_shape(s, min_magnitude=0.1)))
def test_layer_norm_gradcheck(device, x):
    shape = x.shape[-1:]
    weight, bias = standard_normal(*shape, seed=1), standard_normal(*shape, seed=2)
    gradcheck_on(device, lambda x, w, b: layer_norm(x, shape, w, b), x, weight, bias)


def test_batch_norm_standardises_each_channel(device):
    """In training the output has mean β and standard deviation γ per channel (up to ε)."""
    layer = BatchNorm2d(3, device=device, dtype="float64", eps=0.0)
    layer.load_state_dict({"weight": np.array([1.0, 2.0, 3.0]), "bias": np.array([-1.0, 0.0, 1.0])}, strict=False)
    y = layer(minml.tensor(5.0 + 4.0 * standard_normal(4, 3, 2, 2), device=device)).numpy()
    assert_close(y.mean(axis=(0, 2, 3)), np.array([-1.0, 0.0, 1.0]), atol=1e-12)
    assert_close(y.std(axis=(0, 2, 3)), np.array([1.0, 2.0, 3.0]), rtol=1e-12)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (lambda d: BatchNorm1d(3, device=d), (4,), r"expects input of shape \(N, C\) or \(N, C, L\)"),
        (lambda d: BatchNorm1d(3, device=d), (4, 3, 2, 2), r"\(N, C\) or \(N, C, L\) with C = 3"),
        (lambda d: BatchNorm1d(3, device=d), (4, 2), r"with C = 3; got shape \(4, 2\)"),
        (lambda d: BatchNorm2d(3, device=d), (4, 3, 2), r"\(N, C, H, W\) with C = 3"),
        (lambda d: BatchNorm2d(3, device=d), (4, 5, 2, 2), r"with C = 3; got shape \(4, 5, 2, 2\)"),
        (lambda d: BatchNorm1d(3, device=d), (1, 3), "more than one value per channel"),
        (lambda d: LayerNorm((2, 3), device=d), (3, 2), r"normalized_shape \(2, 3\)"),
        (lambda d: LayerNorm((2, 3), device=d), (3,), r"normalized_shape \(2, 3\)"),
    ],
)
def test_bad_input_is_refused_with_the_expected_layout(device, layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(device)(minml.zeros(*shape, device=device))


def test_batch_norm_of_a_single_sample_works_in_evaluation(device):
    layer = BatchNorm1d(3, device=device).eval()
    assert_close(layer(minml.ones(1, 3, device=device)), np.full((1, 3), 1 / np.sqrt(1 + 1e-5), dtype=np.float32))


def test_float32_batch_norm_is_accurate_far_from_zero(device):
    """Statistics summed in float64: a large common offset does not cost the small variance its digits.

    Near 1000 float32 values are 6e-5 apart, 0.6 % of σ = 0.01, which bounds
    how well x̂ itself can agree; the variance (momentum 1: the running
    statistics are the batch's) must agree far better.
    """
    torch = torch_or_skip()
    x = (1000.0 + 0.01 * standard_normal(64, 2, 10, 10)).astype(np.float32)
    ours, theirs = BatchNorm2d(2, momentum=1.0, device=device), torch.nn.BatchNorm2d(2, momentum=1.0)
    assert_close(ours(minml.tensor(x, device=device)), theirs(torch.tensor(x)).detach(), rtol=0, atol=1e-2)
    assert_close(ours.running_mean, theirs.running_mean, rtol=1e-6)
    assert_close(ours.running_var, theirs.running_var, rtol=1e-5, atol=0)
