"""Every data-set test runs under each default device: data sets are host NumPy arrays all the same."""

import pytest

import minml


@pytest.fixture(autouse=True)
def default_device(device):
    with minml.device(device):
        yield
