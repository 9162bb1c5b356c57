"""The fake CuPy device: it catches each host/device leak, and the legitimate paths work."""

import operator

import numpy as np
import pytest

from minml import backend
from minml.testing import fake_device
from minml.testing.fake_device import FakeArray, fake_cupy, fake_cupyx

fake_device.install()


@pytest.fixture
def x():
    return backend.to_device(np.array([[1.0, 2.0], [3.0, 4.0]]), "fake")


# --------------------------------------------------------------------------- leaks it catches


@pytest.mark.parametrize(
    "leak",
    [np.asarray, np.array, np.sum, np.mean, np.exp, np.sqrt, lambda a: np.concatenate([a, a])],
    ids=["asarray", "array", "sum", "mean", "exp-ufunc", "sqrt-ufunc", "concatenate"],
)
def test_numpy_refuses_fake_arrays(x, leak):
    with pytest.raises(TypeError, match="NumPy array is not allowed|namespace"):
        leak(x)


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.lt, operator.matmul])
def test_mixing_with_a_host_array_raises_in_both_orders(x, op):
    host = np.ones((2, 2))
    with pytest.raises(TypeError, match="host numpy.ndarray"):
        op(x, host)
    with pytest.raises(TypeError, match="host numpy.ndarray"):
        op(host, x)


def test_host_arrays_are_refused_by_inplace_ops_functions_and_indexing(x):
    host = np.ones((2, 2))
    with pytest.raises(TypeError, match="host numpy.ndarray"):
        x += host
    with pytest.raises(TypeError):
        host += x
    with pytest.raises(TypeError, match="host numpy.ndarray"):
        fake_cupy.concatenate([x, host])
    with pytest.raises(TypeError, match="host numpy.ndarray"):
        x[np.array([0, 1])]
    with pytest.raises(TypeError, match="host numpy.ndarray"):
        x[0] = np.zeros(2)


def test_mixing_devices_raises_naming_both(x):
    other = backend.to_device(np.ones((2, 2)), "fake:1")
    for mix in (operator.add, operator.iadd, lambda a, b: fake_cupy.stack([a, b]), lambda a, b: a[b > 0]):
        with pytest.raises(ValueError, match="fake:0 and fake:1"):
            mix(x, other)


@pytest.mark.parametrize("sync", [float, int, bool, complex, operator.index])
def test_hidden_syncs_raise(x, sync):
    with pytest.raises(TypeError, match="to_scalar"):
        sync(x.sum())


def test_if_on_a_device_array_is_a_hidden_sync(x):
    with pytest.raises(TypeError, match="bool"):
        if (x > 0).any():
            pass


# --------------------------------------------------------------------------- behaving like cupy.ndarray


def test_scalars_mix_with_fake_arrays_as_in_cupy(x):
    for result in (2 * x, x * 2, np.float32(2) * x, x * np.float32(2), 2.0**x, x / np.int64(2)):
        assert isinstance(result, FakeArray)
    np.testing.assert_allclose((np.float32(2) * x).get(), [[2, 4], [6, 8]])
    assert (np.float32(2) * fake_cupy.ones(2, dtype=np.float32)).dtype == np.float32


def test_operators_and_inplace_ops(x):
    y = x.copy()
    y += 1
    y **= 2
    np.testing.assert_allclose(y.get(), (x.get() + 1) ** 2)
    np.testing.assert_allclose((-x).get(), -x.get())
    np.testing.assert_allclose(abs(-x).get(), x.get())
    np.testing.assert_allclose((x @ x).get(), x.get() @ x.get())
    np.testing.assert_array_equal((~(x > 2)).get(), x.get() <= 2)
    quotient, remainder = divmod(x, 3)
    np.testing.assert_allclose(quotient.get(), x.get() // 3)


def test_reductions_and_scalar_indexing_give_0d_device_arrays(x):
    for value in (x.sum(), x.mean(), x.max(), x.argmax(), x.var(), x.std(), x.prod(), x.any(), x[0, 1], x.ravel()[0]):
        assert isinstance(value, FakeArray) and value.shape == ()
    assert backend.to_scalar(x.sum()) == 10.0
    assert x.sum(axis=0, keepdims=True).shape == (1, 2)
    assert isinstance(fake_cupy.allclose(x, x), FakeArray)


def test_array_attributes_and_methods(x):
    assert (x.shape, x.ndim, x.size, x.dtype, x.device.id, len(x)) == ((2, 2), 2, 4, np.float64, 0, 2)
    assert isinstance(x.T, FakeArray) and isinstance(x.mT, FakeArray)
    assert x.astype(np.float32).dtype == np.float32
    assert x.reshape(4).shape == (4,) and x.swapaxes(0, 1).shape == (2, 2) and x[None].squeeze().shape == (2, 2)
    assert [row.shape for row in x] == [(2,), (2,)]
    assert "device=0" in repr(x)
    y = x.copy()
    y.fill(7.0)
    assert backend.to_scalar(y.min()) == 7.0 and backend.to_scalar(x.min()) == 1.0


def test_indexing_and_assignment(x):
    mask = x > 2
    np.testing.assert_allclose(x[mask].get(), [3.0, 4.0])
    np.testing.assert_allclose(x[fake_cupy.asarray([1, 0])].get(), [[3, 4], [1, 2]])
    np.testing.assert_allclose(x[..., None, 1:].get(), [[[2.0]], [[4.0]]])
    y = x.copy()
    y[mask] = 0.0
    y[0] = fake_cupy.asarray([5.0, 6.0])
    np.testing.assert_allclose(y.get(), [[5, 6], [0, 0]])


def test_namespace_functions_wrap_results_and_pass_constants_through(x):
    assert isinstance(fake_cupy.exp(x), FakeArray)
    assert isinstance(fake_cupy.concatenate([x, x]), FakeArray)
    assert isinstance(fake_cupy.add.reduce(x, axis=0), FakeArray)
    assert isinstance(fake_cupy.multiply.outer(x[0], x[1]), FakeArray)
    values, vectors = fake_cupy.linalg.eigh(x @ x.T)
    assert isinstance(values, FakeArray) and isinstance(vectors, FakeArray)
    assert isinstance(fake_cupy.fft.fft(x), FakeArray)
    assert fake_cupy.float32 is np.float32 and fake_cupy.newaxis is None and fake_cupy.pi == np.pi
    assert fake_cupy.finfo(fake_cupy.float32).eps == np.finfo(np.float32).eps
    assert fake_cupy.result_type(x, np.float32) == np.float64
    assert fake_cupy.__version__ == "fake" and fake_cupy.ndarray is FakeArray


def test_special_functions(x):
    special = fake_cupyx.scipy.special
    for name in ("erf", "erfc", "gammaln", "ndtr", "expit", "log_ndtr"):
        assert isinstance(getattr(special, name)(x), FakeArray)
    assert isinstance(special.xlogy(x, x), FakeArray)
    assert isinstance(special.ndtri(x / 5), FakeArray) and isinstance(special.logit(x / 5), FakeArray)


def test_what_cupy_fails_on_the_fake_fails_on_too(x):
    """Found on a real GPU: strings on the device, a Python bool in where, an int order in polygamma."""
    with pytest.raises(ValueError, match="Unsupported dtype <U4"):
        fake_cupy.asarray(np.array(["ham", "spam"]))
    with pytest.raises(TypeError, match="condition must be an array"):
        fake_cupy.where(True, x, x)
    with pytest.raises(TypeError, match="order n must be an array"):
        fake_cupyx.scipy.special.polygamma(1, x)
    assert isinstance(fake_cupy.where(x > 0, x, 0.0), FakeArray)
    assert isinstance(fake_cupyx.scipy.special.polygamma(fake_cupy.asarray(1), x + 5), FakeArray)


def test_creation_goes_to_the_current_device(x):
    assert fake_cupy.zeros(3).device.id == 0
    with fake_cupy.cuda.Device(1):
        assert fake_cupy.zeros(3).device.id == 1
        assert fake_cupy.arange(3).device.id == 1
        assert fake_cupy.asarray([1.0, 2.0]).device.id == 1
        assert fake_cupy.zeros_like(x).device.id == 0  # the _like functions follow their argument
    assert fake_cupy.cuda.runtime.getDeviceCount() == 2
    fake_cupy.cuda.Device(0).synchronize()


def test_asarray_copies_host_data_and_other_devices_but_not_its_own(x):
    host = np.zeros(3)
    on_device = fake_cupy.asarray(host)
    on_device += 1
    assert host.sum() == 0
    assert fake_cupy.asarray(x) is x
    with fake_cupy.cuda.Device(1):
        moved = fake_cupy.asarray(x)
    moved += 1
    assert moved.device.id == 1 and backend.to_scalar(x.sum()) == 10.0


# --------------------------------------------------------------------------- through minml.backend


def test_backend_transfers_and_namespace():
    host = np.arange(6.0).reshape(2, 3)
    on_fake = backend.to_device(host, "fake")
    assert isinstance(on_fake, FakeArray) and on_fake.device.id == 0
    assert backend.namespace(on_fake) is fake_cupy
    assert str(backend.device_of(on_fake)) == "fake:0"
    back = backend.asnumpy(on_fake)
    assert type(back) is np.ndarray
    np.testing.assert_array_equal(back, host)
    on_one = backend.to_device(on_fake, "fake:1")
    assert on_one.device.id == 1
    np.testing.assert_array_equal(backend.asnumpy(on_one), host)
    assert backend.to_scalar(on_fake[1, 2]) == 5.0


def test_backend_device_mismatch_names_both_devices():
    a0 = backend.to_device(np.ones(2), "fake:0")
    a1 = backend.to_device(np.ones(2), "fake:1")
    with pytest.raises(backend.DeviceMismatchError, match="fake:0 and fake:1"):
        backend.namespace(a0, a1)


def test_backend_scatter_add_accumulates_repeated_indices():
    target = backend.to_device(np.zeros(3), "fake")
    index = backend.to_device(np.array([0, 0, 2, 0]), "fake")
    backend.scatter_add(target, index, backend.to_device(np.ones(4), "fake"))
    np.testing.assert_array_equal(backend.asnumpy(target), [3.0, 0.0, 1.0])


def test_scatter_max_and_the_dtypes_cuda_atomics_refuse():
    target = fake_cupy.zeros(2)
    fake_cupyx.scatter_max(target, fake_cupy.asarray([1, 1]), fake_cupy.asarray([3.0, 5.0]))
    np.testing.assert_array_equal(target.get(), [0.0, 5.0])
    with pytest.raises(TypeError, match="int64"):
        fake_cupyx.scatter_add(fake_cupy.zeros(2, dtype=np.int64), fake_cupy.asarray([0]), 1)


def test_backend_argsort_is_stable():
    values = np.array([1, 0] * 50)
    assert not np.array_equal(np.argsort(values), np.argsort(values, kind="stable"))  # NumPy's default is not
    order = backend.asnumpy(backend.argsort(backend.to_device(values, "fake")))
    np.testing.assert_array_equal(order, np.argsort(values, kind="stable"))


def test_backend_bincount():
    counts = backend.bincount(backend.to_device(np.array([0, 2, 2]), "fake"), minlength=4)
    np.testing.assert_array_equal(backend.asnumpy(counts), [1, 0, 2, 0])


def test_linalg_failure_is_silent_like_cusolver_and_the_backend_raises():
    singular = backend.to_device(np.ones((2, 2)), "fake")
    rhs = backend.to_device(np.ones(2), "fake")
    assert not backend.to_scalar(fake_cupy.isfinite(fake_cupy.linalg.solve(singular, rhs)).any())
    with pytest.raises(np.linalg.LinAlgError):
        backend.solve(singular, rhs)
    with pytest.raises(np.linalg.LinAlgError):
        backend.cholesky(backend.to_device(np.array([[1.0, 2.0], [2.0, 1.0]]), "fake"))
    good = backend.to_device(np.array([[2.0, 1.0], [1.0, 2.0]]), "fake")
    np.testing.assert_allclose(backend.asnumpy(backend.solve(good, rhs)), [1 / 3, 1 / 3])


def test_rng_gives_the_same_numbers_on_every_device():
    on_fake = backend.rng(0, "fake").normal(size=3)
    assert isinstance(on_fake, FakeArray)
    np.testing.assert_array_equal(backend.asnumpy(on_fake), backend.rng(0, "cpu").normal(size=3))
