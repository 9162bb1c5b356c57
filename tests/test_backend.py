"""minml.backend: device strings, default-device selection, clear errors, shims on every device."""

import importlib.util

import numpy as np
import pytest

import minml
from minml import backend
from minml.testing import FAKE_DEVICE

HAS_CUPY = importlib.util.find_spec("cupy") is not None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("cpu", "cpu"), ("CPU", "cpu"), ("cuda", "cuda:0"), ("cuda:1", "cuda:1"), ("fake:1", "fake:1")],
)
def test_device_strings_parse(spec, expected):
    assert str(backend.device(spec)) == expected


@pytest.mark.parametrize("spec", ["gpu", "cuda:x", "cpu:1", "tpu:0", ""])
def test_unknown_device_string_lists_the_valid_ones(spec):
    with pytest.raises(ValueError, match="unknown device.*'cpu', 'cuda'"):
        backend.device(spec)


def test_a_device_compares_equal_to_its_string():
    assert backend.device("cuda") == "cuda:0"
    assert backend.device("cpu") != "fake:0"
    assert len({backend.device("fake"), backend.device("fake:0")}) == 1


def test_default_device_from_env_and_context(monkeypatch):
    monkeypatch.delenv("MINML_DEVICE", raising=False)
    assert backend.default_device() == "cpu"
    monkeypatch.setenv("MINML_DEVICE", FAKE_DEVICE)
    assert backend.default_device() == "fake:0"
    with minml.device("fake:1"):
        assert backend.default_device() == "fake:1"
        with minml.device("cpu"):
            assert minml.zeros(2).device == "cpu"
        assert minml.zeros(2).device == "fake:1"
    assert backend.default_device() == "fake:0"


def test_bad_env_device_names_the_variable(monkeypatch):
    monkeypatch.setenv("MINML_DEVICE", "gpu")
    with pytest.raises(ValueError, match="MINML_DEVICE='gpu'"):
        backend.default_device()


@pytest.mark.skipif(HAS_CUPY, reason="CuPy is installed: the missing-CuPy message cannot be provoked")
def test_cuda_without_cupy_says_how_to_install():
    with pytest.raises(backend.DeviceUnavailableError, match=r"CuPy.*pip install 'minml\[gpu\]'"):
        with minml.device("cuda"):
            pass
    ok, reason = backend.cuda_status()
    assert not ok and "pip install" in reason
    assert backend.available_devices() == ["cpu"]


def test_a_device_index_past_the_last_gpu_is_refused():
    with pytest.raises(backend.DeviceUnavailableError, match="fake:2.*2 fake device"):
        backend.get_backend("fake:2")


def test_mixing_devices_names_both(device):
    if device == "cpu":
        other = FAKE_DEVICE
    else:
        other = "cpu"
    a, b = backend.to_device(np.ones(2), device), backend.to_device(np.ones(2), other)
    with pytest.raises(backend.DeviceMismatchError) as error:
        backend.namespace(a, b)
    assert str(backend.device(device)) in str(error.value) and str(backend.device(other)) in str(error.value)


def test_namespace_ignores_scalars_and_rejects_non_arrays(device):
    x = backend.to_device(np.ones(2), device)
    assert backend.namespace(x, 2.0, None) is backend.get_backend(device).xp
    with pytest.raises(TypeError, match="expected a NumPy or CuPy array, got list"):
        backend.namespace([1, 2])


def test_transfers_round_trip(device):
    host = np.arange(6.0).reshape(2, 3)
    moved = backend.to_device(host, device)
    assert backend.device_of(moved) == device
    assert backend.to_device(moved, device) is moved  # no copy when already there
    np.testing.assert_array_equal(backend.asnumpy(moved), host)
    assert backend.to_scalar(moved[1, 2]) == 5.0
    with pytest.raises(ValueError, match="one-element"):
        backend.to_scalar(moved)


def test_scatter_add_accumulates_repeated_indices(device):
    target = backend.to_device(np.zeros(4), device)
    index = backend.to_device(np.array([0, 0, 3]), device)
    backend.scatter_add(target, index, backend.to_device(np.array([1.0, 2.0, 5.0]), device))
    np.testing.assert_array_equal(backend.asnumpy(target), [3.0, 0.0, 0.0, 5.0])


def test_scatter_max_keeps_the_largest_of_repeated_indices(device):
    target = backend.to_device(np.full(4, -np.inf), device)
    index = backend.to_device(np.array([0, 0, 3, 3]), device)
    backend.scatter_max(target, index, backend.to_device(np.array([1.0, 2.0, -5.0, -7.0]), device))
    np.testing.assert_array_equal(backend.asnumpy(target), [2.0, -np.inf, -np.inf, -5.0])


def test_bincount_and_stable_argsort(device):
    x = backend.to_device(np.array([1, 1, 3]), device)
    np.testing.assert_array_equal(backend.asnumpy(backend.bincount(x, minlength=5)), [0, 2, 0, 1, 0])
    keys = backend.to_device(np.array([2, 1, 2, 1, 2, 1] * 4), device)
    order = backend.asnumpy(backend.argsort(keys))
    np.testing.assert_array_equal(order, np.argsort(np.array([2, 1, 2, 1, 2, 1] * 4), kind="stable"))


def test_linear_algebra_raises_on_failure(device):
    singular = backend.to_device(np.ones((3, 3)), device)
    with pytest.raises(np.linalg.LinAlgError):
        backend.solve(singular, backend.to_device(np.ones(3), device))
    with pytest.raises(np.linalg.LinAlgError):
        backend.cholesky(backend.to_device(-np.eye(2), device))
    spd = backend.to_device(np.array([[4.0, 2.0], [2.0, 3.0]]), device)
    np.testing.assert_allclose(backend.asnumpy(backend.cholesky(spd)), np.linalg.cholesky([[4, 2], [2, 3]]))


def test_special_functions_follow_the_array(device):
    x = backend.to_device(np.array([0.0, 1.0]), device)
    np.testing.assert_allclose(backend.asnumpy(backend.special(x).erf(x)), [0.0, 0.8427007929497149])


def test_rng_is_the_same_on_every_device_and_never_global(device):
    np.random.seed(1)
    before = np.random.random()
    np.random.seed(1)
    draws = backend.rng(7, device).normal(size=4)
    assert backend.device_of(draws) == device
    np.testing.assert_array_equal(backend.asnumpy(draws), np.random.default_rng(7).normal(size=4))
    assert np.random.random() == before  # the global NumPy stream was not touched
    generator = backend.rng(3, device)
    assert backend.rng(generator, device) is generator
    with pytest.raises(TypeError, match="random_state must be"):
        backend.rng("seed")


def test_numpy_scalars_stay_scalars_after_a_tensor_was_made_from_one(device):
    minml.tensor(np.float64(1.0))  # asks the device of a NumPy scalar
    x = backend.to_device(np.ones(2), device)
    assert backend.namespace(x, np.float64(2.0)) is backend.get_backend(device).xp
