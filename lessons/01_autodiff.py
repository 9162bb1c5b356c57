"""Lesson 01 — Automatic differentiation from scratch.

A scalar engine first (``Value``, written here), then minml's tensors: the
computational graph, the chain rule, topological order, gradient accumulation,
undoing broadcasting, gradient checking, and gradient descent as the payoff.

Run it on its own (``python lessons/01_autodiff.py``); the course page
docs/lessons/01-autodiff.md runs the same sections one by one. Tensors live on
the default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU;
``.item()`` and ``.numpy()`` bring numbers to the host only to print or plot.
"""

# --8<-- [start:value]
import math


class Value:
    """A scalar that remembers how it was computed, so it can be differentiated."""

    def __init__(self, data, inputs=(), op="", label=""):
        self.data = data
        self.grad = 0.0  # dL/d(this value), filled in by backward()
        self.inputs = inputs  # the Values this one was computed from
        self.op = op
        self.label = label
        self._backward = lambda: None  # pushes self.grad into the inputs' .grad

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__  # 2 + v
    __rmul__ = __mul__  # 2 * v

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():  # d tanh(a)/da = 1 - tanh(a)²
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        """Fill ``.grad`` of every Value this one depends on with d(self)/d(that value)."""
        order = topological(self)
        self.grad = 1.0  # dL/dL
        for v in reversed(order):  # outputs before inputs
            v._backward()

    def __repr__(self):
        return f"Value({self.label or self.op}: data={self.data:.4f}, grad={self.grad:.4f})"


def topological(root):
    """Every Value ``root`` depends on, each after its inputs (a recursive depth-first search)."""
    order, seen = [], set()

    def visit(v):
        if v not in seen:
            seen.add(v)
            for u in v.inputs:
                visit(u)
            order.append(v)  # after all its inputs

    visit(root)
    return order
# --8<-- [end:value]


# --8<-- [start:expression]
x = Value(1.5, label="x")
w = Value(-0.8, label="w")
b = Value(0.4, label="b")
u = x * w
u.label = "u"
z = u + b
z.label = "z"
y = z.tanh()
y.label = "y"
L = y * x  # x is used twice: in u and here
L.label = "L"
L.backward()
for v in topological(L):
    print(v)
# --8<-- [end:expression]


# --8<-- [start:by_hand]
t = math.tanh(-0.8)
dL_dy = 1.5  # L = y x
dL_dz = dL_dy * (1 - t * t)  # y = tanh z
dL_dw = dL_dz * 1.5  # u = w x, z = u + b
dL_dx = t + dL_dz * -0.8  # two paths: L = y x directly, and through u
print(f"by hand: dL/dx = {dL_dx:.6f}, dL/dw = {dL_dw:.6f}, dL/db = {dL_dz:.6f}")
print(f"Value:   dL/dx = {x.grad:.6f}, dL/dw = {w.grad:.6f}, dL/db = {b.grad:.6f}")
# --8<-- [end:by_hand]


# --8<-- [start:graph_figure]
import matplotlib

matplotlib.use("Agg")  # draw to files and strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg


def draw_graph(root):
    """The graph of ``root`` left to right: a box per Value (data, grad), an op node before each result."""
    order = topological(root)
    column = {}
    for v in order:  # inputs come first, so their columns are known
        column[v] = 1 + max((column[u] for u in v.inputs), default=-1)
    leaves = {}
    for v in order:  # a leaf goes just left of its first consumer
        for u in v.inputs:
            if not u.inputs:
                leaves[u] = min(leaves.get(u, column[v] - 1), column[v] - 1)
    column.update(leaves)
    rows = {}
    for v in order:
        rows.setdefault(column[v], []).append(v)
    where = {v: (2.6 * c, 1.4 * ((len(vs) - 1) / 2 - vs.index(v))) for c, vs in rows.items() for v in vs}
    fig, ax = plt.subplots(figsize=(9, 2.9))
    for v in order:
        vx, vy = where[v]
        ax.text(vx, vy, f"{v.label} = {v.data:.3f}\ngrad = {v.grad:.3f}", ha="center", va="center", fontsize=9,
                family="monospace", zorder=3,
                bbox={"boxstyle": "round,pad=0.35", "facecolor": "#eef2ff", "edgecolor": "#3949ab"})
        if not v.op:
            continue
        ox = vx - 1.2  # the op sits just left of the value it produced
        ax.text(ox, vy, v.op, ha="center", va="center", fontsize=9, zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff3e0", "edgecolor": "#ef6c00"})
        ax.annotate("", (vx - 0.72, vy), (ox + 0.25, vy), arrowprops={"arrowstyle": "->"})
        for u in v.inputs:
            ux, uy = where[u]
            bend = -0.3 if vx - ux > 3 else 0.0  # long edges arc over the others
            ax.annotate("", (ox - 0.25, vy), (ux + 0.72, uy), arrowprops={
                "arrowstyle": "->", "color": "#555", "connectionstyle": f"arc3,rad={bend}"})
    ax.set_xlim(-1.0, max(x for x, _ in where.values()) + 1.0)
    ax.set_ylim(-1.3, 2.0)
    ax.axis("off")
    return fig


graph_svg = svg(draw_graph(L))
# --8<-- [end:graph_figure]


# --8<-- [start:deep]
chain = Value(1.0)
for _ in range(5_000):
    chain = chain * 1.0
try:
    chain.backward()
except RecursionError as error:
    print("Value.backward on a chain of 5,000 ops:", type(error).__name__)
# --8<-- [end:deep]


# --8<-- [start:tensors]
import minml

x = minml.tensor(1.5, requires_grad=True)
w = minml.tensor(-0.8, requires_grad=True)
b = minml.tensor(0.4, requires_grad=True)
y = (w * x + b).tanh()
L = y * x
L.backward()
print(f"L = {L.item():.6f} on {L.device}")
print(f"minml: dL/dx = {x.grad.item():.6f}, dL/dw = {w.grad.item():.6f}, dL/db = {b.grad.item():.6f}")
# --8<-- [end:tensors]


# --8<-- [start:topological_order]
from minml.autograd.backward import topological_order

names = {id(x): "x", id(w): "w", id(b): "b"}
print([names.get(id(t)) or t.grad_fn.function.__name__ for t in topological_order(L)])

deep = minml.tensor(1.0, requires_grad=True)
out = deep
for _ in range(20_000):
    out = out * 1.0
print(f"a chain of 20,000 ops: {len(topological_order(out))} nodes in order, no recursion")
out.backward()
print("d out / d deep =", deep.grad.item())
# --8<-- [end:topological_order]


# --8<-- [start:accumulation]
# .grad is a raw backend array (NumPy or CuPy); asnumpy brings it to the host for printing
from minml.backend import asnumpy

a = minml.tensor([1.0, 2.0, 3.0], requires_grad=True)
(a * a).sum().backward()  # a feeds both factors: d(a²)/da = a + a, summed by the engine
print("after one backward:   a.grad =", asnumpy(a.grad))
(a * a).sum().backward()  # a second, fresh graph: .grad adds up
print("after two backwards:  a.grad =", asnumpy(a.grad))
a.grad = None  # zero it before the next step (optimizers call this zero_grad)
(a * a).sum().backward()
print("after zeroing:        a.grad =", asnumpy(a.grad))
# --8<-- [end:accumulation]


# --8<-- [start:broadcasting]
import numpy as np

from minml.autograd.function import unbroadcast

rng = np.random.default_rng(0)
X = minml.tensor(rng.standard_normal((4, 3)))  # a batch of 4 examples, 3 features
W = minml.tensor(rng.standard_normal((3, 2)), requires_grad=True)
bias = minml.tensor(np.zeros(2), requires_grad=True)  # shape (2,), broadcast over the 4 rows
Y = X @ W + bias  # shape (4, 2)
upstream = minml.tensor(rng.standard_normal((4, 2)))  # some dL/dY
Y.backward(upstream)
print("bias.grad         =", asnumpy(bias.grad))
print("dL/dY summed over the batch =", upstream.numpy().sum(axis=0))
print("unbroadcast (4, 3, 2) -> (3, 1):", asnumpy(unbroadcast(minml.ones(4, 3, 2).data, (3, 1))).tolist())
# --8<-- [end:broadcasting]


# --8<-- [start:numerical]
from minml.autograd.gradcheck import numerical_gradient

v = minml.tensor([0.3, -1.2, 2.0], dtype="float64", requires_grad=True)
(v.tanh() * v).sum().backward()
estimate = numerical_gradient(lambda: (v.tanh() * v).sum().item(), v)
print("backward:            ", asnumpy(v.grad))
print("central differences: ", estimate)
print(f"largest difference:   {np.abs(asnumpy(v.grad) - estimate).max():.1e}")
# --8<-- [end:numerical]


# --8<-- [start:gradcheck]
import textwrap


class SquareWithABug(minml.Function):
    """y = a², with the classic slip in backward: the factor 2 is missing."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return grad * a  # should be 2 * a * grad


inputs = minml.tensor(rng.standard_normal((2, 3)))
print("tanh(a) @ a.T passes:", minml.gradcheck(lambda a: a.tanh() @ a.T, inputs))
try:
    minml.gradcheck(SquareWithABug.apply, inputs)
except minml.GradcheckError as error:
    print("SquareWithABug fails:\n" + textwrap.fill(str(error), 88))
# --8<-- [end:gradcheck]


# --8<-- [start:gradient_figure]
grid = minml.tensor(np.linspace(-3, 3, 41), requires_grad=True)  # float64
grid.tanh().sum().backward()  # element i of the sum depends only on grid[i]: grad = tanh'
finite = numerical_gradient(lambda: grid.tanh().sum().item(), grid)

point = minml.tensor([0.5], dtype="float64")
exact = 1 - math.tanh(0.5) ** 2
steps = np.logspace(-14, -1, 40)
f = lambda: point.tanh().sum().item()
central_error = [abs(numerical_gradient(f, point, eps)[0] - exact) for eps in steps]
forward_error = []
for eps in steps:
    base = f()
    point.data[0] = 0.5 + eps
    forward_error.append(abs((f() - base) / eps - exact))
    point.data[0] = 0.5

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
xs = grid.detach().numpy()
left.plot(xs, np.tanh(xs), color="#9e9e9e", label="tanh x")
left.plot(xs, asnumpy(grid.grad), color="#3949ab", label="d tanh/dx, backward")
left.plot(xs[::2], finite[::2], "o", color="#ef6c00", markersize=4, label="central differences")
left.set_xlabel("x")
left.legend(frameon=False)
right.loglog(steps, forward_error, color="#9e9e9e", label="forward (f(x+ε) - f(x)) / ε")
right.loglog(steps, central_error, color="#3949ab", label="central (f(x+ε) - f(x-ε)) / 2ε")
right.set_xlabel("step ε")
right.set_ylabel("error of d tanh/dx at 0.5")
right.legend(frameon=False)
fig.tight_layout()
gradient_svg = svg(fig)
# --8<-- [end:gradient_figure]


# --8<-- [start:descent]
inputs_host = np.linspace(0, 3, 50)
targets_host = 1.5 * inputs_host - 0.7 + 0.3 * rng.standard_normal(50)
xs, ys = minml.tensor(inputs_host), minml.tensor(targets_host)  # float64, on the default device

slope = minml.tensor(-0.5, dtype="float64", requires_grad=True)
intercept = minml.tensor(2.5, dtype="float64", requires_grad=True)
path = [(slope.item(), intercept.item())]
for step in range(60):
    loss = ((slope * xs + intercept - ys) ** 2).mean()
    loss.backward()
    for p in (slope, intercept):
        p.data -= 0.15 * p.grad  # a step downhill, on the raw array: not part of any graph
        p.grad = None  # zero before the next backward
    path.append((slope.item(), intercept.item()))
    if step % 15 == 0 or step == 59:
        print(f"step {step:2d}  loss {loss.item():.4f}  slope {path[-1][0]:+.3f}  intercept {path[-1][1]:+.3f}")
# --8<-- [end:descent]


# --8<-- [start:surface_figure]
def loss_surface(slopes, intercepts):
    """The mean squared error at every (slope, intercept) pair of a grid, by broadcasting."""
    predictions = slopes[..., None] * xs + intercepts[..., None]  # (n, n, 50)
    return ((predictions - ys) ** 2).mean(axis=-1)  # (n, n)


S, B = np.meshgrid(np.linspace(-1.0, 3.0, 60), np.linspace(-2.5, 3.0, 60))
with minml.no_grad():
    surface = loss_surface(minml.tensor(S), minml.tensor(B)).numpy()

S_arrows, B_arrows = np.meshgrid(np.linspace(-0.8, 2.8, 10), np.linspace(-2.2, 2.7, 10))
arrow_slopes = minml.tensor(S_arrows, requires_grad=True)
arrow_intercepts = minml.tensor(B_arrows, requires_grad=True)
loss_surface(arrow_slopes, arrow_intercepts).sum().backward()  # each grid point's own gradient

fig, ax = plt.subplots(figsize=(6.4, 4.6))
ax.contour(S, B, surface, levels=np.geomspace(surface.min() * 1.05, surface.max(), 14), cmap="viridis")
ax.quiver(S_arrows, B_arrows, -asnumpy(arrow_slopes.grad), -asnumpy(arrow_intercepts.grad), color="#9e9e9e",
          angles="xy", scale_units="xy", scale=25, width=0.003)
ax.plot(*np.array(path).T, "o-", color="#ef6c00", markersize=3, label="gradient descent")
ax.set_xlabel("slope")
ax.set_ylabel("intercept")
ax.legend(frameon=False, loc="lower left")
surface_svg = svg(fig)
# --8<-- [end:surface_figure]
