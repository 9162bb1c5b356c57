"""Multiple-testing corrections: against scipy (Benjamini–Hochberg) and the textbook step-down/step-up loops."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minml import backend
from minml.stats.multiple_testing import MULTIPLE_TESTING_METHODS, multipletests
from minml.testing import assert_close, to_host

# p-values on a coarse grid too, so that ties (and exact 0 and 1) occur
pvalues = hnp.arrays(
    np.float64,
    st.integers(1, 40),
    elements=st.one_of(st.floats(0, 1), st.integers(0, 20).map(lambda i: i / 20)),
)


def holm_by_hand(p):
    """Holm's procedure as written in textbooks: a step-down loop over the sorted p-values."""
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for i, index in enumerate(order):
        running = max(running, (m - i) * p[index])
        adjusted[index] = min(1.0, running)
    return adjusted


def bonferroni_by_hand(p):
    return np.minimum(1.0, len(p) * p)


@settings(max_examples=25)
@given(p=pvalues, alpha=st.floats(0.01, 0.2))
def test_benjamini_hochberg_matches_scipy(device, p, alpha):
    stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")
    reject, adjusted = multipletests(backend.to_device(p, device), alpha=alpha, method="fdr_bh")
    assert backend.device_of(adjusted) == device
    expected = stats.false_discovery_control(p, method="bh")
    assert_close(adjusted, expected, rtol=1e-12, atol=1e-15)
    assert (to_host(reject) == (to_host(adjusted) <= alpha)).all()


@settings(max_examples=25)
@given(p=pvalues, alpha=st.floats(0.01, 0.2))
@pytest.mark.parametrize("method, by_hand", [("holm", holm_by_hand), ("bonferroni", bonferroni_by_hand)])
def test_family_wise_corrections_match_the_textbook_procedure(device, method, by_hand, p, alpha):
    reject, adjusted = multipletests(backend.to_device(p, device), alpha=alpha, method=method)
    assert_close(adjusted, by_hand(p), rtol=1e-14, atol=0)
    assert (to_host(reject) == (by_hand(p) <= alpha)).all()


@settings(max_examples=25)
@given(p=pvalues)
def test_holm_rejects_at_least_what_bonferroni_does_and_bh_at_least_what_holm_does(p):
    rejected = {method: multipletests(p, method=method).reject for method in MULTIPLE_TESTING_METHODS}
    assert (rejected["holm"] >= rejected["bonferroni"]).all()
    assert (rejected["fdr_bh"] >= rejected["holm"]).all()


def test_a_known_example():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert_close(multipletests(p, method="bonferroni").pvalues_corrected, [0.04, 0.16, 0.12, 0.02])
    assert_close(multipletests(p, method="holm").pvalues_corrected, [0.03, 0.06, 0.06, 0.02])
    assert_close(multipletests(p, method="fdr_bh").pvalues_corrected, [0.02, 0.04, 0.04, 0.02])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: multipletests([0.1, 0.2], method="sidak"), "method must be one of"),
        (lambda: multipletests([]), "non-empty 1-D"),
        (lambda: multipletests([0.1, 1.2]), r"lie in \[0, 1\]"),
        (lambda: multipletests([0.1, np.nan]), "NaN is not a p-value"),
        (lambda: multipletests([0.1], alpha=0.0), "alpha must be"),
    ],
)
def test_bad_input_fails_clearly(call, message):
    with pytest.raises(ValueError, match=message):
        call()
