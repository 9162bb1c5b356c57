"""Clips each α to [0, C] on its own after the full step, so the two move by different amounts."""


def smo_pair_update(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    t = b / max(a, 1e-12)
    return min(max(alpha_i + y_i * t, 0.0), C_i), min(max(alpha_j - y_j * t, 0.0), C_j)
