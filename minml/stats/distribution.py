"""What every probability distribution in :mod:`minml.stats` shares.

A distribution object is a *family with its parameters fixed*: ``Normal(loc=0, scale=2)``
is one bell curve, ``Normal(loc=[0, 1], scale=2)`` two of them side by side (parameters
broadcast as NumPy arrays do; their broadcast shape is the ``batch_shape``). Every family
offers the same questions:

* ``logpdf(x)`` / ``logpmf(k)``: log f(x), the log-density (continuous) or log-probability
  (discrete). Working in logs keeps tiny probabilities representable, turns products of
  independent observations into sums, and is what maximum likelihood maximises;
  ``pdf`` / ``pmf`` is its exponential;
* ``cdf(x)`` = P(X ≤ x) and its inverse ``ppf(q)`` (the quantile function), where the
  family has one; ``ppf(U)`` with U uniform on (0, 1) is a draw of X (inverse-CDF sampling);
  ``sf(x)`` = P(X > x), computed directly where 1 − cdf would round a small tail (a p-value) to 0;
* ``mean()``, ``var()``, ``std()``, ``entropy()`` (−E[log f(X)], in nats);
* ``sample(size, random_state)``: draws of shape ``size + batch_shape``;
* ``Family.fit(data)``: the maximum-likelihood parameters for data along axis 0.

Devices. Parameters given as arrays stay on their device; Python numbers are device-free
and take the device of whatever they meet (the data, or the default device). Outputs follow
the inputs. Draws come from :func:`minml.backend.rng` (NumPy's generator on the host, moved
to the device), so one seed gives the same numbers on every device.

Autograd. ``logpdf`` / ``logpmf`` also accept :class:`minml.Tensor` parameters and data, so
a lesson can fit a distribution by gradient ascent on the log-likelihood. The formulas are
written once, with the helpers below (:func:`log`, :func:`gammaln`, :func:`xlogy`, ...),
which call the array library on arrays and the differentiable autograd op on Tensors.
:class:`LogGamma` is the one op added for this: log Γ(a), whose derivative is the digamma
function ψ(a).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

import minml.autograd as autograd
from minml import backend
from minml.autograd.function import Function
from minml.autograd.tensor import Tensor

__all__ = [
    "Distribution",
    "ContinuousDistribution",
    "DiscreteDistribution",
    "LogGamma",
    "gammaln",
    "log",
    "log1p",
    "exp",
    "xlogy",
    "xlog1py",
    "where",
    "total",
    "raw",
    "parameter_shape",
    "integer_valued",
    "fit_data",
    "inverse_digamma",
    "LOG_2PI",
]

LOG_2PI = math.log(2 * math.pi)


# --------------------------------------------------------------------------- tensor-or-array math


class LogGamma(Function):
    """y = log Γ(a); dy/da = ψ(a), the digamma function."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return backend.special(a).gammaln(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved
        return (grad * backend.special(a).digamma(a),)


def raw(value):
    """The array inside a Tensor (the value itself otherwise): for checks and constants."""
    return value.data if isinstance(value, Tensor) else value


def _any_tensor(*values) -> bool:
    return any(isinstance(v, Tensor) for v in values)


def log(x):
    """log x, on an array or a Tensor."""
    return autograd.log(x) if isinstance(x, Tensor) else backend.namespace(x).log(x)


def log1p(x):
    """log(1 + x): NumPy's accurate ``log1p`` on arrays, ``log(1 + x)`` on Tensors."""
    return autograd.log(1 + x) if isinstance(x, Tensor) else backend.namespace(x).log1p(x)


def exp(x):
    """eˣ, on an array or a Tensor."""
    return autograd.exp(x) if isinstance(x, Tensor) else backend.namespace(x).exp(x)


def gammaln(a):
    """log Γ(a), on an array (scipy / cupyx special) or a Tensor (:class:`LogGamma`)."""
    return LogGamma.apply(a) if isinstance(a, Tensor) else backend.special(a).gammaln(a)


def xlogy(a, y):
    """a · log y, taken as 0 where a = 0 (so 0 · log 0 = 0); on Tensors plainly a · log y."""
    if _any_tensor(a, y):
        return a * log(y)
    return backend.special(a, y).xlogy(a, y)


def xlog1py(a, y):
    """a · log(1 + y), taken as 0 where a = 0; on Tensors plainly a · log(1 + y)."""
    if _any_tensor(a, y):
        return a * log1p(y)
    return backend.special(a, y).xlog1py(a, y)


def where(condition, a, b):
    """``a`` where ``condition`` (an array of bools) holds, else ``b``; differentiable in a and b."""
    if _any_tensor(a, b):
        return autograd.where(condition, a, b)
    return backend.namespace(condition, a, b).where(condition, a, b)


def total(x, axis=-1):
    """Σ along ``axis``, on an array or a Tensor."""
    return autograd.sum(x, axis=axis) if isinstance(x, Tensor) else x.sum(axis=axis)


# --------------------------------------------------------------------------- parameters


def _parameter(name: str, value):
    """A Tensor or float array kept as is, an integer array made float64, a number made a float."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (list, tuple)):
        return backend.to_device(np.asarray(value, dtype=np.float64), backend.default_device())
    try:
        backend.device_of(value)
    except TypeError:
        raise TypeError(f"{name} must be a number, a list, an array or a Tensor; got {type(value).__name__}") from None
    return value if value.dtype.kind == "f" else value.astype(np.float64)


def parameter_shape(value) -> tuple[int, ...]:
    """The shape of a parameter: () for a Python number."""
    return () if isinstance(value, (int, float)) else raw(value).shape


def _as_data(value, dev):
    """Data for a density: Tensors and arrays as they are, numbers and lists as float64 on ``dev``."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (numbers.Number, list, tuple)):
        return backend.to_device(np.asarray(value, dtype=np.float64), dev)
    return value


class Distribution:
    """Base class: parameters, broadcasting, devices, validation and the shared methods.

    A subclass names its parameters in ``_param_names``, calls :meth:`_set_params` from
    ``__init__`` and checks them with :meth:`_require`; its formulas get the parameters as
    arrays on the right device from :meth:`_values`.
    """

    _param_names: tuple[str, ...] = ()

    def _set_params(self, **params) -> None:
        self._device = backend.default_device()
        for name, value in params.items():
            setattr(self, name, _parameter(name, value))
        arrays = [raw(v) for v in self._params() if not isinstance(v, float)]
        if arrays:
            backend.backend_of(*arrays)  # all on one device, or a clear DeviceMismatchError
            self._device = backend.device_of(arrays[0])
        self.batch_shape = self._batch_shape()

    def _batch_shape(self) -> tuple[int, ...]:
        """The broadcast shape of the parameters (families of vectors override this)."""
        return np.broadcast_shapes(*(parameter_shape(v) for v in self._params()))

    def _params(self) -> tuple:
        return tuple(getattr(self, name) for name in self._param_names)

    @property
    def device(self) -> backend.Device:
        """Where the parameters live (the default device if they are all Python numbers)."""
        return self._device

    def _values(self, *data, keep_tensors: bool = False):
        """(data..., parameters...) as arrays on one device; Python numbers made float64 arrays there.

        With ``keep_tensors`` Tensors stay Tensors (the log-density path); otherwise their
        arrays are used.
        """
        params = self._params()
        arrays = [raw(v) for v in (*data, *params) if not isinstance(v, (numbers.Number, list, tuple))]
        dev = self._device
        if arrays:
            backend.backend_of(*arrays)  # one device, or a clear DeviceMismatchError
            dev = backend.device_of(arrays[0])
        out = []
        for value in (*data, *params):
            value = _as_data(value, dev)
            out.append(value if keep_tensors else raw(value))
        return out

    @staticmethod
    def _require(name: str, value, ok, requirement: str) -> None:
        """Raise ``ValueError("<name> must <requirement>; got <first bad value>")`` unless ``ok`` holds.

        ``value`` is the parameter's array, ``ok`` the elementwise test (broadcast against it).
        """
        if backend.to_scalar(ok.all()):
            return
        xp = backend.namespace(value, ok)
        bad = xp.broadcast_to(value, ok.shape)[~ok].reshape(-1)[0]
        raise ValueError(f"{name} must {requirement}; got {backend.to_scalar(bad):.10g}")

    def _positive(self, *names: str) -> None:
        for name, value in zip(names, self._values(*(getattr(self, n) for n in names))):
            self._require(name, value, value > 0, "be > 0")

    def _broadcast(self, value):
        """``value`` broadcast to the batch shape (a fresh array)."""
        xp = backend.namespace(value)
        return xp.broadcast_to(value, self.batch_shape).copy()

    def _host_params(self):
        """The parameters on the host (the generator draws there); small, and copied once per draw."""
        return [backend.asnumpy(v) for v in self._values()]

    def _shape(self, size) -> tuple[int, ...]:
        if size is None:
            size = ()
        elif isinstance(size, numbers.Integral):
            size = (int(size),)
        return tuple(size) + tuple(self.batch_shape)

    def _generator(self, random_state):
        return backend.rng(random_state, self._device)

    def std(self):
        """The standard deviation √var."""
        var = self.var()
        return backend.namespace(var).sqrt(var)

    def __repr__(self) -> str:
        def show(v):
            if isinstance(v, (int, float)):
                return repr(v)
            v = raw(v)
            return repr(backend.to_scalar(v)) if v.size == 1 and v.ndim == 0 else f"array(shape={v.shape})"

        args = ", ".join(f"{name}={show(getattr(self, name))}" for name in self._param_names)
        return f"{type(self).__name__}({args})"


class ContinuousDistribution(Distribution):
    """A distribution with a density: ``pdf`` is ``exp(logpdf)``."""

    def logpdf(self, x):
        raise NotImplementedError

    def pdf(self, x):
        """The density f(x) = exp(log f(x))."""
        return exp(self.logpdf(x))

    def sf(self, x):
        """The survival function P(X > x) = 1 − F(x) (families override it where 1 − F loses the tail)."""
        return 1 - self.cdf(x)


class DiscreteDistribution(Distribution):
    """A distribution on the integers: ``pmf`` is ``exp(logpmf)``; ``ppf`` by bisection on the cdf."""

    def logpmf(self, k):
        raise NotImplementedError

    def pmf(self, k):
        """The probability P(X = k) = exp(log P(X = k))."""
        return exp(self.logpmf(k))

    def sf(self, k):
        """The survival function P(X > k) = 1 − F(k) (families override it where 1 − F loses the tail)."""
        return 1 - self.cdf(k)

    def _ppf_search(self, q, upper, unbounded: bool):
        """The smallest integer k ≥ 0 with cdf(k) ≥ q, by bisection between −1 and ``upper``.

        The search runs on every element at once. ``upper`` must satisfy cdf(upper) ≥ q; when
        the support is ``unbounded`` it is doubled until it does. q = 0 gives −1 and q = 1 the
        top of the support (inf when unbounded), as in SciPy; q outside [0, 1] gives NaN.
        """
        xp = backend.namespace(q)
        inside = (q > 0) & (q < 1)
        target = xp.where(inside, q, 0.5)
        hi = xp.floor(upper) + xp.zeros_like(target)
        if unbounded:
            while not backend.to_scalar((self.cdf(hi) >= target).all()):
                hi = xp.where(self.cdf(hi) >= target, hi, 2 * hi + 1)
        lo = xp.full_like(hi, -1.0)
        steps = int(math.ceil(math.log2(backend.to_scalar(hi.max()) + 2))) + 1
        for _ in range(steps):
            mid = xp.floor((lo + hi) / 2)
            enough = self.cdf(mid) >= target
            hi = xp.where(enough, mid, hi)
            lo = xp.where(enough, lo, mid)
        top = xp.inf if unbounded else xp.floor(upper) + xp.zeros_like(target)
        out = xp.where(q <= 0, -1.0, xp.where(q >= 1, top, hi))
        return xp.where((q < 0) | (q > 1) | xp.isnan(q), xp.nan, out)


def integer_valued(k):
    """Whether each value is a whole number (so a pmf can be positive there)."""
    xp = backend.namespace(k)
    return xp.floor(k) == k


def fit_data(data, minimum: int = 1):
    """Data for ``fit``: a float array with observations along axis 0 (lists go to the default device)."""
    if isinstance(data, Tensor):
        data = data.data
    data = _as_data(data, backend.default_device())
    if data.dtype.kind != "f":
        data = data.astype(np.float64)
    if data.ndim == 0 or data.shape[0] < minimum:
        raise ValueError(f"fit needs at least {minimum} observation(s) along axis 0; got shape {data.shape}")
    if not backend.to_scalar(backend.namespace(data).isfinite(data).all()):
        raise ValueError("fit needs finite data; the data holds NaN or infinity")
    return data


def trigamma(x):
    """ψ′(x) = polygamma(1, x), the derivative of the digamma function.

    The order goes in as an array of x's library: CuPy's polygamma takes no Python int there.
    """
    return backend.special(x).polygamma(backend.namespace(x).asarray(1), x)


def inverse_digamma(y, iterations: int = 6):
    """x with ψ(x) = y, by Newton's method from Minka's starting point (a few steps reach float64 accuracy)."""
    xp = backend.namespace(y)
    special = backend.special(y)
    x = xp.where(y >= -2.22, xp.exp(y) + 0.5, -1.0 / (y + 0.5772156649015329))
    for _ in range(iterations):
        x = x - (special.digamma(x) - y) / trigamma(x)
    return x
