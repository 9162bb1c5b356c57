"""Grader for exercise 01.topological_order: the order in which backward walks the graph."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minml
from minml.grading import expect

pytestmark = pytest.mark.exercise("01.topological_order")

ORDER_HINT = "append a node only after all its inputs (post-order); appending it when first reached is pre-order"


def leaf(value=1.0):
    return minml.tensor(value, dtype="float64", requires_grad=True)


def tracked_inputs(node):
    """The inputs of ``node``'s op that the order must list: Tensors that require grad."""
    if node.grad_fn is None:
        return []
    return [t for t in node.grad_fn.inputs if isinstance(t, minml.Tensor) and t.requires_grad]


def reachable(root):
    """Every tensor ``root`` depends on, found independently (by id)."""
    found, frontier = {id(root): root}, [root]
    while frontier:
        for parent in tracked_inputs(frontier.pop()):
            if id(parent) not in found:
                found[id(parent)] = parent
                frontier.append(parent)
    return found


def check_order(order, root):
    """A valid order: a list holding every tensor root depends on exactly once, each after its inputs."""
    assert isinstance(order, list), f"expected a list of tensors, got {type(order).__name__}"
    assert all(isinstance(t, minml.Tensor) for t in order), "the list must hold the Tensors themselves"
    ids = [id(t) for t in order]
    assert len(ids) == len(set(ids)), (
        f"{len(ids) - len(set(ids))} tensor(s) listed more than once.\n"
        "hint: keep a set of visited nodes (by id) so a tensor reached along two paths is listed once"
    )
    expected = reachable(root)
    missing, extra = expected.keys() - set(ids), set(ids) - expected.keys()
    assert not missing, f"{len(missing)} tensor(s) root depends on are missing from the order"
    assert not extra, (
        f"{len(extra)} tensor(s) in the order are not inputs of root that require grad.\n"
        "hint: skip inputs that are not Tensors or have requires_grad False"
    )
    position = {id(t): i for i, t in enumerate(order)}
    for node in order:
        for parent in tracked_inputs(node):
            assert position[id(parent)] < position[id(node)], (
                f"a {node.grad_fn.function.__name__} node comes before one of its inputs.\nhint: {ORDER_HINT}"
            )
    assert order[-1] is root, "root must come last: it is computed from everything else"


@pytest.mark.points(1)
@pytest.mark.hint("a leaf's grad_fn is None: it has no inputs, so the order is just [root]")
def test_a_leaf_alone(solution):
    x = leaf()
    order = solution(x)
    assert isinstance(order, list) and len(order) == 1 and order[0] is x, "the order of a leaf is [leaf]"


@pytest.mark.points(1)
@pytest.mark.hint("skip op inputs that are Python numbers or arrays: only Tensors are nodes")
def test_a_chain_with_constants(solution):
    x = leaf(0.5)
    a = x * 2.0  # inputs (x, 2.0): the number is a constant, not a node
    b = a.exp()
    c = b + 1.0
    order = solution(c)
    assert [id(t) for t in order] == [id(x), id(a), id(b), id(c)], f"a chain x -> a -> b -> c. hint: {ORDER_HINT}"


@pytest.mark.points(2)
@pytest.mark.hint("keep a set of visited nodes (by id) so a tensor reached along two paths is listed once")
def test_a_diamond(solution):
    x = leaf(0.5)
    h = x * 3.0
    y = h.exp() + h * h  # h feeds two branches that meet again
    check_order(solution(y), y)


@pytest.mark.points(1)
@pytest.mark.hint("list only Tensors with requires_grad: constant tensors and numbers are not part of the walk")
def test_skips_constant_tensors(solution):
    x = leaf(0.5)
    constant = minml.tensor([1.0, 2.0], dtype="float64")  # requires_grad False
    y = (x * constant).sum()
    order = solution(y)
    check_order(order, y)
    assert all(t is not constant for t in order), "a tensor without requires_grad was listed"


@st.composite
def random_graphs(draw):
    """A random DAG of ops on a few scalar leaves; returns its last node (unused branches may dangle)."""
    nodes = [leaf(draw(st.floats(-1, 1))) for _ in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(1, 14))):
        a, b = (nodes[draw(st.integers(0, len(nodes) - 1))] for _ in range(2))
        kind = draw(st.sampled_from(["add", "mul", "tanh", "scale", "constant"]))
        if kind == "add":
            nodes.append(a + b)
        elif kind == "mul":
            nodes.append(a * b)
        elif kind == "tanh":
            nodes.append(a.tanh())
        elif kind == "scale":
            nodes.append(a * 0.5)
        else:
            nodes.append(a + minml.tensor(1.0, dtype="float64"))
    return nodes[-1]


@pytest.mark.points(3)
@pytest.mark.hint(f"every node after all its inputs, each once, nothing else: {ORDER_HINT}")
@given(random_graphs())
def test_random_graphs(solution, root):
    check_order(solution(root), root)


@pytest.mark.points(2)
@pytest.mark.hint("use an explicit stack instead of recursion: Python stops at about 1,000 nested calls")
def test_a_chain_of_100_000_ops(solution):
    x = leaf(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    order = solution(y)
    assert len(order) == 100_001, f"expected 100,001 tensors, got {len(order)}"
    assert order[0] is x and order[-1] is y, "the leaf must come first and the root last"


@pytest.mark.points(2)
@pytest.mark.hint("backward walks your list in reverse: a node passed on early loses the gradients of later uses")
def test_backward_walks_your_order(solution, monkeypatch):
    engine = sys.modules["minml.autograd.backward"]  # the module: minml.autograd.backward is also a function's name
    monkeypatch.setattr(engine, "topological_order", solution)
    host = np.array([0.5, -1.0, 2.0])
    x = minml.tensor(host, requires_grad=True)
    h = x * 3.0
    y = (h.exp() + h * h).sum()  # dy/dx = 3 (e^h + 2h)
    y.backward()
    expect(x.grad, 3 * (np.exp(3 * host) + 6 * host), what="x.grad with minml's backward walking your order")
