"""Benchmark: training with minml.nn / minml.optim against PyTorch eager and a handwritten NumPy floor.

Run by hand, never by pytest::

    python bench/nn.py                      # CPU: NumPy arrays, PyTorch CPU
    python bench/nn.py --device cuda        # GPU: CuPy arrays, PyTorch CUDA, a CuPy floor
    python bench/nn.py --json bench/results/nn-cpu.json   # also save the rows
    python bench/nn.py --case conv          # only case (b); --case mlp for only (a)

Two questions, each answered with a ratio (minml time / peer time), in one process, float32:

(a) One training epoch of an MLP 64-256-256-10 (ReLU) on the digits tiled 8x
    (14,376 rows, standardised), batch 128, cross-entropy, Adam (lr 1e-3)::

        for x, y in loader:                       # in order: no shuffling, so all agree
            loss = cross_entropy(model(x), y)
            optimizer.zero_grad(); loss.backward(); optimizer.step()

    Peers: PyTorch (torch.nn + torch.optim.Adam, its defaults) and the "floor",
    the same forward, manual backward and Adam update written with the fewest
    NumPy ops (:func:`floor_epoch`), the least any NumPy engine can spend.
    Targets: minml <= 1.0x PyTorch, <= 1.3x the floor. A last row, for
    information, is :func:`minml.nn.fit` over the same epoch against the hand
    loop: what the training helper's bookkeeping costs.

(b) One forward + backward of Conv2d(16 -> 32, 3x3, padding 1) on a 64x16x28x28
    batch, gradients for the input, weight and bias: ``(conv(x) * g).sum()``
    with a fixed random ``g``, so every output pixel gets a distinct gradient.
    Target: minml <= 2x PyTorch. For information, the floor: the same im2col
    convolution written with the fewest NumPy ops (:func:`floor_conv`); and the
    three matrix products alone that any im2col convolution computes (forward,
    weight gradient, input gradient; :func:`conv_products`), once by NumPy's BLAS
    and once by PyTorch's on the same arrays, against PyTorch's whole step.

Method and thread fairness as in bench/autograd.py (whose helpers this script
imports): every competitor is first checked to compute the same numbers (the
losses of the first steps and the parameters after them; the conv's output and
gradients); then timed in interleaved rounds, the minimum per-call time
reported. Each timed call of (a) is a full epoch that continues training the
competitor's own model: the cost of an epoch does not depend on the weights.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import minml  # noqa: E402
from bench.autograd import floor_step, graph_step, minml_to_host, torch_to_host  # noqa: E402
from bench.harness import (  # noqa: E402
    Row,
    Target,
    bench_main,
    environment_notes,
    make_target,
    time_interleaved,
    torch_or_none,
)
from minml import nn, optim  # noqa: E402
from minml.data import DataLoader, TensorDataset  # noqa: E402
from minml.datasets import load_digits  # noqa: E402
from minml.nn.conv import Conv2d  # noqa: E402
from minml.nn.training import fit  # noqa: E402

TILES, BATCH, WIDTHS, LR = 8, 128, (64, 256, 256, 10), 1e-3
BETAS, EPS = (0.9, 0.999), 1e-8
CHECK_STEPS = 5  # training steps compared across competitors before timing
CONV_SHAPE, CONV_OUT, CONV_KERNEL = (64, 16, 28, 28), 32, 3


# --------------------------------------------------------------------------- (a) the MLP epoch


def digits_tiled():
    """The digits, standardised, tiled TILES times: X (14376, 64) float32, y (14376,) int64."""
    X, y = load_digits(return_X_y=True)
    X = np.asarray(X, dtype=np.float64)
    X = (X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1.0)
    return np.tile(X, (TILES, 1)).astype(np.float32), np.tile(np.asarray(y, dtype=np.int64), TILES)


def initial_weights(rng):
    """[(W, b)] per layer, W shaped (out, in) as in nn.Linear, PyTorch's default uniform init."""
    layers = []
    for fan_in, fan_out in zip(WIDTHS[:-1], WIDTHS[1:]):
        bound = 1 / np.sqrt(fan_in)
        layers.append(
            (
                rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                rng.uniform(-bound, bound, fan_out).astype(np.float32),
            )
        )
    return layers


def batches(n):
    """(start, stop) of each batch of an epoch, in order; the last one may be short."""
    return [(i, min(i + BATCH, n)) for i in range(0, n, BATCH)]


def minml_mlp(target: Target, layers):
    """The MLP as an nn.Sequential holding the given weights; also its Linear layers."""
    linears = [nn.Linear(W.shape[1], W.shape[0], device=target.device) for W, _ in layers]
    for linear, (W, b) in zip(linears, layers):
        linear.weight.data[...] = target.put(W)
        linear.bias.data[...] = target.put(b)
    modules = [m for linear in linears for m in (linear, nn.ReLU())][:-1]  # no ReLU after the last layer
    return nn.Sequential(*modules), linears


class MinmlEpoch:
    """minml's hand-written training loop over a DataLoader (or :func:`minml.nn.fit` with ``use_fit``)."""

    to_host = staticmethod(minml_to_host)

    def __init__(self, target: Target, X, y, layers, use_fit=False):
        self.model, self.linears = minml_mlp(target, layers)
        self.optimizer = optim.Adam(self.model.parameters(), lr=LR, betas=BETAS, eps=EPS)
        data = TensorDataset(minml.tensor(X, device=target.device), minml.tensor(y, device=target.device))
        self.loader = DataLoader(data, batch_size=BATCH, shuffle=False)
        self.use_fit = use_fit

    def run(self, steps=None):
        """One epoch (or its first ``steps`` batches); the losses as device arrays."""
        if self.use_fit:
            fit(self.model, self.loader, nn.functional.cross_entropy, self.optimizer, 1, metrics=(), progress=False)
            return []
        losses = []
        for i, (x, y) in enumerate(self.loader):
            if i == steps:
                break
            loss = nn.functional.cross_entropy(self.model(x), y)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            losses.append(loss.data)
        return losses

    def params(self):
        return [minml_to_host(p) for linear in self.linears for p in (linear.weight, linear.bias)]


class TorchEpoch:
    """The same loop in PyTorch, over slices of the tensors (PyTorch's DataLoader collates row by row)."""

    to_host = staticmethod(torch_to_host)

    def __init__(self, target: Target, X, y, layers):
        torch = self.torch = target.torch
        dev = target.torch_device
        self.linears = [torch.nn.Linear(W.shape[1], W.shape[0], device=dev) for W, _ in layers]
        with torch.no_grad():
            for linear, (W, b) in zip(self.linears, layers):
                linear.weight.copy_(torch.tensor(W))
                linear.bias.copy_(torch.tensor(b))
        modules = [m for linear in self.linears for m in (linear, torch.nn.ReLU())][:-1]
        self.model = torch.nn.Sequential(*modules)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=LR, betas=BETAS, eps=EPS)
        self.X, self.y = torch.tensor(X, device=dev), torch.tensor(y, device=dev)

    def run(self, steps=None):
        F, losses = self.torch.nn.functional, []
        for start, stop in batches(len(self.X))[:steps]:
            loss = F.cross_entropy(self.model(self.X[start:stop]), self.y[start:stop])
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            losses.append(loss.detach())
        return losses

    def params(self):
        return [torch_to_host(p) for linear in self.linears for p in (linear.weight, linear.bias)]


class FloorEpoch:
    """The epoch with the fewest array ops: forward, manual backward, Adam, all in ``xp``."""

    to_host = staticmethod(minml_to_host)

    def __init__(self, target: Target, X, y, layers):
        xp = self.xp = target.xp
        self.X, self.y = target.put(X), target.put(y)
        self.weights = [target.put(a) for layer in layers for a in layer]  # W0, b0, W1, b1, ...
        self.m = [xp.zeros_like(p) for p in self.weights]
        self.v = [xp.zeros_like(p) for p in self.weights]
        self.t = 0

    def loss_and_grads(self, x, y):
        """Cross-entropy of the MLP on one batch and its gradients [dW0, db0, ...]."""
        xp, params = self.xp, self.weights
        inputs, h = [], x
        for i in range(0, len(params), 2):
            inputs.append(h)
            z = h @ params[i].T
            z += params[i + 1]
            h = xp.maximum(z, 0, out=z) if i < len(params) - 2 else z
        z = h - h.max(axis=1, keepdims=True)  # logits, shifted for a stable log-sum-exp
        e = xp.exp(z)
        total = e.sum(axis=1, keepdims=True)
        rows = xp.arange(len(y))
        loss = (xp.log(total[:, 0]) - z[rows, y]).mean()
        dz = e / total  # softmax - one_hot, over n
        dz[rows, y] -= 1
        dz /= len(y)
        grads = [None] * len(params)
        for i in reversed(range(0, len(params), 2)):
            grads[i] = dz.T @ inputs[i // 2]
            grads[i + 1] = dz.sum(axis=0)
            if i:
                dz = dz @ params[i]
                dz *= inputs[i // 2] > 0  # ReLU's mask: its output is positive where its input was
        return loss, grads

    def adam(self, grads):
        """torch.optim.Adam's update, in place, with the bias corrections folded into the step size."""
        xp, (beta1, beta2) = self.xp, BETAS
        self.t += 1
        step = LR / (1 - beta1**self.t)
        root_correction = np.sqrt(1 - beta2**self.t)
        for p, g, m, v in zip(self.weights, grads, self.m, self.v):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            denom = xp.sqrt(v)
            denom /= root_correction
            denom += EPS
            p -= step * m / denom

    def run(self, steps=None):
        losses = []
        for start, stop in batches(len(self.X))[:steps]:
            loss, grads = self.loss_and_grads(self.X[start:stop], self.y[start:stop])
            self.adam(grads)
            losses.append(loss)
        return losses

    def params(self):
        return [minml.backend.asnumpy(p) for p in self.weights]


def check_epochs(name, epochs: dict, rtol=1e-4):
    """The first CHECK_STEPS steps must give every competitor the same losses and parameters as minml."""
    reference = None
    for label, epoch in epochs.items():
        losses = np.array([float(epoch.to_host(loss)) for loss in epoch.run(CHECK_STEPS)])
        params = epoch.params()
        if reference is None:
            reference = label, losses, params
            continue
        ref_label, ref_losses, ref_params = reference
        if not np.allclose(losses, ref_losses, rtol=rtol):
            raise SystemExit(f"{name}: {label} losses {losses} differ from {ref_label}'s {ref_losses}; not timing it")
        for i, (mine, theirs) in enumerate(zip(ref_params, params)):
            # Adam moves every weight by about lr per step whatever the gradient's size: compare in units of lr
            if not np.allclose(mine, theirs, rtol=0, atol=CHECK_STEPS * LR * 0.05):
                raise SystemExit(f"{name}: {label} and {ref_label} disagree on parameter {i}; not timing it")


def check_fit(target: Target, X, y, layers):
    """nn.fit over one epoch must leave the same weights as the hand-written loop."""
    loop, by_fit = MinmlEpoch(target, X, y, layers), MinmlEpoch(target, X, y, layers, use_fit=True)
    loop.run()
    by_fit.run()
    if not all(np.array_equal(a, b) for a, b in zip(loop.params(), by_fit.params())):
        raise SystemExit("mlp: nn.fit and the hand-written loop end the epoch with different weights; not timing it")


def mlp_competitors(target: Target, X, y, layers, with_fit=True):
    epochs = {"minml": MinmlEpoch(target, X, y, layers)}
    if target.torch is not None:
        epochs["torch"] = TorchEpoch(target, X, y, layers)
    epochs["floor"] = FloorEpoch(target, X, y, layers)
    if with_fit:
        epochs["fit"] = MinmlEpoch(target, X, y, layers, use_fit=True)
    return epochs


# --------------------------------------------------------------------------- (b) the convolution


def conv_data(rng):
    x = rng.standard_normal(CONV_SHAPE).astype(np.float32)
    fan_in = CONV_SHAPE[1] * CONV_KERNEL**2
    w = (rng.standard_normal((CONV_OUT, CONV_SHAPE[1], CONV_KERNEL, CONV_KERNEL)) / np.sqrt(fan_in)).astype(np.float32)
    b = (rng.standard_normal(CONV_OUT) * 0.1).astype(np.float32)
    g = rng.standard_normal((CONV_SHAPE[0], CONV_OUT, *CONV_SHAPE[2:])).astype(np.float32)
    return x, w, b, g


def floor_conv(xp, x, w, b, g):
    """(conv(x) * g).sum() and its gradients [dx, dw, db] by im2col, 3x3 kernel, padding 1, stride 1."""
    (n, c, h, width), (o, _, kh, kw) = x.shape, w.shape
    padded = xp.pad(x.transpose(1, 0, 2, 3), ((0, 0), (0, 0), (1, 1), (1, 1)))  # (C, N, H+2, W+2)
    cols = xp.empty((kh, kw, c, n, h, width), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[i, j] = padded[:, :, i : i + h, j : j + width]
    cols = cols.reshape(-1, n * h * width)
    w_rows = w.transpose(0, 2, 3, 1).reshape(o, -1)  # (O, KH·KW·C), the order of the rows of cols
    out = w_rows @ cols
    out += b[:, None]
    grad_rows = g.transpose(1, 0, 2, 3).reshape(o, -1)  # dL/d out, laid out like out
    loss = (out * grad_rows).sum()
    dw = (cols @ grad_rows.T).reshape(kh, kw, c, o).transpose(3, 2, 0, 1)
    grad_cols = (w_rows.T @ grad_rows).reshape(kh, kw, c, n, h, width)
    grad_padded = xp.zeros_like(padded)
    for i in range(kh):
        for j in range(kw):
            grad_padded[:, :, i : i + h, j : j + width] += grad_cols[i, j]
    return loss, [grad_padded[:, :, 1:-1, 1:-1].transpose(1, 0, 2, 3), dw, grad_rows.sum(axis=1)]


def conv_products(target: Target, x, w, g):
    """(label, step, None) for the three im2col products (y = W·cols, dW = cols·dYᵀ, dcols = Wᵀ·dY) alone.

    The operands are made beforehand, so each step is nothing but the products: "numpy products"
    through NumPy's BLAS (the floor of any NumPy im2col convolution), "torch products" through
    PyTorch's, on the same arrays.
    """
    (n, c, h, width), o = x.shape, w.shape[0]
    cols = np.random.default_rng(1).standard_normal((c * CONV_KERNEL**2, n * h * width), np.float32)
    operands = [w.reshape(o, -1), cols, np.ascontiguousarray(g.transpose(1, 0, 2, 3).reshape(o, -1))]

    def products(w_rows, cols, grad_rows):
        return lambda: (w_rows @ cols, cols @ grad_rows.T, w_rows.T @ grad_rows)

    out = [("numpy products", products(*map(target.put, operands)), None)]
    if target.torch is not None:
        torch, dev = target.torch, target.torch_device
        out.append(("torch products", products(*(torch.tensor(a, device=dev) for a in operands)), None))
    return out


def conv_competitors(target: Target, x, w, b, g):
    """(label, step, result) for minml's nn.Conv2d, PyTorch's and the floor; gradients for x, weight and bias."""
    layer = Conv2d(CONV_SHAPE[1], CONV_OUT, CONV_KERNEL, padding=1, device=target.device)
    layer.weight.data[...] = target.put(w)
    layer.bias.data[...] = target.put(b)
    mx, mg = minml.tensor(x, device=target.device, requires_grad=True), minml.tensor(g, device=target.device)
    leaves = [mx, layer.weight, layer.bias]
    out = [("minml", *graph_step(lambda x: (layer(x) * mg).sum(), leaves, (mx,), minml_to_host))]
    if target.torch is not None:
        torch, dev = target.torch, target.torch_device
        tlayer = torch.nn.Conv2d(CONV_SHAPE[1], CONV_OUT, CONV_KERNEL, padding=1, device=dev)
        with torch.no_grad():
            tlayer.weight.copy_(torch.tensor(w))
            tlayer.bias.copy_(torch.tensor(b))
        tx, tg = torch.tensor(x, device=dev, requires_grad=True), torch.tensor(g, device=dev)
        tleaves = [tx, tlayer.weight, tlayer.bias]
        out.append(("torch", *graph_step(lambda x: (tlayer(x) * tg).sum(), tleaves, (tx,), torch_to_host)))
    inputs = [target.put(a) for a in (x, w, b, g)]
    out.append(("floor", *floor_step(lambda *arrays: floor_conv(target.xp, *arrays), inputs)))
    return out


def check_conv(competitors, rtol=1e-3):
    (ref_label, _, reference), *others = competitors
    loss, grads = reference()
    for label, _, result in others:
        other_loss, other_grads = result()
        for i, (mine, theirs) in enumerate([(loss, other_loss), *zip(grads, other_grads)]):
            if not np.allclose(mine, theirs, rtol=rtol, atol=rtol * max(1.0, float(np.abs(mine).max()))):
                raise SystemExit(f"conv: {label} and {ref_label} disagree on output {i}; not timing it")


# --------------------------------------------------------------------------- run


CASES = ("mlp", "conv")


def run(device: str = "cpu", rounds: int = 10, stat=min, show=print, cases=CASES) -> list[Row]:
    target = make_target(device)
    for note in environment_notes(torch_or_none()):
        show(note)
    rows = []
    if "mlp" in cases:
        rows += run_mlp(target, rounds, stat)
    if "conv" in cases:
        rows += run_conv(target, rounds, stat)
    return rows


def run_mlp(target: Target, rounds: int, stat) -> list[Row]:
    rows, rng = [], np.random.default_rng(0)
    X, y = digits_tiled()
    layers = initial_weights(rng)
    check_epochs("mlp", mlp_competitors(target, X, y, layers, with_fit=False))
    check_fit(target, X, y, layers)
    epochs = mlp_competitors(target, X, y, layers)
    competitors = [(label, epoch.run, None) for label, epoch in epochs.items()]
    times = time_interleaved(competitors, target, rounds, 0.05, stat, settle=0.2)
    case = "mlp 64-256-256-10 epoch"
    rows.append(Row(case, "torch", times["minml"], times.get("torch"), 1.0, target.torch_missing))
    rows.append(Row(case, "floor", times["minml"], times["floor"], 1.3))
    rows.append(Row("mlp epoch by nn.fit", "loop", times["fit"], times["minml"], None))
    return rows


def run_conv(target: Target, rounds: int, stat) -> list[Row]:
    rows, rng = [], np.random.default_rng(0)
    x, w, b, g = conv_data(rng)
    competitors = conv_competitors(target, x, w, b, g)
    check_conv(competitors)
    times = time_interleaved(competitors + conv_products(target, x, w, g), target, rounds, 0.05, stat, settle=0.2)
    case = "conv 16->32 3x3 64x28x28"
    rows.append(Row(case, "torch", times["minml"], times.get("torch"), 2.0, target.torch_missing))
    rows.append(Row(case, "floor", times["minml"], times["floor"], None))
    products = "conv's 3 products by NumPy"  # against PyTorch's whole step, then against the same products
    rows.append(Row(products, "torch", times["numpy products"], times.get("torch"), None, target.torch_missing))
    rows.append(Row(products, "torch BLAS", times["numpy products"], times.get("torch products"), None,
                    target.torch_missing))
    return rows


def main(argv: list[str] | None = None) -> int:
    """The shared command line (bench/harness.py), plus ``--case mlp|conv`` to run one case alone."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--case", choices=CASES, action="append", help="run only this case (repeatable)")
    args, rest = parser.parse_known_args(argv)
    cases = args.case or CASES
    description = f"{__doc__.splitlines()[0]} Also --case {{{','.join(CASES)}}}: only that case (repeatable)."
    return bench_main(functools.partial(run, cases=cases), description, rounds=10, argv=rest)


if __name__ == "__main__":
    raise SystemExit(main())
