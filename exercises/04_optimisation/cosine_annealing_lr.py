"""Exercise 04.cosine_annealing_lr: The learning rate at ``step`` of a cosine decay from ``base_lr`` to ``eta_min``.

Generated from minml/optim/lr_scheduler.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


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
    raise NotImplementedError("cosine_annealing_lr is not implemented yet")
