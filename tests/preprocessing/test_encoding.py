"""one_hot: against an identity-matrix lookup and scikit-learn, any label shape, clear errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.preprocessing import one_hot
from minml.testing import assert_close, to_host
from minml.testing.strategies import shapes


@st.composite
def labelled(draw):
    """(host integer labels of any shape, n_classes)."""
    n_classes = draw(st.integers(1, 6))
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=0))
    labels = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, n_classes - 1)))
    return labels, n_classes


@given(labelled())
def test_rows_of_the_identity(device, case):
    labels, n_classes = case
    Y = one_hot(backend.to_device(labels, device), n_classes)
    assert backend.device_of(Y) == backend.device(device)
    assert Y.dtype == np.float64
    assert_close(Y, np.eye(n_classes)[labels], rtol=0, atol=0)


def test_agrees_with_sklearn_one_hot_encoder(device):
    preprocessing = pytest.importorskip("sklearn.preprocessing", reason="scikit-learn not installed")
    labels = np.random.default_rng(0).integers(0, 5, size=200)
    encoder = preprocessing.OneHotEncoder(categories=[list(range(7))], sparse_output=False)
    expected = encoder.fit_transform(labels[:, None])
    assert_close(one_hot(backend.to_device(labels, device), 7), expected, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_dtype(device, dtype):
    labels = backend.to_device(np.array([2, 0, 1], dtype=np.int32), device)
    Y = one_hot(labels, 3, dtype=dtype)
    assert Y.dtype == np.dtype(dtype)
    assert_close(Y.astype("float64"), np.eye(3)[[2, 0, 1]], rtol=0, atol=0)


@pytest.mark.parametrize("bad", [-1, 4])
def test_labels_out_of_range_are_refused(device, bad):
    labels = backend.to_device(np.array([0, bad, 2]), device)
    with pytest.raises(ValueError, match=r"\[0, 4\).*" + str(bad)):
        one_hot(labels, 4)


@pytest.mark.parametrize("labels", [np.array([0.0, 1.0]), np.array([True, False])])
def test_non_integer_labels_are_refused(device, labels):
    with pytest.raises(TypeError, match="integers"):
        one_hot(backend.to_device(labels, device), 2)


def test_no_labels_give_an_empty_table(device):
    assert to_host(one_hot(backend.to_device(np.zeros(0, dtype=np.int64), device), 3)).shape == (0, 3)
