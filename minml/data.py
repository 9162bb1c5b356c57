"""Feeding a model: datasets and the loader that cuts them into (shuffled) minibatches.

A :class:`Dataset` is anything with ``len(dataset)`` and ``dataset[i]`` (one
sample, usually a tuple such as ``(x, y)``). A :class:`DataLoader` walks a
dataset in minibatches, as PyTorch's does::

    loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True, random_state=0, device="cuda")
    for epoch in range(10):
        for xb, yb in loader:          # a new order each epoch; one seed, the same orders every run
            loss = loss_fn(model(xb), yb)

Every batch is a tuple of Tensors. Shuffling draws one permutation of
``range(len(dataset))`` per epoch from :func:`minml.backend.rng`, so a
``random_state`` makes the whole sequence of epochs reproducible (and the same
on every device). An epoch has ``ceil(n / batch_size)`` batches, or
``floor(n / batch_size)`` with ``drop_last=True``, which drops the short last batch.
"""

from __future__ import annotations

import numbers

from minml import backend
from minml.autograd.shape import stack
from minml.autograd.tensor import Tensor, tensor

__all__ = ["Dataset", "TensorDataset", "DataLoader", "default_collate"]


class Dataset:
    """An indexable collection of samples: subclasses define ``__len__`` and ``__getitem__(i)``.

    ``__getitem__`` returns one sample: a Tensor, an array-like, or a tuple of
    them (``(features, label)``). :func:`default_collate` stacks samples into a batch.
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index)")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__()")


class TensorDataset(Dataset):
    """Samples made of rows of tensors: ``dataset[i] == (tensors[0][i], tensors[1][i], ...)``.

    Arrays and lists are converted with :func:`minml.tensor` (keeping their dtype).
    ``dataset[start:stop]`` (views) or ``dataset[index_array]`` (one gather per
    tensor) gives a whole batch, which is how :class:`DataLoader` reads it.
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor, e.g. TensorDataset(X, y)")
        self.tensors = tuple(t if isinstance(t, Tensor) else tensor(t) for t in tensors)
        lengths = [len(t) for t in self.tensors]
        if len(set(lengths)) != 1:
            raise ValueError(f"every tensor of a TensorDataset needs the same first dimension; got lengths {lengths}")

    def __getitem__(self, index) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


def default_collate(samples) -> tuple[Tensor, ...]:
    """Stack a list of samples into one batch: a tuple with one Tensor per field.

    Samples that are tuples or lists are split into fields (``(x, y)`` gives
    ``(X, Y)``); any other sample is a single field. Each item becomes a Tensor
    by :func:`minml.tensor`'s rules, then the items of a field are stacked along a
    new first axis.
    """
    if not samples:
        raise ValueError("cannot collate an empty list of samples")
    rows = samples if isinstance(samples[0], (tuple, list)) else [(sample,) for sample in samples]
    if len({len(row) for row in rows}) != 1:
        raise ValueError("every sample of a batch needs the same number of fields")
    return tuple(stack([item if isinstance(item, Tensor) else tensor(item) for item in field]) for field in zip(*rows))


class DataLoader:
    """Iterate over ``dataset`` in minibatches of ``batch_size`` samples, each a tuple of Tensors.

    Parameters
    ----------
    batch_size : samples per batch (the last one may be smaller unless ``drop_last``).
    shuffle : draw a new random order every epoch (every ``iter(loader)``).
    drop_last : drop the last batch when it is shorter than ``batch_size``.
    random_state : seed (int, NumPy Generator or :class:`minml.backend.RandomGenerator`) of the
        shuffling; one seed gives the same sequence of epochs every run.
    device : where to put each batch (``"cuda"``, the model's device); None keeps the data's device.
    collate_fn : turns a list of samples into a batch; default :func:`default_collate`.
        A :class:`TensorDataset` with no ``collate_fn`` is read a whole batch at a time instead:
        a slice of each tensor in order, one gather per tensor when shuffled.
    """

    def __init__(
        self,
        dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        random_state=None,
        device=None,
        collate_fn=None,
    ):
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int; got {batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.device = None if device is None else backend.device(device)
        self.collate_fn = collate_fn
        self._rng = backend.rng(random_state, "cpu")  # orders are drawn on the host

    def __len__(self) -> int:
        """Batches per epoch."""
        full, rest = divmod(len(self.dataset), self.batch_size)
        return full + (rest > 0 and not self.drop_last)

    def __iter__(self):
        n = len(self.dataset)
        order = self._rng.permutation(n) if self.shuffle else None  # host indices; data stays put
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            stop = min(start + self.batch_size, n)
            rows = slice(start, stop) if order is None else order[start:stop]
            batch = self._fetch(rows)
            yield batch if self.device is None else tuple(t.to(self.device) for t in batch)

    def _fetch(self, rows) -> tuple[Tensor, ...]:
        """The samples at ``rows`` as one batch: a slice in order, a host int array when shuffled.

        A :class:`TensorDataset` read with a slice gives views of its tensors (no copy);
        with an index array, one gather per tensor.
        """
        if self.collate_fn is None and isinstance(self.dataset, TensorDataset):
            return self.dataset[rows]
        indices = range(len(self.dataset))[rows] if isinstance(rows, slice) else rows.tolist()
        return (self.collate_fn or default_collate)([self.dataset[i] for i in indices])

    def __repr__(self) -> str:
        return (
            f"DataLoader(batches={len(self)}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
            f"drop_last={self.drop_last}, device={self.device})"
        )
