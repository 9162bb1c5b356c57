"""Benchmark: minml's decision tree, random forest and gradient boosting against scikit-learn, fit time and memory.

Run by hand, never by pytest::

    python bench/trees.py                      # CPU: NumPy arrays
    python bench/trees.py --device cuda        # minml on CuPy arrays, scikit-learn on the host
    python bench/trees.py --json bench/results/trees-cpu.json   # also save the rows

Data: scikit-learn's make_classification(n_samples, n_features=20, n_informative=10,
random_state=0), the first 80 % of the rows to train on, the rest to test on; float64.
Each question is a ratio (minml fit time / scikit-learn fit time) in one process:

(a) DecisionTreeClassifier(max_depth=12) on 100,000 rows against scikit-learn's
    DecisionTreeClassifier(max_depth=12). Target: <= 1.0x, test accuracy >= scikit-learn's - 0.5 pp.
(b) RandomForestClassifier(50 trees, max_depth=12, n_jobs=1) on 20,000 rows against
    scikit-learn's with the same settings. Target: <= 1.0x, accuracy >= scikit-learn's - 0.5 pp.
(c) GradientBoostingClassifier(100 rounds) on 100,000 rows against scikit-learn's
    HistGradientBoostingClassifier(max_iter=100, early_stopping=False), minml configured
    with HistGradientBoosting's defaults (31 leaves, min_samples_leaf=20, no L2, learning
    rate 0.1, 255 bins). Target: <= 2.0x, accuracy >= scikit-learn's - 0.5 pp.
    HistGradientBoosting uses its OpenMP threads (all cores); minml one Python thread.
    For information, the bincount floor (:func:`bincount_floor`): only the bincounts
    that minml's fitted trees needed, on prepared keys, against minml and against
    HistGradientBoosting: no NumPy booster counting those histograms goes below it.

Before timing, each competitor's test accuracy is checked against the target's slack;
then the fits are timed in interleaved rounds, the minimum (or median) reported
(bench/harness.py). Memory: tracemalloc's peak while minml fits, minus what the fitted
model keeps, against the size of the training X. Target: <= 2x X.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from bench.harness import (  # noqa: E402
    Row,
    Target,
    bench_main,
    environment_notes,
    make_target,
    time_interleaved,
    torch_or_none,
)
from minml import backend  # noqa: E402
from minml.ensemble import GradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from minml.tree import DecisionTreeClassifier  # noqa: E402
from minml.tree.histogram import BLOCK_CELLS  # noqa: E402

TRAIN_FRACTION = 0.8
ACCURACY_SLACK = 0.005  # 0.5 percentage point
MEMORY_TARGET = 2.0  # peak extra memory while fitting, in units of X's size
HGB_DEFAULTS = {"max_depth": None, "max_leaf_nodes": 31, "min_samples_leaf": 20, "reg_lambda": 0.0,
                "min_child_weight": 1e-3, "learning_rate": 0.1, "max_bins": 255}


def data(n_samples: int):
    """make_classification(n_samples, 20 features, 10 informative), split 80 / 20."""
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples, n_features=20, n_informative=10, random_state=0)
    cut = int(TRAIN_FRACTION * n_samples)
    return X[:cut], y[:cut], X[cut:], y[cut:]


def extra_memory(fit, X_size: int) -> float:
    """Peak traced memory during ``fit()`` minus what stays allocated after it (the model), over X's size."""
    tracemalloc.start()
    model = fit()
    _, peak = tracemalloc.get_traced_memory()
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del model
    return (peak - kept) / X_size


def compare(case: str, target: Target, minml_model, sklearn_model, n_samples: int, time_target: float, rounds: int,
            stat, show) -> list[Row]:
    """Check accuracies, then time the two fits interleaved, then measure minml's memory."""
    X_train, y_train, X_test, y_test = data(n_samples)
    X_device, y_device, X_test_device = target.put(X_train), target.put(y_train), target.put(X_test)
    ours = float(np.mean(backend.asnumpy(minml_model.fit(X_device, y_device).predict(X_test_device)) == y_test))
    theirs = float(sklearn_model.fit(X_train, y_train).score(X_test, y_test))
    show(f"{case}: test accuracy minml {ours:.4f}, scikit-learn {theirs:.4f}")
    if ours < theirs - ACCURACY_SLACK:
        raise SystemExit(f"{case}: minml's accuracy {ours:.4f} is below scikit-learn's {theirs:.4f} - 0.5 pp")
    competitors = [("minml", lambda: minml_model.fit(X_device, y_device), None),
                   ("sklearn", lambda: sklearn_model.fit(X_train, y_train), None)]
    times = time_interleaved(competitors, target, rounds, 0.0, stat, settle=0.2)
    if target.device == "cpu":
        memory = extra_memory(lambda: minml_model.fit(X_device, y_device), X_train.nbytes)
        verdict = "pass" if memory <= MEMORY_TARGET else "FAIL: above target"
        show(f"{case}: peak extra memory while fitting {memory:.2f}x X ({X_train.nbytes / 2**20:.1f} MiB), "
             f"target <= {MEMORY_TARGET:g}x: {verdict}")
    return [Row(case, "sklearn", times["minml"], times["sklearn"], time_target)]


def tree_case(target: Target, rounds: int, stat, show) -> list[Row]:
    """(a) one tree, max_depth=12, 100,000 rows."""
    from sklearn.tree import DecisionTreeClassifier as SklearnTree

    return compare("tree depth 12, 100k rows", target, DecisionTreeClassifier(max_depth=12),
                   SklearnTree(max_depth=12, random_state=0), 100_000, 1.0, rounds, stat, show)


def forest_case(target: Target, rounds: int, stat, show) -> list[Row]:
    """(b) 50 trees, max_depth=12, 20,000 rows, one job."""
    from sklearn.ensemble import RandomForestClassifier as SklearnForest

    return compare("forest 50 trees, 20k rows", target,
                   RandomForestClassifier(50, max_depth=12, n_jobs=1, random_state=0),
                   SklearnForest(50, max_depth=12, n_jobs=1, random_state=0), 20_000, 1.0, rounds, stat, show)


def boosting_case(target: Target, rounds: int, stat, show) -> list[Row]:
    """(c) 100 boosting rounds, 100,000 rows, against HistGradientBoosting; then the bincount floor."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    case = "boosting 100 rounds, 100k"
    model = GradientBoostingClassifier(n_estimators=100, **HGB_DEFAULTS)
    hgb = HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)
    rows = compare(case, target, model, hgb, 100_000, 2.0, rounds, stat, show)
    if target.device != "cpu":
        return rows
    X_train, y_train = data(100_000)[:2]
    floor = bincount_floor(model, X_train.shape[1])
    times = time_interleaved([("floor", floor, None), ("sklearn", lambda: hgb.fit(X_train, y_train), None)],
                             target, rounds, 0.0, stat, settle=0.2)
    return rows + [Row(case, "floor", rows[0].minml, times["floor"], None),
                   Row("bincount floor of those trees", "sklearn", times["floor"], times["sklearn"], None)]


def bincount_floor(model, n_features: int):
    """The least a NumPy histogram booster must count for ``model``'s trees: a step that runs only its bincounts.

    With histogram subtraction a tree counts its root's rows, then at each split only the smaller
    child's; every counted row adds one key per feature to three channels (gradient, hessian,
    count), one ``np.bincount`` pass each, over blocks of keys that stay in the cache (as minml
    counts them). The keys and weights are prepared beforehand, so the step times nothing but those
    passes: the floor of any implementation that counts the same histograms with NumPy's bincount.
    """
    p, counted = n_features, []
    for (tree,) in model.estimators_:
        left, right, size = (backend.asnumpy(a) for a in (tree.children_left, tree.children_right,
                                                         tree.n_node_samples))
        internal = left >= 0
        counted.append(int(size[0] + np.minimum(size[left[internal]], size[right[internal]]).sum()))
    rng = np.random.default_rng(0)
    keys = (rng.integers(0, 256, (max(counted), p)) + 256 * np.arange(p)).reshape(-1)
    weights = rng.standard_normal(keys.shape[0])

    def step():
        for rows in counted:
            for start in range(0, rows * p, BLOCK_CELLS):
                block = slice(start, min(start + BLOCK_CELLS, rows * p))
                for channel in (weights, weights, None):
                    np.bincount(keys[block], weights=None if channel is None else channel[block], minlength=256 * p)

    return step


CASES = [tree_case, forest_case, boosting_case]


def run(device: str = "cpu", rounds: int = 3, stat=min, show=print) -> list[Row]:
    target = make_target(device)
    for note in environment_notes(torch_or_none()):
        show(note)
    return [row for case in CASES for row in case(target, rounds, stat, show)]


def main(argv: list[str] | None = None) -> int:
    return bench_main(run, __doc__.splitlines()[0], rounds=3, argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
