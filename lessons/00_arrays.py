"""Lesson 00 — Arrays and devices.

Why array code beats Python loops (timed), how broadcasting lines shapes up, how an
array sits in memory (strides, views, copies, contiguity, timed), and how minml runs one
piece of code on NumPy (CPU) or CuPy (GPU) through ``minml.backend``.

Run it on its own (``python lessons/00_arrays.py``); the course page
docs/lessons/00-arrays.md runs the same sections one by one. The first sections are
about NumPy on the host; the device sections use the default device (``MINML_DEVICE``,
else cpu), so ``MINML_DEVICE=cuda python lessons/00_arrays.py`` runs them on a GPU and
``MINML_DEVICE=fake`` on minml's fake GPU.
"""

# --8<-- [start:setup]
import time

import numpy as np

from minml import backend
from minml.testing import FAKE_DEVICE  # importing minml.testing registers the fake GPU, "fake"

device = backend.default_device()  # MINML_DEVICE, else cpu
print("default device:", device)


def best_time(f, *args, repeat=5):
    """The fastest of ``repeat`` calls of f(*args), in seconds: the least disturbed measurement."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - start)
    return min(times)
# --8<-- [end:setup]


# --8<-- [start:loop]
def sq_distance_loop(x, y):
    """||x - y||² one element at a time, in the Python interpreter."""
    total = 0.0
    for a, b in zip(x, y):
        total += (a - b) ** 2
    return total


def sq_distance_vectorized(x, y):
    """||x - y||² as two array operations: a subtraction and a dot product, in compiled code."""
    d = x - y
    return d @ d


rng = np.random.default_rng(0)
n = 200_000
x, y = rng.standard_normal(n), rng.standard_normal(n)
x_list, y_list = x.tolist(), y.tolist()  # plain Python floats: the fairest case for the loop

t_loop = best_time(sq_distance_loop, x_list, y_list)
t_loop_numpy = best_time(sq_distance_loop, x, y, repeat=2)  # each element boxed as a NumPy scalar
t_vector = best_time(sq_distance_vectorized, x, y, repeat=20)  # cheap: more tries, less noise
print(f"n = {n:,}: same value? {np.isclose(sq_distance_loop(x_list, y_list), sq_distance_vectorized(x, y))}")
print(f"loop over Python lists  {t_loop * 1e3:8.2f} ms")
print(f"loop over a NumPy array {t_loop_numpy * 1e3:8.2f} ms")
print(f"vectorized              {t_vector * 1e3:8.2f} ms   -> {t_loop / t_vector:.0f}x faster than the list loop")
# --8<-- [end:loop]


# --8<-- [start:loop_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

sizes = [10, 100, 1_000, 10_000, 100_000, 1_000_000]
loop_times, vector_times = [], []
for size in sizes:
    a, b = rng.standard_normal(size), rng.standard_normal(size)
    loop_times.append(best_time(sq_distance_loop, a.tolist(), b.tolist(), repeat=3))
    vector_times.append(best_time(sq_distance_vectorized, a, b, repeat=20))

fig, ax = plt.subplots(figsize=(6.4, 3.8))
ax.loglog(sizes, loop_times, "o-", label="Python loop")
ax.loglog(sizes, vector_times, "s-", label="vectorized (NumPy)")
ax.set_xlabel("n (vector length)")
ax.set_ylabel("seconds (best of several)")
ax.set_title("||x - y||²: time against n")
ax.grid(True, which="both", alpha=0.3)
ax.legend()
timing_svg = svg(fig)
for size, t_l, t_v in zip(sizes, loop_times, vector_times):
    print(f"n = {size:>9,}   loop {t_l * 1e6:>10.1f} µs   vectorized {t_v * 1e6:>8.1f} µs   ratio {t_l / t_v:>6.1f}")
# --8<-- [end:loop_figure]


# --8<-- [start:broadcast_rules]
a = np.arange(3.0).reshape(3, 1)  # a column, shape (3, 1)
b = np.arange(4.0)  # a row, shape (4,)
print(f"{a.shape} + {b.shape} -> {(a + b).shape}")
print(a + b)

for left, right in [((5, 3), (3,)), ((5, 3), (5, 1)), ((2, 1, 4), (3, 1)), ((5, 3), (5,)), ((2, 3), (3, 2))]:
    try:
        print(f"{left} with {right} -> {np.broadcast_shapes(left, right)}")
    except ValueError as error:
        print(f"{left} with {right} -> ValueError: {str(error).split('.  ')[-1]}")
# --8<-- [end:broadcast_rules]


# --8<-- [start:broadcast_keepdims]
X = rng.normal(loc=[0.0, 10.0, -5.0], scale=[1.0, 2.0, 3.0], size=(6, 3))  # 6 samples, 3 features

column_means = X.mean(axis=0)  # shape (3,): lines up with the last axis of X
print("X", X.shape, "- column means", column_means.shape, "->", (X - column_means).shape)

row_means = X.mean(axis=1)  # shape (6,): does NOT line up with X's last axis (3)
try:
    X - row_means
except ValueError as error:
    print("X - row means:", error)

row_means = X.mean(axis=1, keepdims=True)  # shape (6, 1): the reduced axis kept, with length 1
print("X", X.shape, "- row means", row_means.shape, "->", (X - row_means).shape)
print("rows now have mean 0:", np.allclose((X - row_means).mean(axis=1), 0.0))
# --8<-- [end:broadcast_keepdims]


# --8<-- [start:broadcast_outer]
u = np.array([0.0, 1.0, 2.0])
v = np.array([10.0, 20.0])
print("every u_i - v_j, shape", (u[:, None] - v[None, :]).shape)
print(u[:, None] - v[None, :])

P = rng.standard_normal((500, 20))  # 500 points in 20 dimensions
Q = rng.standard_normal((300, 20))
differences = P[:, None, :] - Q[None, :, :]  # (500, 1, 20) - (1, 300, 20) -> (500, 300, 20)
print("all pairwise differences:", differences.shape, f"{differences.nbytes / 1e6:.0f} MB")
print("for 10,000 x 10,000 points in 100 dimensions it would be", f"{10_000 * 10_000 * 100 * 8 / 1e9:.0f} GB")
# --8<-- [end:broadcast_outer]


# --8<-- [start:layout_strides]
A = np.arange(12.0).reshape(3, 4)  # C order (row-major): rows are contiguous
print("A.strides", A.strides, "(bytes to the next row, to the next column); itemsize", A.itemsize)
F = np.asfortranarray(A)  # Fortran order (column-major): same values, columns contiguous
print("F.strides", F.strides, "same values?", np.array_equal(A, F))
print("memory of A:", A.ravel(order="K"))
print("memory of F:", F.ravel(order="K"))
T = A.T  # a transpose only swaps the strides
print("A.T.strides", T.strides, "C-contiguous?", T.flags.c_contiguous, "F-contiguous?", T.flags.f_contiguous)
print("A.T shares A's memory?", np.shares_memory(A, T))
# --8<-- [end:layout_strides]


# --8<-- [start:layout_views]
row, column = A[1], A[:, 1]  # basic slices are views: new strides over the same memory
print("row strides", row.strides, "column strides", column.strides, "shares memory?", np.shares_memory(A, column))
column[0] = 100.0  # writing through a view writes into A
print("A[0, 1] after writing column[0]:", A[0, 1])

picked = A[:, [1]]  # fancy indexing (an index array) always copies
print("A[:, [1]] shares memory?", np.shares_memory(A, picked))
print("A.reshape(4, 3) shares memory?", np.shares_memory(A, A.reshape(4, 3)))  # C order kept: a view
print("A.T.reshape(12) shares memory?", np.shares_memory(A, A.T.reshape(12)))  # needs a new order: a copy
print("A.ravel() shares?", np.shares_memory(A, A.ravel()), " A.flatten() shares?", np.shares_memory(A, A.flatten()))

four = np.arange(4.0)
repeated = np.broadcast_to(four, (1000, 4))  # broadcasting is a view with stride 0 along the new axis
print("broadcast_to strides", repeated.strides, "shares memory?", np.shares_memory(repeated, four))
print(f"looks like {repeated.nbytes:,} bytes, stores {four.nbytes}")
# --8<-- [end:layout_views]


# --8<-- [start:layout_speed]
big = rng.random((2000, 2000))  # 32 MB, C order: each row is 16 kB of consecutive memory

t_rows = best_time(lambda: [big[i, :].sum() for i in range(2000)])
t_columns = best_time(lambda: [big[:, j].sum() for j in range(2000)])
print(f"sum each row    {t_rows * 1e3:6.1f} ms")
print(f"sum each column {t_columns * 1e3:6.1f} ms  ({t_columns / t_rows:.1f}x slower: a new cache line per element)")

t_same = best_time(lambda: big + big)
t_transposed = best_time(lambda: big + big.T)
print(f"big + big       {t_same * 1e3:6.1f} ms")
print(f"big + big.T     {t_transposed * 1e3:6.1f} ms  ({t_transposed / t_same:.1f}x slower: big.T is read across rows)")
# --8<-- [end:layout_speed]


# --8<-- [start:devices]
print("devices on this machine:", [str(d) for d in backend.available_devices()])
available, why = backend.cuda_status()
print("cuda:", why)

host = np.arange(6.0).reshape(2, 3)
x = backend.to_device(host, device)  # host -> default device (no copy if that is the cpu)
xp = backend.namespace(x)  # numpy for host arrays, cupy for GPU arrays
print(f"x is a {type(x).__module__}.{type(x).__name__} on {backend.device_of(x)}; xp is {xp.__name__}")

row_sums = xp.exp(x).sum(axis=1)  # computed where x lives
print("back on the host:", backend.asnumpy(row_sums), type(backend.asnumpy(row_sums)).__name__)
print("one number:", backend.to_scalar(row_sums.sum()))
# --8<-- [end:devices]


# --8<-- [start:fake]
on_fake = backend.to_device(host, FAKE_DEVICE)  # a NumPy array in disguise, behaving like a CuPy one
xp_fake = backend.namespace(on_fake)
print("with xp:", backend.asnumpy(xp_fake.exp(on_fake).sum(axis=1)))

attempts = {
    "np.exp(a)": lambda: np.exp(on_fake),  # a NumPy function on device data
    "np.asarray(a)": lambda: np.asarray(on_fake),  # a hidden device -> host copy
    "a + host_array": lambda: on_fake + host,  # device data mixed with host data
    "float(a.sum())": lambda: float(on_fake.sum()),  # a hidden sync: use backend.to_scalar
}
for code, attempt in attempts.items():
    try:
        attempt()
        print(f"{code:15} allowed")
    except TypeError as error:
        print(f"{code:15} TypeError: {str(error).split('. ')[0]}.")
# --8<-- [end:fake]


# --8<-- [start:agnostic]
def softmax(z, axis=-1):
    """exp(z) / sum(exp(z)) along ``axis``, on whatever device z lives (shifted by the max: no overflow)."""
    xp = backend.namespace(z)
    e = xp.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_numpy_only(z, axis=-1):
    """The same formula written with np: right on the CPU, refused on a GPU."""
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


logits = rng.standard_normal((4, 5))
expected = softmax(logits)
runs_on = ["cpu", FAKE_DEVICE] + (["cuda"] if available else [])
for name in runs_on:
    result = softmax(backend.to_device(logits, name))
    same = np.allclose(backend.asnumpy(result), expected)
    print(f"softmax on {name:5}: a {type(result).__name__:10} same values as on the cpu? {same}")

try:
    softmax_numpy_only(backend.to_device(logits, FAKE_DEVICE))
except TypeError as error:
    print("softmax_numpy_only on fake: TypeError:", str(error).split(". ")[0])
# --8<-- [end:agnostic]


# --8<-- [start:agnostic_timing]
def time_on(name, z):
    """Best time of softmax on device ``name``; to_scalar waits for the device to finish."""
    z = backend.to_device(z, name)
    return best_time(lambda: backend.to_scalar(softmax(z)[0, 0]))


scores = rng.standard_normal((2000, 1000))
for name in [d for d in runs_on if d != FAKE_DEVICE]:  # the fake GPU is a correctness tool, not a fast one
    print(f"softmax of a {scores.shape} array on {name:4}: {time_on(name, scores) * 1e3:7.2f} ms")
# --8<-- [end:agnostic_timing]
