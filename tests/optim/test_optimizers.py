"""minml.optim optimizers: the same trajectories as torch.optim, state dicts that resume exactly, clear errors."""

import numpy as np
import pytest

import minml
from minml import backend
from minml.optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop
from minml.testing import assert_close, standard_normal, to_host, torch_or_skip

SHAPES = [(3, 4), (5,)]
STEPS = 10

# (optimizer, options): every option of every optimizer appears in at least one case
CASES = [
    (SGD, dict(lr=0.1)),
    (SGD, dict(lr=0.1, momentum=0.9)),
    (SGD, dict(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.1)),
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1)),
    (SGD, dict(lr=0.1, momentum=0.5, maximize=True)),
    (Adam, dict(lr=0.1)),
    (Adam, dict(lr=0.1, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)),
    (Adam, dict(lr=0.1, amsgrad=True, maximize=True)),
    (Adam, dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
    (AdamW, dict(lr=0.1)),
    (AdamW, dict(lr=0.1, weight_decay=0.1, amsgrad=True)),
    (AdamW, dict(lr=0.1, betas=(0.5, 0.6), maximize=True)),
    (RMSprop, dict(lr=0.01)),
    (RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1)),
    (RMSprop, dict(lr=0.01, momentum=0.9)),
    (RMSprop, dict(lr=0.01, centered=True)),
    (RMSprop, dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1, maximize=True)),
    (Adagrad, dict(lr=0.1)),
    (Adagrad, dict(lr=0.1, lr_decay=0.1, weight_decay=0.1)),
    (Adagrad, dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-6, maximize=True)),
]
CASE_IDS = [f"{cls.__name__}-{'-'.join(f'{k}={v}' for k, v in options.items())}" for cls, options in CASES]
# one override per optimizer, for a second parameter group
GROUP_OVERRIDES = {
    SGD: dict(lr=0.01, momentum=0.5, nesterov=True),
    Adam: dict(lr=0.01, betas=(0.5, 0.7), amsgrad=True),
    AdamW: dict(lr=0.01, weight_decay=0.5),
    RMSprop: dict(lr=0.1, centered=True, momentum=0.3),
    Adagrad: dict(lr=0.5, lr_decay=0.2),
}
OPTIMIZERS = list(GROUP_OVERRIDES)


def initial_values(dtype="float64"):
    return [standard_normal(*shape, seed=i).astype(dtype) for i, shape in enumerate(SHAPES)]


def gradient_sequence(steps=STEPS, dtype="float64", seed=10):
    """Random gradients for each step; the second parameter has none on step 3 (it must be left alone)."""
    rng = np.random.default_rng(seed)
    return [
        [None if (step == 3 and i == 1) else rng.standard_normal(shape).astype(dtype) for i, shape in enumerate(SHAPES)]
        for step in range(steps)
    ]


def one_group(params):
    return params


def two_groups(override):
    return lambda params: [{"params": [params[0]]}, {"params": [params[1]], **override}]


def run_minml(optimizer, params, grads):
    """Feed ``grads`` to ``optimizer`` step by step; the parameters' host values after each step."""
    history = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = None if g is None else backend.to_device(g.copy(), p.device)
        optimizer.step()
        history.append([p.numpy() for p in params])
    return history


def minml_trajectory(cls, options, device, grads, groups=one_group, dtype="float64"):
    params = [minml.tensor(a, device=device, requires_grad=True) for a in initial_values(dtype)]
    return run_minml(cls(groups(params), **options), params, grads)


def torch_trajectory(cls, options, grads, groups=one_group, dtype="float64"):
    torch = torch_or_skip()
    params = [torch.tensor(a, requires_grad=True) for a in initial_values(dtype)]
    optimizer = getattr(torch.optim, cls.__name__)(groups(params), **options)
    history = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = None if g is None else torch.tensor(g)
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history


def assert_same_trajectory(ours, theirs, rtol=1e-12, atol=1e-14):
    for step, (mine, reference) in enumerate(zip(ours, theirs)):
        for i, (a, b) in enumerate(zip(mine, reference)):
            assert_close(a, b, rtol, atol, what=f"parameter {i} after step {step + 1}")


# --------------------------------------------------------------------------- trajectories vs PyTorch


@pytest.mark.parametrize(("cls", "options"), CASES, ids=CASE_IDS)
def test_same_trajectory_as_torch(device, cls, options):
    grads = gradient_sequence()
    assert_same_trajectory(minml_trajectory(cls, options, device, grads), torch_trajectory(cls, options, grads))


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_per_group_hyperparameters_as_torch(device, cls):
    grads = gradient_sequence()
    groups = two_groups(GROUP_OVERRIDES[cls])
    ours = minml_trajectory(cls, dict(lr=0.05), device, grads, groups)
    assert_same_trajectory(ours, torch_trajectory(cls, dict(lr=0.05), grads, groups))


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_float32_trajectory_as_torch(device, cls):
    grads = gradient_sequence(dtype="float32")
    ours = minml_trajectory(cls, dict(lr=0.05), device, grads, dtype="float32")
    assert all(p.dtype == np.float32 for p in ours[-1])
    assert_same_trajectory(ours, torch_trajectory(cls, dict(lr=0.05), grads, dtype="float32"), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_training_through_backward_as_torch(device, cls):
    """Gradients from each library's own backward of one loss, so each step depends on the last."""
    torch = torch_or_skip()
    start, target, weights = standard_normal(6, seed=1), standard_normal(6, seed=2), np.arange(1.0, 7.0)

    def train(p, optimizer, constant):
        for _ in range(20):
            optimizer.zero_grad()
            loss = ((p - constant(target)) ** 2 * constant(weights)).sum()
            loss.backward()
            optimizer.step()

    ours = minml.tensor(start, device=device, requires_grad=True)
    theirs = torch.tensor(start, requires_grad=True)
    train(ours, cls([ours], lr=0.05), lambda a: minml.tensor(a, device=device))
    train(theirs, getattr(torch.optim, cls.__name__)([theirs], lr=0.05), torch.tensor)
    assert_close(ours, theirs, rtol=1e-12, atol=1e-14)


# --------------------------------------------------------------------------- the protocol


def test_step_updates_data_in_place_and_skips_missing_gradients(device):
    p, q = (minml.tensor(a, device=device, requires_grad=True) for a in initial_values())
    optimizer = Adam([p, q], lr=0.1)
    p_data, q_before = p.data, q.numpy()
    p.grad = backend.to_device(np.ones(SHAPES[0]), device)
    optimizer.step()
    assert p.data is p_data  # the same array: whoever holds p sees the new values
    assert not np.allclose(p.numpy(), initial_values()[0])
    np.testing.assert_array_equal(q.numpy(), q_before)
    assert q not in optimizer.state and optimizer.state[p]["step"] == 1


@pytest.mark.parametrize(("cls", "options"), CASES, ids=CASE_IDS)
def test_float32_stays_float32(device, cls, options):
    """No silent promotion to float64 (twice the memory and far slower on a GPU) in parameters or state."""
    p = minml.tensor([1.0, -2.0], device=device, requires_grad=True)
    optimizer = cls([p], **options)
    for _ in range(2):
        p.grad = minml.tensor([0.5, 0.25], device=device).data
        optimizer.step()
    assert p.dtype == np.float32
    assert {name: value.dtype for name, value in optimizer.state[p].items() if hasattr(value, "dtype")} == {
        name: np.float32 for name, value in optimizer.state[p].items() if hasattr(value, "dtype")
    }


def test_zero_grad(device):
    p = minml.tensor([1.0, 2.0], device=device, requires_grad=True)
    optimizer = SGD([p], lr=0.1)
    (p * p).sum().backward()
    grad = p.grad
    optimizer.zero_grad(set_to_none=False)
    assert p.grad is grad
    np.testing.assert_array_equal(to_host(p.grad), [0.0, 0.0])
    optimizer.zero_grad()
    assert p.grad is None


def test_closure_is_evaluated_with_grad_enabled_and_its_loss_returned(device):
    p = minml.tensor([3.0], device=device, requires_grad=True)
    optimizer = SGD([p], lr=0.25)

    def closure():
        optimizer.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with minml.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 9.0
    np.testing.assert_allclose(p.numpy(), [3.0 - 0.25 * 6.0])


def test_add_param_group_fills_in_the_defaults(device):
    p, q = (minml.tensor([1.0], device=device, requires_grad=True) for _ in range(2))
    optimizer = SGD([p], lr=0.1, momentum=0.9)
    optimizer.add_param_group({"params": q, "lr": 0.5})
    assert [g["lr"] for g in optimizer.param_groups] == [0.1, 0.5]
    assert optimizer.param_groups[1]["momentum"] == 0.9 and optimizer.param_groups[1]["params"] == [q]
    p.grad = backend.to_device(np.ones(1), device)
    q.grad = backend.to_device(np.ones(1), device)
    optimizer.step()
    np.testing.assert_allclose([p.item(), q.item()], [0.9, 0.5])


def test_accepts_a_generator_and_repr_lists_each_group(device):
    params = [minml.tensor([1.0], device=device, requires_grad=True) for _ in range(2)]
    optimizer = RMSprop((p for p in params), lr=0.1)
    assert optimizer.param_groups[0]["params"] == params
    assert repr(optimizer).splitlines()[:3] == ["RMSprop (", "Parameter Group 0", "    alpha: 0.99"]


def test_defaults_match_torch(device):
    torch = torch_or_skip()
    p = minml.tensor([1.0], device=device, requires_grad=True)
    for cls in OPTIMIZERS:
        theirs = getattr(torch.optim, cls.__name__)([torch.zeros(1, requires_grad=True)]).defaults
        for name, value in cls([p]).defaults.items():
            assert theirs[name] == value, f"{cls.__name__} default {name}"


# --------------------------------------------------------------------------- state dicts


def make(cls, device, options, values=None):
    params = [minml.tensor(a, device=device, requires_grad=True) for a in (values or initial_values())]
    return params, cls(two_groups(GROUP_OVERRIDES[cls])(params), **options)


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_state_dict_round_trip_continues_identically(device, cls):
    grads = gradient_sequence()
    reference_params, reference = make(cls, device, dict(lr=0.05))
    expected = run_minml(reference, reference_params, grads)

    params, optimizer = make(cls, device, dict(lr=0.05))
    run_minml(optimizer, params, grads[:5])
    state = optimizer.state_dict()
    copies, resumed = make(cls, device, dict(lr=0.9), values=[p.numpy() for p in params])
    resumed.load_state_dict(state)
    assert resumed.param_groups[0]["lr"] == 0.05
    # both continue: the loaded state is a copy, so neither disturbs the other
    assert_same_trajectory(run_minml(optimizer, params, grads[5:]), expected[5:], rtol=0, atol=0)
    assert_same_trajectory(run_minml(resumed, copies, grads[5:]), expected[5:], rtol=0, atol=0)


def test_state_dict_refers_to_parameters_by_index(device):
    params, optimizer = make(Adam, device, dict(lr=0.05))
    run_minml(optimizer, params, gradient_sequence(steps=1))
    state = optimizer.state_dict()
    assert [g["params"] for g in state["param_groups"]] == [[0], [1]]
    assert state["param_groups"][1]["betas"] == (0.5, 0.7)
    assert sorted(state["state"]) == [0, 1]
    assert state["state"][0]["step"] == 1
    exp_avg = state["state"][1]["exp_avg"]
    assert isinstance(exp_avg, minml.Tensor) and exp_avg.device == device and exp_avg.shape == SHAPES[1]


def test_load_state_dict_from_host_copies(device):
    """As a file gives it back: tensors on the cpu, string keys, tuples as lists; state lands on the device."""
    grads = gradient_sequence()
    params, optimizer = make(Adam, device, dict(lr=0.05))
    run_minml(optimizer, params, grads[:4])
    saved = optimizer.state_dict()
    from_file = {
        "state": {str(i): {k: minml.tensor(v.numpy()) if isinstance(v, minml.Tensor) else v for k, v in s.items()}
                  for i, s in saved["state"].items()},
        "param_groups": [{k: list(v) if isinstance(v, tuple) else v for k, v in g.items()}
                         for g in saved["param_groups"]],
    }
    copies, resumed = make(Adam, device, dict(lr=0.05), values=[p.numpy() for p in params])
    resumed.load_state_dict(from_file)
    assert resumed.state[copies[0]]["exp_avg"].dtype == np.float64
    assert backend.device_of(resumed.state[copies[0]]["exp_avg"]) == device
    assert_same_trajectory(run_minml(resumed, copies, grads[4:]), run_minml(optimizer, params, grads[4:]), 0, 0)


def test_load_state_dict_errors(device):
    params, optimizer = make(Adam, device, dict(lr=0.05))
    run_minml(optimizer, params, gradient_sequence(steps=1))
    state = optimizer.state_dict()
    one_group_adam = Adam(params)
    with pytest.raises(ValueError, match="2 parameter group"):
        one_group_adam.load_state_dict(state)
    _, sgd = make(SGD, device, {})
    with pytest.raises(ValueError, match="lacks SGD's hyperparameters"):
        sgd.load_state_dict(state)
    extra = minml.tensor([1.0], device=device, requires_grad=True)
    other_sizes = Adam([{"params": params}, {"params": [extra]}])
    with pytest.raises(ValueError, match="parameter group 0 has 2 parameters, but the loaded state_dict's has 1"):
        other_sizes.load_state_dict(state)
    other_shapes = Adam([{"params": [params[1]]}, {"params": [params[0]]}])
    with pytest.raises(ValueError, match=r"state 'exp_avg' of parameter 0 has shape \(3, 4\)"):
        other_shapes.load_state_dict(state)
    with pytest.raises(ValueError, match="exactly the keys"):
        optimizer.load_state_dict(state["state"])


# --------------------------------------------------------------------------- errors


def test_bad_parameters(device):
    leaf = minml.tensor([1.0, 2.0], device=device, requires_grad=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        SGD([leaf * 2], lr=0.1)
    with pytest.raises(TypeError, match="floating-point"):
        SGD([minml.tensor([1, 2], device=device)], lr=0.1)
    with pytest.raises(TypeError, match="only optimize Tensors"):
        SGD([np.ones(2)], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors"):
        SGD(leaf, lr=0.1)
    with pytest.raises(TypeError, match="not a set"):
        SGD([{"params": {leaf}}], lr=0.1)
    with pytest.raises(ValueError, match="twice"):
        SGD([leaf, leaf], lr=0.1)
    optimizer = SGD([leaf], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optimizer.add_param_group({"params": [leaf]})
    with pytest.raises(ValueError, match="'params' entry"):
        optimizer.add_param_group({"lr": 0.1})


@pytest.mark.parametrize(
    ("cls", "options", "message"),
    [
        (SGD, dict(lr=-0.1), "invalid lr"),
        (SGD, dict(lr=0.1, momentum=-0.9), "invalid momentum"),
        (SGD, dict(lr=0.1, weight_decay=-1.0), "invalid weight_decay"),
        (SGD, dict(lr=0.1, nesterov=True), "Nesterov momentum requires"),
        (SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov momentum requires"),
        (SGD, dict(lr=None), "invalid lr"),
        (Adam, dict(lr=-1e-3), "invalid lr"),
        (Adam, dict(eps=-1e-8), "invalid eps"),
        (Adam, dict(betas=(1.0, 0.999)), "invalid betas"),
        (AdamW, dict(betas=(0.9, -0.1)), "invalid betas"),
        (AdamW, dict(weight_decay=-0.1), "invalid weight_decay"),
        (RMSprop, dict(alpha=-0.5), "invalid alpha"),
        (RMSprop, dict(momentum=-0.5), "invalid momentum"),
        (Adagrad, dict(lr_decay=-0.1), "invalid lr_decay"),
        (Adagrad, dict(initial_accumulator_value=-1.0), "invalid initial_accumulator_value"),
    ],
)
def test_bad_hyperparameters(device, cls, options, message):
    p = minml.tensor([1.0], device=device, requires_grad=True)
    with pytest.raises(ValueError, match=message):
        cls([p], **options)


def test_bad_hyperparameter_in_a_group(device):
    p, q = (minml.tensor([1.0], device=device, requires_grad=True) for _ in range(2))
    with pytest.raises(ValueError, match="invalid lr"):
        Adam([{"params": [p]}, {"params": [q], "lr": -1.0}])
    optimizer = Adam([p])
    with pytest.raises(ValueError, match="invalid betas"):
        optimizer.add_param_group({"params": [q], "betas": (0.9, 1.5)})
    assert len(optimizer.param_groups) == 1


def test_base_class_needs_an_update_rule(device):
    p = minml.tensor([1.0], device=device, requires_grad=True)
    optimizer = Optimizer([p], dict(lr=0.1))
    p.grad = backend.to_device(np.ones(1), device)
    with pytest.raises(NotImplementedError):
        optimizer.step()
