"""Decays linearly from base_lr to eta_min instead of along a half cosine."""


def cosine_annealing_lr(base_lr, eta_min, step, T_max):
    return base_lr - (base_lr - eta_min) * step / T_max
