"""Uses Cᵢ as the upper bound of both variables, ignoring Cⱼ (wrong when class weights differ)."""


def smo_pair_update(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    room_i = C_i - alpha_i if y_i > 0 else alpha_i
    room_j = alpha_j if y_j > 0 else C_i - alpha_j
    t = min(b / max(a, 1e-12), room_i, room_j)
    return min(max(alpha_i + y_i * t, 0.0), C_i), min(max(alpha_j - y_j * t, 0.0), C_i)
