"""Grader for exercise 10.cross_entropy_from_logits: softmax cross-entropy in log space."""

import sys

import numpy as np
import pytest

import minml
from minml import backend
from minml.grading import expect

pytestmark = pytest.mark.exercise("10.cross_entropy_from_logits")

MAX_HINT = ("subtract each row's maximum before exp: exp(1e4) overflows to inf, and then inf/inf = nan; "
            "softmax and log-softmax do not change when a constant is subtracted from a row")
LOG_SOFTMAX_HINT = ("compute log p = z - logsumexp(z) directly, not log(softmax(z)): a probability that rounds "
                    "to 0 gives log 0 = -inf, although its log is a finite number such as -1e4")


def on_device(logits, labels):
    return backend.to_device(np.asarray(logits, dtype=np.float64)), backend.to_device(np.asarray(labels))


def exact(logits, labels):
    """log p and the losses in float64 on the host, with the log-sum-exp written out."""
    logits = np.asarray(logits, dtype=np.float64)
    top = logits.max(axis=1, keepdims=True)
    log_p = logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels], log_p


def check(solution, logits, labels, hint=None, rtol=1e-6):
    losses, log_p = solution(*on_device(logits, labels))
    want_losses, want_log_p = exact(logits, labels)
    expect(log_p, want_log_p, what="log_p", hint=hint, rtol=rtol)
    expect(losses, want_losses, what="losses", hint=hint, rtol=rtol)


@pytest.mark.points(1)
@pytest.mark.hint("return a pair (losses of shape (N,), log_p of shape (N, C)): the loss is -log p of the label")
def test_small_example(solution):
    logits = [[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]]
    losses, log_p = solution(*on_device(logits, [2, 0]))
    expect(tuple(losses.shape), (2,), what="shape of losses")
    expect(tuple(log_p.shape), (2, 3), what="shape of log_p")
    expect(losses, np.array([-np.log(np.exp(3) / np.exp([1, 2, 3]).sum()), np.log(3)]), what="losses")


@pytest.mark.points(1)
@pytest.mark.hint("log p sums to 1 when exponentiated, row by row: normalise along axis 1 (the classes), not axis 0")
def test_rows_are_distributions(solution):
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 5)) * 3
    _, log_p = solution(*on_device(logits, rng.integers(0, 5, 6)))
    expect(np.exp(backend.asnumpy(log_p)).sum(axis=1), np.ones(6), what="Σ_c exp(log_p) of each row")
    check(solution, logits, rng.integers(0, 5, 6))


@pytest.mark.points(2)
@pytest.mark.hint("pick each row's own label: log_p[arange(N), labels], not log_p[:, labels] (an N x N matrix)")
def test_each_row_its_label(solution):
    rng = np.random.default_rng(1)
    labels = np.array([3, 0, 2, 2, 1, 4, 0])
    check(solution, rng.standard_normal((7, 5)), labels)


@pytest.mark.points(2)
@pytest.mark.hint(MAX_HINT)
def test_huge_logits(solution):
    logits = [[1e4, 0.0, -1e4], [1e4, 1e4 - 1, 3.0], [2e4, 2e4, 2e4]]
    check(solution, logits, [0, 1, 2], hint=MAX_HINT)


@pytest.mark.points(2)
@pytest.mark.hint(LOG_SOFTMAX_HINT)
def test_very_unlikely_label(solution):
    logits = [[1e4, 0.0, -1e4], [-800.0, 0.0, 10.0]]
    check(solution, logits, [2, 0], hint=LOG_SOFTMAX_HINT)


@pytest.mark.points(1)
@pytest.mark.hint("keep the dtype: float32 logits give float32 losses (compute with xp and the arrays' methods)")
def test_keeps_dtype_and_device(solution):
    logits = backend.to_device(np.random.default_rng(2).standard_normal((4, 3)).astype(np.float32))
    labels = backend.to_device(np.array([0, 1, 2, 1]))
    for name, result in zip(("losses", "log_p"), solution(logits, labels)):
        assert result.dtype == np.float32, f"{name}: expected float32, got {result.dtype}"
        assert backend.device_of(result) == backend.device_of(logits), f"{name} moved to another device"


@pytest.mark.points(2)
@pytest.mark.hint("minml.nn.functional.cross_entropy calls your function: its loss and gradient must stay right")
def test_cross_entropy_uses_it(solution, monkeypatch):
    losses_module = sys.modules["minml.nn.losses"]
    monkeypatch.setattr(losses_module, "cross_entropy_from_logits", solution)
    rng = np.random.default_rng(3)
    logits_host, labels = rng.standard_normal((8, 4)) * 5, rng.integers(0, 4, 8)
    logits = minml.tensor(logits_host, requires_grad=True)
    loss = minml.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    expect(loss.item(), exact(logits_host, labels)[0].mean(), what="cross_entropy(logits, labels)")
    assert minml.gradcheck(lambda z: minml.nn.functional.cross_entropy(z, labels), minml.tensor(logits_host))


@pytest.mark.points(1)
@pytest.mark.hint("torch.nn.functional.cross_entropy(logits, labels, reduction='none') gives the same losses")
def test_same_as_torch(solution):
    rng = np.random.default_rng(4)
    logits, labels = rng.standard_normal((16, 10)) * 50, rng.integers(0, 10, 16)
    losses, _ = solution(*on_device(logits, labels))
    torch = pytest.importorskip("torch")
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(labels), reduction="none")
    expect(losses, expected.numpy(), what="losses")
