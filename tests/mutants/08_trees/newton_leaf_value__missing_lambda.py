"""Forgets the L2 penalty: −G / H, as if λ were 0."""


def newton_leaf_value(gradient_sum, hessian_sum, reg_lambda):
    return -gradient_sum / hessian_sum
