"""Benchmark: model evaluation in minml against SciPy (the bootstrap) and scikit-learn (cross-validation).

Run by hand, never by pytest::

    python bench/evaluation.py                 # CPU: NumPy arrays
    python bench/evaluation.py --device cuda   # minml on CuPy arrays; SciPy stays on the CPU (NumPy)
    python bench/evaluation.py --json bench/results/evaluation-cpu.json   # also save the rows

The question, per case, answered with ratios measured in one process on the same data:

(a) BCa bootstrap interval of the mean of 10,000 values (exponential, seed 0),
    9,999 resamples, 95%::

        minml.stats.bootstrap_ci((x,), mean, method="BCa", n_resamples=9999, random_state=1)
        scipy.stats.bootstrap((x,), np.mean, method="BCa", n_resamples=9999, rng=1)

    Targets: time <= 0.5x SciPy's, peak memory <= 1.5x SciPy's. SciPy draws all
    9,999 x 10,000 resample indices at once (and builds its jackknife the same way);
    minml draws them in batches of about 2**20 values, so its memory does not grow
    with the number of resamples. Peak memory is what :mod:`tracemalloc` sees during
    one call (NumPy reports its array allocations to it), each competitor measured
    alone in this process. With ``--device cuda`` minml's arrays live on the GPU, where
    tracemalloc cannot see them: the memory row then counts host memory only and is
    for information; SciPy's figures are always CPU figures.

(b) 5-fold cross-validated accuracy of logistic regression (C=1) on
    make_classification(40,000 x 20, random_state=0)::

        minml.model_selection.cross_val_score(minml LogisticRegression(), X, y, cv=5)
        sklearn.model_selection.cross_val_score(sklearn LogisticRegression(), X, y, cv=5)

    Both split into the same stratified folds; each library fits its own model (minml's
    Newton solver, scikit-learn's lbfgs). Target: time <= 1.0x scikit-learn's, the mean
    accuracies equal within 0.2 percentage points.

Every case is a function ``case(target, rounds, stat, show) -> (time rows, memory rows)``
listed in :data:`CASES`; another one (5-fold cross_val_score, say) is one more function.

Method as in bench/autograd.py (whose harness this script shares): the competitors are
first checked to agree (here: one seed gives both the same resamples, so the same
interval to rounding), then timed in interleaved rounds, the minimum per-call time
reported. Quote the ratios, never the absolute times: the machines are shared and noisy.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from bench.harness import (  # noqa: E402
    Row,
    Target,
    environment_notes,
    make_target,
    parse_arguments,
    peak_memory,
    print_summary,
    time_interleaved,
    torch_or_none,
    write_json,
)
from minml.stats import bootstrap_ci  # noqa: E402

BOOTSTRAP_N, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED = 10_000, 9_999, 1


# --------------------------------------------------------------------------- peak memory


@dataclass
class MemoryRow:
    """Peak traced memory of one call of minml and of its peer, in bytes."""

    case: str
    peer: str
    minml: int
    other: int
    target: float | None

    @property
    def ratio(self) -> float:
        return self.minml / self.other

    def verdict(self) -> str:
        if self.target is None:
            return "(for information)"
        return "pass" if self.ratio <= self.target else "FAIL: above target"


def print_memory(rows: list[MemoryRow]) -> None:
    header = f"{'case':<30}{'peer':<8}{'minml':>11}{'peer':>11}{'ratio':>9}{'target':>9}  note"
    print(header)
    print("-" * len(header))
    for row in rows:
        target = "-" if row.target is None else f"<={row.target:g}x"
        print(
            f"{row.case:<30}{row.peer:<8}{row.minml / 2**20:>7.1f} MiB{row.other / 2**20:>7.1f} MiB"
            f"{row.ratio:>8.3f}x{target:>9}  {row.verdict()}"
        )
    failed = sum(row.target is not None and row.ratio > row.target for row in rows)
    print(
        f"ratio = minml peak / peer peak (tracemalloc, one call each); {failed} of "
        f"{sum(row.target is not None for row in rows)} memory targets missed"
    )


# --------------------------------------------------------------------------- (a) the BCa bootstrap


def mean(x, axis=-1):
    return x.mean(axis=axis)


def bootstrap_case(target: Target, rounds: int, stat, show) -> tuple[list[Row], list[MemoryRow]]:
    import scipy.stats

    x = np.random.default_rng(0).exponential(size=BOOTSTRAP_N)
    x_minml = target.put(x)
    options = dict(method="BCa", n_resamples=BOOTSTRAP_RESAMPLES)
    steps = {
        "minml": lambda: bootstrap_ci((x_minml,), mean, random_state=BOOTSTRAP_SEED, **options),
        "scipy": lambda: scipy.stats.bootstrap((x,), np.mean, rng=BOOTSTRAP_SEED, **options),
    }
    ours, theirs = (np.array(steps[label]().confidence_interval) for label in ("minml", "scipy"))
    if not np.allclose(ours, theirs, rtol=1e-9, atol=0):
        raise SystemExit(f"bootstrap: minml's interval {ours} differs from scipy's {theirs}; not timing it")
    show(f"bootstrap: both give the BCa interval {ours.round(6).tolist()} (the same resamples from seed 1)")
    times = time_interleaved([(label, step, None) for label, step in steps.items()], target, rounds, 0.0, stat)
    case = f"BCa bootstrap, mean of {BOOTSTRAP_N:,}"
    peaks = {label: peak_memory(step) for label, step in steps.items()}
    return (
        [Row(case, "scipy", times["minml"], times["scipy"], 0.5)],
        [MemoryRow(case, "scipy", peaks["minml"], peaks["scipy"], 1.5 if target.device == "cpu" else None)],
    )


# --------------------------------------------------------------------------- (b) 5-fold cross-validation


CV_ROWS, CV_FEATURES, CV_FOLDS = 40_000, 20, 5


def cross_validation_case(target: Target, rounds: int, stat, show) -> tuple[list[Row], list[MemoryRow]]:
    from sklearn.linear_model import LogisticRegression as SklearnLogisticRegression
    from sklearn.model_selection import cross_val_score as sklearn_cross_val_score

    from minml.datasets import make_classification
    from minml.linear import LogisticRegression
    from minml.model_selection import cross_val_score

    X, y = make_classification(CV_ROWS, CV_FEATURES, random_state=0)
    X_minml, y_minml = target.put(X), target.put(y)
    steps = {
        "minml": lambda: cross_val_score(LogisticRegression(), X_minml, y_minml, cv=CV_FOLDS),
        "sklearn": lambda: sklearn_cross_val_score(SklearnLogisticRegression(), X, y, cv=CV_FOLDS),
    }
    ours, theirs = (float(np.mean(steps[label]())) for label in ("minml", "sklearn"))
    if abs(ours - theirs) > 0.002:
        raise SystemExit(f"cross-validation: minml's mean accuracy {ours:.4f} differs from scikit-learn's {theirs:.4f}")
    show(f"cross-validation: mean accuracy minml {ours:.4f}, scikit-learn {theirs:.4f}")
    times = time_interleaved([(label, step, None) for label, step in steps.items()], target, rounds, 0.0, stat)
    case = f"{CV_FOLDS}-fold CV, logistic {CV_ROWS // 1000}k x {CV_FEATURES}"
    return [Row(case, "sklearn", times["minml"], times["sklearn"], 1.0)], []


CASES = [bootstrap_case, cross_validation_case]


# --------------------------------------------------------------------------- run


def run(device: str = "cpu", rounds: int = 5, stat=min, show=print) -> tuple[list[Row], list[MemoryRow]]:
    target = make_target(device)
    for note in environment_notes(torch_or_none()):
        show(note)
    if device != "cpu":
        show("SciPy runs on the CPU (NumPy arrays); minml on the GPU. Memory rows count host memory only.")
    rows, memory = [], []
    for case in CASES:
        time_rows, memory_rows = case(target, rounds, stat, show)
        rows += time_rows
        memory += memory_rows
    return rows, memory


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv, __doc__.splitlines()[0], rounds=5)
    start = time.perf_counter()
    stat = min if args.stat == "min" else statistics.median
    notes = []
    rows, memory = run(args.device, args.rounds, stat, show=lambda line: (print(line), notes.append(line)))
    if args.json:
        peaks = [
            {
                "case": r.case,
                "peer": r.peer,
                "minml_bytes": r.minml,
                "peer_bytes": r.other,
                "ratio": r.ratio,
                "target": r.target,
                "verdict": r.verdict(),
            }
            for r in memory
        ]
        write_json(
            Path(args.json), rows, notes, device=args.device, stat=args.stat, rounds=args.rounds, peak_memory=peaks
        )
    print_summary(rows, args.stat, start)
    print()
    print_memory(memory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
