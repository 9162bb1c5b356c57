"""Takes the unconstrained step t = b / a without clipping it to the box [0, C]."""


def smo_pair_update(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    t = b / max(a, 1e-12)
    return alpha_i + y_i * t, alpha_j - y_j * t
