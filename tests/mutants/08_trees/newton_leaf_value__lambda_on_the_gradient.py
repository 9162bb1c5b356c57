"""Puts λ on the gradient sum, −(G + λ) / H, instead of on the hessian sum."""


def newton_leaf_value(gradient_sum, hessian_sum, reg_lambda):
    return -(gradient_sum + reg_lambda) / hessian_sum
