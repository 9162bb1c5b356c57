"""What every benchmark in bench/ shares: the peers' environment, interleaved timing, the report.

A benchmark script defines its cases and competitors (a label, a step to time, and
a result to check), then calls :func:`time_interleaved` and reports :class:`Row`
ratios with :func:`print_summary` (and :func:`write_json` for the docs). The method
(DESIGN.md §6) is described in bench/autograd.py's docstring: every competitor is
first checked to compute the same numbers, then timed in interleaved rounds, the
minimum per-call time reported, the machine's thread pools matched between NumPy's
BLAS and PyTorch. Quote the ratios, never the absolute times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import minml  # noqa: E402
from minml import backend  # noqa: E402
from minml.testing.memory import peak_memory  # noqa: E402

__all__ = [
    "Row", "Target", "bench_main", "environment_notes", "make_target", "parse_arguments", "peak_memory",
    "print_summary", "print_table", "time_interleaved", "torch_or_none", "write_json",
]


# --------------------------------------------------------------------------- environment


def torch_or_none():
    """PyTorch if it is installed, else None (its columns are then skipped, visibly)."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def environment_notes(torch) -> list[str]:
    """Lines about thread pools and BLAS settings; sets PyTorch's threads to NumPy's BLAS threads."""
    notes = [f"numpy {np.__version__}, minml {minml.__version__}, torch {torch.__version__ if torch else 'missing'}"]
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            notes.append(
                f"NOTE: {name}={os.environ[name]} is set: it slows a current NumPy, so the NumPy-based figures "
                f"(minml on cpu, the floor) are pessimistic; unset it for this command alone to benchmark"
            )
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        notes.append("threadpoolctl not installed: thread pools unknown, PyTorch keeps its default thread count")
        return notes
    pools = threadpool_info()
    for pool in pools:
        extra = f", {pool['architecture']}" if pool.get("architecture") else ""
        notes.append(
            f"pool {pool['internal_api']} {pool.get('version') or ''} ({pool['user_api']}{extra}): "
            f"{pool['num_threads']} threads  [{Path(pool['filepath']).name}]"
        )
    blas = [p for p in pools if p["user_api"] == "blas" and "numpy" in p["filepath"]]
    if torch is not None and blas:
        torch.set_num_threads(blas[0]["num_threads"])
        notes.append(f"torch.set_num_threads({blas[0]['num_threads']}) to match NumPy's BLAS")
    elif torch is not None:
        notes.append(f"NumPy's BLAS pool not found: PyTorch keeps {torch.get_num_threads()} threads")
    return notes


# --------------------------------------------------------------------------- devices


@dataclass
class Target:
    """Where the benchmark runs: the array module for the floor and the sync functions."""

    device: str
    xp: object
    torch: object  # None when PyTorch (or its CUDA) is unavailable here
    torch_device: str = "cpu"
    syncs: list = field(default_factory=list)
    torch_missing: str = "PyTorch missing"  # why the PyTorch column is skipped

    def sync(self) -> None:
        for fn in self.syncs:
            fn()

    def put(self, host: np.ndarray):
        """A floor array on this device."""
        return backend.to_device(host, self.device)


def make_target(device: str) -> Target:
    torch = torch_or_none()
    if device == "cpu":
        return Target("cpu", np, torch)
    available, reason = backend.cuda_status()
    if not available:
        raise SystemExit(f"--device cuda: CUDA is unavailable here: {reason}")
    xp = backend.get_backend("cuda").xp
    syncs = [lambda: xp.cuda.Device().synchronize()]
    if torch is not None and torch.cuda.is_available():
        return Target(device, xp, torch, "cuda", syncs + [torch.cuda.synchronize])
    missing = "PyTorch missing" if torch is None else f"torch {torch.__version__} has no CUDA"
    return Target(device, xp, None, "cuda", syncs, missing)


# --------------------------------------------------------------------------- timing


def time_interleaved(
    competitors, target: Target, rounds: int, batch_seconds: float, stat=min, settle: float = 0.0
) -> dict[str, float]:
    """Per-call seconds of each competitor (``stat`` over rounds), batches interleaved round by round.

    ``settle`` seconds of sleep before each batch let the previous competitor's idle
    thread pool stop spinning, so it does not steal cores from the next one.
    """
    steps = {label: step for label, step, _ in competitors}
    numbers = {}
    for label, step in steps.items():  # warm up, then size a batch to last about batch_seconds
        step()
        target.sync()
        number, elapsed = 1, 0.0
        while True:
            start = time.perf_counter()
            for _ in range(number):
                step()
            target.sync()
            elapsed = time.perf_counter() - start
            if elapsed >= batch_seconds or number >= 1 << 16:
                break
            number *= 2 if elapsed == 0 else max(2, min(10, int(batch_seconds / elapsed) + 1))
        numbers[label] = number
    samples: dict[str, list[float]] = {label: [] for label in steps}
    labels = list(steps)
    for r in range(rounds):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            step, number = steps[label], numbers[label]
            time.sleep(settle)
            start = time.perf_counter()
            for _ in range(number):
                step()
            target.sync()
            samples[label].append((time.perf_counter() - start) / number)
    return {label: stat(times) for label, times in samples.items()}


# --------------------------------------------------------------------------- report


@dataclass
class Row:
    case: str
    peer: str
    minml: float
    other: float | None
    target: float | None
    missing: str = "PyTorch missing"

    @property
    def ratio(self) -> float | None:
        return None if self.other is None else self.minml / self.other

    def verdict(self) -> str:
        if self.other is None:
            return f"skipped: {self.missing}"
        if self.target is None:
            return "(for information)"
        return "pass" if self.ratio <= self.target else "FAIL: above target"


def show_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    return f"{seconds * 1e3:.1f} ms"


def print_table(rows: list[Row]) -> None:
    header = f"{'case':<30}{'peer':<8}{'minml':>11}{'peer':>11}{'ratio':>9}{'target':>9}  note"
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        target = "-" if row.target is None else f"<={row.target:g}x"
        print(
            f"{row.case:<30}{row.peer:<8}{show_time(row.minml):>11}{show_time(row.other):>11}"
            f"{ratio:>9}{target:>9}  {row.verdict()}"
        )


def print_summary(rows: list[Row], stat_name: str, started: float) -> None:
    """The table, then how many targets were missed and how long the run took."""
    print()
    print_table(rows)
    print()
    failed = [row for row in rows if row.target is not None and row.ratio is not None and row.ratio > row.target]
    print(
        f"ratio = minml time / peer time ({stat_name} per call over rounds); lower is better. "
        f"{len(failed)} of {sum(r.target is not None and r.ratio is not None for r in rows)} targets missed; "
        f"took {time.perf_counter() - started:.0f} s"
    )


def write_json(path: Path, rows: list[Row], notes: list[str], **run_info) -> None:
    """The table as JSON: the run's settings and notes, and per row the times (seconds), ratio and verdict."""
    import json
    import platform

    record = {
        **run_info,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "notes": notes,
        "rows": [
            {
                "case": row.case,
                "peer": row.peer,
                "minml_s": row.minml,
                "peer_s": row.other,
                "ratio": row.ratio,
                "target": row.target,
                "verdict": row.verdict(),
            }
            for row in rows
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")


def parse_arguments(argv: list[str] | None, description: str, rounds: int) -> argparse.Namespace:
    """The options every bench script takes: --device, --rounds, --stat, --json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="cpu (default) or cuda")
    parser.add_argument("--rounds", type=int, default=rounds, help=f"timing rounds per case (default {rounds})")
    parser.add_argument("--stat", default="min", choices=["min", "median"], help="statistic over rounds (default min)")
    parser.add_argument("--json", metavar="PATH", help="also write the rows and the run's notes to PATH as JSON")
    return parser.parse_args(argv)


def bench_main(run, description: str, rounds: int, argv: list[str] | None = None) -> int:
    """The command line every benchmark shares: parse the options, ``run(device, rounds, stat, show)``, report.

    ``run`` returns the table's rows; with ``--json PATH`` they are also saved, with the run's notes.
    """
    args = parse_arguments(argv, description, rounds)
    start = time.perf_counter()
    stat = min if args.stat == "min" else statistics.median
    notes = []
    rows = run(args.device, args.rounds, stat, show=lambda line: (print(line), notes.append(line)))
    if args.json:
        write_json(Path(args.json), rows, notes, device=args.device, stat=args.stat, rounds=args.rounds)
    print_summary(rows, args.stat, start)
    return 0
