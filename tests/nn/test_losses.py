"""Every loss against PyTorch (values and gradients), its Module form, stability at ±1e4 and its errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml import nn
from minml.nn import functional as F
from minml.testing import assert_close, check_against_torch, gradcheck_on, standard_normal, torch_or_skip

REDUCTIONS = ["mean", "sum", "none"]


def functional(lib):
    """minml.nn.functional or torch.nn.functional."""
    return F if lib is minml else torch_or_skip().nn.functional


def constant(lib, array, device):
    """A tensor that is not differentiated (class weights, probability targets), in either library."""
    return minml.tensor(array, device=device) if lib is minml else torch_or_skip().tensor(array)


def target_on(array, device):
    return minml.tensor(array, device=device)


def labels(*shape, classes, seed=0):
    return np.random.default_rng(seed).integers(0, classes, size=shape)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("name", "kwargs"), [
    ("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {}), ("huber_loss", {"delta": 0.5}),
    ("smooth_l1_loss", {"beta": 0.5}), ("smooth_l1_loss", {"beta": 0.0}),
])
def test_regression_losses_match_torch(device, name, kwargs, reduction):
    prediction, target = standard_normal(4, 3), standard_normal(4, 3, seed=1)
    check_against_torch(
        lambda lib, x, y: getattr(functional(lib), name)(x, y, reduction=reduction, **kwargs),
        prediction, target, device=device,
    )


CROSS_ENTROPY_OPTIONS = [
    {},
    {"weight": [0.2, 1.0, 3.0, 0.5]},
    {"label_smoothing": 0.1},
    {"weight": [0.2, 1.0, 3.0, 0.5], "label_smoothing": 0.3},
    {"ignore_index": 2},
    {"ignore_index": 1, "weight": [0.2, 1.0, 3.0, 0.5], "label_smoothing": 0.2},
]


def class_options(lib, options, device):
    """The options with the class weight as a constant tensor of ``lib``."""
    return {k: constant(lib, np.array(v), device) if k == "weight" else v for k, v in options.items()}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", CROSS_ENTROPY_OPTIONS)
@pytest.mark.parametrize("shape", [(6, 4), (3, 4, 2, 2)])
def test_cross_entropy_with_class_indices_matches_torch(device, shape, options, reduction):
    target = labels(shape[0], *shape[2:], classes=4)
    check_against_torch(
        lambda lib, z, y: functional(lib).cross_entropy(
            z, y, reduction=reduction, **class_options(lib, options, device)
        ),
        standard_normal(*shape), target, device=device,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": [0.2, 1.0, 3.0]}, {"label_smoothing": 0.25}])
def test_cross_entropy_with_class_probabilities_matches_torch(device, options, reduction):
    probabilities = np.random.default_rng(0).dirichlet(np.ones(3), size=5)
    check_against_torch(
        lambda lib, z: functional(lib).cross_entropy(
            z, constant(lib, probabilities, device), reduction=reduction, **class_options(lib, options, device)
        ),
        standard_normal(5, 3), device=device,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", [{}, {"weight": [0.2, 1.0, 3.0]}, {"ignore_index": 0}])
def test_nll_loss_matches_torch(device, options, reduction):
    check_against_torch(
        lambda lib, z, y: functional(lib).nll_loss(
            functional(lib).log_softmax(z, dim=1), y, reduction=reduction, **class_options(lib, options, device)
        ),
        standard_normal(6, 3), labels(6, classes=3), device=device,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pos_weighted", [False, True])
def test_binary_cross_entropy_with_logits_matches_torch(device, reduction, weighted, pos_weighted):
    rng = np.random.default_rng(0)
    target = rng.integers(0, 2, size=(5, 3)).astype(float)
    target[0] = [0.3, 0.5, 0.9]  # soft targets work too
    options = {"weight": rng.random((5, 3))} if weighted else {}
    if pos_weighted:
        options["pos_weight"] = np.array([0.5, 2.0, 4.0])

    def run(lib, z, y):
        given = {k: constant(lib, v, device) for k, v in options.items()}
        return functional(lib).binary_cross_entropy_with_logits(z, y, reduction=reduction, **given)

    check_against_torch(run, standard_normal(5, 3) * 3, target, device=device)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_matches_torch(device, reduction):
    rng = np.random.default_rng(0)
    probabilities, target, weight = rng.uniform(0.05, 0.95, (4, 3)), rng.random((4, 3)), rng.random((4, 3))
    check_against_torch(
        lambda lib, p, y: functional(lib).binary_cross_entropy(
            p, y, weight=constant(lib, weight, device), reduction=reduction
        ),
        probabilities, target, device=device,
    )


def test_cross_entropy_is_exact_for_logits_of_1e4(device):
    torch = torch_or_skip()
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, -1e4]])
    target = np.array([1, 2, 0])
    check_against_torch(lambda lib, z, y: functional(lib).cross_entropy(z, y), logits, target, device=device)
    check_against_torch(
        lambda lib, z, y: functional(lib).cross_entropy(z, y, label_smoothing=0.1), logits, target, device=device
    )
    in_float32 = minml.tensor(logits, dtype=np.float32, device=device)
    ours = F.cross_entropy(in_float32, target_on(target, device), reduction="none")
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits).float(), torch.tensor(target), reduction="none")
    assert np.isfinite(ours.numpy()).all()
    assert_close(ours, expected, rtol=1e-6)


def test_binary_cross_entropy_with_logits_is_stable_at_1e4(device):
    logits = np.array([1e4, -1e4, 1e4, -1e4, 0.0])
    target = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    check_against_torch(
        lambda lib, z, y: functional(lib).binary_cross_entropy_with_logits(z, y, reduction="none"),
        logits, target, device=device,
    )


@given(
    batch=st.integers(1, 4),
    classes=st.integers(2, 5),
    smoothing=st.sampled_from([0.0, 0.2]),
    seed=st.integers(0, 2**16),
)
def test_cross_entropy_gradcheck(device, batch, classes, smoothing, seed):
    target = labels(batch, classes=classes, seed=seed)
    weight = minml.tensor(np.random.default_rng(seed).uniform(0.5, 2, classes), device=device)
    gradcheck_on(
        device,
        lambda z: F.cross_entropy(z, target_on(target, device), weight=weight, label_smoothing=smoothing),
        standard_normal(batch, classes, seed=seed),
    )


def test_loss_modules_call_their_functions(device):
    z = minml.tensor(standard_normal(6, 3), device=device)
    y = target_on(labels(6, classes=3), device)
    x, t = z, minml.tensor(standard_normal(6, 3, seed=1), device=device)
    weight = [0.5, 1.0, 2.0]
    pairs = [
        (nn.MSELoss(reduction="sum")(x, t), F.mse_loss(x, t, reduction="sum")),
        (nn.L1Loss()(x, t), F.l1_loss(x, t)),
        (nn.HuberLoss(delta=0.3)(x, t), F.huber_loss(x, t, delta=0.3)),
        (nn.SmoothL1Loss(beta=0.3)(x, t), F.smooth_l1_loss(x, t, beta=0.3)),
        (nn.BCEWithLogitsLoss(pos_weight=weight).to(device)(x, t.sigmoid()),
         F.binary_cross_entropy_with_logits(x, t.sigmoid(), pos_weight=minml.tensor(weight, device=device))),
        (nn.BCELoss()(x.sigmoid(), t.sigmoid()), F.binary_cross_entropy(x.sigmoid(), t.sigmoid())),
        (nn.CrossEntropyLoss(weight=weight, label_smoothing=0.1, ignore_index=0).to(device)(z, y),
         F.cross_entropy(z, y, minml.tensor(weight, device=device), label_smoothing=0.1, ignore_index=0)),
        (nn.NLLLoss(weight=weight).to(device)(z.log_softmax(1), y),
         F.nll_loss(z.log_softmax(1), y, minml.tensor(weight, device=device))),
    ]
    for module_result, function_result in pairs:
        assert_close(module_result, function_result)


def test_loss_module_weight_is_a_buffer_that_moves(device):
    loss = nn.CrossEntropyLoss(weight=[1.0, 2.0]).to(device)
    assert [name for name, _ in loss.named_buffers()] == ["weight"]
    assert loss.weight.device == minml.device(device)
    assert repr(loss) == "CrossEntropyLoss()"


def test_loss_errors_say_what_is_wrong(device):
    z = minml.tensor(standard_normal(4, 3), device=device)
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'; got 'avg'"):
        F.mse_loss(z, z, reduction="avg")
    with pytest.raises(ValueError, match="reduction must be"):
        nn.L1Loss(reduction="total")
    with pytest.raises(ValueError, match=r"input shape \(4, 3\) and target shape \(4, 1\) differ"):
        F.mse_loss(z, minml.zeros(4, 1, device=device))
    with pytest.raises(IndexError, match="target 3 is out of bounds for 3 classes"):
        F.cross_entropy(z, target_on(np.array([0, 1, 3, 2]), device))
    with pytest.raises(ValueError, match=r"class indices \(integers\) of shape \(4,\)"):
        F.cross_entropy(z, target_on(np.array([0, 1]), device))
    with pytest.raises(ValueError, match=r"\(N, C\)"):
        F.cross_entropy(minml.zeros(3, device=device), target_on(np.array(1), device))
    with pytest.raises(ValueError, match="label_smoothing"):
        F.cross_entropy(z, target_on(np.array([0, 1, 2, 2]), device), label_smoothing=1.5)
    with pytest.raises(ValueError, match="delta must be positive"):
        F.huber_loss(z, z, delta=0)


def test_ignored_targets_may_be_out_of_range_and_count_for_nothing(device):
    torch = torch_or_skip()
    logits = standard_normal(4, 3)
    target = np.array([0, -100, 2, -100])
    ours = F.cross_entropy(minml.tensor(logits, device=device), target_on(target, device))
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(target))
    assert_close(ours, expected)


def test_cross_entropy_keeps_float32(device):
    z = minml.tensor(standard_normal(4, 3), dtype=np.float32, device=device, requires_grad=True)
    y = target_on(np.array([0, 1, 2, 1]), device)
    loss = F.cross_entropy(z, y, weight=minml.tensor([1.0, 2.0, 3.0], device=device), label_smoothing=0.1)
    loss.backward()
    assert loss.dtype == np.float32 and z.grad.dtype == np.float32
