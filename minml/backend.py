"""Where arrays live: NumPy on the CPU, CuPy on a GPU.

Engine code never imports numpy or cupy to compute. It asks for the array
namespace of its inputs and computes with that::

    xp = backend.namespace(x, y)      # numpy or cupy, whichever holds x and y
    z = xp.exp(x) * y

This module is the one audited place for what NumPy and CuPy do differently:

* moving data: :func:`to_device` and :func:`asnumpy` are the only transfer
  points between host and device, and :func:`to_scalar` is the only place a
  device value becomes a Python number (a GPU synchronisation point);
* shims whose NumPy and CuPy spellings differ: :func:`scatter_add`,
  :func:`bincount`, :func:`argsort` (stable), and linear algebra that raises
  on failure (cuSOLVER can return NaN silently where LAPACK raises);
* randomness: :func:`rng` draws on the host with NumPy's Generator and moves the
  result, so one seed gives the same numbers on every device.

Devices are ``"cpu"`` and ``"cuda"`` / ``"cuda:N"``. The default is chosen by
``with minml.device("cuda"):``, else the ``MINML_DEVICE`` environment variable,
else ``"cpu"``. CuPy is imported only when a CUDA device is first asked for.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import numbers
import os
import sys
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Device",
    "DeviceError",
    "DeviceMismatchError",
    "DeviceUnavailableError",
    "ArrayBackend",
    "NumpyBackend",
    "CupyBackend",
    "device",
    "default_device",
    "available_devices",
    "cuda_status",
    "register_backend",
    "get_backend",
    "backend_of",
    "namespace",
    "device_of",
    "to_device",
    "asnumpy",
    "to_scalar",
    "scatter_add",
    "scatter_max",
    "bincount",
    "argsort",
    "special",
    "CPU",
    "solve",
    "cholesky",
    "inv",
    "lstsq",
    "eigh",
    "rng",
    "RandomGenerator",
    "CUPY_INSTALL_HINT",
]

CUPY_INSTALL_HINT = (
    "pip install 'minml[gpu]' for CUDA 12, or pip install 'minml[gpu-cuda13]' for CUDA 13 "
    "(`nvidia-smi` shows your CUDA version)"
)


# --------------------------------------------------------------------------- errors


class DeviceError(RuntimeError):
    """Base class of the device errors below."""


class DeviceUnavailableError(DeviceError):
    """A device was asked for that this machine cannot provide."""


class DeviceMismatchError(DeviceError):
    """Arrays on two different devices were used together."""


# --------------------------------------------------------------------------- devices


@dataclass(frozen=True, eq=False)
class Device:
    """A place where arrays live: ``Device("cpu")``, ``Device("cuda", 1)``.

    ``minml.device("cuda:1")`` parses a string into a Device, and a Device is
    also a context manager that makes itself the default::

        with minml.device("cuda"):
            t = minml.tensor([1.0, 2.0])   # on the GPU
    """

    type: str
    index: int = 0

    def __str__(self) -> str:
        return "cpu" if self.type == "cpu" else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        return f"device('{self}')"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, Device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __enter__(self) -> Device:
        # get_backend fails here, early, if the device cannot be had; on a GPU the
        # block also makes this device CuPy's current one, where kernels run.
        current = get_backend(self).use(self.index)
        current.__enter__()
        _device_stack.set(_device_stack.get() + ((self, current),))
        return self

    def __exit__(self, *exc) -> None:
        stack = _device_stack.get()
        _device_stack.set(stack[:-1])
        stack[-1][1].__exit__(*exc)


CPU = Device("cpu")
_device_stack: contextvars.ContextVar[tuple[tuple[Device, contextlib.AbstractContextManager], ...]] = (
    contextvars.ContextVar("minml_device_stack", default=())
)


def device(spec: str | Device | None = None) -> Device:
    """Parse ``"cpu"``, ``"cuda"`` or ``"cuda:N"`` (or a Device) into a :class:`Device`.

    ``None`` gives the current default device.
    """
    if spec is None:
        return default_device()
    if isinstance(spec, Device):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"a device must be a string such as 'cpu' or 'cuda:0'; got {spec!r}")
    kind, _, index = spec.strip().lower().partition(":")
    known = ["cpu", "cuda", *(name for name in _backends if name not in ("cpu", "cuda"))]
    if kind not in known or (index and not index.isdigit()) or (kind == "cpu" and index not in ("", "0")):
        raise ValueError(
            f"unknown device {spec!r}; expected one of {', '.join(repr(k) for k in known)}, "
            "optionally with an index such as 'cuda:1'"
        )
    return Device(kind, int(index) if index else 0)


def default_device() -> Device:
    """The innermost ``with minml.device(...)``, else ``$MINML_DEVICE``, else cpu."""
    stack = _device_stack.get()
    if stack:
        return stack[-1][0]
    env = os.environ.get("MINML_DEVICE")
    if env:
        try:
            return device(env)
        except ValueError as error:
            raise ValueError(f"MINML_DEVICE={env!r} is not a device: {error}") from None
    return CPU


# --------------------------------------------------------------------------- backends


class ArrayBackend:
    """What minml needs from an array library, spelled for that library.

    ``xp`` is the NumPy-compatible namespace; the methods are the places where
    libraries differ. Subclasses: :class:`NumpyBackend`, :class:`CupyBackend`.
    """

    name: str
    xp = None

    def owns(self, array) -> bool:
        raise NotImplementedError

    def device_of(self, array) -> Device:
        raise NotImplementedError

    def from_host(self, host_array: np.ndarray, index: int):
        raise NotImplementedError

    def to_host(self, array) -> np.ndarray:
        raise NotImplementedError

    def copy_to(self, array, index: int):
        """Copy an array of this backend to device ``index`` of the same backend."""
        raise NotImplementedError

    def scatter_add(self, target, index, values) -> None:
        raise NotImplementedError

    def scatter_max(self, target, index, values) -> None:
        raise NotImplementedError

    def argsort(self, array, axis: int):
        raise NotImplementedError

    def use(self, index: int) -> contextlib.AbstractContextManager:
        """A context in which device ``index`` is the library's current device."""
        return contextlib.nullcontext()

    def linalg_errors(self) -> contextlib.AbstractContextManager:
        """A context in which failing linear algebra raises, where the library can be asked to."""
        return contextlib.nullcontext()

    def raises_on_linalg_failure(self) -> bool:
        return True

    @property
    def special(self):
        """The special-functions module (erf, gammaln, ...): scipy.special's API."""
        raise NotImplementedError


class NumpyBackend(ArrayBackend):
    """The host: plain NumPy."""

    name = "cpu"
    xp = np

    def owns(self, array) -> bool:
        return isinstance(array, (np.ndarray, np.generic))

    def device_of(self, array) -> Device:
        return CPU

    def from_host(self, host_array, index):
        return host_array

    def to_host(self, array):
        return np.asarray(array)

    def copy_to(self, array, index):
        return array

    def scatter_add(self, target, index, values):
        np.add.at(target, index, values)

    def scatter_max(self, target, index, values):
        np.maximum.at(target, index, values)

    def argsort(self, array, axis):
        return np.argsort(array, axis=axis, kind="stable")

    @property
    def special(self):
        return importlib.import_module("scipy.special")


class CupyBackend(ArrayBackend):
    """A GPU through CuPy (``xp = cupy``, ``xpx = cupyx``).

    The test suite also instantiates this class with the fake CuPy of
    :mod:`minml.testing.fake_device`, so CI runs exactly this code.
    """

    def __init__(self, name: str, xp, xpx):
        self.name = name
        self.xp = xp
        self.xpx = xpx

    def owns(self, array) -> bool:
        return isinstance(array, self.xp.ndarray)

    def device_of(self, array) -> Device:
        return Device(self.name, array.device.id)

    def device_count(self) -> int:
        return self.xp.cuda.runtime.getDeviceCount()

    def from_host(self, host_array, index):
        with self.xp.cuda.Device(index):
            return self.xp.asarray(host_array)

    def to_host(self, array):
        return array.get()

    def copy_to(self, array, index):
        with self.xp.cuda.Device(index):
            return self.xp.asarray(array)  # a peer-to-peer copy

    def scatter_add(self, target, index, values):
        self.xpx.scatter_add(target, index, values)

    def scatter_max(self, target, index, values):
        self.xpx.scatter_max(target, index, values)

    def argsort(self, array, axis):
        return self.xp.argsort(array, axis=axis)  # CuPy's sort is always stable

    def use(self, index):
        return self.xp.cuda.Device(index)

    def linalg_errors(self):
        return self.xpx.errstate(linalg="raise")

    def raises_on_linalg_failure(self) -> bool:
        return False  # even under errstate, check: not every routine consults it

    @property
    def special(self):
        return self.xpx.scipy.special


_backends: dict[str, ArrayBackend] = {"cpu": NumpyBackend()}
_backend_by_type: dict[type, ArrayBackend] = {np.ndarray: _backends["cpu"]}


def register_backend(backend: ArrayBackend) -> None:
    """Make ``backend.name`` a device type (used by :mod:`minml.testing` for its fake GPU)."""
    _backends[backend.name] = backend
    _backend_by_type.clear()
    _backend_by_type[np.ndarray] = _backends["cpu"]


def _load_cuda() -> CupyBackend:
    try:
        cupy = importlib.import_module("cupy")
        cupyx = importlib.import_module("cupyx")
        importlib.import_module("cupyx.scipy.special")
    except ImportError as error:
        raise DeviceUnavailableError(
            f"device 'cuda' needs CuPy, which could not be imported ({error}). "
            f"Install it with: {CUPY_INSTALL_HINT}"
        ) from None
    backend = CupyBackend("cuda", cupy, cupyx)
    try:
        count = backend.device_count()
    except Exception as error:  # CuPy raises its own CUDARuntimeError types
        raise DeviceUnavailableError(
            f"CuPy {cupy.__version__} is installed but found no usable GPU ({error}). "
            "Check the NVIDIA driver with `nvidia-smi`, or use device 'cpu'."
        ) from None
    if count == 0:
        raise DeviceUnavailableError("CuPy is installed but this machine has no GPU; use device 'cpu'.")
    return backend


def get_backend(dev: str | Device | None = None) -> ArrayBackend:
    """The :class:`ArrayBackend` serving a device, loading CuPy on first use."""
    dev = device(dev)
    if dev.type == "cuda" and "cuda" not in _backends:
        register_backend(_load_cuda())
    backend = _backends[dev.type]
    if isinstance(backend, CupyBackend) and dev.index >= backend.device_count():
        raise DeviceUnavailableError(
            f"device '{dev}' was requested but this machine has {backend.device_count()} "
            f"{dev.type} device(s), numbered from 0."
        )
    return backend


def available_devices() -> list[Device]:
    """Every device this machine can use now: cpu, then cuda:0, cuda:1, ..."""
    devices = [CPU]
    try:
        backend = get_backend("cuda")
    except DeviceUnavailableError:
        return devices
    return devices + [Device("cuda", i) for i in range(backend.device_count())]


def cuda_status() -> tuple[bool, str]:
    """``(True, "n GPU(s)")`` or ``(False, why not, with the command that fixes it)``."""
    try:
        backend = get_backend("cuda")
    except DeviceUnavailableError as error:
        return False, str(error)
    return True, f"{backend.device_count()} GPU(s) through CuPy {backend.xp.__version__}"


def _backend_of_array(array) -> ArrayBackend:
    kind = type(array)
    backend = _backend_by_type.get(kind)
    if backend is None:
        for candidate in _backends.values():
            if candidate.owns(array):
                backend = candidate
                if not _is_scalar(array):  # backend_of skips scalars by their type not being cached
                    _backend_by_type[kind] = backend
                break
        else:
            if "cupy" in sys.modules and "cuda" not in _backends and kind.__module__.startswith("cupy"):
                backend = get_backend("cuda")
                _backend_by_type[kind] = backend
            else:
                raise TypeError(f"expected a NumPy or CuPy array, got {kind.__name__}")
    return backend


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, (numbers.Number, np.generic))


def backend_of(*arrays) -> ArrayBackend:
    """The backend holding ``arrays`` (Python scalars and None are ignored).

    Raises :class:`DeviceMismatchError`, naming both devices, when the arrays
    live on different devices. With no arrays, the default device's backend.
    """
    found = None
    found_device = None
    for array in arrays:
        backend = _backend_by_type.get(type(array))  # an array type seen before: the common case, made fast
        if backend is None:
            if _is_scalar(array):
                continue
            backend = _backend_of_array(array)
        if found is None:
            found = backend
            if backend.name != "cpu":
                found_device = backend.device_of(array)
            continue
        if backend is not found or (found_device is not None and backend.device_of(array) != found_device):
            first = found_device or CPU
            raise DeviceMismatchError(
                f"arrays on different devices were mixed: {first} and {backend.device_of(array)}. "
                "Move one of them first, e.g. tensor.to('cpu') or backend.to_device(array, 'cpu')."
            )
    return found if found is not None else get_backend(default_device())


def namespace(*arrays):
    """The NumPy-compatible module (numpy or cupy) to compute on ``arrays`` with."""
    return backend_of(*arrays).xp


def device_of(array) -> Device:
    """The :class:`Device` an array lives on."""
    return _backend_of_array(array).device_of(array)


# --------------------------------------------------------------------------- transfers


def to_device(array, dev: str | Device | None = None):
    """``array`` on device ``dev`` (default: the default device); no copy if already there.

    Accepts NumPy and CuPy arrays, lists and scalars. This and :func:`asnumpy`
    are the only places data crosses between host and device.
    """
    target = device(dev)
    destination = get_backend(target)
    if _is_scalar(array) or isinstance(array, (list, tuple)):
        array = np.asarray(array)
    source = _backend_of_array(array)
    if source is destination:
        if source.name == "cpu" or source.device_of(array) == target:
            return array
        return destination.copy_to(array, target.index)
    host = source.to_host(array)
    return destination.from_host(host, target.index)


def asnumpy(array) -> np.ndarray:
    """A host NumPy copy (or view, on the CPU) of a NumPy or CuPy array."""
    if isinstance(array, np.ndarray):
        return array
    if _is_scalar(array) or isinstance(array, (list, tuple)):
        return np.asarray(array)
    return _backend_of_array(array).to_host(array)


def to_scalar(value):
    """A Python number from a one-element array: the only device-to-host sync point."""
    if isinstance(value, (bool, int, float, complex)):
        return value
    if getattr(value, "size", 1) != 1:
        raise ValueError(f"only one-element arrays convert to a Python scalar; got shape {value.shape}")
    return value.item()


# --------------------------------------------------------------------------- shims


def scatter_add(target, index, values) -> None:
    """``target[index] += values`` in place, where repeated indices *accumulate*.

    Plain ``target[index] += values`` keeps only one of the repeated updates.
    NumPy spells this ``np.add.at``, CuPy ``cupyx.scatter_add``.
    """
    backend_of(target, values).scatter_add(target, index, values)


def scatter_max(target, index, values) -> None:
    """``target[index] = max(target[index], values)`` in place, every repeated index taking part.

    NumPy spells this ``np.maximum.at``, CuPy ``cupyx.scatter_max``: the largest value per group.
    """
    backend_of(target, values).scatter_max(target, index, values)


def bincount(x, weights=None, minlength: int = 0):
    """Counts (or summed ``weights``) of each non-negative integer in ``x``.

    ``minlength`` fixes the output length, which keeps shapes static on both devices.
    """
    return namespace(x, weights).bincount(x, weights=weights, minlength=minlength)


def special(*arrays):
    """``scipy.special`` for host arrays, ``cupyx.scipy.special`` for GPU arrays.

    >>> backend.special(x).erf(x)
    """
    return backend_of(*arrays).special


def argsort(array, axis: int = -1):
    """Indices that sort ``array`` along ``axis``, stable: ties keep their order."""
    return backend_of(array).argsort(array, axis)


def _checked_linalg(name: str, result_count: int = 1):
    def routine(*arrays, **kwargs):
        backend = backend_of(*arrays)
        with backend.linalg_errors():
            result = getattr(backend.xp.linalg, name)(*arrays, **kwargs)
        if not backend.raises_on_linalg_failure():
            first = result[0] if result_count > 1 else result
            if not to_scalar(backend.xp.isfinite(first).all()):
                raise np.linalg.LinAlgError(
                    f"{name} failed on device {device_of(arrays[0])}: the matrix is singular or "
                    "not positive definite (the GPU solver returned non-finite values)."
                )
        return result

    routine.__name__ = name
    routine.__doc__ = (
        f"``{name}`` from the array's linalg module; raises ``numpy.linalg.LinAlgError`` "
        "on failure on every device (cuSOLVER would return NaN silently)."
    )
    return routine


solve = _checked_linalg("solve")
cholesky = _checked_linalg("cholesky")
inv = _checked_linalg("inv")
lstsq = _checked_linalg("lstsq", result_count=4)
eigh = _checked_linalg("eigh", result_count=2)


# --------------------------------------------------------------------------- randomness


class RandomGenerator:
    """NumPy's ``Generator`` on the host, with every array it draws moved to ``device``.

    Drawing on the host makes one seed give the same numbers on every device,
    so a model trained on the CPU and on a GPU from one ``random_state`` agree.
    Any ``numpy.random.Generator`` method works: ``normal``, ``uniform``,
    ``integers``, ``permutation``, ``choice``, ``random``, ``binomial``, ...
    """

    def __init__(self, generator: np.random.Generator, dev: Device):
        self.generator = generator
        self.device = dev

    def __getattr__(self, name):
        draw = getattr(self.generator, name)
        if not callable(draw):
            return draw

        def on_device(*args, **kwargs):
            result = draw(*args, **kwargs)
            return to_device(result, self.device) if isinstance(result, np.ndarray) else result

        return on_device

    def __repr__(self) -> str:
        return f"RandomGenerator(device='{self.device}')"


def rng(random_state=None, dev: str | Device | None = None) -> RandomGenerator:
    """A :class:`RandomGenerator` from a seed, a NumPy Generator or another RandomGenerator.

    ``None`` draws fresh entropy. Never touches NumPy's global seed.
    """
    target = device(dev)
    if isinstance(random_state, RandomGenerator):
        return random_state if random_state.device == target else RandomGenerator(random_state.generator, target)
    if isinstance(random_state, (np.random.Generator, type(None), numbers.Integral)) or (
        isinstance(random_state, np.random.SeedSequence)
    ):
        return RandomGenerator(np.random.default_rng(random_state), target)
    raise TypeError(
        f"random_state must be None, an int, a numpy.random.Generator or a RandomGenerator; got {random_state!r}"
    )
