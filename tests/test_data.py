"""minml.data: TensorDataset, default_collate and DataLoader (batching, seeded shuffling, devices)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml import backend
from minml.data import DataLoader, Dataset, TensorDataset, default_collate
from minml.testing import to_host, torch_or_skip


def _rows(n: int, seed: int = 0):
    """Features whose first column is the row number, and labels equal to it: batches show which rows they hold."""
    X = np.random.default_rng(seed).normal(size=(n, 3)).astype(np.float32)
    X[:, 0] = np.arange(n)
    return X, np.arange(n, dtype=np.int64)


class ListDataset(Dataset):
    """A dataset of (host array, Python int) samples, read one sample at a time through default_collate."""

    def __init__(self, X, y):
        self.X, self.y = X, y

    def __getitem__(self, index):
        return self.X[index], int(self.y[index])

    def __len__(self):
        return len(self.y)


def _epoch(loader):
    return [tuple(to_host(t) for t in batch) for batch in loader]


# --------------------------------------------------------------------------- TensorDataset


def test_tensor_dataset_indexes_rows_of_every_tensor(device):
    X, y = _rows(5)
    with minml.device(device):
        dataset = TensorDataset(X, y)  # arrays become tensors on the default device, keeping their dtype
    x2, y2 = dataset[2]
    assert len(dataset) == 5
    assert x2.device == device and y2.device == device and x2.dtype == np.float32
    np.testing.assert_array_equal(to_host(x2), X[2])
    assert y2.item() == 2 and y2.dtype == np.int64
    xs, ys = dataset[np.array([4, 0])]
    np.testing.assert_array_equal(to_host(xs), X[[4, 0]])
    np.testing.assert_array_equal(to_host(ys), [4, 0])


def test_tensor_dataset_rejects_unequal_lengths_and_no_tensors(device):
    with pytest.raises(ValueError, match=r"same first dimension; got lengths \[3, 2\]"):
        TensorDataset(minml.zeros(3, 2, device=device), minml.zeros(2, device=device))
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_dataset_base_class_names_what_to_define(device):
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Dataset())


# --------------------------------------------------------------------------- default_collate


def test_default_collate_stacks_fields_keeping_tensor_dtype_rules(device):
    samples = [(minml.tensor([1.0, 2.0], device=device), np.float64(0.5), 3), (minml.ones(2, device=device), 1.5, 4)]
    xs, halves, ints = default_collate(samples)
    assert xs.shape == (2, 2) and xs.device == device
    np.testing.assert_array_equal(to_host(xs), [[1, 2], [1, 1]])
    assert halves.dtype == np.float64  # a NumPy float64 keeps its dtype ...
    assert ints.dtype == np.int64 and ints.tolist() == [3, 4]  # ... and Python ints become int64
    (single,) = default_collate([minml.zeros(3, device=device), minml.ones(3, device=device)])
    assert single.shape == (2, 3)


def test_default_collate_rejects_ragged_and_empty_batches(device):
    with pytest.raises(ValueError, match="same number of fields"):
        default_collate([(minml.zeros(1, device=device), 1), (minml.zeros(1, device=device),)])
    with pytest.raises(ValueError, match="empty"):
        default_collate([])


# --------------------------------------------------------------------------- DataLoader


@pytest.mark.parametrize("n, batch_size, drop_last", [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False)])
def test_batches_in_order_cover_the_dataset(device, n, batch_size, drop_last):
    X, y = _rows(n)
    loader = DataLoader(TensorDataset(minml.tensor(X, device=device), y), batch_size=batch_size, drop_last=drop_last)
    batches = _epoch(loader)
    expected = n // batch_size if drop_last else math.ceil(n / batch_size)
    assert len(loader) == len(batches) == expected
    sizes = [len(xb) for xb, _ in batches]
    assert all(size == batch_size for size in sizes[:-1]) and (not drop_last or sizes[-1] == batch_size)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), np.arange(sum(sizes)))
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches]), X[: sum(sizes)])


@given(n=st.integers(0, 30), batch_size=st.integers(1, 8), drop_last=st.booleans(), seed=st.integers(0, 2**16))
def test_a_shuffled_epoch_is_a_permutation_with_rows_kept_together(device, n, batch_size, drop_last, seed):
    X, y = _rows(n)
    loader = DataLoader(TensorDataset(X, y), batch_size, shuffle=True, drop_last=drop_last, random_state=seed)
    batches = _epoch(loader)
    assert len(batches) == len(loader)
    seen = np.concatenate([yb for _, yb in batches]) if batches else np.zeros(0, np.int64)
    assert len(set(seen.tolist())) == len(seen) == len(loader) * batch_size - (0 if drop_last else -n % batch_size)
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], yb)  # features and labels of one sample stay together


def test_each_epoch_is_reshuffled_and_a_seed_reproduces_every_epoch(device):
    X, y = _rows(40)
    make = lambda seed: DataLoader(TensorDataset(X, y), 8, shuffle=True, random_state=seed, device=device)
    first, again, other = make(3), make(3), make(4)
    epochs = [np.concatenate([yb for _, yb in _epoch(first)]) for _ in range(3)]
    assert not np.array_equal(epochs[0], epochs[1]) and not np.array_equal(epochs[1], epochs[2])
    for epoch in epochs:
        np.testing.assert_array_equal(np.concatenate([yb for _, yb in _epoch(again)]), epoch)
    assert not np.array_equal(np.concatenate([yb for _, yb in _epoch(other)]), epochs[0])


def test_shuffling_never_touches_numpy_global_seed(device):
    state = np.random.get_state()[1].copy()
    X, y = _rows(20)
    _epoch(DataLoader(TensorDataset(X, y), 4, shuffle=True, device=device))
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_device_places_every_batch_and_none_keeps_the_data_device(device):
    X, y = _rows(7)
    for xb, yb in DataLoader(TensorDataset(X, y), 3, device=device):
        assert xb.device == device and yb.device == device
    on_device = TensorDataset(minml.tensor(X, device=device), minml.tensor(y, device=device))
    for xb, yb in DataLoader(on_device, 3):
        assert xb.device == device and yb.device == device
    assert DataLoader(on_device, 3, device=device).device == backend.device(device)


def test_any_dataset_gives_the_same_batches_as_a_tensor_dataset(device):
    """The sample-by-sample path (ListDataset + default_collate) and the one-gather path agree."""
    X, y = _rows(23)
    gathered = DataLoader(TensorDataset(X, y), 5, shuffle=True, random_state=1, device=device)
    collated = DataLoader(ListDataset(X, y), 5, shuffle=True, random_state=1, device=device)
    for (xa, ya), (xb, yb) in zip(gathered, collated, strict=True):
        assert xb.device == device and xb.dtype == np.float32 and yb.dtype == np.int64
        np.testing.assert_array_equal(to_host(xa), to_host(xb))
        np.testing.assert_array_equal(to_host(ya), to_host(yb))


@pytest.mark.parametrize("n, batch_size, drop_last", [(23, 5, False), (23, 5, True), (4, 8, False)])
def test_in_order_slices_give_the_same_batches_as_index_arrays(device, n, batch_size, drop_last):
    """Without shuffling a TensorDataset is read by slicing (views of its tensors), the same rows as gathering."""
    X, y = _rows(n)
    dataset = TensorDataset(minml.tensor(X, device=device), minml.tensor(y, device=device))
    loader = DataLoader(dataset, batch_size, drop_last=drop_last)
    starts = range(0, len(loader) * batch_size, batch_size)
    gathered = [dataset[np.arange(start, min(start + batch_size, n))] for start in starts]
    for sliced, expected in zip(loader, gathered, strict=True):
        for a, b in zip(sliced, expected, strict=True):
            assert a.shape == b.shape and a.dtype == b.dtype and a.device == b.device == device
            np.testing.assert_array_equal(to_host(a), to_host(b))
    (xb, yb), *_ = loader
    assert xb.data.base is not None and yb.data.base is not None  # views into the dataset, no copy


def test_collate_fn_receives_the_list_of_samples(device):
    X, y = _rows(6)
    seen = []

    def collate(samples):
        seen.append(len(samples))
        return (minml.tensor(np.stack([x for x, _ in samples]), device=device),)

    (batch,) = next(iter(DataLoader(TensorDataset(X, y), 4, collate_fn=collate)))
    assert seen == [4] and batch.shape == (4, 3) and batch.device == device


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True, "4"])
def test_batch_size_must_be_a_positive_int(device, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        DataLoader(TensorDataset(minml.zeros(4, device=device)), batch_size)


@pytest.mark.parametrize("n, batch_size, drop_last", [(10, 3, False), (10, 3, True), (12, 4, True), (1, 4, True)])
def test_batches_match_torch_dataloader(device, n, batch_size, drop_last):
    torch = torch_or_skip()
    X, y = _rows(n)
    ours = DataLoader(TensorDataset(minml.tensor(X, device=device), y), batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(y)), batch_size, drop_last=drop_last
    )
    assert len(ours) == len(theirs)
    for (xa, ya), (xb, yb) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(to_host(xa), xb.numpy())
        np.testing.assert_array_equal(to_host(ya), yb.numpy())
