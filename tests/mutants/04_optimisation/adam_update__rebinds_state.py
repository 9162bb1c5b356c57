"""Rebinds m and v to new arrays instead of updating them in place: the optimizer's state never moves."""

from minml import backend


def adam_update(param, grad, exp_avg, exp_avg_sq, step, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                decoupled_weight_decay=False, max_exp_avg_sq=None):
    xp = backend.namespace(param)
    if weight_decay and decoupled_weight_decay:
        param *= 1 - lr * weight_decay
    elif weight_decay:
        grad = grad + weight_decay * param
    exp_avg = beta1 * exp_avg + (1 - beta1) * grad
    exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * grad * grad
    v = exp_avg_sq if max_exp_avg_sq is None else xp.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
    param -= lr * (exp_avg / (1 - beta1**step)) / (xp.sqrt(v / (1 - beta2**step)) + eps)
