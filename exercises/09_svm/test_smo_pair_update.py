"""Grader for exercise 09.smo_pair_update: SMO's two-variable step, t = b / a clipped to the box."""

import sys
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml import backend
from minml.grading import expect
from minml.svm import SVC

pytestmark = pytest.mark.exercise("09.smo_pair_update")

STEP_HINT = "the unclipped step is t = b / a: αᵢ moves by +yᵢ·t and αⱼ by −yⱼ·t (so yᵢαᵢ + yⱼαⱼ stays the same)"
SIGN_HINT = ("mind the labels: αᵢ ← αᵢ + yᵢ·t and αⱼ ← αⱼ − yⱼ·t; in Platt's form αⱼ moves by s·(αᵢ − αᵢ_new) "
             "with s = yᵢ·yⱼ, not by −(αᵢ_new − αᵢ)")
BOX_HINT = ("clip the step t to the room both α have: αᵢ may grow to Cᵢ if yᵢ = +1 or shrink to 0 if yᵢ = −1; "
            "αⱼ may shrink to 0 if yⱼ = +1 or grow to Cⱼ if yⱼ = −1 (Platt's bounds L and H)")
ONE_STEP_HINT = ("clip the one step t, not each α on its own: if αᵢ stops at its bound, αⱼ must stop after the same t, "
                 "or Σ yₖαₖ = 0 no longer holds")
OWN_BOX_HINT = "each α has its own box: αᵢ ∈ [0, Cᵢ], αⱼ ∈ [0, Cⱼ] (class weights make them differ)"
CURVATURE_HINT = ("a ≤ 0 means no curvature along the line (η ≤ 0 in Platt's notation): do not divide by it, "
                  "use a = 1e-12 so that the step runs to the box")


def definition(alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a):
    """The step by its definition: t = b / max(a, 1e-12), clipped to the room of both variables."""
    room_i = C_i - alpha_i if y_i > 0 else alpha_i
    room_j = alpha_j if y_j > 0 else C_j - alpha_j
    t = min(b / max(a, 1e-12), room_i, room_j)
    return alpha_i + y_i * t, alpha_j - y_j * t


def check(solution, *args, hint=STEP_HINT, what="(new αᵢ, new αⱼ)"):
    """The solution's pair for ``args``, compared with the definition; returns it."""
    result = solution(*args)
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        f"return two floats (new αᵢ, new αⱼ); got {result!r}")
    expect(result, definition(*args), rtol=1e-9, atol=1e-12, hint=hint,
           what=f"{what} for smo_pair_update{args}")
    return result


@pytest.mark.points(2)
@pytest.mark.hint(STEP_HINT)
def test_step_inside_the_box(solution):
    new_i, new_j = check(solution, 0.5, 0.5, 1.0, 1.0, 10.0, 10.0, 0.6, 2.0)  # t = 0.3
    expect((new_i, new_j), (0.8, 0.2), hint=STEP_HINT, what="(0.5 + 0.3, 0.5 − 0.3)")


@pytest.mark.points(2)
@pytest.mark.hint(SIGN_HINT)
def test_every_sign_combination(solution):
    for y_i in (1.0, -1.0):
        for y_j in (1.0, -1.0):
            new_i, new_j = check(solution, 2.0, 3.0, y_i, y_j, 5.0, 5.0, 1.5, 3.0, hint=SIGN_HINT)  # t = 0.5
            expect(y_i * new_i + y_j * new_j, y_i * 2.0 + y_j * 3.0, hint=SIGN_HINT,
                   what=f"yᵢαᵢ + yⱼαⱼ after the step (yᵢ = {y_i}, yⱼ = {y_j}), which must not change")


@pytest.mark.points(2)
@pytest.mark.hint(BOX_HINT)
def test_stops_at_the_upper_bound(solution):
    check(solution, 0.9, 0.5, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, hint=BOX_HINT)  # αᵢ could grow by 2, has room for 0.1
    check(solution, 0.5, 0.8, -1.0, -1.0, 1.0, 1.0, 2.0, 1.0, hint=BOX_HINT)  # αⱼ grows (yⱼ = −1), room 0.2
    new_i, _ = check(solution, 0.2, 0.1, 1.0, -1.0, 1.0, 1.0, 5.0, 1.0, hint=BOX_HINT)  # t = min(5, 0.8, 0.9)
    assert new_i == pytest.approx(1.0), f"αᵢ should stop exactly at Cᵢ = 1; got {new_i}. {BOX_HINT}"


@pytest.mark.points(2)
@pytest.mark.hint(BOX_HINT)
def test_stops_at_zero(solution):
    check(solution, 0.5, 0.1, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, hint=BOX_HINT)  # αⱼ shrinks (yⱼ = +1), room 0.1
    _, new_j = check(solution, 0.3, 0.25, -1.0, 1.0, 1.0, 1.0, 4.0, 2.0, hint=BOX_HINT)
    assert new_j == pytest.approx(0.0, abs=1e-12), f"αⱼ should stop exactly at 0; got {new_j}. {BOX_HINT}"


@pytest.mark.points(2)
@pytest.mark.hint(ONE_STEP_HINT)
def test_clips_the_step_not_each_alpha(solution):
    new_i, new_j = check(solution, 0.9, 0.5, 1.0, 1.0, 1.0, 1.0, 0.4, 1.0, hint=ONE_STEP_HINT)  # t = min(0.4, 0.1)
    expect(new_i + new_j, 1.4, hint=ONE_STEP_HINT, what="αᵢ + αⱼ (yᵢ = yⱼ = +1), which the step must keep")


@pytest.mark.points(1)
@pytest.mark.hint(OWN_BOX_HINT)
def test_each_alpha_has_its_own_box(solution):
    check(solution, 0.5, 3.5, -1.0, -1.0, 1.0, 4.0, 10.0, 1.0, hint=OWN_BOX_HINT)  # αⱼ may grow to Cⱼ = 4: t = 0.5
    check(solution, 1.5, 0.2, 1.0, -1.0, 2.0, 0.5, 10.0, 1.0, hint=OWN_BOX_HINT)  # room 0.5 and 0.3


@pytest.mark.points(1)
@pytest.mark.hint(CURVATURE_HINT)
def test_no_curvature(solution):
    for a in (0.0, -0.5):
        new_i, new_j = check(solution, 0.2, 0.6, 1.0, 1.0, 1.0, 1.0, 0.1, a, hint=CURVATURE_HINT)
        expect((new_i, new_j), (0.8, 0.0), hint=CURVATURE_HINT, what=f"the pair with a = {a}: as far as the box allows")


@st.composite
def pairs(draw, same_box=False):
    C_i = draw(st.sampled_from([0.5, 1.0, 3.0]))
    C_j = C_i if same_box else draw(st.sampled_from([0.5, 1.0, 3.0]))
    alpha_i = draw(st.integers(0, 8)) / 8 * C_i
    alpha_j = draw(st.integers(0, 8)) / 8 * C_j
    y_i, y_j = draw(st.sampled_from([1.0, -1.0])), draw(st.sampled_from([1.0, -1.0]))
    b = draw(st.sampled_from([0.01, 0.3, 1.0, 5.0]))
    a = draw(st.sampled_from([0.1, 1.0, 2.0, 4.0]))
    return alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a


@pytest.mark.points(2)
@pytest.mark.hint(BOX_HINT)
@given(pairs())
def test_random_pairs(solution, case):
    alpha_i, alpha_j, y_i, y_j, C_i, C_j, b, a = case
    new_i, new_j = check(solution, *case, hint=BOX_HINT)
    assert -1e-12 <= new_i <= C_i + 1e-12 and -1e-12 <= new_j <= C_j + 1e-12, (
        f"both α must stay in their boxes [0, C]: got ({new_i}, {new_j}) with C = ({C_i}, {C_j}). {BOX_HINT}")
    expect(y_i * new_i + y_j * new_j, y_i * alpha_i + y_j * alpha_j, rtol=0, atol=1e-12, hint=ONE_STEP_HINT,
           what="yᵢαᵢ + yⱼαⱼ, which the step must keep")
    t = (new_i - alpha_i) * y_i
    assert -b * t + 0.5 * a * t * t <= 1e-12, f"the step t = {t} increased the dual objective. {STEP_HINT}"


@pytest.mark.points(1)
@pytest.mark.hint(SIGN_HINT)
@given(pairs(same_box=True))
def test_as_platt_wrote_it(solution, case):
    alpha_i, alpha_j, y_i, y_j, C, _, b, a = case
    new_i, new_j = solution(*case)
    # Platt (1998): αᵢ_new = clip(αᵢ + yᵢ(Eⱼ − Eᵢ)/η, L, H) with b = Eⱼ − Eᵢ, η = a; then αⱼ += s(αᵢ − αᵢ_new).
    if y_i != y_j:
        low, high = max(0.0, alpha_i - alpha_j), min(C, C + alpha_i - alpha_j)
    else:
        low, high = max(0.0, alpha_i + alpha_j - C), min(C, alpha_i + alpha_j)
    platt_i = min(max(alpha_i + y_i * b / a, low), high)
    platt_j = alpha_j + y_i * y_j * (alpha_i - platt_i)
    expect((new_i, new_j), (platt_i, platt_j), rtol=1e-9, atol=1e-12, hint=SIGN_HINT + "; " + BOX_HINT,
           what=f"(αᵢ, αⱼ) by Platt's L = {low}, H = {high}")


@pytest.mark.points(2)
@pytest.mark.hint("minml's SVC takes every SMO step with your function: " + BOX_HINT)
def test_svc_uses_it(solution, monkeypatch):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-1.0, 1.0, (30, 2)), rng.normal(1.0, 1.0, (30, 2))])  # overlapping: some α reach C
    y = np.repeat([0, 1], 30)
    X_test = rng.normal(0.0, 1.5, (40, 2))
    X_device, y_device = backend.to_device(X), backend.to_device(y)
    expected = SVC(C=1.0, gamma=0.5).fit(X_device, y_device)
    monkeypatch.setattr(sys.modules["minml.svm.smo"], "smo_pair_update", solution)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a wrong step may not converge: the values below tell
        yours = SVC(C=1.0, gamma=0.5, max_iter=20_000).fit(X_device, y_device)
    alpha = abs(backend.asnumpy(yours.dual_coef_))
    assert np.all(alpha <= 1.0 + 1e-9), f"some αᵢ = {alpha.max()} left the box [0, C = 1]. {BOX_HINT}"
    expect(yours.support_, expected.support_, what="SVC's support_ (which samples are support vectors)")
    expect(yours.dual_coef_, expected.dual_coef_, rtol=1e-3, atol=1e-3, what="SVC's dual_coef_ (yᵢαᵢ)")
    expect(yours.decision_function(backend.to_device(X_test)), expected.decision_function(backend.to_device(X_test)),
           rtol=1e-3, atol=1e-3, what="SVC's decision_function on new points")
