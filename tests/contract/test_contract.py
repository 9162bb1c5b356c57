"""Every public minml estimator, every applicable contract check, every device.

Test ids read ``test_check[Ridge()-check_fit_returns_self-cpu]``; conftest.py discovers the
estimators. The checks live in minml.testing.estimators, so users can run them on their own
estimators. An estimator opts out of one only through ``_contract_skip = {"check_name": "reason"}``,
shown here as a skip with its reason.
"""

import pytest

from minml.testing.estimators import CHECKS, skip_reason


def test_check(minml_estimator, check, device):
    reason = skip_reason(minml_estimator, check)
    if reason:
        pytest.skip(f"{type(minml_estimator).__name__} opts out of {check.__name__}: {reason}")
    check(minml_estimator, device)


def test_contract_skips_name_real_checks_with_reasons(minml_estimator):
    skips = getattr(minml_estimator, "_contract_skip", {})
    assert isinstance(skips, dict), "_contract_skip must be a dict {check name: reason}"
    unknown = sorted(set(skips) - set(CHECKS))
    assert not unknown, f"_contract_skip names checks that do not exist: {unknown}"
    blank = sorted(name for name, reason in skips.items() if not (isinstance(reason, str) and reason.strip()))
    assert not blank, f"every skip needs its reason; none given for {blank}"
