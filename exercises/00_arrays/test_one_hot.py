"""Grader for exercise 00.one_hot: integer class labels as rows of the identity matrix."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.grading import expect
from minml.testing import FAKE_DEVICE

pytestmark = pytest.mark.exercise("00.one_hot")


def loop_one_hot(labels, n_classes):
    """The definition, one label at a time: a row of zeros with a 1 at the label's column."""
    flat = labels.reshape(-1).tolist()
    table = np.zeros((len(flat), n_classes))
    for i, label in enumerate(flat):
        table[i, label] = 1.0
    return table.reshape(labels.shape + (n_classes,))


@st.composite
def labelled(draw):
    """(1-D integer labels, n_classes), not every class necessarily present."""
    n_classes = draw(st.integers(1, 6))
    labels = draw(hnp.arrays(np.int64, st.integers(0, 12), elements=st.integers(0, n_classes - 1)))
    return labels, n_classes


@pytest.mark.points(1)
@pytest.mark.hint("row i has its single 1 in column labels[i]; columns count from 0; the default dtype is float64")
def test_small_example(solution):
    Y = solution(np.array([2, 0, 1, 2]), 3)
    expect(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], what="one_hot([2, 0, 1, 2], 3)")
    assert Y.dtype == np.float64, f"the default dtype is float64; got {Y.dtype}"


@pytest.mark.points(1)
@pytest.mark.hint("the table has n_classes columns even when some classes do not occur: not labels.max() + 1")
@given(labelled())
def test_matches_the_loop(solution, case):
    labels, n_classes = case
    expected = loop_one_hot(labels, n_classes)
    expect(solution(labels, n_classes), expected, what=f"one_hot({labels.tolist()}, {n_classes})")


@pytest.mark.points(1)
@pytest.mark.hint("compare labels[..., None] with xp.arange(n_classes): that broadcasts for labels of any shape")
def test_labels_of_any_shape(solution):
    labels = np.array([[0, 3], [2, 2], [1, 0]])
    Y = solution(labels, 4)
    assert Y.shape == (3, 2, 4), f"labels of shape (3, 2) with 4 classes give shape (3, 2, 4); got {Y.shape}"
    expect(Y, loop_one_hot(labels, 4), what="one_hot of a (3, 2) array of labels")
    expect(solution(np.array([1, 0]), 2, dtype="float32").dtype.name, "float32", what="the dtype argument")


@pytest.mark.points(1)
@pytest.mark.hint(
    "check the labels before using them: -1 as an index silently means the last class, and a label >= n_classes "
    "would give an all-zero row; raise ValueError, and TypeError for labels that are not integers"
)
def test_bad_labels_raise(solution):
    for labels in ([0, -1, 2], [0, 3, 1]):
        with pytest.raises(ValueError):
            solution(np.array(labels), 3)
    with pytest.raises(TypeError):
        solution(np.array([0.0, 1.0]), 2)


@pytest.mark.points(1)
@pytest.mark.hint(
    "compute with xp = minml.backend.namespace(labels) (xp.arange, not np.arange), and test the range with "
    "minml.backend.to_scalar(...) rather than if/bool() on a device array: the fake GPU refuses both shortcuts"
)
def test_runs_on_the_fake_gpu(solution):
    labels = np.array([1, 0, 2, 1, 2])
    Y = solution(backend.to_device(labels, FAKE_DEVICE), 3)
    assert backend.device_of(Y) == FAKE_DEVICE, f"the result should stay on the labels' device; it is a {type(Y)}"
    expect(Y, solution(labels, 3), what="one_hot on the fake GPU against one_hot on the cpu")
