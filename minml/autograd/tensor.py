"""``Tensor``: an array that remembers how it was computed, so it can be differentiated.

A Tensor wraps a backend array (``.data``: NumPy on the CPU, CuPy on a GPU).
When an op runs on tensors that require grad, the result keeps a link
(``_ctx``) to the op and its inputs; ``loss.backward()`` walks those links
back and fills ``.grad`` of every leaf that requires grad.

dtype rules:

* Python numbers and lists become float32 (ints: int64, bools: bool), as in PyTorch;
* arrays keep their dtype: a float64 NumPy array gives a float64 tensor;
* ops follow NumPy's promotion; a Python number never widens a tensor
  (``float32_tensor * 2.0`` stays float32);
* only floating-point tensors can require grad.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.autograd.grad_mode import is_grad_enabled

__all__ = ["Tensor", "tensor", "zeros", "ones", "full", "zeros_like", "ones_like", "arange", "eye", "randn", "rand"]


def _as_axis(axis, dim):
    """Accept NumPy's ``axis=`` and PyTorch's ``dim=`` spellings."""
    return dim if axis is None else axis


def _as_shape(shape) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` both mean shape (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    Build one with :func:`minml.tensor`. Attributes: ``data`` (the backend
    array), ``grad`` (same shape, or None), ``requires_grad``, ``device``,
    ``shape``, ``dtype``.
    """

    __slots__ = ("data", "grad", "requires_grad", "_ctx", "_retains_grad", "__weakref__")
    __array_priority__ = 1000  # so ndarray + Tensor calls Tensor.__radd__

    def __init__(self, data, requires_grad: bool = False, dtype=None, device=None):
        self.data = _to_array(data, dtype, device)
        self.grad = None
        self._ctx = None
        self._retains_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_()

    @classmethod
    def _from_array(cls, array, ctx=None) -> Tensor:
        """Wrap an op's output array without copying (the fast path of every op)."""
        out = cls.__new__(cls)
        out.data = array
        out.grad = None
        out._ctx = ctx
        out._retains_grad = False
        out.requires_grad = ctx is not None
        return out

    # ------------------------------------------------------------------ properties

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def device(self) -> backend.Device:
        return backend.device_of(self.data)

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by a tracked op."""
        return self._ctx is None

    @property
    def grad_fn(self):
        """The op that produced this tensor (its graph node), or None for a leaf."""
        return self._ctx

    @property
    def _xp(self):
        return backend.namespace(self.data)

    def dim(self) -> int:
        return self.data.ndim

    def numel(self) -> int:
        return int(self.data.size)

    def size(self, dim: int | None = None):
        return self.shape if dim is None else self.shape[dim]

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    # ------------------------------------------------------------------ gradients

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Mark this leaf as a parameter whose gradient ``backward`` should compute."""
        if requires_grad and self.dtype.kind not in "fc":
            raise TypeError(
                f"only floating-point tensors can require gradients; this one is {self.dtype}. "
                "Create it from floats or pass dtype='float32'."
            )
        if not requires_grad and self._ctx is not None:
            raise RuntimeError("requires_grad can only be switched off on a leaf; use .detach() instead.")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> Tensor:
        """Also keep ``.grad`` on this non-leaf tensor during backward."""
        self._retains_grad = True
        return self

    def backward(self, gradient=None, retain_graph: bool = False) -> None:
        """Compute d(self)/d(leaf) for every leaf that requires grad, into ``leaf.grad``.

        ``gradient`` (dL/d self) is required when self has more than one element.
        See :mod:`minml.autograd.backward` for accumulation and ``retain_graph``.
        """
        from minml.autograd.backward import backward

        backward(self, gradient, retain_graph)

    def _accumulate_grad(self, grad, owned: bool = False) -> None:
        """Add ``grad`` to ``.grad``; keep the array itself only if ``owned`` (nobody else sees it)."""
        if self.grad is not None:
            self.grad = (self.grad + grad).astype(self.dtype, copy=False)
        elif owned:
            self.grad = grad.astype(self.dtype, copy=False)
        else:
            self.grad = grad.astype(self.dtype)  # astype copies

    def detach(self) -> Tensor:
        """The same data, cut from the graph (shares memory, never requires grad)."""
        return Tensor._from_array(self.data)

    # ------------------------------------------------------------------ devices and conversion

    def to(self, device=None, dtype=None) -> Tensor:
        """This tensor on ``device`` and/or as ``dtype`` (differentiable; no copy if unchanged)."""
        out = self
        if dtype is not None and np.dtype(dtype) != self.dtype:
            out = elementwise.cast(out, np.dtype(dtype))
        if device is not None and backend.device(device) != self.device:
            out = elementwise.to_device(out, backend.device(device))
        return out

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self, index: int = 0) -> Tensor:
        return self.to(f"cuda:{index}")

    def float(self) -> Tensor:
        return self.to(dtype=np.float32)

    def double(self) -> Tensor:
        return self.to(dtype=np.float64)

    def astype(self, dtype) -> Tensor:
        return self.to(dtype=dtype)

    def numpy(self) -> np.ndarray:
        """A host NumPy copy of the data."""
        return np.array(backend.asnumpy(self.data), copy=True)

    def item(self):
        """The value of a one-element tensor as a Python number (syncs with the GPU)."""
        return backend.to_scalar(self.data)

    def tolist(self):
        return backend.asnumpy(self.data).tolist()

    def __array__(self, dtype=None, copy=None):
        if self.requires_grad:
            raise TypeError(
                "cannot convert a tensor that requires grad to a NumPy array implicitly; "
                "use tensor.detach().numpy()"
            )
        array = backend.asnumpy(self.data)
        return array if dtype is None else array.astype(dtype)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous; use .any() or .all()"
            )
        return bool(self.item())

    def __repr__(self) -> str:
        body = np.array2string(backend.asnumpy(self.data), separator=", ", prefix="tensor(")
        extras = []
        if self.device != "cpu":
            extras.append(f"device='{self.device}'")
        if self.dtype != np.float32 and self.dtype.kind == "f":
            extras.append(f"dtype={self.dtype}")
        if self._ctx is not None:
            extras.append(f"grad_fn={self._ctx.function.__name__}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    __hash__ = object.__hash__  # == is elementwise, so hash by identity as PyTorch does

    # ------------------------------------------------------------------ arithmetic

    def __add__(self, other):
        return elementwise.add(self, other)

    def __radd__(self, other):
        return elementwise.add(other, self)

    def __sub__(self, other):
        return elementwise.sub(self, other)

    def __rsub__(self, other):
        return elementwise.sub(other, self)

    def __mul__(self, other):
        return elementwise.mul(self, other)

    def __rmul__(self, other):
        return elementwise.mul(other, self)

    def __truediv__(self, other):
        return elementwise.div(self, other)

    def __rtruediv__(self, other):
        return elementwise.div(other, self)

    def __pow__(self, other):
        return elementwise.pow(self, other)

    def __rpow__(self, other):
        return elementwise.pow(other, self)

    def __neg__(self):
        return elementwise.neg(self)

    def __matmul__(self, other):
        return linalg.matmul(self, other)

    def __rmatmul__(self, other):
        return linalg.matmul(other, self)

    def __abs__(self):
        return elementwise.abs(self)

    # comparisons give plain tensors with no gradient
    def __lt__(self, other):
        return elementwise.compare("less", self, other)

    def __le__(self, other):
        return elementwise.compare("less_equal", self, other)

    def __gt__(self, other):
        return elementwise.compare("greater", self, other)

    def __ge__(self, other):
        return elementwise.compare("greater_equal", self, other)

    def __eq__(self, other):
        return elementwise.compare("equal", self, other)

    def __ne__(self, other):
        return elementwise.compare("not_equal", self, other)

    def __getitem__(self, index):
        return indexing.getitem(self, index)

    def __setitem__(self, index, value):
        """In-place assignment, allowed only outside the graph (it would corrupt saved values)."""
        if self.requires_grad and self._ctx is None and is_grad_enabled():
            raise RuntimeError(
                "in-place assignment to a leaf that requires grad; wrap it in `with minml.no_grad():` "
                "(as optimisers do) or build a new tensor with minml.where / minml.concatenate"
            )
        if self._ctx is not None:
            raise RuntimeError(
                "in-place assignment to a tensor computed by a tracked op would corrupt the graph; "
                "build a new tensor with minml.where / minml.concatenate instead"
            )
        value = value.data if isinstance(value, Tensor) else value
        self.data[indexing.as_array_index(index, self.device)] = value

    # ------------------------------------------------------------------ elementwise methods

    def exp(self):
        return elementwise.exp(self)

    def log(self):
        return elementwise.log(self)

    def sqrt(self):
        return elementwise.sqrt(self)

    def abs(self):
        return elementwise.abs(self)

    def clip(self, min=None, max=None):
        return elementwise.clip(self, min, max)

    clamp = clip

    def tanh(self):
        return activations.tanh(self)

    def sigmoid(self):
        return activations.sigmoid(self)

    def relu(self):
        return activations.relu(self)

    def softmax(self, axis=-1, *, dim=None):
        return activations.softmax(self, axis if dim is None else dim)

    def log_softmax(self, axis=-1, *, dim=None):
        return activations.log_softmax(self, axis if dim is None else dim)

    # ------------------------------------------------------------------ reductions

    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return reductions.sum(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return reductions.mean(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def var(self, axis=None, keepdims=False, ddof=0, *, dim=None, keepdim=None):
        return reductions.var(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims, ddof)

    def std(self, axis=None, keepdims=False, ddof=0, *, dim=None, keepdim=None):
        return self.var(axis, keepdims, ddof, dim=dim, keepdim=keepdim).sqrt()

    def max(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Largest values (only the values: unlike torch.max(dim), no indices; see argmax)."""
        return reductions.max(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def min(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return reductions.min(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def logsumexp(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return reductions.logsumexp(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return reductions.argmax(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        return reductions.argmin(self, _as_axis(axis, dim), keepdim if keepdim is not None else keepdims)

    def any(self, axis=None, keepdims=False):
        return Tensor._from_array(self.data.any(axis=axis, keepdims=keepdims))

    def all(self, axis=None, keepdims=False):
        return Tensor._from_array(self.data.all(axis=axis, keepdims=keepdims))

    # ------------------------------------------------------------------ shape

    def reshape(self, *shape):
        return shape_ops.reshape(self, _as_shape(shape))

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        return shape_ops.flatten(self, start_dim, end_dim)

    def transpose(self, dim0: int = -2, dim1: int = -1):
        """Swap two axes (PyTorch's meaning; ``.T`` reverses all axes as NumPy's does)."""
        return shape_ops.transpose(self, dim0, dim1)

    def permute(self, *axes):
        return shape_ops.permute(self, _as_shape(axes))

    @property
    def T(self):
        return shape_ops.permute(self, tuple(reversed(range(self.ndim))))

    @property
    def mT(self):
        """Transpose of the last two axes (a batch of matrices)."""
        return shape_ops.transpose(self, -2, -1)

    def squeeze(self, axis=None, *, dim=None):
        return shape_ops.squeeze(self, _as_axis(axis, dim))

    def unsqueeze(self, axis: int):
        return shape_ops.unsqueeze(self, axis)

    def broadcast_to(self, *shape):
        return shape_ops.broadcast_to(self, _as_shape(shape))

    expand = broadcast_to


def _to_array(data, dtype, device):
    """The backend array for ``tensor(data, dtype=..., device=...)``: always a fresh copy."""
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        raise TypeError("tensor() of a list of tensors: use minml.stack(tensors) to keep the graph")
    try:
        source = backend.device_of(data)  # a NumPy or CuPy array (or NumPy scalar)
    except TypeError:  # Python numbers and (nested) lists
        source = backend.CPU
        data = np.asarray(data)
        if data.dtype.kind not in "biufc":
            raise TypeError(f"cannot make a tensor from data of dtype {data.dtype}; expected numbers") from None
        if data.dtype == np.float64:
            data = data.astype(np.float32)  # Python floats default to float32
    if device is not None:
        target = backend.device(device)
    else:
        target = source if source != backend.CPU else backend.default_device()
    array = backend.to_device(data, target)
    if dtype is not None:
        return array.astype(np.dtype(dtype))
    return array.copy(order="K") if array is data else array


def tensor(data, requires_grad: bool = False, dtype=None, device=None) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (a number, nested list, NumPy or CuPy array).

    ``device`` defaults to the array's own device, else the default device
    (``with minml.device(...)`` or ``$MINML_DEVICE``).
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, device=device)


def _filled(fill, shape, dtype, device, requires_grad) -> Tensor:
    target = backend.device(device)
    xp = backend.get_backend(target).xp
    array = backend.to_device(xp.full(_as_shape(shape), fill, dtype=np.dtype(dtype or np.float32)), target)
    return Tensor._from_array(array).requires_grad_(requires_grad)


def zeros(*shape, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _filled(0, shape, dtype, device, requires_grad)


def ones(*shape, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _filled(1, shape, dtype, device, requires_grad)


def full(shape, fill_value, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _filled(fill_value, (shape,) if isinstance(shape, int) else shape, dtype, device, requires_grad)


def zeros_like(other: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return _filled(0, other.shape, dtype or other.dtype, other.device, requires_grad)


def ones_like(other: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    return _filled(1, other.shape, dtype or other.dtype, other.device, requires_grad)


def arange(start, stop=None, step=1, dtype=None, device=None) -> Tensor:
    """Evenly spaced values in [start, stop), like numpy.arange (int64 for ints, else float32)."""
    host = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is None and host.dtype == np.float64:
        host = host.astype(np.float32)
    return tensor(host, dtype=dtype, device=device)


def eye(n: int, m: int | None = None, dtype=None, device=None) -> Tensor:
    return tensor(np.eye(n, m, dtype=np.dtype(dtype or np.float32)), device=device)


def randn(*shape, random_state=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples, drawn by :func:`minml.backend.rng` (one seed, same numbers on every device)."""
    generator = backend.rng(random_state, device)
    array = generator.standard_normal(_as_shape(shape)).astype(np.dtype(dtype or np.float32))
    return Tensor._from_array(array).requires_grad_(requires_grad)


def rand(*shape, random_state=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1), drawn like :func:`randn`."""
    generator = backend.rng(random_state, device)
    array = generator.random(_as_shape(shape)).astype(np.dtype(dtype or np.float32))
    return Tensor._from_array(array).requires_grad_(requires_grad)


# The ops need Tensor (defined above); Tensor's methods call the ops at run time.
from minml.autograd import activations, elementwise, indexing, linalg, reductions  # noqa: E402
from minml.autograd import shape as shape_ops  # noqa: E402

