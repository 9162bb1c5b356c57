"""Benchmark: minml's autodiff against PyTorch eager and a handwritten NumPy floor.

Run by hand, never by pytest::

    python bench/autograd.py                 # CPU: NumPy arrays, PyTorch CPU
    python bench/autograd.py --device cuda   # GPU: CuPy arrays, PyTorch CUDA, a CuPy floor
    python bench/autograd.py --json bench/results/autograd-cpu.json   # also save the rows (the docs show them)

Two questions, each answered with a ratio (minml time / peer time) measured in
one process on the same float32 data:

(a) Fixed cost of one small op, forward + backward, on 10-element tensors::

        y = (a * b).sum(); y.backward()        # and add, 3x3 matmul, tanh

    Almost all of it is Python: building the graph node, walking it back.
    Target: minml <= 1.5x PyTorch.

(b) A chain of large matmuls and elementwise ops, forward + backward::

        h = x (256, 1024);  for 4 layers: h = relu(h @ W_i + b_i)   (W_i 1024x1024)
        loss = (h * h).mean();  loss.backward()

    The "floor" is the same forward and the manual backward written with the
    fewest array ops (:func:`floor_chain`): the engine's overhead is what
    minml spends above it. Target: minml <= 1.1x the floor.

Method (DESIGN.md §6): every competitor is first checked to compute the same
loss and gradients as minml; then each is warmed up and timed in rounds, the
competitors interleaved within a round (in rotating order) so drifts in machine
load hit them alike. A round times a batch of calls sized to last a few
milliseconds. The large case sleeps 0.2 s before each batch: OpenBLAS's idle
threads spin for a while after a matmul and would otherwise steal the cores
that PyTorch's threads need next (this halved PyTorch's speed here), and vice
versa. The reported figure is the *minimum* over rounds of the per-call time,
as :mod:`timeit` advises: the work is deterministic, so slower rounds measure
interference (other processes on a shared machine), not the code; ``--stat
median`` reports medians instead. Leaves' gradients are reset the same way in
every library (``x.grad = None``). On a GPU each batch ends with a device
synchronisation (CuPy's ``Device().synchronize()``, ``torch.cuda.synchronize()``).

Fairness of threads: NumPy's BLAS and PyTorch each have their own thread pool.
The script reads the BLAS pool size with threadpoolctl (if installed) and sets
``torch.set_num_threads`` to it, so both matmuls use the same number of cores;
without threadpoolctl it leaves PyTorch's default and says so. (NumPy's
elementwise ops are single-threaded whatever the setting; PyTorch's are not.)
The environment variables OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set on some
machines for old OpenBLAS builds, slow a current NumPy: the script never changes
them, but notes when they are set, since the NumPy-based figures are then
pessimistic. Unset both for that command alone to benchmark.

Absolute times are printed for context only: the machines are shared and
noisy, so quote the ratios.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import minml  # noqa: E402
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

SMALL_SIZE = 10
CHAIN_BATCH, CHAIN_WIDTH, CHAIN_LAYERS = 256, 1024, 4


# --------------------------------------------------------------------------- the work


def small_cases(rng):
    """name -> (loss for minml and PyTorch alike, its handwritten floor, host inputs); all leaves need grad."""
    a, b = rng.standard_normal((2, SMALL_SIZE)).astype(np.float32)
    p, q = rng.standard_normal((2, 3, 3)).astype(np.float32)
    return {
        "mul+sum (10)": (lambda a, b: (a * b).sum(), floor_mul, (a, b)),
        "add+sum (10)": (lambda a, b: (a + b).sum(), floor_add, (a, b)),
        "matmul+sum (3x3)": (lambda a, b: (a @ b).sum(), floor_matmul, (p, q)),
        "tanh+sum (10)": (lambda a: a.tanh().sum(), floor_tanh, (a,)),
    }


# The floors: forward and manual backward written directly with xp; each returns (loss, [grads]).


def floor_mul(xp, a, b):
    ones = xp.ones_like(a)  # d sum / d(a * b)
    return (a * b).sum(), [ones * b, ones * a]


def floor_add(xp, a, b):
    ones = xp.ones_like(a)
    return (a + b).sum(), [ones, ones]


def floor_matmul(xp, a, b):
    ones = xp.ones((a.shape[0], b.shape[1]), dtype=a.dtype)
    return (a @ b).sum(), [ones @ b.T, a.T @ ones]


def floor_tanh(xp, a):
    t = xp.tanh(a)
    return t.sum(), [1 - t * t]


def chain_data(rng):
    """x (256, 1024) and 4 layers of W (1024, 1024), b (1024,), float32, scaled to keep activations O(1)."""
    x = rng.standard_normal((CHAIN_BATCH, CHAIN_WIDTH)).astype(np.float32)
    scale = np.float32(np.sqrt(2.0 / CHAIN_WIDTH))
    layers = [
        (
            (rng.standard_normal((CHAIN_WIDTH, CHAIN_WIDTH)) * scale).astype(np.float32),
            (rng.standard_normal(CHAIN_WIDTH) * 0.1).astype(np.float32),
        )
        for _ in range(CHAIN_LAYERS)
    ]
    return x, layers


def chain_loss(x, params):
    """The chain for minml and PyTorch alike: params = [W0, b0, W1, b1, ...]."""
    h = x
    for W, b in zip(params[::2], params[1::2]):
        h = (h @ W + b).relu()
    return (h * h).mean()


def floor_chain(xp, x, params):
    """The same loss and its gradients [dW0, db0, dW1, ...], with the fewest array ops."""
    inputs, masks, h = [], [], x
    for W, b in zip(params[::2], params[1::2]):
        inputs.append(h)
        z = h @ W
        z += b
        masks.append(z > 0)
        h = z * masks[-1]
    loss = (h * h).mean()
    grads = [None] * len(params)
    dh = h * xp.float32(2.0 / h.size)
    for i in reversed(range(len(inputs))):
        dz = dh * masks[i]
        grads[2 * i] = inputs[i].T @ dz
        grads[2 * i + 1] = dz.sum(axis=0)
        if i:
            dh = dz @ params[2 * i].T
    return loss, grads


# --------------------------------------------------------------------------- competitors


def graph_step(loss_fn, leaves, inputs, to_host):
    """One forward + backward through an autograd engine (minml or PyTorch): ``step`` and ``result``.

    ``result()`` runs one step and returns (loss, leaf gradients) as host arrays, for checking.
    """

    def step():
        for leaf in leaves:
            leaf.grad = None
        loss = loss_fn(*inputs)
        loss.backward()
        return loss

    def result():
        loss = step()
        return to_host(loss), [to_host(leaf.grad) for leaf in leaves]

    return step, result


def minml_to_host(value):
    return backend.asnumpy(value.data if isinstance(value, minml.Tensor) else value)


def torch_to_host(value):
    return value.detach().cpu().numpy()


def floor_step(fn, inputs):
    def step():
        return fn(*inputs)

    def result():
        loss, grads = step()
        return backend.asnumpy(loss), [backend.asnumpy(g) for g in grads]

    return step, result


def competitors_small(target: Target, fn, floor, hosts):
    """(label, step, result) for minml, PyTorch and the floor on one small case."""
    leaves = [minml.tensor(h, device=target.device, requires_grad=True) for h in hosts]
    out = [("minml", *graph_step(fn, leaves, leaves, minml_to_host))]
    if target.torch is not None:
        tleaves = [target.torch.tensor(h, device=target.torch_device, requires_grad=True) for h in hosts]
        out.append(("torch", *graph_step(fn, tleaves, tleaves, torch_to_host)))
    xp = target.xp
    out.append(("floor", *floor_step(lambda *arrays: floor(xp, *arrays), [target.put(h) for h in hosts])))
    return out


def competitors_chain(target: Target, x_host, layers):
    """(label, step, result) for minml, PyTorch and the floor on the chain; x needs no gradient."""
    flat = [array for layer in layers for array in layer]
    x = minml.tensor(x_host, device=target.device)
    params = [minml.tensor(p, device=target.device, requires_grad=True) for p in flat]
    out = [("minml", *graph_step(lambda x, *p: chain_loss(x, p), params, (x, *params), minml_to_host))]
    if target.torch is not None:
        torch = target.torch
        tx = torch.tensor(x_host, device=target.torch_device)
        tparams = [torch.tensor(p, device=target.torch_device, requires_grad=True) for p in flat]
        out.append(("torch", *graph_step(lambda x, *p: chain_loss(x, p), tparams, (tx, *tparams), torch_to_host)))
    floor_inputs = (target.put(x_host), [target.put(p) for p in flat])
    out.append(("floor", *floor_step(lambda x, p: floor_chain(target.xp, x, p), floor_inputs)))
    return out


def check_same(name, competitors, rtol):
    """Every competitor must compute the loss and gradients minml computes, or the timing means nothing."""
    reference_label, _, reference = competitors[0]
    loss, grads = reference()
    for label, _, result in competitors[1:]:
        other_loss, other_grads = result()
        if len(other_grads) != len(grads):
            raise SystemExit(f"{name}: {label} gives {len(other_grads)} gradients, {reference_label} {len(grads)}")
        pairs = [(loss, other_loss)] + list(zip(grads, other_grads))
        for i, (mine, theirs) in enumerate(pairs):
            if not np.allclose(mine, theirs, rtol=rtol, atol=rtol * max(1.0, float(np.abs(mine).max()))):
                what = "loss" if i == 0 else f"gradient {i - 1}"
                raise SystemExit(f"{name}: {label} and {reference_label} disagree on the {what}; not timing it")


def run(device: str = "cpu", rounds_small: int = 15, rounds_chain: int = 15, stat=min, show=print) -> list[Row]:
    """Run both parts on ``device``; print progress with ``show``; return the table's rows."""
    target = make_target(device)
    for note in environment_notes(torch_or_none()):
        show(note)
    torch_on = target.torch_device if target.torch else f"- ({target.torch_missing})"
    show(
        f"device {device}: minml on {'NumPy' if device == 'cpu' else 'CuPy'}, torch on {torch_on}, "
        f"floor written with {target.xp.__name__}"
    )
    rng = np.random.default_rng(0)
    rows = []
    for name, (fn, floor, hosts) in small_cases(rng).items():
        competitors = competitors_small(target, fn, floor, hosts)
        check_same(name, competitors, rtol=1e-5)
        times = time_interleaved(competitors, target, rounds_small, 0.01, stat)
        rows.append(Row(f"small {name}", "torch", times["minml"], times.get("torch"), 1.5, target.torch_missing))
        rows.append(Row(f"small {name}", "floor", times["minml"], times["floor"], None))
    x_host, layers = chain_data(rng)
    competitors = competitors_chain(target, x_host, layers)
    check_same("chain", competitors, rtol=1e-3)
    times = time_interleaved(competitors, target, rounds_chain, 0.05, stat, settle=0.2)
    case = f"chain {CHAIN_LAYERS} x {CHAIN_WIDTH}^2, batch {CHAIN_BATCH}"
    rows.append(Row(case, "floor", times["minml"], times["floor"], 1.1))
    rows.append(Row(case, "torch", times["minml"], times.get("torch"), None, target.torch_missing))
    return rows


def main(argv: list[str] | None = None) -> int:
    def run_both_parts(device, rounds, stat, show):
        return run(device, rounds, rounds, stat, show)

    return bench_main(run_both_parts, __doc__.splitlines()[0], rounds=15, argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
