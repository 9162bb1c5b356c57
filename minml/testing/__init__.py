"""Test support: hypothesis strategies, device-agnostic asserts, the fake GPU, the estimator contract, peak memory.

Importing this package registers the fake CuPy device ``"fake"`` (see
:mod:`minml.testing.fake_device`), so tests can run every op on it.
"""

from minml.testing import fake_device
from minml.testing.asserts import (
    assert_close,
    check_against_torch,
    gradcheck_on,
    standard_normal,
    to_host,
    torch_or_skip,
)
from minml.testing.estimators import all_estimators, check_estimator
from minml.testing.memory import peak_memory

fake_device.install()

FAKE_DEVICE = fake_device.FAKE_DEVICE

__all__ = [
    "FAKE_DEVICE",
    "all_estimators",
    "assert_close",
    "check_against_torch",
    "check_estimator",
    "fake_device",
    "gradcheck_on",
    "peak_memory",
    "standard_normal",
    "to_host",
    "torch_or_skip",
]
