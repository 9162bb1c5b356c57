"""Learning-rate schedules: change each parameter group's ``lr`` as training goes on.

Call ``scheduler.step()`` once per epoch (or per batch, for :class:`OneCycleLR`),
after ``optimizer.step()``::

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, optimizer)
        scheduler.step()

A schedule is a function of the step count t (``last_epoch``) and each group's
starting ``lr`` (``base_lrs``): each subclass writes that closed form in
``get_lr``. Unlike PyTorch's chainable forms, two schedulers on one optimizer
do not compose: the last one to step sets the ``lr``.
"""

from __future__ import annotations

import copy
import math

from minml.optim.optimizer import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "OneCycleLR", "cosine_annealing_lr"]


class LRScheduler:
    """Base class: owns the step count ``last_epoch`` and writes ``get_lr()`` into the groups' ``lr``.

    A new scheduler records each group's ``lr`` as ``initial_lr`` (the
    ``base_lrs``) and applies the schedule's value for t = 0. ``last_epoch``
    other than -1 resumes a schedule (the groups must hold ``initial_lr``).
    To resume from files, as in PyTorch: build the optimizer and the scheduler,
    then load the optimizer's state dict, then the scheduler's (a new scheduler
    overwrites the groups' ``lr``).
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"a scheduler needs a minml.optim Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for number, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"param_groups[{number}] has no 'initial_lr', needed to resume a schedule at last_epoch="
                    f"{last_epoch}: load the optimizer's state_dict first, or start with last_epoch=-1"
                )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def get_lr(self) -> list[float]:
        """The learning rate of each group at step ``last_epoch``."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance one step and set each group's ``lr``."""
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates the last :meth:`step` set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """Everything but the optimizer: the step count, base rates and the schedule's settings."""
        return {name: copy.deepcopy(value) for name, value in self.__dict__.items() if name != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from :meth:`state_dict` (load the optimizer's own state dict too)."""
        self.__dict__.update(copy.deepcopy(state_dict))


class StepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps: lr_t = lr_0 * gamma^floor(t / step_size)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        if not isinstance(step_size, int) or step_size <= 0:
            raise ValueError(f"step_size must be a positive integer, got {step_size!r}")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every step: lr_t = lr_0 * gamma^t."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]


# exercise 04.cosine_annealing_lr
def cosine_annealing_lr(base_lr: float, eta_min: float, step: int, T_max: int) -> float:
    """The learning rate at ``step`` of a cosine decay from ``base_lr`` to ``eta_min``.

    Half a period of a cosine, shifted and scaled to fall from base_lr at
    t = 0 to eta_min at t = T_max::

        lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2

    ``step`` is t = 0, 1, 2, ...: the first step (t = 0) uses the full
    base_lr, and t = T_max (not T_max - 1) reaches eta_min. Beyond T_max the
    formula is used as it is, so the rate climbs back up (as PyTorch's
    closed form does). Return a Python float; ``math.cos`` and ``math.pi``
    are all you need.
    """
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * step / T_max)) / 2
# end exercise


class CosineAnnealingLR(LRScheduler):
    r"""Half a cosine from lr_0 down to ``eta_min`` over ``T_max`` steps (SGDR without restarts).

    lr_t = eta_min + (lr_0 - eta_min) * (1 + cos(pi * t / T_max)) / 2; past T_max it rises again.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):
        if not isinstance(T_max, int) or T_max <= 0:
            raise ValueError(f"T_max must be a positive integer, got {T_max!r}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [cosine_annealing_lr(base_lr, self.eta_min, self.last_epoch, self.T_max) for base_lr in self.base_lrs]


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy (Smith & Topin, 2018): warm up to ``max_lr``, then anneal far below the start.

    Stepped once per *batch*, for ``total_steps`` (or ``epochs * steps_per_epoch``) steps:

    * phase 1, the first ``pct_start`` of the steps: lr from max_lr / div_factor up to max_lr;
    * phase 2, the rest: lr from max_lr down to max_lr / (div_factor * final_div_factor).

    Each phase interpolates by ``anneal_strategy``: "cos", start + (end - start) * (1 - cos(pi * x)) / 2,
    or "linear", where x goes from 0 to 1 over the phase. ``three_phase=True`` comes back down to the
    start in a second phase as long as the first, then anneals to the minimum in a third.
    With ``cycle_momentum`` the momentum (SGD's ``momentum``, Adam's beta1) moves the opposite way,
    between ``max_momentum`` and ``base_momentum``.
    """

    def __init__(self, optimizer: Optimizer, max_lr, total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3, anneal_strategy: str = "cos",
                 cycle_momentum: bool = True, base_momentum=0.85, max_momentum=0.95, div_factor: float = 25.0,
                 final_div_factor: float = 1e4, three_phase: bool = False, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"a scheduler needs a minml.optim Optimizer, got {type(optimizer).__name__}")
        self.total_steps = _total_steps(total_steps, epochs, steps_per_epoch)
        if not 0.0 <= pct_start <= 1.0:
            raise ValueError(f"pct_start must be a number between 0 and 1, got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        self.anneal_strategy = anneal_strategy
        self.cycle_momentum = cycle_momentum
        warmup_end = float(pct_start * self.total_steps) - 1
        # each phase: (last step, start and end key of the lr, start and end key of the momentum), keys into a group
        if three_phase:
            self.phases = [
                (warmup_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (2 * warmup_end, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                (self.total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self.phases = [
                (warmup_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (self.total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ]
        groups = optimizer.param_groups
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(
                    f"cycle_momentum=True needs an optimizer with a momentum or betas ({type(optimizer).__name__} "
                    "has neither); pass cycle_momentum=False"
                )
            self.use_beta1 = "betas" in optimizer.defaults
        if last_epoch == -1:
            for group, peak in zip(groups, _per_group("max_lr", max_lr, groups)):
                group.update(initial_lr=peak / div_factor, max_lr=peak, min_lr=peak / div_factor / final_div_factor)
            if cycle_momentum:
                momenta = zip(groups, _per_group("max_momentum", max_momentum, groups),
                              _per_group("base_momentum", base_momentum, groups))
                for group, top, bottom in momenta:
                    group.update(max_momentum=top, base_momentum=bottom)
                    self._set_momentum(group, top)
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, fraction: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1)
        return (end - start) * fraction + start

    def _set_momentum(self, group: dict, momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def _phase(self, t: int):
        """The phase that step ``t`` falls in, and how far into it (0 to 1)."""
        phase_start = 0.0
        for phase in self.phases[:-1]:
            if t <= phase[0]:
                break
            phase_start = phase[0]
        else:
            phase = self.phases[-1]
        return (t - phase_start) / (phase[0] - phase_start), phase

    def get_lr(self):
        t = self.last_epoch
        if t > self.total_steps:
            raise ValueError(f"tried to step {t} times; OneCycleLR was given total_steps={self.total_steps}")
        fraction, (_, lr_from, lr_to, momentum_from, momentum_to) = self._phase(t)
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(self._anneal(group[lr_from], group[lr_to], fraction))
            if self.cycle_momentum:
                self._set_momentum(group, self._anneal(group[momentum_from], group[momentum_to], fraction))
        return lrs


def _total_steps(total_steps, epochs, steps_per_epoch) -> int:
    if total_steps is not None:
        if not isinstance(total_steps, int) or total_steps <= 0:
            raise ValueError(f"total_steps must be a positive integer, got {total_steps!r}")
        return total_steps
    if epochs is None or steps_per_epoch is None:
        raise ValueError("OneCycleLR needs total_steps, or both epochs and steps_per_epoch")
    for name, value in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch)):
        if not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return epochs * steps_per_epoch


def _per_group(name: str, value, groups: list[dict]) -> list[float]:
    """One value per parameter group: a list as given, or a number repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(groups):
            raise ValueError(f"{name} has {len(value)} values for {len(groups)} parameter groups")
        return list(value)
    return [value] * len(groups)
