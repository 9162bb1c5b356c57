"""A training loop to write once: ``fit`` runs the epochs, ``evaluate`` measures a model.

Every epoch of :func:`fit` is the loop you would write by hand::

    model.train()
    for x, y in train_loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    # then, on held-out data, without recording a graph:
    evaluate(model, val_loader, loss_fn)        # model.eval(), no_grad

plus the bookkeeping: a :class:`History` of losses and metrics per epoch, an
optional learning-rate ``scheduler`` stepped once per epoch, a progress bar on
a terminal, and :class:`EarlyStopping`.

Losses are averaged over examples, not batches: a batch of n examples whose
mean loss is l adds n·l to the epoch's sum, so a short last batch counts for
what it holds. Sums stay on the device until the epoch ends (one GPU sync per
epoch, not one per batch).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from minml import backend
from minml.autograd import Tensor, no_grad, tensor
from minml.progress import ProgressBar

__all__ = ["fit", "evaluate", "History", "EarlyStopping", "accuracy"]


def accuracy(output, target):
    """Fraction of examples whose predicted class is ``target``, as a 0-d device array.

    ``output`` holds logits: (n, classes) picks the arg-max class; (n,) or (n, 1)
    is one binary logit, class 1 where it is positive.
    """
    scores, labels = output.data, target.data
    if scores.ndim == 1 or scores.shape[-1] == 1:
        predicted = scores.reshape(labels.shape) > 0
    else:
        predicted = scores.argmax(axis=-1)
    return (predicted == labels).mean()


METRICS = {"accuracy": accuracy}


def _metric_functions(metrics: Sequence[str | Callable]) -> dict[str, Callable]:
    """name -> metric(output, target), a batch mean; names look up :data:`METRICS`."""
    functions = {}
    for metric in metrics:
        if callable(metric):
            functions[metric.__name__] = metric
        elif metric in METRICS:
            functions[metric] = METRICS[metric]
        else:
            raise ValueError(f"unknown metric {metric!r}: use one of {sorted(METRICS)} or a function(output, target)")
    return functions


def _value(x):
    """The array of a Tensor (or a plain array or number, unchanged)."""
    return x.data if isinstance(x, Tensor) else x


class _Means:
    """Running example-weighted means: ``add({name: batch_mean}, n)`` per batch, then ``result()`` as floats."""

    def __init__(self):
        self.sums, self.count = {}, 0

    def add(self, values: dict, n: int) -> None:
        for name, value in values.items():
            self.sums[name] = self.sums.get(name, 0) + _value(value) * n
        self.count += n

    def result(self) -> dict[str, float]:
        if not self.count:
            raise ValueError("the data loader yielded no batches")
        return {name: float(backend.to_scalar(total)) / self.count for name, total in self.sums.items()}


def evaluate(model, loader, loss_fn, metrics: Sequence[str | Callable] = ("accuracy",)) -> dict[str, float]:
    """Mean loss and metrics of ``model`` over ``loader``, in eval mode and without a graph.

    Returns ``{"loss": ..., "accuracy": ...}``. The model's train/eval mode is restored after.
    """
    functions = _metric_functions(metrics)
    was_training = model.training
    model.eval()
    means = _Means()
    with no_grad():
        for x, y in loader:
            output = model(x)
            batch = {"loss": loss_fn(output, y)}
            batch.update((name, fn(output, y)) for name, fn in functions.items())
            means.add(batch, len(y))
    model.train(was_training)
    return means.result()


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch run.

    ``train_loss``: mean training loss during the epoch (measured before each step);
    ``val_loss`` and ``val_metrics[name]``: on the validation loader after the epoch
    (empty without one); ``best_epoch``: index of the epoch early stopping kept
    (None without early stopping); ``stopped_early``: whether it cut training short.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_metrics: dict[str, list[float]] = field(default_factory=dict)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        return len(self.train_loss)


class EarlyStopping:
    """Stop when the monitored loss has not improved for ``patience`` epochs.

    An epoch improves when its loss is below the best so far by more than
    ``min_delta``. With ``restore_best`` the model gets back the weights of the
    best epoch when training ends (a copy of its ``state_dict`` is kept).
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, restore_best: bool = True):
        if patience < 1:
            raise ValueError(f"patience must be at least 1 epoch; got {patience}")
        self.patience, self.min_delta, self.restore_best = patience, min_delta, restore_best
        self.best_loss, self.best_epoch, self.best_state = float("inf"), None, None
        self.waited = 0  # epochs since the last improvement

    def step(self, loss: float, epoch: int, model) -> bool:
        """Record epoch ``epoch``'s loss; True when training should stop."""
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.waited = loss, epoch, 0
            if self.restore_best:  # a copy: the parameters keep changing in place
                self.best_state = {name: tensor(t, device=t.device) for name, t in model.state_dict().items()}
        else:
            self.waited += 1
        return self.waited >= self.patience

    def restore(self, model) -> None:
        """Load the best epoch's weights back into ``model`` (if ``restore_best``)."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)


def _train_epoch(model, loader, loss_fn, optimizer, bar: ProgressBar) -> float:
    """One pass over ``loader`` with a step per batch; the mean training loss."""
    model.train()
    means = _Means()
    for x, y in loader:
        means.add({"loss": _train_step(model, x, y, loss_fn, optimizer)}, len(y))
        bar.update()
    return means.result()["loss"]


def _train_step(model, x, y, loss_fn, optimizer):
    """Forward, backward, update; returns the loss's array, so the graph dies with this frame."""
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.data


def fit(
    model,
    train_loader,
    loss_fn,
    optimizer,
    epochs: int,
    val_loader=None,
    metrics: Sequence[str | Callable] = ("accuracy",),
    scheduler=None,
    early_stopping: EarlyStopping | None = None,
    progress: bool | None = None,
) -> History:
    """Train ``model`` for ``epochs`` epochs; return the :class:`History`.

    ``metrics`` (names or functions ``f(output, target)`` returning a batch mean)
    are measured on ``val_loader``; pass ``metrics=()`` for regression. ``scheduler.step()`` runs after every epoch.
    ``early_stopping`` monitors the validation loss (the training loss without a
    ``val_loader``). ``progress``: a bar per epoch on stderr; None draws it only
    when stderr is a terminal, False never, True always.
    """
    functions = _metric_functions(metrics)
    history = History(val_metrics={name: [] for name in functions} if val_loader is not None else {})
    total = len(train_loader) if hasattr(train_loader, "__len__") else None
    for epoch in range(epochs):
        bar = ProgressBar(total, f"epoch {epoch + 1}/{epochs}", enabled=progress)
        history.train_loss.append(_train_epoch(model, train_loader, loss_fn, optimizer, bar))
        note = f"loss {history.train_loss[-1]:.4f}"
        monitored = history.train_loss[-1]
        if val_loader is not None:
            result = evaluate(model, val_loader, loss_fn, metrics)
            monitored = result.pop("loss")
            history.val_loss.append(monitored)
            for name, value in result.items():
                history.val_metrics[name].append(value)
            note += "".join(f"  val_{name} {value:.4f}" for name, value in [("loss", monitored), *result.items()])
        bar.close(note)
        if scheduler is not None:
            scheduler.step()
        if early_stopping is not None and early_stopping.step(monitored, epoch, model):
            history.stopped_early = True
            break
    if early_stopping is not None:
        early_stopping.restore(model)
        history.best_epoch = early_stopping.best_epoch
    return history
