"""The timing half of the device check (tests/gpu/run.sh): minml on the GPU against minml on the CPU.

Reuses bench/autograd.py: first its whole table on ``cuda`` (minml against
PyTorch CUDA and a handwritten CuPy floor), then its large chain
(4 x relu(h @ W + b), forward + backward, float32) timed on both devices,
interleaved, after checking the two devices compute the same loss and
gradients. The last line starts with ``TIMING:`` for run.sh's summary.
Ratios only: absolute times on a shared machine mean little.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "bench" / "autograd.py"


def load_bench():
    """bench/autograd.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_autograd", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def main() -> int:
    bench = load_bench()
    from bench import harness  # importable now: loading bench/autograd.py put the checkout on sys.path

    cuda = harness.make_target("cuda")  # exits with a clear message when CUDA is unavailable
    cpu = harness.make_target("cpu")

    print("== bench/autograd.py --device cuda")
    harness.print_table(bench.run("cuda", rounds_small=7, rounds_chain=7))

    print("\n== the chain on cpu and on cuda (same data)")
    x, layers = bench.chain_data(np.random.default_rng(0))
    peers = ("minml", "torch") if cuda.torch is not None else ("minml",)
    competitors = [
        (f"{label} {target.device}", step, result)
        for target in (cpu, cuda)
        for label, step, result in bench.competitors_chain(target, x, layers)
        if label in peers
    ]
    minml_only = [c for c in competitors if c[0].startswith("minml")]
    bench.check_same("chain cpu vs cuda", minml_only, rtol=1e-3)
    times = harness.time_interleaved(competitors, cuda, rounds=5, batch_seconds=0.05, settle=0.2)
    for label, seconds in times.items():
        print(f"{label:<12}{harness.show_time(seconds):>11}")
    parts = [f"speed-up cpu -> cuda: minml {times['minml cpu'] / times['minml cuda']:.1f}x"]
    if "torch cuda" in times:
        parts[0] += f", torch {times['torch cpu'] / times['torch cuda']:.1f}x"
        parts.append(f"minml / torch time on cuda {times['minml cuda'] / times['torch cuda']:.2f}x")
    else:
        parts.append(f"no torch column: {cuda.torch_missing}")
    print("TIMING: chain fwd+bwd, " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
