"""`minml compare 04`: your update rules beside minml's reference and ``torch.optim``.

Every implementation gets the same seeded inputs on the default device (MINML_DEVICE): one
parameter of a million float32 numbers. Each is called several times on the same arrays (a
warm-up, then timed calls), so the inputs are chosen to be a *steady state*:

* SGD with momentum: the buffer starts at its fixed point b = g / (1 - momentum) for a constant
  gradient g, which a correct update leaves where it is, call after call; the returned buffer is
  compared. The peer is ``torch.optim.SGD`` holding the same buffer (its time includes copying the
  arrays to the host when minml runs on a GPU);
* Adam: the moments start at their fixed points m = g, v = g² (t = 1000, so the bias correction is
  tiny); ``adam_update`` returns nothing, so the table compares times only: the graders check the
  values. The peer is ``torch.optim.Adam`` on the same arrays;
* the cosine schedule: one rate, against ``torch.optim.lr_scheduler.CosineAnnealingLR`` stepped to
  the same t (PyTorch computes it recursively, step by step, so it agrees to about 1e-17).
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

SIZE = 1_000_000


def warm_up(*modules):
    """Import the peers' libraries now, so their import time is not counted as their run time."""
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def gradient_problem():
    rng = np.random.default_rng(0)
    return rng.standard_normal(SIZE).astype(np.float32), rng.standard_normal(SIZE).astype(np.float32)


# --------------------------------------------------------------------------- SGD with momentum


def sgd_inputs():
    warm_up("torch")
    param, grad = gradient_problem()
    buffer = grad / (1 - 0.9)  # the fixed point of b = 0.9 b + g
    return backend.to_device(param), backend.to_device(grad), backend.to_device(buffer), 0.01, 0.9


def torch_sgd(param, grad, buffer, lr, momentum):
    import torch

    p = torch.from_numpy(backend.asnumpy(param).copy())
    p.grad = torch.from_numpy(backend.asnumpy(grad))
    optimizer = torch.optim.SGD([p], lr=lr, momentum=momentum)
    optimizer.state[p]["momentum_buffer"] = torch.from_numpy(backend.asnumpy(buffer).copy())
    optimizer.step()
    return optimizer.state[p]["momentum_buffer"]


# --------------------------------------------------------------------------- Adam


def adam_inputs():
    warm_up("torch")
    param, grad = gradient_problem()
    m, v = grad.copy(), grad * grad  # the fixed points of both running means for a constant gradient
    return tuple(backend.to_device(a) for a in (param, grad, m, v)) + (1000, 1e-3)


def torch_adam(param, grad, exp_avg, exp_avg_sq, step, lr):
    import torch

    p = torch.from_numpy(backend.asnumpy(param).copy())
    p.grad = torch.from_numpy(backend.asnumpy(grad))
    optimizer = torch.optim.Adam([p], lr=lr)
    optimizer.state[p] = {"step": torch.tensor(float(step - 1)),
                          "exp_avg": torch.from_numpy(backend.asnumpy(exp_avg).copy()),
                          "exp_avg_sq": torch.from_numpy(backend.asnumpy(exp_avg_sq).copy())}
    optimizer.step()


# --------------------------------------------------------------------------- cosine schedule


def cosine_inputs():
    warm_up("torch")
    return 0.1, 0.001, 37, 100


def torch_cosine(base_lr, eta_min, step, T_max):
    import torch

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)
    for _ in range(step):
        optimizer.step()
        scheduler.step()
    return scheduler.get_last_lr()[0]


CASES = [
    Case(exercise="04.sgd_momentum_update", make_inputs=sgd_inputs, peers={"torch": torch_sgd},
         agreement="max_abs_diff"),
    Case(exercise="04.adam_update", make_inputs=adam_inputs, peers={"torch": torch_adam}, agreement="equal"),
    Case(exercise="04.cosine_annealing_lr", make_inputs=cosine_inputs, peers={"torch": torch_cosine},
         agreement="max_abs_diff"),
]
