"""``minml demo``: two small models fitted with minml's automatic differentiation.

1. A straight line. Data come from ``y = 3x - 2`` plus noise; gradient descent
   on the mean squared error recovers the slope and the intercept.
2. A two-layer neural network on XOR: a point is labelled 1 when its two
   coordinates have the same sign. No straight line separates the classes, so
   the network has to learn a curved boundary through its tanh hidden layer.

Both follow the same loop, the one every model in the course uses::

    loss = ...                  # forward: compute with tensors, building a graph
    loss.backward()             # backward: fill .grad of every parameter
    with minml.no_grad():       # update: plain array arithmetic, not recorded
        p.data -= lr * p.grad
    p.grad = None               # gradients accumulate until cleared

Everything runs on the default device (``MINML_DEVICE`` or ``minml demo --device cuda``).
"""

from __future__ import annotations

import time

import minml

__all__ = ["fit_line", "fit_xor", "run"]


def fit_line(steps: int = 100, lr: float = 0.1, random_state: int = 0) -> tuple[float, float]:
    """Fit ``y = w*x + b`` to noisy samples of ``y = 3x - 2``; return the learned ``(w, b)``."""
    gen = minml.backend.rng(random_state)
    x = minml.randn(100, 1, random_state=gen)
    noise = minml.randn(100, 1, random_state=gen)
    y = 3 * x - 2 + 0.1 * noise

    w = minml.tensor([0.0], requires_grad=True)
    b = minml.tensor([0.0], requires_grad=True)

    print(f"Fitting y = w*x + b to 100 noisy points of y = 3x - 2 ({steps} steps of gradient descent)")
    for step in range(steps + 1):
        loss = ((w * x + b - y) ** 2).mean()
        if step % 20 == 0:
            print(f"  step {step:4d}   loss {loss.item():.4f}   w {w.item():+.3f}   b {b.item():+.3f}")
        if step == steps:
            break
        loss.backward()
        with minml.no_grad():
            for p in (w, b):
                p.data -= lr * p.grad
                p.grad = None
    print(f"  learned w = {w.item():.3f} (true 3), b = {b.item():.3f} (true -2)")
    return w.item(), b.item()


def xor_data(n: int, random_state):
    """``n`` points in the square [-1, 1]², labelled 1 where x1 and x2 have the same sign."""
    gen = minml.backend.rng(random_state)
    points = gen.uniform(-1, 1, size=(n, 2))  # an array on the default device
    labels = points[:, 0] * points[:, 1] > 0
    return minml.tensor(points, dtype="float32"), minml.tensor(labels.reshape(n, 1), dtype="float32")


def fit_xor(hidden: int = 16, steps: int = 1000, lr: float = 1.0, random_state: int = 0) -> float:
    """Train a 2 -> ``hidden`` (tanh) -> 1 (sigmoid) network on XOR; return its accuracy."""
    X, y = xor_data(200, random_state)

    gen = minml.backend.rng(random_state + 1)
    W1 = minml.randn(2, hidden, random_state=gen, requires_grad=True)
    b1 = minml.tensor([0.0] * hidden, requires_grad=True)
    W2 = minml.randn(hidden, 1, random_state=gen, requires_grad=True)
    b2 = minml.tensor([0.0], requires_grad=True)
    params = [W1, b1, W2, b2]

    def predict(inputs):
        """The probability of label 1 for each row of ``inputs``."""
        h = (inputs @ W1 + b1).tanh()
        return (h @ W2 + b2).sigmoid()

    print(f"\nTraining a 2-{hidden}-1 network (tanh, then sigmoid) on 200 XOR points ({steps} steps)")
    for step in range(steps + 1):
        # Squared error on the probabilities: simple, and enough for this problem.
        loss = ((predict(X) - y) ** 2).mean()
        if step % 200 == 0:
            print(f"  step {step:4d}   loss {loss.item():.4f}")
        if step == steps:
            break
        loss.backward()
        with minml.no_grad():
            for p in params:
                p.data -= lr * p.grad
                p.grad = None

    with minml.no_grad():
        probabilities = predict(X)
        corners = minml.tensor([[-0.5, -0.5], [-0.5, 0.5], [0.5, -0.5], [0.5, 0.5]])
        corner_probabilities = predict(corners).numpy().ravel()
    correct = (probabilities.data > 0.5) == (y.data > 0.5)
    accuracy = correct.mean().item()

    print(f"  training accuracy {accuracy:.1%}")
    print("  what it learned, at the centre of each quadrant:")
    for (x1, x2), p in zip(corners.numpy(), corner_probabilities):
        expected = int(x1 * x2 > 0)
        print(f"    x = ({x1:+.1f}, {x2:+.1f})   P(label 1) = {p:.2f}   true label {expected}")
    return accuracy


def run(device: str | None = None) -> None:
    """Both demos on ``device`` (default: the default device), with the time they took."""
    start = time.perf_counter()
    with minml.device(device):
        print(f"minml demo on device {minml.backend.default_device()}\n")
        fit_line()
        fit_xor()
    print(f"\nDone in {time.perf_counter() - start:.1f} s.")
