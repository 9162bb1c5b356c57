"""Steps uphill: G / (H + λ) without the minus sign."""


def newton_leaf_value(gradient_sum, hessian_sum, reg_lambda):
    return gradient_sum / (hessian_sum + reg_lambda)
