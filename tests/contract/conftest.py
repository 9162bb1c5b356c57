"""The estimators the contract suite checks: every public estimator minml defines, found by walking the package.

Discovery runs once, at collection. A module that fails to import (for any reason but a missing
optional dependency) is a collection error, so it fails the suite instead of hiding its estimators.
A class that cannot be built (required constructor arguments and no ``_contract_instances``) fails
test_discovery.py::test_every_estimator_can_be_built; the classes that can be built are checked.

A test asking for ``estimator_class`` runs once per discovered class; one asking for
``minml_estimator`` (and optionally ``check``) once per example instance (and applicable check).
"""

import functools

import pytest

from minml.testing.estimators import all_estimators, checks_for, discover_instances


@functools.cache
def discovered_classes() -> list[tuple[str, type]]:
    return all_estimators()


@functools.cache
def discovered_instances() -> list:
    """The buildable ones; those that cannot be built fail test_every_estimator_can_be_built."""
    return discover_instances()[0]


@pytest.hookimpl(tryfirst=True)  # before the device fixture's, so that ids read [Ridge()-check_name-cpu]
def pytest_generate_tests(metafunc):
    if "estimator_class" in metafunc.fixturenames:
        classes = [cls for _, cls in discovered_classes()]
        metafunc.parametrize("estimator_class", classes, ids=[cls.__name__ for cls in classes])
    if "minml_estimator" in metafunc.fixturenames and "check" in metafunc.fixturenames:
        cases = [
            pytest.param(estimator, check, id=f"{estimator!r}-{check.__name__}")
            for estimator in discovered_instances()
            for check in checks_for(estimator)
        ]
        metafunc.parametrize(("minml_estimator", "check"), cases)
    elif "minml_estimator" in metafunc.fixturenames:
        metafunc.parametrize("minml_estimator", discovered_instances(), ids=repr)
