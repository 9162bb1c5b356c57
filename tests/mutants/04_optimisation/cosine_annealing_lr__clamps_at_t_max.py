"""Clamps t at T_max, so the rate stays at eta_min instead of following the formula beyond T_max."""

import math


def cosine_annealing_lr(base_lr, eta_min, step, T_max):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * min(step, T_max) / T_max)) / 2
