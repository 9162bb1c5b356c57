"""`minml compare 08`: your tree functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs on the default device (MINML_DEVICE). The peers
work on the host, so when minml runs on a GPU their times include copying the inputs there:

* the Gini impurity of 200,000 nodes of five classes against NumPy and PyTorch;
* the Newton leaf values of 1,000,000 leaves against NumPy and PyTorch;
* the best split of one feature of 100,000 samples (three classes, weighted) against a scikit-learn
  stump, ``DecisionTreeClassifier(max_depth=1)``, which sorts and sweeps the same candidates.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("sklearn.tree", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)


def class_weights():
    """200,000 nodes × 5 classes of weighted counts, some classes absent, a few empty nodes."""
    rng = np.random.default_rng(0)
    W = rng.poisson(3.0, (200_000, 5)) * rng.uniform(0.5, 2.0, (200_000, 5))
    W[:100] = 0.0
    return (backend.to_device(W),)


def numpy_gini(W):
    W = backend.asnumpy(W)
    total = W.sum(axis=1)
    p = W / np.maximum(total, 1e-300)[:, None]
    return np.where(total > 0, 1.0 - (p**2).sum(axis=1), 0.0)


def torch_gini(W):
    import torch

    W = torch.from_numpy(backend.asnumpy(W))
    total = W.sum(dim=1)
    p = W / total.clamp_min(1e-300)[:, None]
    return torch.where(total > 0, 1.0 - (p**2).sum(dim=1), 0.0).numpy()


def gradient_and_hessian_sums():
    """1,000,000 leaves: gradient sums of either sign, positive hessian sums, λ = 1."""
    rng = np.random.default_rng(1)
    return (backend.to_device(rng.normal(0.0, 20.0, 1_000_000)),
            backend.to_device(rng.gamma(2.0, 10.0, 1_000_000)), 1.0)


def numpy_newton(G, H, reg_lambda):
    return -backend.asnumpy(G) / (backend.asnumpy(H) + reg_lambda)


def torch_newton(G, H, reg_lambda):
    import torch

    return (-torch.from_numpy(backend.asnumpy(G)) / (torch.from_numpy(backend.asnumpy(H)) + reg_lambda)).numpy()


def one_feature():
    """100,000 samples of one float32-exact feature (scikit-learn's trees work in float32), 3 classes, weights."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=100_000).astype(np.float32).astype(np.float64)
    y = (x + rng.normal(0.0, 1.0, x.size) > 0.3).astype(np.int64) + (x > 1.5)
    return backend.to_device(x), backend.to_device(y), 3, backend.to_device(rng.uniform(0.5, 2.0, x.size))


def sklearn_stump(x, y, n_classes, sample_weight):
    from sklearn.tree import DecisionTreeClassifier

    stump = DecisionTreeClassifier(max_depth=1).fit(backend.asnumpy(x)[:, None], backend.asnumpy(y),
                                                    sample_weight=backend.asnumpy(sample_weight)).tree_
    W, impurity = stump.weighted_n_node_samples, stump.impurity
    return float(stump.threshold[0]), float(impurity[0] - (W[1] * impurity[1] + W[2] * impurity[2]) / W[0])


CASES = [
    Case(exercise="08.gini_impurity", make_inputs=class_weights,
         peers={"numpy": numpy_gini, "torch": torch_gini}, agreement="max_abs_diff"),
    Case(exercise="08.newton_leaf_value", make_inputs=gradient_and_hessian_sums,
         peers={"numpy": numpy_newton, "torch": torch_newton}, agreement="max_abs_diff"),
    Case(exercise="08.best_threshold", make_inputs=one_feature,
         peers={"sklearn": sklearn_stump}, agreement="max_abs_diff"),
]
