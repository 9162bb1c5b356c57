"""`minml compare 06`: your evaluation functions beside minml's reference and the libraries that do the same job.

Every implementation gets the same seeded inputs, on the default device (MINML_DEVICE) for yours and
minml's; the peers get host copies (their time includes that copy when minml runs on a GPU).

* stratified k-fold: 200,000 labels of three classes (70%, 25%, 5%), 5 folds, against the test fold
  of each sample by ``sklearn.model_selection.StratifiedKFold`` (the same folds: "equal");
* ROC AUC with ties: 200,000 scores rounded to two decimals (about 100 distinct values, so nearly every
  score is tied), against ``sklearn.metrics.roc_auc_score`` (from the ROC curve's trapezoids) and the
  Mann–Whitney U of ``scipy.stats.mannwhitneyu`` divided by P·N;
* percentile interval: 9,999 bootstrap means, against ``numpy.quantile`` and ``torch.quantile``.
"""

import contextlib
import importlib

import numpy as np

from minml import backend
from minml.grading.compare import Case

# Import the peers now, where installed, so that their import time is not counted as their run time.
for module in ("scipy.stats", "sklearn.metrics", "sklearn.model_selection", "torch"):
    with contextlib.suppress(ImportError):
        importlib.import_module(module)

SIZE = 200_000


# --------------------------------------------------------------------------- stratified k-fold


def imbalanced_labels():
    labels = np.random.default_rng(0).choice(np.array([2, 0, 1]), size=SIZE, p=[0.7, 0.25, 0.05])
    return backend.to_device(labels), 5


def sklearn_stratified_kfold(y, n_splits):
    from sklearn.model_selection import StratifiedKFold

    y = backend.asnumpy(y)
    folds = np.empty(len(y), dtype=np.int64)
    for fold, (_, test) in enumerate(StratifiedKFold(n_splits).split(np.zeros((len(y), 1)), y)):
        folds[test] = fold
    return folds


# --------------------------------------------------------------------------- ROC AUC with ties


def tied_scores():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, SIZE)
    y_score = np.round(1 / (1 + np.exp(-rng.normal(1.2 * y_true - 0.6, 1.0))), 2)  # probabilities to 2 decimals
    return backend.to_device(y_true), backend.to_device(y_score)


def sklearn_roc_auc(y_true, y_score):
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(backend.asnumpy(y_true), backend.asnumpy(y_score))


def scipy_mann_whitney(y_true, y_score):
    from scipy.stats import mannwhitneyu

    y_true, y_score = backend.asnumpy(y_true), backend.asnumpy(y_score)
    positives, negatives = y_score[y_true == 1], y_score[y_true == 0]
    return mannwhitneyu(positives, negatives).statistic / (len(positives) * len(negatives))


# --------------------------------------------------------------------------- percentile interval


def bootstrap_means():
    rng = np.random.default_rng(2)
    x = rng.exponential(size=500)
    theta_star = x[rng.integers(0, x.size, (9999, x.size))].mean(axis=1)
    return backend.to_device(theta_star), 0.95


def numpy_quantiles(theta_star, confidence_level):
    alpha = (1 - confidence_level) / 2
    return tuple(np.quantile(backend.asnumpy(theta_star), [alpha, 1 - alpha]).tolist())


def torch_quantiles(theta_star, confidence_level):
    import torch

    alpha = (1 - confidence_level) / 2
    levels = torch.tensor([alpha, 1 - alpha], dtype=torch.float64)
    return tuple(torch.quantile(torch.from_numpy(backend.asnumpy(theta_star)), levels).tolist())


CASES = [
    Case(exercise="06.stratified_kfold_test_folds", make_inputs=imbalanced_labels,
         peers={"sklearn": sklearn_stratified_kfold}, agreement="equal"),
    Case(exercise="06.roc_auc_with_ties", make_inputs=tied_scores,
         peers={"sklearn": sklearn_roc_auc, "scipy": scipy_mann_whitney}, agreement="max_abs_diff"),
    Case(exercise="06.percentile_interval", make_inputs=bootstrap_means,
         peers={"numpy": numpy_quantiles, "torch": torch_quantiles}, agreement="max_abs_diff"),
]
