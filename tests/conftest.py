"""Shared fixtures: every engine test runs on every device.

``device`` is parametrised over cpu, the fake CuPy device of minml.testing
(which refuses implicit host/device mixing, as CuPy does) and cuda. cuda is
marked ``gpu`` and skipped, visibly and with the reason, where CuPy or a GPU
is missing; ``pytest -m gpu`` runs only the cuda cases.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from minml import backend
from minml.testing import FAKE_DEVICE

# `device` is a function-scoped fixture that only names a device, so sharing it across a
# hypothesis test's examples is safe: that health check is switched off for every test.
QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, suppress_health_check=QUIET)
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

DEVICES = ["cpu", FAKE_DEVICE, pytest.param("cuda", marks=pytest.mark.gpu)]


@pytest.fixture(params=DEVICES)
def device(request) -> str:
    """The device a test runs on: "cpu", "fake" or "cuda"."""
    if request.param == "cuda":
        available, reason = backend.cuda_status()
        if not available:
            pytest.skip(f"cuda: {reason}")
    return request.param
