"""Indexing and embedding (minml/autograd/indexing.py), plus the rules of ``Tensor.__setitem__``."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minml
from minml.testing import check_against_torch, gradcheck_on, standard_normal, to_host, torch_or_skip
from minml.testing.strategies import float_arrays, shapes

# --------------------------------------------------------------------------- gradcheck properties


@given(x=float_arrays(min_side=0, max_side=3), data=st.data())
def test_basic_index_gradcheck(device, x, data):
    """Ints (negative too), slices with any step, None and Ellipsis."""
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True, allow_ellipsis=True))
    out = minml.tensor(x, device=device)[index]
    np.testing.assert_array_equal(out.numpy(), x[index])
    gradcheck_on(device, lambda t: t[index], x)


@given(x=float_arrays(min_dims=1, max_side=3), data=st.data())
def test_integer_array_index_gradcheck(device, x, data):
    """Integer arrays pick elements, often the same one several times: gradients must add up."""
    index = data.draw(hnp.integer_array_indices(x.shape, result_shape=shapes(max_dims=2, max_side=4)))
    gradcheck_on(device, lambda t: t[index], x)


@given(x=float_arrays(min_dims=2, max_side=3), data=st.data())
def test_mixed_index_gradcheck(device, x, data):
    """An integer list on the first axis and a slice on the second, as in t[[0, 0, 1], 1:]."""
    rows = data.draw(st.lists(st.integers(-x.shape[0], x.shape[0] - 1), min_size=1, max_size=4))
    columns = data.draw(st.lists(st.integers(0, x.shape[-1] - 1), min_size=1, max_size=4))
    start = data.draw(st.integers(0, x.shape[1]))
    gradcheck_on(device, lambda t: t[rows, start:], x)
    gradcheck_on(device, lambda t: t[..., columns], x)


@given(x=float_arrays(max_side=3, min_magnitude=0.1), data=st.data())
def test_boolean_mask_gradcheck(device, x, data):
    """t[t > 0] (the mask comes from a comparison) and a drawn host mask."""
    mask = data.draw(hnp.arrays(np.bool_, x.shape))
    gradcheck_on(device, lambda t: t[t > 0], x)
    gradcheck_on(device, lambda t: t[mask], x)


@given(weight=float_arrays(min_dims=2, max_dims=2, max_side=3), data=st.data())
def test_embedding_gradcheck(device, weight, data):
    indices = data.draw(hnp.arrays(np.int64, shapes(min_dims=1, max_dims=2, max_side=3),
                                   elements=st.integers(0, weight.shape[0] - 1)))
    out = minml.embedding(minml.tensor(weight, device=device), indices)
    assert out.shape == indices.shape + (weight.shape[1],)
    gradcheck_on(device, lambda w: minml.embedding(w, indices), weight)
    gradcheck_on(device, lambda w, i: minml.embedding(w, i), weight, indices)  # indices as a Tensor


# --------------------------------------------------------------------------- gradient accumulation


def test_repeated_index_accumulates(device):
    t = minml.tensor([1.0, 2.0, 3.0, 4.0], device=device, requires_grad=True)
    t[[0, 0, 2]].sum().backward()
    np.testing.assert_array_equal(to_host(t.grad), [2.0, 0.0, 1.0, 0.0])


def test_embedding_repeated_rows_accumulate(device):
    weight = minml.tensor(standard_normal(4, 2), device=device, requires_grad=True)
    indices = minml.tensor([[0, 3], [3, 3]], device=device)
    minml.embedding(weight, indices).sum().backward()
    np.testing.assert_array_equal(to_host(weight.grad), [[1, 1], [0, 0], [0, 0], [3, 3]])


# --------------------------------------------------------------------------- against PyTorch

INDEXES = {
    "int": lambda lib, x: x[1],
    "negative-int": lambda lib, x: x[-1, -2],
    "slice-step": lambda lib, x: x[::2, 1:4:2],
    "slice-step-3d": lambda lib, x: x[:, :, 1::3],
    "none": lambda lib, x: x[None, :, 1],
    "ellipsis": lambda lib, x: x[..., 2],
    "ellipsis-none": lambda lib, x: x[1, ..., None],
    "repeated-list": lambda lib, x: x[[0, 0, 2]],
    "repeated-list-axis-1": lambda lib, x: x[:, [1, 1, 0]],
    "mixed-list-slice": lambda lib, x: x[[0, 1], 1:],
    "two-lists": lambda lib, x: x[[0, 2, 2], [1, 1, 0]],
    "mask-from-comparison": lambda lib, x: x[x > 0],
    "mask-one-axis": lambda lib, x: x[x[:, 0, 0] > 0],
    "chained": lambda lib, x: x[1:][[0, 0]][..., ::2],
}


@pytest.mark.parametrize("case", INDEXES)
def test_getitem_against_torch(device, case):
    check_against_torch(INDEXES[case], standard_normal(3, 4, 5), device=device)


@pytest.mark.parametrize("index", [np.array([2, 0, 2, 2]), np.array([[0, 1], [1, 1]]), np.array([-1, 0])])
def test_integer_tensor_index_against_torch(device, index):
    """The index arrives as an int64 Tensor (check_against_torch passes integer arrays as constants)."""
    check_against_torch(lambda lib, x, i: x[i], standard_normal(3, 4), index, device=device)
    check_against_torch(lambda lib, x, i: x[:, i], standard_normal(3, 4), index, device=device)


@pytest.mark.parametrize("indices", [np.array([1, 1, 4, 0, 1]), np.array([[0, 2], [2, 2], [4, 0]])])
def test_embedding_against_torch(device, indices):
    torch = torch_or_skip()

    def embed(lib, weight, idx):
        return minml.embedding(weight, idx) if lib is minml else torch.nn.functional.embedding(idx, weight)

    check_against_torch(embed, standard_normal(5, 3), indices, device=device)


# --------------------------------------------------------------------------- errors and __setitem__


def test_embedding_rejects_float_indices(device):
    weight = minml.tensor(standard_normal(4, 2), device=device)
    with pytest.raises(TypeError, match="integer"):
        minml.embedding(weight, minml.tensor([0.0, 1.0], device=device))
    with pytest.raises(TypeError, match="integer"):
        minml.embedding(weight, np.array([0.0, 1.0]))


def test_setitem_on_leaf_requiring_grad(device):
    t = minml.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        t[0] = 5.0
    with minml.no_grad():
        t[0] = 5.0
        t[[1, 2]] = minml.tensor([7.0, 8.0], device=device)
    np.testing.assert_array_equal(t.detach().numpy(), [5.0, 7.0, 8.0])
    assert t.requires_grad and t.is_leaf


def test_setitem_on_non_leaf_raises(device):
    t = minml.tensor([1.0, 2.0], device=device, requires_grad=True)
    doubled = t * 2
    with pytest.raises(RuntimeError, match="graph"):
        doubled[0] = 0.0
    with minml.no_grad(), pytest.raises(RuntimeError, match="graph"):
        doubled[0] = 0.0


def test_setitem_without_grad_and_with_mask(device):
    t = minml.tensor([-1.0, 2.0, -3.0], device=device)
    t[t < 0] = 0.0
    np.testing.assert_array_equal(t.numpy(), [0.0, 2.0, 0.0])
