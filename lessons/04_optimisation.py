"""Lesson 04 — Optimisation.

Gradient descent on loss surfaces: the step size and the curvature, an
ill-conditioned quadratic, momentum, Adam, a non-convex surface with a local
minimum, minibatch noise, and learning-rate schedules — all with minml.optim.

Run it on its own (``python lessons/04_optimisation.py``); the course page
docs/lessons/04-optimisation.md runs the same sections one by one. Tensors live
on the default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU;
paths are brought to the host only to print and plot.
"""

# --8<-- [start:descend]
import numpy as np

import minml
from minml.backend import asnumpy


def descend(loss, start, optimizer, steps, **options):
    """Minimise ``loss(p)`` from ``start`` with ``minml.optim.<optimizer>``; the path, one row per step."""
    p = minml.tensor(np.array(start, dtype=np.float64), requires_grad=True)
    opt = getattr(minml.optim, optimizer)([p], **options)
    path = [asnumpy(p.data).copy()]
    for _ in range(steps):
        opt.zero_grad()
        loss(p).backward()
        opt.step()
        path.append(asnumpy(p.data).copy())
    return np.array(path)


def bowl(p, condition=1.0):
    """f(x, y) = (x² + κ y²) / 2: a quadratic bowl whose curvatures are 1 and κ."""
    return (p[0] * p[0] + condition * p[1] * p[1]) / 2


for lr in (0.5, 1.0, 1.9, 2.1):
    path = descend(bowl, [2.0, 1.0], "SGD", 20, lr=lr)
    print(f"lr {lr}: after 20 steps f = {bowl(path[-1]):.3g}")
# --8<-- [end:descend]


# --8<-- [start:ill_conditioned]
def valley(p):
    """An ill-conditioned bowl: curvature 1 along x, 25 along y (condition number 25)."""
    return bowl(p, condition=25.0)


start, steps = [-4.5, 1.2], 60
paths = {
    "gradient descent, lr 0.075": descend(valley, start, "SGD", steps, lr=0.075),
    "momentum 0.8, lr 0.016": descend(valley, start, "SGD", steps, lr=0.016, momentum=0.8),
    "Adam, lr 0.3": descend(valley, start, "Adam", steps, lr=0.3),
}
for name, path in paths.items():
    print(f"{name:28s} f after 20 steps {valley(path[20]):9.2e}   after {steps} {valley(path[-1]):9.2e}")
# --8<-- [end:ill_conditioned]


# --8<-- [start:trajectories_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

COLOURS = ["#ef6c00", "#3949ab", "#2e7d32", "#8e24aa"]


def contour_with_paths(loss, paths, xlim, ylim, ax, levels=14):
    """Contours of ``loss`` (evaluated on a host grid) and each path as a line of dots."""
    X, Y = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    Z = loss(np.stack([X, Y]))
    ax.contour(X, Y, Z, levels=np.quantile(Z, np.linspace(0.0, 0.9, levels) ** 2), colors="#bdbdbd",
               linewidths=0.8)
    for colour, (name, path) in zip(COLOURS, paths.items()):
        ax.plot(path[:, 0], path[:, 1], "o-", color=colour, markersize=2.5, linewidth=1, label=name)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")


fig, ax = plt.subplots(figsize=(8, 3.6))
contour_with_paths(valley, paths, (-5, 1), (-1.5, 1.5), ax)
ax.plot(0, 0, "k*", markersize=9)
ax.legend(frameon=False, loc="lower right", fontsize=8)
trajectories_svg = svg(fig)
# --8<-- [end:trajectories_figure]


# --8<-- [start:nonconvex]
def double_well(p):
    """f(x, y) = (x² - 1)² + 0.3 x + y²: a global minimum near x = -1.04, a local one near x = 0.96."""
    x, y = p[0], p[1]
    return (x * x - 1) ** 2 + 0.3 * x + y * y


starts = [[1.8, 1.0], [0.3, -1.2], [-1.8, 0.9]]
well_paths = {}
for start in starts:
    for optimizer, options in [("SGD", dict(lr=0.02)), ("SGD", dict(lr=0.02, momentum=0.9))]:
        name = f"{'momentum' if options.get('momentum') else 'GD'} from {tuple(start)}"
        well_paths[name] = path = descend(double_well, start, optimizer, 150, **options)
        print(f"{name:26s} ends at x = {path[-1, 0]:+.3f}, f = {double_well(path[-1]):+.4f}")
# --8<-- [end:nonconvex]


# --8<-- [start:nonconvex_figure]
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for ax, kind in zip(axes, ("GD", "momentum")):
    chosen = {name: path for name, path in well_paths.items() if name.startswith(kind)}
    contour_with_paths(double_well, chosen, (-2, 2), (-1.5, 1.5), ax, levels=18)
    ax.set_title(kind, fontsize=10)
    ax.legend(frameon=False, loc="lower left", fontsize=7)
nonconvex_svg = svg(fig)
# --8<-- [end:nonconvex_figure]


# --8<-- [start:minibatch]
rng = np.random.default_rng(0)
n, d = 1024, 8
X_host = rng.standard_normal((n, d)) * np.geomspace(1.0, 0.2, d)  # features of different scales
w_true = rng.standard_normal(d)
y_host = X_host @ w_true + 0.3 * rng.standard_normal(n)
X, y = minml.tensor(X_host), minml.tensor(y_host)


def fit_least_squares(batch_size, epochs=8, lr=0.05):
    """Minibatch SGD on the mean squared error; the loss on all the data after every step."""
    w = minml.tensor(np.zeros(d), requires_grad=True)
    opt = minml.optim.SGD([w], lr=lr)
    order_rng = np.random.default_rng(1)
    history = []
    for _ in range(epochs):
        order = minml.tensor(order_rng.permutation(n))  # a new shuffle each epoch, on the device
        for first in range(0, n, batch_size):
            rows = order[first:first + batch_size]
            opt.zero_grad()
            ((X[rows] @ w - y[rows]) ** 2).mean().backward()
            opt.step()
            with minml.no_grad():
                history.append(((X @ w - y) ** 2).mean().item())
    return np.array(history)


curves = {size: fit_least_squares(size) for size in (4, 32, 1024)}
for size, curve in curves.items():
    last_epoch = curve[-(n // size):]
    print(f"batch {size:4d}: {n // size:3d} steps per epoch, loss after 8 epochs {curve[-1]:.4f}, "
          f"range over the last epoch {last_epoch.min():.4f} to {last_epoch.max():.4f}")
# --8<-- [end:minibatch]


# --8<-- [start:minibatch_figure]
fig, ax = plt.subplots(figsize=(8, 3.4))
for colour, (size, curve) in zip(COLOURS, curves.items()):
    ax.plot(np.arange(1, len(curve) + 1) * size / n, curve, color=colour, linewidth=1, label=f"batch size {size}")
ax.axhline(0.09, color="#9e9e9e", linestyle=":", label="noise level (0.3²)")
ax.set_yscale("log")
ax.set_xlabel("epochs (passes over the data)")
ax.set_ylabel("mean squared error, all data")
ax.legend(frameon=False)
minibatch_svg = svg(fig)
# --8<-- [end:minibatch_figure]


# --8<-- [start:schedules]
from minml.optim import lr_scheduler


def rates(make_scheduler, steps=100, lr=0.1):
    """The learning rate a scheduler sets for each of ``steps`` steps."""
    opt = minml.optim.SGD([minml.tensor(np.zeros(1), requires_grad=True)], lr=lr, momentum=0.9)
    scheduler = make_scheduler(opt)
    values = []
    for _ in range(steps):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return values


schedules = {
    "StepLR(step_size=30, gamma=0.3)": rates(lambda opt: lr_scheduler.StepLR(opt, 30, gamma=0.3)),
    "ExponentialLR(gamma=0.97)": rates(lambda opt: lr_scheduler.ExponentialLR(opt, gamma=0.97)),
    "CosineAnnealingLR(T_max=100)": rates(lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=100)),
    "OneCycleLR(max_lr=0.1)": rates(lambda opt: lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100)),
}
for name, values in schedules.items():
    print(f"{name:32s} t=0: {values[0]:.4f}  t=50: {values[50]:.4f}  t=99: {values[99]:.5f}")
# --8<-- [end:schedules]


# --8<-- [start:schedules_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
for colour, (name, values) in zip(COLOURS, schedules.items()):
    left.plot(values, color=colour, label=name)
left.set_xlabel("step t")
left.set_ylabel("learning rate")
left.legend(frameon=False, fontsize=8)

noisy_rng = np.random.default_rng(3)


def noisy_descent(lrs, runs=500):
    """SGD on f(x) = x²/2 with gradient noise of standard deviation 1, ``runs`` times at once:
    the root-mean-square distance to the minimum after each step."""
    x, distance = np.full(runs, 3.0), []
    for lr in lrs:
        x -= lr * (x + noisy_rng.standard_normal(runs))
        distance.append(np.sqrt(np.mean(x * x)))
    return distance


steps = 400
for colour, (name, lrs) in zip(COLOURS, {
    "constant lr 0.1": [0.1] * steps,
    "cosine from 0.1 to 0": rates(lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=steps), steps),
}.items()):
    right.plot(noisy_descent(lrs), color=colour, linewidth=0.8, label=name)
right.set_yscale("log")
right.set_xlabel("step t")
right.set_ylabel("RMS distance to the minimum")
right.legend(frameon=False, fontsize=8)
fig.tight_layout()
schedules_svg = svg(fig)
# --8<-- [end:schedules_figure]


# --8<-- [start:exercises]
from minml.optim.adam import adam_update
from minml.optim.lr_scheduler import cosine_annealing_lr
from minml.optim.sgd import sgd_momentum_update

param = minml.tensor([1.0, -2.0], dtype="float64").data  # raw arrays, as an optimizer holds them
grad = minml.tensor([0.5, 1.0], dtype="float64").data
buffer = None
for step in range(3):
    buffer = sgd_momentum_update(param, grad, buffer, lr=0.1, momentum=0.9)
    print(f"SGD step {step + 1}: param {asnumpy(param)}, buffer {asnumpy(buffer)}")

param = minml.tensor([1.0, -2.0], dtype="float64").data
m, v = minml.zeros(2, dtype="float64").data, minml.zeros(2, dtype="float64").data
for t in (1, 2, 3):
    adam_update(param, grad, m, v, t, lr=0.1)
    print(f"Adam step {t}: param {asnumpy(param)}  (each coordinate moves by about lr = 0.1)")
print("cosine schedule, T_max = 4:", [round(cosine_annealing_lr(0.1, 0.0, t, 4), 4) for t in range(5)])
# --8<-- [end:exercises]
