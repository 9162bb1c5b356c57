"""Benchmark: minml's SVC and LinearSVC against scikit-learn's (libsvm and liblinear).

Run by hand, never by pytest::

    python bench/svm.py                        # all three cases (about five minutes)
    python bench/svm.py --skip-large           # without the 20,000-row SVC
    python bench/svm.py --json bench/results/svm-cpu.json

The questions, each answered with a ratio measured in one process on the same data:
scikit-learn's make_classification(n_features=20, n_informative=10, random_state=0),
standardised, the first 80 % of the rows to train on, the rest to test.

- SVC(C=1, kernel="rbf", gamma="scale") on 5,000 training rows: minml's fit <= 2x
  scikit-learn's, test accuracy within 0.5 percentage point (checked before timing).
- The same on 20,000 training rows: <= 2x scikit-learn's fit time, and the peak memory
  minml's fit allocates (tracemalloc, which sees NumPy's buffers) <= 1.5 GB. The full
  kernel would take 3.2 GB; the solver keeps a 200 MB LRU cache of rows instead.
- LinearSVC() (squared hinge, C=1; both pick the primal solver) on 100,000 x 50
  (n_features=50, n_informative=10): <= 2x scikit-learn's fit time, same accuracy.

Threads: libsvm and liblinear run on one core. minml's solvers lean on BLAS, so by
default BLAS is held to one thread too (``--blas-threads``), which compares the
algorithms core for core, and keeps a busy shared machine from making multithreaded
BLAS crawl. Method as in bench/autograd.py: competitors interleaved round by round,
the minimum per-call time reported; quote the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from bench.harness import (  # noqa: E402
    Row,
    environment_notes,
    make_target,
    peak_memory,
    print_summary,
    time_interleaved,
    write_json,
)
from minml import backend  # noqa: E402
from minml.svm import SVC, LinearSVC  # noqa: E402

ACCURACY_SLACK = 0.005  # 0.5 percentage point
MEMORY_LIMIT = 1.5e9  # bytes


def dataset(n_train: int, n_features: int = 20):
    """Standardised make_classification data: (X_train, y_train, X_test, y_test), 80 % of the rows to train."""
    from sklearn.datasets import make_classification

    n = n_train * 5 // 4
    X, y = make_classification(n_samples=n, n_features=n_features, n_informative=10, random_state=0)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def accuracy(model, X, y) -> float:
    return float(np.mean(backend.asnumpy(model.predict(X)) == y))


def compare(case: str, ours, theirs, data, target, rounds: int, notes: list[str]) -> Row:
    """Check test accuracies agree, then time both fits interleaved; a Row of the ratio."""
    X, y, X_test, y_test = data
    X_device = backend.to_device(X, target.device)
    mine, peer = ours().fit(X_device, y), theirs().fit(X, y)
    mine_accuracy = accuracy(mine, backend.to_device(X_test, target.device), y_test)
    peer_accuracy = accuracy(peer, X_test, y_test)
    notes.append(f"{case}: test accuracy minml {mine_accuracy:.4f}, scikit-learn {peer_accuracy:.4f}")
    print(notes[-1], flush=True)
    if abs(mine_accuracy - peer_accuracy) > ACCURACY_SLACK:
        raise SystemExit(f"{case}: accuracies differ by more than {ACCURACY_SLACK:.1%}; not timing")
    competitors = [("minml", lambda: ours().fit(X_device, y), None), ("sklearn", lambda: theirs().fit(X, y), None)]
    times = time_interleaved(competitors, target, rounds=rounds, batch_seconds=0.0)
    return Row(case, "sklearn", times["minml"], times["sklearn"], 2.0)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds per case (default 3)")
    parser.add_argument("--blas-threads", type=int, default=1, help="BLAS threads (default 1, as libsvm's one core)")
    parser.add_argument("--skip-large", action="store_true", help="skip the 20,000-row SVC (the slowest case)")
    parser.add_argument("--json", metavar="PATH", help="also write the rows and the run's notes to PATH as JSON")
    args = parser.parse_args(argv)
    from sklearn import svm
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    target = make_target("cpu")
    notes = environment_notes(None)
    rows = []
    with threadpool_limits(limits=args.blas_threads, user_api="blas"):
        notes.append(f"BLAS limited to {args.blas_threads} thread(s)")
        rows.append(compare("SVC rbf, 5,000 rows", SVC, svm.SVC, dataset(5_000), target, args.rounds, notes))
        if not args.skip_large:
            data = dataset(20_000)
            peak = peak_memory(lambda: SVC().fit(data[0], data[1]))
            notes.append(f"SVC rbf, 20,000 rows: minml's peak allocation {peak / 1e9:.2f} GB "
                         f"(limit {MEMORY_LIMIT / 1e9:.1f} GB): {'pass' if peak <= MEMORY_LIMIT else 'FAIL'}")
            print(notes[-1], flush=True)
            rows.append(compare("SVC rbf, 20,000 rows", SVC, svm.SVC, data, target, max(1, args.rounds - 2), notes))
        rows.append(compare("LinearSVC, 100,000 x 50", LinearSVC, svm.LinearSVC, dataset(100_000, 50), target,
                            args.rounds, notes))
    for line in notes:
        print(line)
    print_summary(rows, "min", started)
    if args.json:
        write_json(Path(args.json), rows, notes, device="cpu", stat="min", rounds=args.rounds,
                   blas_threads=args.blas_threads)


if __name__ == "__main__":
    main()
