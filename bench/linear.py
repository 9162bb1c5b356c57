"""Benchmark: minml's linear models (ridge, lasso, logistic regression) against scikit-learn's, fit time.

Run by hand, never by pytest::

    python bench/linear.py                      # CPU: NumPy arrays
    python bench/linear.py --device cuda        # minml on CuPy arrays, scikit-learn on the host
    python bench/linear.py --json bench/results/linear-cpu.json   # also save the rows

Each question is answered with a ratio (minml fit time / scikit-learn fit time), in one
process, float64, the data split 80 % train / 20 % test:

(a) Ridge on make_regression 100,000 x 100 (noise 10), alpha=1: minml's Cholesky solve of
    (XᵀX + αI) w = Xᵀy against scikit-learn's Ridge (its "auto" solver is also Cholesky
    for dense data). Target: <= 1.0x.

(b) Lasso on make_regression 10,000 x 200, 20 informative features (noise 10), alpha=0.5,
    default tol: minml's coordinate descent (Gram matrix, active set) against scikit-learn's
    coordinate descent (its Cython loop over the columns of X). Target: <= 3x.

(c) Binary logistic regression, C=1, on scikit-learn's make_classification(125,000 x 50,
    random_state=0): minml's default solver (Newton) against scikit-learn's default (lbfgs),
    both at their default tol=1e-4 on the same scale (the largest entry of the gradient of
    mean loss + ‖w‖²/(2·C·n)). Target: <= 0.5x at equal test accuracy (within 0.1
    percentage point). The data come from scikit-learn's generator: minml's
    make_classification(125,000, 50, random_state=0) happens to put each class's two
    clusters on opposite corners of the informative square (an XOR), where every linear
    model scores 50 %, which would measure nothing. Rows for information: minml's own
    lbfgs against scikit-learn's, and scikit-learn's "newton-cholesky" (minml's algorithm)
    against its lbfgs.

Before timing, every competitor is checked to agree with minml: the same coefficients
(to a tolerance that the solver's ``tol`` allows), for the lasso the same non-zero
support, and the same R² on the test rows to 1e-6. Then the fits are timed in interleaved
rounds and the minimum (or median) per-fit time reported (bench/harness.py).

Each case is one function in ``CASES`` taking (target, rounds, stat, show) and returning its
rows: adding a model to this benchmark is adding one function to that list.
"""

from __future__ import annotations

import sys
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
from minml.datasets import make_regression  # noqa: E402
from minml.linear import Lasso, LogisticRegression, Ridge  # noqa: E402

TRAIN_FRACTION = 0.8


def split(X, y):
    """The first 80 % of the rows to train on, the rest to test on (make_regression shuffles its rows)."""
    cut = int(TRAIN_FRACTION * len(X))
    return X[:cut], y[:cut], X[cut:], y[cut:]


def r2(y_true, y_pred) -> float:
    """R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², on the host."""
    return 1 - float(np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2))


def check_agreement(case: str, results: dict, coef_rtol: float, coef_atol: float, X_test, y_test, support=False):
    """Every competitor's coefficients (and support) and test R² must match minml's before timing."""
    (ref_label, (ref_coef, ref_pred)), *others = results.items()
    for label, (coef, pred) in others:
        if support and not np.array_equal(coef != 0, ref_coef != 0):
            raise SystemExit(
                f"{case}: {label} selects features {np.flatnonzero(coef).tolist()}, {ref_label} "
                f"{np.flatnonzero(ref_coef).tolist()}; not timing it"
            )
        if not np.allclose(coef, ref_coef, rtol=coef_rtol, atol=coef_atol):
            worst = np.abs(coef - ref_coef).max()
            raise SystemExit(f"{case}: {label} and {ref_label} coefficients differ by up to {worst:.3g}; not timing it")
        if abs(r2(y_test, pred) - r2(y_test, ref_pred)) > 1e-6:
            raise SystemExit(f"{case}: {label} and {ref_label} test R² differ; not timing it")


def compare_fits(case: str, target: Target, models: dict, X, y, rounds: int, stat, **tolerances) -> dict:
    """Check that the models (label -> (estimator, runs on target's device?)) agree, then time their fits."""
    X_train, y_train, X_test, y_test = split(X, y)
    on_device = {True: (target.put(X_train), target.put(y_train)), False: (X_train, y_train)}
    results, competitors = {}, []
    for label, (model, minml_side) in models.items():
        data = on_device[minml_side and target.device != "cpu"]
        model.fit(*data)
        test = target.put(X_test) if data is not on_device[False] else X_test
        results[label] = backend.asnumpy(model.coef_), backend.asnumpy(model.predict(test))
        competitors.append((label, lambda model=model, data=data: model.fit(*data), None))
    check_agreement(case, results, X_test=X_test, y_test=y_test, **tolerances)
    return time_interleaved(competitors, target, rounds, 0.05, stat, settle=0.2)


def ridge_case(target: Target, rounds: int, stat, show) -> list[Row]:
    """(a) Ridge, alpha=1, on 100,000 x 100."""
    from sklearn.linear_model import Ridge as SklearnRidge

    X, y = make_regression(100_000, 100, n_informative=100, noise=10.0, random_state=0)
    models = {"minml": (Ridge(alpha=1.0), True), "sklearn": (SklearnRidge(alpha=1.0), False)}
    times = compare_fits("ridge", target, models, X, y, rounds, stat, coef_rtol=1e-8, coef_atol=1e-8)
    return [Row("ridge 100000x100 fit", "sklearn", times["minml"], times["sklearn"], 1.0)]


def lasso_case(target: Target, rounds: int, stat, show) -> list[Row]:
    """(b) Lasso, alpha=0.5, on 10,000 x 200 with 20 informative features."""
    from sklearn.linear_model import Lasso as SklearnLasso

    X, y = make_regression(10_000, 200, n_informative=20, noise=10.0, random_state=0)
    models = {"minml": (Lasso(alpha=0.5), True), "sklearn": (SklearnLasso(alpha=0.5), False)}
    # both stop at a duality gap of tol·‖y‖²/n: the weights agree to about √tol of their size
    times = compare_fits("lasso", target, models, X, y, rounds, stat, coef_rtol=1e-3, coef_atol=1e-3, support=True)
    return [Row("lasso 10000x200 fit", "sklearn", times["minml"], times["sklearn"], 3.0)]


LOGISTIC_ROWS, LOGISTIC_FEATURES = 125_000, 50
ACCURACY_SLACK = 0.001  # 0.1 percentage point


def accuracy(model, X, y) -> float:
    return float(np.mean(backend.asnumpy(model.predict(X)) == y))


def logistic_case(target: Target, rounds: int, stat, show) -> list[Row]:
    """(c) LogisticRegression, C=1, on 125,000 x 50: minml's Newton against scikit-learn's lbfgs."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression

    X, y = make_classification(LOGISTIC_ROWS, LOGISTIC_FEATURES, random_state=0)
    X_train, y_train, X_test, y_test = split(X, y)
    X_minml, y_minml, X_test_minml = target.put(X_train), target.put(y_train), target.put(X_test)
    steps = {
        "minml": lambda: LogisticRegression().fit(X_minml, y_minml),
        "minml lbfgs": lambda: LogisticRegression(solver="lbfgs").fit(X_minml, y_minml),
        "sklearn": lambda: SklearnLogisticRegression().fit(X_train, y_train),
        "sklearn newton": lambda: SklearnLogisticRegression(solver="newton-cholesky").fit(X_train, y_train),
    }
    reference = accuracy(steps["sklearn"](), X_test, y_test)
    for label in ("minml", "minml lbfgs"):
        model = steps[label]()
        ours = accuracy(model, X_test_minml, y_test)
        iterations = backend.asnumpy(model.n_iter_)[0]
        show(f"{label}: test accuracy {ours:.5f} ({iterations} iterations), scikit-learn lbfgs {reference:.5f}")
        if abs(ours - reference) > ACCURACY_SLACK:
            raise SystemExit(f"{label}: test accuracy {ours:.5f} differs from scikit-learn's {reference:.5f}")
    competitors = [(label, step, None) for label, step in steps.items()]
    times = time_interleaved(competitors, target, rounds, 0.0, stat, settle=0.2)
    case = f"logistic {LOGISTIC_ROWS // 1000}k x {LOGISTIC_FEATURES} fit"
    return [
        Row(case, "sklearn", times["minml"], times["sklearn"], 0.5),
        Row("logistic fit, both lbfgs", "sklearn", times["minml lbfgs"], times["sklearn"], None),
        Row("sklearn newton-cholesky", "lbfgs", times["sklearn newton"], times["sklearn"], None),
    ]


CASES = [ridge_case, lasso_case, logistic_case]


def run(device: str = "cpu", rounds: int = 5, stat=min, show=print) -> list[Row]:
    target = make_target(device)
    for note in environment_notes(torch_or_none()):
        show(note)
    return [row for case in CASES for row in case(target, rounds, stat, show)]


def main(argv: list[str] | None = None) -> int:
    return bench_main(run, __doc__.splitlines()[0], rounds=5, argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
