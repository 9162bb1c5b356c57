"""The training half of the device check (tests/gpu/run.sh): the same small network trained on cpu and on cuda.

An MLP 64-128-10 (ReLU) learns the bundled digits: 1,437 training images,
360 held out, standardised with the training set's statistics; batch 64,
shuffled (the same seeded order on both devices), cross-entropy, Adam
(lr 1e-3), EPOCHS epochs. The model is built once on the cpu and copied to
each device, so both runs start from the same weights; float32 on a GPU
rounds differently, so the two runs drift apart a little and their test
accuracies are compared within ACCURACY_NOISE, not exactly.

Checks: held-out accuracy >= MIN_ACCURACY on both devices and within
ACCURACY_NOISE of each other. Reported: the accuracies and the epoch time
ratio cpu / cuda (the median epoch after the first, which includes CuPy's
kernel compilation). The last line starts with ``TRAINING:`` for run.sh's
summary; the exit status is 1 when a check fails.
"""

from __future__ import annotations

import copy
import statistics
import sys
import time

import numpy as np

import minml
from minml import backend, nn, optim
from minml.data import DataLoader, TensorDataset
from minml.datasets import load_digits

EPOCHS, BATCH, LR, HIDDEN, TEST_ROWS = 20, 64, 1e-3, 128, 360
MIN_ACCURACY, ACCURACY_NOISE = 0.95, 0.02


def digits_split():
    """(X_train, y_train, X_test, y_test) as host arrays: float32 features standardised on the training rows."""
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(X))
    test, train = order[:TEST_ROWS], order[TEST_ROWS:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    X = ((X - mean) / np.where(std > 0, std, 1.0)).astype(np.float32)
    return X[train], y[train], X[test], y[test]


def train(model, data, device):
    """Train a copy of ``model`` on ``device``; return (held-out accuracy, seconds per epoch after the first)."""
    X_train, y_train, X_test, y_test = data
    model = copy.deepcopy(model).to(device)
    optimizer = optim.Adam(model.parameters(), lr=LR)
    loader = DataLoader(TensorDataset(X_train, y_train), BATCH, shuffle=True, random_state=0, device=device)
    seconds = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        loss.item()  # waits for the device to finish the epoch
        seconds.append(time.perf_counter() - start)
    model.eval()
    with minml.no_grad():
        predicted = model(minml.tensor(X_test, device=device)).argmax(axis=1)
    accuracy = float((backend.asnumpy(predicted.data) == y_test).mean())
    return accuracy, statistics.median(seconds[1:])


def main() -> int:
    available, reason = backend.cuda_status()
    if not available:
        print(f"TRAINING: not run, CUDA is unavailable: {reason}")
        return 1
    data = digits_split()
    model = nn.Sequential(
        nn.Linear(64, HIDDEN, random_state=0), nn.ReLU(), nn.Linear(HIDDEN, 10, random_state=1)
    )  # on the cpu; each run trains its own copy
    results = {device: train(model, data, device) for device in ("cpu", "cuda")}
    for device, (accuracy, seconds) in results.items():
        print(f"{device:<5} held-out accuracy {accuracy:.3f}, {seconds * 1e3:7.1f} ms per epoch")
    (cpu_accuracy, cpu_seconds), (cuda_accuracy, cuda_seconds) = results["cpu"], results["cuda"]
    failures = [
        f"{device} accuracy {accuracy:.3f} < {MIN_ACCURACY}"
        for device, (accuracy, _) in results.items()
        if accuracy < MIN_ACCURACY
    ]
    if abs(cpu_accuracy - cuda_accuracy) > ACCURACY_NOISE:
        failures.append(f"accuracies differ by more than {ACCURACY_NOISE}")
    verdict = "ok" if not failures else "FAIL: " + "; ".join(failures)
    print(
        f"TRAINING: digits MLP, {EPOCHS} epochs Adam: held-out accuracy cpu {cpu_accuracy:.3f}, "
        f"cuda {cuda_accuracy:.3f}; epoch time cpu / cuda {cpu_seconds / cuda_seconds:.2f}x "
        f"({cpu_seconds * 1e3:.0f} ms / {cuda_seconds * 1e3:.0f} ms); {verdict}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
