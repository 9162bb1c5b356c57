"""A fake CuPy, so the CPU-only test suite runs minml's CuPy code path honestly.

Engine code computes with ``xp = backend.namespace(...)``: NumPy on the CPU, CuPy on a GPU
(DESIGN.md section 2). Code that is right under NumPy can still be wrong under CuPy: it may
hand a device array to a NumPy function, mix it with a host array, or turn it into a Python
number and silently stall the GPU. Most test machines have no GPU, so this module is a GPU
made of NumPy arrays that refuses exactly those things. ``install()`` registers it as
``CupyBackend("fake", fake_cupy, fake_cupyx)``: the devices ``"fake"``, ``"fake:0"`` and
``"fake:1"`` run the very backend code that serves ``"cuda"``.

A :class:`FakeArray` is a NumPy array plus a device id (0 or 1). It raises ``TypeError`` on

* ``np.asarray(x)`` / ``np.array(x)``: implicit conversion to NumPy, refused as by CuPy;
* ``np.<function>(x)`` and ``np.<ufunc>(x)``: engine code must compute with ``xp``
  (stricter than CuPy, which would dispatch these calls to itself);
* a host ``np.ndarray`` mixed in, in either order, by arithmetic, ``xp.<function>``,
  indexing or assignment (Python and NumPy scalars are fine, as in CuPy). CuPy refuses host
  arrays in arithmetic but silently uploads them as indices; the fake refuses both, since
  data may cross only through ``backend.to_device`` / ``backend.asnumpy``;
* ``float(x)``, ``int(x)``, ``bool(x)``, ``operator.index(x)``: a hidden device-to-host
  sync. CuPy allows them; the fake is stricter on purpose: use ``backend.to_scalar``.

Like CuPy, it refuses string or object data (``ValueError: Unsupported dtype``), and a Python
number as ``where``'s condition or as ``polygamma``'s order (CuPy calls ``.astype`` on them).
Arrays on device 0 and device 1 used together raise ``ValueError``. Where CuPy's results
differ from NumPy's, the fake does as CuPy: reductions and scalar indexing give 0-d arrays,
``sort`` / ``argsort`` are stable, ``cupyx.scatter_add`` / ``scatter_max`` take only the
dtypes CUDA's atomics take, and a failed factorisation or solve (singular, not positive
definite) returns NaN instead of raising: CuPy leaves cuSOLVER's error flag unchecked unless
``cupyx.errstate(linalg="raise")``.
"""

from __future__ import annotations

import contextlib
import contextvars
import numbers
import operator
from types import ModuleType, SimpleNamespace

import numpy as np
import scipy.special

from minml import backend

__all__ = ["FAKE_DEVICE", "FakeArray", "fake_cupy", "fake_cupyx", "install"]

FAKE_DEVICE = "fake"
_DEVICE_COUNT = 2
_current_device = contextvars.ContextVar("fake_cupy_current_device", default=0)


# --------------------------------------------------------------------------- one wrapping mechanism


def _tree_map(leaf, value):
    """``leaf`` applied to every item inside nested lists, tuples (named ones too) and dicts."""
    if isinstance(value, dict):
        return {key: _tree_map(leaf, item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_tree_map(leaf, item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    return leaf(value)


def _unwrap(tree, devices: set, where: str, host_ok: bool = False):
    """``tree`` with each FakeArray replaced by its NumPy data, whose device goes into ``devices``."""

    def leaf(value):
        if isinstance(value, FakeArray):
            devices.add(value._device)
            return value._data
        if isinstance(value, np.ndarray) and not host_ok:
            raise TypeError(
                f"{where} got a host numpy.ndarray together with fake-device data. Data moves between host and "
                "device only through minml.backend.to_device(array, device) and minml.backend.asnumpy(array)."
            )
        return value

    return _tree_map(leaf, tree)


def _wrap(tree, device: int):
    """``tree`` with each NumPy array or NumPy scalar made a FakeArray on ``device``."""
    return _tree_map(lambda v: FakeArray(np.asarray(v), device) if isinstance(v, (np.ndarray, np.generic)) else v, tree)


def _one_device(devices: set, where: str) -> int:
    """The device the arrays share; the current device when there are none."""
    if len(devices) > 1:
        first, second = sorted(devices)
        raise ValueError(
            f"{where} got arrays on two devices, {FAKE_DEVICE}:{first} and {FAKE_DEVICE}:{second} (CuPy raises "
            "'the device where the array resides is different from the current device', or computes across "
            "devices with a warning). Move one first with minml.backend.to_device."
        )
    return next(iter(devices)) if devices else _current_device.get()


def _silent_failure(function, args, kwargs):
    """What CuPy gives where LAPACK raises: no error, unusable numbers (here NaN, in the result's shape)."""
    a = args[0]
    identity = np.broadcast_to(np.eye(*a.shape[-2:], dtype=a.dtype), a.shape)
    shaped = function(identity, *args[1:], **kwargs)
    nan = lambda v: np.full_like(v, np.nan) if isinstance(v, np.ndarray) and v.dtype.kind in "fc" else v
    return _tree_map(nan, shaped)


_STABLE_SORTS = {"sort", "argsort"}  # CuPy always sorts stably; NumPy's default quicksort does not
_DEVICE_BOOLS = {"allclose", "array_equal", "array_equiv"}  # Python bools in NumPy, 0-d arrays in CuPy


def _call(function, args, kwargs, where: str):
    """Run NumPy's ``function`` on the data of the FakeArrays in ``args`` and wrap what comes back.

    Every path into NumPy goes through here: ``fake_cupy.<function>``, array methods, operators
    and indexing. Host arrays are refused, devices must agree, results land on that device.
    """
    devices = set()
    args, kwargs = _unwrap((args, kwargs), devices, where)
    device = _one_device(devices, where)
    name = getattr(function, "__name__", "")
    if name in _STABLE_SORTS:
        kwargs["kind"] = "stable"
    try:
        result = function(*args, **kwargs)
    except np.linalg.LinAlgError:
        result = _silent_failure(function, args, kwargs)
    if name in _DEVICE_BOOLS:
        result = np.bool_(result)
    return _wrap(result, device)


# --------------------------------------------------------------------------- the array


def _operator(op, reflected: bool = False, inplace: bool = False):
    """A FakeArray operator method: ``op`` on the data (operands swapped if ``reflected``)."""
    where = f"the {op.__name__} operator"

    def method(self, other):
        if not isinstance(other, (FakeArray, np.ndarray, np.generic, numbers.Number)):
            return NotImplemented  # let the other operand (a minml Tensor, say) try
        result = _call(op, (other, self) if reflected else (self, other), {}, where)
        return self if inplace else result

    return method


def _unary(op):
    return lambda self: _call(op, (self,), {}, f"the {op.__name__} operator")


def _numpy_called(function) -> TypeError:
    return TypeError(
        f"numpy.{function.__name__} was called on a fake-device array. Compute with xp = minml.backend.namespace(...)"
        " (the fake device is stricter than CuPy, which would dispatch the call to itself)."
    )


def _hidden_sync(kind: str):
    def refuse(self, *args):
        raise TypeError(
            f"{kind}() of a fake-device array is a hidden device-to-host sync (CuPy would allow it and stall "
            "the GPU; the fake device refuses on purpose). Use minml.backend.to_scalar(x)."
        )

    return refuse


_NDARRAY_ATTRIBUTES = frozenset(
    """shape dtype ndim size strides itemsize nbytes flags base T mT real imag
    all any argmax argmin argsort astype clip conj conjugate copy cumprod cumsum diagonal dot fill flatten item
    max mean min nonzero prod put ravel repeat reshape round sort squeeze std sum swapaxes take trace transpose
    var view""".split()
)


class FakeArray:
    """A NumPy array living on fake device ``device``, behaving like ``cupy.ndarray``.

    The ``ndarray`` attributes engine code uses are forwarded (``x.sum(axis=0)``, ``x.T``...);
    their array results stay on the device, reductions included (as 0-d arrays).
    """

    __slots__ = ("_data", "_device")
    __hash__ = None  # unhashable, like NumPy and CuPy arrays

    def __init__(self, data: np.ndarray, device: int = 0):
        if not isinstance(data, np.ndarray):
            raise TypeError(f"FakeArray wraps a numpy.ndarray, not {type(data).__name__}; use fake_cupy.asarray")
        self._data = data
        self._device = int(device)

    @property
    def device(self) -> _Device:
        return _Device(self._device)

    def get(self) -> np.ndarray:
        """A host NumPy copy: the explicit device-to-host transfer (``backend.asnumpy`` calls it)."""
        return self._data.copy()

    def __getattr__(self, name):
        # called only for names not found on the class: forward the allowed ndarray attributes
        if name not in _NDARRAY_ATTRIBUTES:
            raise AttributeError(
                f"'FakeArray' object has no attribute {name!r} (the fake device forwards only the ndarray attributes "
                "engine code should use; for host data, use minml.backend.asnumpy)"
            )
        value = getattr(np.ndarray, name)
        if callable(value):
            return lambda *args, **kwargs: _call(value, (self, *args), kwargs, f"ndarray.{name}")
        return _wrap(getattr(self._data, name), self._device)

    def __getitem__(self, key):
        return _call(operator.getitem, (self, key), {}, "indexing")

    def __setitem__(self, key, value):
        _call(operator.setitem, (self, key, value), {}, "item assignment")

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"FakeArray({self._data!r}, device={self._device})"

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed (CuPy refuses it too). "
            "Use x.get() or minml.backend.asnumpy(x)."
        )

    def __array_function__(self, func, types, args, kwargs):
        raise _numpy_called(func)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # `np.float32(2) * x` and `host_array * x` arrive here, as NumPy tries its ufunc before x.__rmul__:
        # compute the first, let _call refuse the second. Any other NumPy ufunc call is refused.
        operands = (FakeArray, np.generic, np.ndarray)
        if method == "__call__" and not kwargs and all(isinstance(v, operands) for v in inputs):
            if not all(isinstance(v, FakeArray) for v in inputs):
                return _call(ufunc, inputs, {}, f"numpy.{ufunc.__name__}")
        raise _numpy_called(ufunc)

    __bool__ = _hidden_sync("bool")
    __int__ = _hidden_sync("int")
    __float__ = _hidden_sync("float")
    __complex__ = _hidden_sync("complex")
    __index__ = _hidden_sync("operator.index")
    __neg__ = _unary(operator.neg)
    __pos__ = _unary(operator.pos)
    __abs__ = _unary(operator.abs)
    __invert__ = _unary(operator.invert)
    __divmod__ = _operator(divmod)
    __rdivmod__ = _operator(divmod, reflected=True)


for _name in "add sub mul matmul truediv floordiv mod pow lshift rshift and or xor".split():
    setattr(FakeArray, f"__{_name}__", _operator(getattr(operator, f"__{_name}__")))
    setattr(FakeArray, f"__r{_name}__", _operator(getattr(operator, f"__{_name}__"), reflected=True))
    setattr(FakeArray, f"__i{_name}__", _operator(getattr(operator, f"__i{_name}__"), inplace=True))
for _name in "lt le eq ne gt ge".split():
    setattr(FakeArray, f"__{_name}__", _operator(getattr(operator, f"__{_name}__")))
del _name


# --------------------------------------------------------------------------- the namespaces


class _Device:
    """``cupy.cuda.Device``: ``with Device(1):`` makes device 1 current, where new arrays are made."""

    def __init__(self, device: int | None = None):
        self.id = _current_device.get() if device is None else operator.index(device)
        if not 0 <= self.id < _DEVICE_COUNT:
            raise ValueError(f"fake device {self.id} does not exist; there are {_DEVICE_COUNT}, numbered from 0")
        self._tokens = []

    def __enter__(self) -> _Device:
        self._tokens.append(_current_device.set(self.id))
        return self

    def __exit__(self, *exc) -> None:
        _current_device.reset(self._tokens.pop())

    def synchronize(self) -> None:
        """Wait for the device's queued work: none here, the fake computes eagerly."""

    def __repr__(self) -> str:
        return f"<fake CUDA Device {self.id}>"


class _Namespace:
    """A NumPy module seen from the fake device: its functions take and give FakeArrays.

    Submodules are namespaces too; dtypes, classes (``finfo``...) and constants pass through.
    """

    def __init__(self, target, name: str, **extra):
        self._target = target
        self.__name__ = name
        self.__dict__.update(extra)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        value = getattr(self._target, attr)
        if isinstance(value, ModuleType):
            value = _Namespace(value, f"{self.__name__}.{attr}")
        elif callable(value) and not isinstance(value, type):
            value = _Function(value, f"{self.__name__}.{attr}")
        setattr(self, attr, value)  # look each name up once
        return value

    def __repr__(self) -> str:
        return f"<{self.__name__}: {self._target.__name__} on the fake device>"


class _Function(_Namespace):
    """A NumPy function or ufunc run through :func:`_call` (a ufunc's ``reduce``, ``outer``, ``at`` too)."""

    def __call__(self, *args, **kwargs):
        return _call(self._target, args, kwargs, self.__name__)


def _constructor(name: str):
    """``fake_cupy.asarray`` and kin: host data, or another device's array, copied onto the current device."""
    numpy_function = getattr(np, name)

    def construct(obj, *args, **kwargs):
        device = _current_device.get()
        data = _unwrap(obj, set(), f"fake_cupy.{name}", host_ok=True)
        result = numpy_function(data, *args, **kwargs)
        if result.dtype.kind in "OUSV":
            raise ValueError(f"Unsupported dtype {result.dtype} (a GPU array holds numbers only, as in CuPy)")
        if isinstance(obj, FakeArray) and obj._device == device:
            return obj if result is data else FakeArray(result, device)
        if isinstance(data, np.ndarray) and np.may_share_memory(result, data):
            result = result.copy()  # a transfer between host and device, or between devices, copies
        return FakeArray(result, device)

    construct.__name__ = name
    return construct


_SCATTER_DTYPES = {  # what CUDA's atomicAdd / atomicMax take, hence cupyx (int64 is not among them)
    "add": {"int32", "uint32", "uint64", "float16", "float32", "float64"},
    "max": {"int32", "uint32", "uint64", "float32", "float64"},
}


def _scatter(op: str, ufunc):
    """``cupyx.scatter_<op>(target, index, values)``: ``ufunc.at`` in place; repeated indices all count."""

    def scatter(target, index, values) -> None:
        if target.dtype.name not in _SCATTER_DTYPES[op]:
            raise TypeError(
                f"cupyx.scatter_{op} does not support {target.dtype} (CUDA atomics); "
                f"it supports {', '.join(sorted(_SCATTER_DTYPES[op]))}"
            )
        _call(ufunc.at, (target, index, values), {}, f"cupyx.scatter_{op}")

    scatter.__name__ = f"scatter_{op}"
    return scatter


def _array_first(function: _Function, what: str):
    """``function`` refusing a Python number as its first argument, as CuPy does: CuPy calls
    ``.astype`` on ``where``'s condition and compares ``polygamma``'s order inside its own ``where``."""

    def call(first, *args, **kwargs):
        if not isinstance(first, (FakeArray, np.generic)):
            raise TypeError(
                f"{function.__name__}: the {what} must be an array ({type(first).__name__} given; CuPy fails on it); "
                "wrap it with xp.asarray"
            )
        return function(first, *args, **kwargs)

    call.__name__ = function.__name__
    return call


fake_cupy = _Namespace(
    np,
    "fake_cupy",
    __version__="fake",
    ndarray=FakeArray,
    where=_array_first(_Function(np.where, "fake_cupy.where"), "condition"),
    cuda=SimpleNamespace(Device=_Device, runtime=SimpleNamespace(getDeviceCount=lambda: _DEVICE_COUNT)),
    **{name: _constructor(name) for name in ("asarray", "array", "asanyarray", "ascontiguousarray")},
)
fake_cupyx = SimpleNamespace(
    scatter_add=_scatter("add", np.add),
    scatter_max=_scatter("max", np.maximum),
    errstate=lambda **modes: contextlib.nullcontext(),  # the fake's linalg returns NaN, as CuPy's by default
    scipy=SimpleNamespace(
        special=_Namespace(
            scipy.special,
            "fake_cupyx.scipy.special",
            polygamma=_array_first(_Function(scipy.special.polygamma, "fake_cupyx.scipy.special.polygamma"), "order n"),
        )
    ),
)
_BACKEND = backend.CupyBackend(FAKE_DEVICE, fake_cupy, fake_cupyx)


def install() -> None:
    """Register the fake GPU with :mod:`minml.backend` as device type ``"fake"`` (idempotent)."""
    backend.register_backend(_BACKEND)
