"""Counts steps from 1 (uses t + 1): the first step already has a reduced rate and eta_min comes a step early."""

import math


def cosine_annealing_lr(base_lr, eta_min, step, T_max):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * (step + 1) / T_max)) / 2
