"""`minml compare 05`: your linear-model functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs on the default device (MINML_DEVICE). The peers
work on the host, so when minml runs on a GPU their times include copying the inputs there:

* the ridge weights for 20,000 samples × 200 correlated features against NumPy's
  ``linalg.solve``, SciPy's Cholesky-based ``linalg.solve(assume_a="pos")`` and
  scikit-learn's ``Ridge(solver="cholesky", fit_intercept=False)``;
* soft thresholding of a million values against NumPy and PyTorch's ``softshrink``;
* the logistic loss, gradient and Hessian on 50,000 samples × 40 features (and an intercept
  column) against the formulas in NumPy and PyTorch's automatic differentiation
  (``binary_cross_entropy_with_logits``, its gradient, and ``torch.autograd.functional.hessian``).
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("scipy.linalg", "sklearn.linear_model", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


def ridge_problem():
    """20,000 × 200 correlated, centred features, a noisy linear target, and α = 10."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 200)) @ (np.eye(200) + 0.3 * rng.normal(size=(200, 200)) / np.sqrt(200))
    X -= X.mean(axis=0)
    y = X @ rng.normal(size=200) + rng.normal(0.0, 5.0, 20_000)
    return backend.to_device(X), backend.to_device(y - y.mean()), 10.0


def numpy_ridge(X, y, alpha):
    X, y = backend.asnumpy(X), backend.asnumpy(y)
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


def scipy_ridge(X, y, alpha):
    from scipy import linalg

    X, y = backend.asnumpy(X), backend.asnumpy(y)
    return linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y, assume_a="pos")


def sklearn_ridge(X, y, alpha):
    from sklearn.linear_model import Ridge

    return Ridge(alpha=alpha, fit_intercept=False, solver="cholesky").fit(backend.asnumpy(X), backend.asnumpy(y)).coef_


def values_and_threshold():
    """A million values, half of them within the threshold γ = 0.5."""
    return backend.to_device(np.random.default_rng(1).laplace(size=1_000_000)), 0.5


def numpy_soft_threshold(z, gamma):
    z = backend.asnumpy(z)
    return np.sign(z) * np.maximum(np.abs(z) - gamma, 0.0)


def torch_softshrink(z, gamma):
    import torch

    return torch.nn.functional.softshrink(torch.from_numpy(backend.asnumpy(z)), gamma).numpy()


def logistic_problem():
    """Weights near the solution on 50,000 × 40 standardized features plus a column of ones (unpenalised)."""
    rng = np.random.default_rng(2)
    X = np.column_stack([rng.normal(size=(50_000, 40)), np.ones(50_000)])
    w_true = rng.normal(size=41) / 3
    y = (rng.random(50_000) < 1 / (1 + np.exp(-X @ w_true))).astype(np.float64)
    w = w_true + rng.normal(0.0, 0.05, 41)
    alpha = np.ones(41)
    alpha[-1] = 0.0
    return backend.to_device(w), backend.to_device(X), backend.to_device(y), backend.to_device(alpha)


def numpy_logistic(w, X, y, alpha):
    w, X, y, alpha = (backend.asnumpy(a) for a in (w, X, y, alpha))
    z = X @ w
    p = 0.5 * (1 + np.tanh(0.5 * z))
    loss = np.logaddexp(0.0, z).sum() - y @ z + 0.5 * alpha @ (w * w)
    return loss, X.T @ (p - y) + alpha * w, (X * (p * (1 - p))[:, None]).T @ X + np.diag(alpha)


def torch_autograd_logistic(w, X, y, alpha):
    import torch
    from torch.nn.functional import binary_cross_entropy_with_logits

    X, y, alpha = (torch.from_numpy(backend.asnumpy(a)) for a in (X, y, alpha))

    def loss_of(v):
        return binary_cross_entropy_with_logits(X @ v, y, reduction="sum") + 0.5 * (alpha * v * v).sum()

    v = torch.from_numpy(backend.asnumpy(w)).requires_grad_()
    loss = loss_of(v)
    (grad,) = torch.autograd.grad(loss, v)
    hess = torch.autograd.functional.hessian(loss_of, v.detach())
    return loss.detach().numpy(), grad.numpy(), hess.numpy()


CASES = [
    Case(exercise="05.ridge_solution", make_inputs=ridge_problem,
         peers={"numpy": numpy_ridge, "scipy": scipy_ridge, "sklearn": sklearn_ridge}, agreement="max_abs_diff"),
    Case(exercise="05.soft_threshold", make_inputs=values_and_threshold,
         peers={"numpy": numpy_soft_threshold, "torch": torch_softshrink}, agreement="max_abs_diff"),
    Case(exercise="05.logistic_loss_grad_hess", make_inputs=logistic_problem,
         peers={"numpy": numpy_logistic, "torch": torch_autograd_logistic}, agreement="max_abs_diff"),
]
