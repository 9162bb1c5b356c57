"""Test support: hypothesis strategies, device-agnostic asserts and the fake GPU.

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

fake_device.install()

FAKE_DEVICE = fake_device.FAKE_DEVICE

__all__ = [
    "FAKE_DEVICE",
    "assert_close",
    "check_against_torch",
    "fake_device",
    "gradcheck_on",
    "standard_normal",
    "to_host",
    "torch_or_skip",
]
