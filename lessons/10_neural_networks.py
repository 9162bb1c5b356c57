"""Lesson 10 — Neural networks.

From logistic regression to a multilayer perceptron on the bundled digits,
then what makes networks train: initialisation, activations, a stable
softmax cross-entropy, regularisation (weight decay, dropout, early stopping),
batch normalisation, and a small convolutional network with its learning
curves and confusion matrix.

Run it on its own (``python lessons/10_neural_networks.py``); the course page
docs/lessons/10-neural-networks.md runs the same sections one by one. Tensors
live on the default device (``MINML_DEVICE``), so the lesson runs unchanged on
a GPU; ``.item()`` and ``.numpy()`` bring numbers to the host only to print or plot.
Training is kept tiny (a few epochs on 1,078 images) so the whole file runs in seconds.
"""

# --8<-- [start:data]
import numpy as np

import minml
from minml import nn, optim
from minml.data import DataLoader, TensorDataset
from minml.datasets import load_digits
from minml.nn import functional as F

X, y = load_digits(return_X_y=True)  # 1,797 images of 8 x 8 pixels (0..16), digits 0..9
order = np.random.default_rng(0).permutation(len(X))
train_rows, val_rows, test_rows = order[:1078], order[1078:1438], order[1438:]  # 60 / 20 / 20 %
mean, std = X[train_rows].mean(axis=0), X[train_rows].std(axis=0)
X = ((X - mean) / np.where(std > 0, std, 1)).astype(np.float32)  # standardised with the training rows only


def loader(rows, batch_size=64, shuffle=False, image=False):
    """Batches of (pixels, label) on the default device; ``image`` keeps the 1 x 8 x 8 shape for a CNN."""
    inputs = X[rows].reshape(-1, 1, 8, 8) if image else X[rows]
    data = TensorDataset(minml.tensor(inputs), minml.tensor(y[rows]))
    return DataLoader(data, batch_size=batch_size, shuffle=shuffle, random_state=0)


train, val, test = loader(train_rows, shuffle=True), loader(val_rows), loader(test_rows)
print(f"train {len(train_rows)}, validation {len(val_rows)}, test {len(test_rows)} images of {X.shape[1]} pixels")
# --8<-- [end:data]


# --8<-- [start:logistic]
logistic = nn.Linear(64, 10, random_state=0)  # 10 scores (logits): z = x Wᵀ + b
history = nn.fit(logistic, train, F.cross_entropy, optim.Adam(logistic.parameters(), lr=1e-2), epochs=10,
                 val_loader=val)
print(f"logistic regression: validation accuracy {history.val_metrics['accuracy'][-1]:.3f}")
# --8<-- [end:logistic]


# --8<-- [start:mlp]
def mlp(widths, activation=nn.ReLU, seed=0):
    """Linear, activation, Linear, activation, ..., Linear: the widths of every layer, input first."""
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers += [nn.Linear(fan_in, fan_out, random_state=seed + i), activation()]
    return nn.Sequential(*layers[:-1])  # no activation after the last layer: it gives logits


model = mlp([64, 128, 10])
print(model)
history = nn.fit(model, train, F.cross_entropy, optim.Adam(model.parameters(), lr=3e-3), epochs=10, val_loader=val)
print(f"MLP: validation accuracy {history.val_metrics['accuracy'][-1]:.3f}")
# --8<-- [end:mlp]


# --8<-- [start:linear_backward]
from minml.backend import asnumpy
from minml.nn.functional import linear_backward

rng = np.random.default_rng(1)
layer = nn.Linear(3, 2, random_state=0)
x = minml.tensor(rng.standard_normal((4, 3)).astype(np.float32))
upstream = rng.standard_normal((4, 2)).astype(np.float32)  # some dL/dy
layer(x).backward(minml.tensor(upstream))
_, grad_weight, grad_bias = linear_backward(minml.tensor(upstream).data, x.data, layer.weight.data)
np.set_printoptions(precision=4, suppress=True)
print("dL/dW from backward:", asnumpy(layer.weight.grad).ravel(), " gᵀ x:", asnumpy(grad_weight).ravel())
print("dL/db from backward:", asnumpy(layer.bias.grad), " Σ_n g:", asnumpy(grad_bias))
# --8<-- [end:linear_backward]


# --8<-- [start:stable]
from minml.nn.losses import cross_entropy_from_logits

logits = minml.tensor([[1e4, 0.0, -1e4], [2.0, 1.0, 0.1]])
with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
    z = logits.numpy().astype(np.float64)
    naive = np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))  # log(softmax), no max subtracted
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    log_of_softmax = np.log(shifted / shifted.sum(axis=1, keepdims=True))  # max subtracted, then log
losses, log_p = cross_entropy_from_logits(logits.data, minml.tensor([2, 0]).data)
print("log(softmax(z)), naive:     ", naive[0])
print("log(softmax(z)), max first: ", log_of_softmax[0])
print("z - logsumexp(z):           ", asnumpy(log_p[0]))
print("losses of labels [2, 0]:    ", asnumpy(losses))
# --8<-- [end:stable]


# --8<-- [start:init_figure]
import matplotlib

matplotlib.use("Agg")  # draw to files and strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg


def activation_spread(init, activation, depth=20, width=256):
    """The standard deviation of the activations after each of ``depth`` layers, for a batch of digits."""
    h = minml.tensor(X[train_rows[:256]] @ np.random.default_rng(2).standard_normal((64, width)).astype(np.float32) / 8)
    spread = []
    with minml.no_grad():
        for i in range(depth):
            layer = nn.Linear(width, width, bias=False)
            init(layer.weight, random_state=i)
            h = activation(layer(h))
            spread.append(h.numpy().std())
    return spread


schemes = {
    "N(0, 0.01²), tanh": (lambda w, random_state: nn.init.normal_(w, 0.0, 0.01, random_state), minml.tanh),
    "N(0, 1), tanh": (lambda w, random_state: nn.init.normal_(w, 0.0, 1.0, random_state), minml.tanh),
    "Xavier, tanh": (nn.init.xavier_normal_, minml.tanh),
    "Xavier, ReLU": (nn.init.xavier_normal_, F.relu),
    "Kaiming, ReLU": (lambda w, random_state: nn.init.kaiming_normal_(w, nonlinearity="relu",
                                                                      random_state=random_state), F.relu),
}
fig, ax = plt.subplots(figsize=(7, 3.6))
for name, (init, activation) in schemes.items():
    ax.semilogy(range(1, 21), activation_spread(init, activation), "o-", markersize=3, label=name)
ax.set_ylim(1e-6, 3)  # the tiny weights' line falls off the bottom: their signal is gone
ax.set_xticks(range(2, 21, 2))
ax.set_xlabel("layer")
ax.set_ylabel("std of the activations")
ax.legend(frameon=False, fontsize=8, ncol=2)
fig.tight_layout()
init_svg = svg(fig)
# --8<-- [end:init_figure]


# --8<-- [start:regularisation]
few = loader(train_rows[:200], batch_size=50, shuffle=True)  # 200 images: easy to overfit


def regularised(dropout=0.0, weight_decay=0.0, epochs=40, early_stopping=None):
    """A wide MLP on 200 images, with optional dropout after the hidden layer and L2 weight decay."""
    model = nn.Sequential(nn.Linear(64, 256, random_state=0), nn.ReLU(), nn.Dropout(dropout, random_state=0),
                          nn.Linear(256, 10, random_state=1))
    optimizer = optim.Adam(model.parameters(), lr=3e-3, weight_decay=weight_decay)
    return nn.fit(model, few, F.cross_entropy, optimizer, epochs, val_loader=val, early_stopping=early_stopping)


runs = {
    "no regularisation": regularised(),
    "weight decay 0.003": regularised(weight_decay=0.003),
    "dropout 0.5": regularised(dropout=0.5),
    "both": regularised(dropout=0.5, weight_decay=0.003),
}
for name, run in runs.items():
    print(f"{name:19s} train loss {run.train_loss[-1]:.3f}  best val loss {min(run.val_loss):.3f} "
          f"(epoch {int(np.argmin(run.val_loss)) + 1})  final val loss {run.val_loss[-1]:.3f}  "
          f"val accuracy {run.val_metrics['accuracy'][-1]:.3f}")
stopped = regularised(early_stopping=nn.EarlyStopping(patience=5))
print(f"early stopping: stopped after {stopped.epochs} epochs, kept epoch {stopped.best_epoch + 1}")
# --8<-- [end:regularisation]


# --8<-- [start:regularisation_figure]
fig, ax = plt.subplots(figsize=(7, 3.4))
for (name, run), color in zip(runs.items(), ["#3949ab", "#ef6c00", "#2e7d32", "#8e24aa"]):
    ax.plot(range(1, run.epochs + 1), run.train_loss, "--", color=color, linewidth=1)
    ax.plot(range(1, run.epochs + 1), run.val_loss, color=color, label=name)
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("loss (dashed: training)")
ax.legend(frameon=False)
fig.tight_layout()
regularisation_svg = svg(fig)
# --8<-- [end:regularisation_figure]


# --8<-- [start:batchnorm]
def deep(batch_norm):
    """Six layers of 64 units with sigmoid activations, optionally with batch normalisation before each."""
    layers, width = [], 64
    for i in range(6):
        layers += [nn.Linear(width, 64, random_state=i)]
        layers += [nn.BatchNorm1d(64)] if batch_norm else []
        layers += [nn.Sigmoid()]
    return nn.Sequential(*layers, nn.Linear(64, 10, random_state=6))


for batch_norm in (False, True):
    model = deep(batch_norm)
    run = nn.fit(model, train, F.cross_entropy, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), epochs=5,
                 val_loader=val)
    print(f"batch norm {'on ' if batch_norm else 'off'}: val loss per epoch "
          + " ".join(f"{loss:.3f}" for loss in run.val_loss) + f"  val accuracy {run.val_metrics['accuracy'][-1]:.3f}")
# --8<-- [end:batchnorm]


# --8<-- [start:cnn]
cnn = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1, random_state=0),  # 16 filters of 3 x 3: (N, 16, 8, 8)
    nn.ReLU(),
    nn.MaxPool2d(2),  # (N, 16, 4, 4)
    nn.Conv2d(16, 32, 3, padding=1, random_state=1),  # (N, 32, 4, 4)
    nn.ReLU(),
    nn.MaxPool2d(2),  # (N, 32, 2, 2)
    nn.Flatten(),
    nn.Linear(32 * 2 * 2, 10, random_state=2),
)
train_images = loader(train_rows, shuffle=True, image=True)
val_images, test_images = loader(val_rows, image=True), loader(test_rows, image=True)
cnn_history = nn.fit(cnn, train_images, F.cross_entropy, optim.Adam(cnn.parameters(), lr=5e-3), epochs=12,
                     val_loader=val_images, early_stopping=nn.EarlyStopping(patience=4))
print(f"{sum(p.numel() for p in cnn.parameters())} parameters; kept epoch {cnn_history.best_epoch + 1} "
      f"of {cnn_history.epochs}")
print("test:", {name: round(value, 3) for name, value in nn.evaluate(cnn, test_images, F.cross_entropy).items()})
# --8<-- [end:cnn]


# --8<-- [start:curves_figure]
epochs = range(1, cnn_history.epochs + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
left.plot(epochs, cnn_history.train_loss, color="#9e9e9e", label="training")
left.plot(epochs, cnn_history.val_loss, color="#3949ab", label="validation")
left.axvline(cnn_history.best_epoch + 1, color="#ef6c00", linestyle=":", label="kept")
left.set_xlabel("epoch")
left.set_ylabel("cross-entropy")
left.set_yscale("log")
left.legend(frameon=False)
right.plot(epochs, cnn_history.val_metrics["accuracy"], "o-", color="#3949ab", markersize=3)
right.set_xlabel("epoch")
right.set_ylabel("validation accuracy")
fig.tight_layout()
curves_svg = svg(fig)
# --8<-- [end:curves_figure]


# --8<-- [start:confusion_figure]
with minml.no_grad():
    cnn.eval()
    predicted = np.concatenate([cnn(images).numpy().argmax(axis=1) for images, _ in test_images])
truth = y[test_rows]
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (truth, predicted), 1)  # row: true digit, column: predicted digit

fig, ax = plt.subplots(figsize=(4.6, 4.2))
ax.imshow(confusion, cmap="Blues")
for (row, col), count in np.ndenumerate(confusion):
    if count:
        ax.text(col, row, count, ha="center", va="center", fontsize=8,
                color="white" if count > confusion.max() / 2 else "black")
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("predicted digit")
ax.set_ylabel("true digit")
fig.tight_layout()
confusion_svg = svg(fig)
mistakes = [(int(t), int(p), int(confusion[t, p])) for t, p in zip(*np.nonzero(confusion)) if t != p]
print("mistakes (true, predicted, count):", sorted(mistakes, key=lambda m: -m[2])[:5])
# --8<-- [end:confusion_figure]
