"""Grader for exercise 04.cosine_annealing_lr: the cosine learning-rate schedule."""

import math
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml.grading import expect

pytestmark = pytest.mark.exercise("04.cosine_annealing_lr")

OFF_BY_ONE_HINT = ("t starts at 0 with the full base_lr and reaches eta_min at t = T_max: use pi·t/T_max, "
                   "not (t + 1) or T_max - 1")


def closed_form(base_lr, eta_min, t, T_max):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


@pytest.mark.points(2)
@pytest.mark.hint(OFF_BY_ONE_HINT)
def test_starts_at_base_lr_and_ends_at_eta_min(solution):
    expect(solution(0.1, 0.001, 0, 10), 0.1, what="lr at t = 0")
    expect(solution(0.1, 0.001, 10, 10), 0.001, what="lr at t = T_max = 10")


@pytest.mark.points(1)
@pytest.mark.hint("half a cosine: at t = T_max / 2 the rate is halfway, (base_lr + eta_min) / 2")
def test_halfway(solution):
    expect(solution(0.2, 0.0, 50, 100), 0.1, what="lr at t = 50 of T_max = 100")
    expect(solution(1.0, 0.5, 3, 6), 0.75, what="lr at t = 3 of T_max = 6 with eta_min 0.5")


@pytest.mark.points(2)
@pytest.mark.hint("lr_t = eta_min + (base_lr - eta_min)·(1 + cos(pi·t/T_max))/2: a cosine, not a straight line")
@given(st.floats(1e-4, 1.0), st.floats(0.0, 1e-4), st.integers(1, 200), st.integers(0, 400))
def test_the_whole_schedule(solution, base_lr, eta_min, T_max, t):
    expect(solution(base_lr, eta_min, t, T_max), closed_form(base_lr, eta_min, t, T_max), rtol=1e-12, atol=1e-15,
           what=f"lr at t = {t} of T_max = {T_max}", hint=OFF_BY_ONE_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("past T_max keep using the same formula (the rate climbs back up); do not clamp t")
def test_past_t_max(solution):
    expect(solution(0.1, 0.0, 15, 10), closed_form(0.1, 0.0, 15, 10), what="lr at t = 15 of T_max = 10")
    expect(solution(0.1, 0.0, 20, 10), 0.1, what="lr at t = 20 of T_max = 10 (a full period)")


@pytest.mark.points(1)
@pytest.mark.hint("return a plain Python float, computed with math.cos and math.pi")
def test_returns_a_float(solution):
    value = solution(0.1, 0.0, 3, 7)
    assert isinstance(value, float), f"expected a Python float, got {type(value).__name__}"


@pytest.mark.points(2)
@pytest.mark.hint("minml.optim.lr_scheduler.CosineAnnealingLR asks your function for every group's rate on every step")
def test_minml_scheduler_uses_it(solution, monkeypatch):
    monkeypatch.setattr(sys.modules["minml.optim.lr_scheduler"], "cosine_annealing_lr", solution)
    w = minml.tensor(np.zeros(2), requires_grad=True)
    b = minml.tensor(np.zeros(1), requires_grad=True)
    optimizer = minml.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
    scheduler = minml.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=8, eta_min=0.01)
    for t in range(1, 13):
        scheduler.step()
        expect(scheduler.get_last_lr(), [closed_form(0.1, 0.01, t, 8), closed_form(0.5, 0.01, t, 8)], rtol=1e-12,
               what=f"the groups' lr after {t} scheduler steps", hint=OFF_BY_ONE_HINT)


@pytest.mark.points(2)
@pytest.mark.hint("torch.optim.lr_scheduler.CosineAnnealingLR gives the same rates: check when t is counted from")
def test_same_rates_as_torch(solution):
    ours = [solution(0.1, 0.002, t, 25) for t in range(26)]
    torch = pytest.importorskip("torch")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=25, eta_min=0.002)
    theirs = []
    for _ in range(26):
        theirs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    expect(np.array(ours), np.array(theirs), rtol=1e-9, atol=1e-12, what="rates for t = 0..25", hint=OFF_BY_ONE_HINT)
