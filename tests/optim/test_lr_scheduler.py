"""minml.optim.lr_scheduler: the same learning-rate (and momentum) sequences as torch.optim.lr_scheduler."""

import numpy as np
import pytest

import minml
from minml.optim import SGD, Adagrad, Adam
from minml.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LRScheduler, OneCycleLR, StepLR
from minml.testing import torch_or_skip

BASE_LRS = [0.1, 0.02]  # two parameter groups with their own rates
STEPS = 24

SCHEDULES = [
    (SGD, StepLR, dict(step_size=3, gamma=0.5)),
    (SGD, ExponentialLR, dict(gamma=0.9)),
    (SGD, CosineAnnealingLR, dict(T_max=7)),
    (Adam, CosineAnnealingLR, dict(T_max=10, eta_min=0.005)),  # past T_max it rises again
    (SGD, OneCycleLR, dict(max_lr=0.5, total_steps=STEPS)),
    (Adam, OneCycleLR, dict(max_lr=[0.5, 0.1], total_steps=STEPS, pct_start=0.25, div_factor=10.0,
                            final_div_factor=100.0)),
    (Adam, OneCycleLR, dict(max_lr=0.5, epochs=4, steps_per_epoch=6, anneal_strategy="linear")),
    (SGD, OneCycleLR, dict(max_lr=0.5, total_steps=STEPS, three_phase=True, base_momentum=0.8, max_momentum=0.9)),
    (SGD, OneCycleLR, dict(max_lr=0.5, total_steps=STEPS, cycle_momentum=False)),
    (Adagrad, OneCycleLR, dict(max_lr=0.5, total_steps=STEPS, cycle_momentum=False)),
]
IDS = [f"{opt.__name__}-{sched.__name__}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for opt, sched, kw in SCHEDULES]
OPTIMIZER_OPTIONS = {SGD: dict(momentum=0.9), Adam: {}, Adagrad: {}}


def groups(make):
    return [{"params": [make()], "lr": lr} for lr in BASE_LRS]


def build(optimizer_cls, scheduler_cls, options, device):
    optimizer = optimizer_cls(groups(lambda: minml.zeros(2, device=device, requires_grad=True)),
                              **OPTIMIZER_OPTIONS[optimizer_cls])
    return optimizer, scheduler_cls(optimizer, **options)


def momenta(optimizer):
    """Each group's momentum (SGD) or beta1 (Adam), which OneCycleLR cycles; None for Adagrad."""
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in optimizer.param_groups]


def sequence(optimizer, scheduler, steps=STEPS):
    """The rates (and momenta) the scheduler sets: after construction, then after each step."""
    values = []
    for step in range(steps + 1):
        if step:
            optimizer.step()
            scheduler.step()
        assert scheduler.get_last_lr() == [g["lr"] for g in optimizer.param_groups]
        values.append((scheduler.get_last_lr(), momenta(optimizer)))
    return values


@pytest.mark.parametrize(("optimizer_cls", "scheduler_cls", "options"), SCHEDULES, ids=IDS)
def test_same_sequence_as_torch(device, optimizer_cls, scheduler_cls, options):
    torch = torch_or_skip()
    optimizer, scheduler = build(optimizer_cls, scheduler_cls, options, device)
    ours = sequence(optimizer, scheduler)
    torch_optimizer = getattr(torch.optim, optimizer_cls.__name__)(
        groups(lambda: torch.zeros(2, requires_grad=True)), **OPTIMIZER_OPTIONS[optimizer_cls])
    torch_scheduler = getattr(torch.optim.lr_scheduler, scheduler_cls.__name__)(torch_optimizer, **options)
    theirs = sequence(torch_optimizer, torch_scheduler)
    for step, ((lrs, moms), (their_lrs, their_moms)) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(lrs, their_lrs, rtol=1e-12, atol=1e-15, err_msg=f"lr after {step} steps")
        if their_moms[0] is not None:
            np.testing.assert_allclose(moms, their_moms, rtol=1e-12, err_msg=f"momentum after {step} steps")


def test_scheduled_rate_is_the_one_the_optimizer_uses(device):
    p = minml.tensor([1.0], device=device, requires_grad=True)
    optimizer = SGD([p], lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
    scheduler.step()
    assert optimizer.param_groups[0]["lr"] == scheduler.get_last_lr()[0] == 0.5
    p.grad = minml.tensor([1.0], device=device).data
    optimizer.step()
    assert p.item() == 0.5


@pytest.mark.parametrize(("optimizer_cls", "scheduler_cls", "options"), SCHEDULES[:1] + SCHEDULES[3:5] + SCHEDULES[7:8])
def test_state_dict_round_trip(device, optimizer_cls, scheduler_cls, options):
    optimizer, scheduler = build(optimizer_cls, scheduler_cls, options, device)
    expected = sequence(optimizer, scheduler)

    optimizer, scheduler = build(optimizer_cls, scheduler_cls, options, device)
    sequence(optimizer, scheduler, steps=9)
    saved_optimizer, saved_scheduler = optimizer.state_dict(), scheduler.state_dict()
    assert "optimizer" not in saved_scheduler and saved_scheduler["last_epoch"] == 9
    resumed_optimizer, resumed = build(optimizer_cls, scheduler_cls, options, device)
    resumed_optimizer.load_state_dict(saved_optimizer)
    resumed.load_state_dict(saved_scheduler)
    rest = sequence(resumed_optimizer, resumed, steps=STEPS - 9)
    assert rest == expected[9:]


def test_resuming_needs_initial_lr(device):
    optimizer = SGD([minml.zeros(1, device=device, requires_grad=True)], lr=0.1)
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(optimizer, step_size=2, last_epoch=4)
    StepLR(optimizer, step_size=2)
    resumed = StepLR(optimizer, step_size=2, gamma=0.5, last_epoch=4)
    assert resumed.get_last_lr() == [0.1 * 0.5**2]


def test_onecycle_refuses_to_step_past_total_steps(device):
    optimizer, scheduler = build(SGD, OneCycleLR, dict(max_lr=0.5, total_steps=3), device)
    for _ in range(3):
        scheduler.step()
    with pytest.raises(ValueError, match="tried to step 4 times; OneCycleLR was given total_steps=3"):
        scheduler.step()


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (dict(max_lr=0.5), ValueError, "needs total_steps, or both epochs and steps_per_epoch"),
        (dict(max_lr=0.5, total_steps=0), ValueError, "total_steps must be a positive integer"),
        (dict(max_lr=0.5, epochs=2, steps_per_epoch=1.5), ValueError, "steps_per_epoch must be a positive integer"),
        (dict(max_lr=0.5, total_steps=10, pct_start=1.5), ValueError, "pct_start"),
        (dict(max_lr=0.5, total_steps=10, anneal_strategy="exp"), ValueError, "anneal_strategy"),
        (dict(max_lr=[0.5, 0.4, 0.3], total_steps=10), ValueError, "3 values for 2 parameter groups"),
    ],
)
def test_onecycle_bad_arguments(device, options, error, message):
    with pytest.raises(error, match=message):
        build(SGD, OneCycleLR, options, device)


def test_onecycle_momentum_needs_an_optimizer_with_momentum(device):
    with pytest.raises(ValueError, match="Adagrad has neither"):
        build(Adagrad, OneCycleLR, dict(max_lr=0.5, total_steps=10), device)


def test_bad_scheduler_arguments(device):
    optimizer = SGD([minml.zeros(1, device=device, requires_grad=True)], lr=0.1)
    with pytest.raises(TypeError, match="needs a minml.optim Optimizer"):
        StepLR("sgd", step_size=2)
    with pytest.raises(ValueError, match="step_size must be a positive integer"):
        StepLR(optimizer, step_size=0)
    with pytest.raises(ValueError, match="T_max must be a positive integer"):
        CosineAnnealingLR(optimizer, T_max=2.5)
    with pytest.raises(NotImplementedError):
        LRScheduler(optimizer)
