"""`minml compare 01`: your functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs, on the default device (MINML_DEVICE); the
table shows how closely each agrees with the reference and how long it took. The peers:

* topological order: Python's own ``graphlib.TopologicalSorter`` on the same graph. The graph,
  a chain of residual blocks, has exactly one topological order, so every correct
  implementation agrees exactly;
* unbroadcast: PyTorch's ``Tensor.sum_to_size``, the same operation in PyTorch's engine (its time
  includes copying the gradient to the host when minml runs on a GPU). In float32, sums of 32,768
  numbers added in another order differ in their last digits: about 1e-4 on sums of size 100;
* numerical gradient: PyTorch's autograd, the exact gradient, shows how close central differences
  get (about 1e-9); SciPy's ``approx_fprime``, a one-sided difference, shows how much closer
  that is than a forward difference (about 1e-7).
"""

import contextlib
import importlib

import numpy as np

import minml
from minml import backend
from minml.grading.compare import Case


def warm_up(*modules):
    """Import the peers' libraries now, so their import time is not counted as their run time."""
    for name in modules:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


# --------------------------------------------------------------------------- topological order


def residual_network(blocks=2_000):
    """The graph of h ← h + tanh(h / 2) repeated: 6,001 nodes, diamonds everywhere, one valid order."""
    x = minml.tensor(np.linspace(-1.0, 1.0, 8), requires_grad=True)
    h = x
    for _ in range(blocks):
        h = h + (h * 0.5).tanh()
    return (h,)


def graphlib_order(root):
    """The standard library's topological sort, given each node's tensor inputs (by id)."""
    from graphlib import TopologicalSorter

    tensors, graph, stack = {id(root): root}, {}, [root]
    while stack:
        node = stack.pop()
        inputs = [] if node.grad_fn is None else [
            t for t in node.grad_fn.inputs if isinstance(t, minml.Tensor) and t.requires_grad
        ]
        graph[id(node)] = [id(t) for t in inputs]
        for t in inputs:
            if id(t) not in tensors:
                tensors[id(t)] = t
                stack.append(t)
    return [tensors[key] for key in TopologicalSorter(graph).static_order()]


# --------------------------------------------------------------------------- unbroadcast


def conv_bias_gradient():
    """dL/dY of a batch of 128 feature maps (64 channels, 16 x 16), summed back to a bias (64, 1, 1)."""
    warm_up("torch")
    grad = np.random.default_rng(0).standard_normal((128, 64, 16, 16)).astype(np.float32)
    return backend.to_device(grad), (64, 1, 1)


def torch_sum_to_size(grad, shape):
    import torch

    return torch.from_numpy(backend.asnumpy(grad)).sum_to_size(shape)


# --------------------------------------------------------------------------- numerical gradient

WEIGHTS = np.random.default_rng(1).standard_normal((40, 200)) / 10


def tanh_layer_loss():
    """f = Σ tanh(A x) for x of 200 elements: 400 evaluations for a central-difference gradient."""
    warm_up("torch", "scipy.optimize")
    A = minml.tensor(WEIGHTS)
    x = minml.tensor(np.random.default_rng(2).standard_normal(200))
    return (lambda: (A @ x).tanh().sum().item()), x


def torch_autograd(f, x):
    """The exact gradient of the same f, from PyTorch's reverse mode."""
    import torch

    point = torch.tensor(x.numpy(), requires_grad=True)
    torch.tanh(torch.from_numpy(WEIGHTS) @ point).sum().backward()
    return point.grad


def scipy_forward_difference(f, x):
    """SciPy's approx_fprime: (f(x + ε eᵢ) - f(x)) / ε, with f evaluated at a vector it is given."""
    from scipy.optimize import approx_fprime

    original = x.data.copy()

    def at(values):
        x.data[...] = backend.to_device(values, x.device)
        return f()

    gradient = approx_fprime(x.numpy(), at)
    x.data[...] = original
    return gradient


CASES = [
    Case(
        exercise="01.topological_order",
        make_inputs=residual_network,
        peers={"graphlib": graphlib_order},
        agreement="equal",
    ),
    Case(
        exercise="01.unbroadcast",
        make_inputs=conv_bias_gradient,
        peers={"torch": torch_sum_to_size},
        agreement="max_abs_diff",
    ),
    Case(
        exercise="01.numerical_gradient",
        make_inputs=tanh_layer_loss,
        peers={"torch": torch_autograd, "scipy": scipy_forward_difference},
        agreement="max_abs_diff",
    ),
]
