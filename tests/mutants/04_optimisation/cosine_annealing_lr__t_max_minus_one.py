"""Divides by T_max - 1: eta_min is reached one step too early."""

import math


def cosine_annealing_lr(base_lr, eta_min, step, T_max):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * step / max(T_max - 1, 1))) / 2
