"""`minml compare 09`: your SVM functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs on the default device (MINML_DEVICE). The peers
work on the host, so when minml runs on a GPU their times include copying the inputs there:

* the rbf kernel matrix of 3,000 × 2,000 points in 20 dimensions against scikit-learn's
  ``rbf_kernel``, SciPy's ``cdist`` and PyTorch's ``cdist``;
* one SMO pair update against Platt's own formulation (1998): the new αⱼ clipped to the bounds
  L and H, then αᵢ moved to keep Σ yₖαₖ (plain Python, like the reference: a step is a few
  float operations, and its time is mostly the cost of calling a Python function);
* one Pegasos step on a batch of 1,024 samples with 100 features against NumPy and against
  PyTorch's autograd: the gradient of λ/2‖w‖² + mean hinge loss, a step of 1/(λt), the projection.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("sklearn.metrics.pairwise", "scipy.spatial.distance", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


def two_clouds():
    rng = np.random.default_rng(0)
    return backend.to_device(rng.normal(size=(3000, 20))), backend.to_device(rng.normal(size=(2000, 20))), 0.05


def sklearn_rbf(X, Y, gamma):
    from sklearn.metrics.pairwise import rbf_kernel

    return rbf_kernel(backend.asnumpy(X), backend.asnumpy(Y), gamma=gamma)


def scipy_cdist(X, Y, gamma):
    from scipy.spatial.distance import cdist

    return np.exp(-gamma * cdist(backend.asnumpy(X), backend.asnumpy(Y), "sqeuclidean"))


def torch_cdist(X, Y, gamma):
    import torch

    distances = torch.cdist(torch.from_numpy(backend.asnumpy(X)), torch.from_numpy(backend.asnumpy(Y)))
    return torch.exp(-gamma * distances**2).numpy()


def a_pair():
    """αᵢ = 0.3 (yᵢ = +1) and αⱼ = 0.9 (yⱼ = −1) in boxes [0, 1]; the free step b / a = 1.2 is clipped to 0.1."""
    return 0.3, 0.9, 1.0, -1.0, 1.0, 1.0, 0.6, 0.5


def platt_1998(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    """Platt's update with the roles named his way: α₂ = αⱼ (moved first), α₁ = αᵢ, η = a, E₁ − E₂ = −b."""
    s = y_i * y_j
    if y_i != y_j:
        low, high = max(0.0, alpha_j - alpha_i), min(C_j, C_i + alpha_j - alpha_i)
    else:
        low, high = max(0.0, alpha_i + alpha_j - C_i), min(C_j, alpha_i + alpha_j)
    new_j = min(max(alpha_j - y_j * b / max(a, 1e-12), low), high)
    return alpha_i + s * (alpha_j - new_j), new_j


def a_batch():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(1024, 100))
    y = np.where(X[:, 0] + 0.5 * rng.normal(size=1024) > 0, 1.0, -1.0)
    w = rng.normal(scale=0.1, size=100)
    return backend.to_device(w), backend.to_device(X), backend.to_device(y), 1e-3, 17


def numpy_pegasos(w, X_batch, y_batch, lam, t):
    w, X, y = (backend.asnumpy(a) for a in (w, X_batch, y_batch))
    eta = 1.0 / (lam * t)
    inside = y * (X @ w) < 1
    w = (1 - eta * lam) * w + eta / len(X) * (y[inside] @ X[inside])
    return w * min(1.0, 1.0 / np.sqrt(lam) / np.linalg.norm(w))


def torch_autograd_pegasos(w, X_batch, y_batch, lam, t):
    import torch

    w = torch.tensor(backend.asnumpy(w), requires_grad=True)
    X, y = torch.from_numpy(backend.asnumpy(X_batch)), torch.from_numpy(backend.asnumpy(y_batch))
    objective = lam / 2 * (w @ w) + torch.relu(1 - y * (X @ w)).mean()  # relu'(0) = 0: on the margin, no pull
    objective.backward()
    with torch.no_grad():
        w = w - w.grad / (lam * t)
        return (w * torch.clamp(1 / (lam**0.5 * torch.linalg.vector_norm(w)), max=1.0)).numpy()


CASES = [
    Case(exercise="09.rbf_kernel", make_inputs=two_clouds,
         peers={"sklearn": sklearn_rbf, "scipy": scipy_cdist, "torch": torch_cdist}, agreement="max_abs_diff"),
    Case(exercise="09.smo_pair_update", make_inputs=a_pair, peers={"platt (1998)": platt_1998},
         agreement="max_abs_diff"),
    Case(exercise="09.pegasos_step", make_inputs=a_batch,
         peers={"numpy": numpy_pegasos, "torch": torch_autograd_pegasos}, agreement="max_abs_diff"),
]
