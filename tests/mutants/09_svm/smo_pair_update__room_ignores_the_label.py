"""Measures the room as if yᵢ = +1 and yⱼ = +1 always (αᵢ up to C, αⱼ down to 0), whatever the labels."""


def smo_pair_update(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    t = min(b / max(a, 1e-12), C_i - alpha_i, alpha_j)
    return min(max(alpha_i + y_i * t, 0.0), C_i), min(max(alpha_j - y_j * t, 0.0), C_j)
