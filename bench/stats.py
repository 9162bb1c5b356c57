"""Benchmark: minml.stats against SciPy (batched Welch t-tests) and NumPy's Generator (sampling).

Run by hand, never by pytest::

    python bench/stats.py                 # CPU: NumPy arrays
    python bench/stats.py --device cuda   # minml on CuPy arrays; SciPy and NumPy stay on the CPU
    python bench/stats.py --json bench/results/stats-cpu.json   # also save the rows

The question, per case, answered with ratios measured in one process on the same data:

(a) Welch's t-test of 1,000 column pairs of 10,000 rows each, in one vectorised call::

        minml.stats.ttest_ind(a, b, axis=0, equal_var=False)
        scipy.stats.ttest_ind(a, b, axis=0, equal_var=False)

    Target: time <= 1.0x SciPy's. Checked first: the same statistics, degrees of freedom and
    p-values (relative difference <= 1e-8).

(b) 10⁷ draws from Normal(0, 1), Gamma(2.5, 1) and Beta(2, 5)::

        minml.stats.Normal(0, 1).sample(10**7, random_state=seed)
        numpy.random.default_rng(seed).normal(0, 1, size=10**7)

    (and ``gamma`` / ``beta`` likewise). Target: time <= 1.2x NumPy's Generator. Checked first:
    both samples have the family's mean and variance (within 5 standard errors). On the CPU
    minml draws with NumPy's Generator itself, so one seed gives the very same numbers; with
    ``--device cuda`` the draws are made on the host and copied to the GPU (one seed, the same
    numbers on every device), and the copy is part of minml's time.

Method as in bench/autograd.py (whose harness this script shares): the competitors are first
checked to agree, then timed in interleaved rounds, the minimum per-call time reported. Quote
the ratios, never the absolute times: the machines are shared and noisy.
"""

from __future__ import annotations

import math
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
from minml.stats import Beta, Gamma, Normal, ttest_ind  # noqa: E402

TTEST_ROWS, TTEST_COLUMNS = 10_000, 1_000
SAMPLE_SIZE, SAMPLE_SEED = 10**7, 0


# --------------------------------------------------------------------------- (a) batched Welch t-tests


def welch_case(target: Target, rounds: int, stat, show) -> list[Row]:
    import scipy.stats

    rng = np.random.default_rng(0)
    a = rng.normal(0.0, 1.0, (TTEST_ROWS, TTEST_COLUMNS))
    b = rng.normal(0.02, 1.5, (TTEST_ROWS, TTEST_COLUMNS))  # unequal spreads: Welch's case
    a_minml, b_minml = target.put(a), target.put(b)
    steps = {
        "minml": lambda: ttest_ind(a_minml, b_minml, axis=0, equal_var=False),
        "scipy": lambda: scipy.stats.ttest_ind(a, b, axis=0, equal_var=False),
    }
    ours, theirs = steps["minml"](), steps["scipy"]()
    for field in ("statistic", "df", "pvalue"):
        mine, other = backend.asnumpy(getattr(ours, field)), np.asarray(getattr(theirs, field))
        if not np.allclose(mine, other, rtol=1e-8, atol=1e-300):
            worst = np.max(np.abs(mine - other) / np.abs(other))
            raise SystemExit(f"Welch t-test: minml's {field} differs from SciPy's (relative {worst:.2g}); not timing")
    show(f"Welch t-test: {TTEST_COLUMNS} tests; statistics, df and p-values agree with SciPy's to 1e-8 "
         f"({int((np.asarray(theirs.pvalue) < 0.05).sum())} p-values below 0.05)")
    times = time_interleaved([(label, step, None) for label, step in steps.items()], target, rounds, 0.0, stat)
    case = f"Welch t, {TTEST_COLUMNS} x {TTEST_ROWS // 1000}k rows"
    return [Row(case, "scipy", times["minml"], times["scipy"], 1.0)]


# --------------------------------------------------------------------------- (b) sampling


def sampling_case(target: Target, rounds: int, stat, show) -> list[Row]:
    put = lambda value: target.put(np.array(value))  # noqa: E731 (parameters on the target: draws land there)
    samplers = {  # name: (minml's distribution, NumPy's draw from a fresh Generator)
        "Normal(0, 1)": (Normal(put(0.0), put(1.0)), lambda g: g.normal(0.0, 1.0, size=SAMPLE_SIZE)),
        "Gamma(2.5, 1)": (Gamma(put(2.5), put(1.0)), lambda g: g.gamma(2.5, 1.0, size=SAMPLE_SIZE)),
        "Beta(2, 5)": (Beta(put(2.0), put(5.0)), lambda g: g.beta(2.0, 5.0, size=SAMPLE_SIZE)),
    }
    rows = []
    for name, (dist, numpy_draw) in samplers.items():
        steps = {
            "minml": lambda dist=dist: dist.sample(SAMPLE_SIZE, random_state=SAMPLE_SEED),
            "numpy": lambda draw=numpy_draw: draw(np.random.default_rng(SAMPLE_SEED)),
        }
        mean, var = backend.to_scalar(dist.mean()), backend.to_scalar(dist.var())
        for label, step in steps.items():
            draws = step()
            sample_mean, sample_var = backend.to_scalar(draws.mean()), backend.to_scalar(draws.var())
            tolerance = 5 * math.sqrt(var / SAMPLE_SIZE)
            if abs(sample_mean - mean) > tolerance or abs(sample_var - var) > 0.01 * var:
                raise SystemExit(f"{name}: {label}'s draws have mean {sample_mean:.5f} and variance {sample_var:.5f}, "
                                 f"not {mean:.5f} and {var:.5f}; not timing")
        same = np.array_equal(backend.asnumpy(steps["minml"]()), steps["numpy"]())
        show(f"{name}: both samples have mean {mean:.4f} and variance {var:.4f} (within 5 standard errors)"
             + ("; the same numbers from one seed" if same else ""))
        times = time_interleaved([(label, step, None) for label, step in steps.items()], target, rounds, 0.0, stat)
        rows.append(Row(f"sample 10^7 {name}", "numpy", times["minml"], times["numpy"], 1.2))
    return rows


CASES = [welch_case, sampling_case]


# --------------------------------------------------------------------------- run


def run(device: str = "cpu", rounds: int = 5, stat=min, show=print) -> list[Row]:
    target = make_target(device)
    for note in environment_notes(torch_or_none()):
        show(note)
    if device != "cpu":
        show("SciPy and NumPy run on the CPU (NumPy arrays); minml on the GPU.")
    rows = []
    for case in CASES:
        rows += case(target, rounds, stat, show)
    return rows


def main(argv: list[str] | None = None) -> int:
    return bench_main(run, __doc__.splitlines()[0], rounds=5, argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
