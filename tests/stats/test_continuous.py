"""Continuous distributions against scipy.stats, samplers by KS tests, fits, autograd and errors, on every device."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minml
from minml import backend
from minml.backend import DeviceMismatchError
from minml.stats.continuous import Beta, ChiSquare, Exponential, Gamma, Normal, StudentT, Uniform
from minml.testing import assert_close, to_host

stats = pytest.importorskip("scipy.stats", reason="SciPy not installed")


def positive(low, high):
    return st.floats(low, high, allow_nan=False)


# name: (minml family, its parameters as a function of the drawn ones, scipy's frozen distribution, strategies)
FAMILIES = {
    "Normal": (Normal, lambda p: stats.norm(p["loc"], p["scale"]),
               {"loc": st.floats(-5, 5), "scale": positive(0.1, 10)}),
    "Uniform": (Uniform, lambda p: stats.uniform(p["low"], p["high"] - p["low"]),
                {"low": st.floats(-5, 5), "high": st.floats(5.5, 10)}),
    "Exponential": (Exponential, lambda p: stats.expon(scale=1 / p["rate"]), {"rate": positive(0.1, 10)}),
    "Gamma": (Gamma, lambda p: stats.gamma(p["shape"], scale=p["scale"]),
              {"shape": positive(0.2, 20), "scale": positive(0.1, 10)}),
    "Beta": (Beta, lambda p: stats.beta(p["a"], p["b"]), {"a": positive(0.3, 10), "b": positive(0.3, 10)}),
    "StudentT": (StudentT, lambda p: stats.t(p["df"], p["loc"], p["scale"]),
                 {"df": positive(0.5, 30), "loc": st.floats(-5, 5), "scale": positive(0.1, 10)}),
    "ChiSquare": (ChiSquare, lambda p: stats.chi2(p["df"]), {"df": positive(0.5, 30)}),
}
# parameters for the sampler and fit tests
TYPICAL = {
    "Normal": {"loc": 1.5, "scale": 2.0},
    "Uniform": {"low": -1.0, "high": 3.0},
    "Exponential": {"rate": 0.5},
    "Gamma": {"shape": 2.5, "scale": 1.5},
    "Beta": {"a": 2.0, "b": 5.0},
    "StudentT": {"df": 5.0, "loc": -1.0, "scale": 0.5},
    "ChiSquare": {"df": 4.0},
}


def on(device, value):
    return backend.to_device(np.asarray(value, dtype=np.float64), device)


def build(name, params, device):
    family = FAMILIES[name][0]
    return family(**{key: on(device, value) for key, value in params.items()})


@pytest.mark.parametrize("name", FAMILIES)
@settings(max_examples=10)
@given(data=st.data())
def test_densities_cdfs_quantiles_and_moments_match_scipy(device, name, data):
    _, frozen, strategies = FAMILIES[name]
    params = data.draw(st.fixed_dictionaries(strategies))
    q = np.array(data.draw(st.lists(st.floats(0.001, 0.999), min_size=1, max_size=5)))
    reference = frozen(params)
    x = reference.ppf(q)
    dist = build(name, params, device)
    xd, qd = on(device, x), on(device, q)
    assert_close(dist.logpdf(xd), reference.logpdf(x), rtol=1e-8, atol=1e-10, what="logpdf")
    assert_close(dist.pdf(xd), reference.pdf(x), rtol=1e-8, atol=1e-12, what="pdf")
    assert_close(dist.cdf(xd), reference.cdf(x), rtol=1e-8, atol=1e-12, what="cdf")
    assert_close(dist.sf(xd), reference.sf(x), rtol=1e-8, atol=1e-12, what="sf")
    assert_close(dist.ppf(qd), x, rtol=1e-7, atol=1e-10, what="ppf")
    for moment in ("mean", "var", "std", "entropy"):
        expected = np.asarray(getattr(reference, moment)())
        if name == "StudentT" and moment == "mean" and params["df"] <= 1:
            expected = np.asarray(np.nan)  # undefined; SciPy says inf
        assert_close(getattr(dist, moment)(), expected, rtol=1e-8, atol=1e-12, what=moment)


@pytest.mark.parametrize("name", ["Normal", "Gamma", "StudentT"])
def test_parameters_broadcast_like_arrays(device, name):
    """(3, 1) parameters against (4,) ones: a (3, 4) batch of distributions, evaluated elementwise."""
    first, second = list(TYPICAL[name])[:2]
    params = {**TYPICAL[name], first: np.array([[1.5], [2.5], [3.5]]), second: np.array([0.5, 1.0, 2.0, 4.0])}
    reference = FAMILIES[name][1](params)
    dist = build(name, params, device)
    assert dist.batch_shape == (3, 4)
    x = np.linspace(0.2, 3.0, 4)
    assert_close(dist.logpdf(on(device, x)), reference.logpdf(x), rtol=1e-8, what="logpdf")
    assert_close(dist.cdf(on(device, x)), reference.cdf(x), rtol=1e-8, what="cdf")
    assert_close(dist.mean(), reference.mean(), rtol=1e-8)
    assert to_host(dist.sample(5, random_state=0)).shape == (5, 3, 4)


def test_outside_the_support_the_density_is_zero(device):
    below = on(device, [-0.5])
    for dist in (Exponential(2.0), Gamma(2.0, 1.0), Beta(2.0, 2.0), ChiSquare(3.0), Uniform(0.0, 1.0)):
        assert to_host(dist.logpdf(below))[0] == -np.inf
        assert to_host(dist.pdf(below))[0] == 0
        assert to_host(dist.cdf(below))[0] == 0
    assert to_host(Beta(2.0, 2.0).cdf(on(device, [1.5])))[0] == 1
    assert to_host(Uniform(0.0, 1.0).logpdf(on(device, [1.5])))[0] == -np.inf


@pytest.mark.parametrize("name", ["Normal", "Exponential", "Gamma", "Beta", "StudentT", "ChiSquare"])
def test_survival_functions_keep_far_tails(device, name):
    """P(X > x) for x far in the upper tail: 1 − cdf would give 0, sf gives the tiny p-value."""
    reference = FAMILIES[name][1](TYPICAL[name])
    x = reference.isf(np.array([1e-20, 1e-60]))
    assert_close(build(name, TYPICAL[name], device).sf(on(device, x)), np.array([1e-20, 1e-60]), rtol=1e-6)


def test_moments_that_do_not_exist_are_nan_or_inf():
    assert np.isnan(StudentT(1.0).mean())
    assert np.isinf(StudentT(1.5).var())
    assert np.isnan(StudentT(0.8).var())


# --------------------------------------------------------------------------- sampling


@pytest.mark.parametrize("name", FAMILIES)
def test_samples_pass_a_ks_test_and_match_the_moments(device, name):
    dist = build(name, TYPICAL[name], device)
    draws = dist.sample(4000, random_state=7)
    assert backend.device_of(draws) == backend.device(device)
    host = to_host(draws)
    assert host.shape == (4000,)
    cdf = lambda v: to_host(dist.cdf(on(device, v)))  # noqa: E731
    assert stats.kstest(host, cdf).pvalue > 1e-3
    mean, var = backend.to_scalar(dist.mean()), backend.to_scalar(dist.var())
    assert abs(host.mean() - mean) < 5 * np.sqrt(var / host.size)


@pytest.mark.parametrize("name", FAMILIES)
def test_one_seed_gives_the_same_draws_on_every_device(device, name):
    cpu = build(name, TYPICAL[name], "cpu").sample((3, 2), random_state=11)
    here = build(name, TYPICAL[name], device).sample((3, 2), random_state=11)
    assert_close(here, cpu, rtol=1e-12)


def test_inverse_cdf_sampling_is_sampling(device):
    """ppf(U) with U uniform is a draw: the KS test cannot tell it from the family's own sampler."""
    dist = Gamma(on(device, 3.0), on(device, 2.0))
    u = backend.rng(3, device).random(3000)
    assert stats.kstest(to_host(dist.ppf(u)), stats.gamma(3.0, scale=2.0).cdf).pvalue > 1e-3


# --------------------------------------------------------------------------- fitting


def _fit_sample(name, seed=0, n=400):
    return build(name, TYPICAL[name], "cpu").sample(n, random_state=seed)


@pytest.mark.parametrize("name,expected", [
    ("Normal", lambda x: {"loc": x.mean(), "scale": x.std()}),
    ("Exponential", lambda x: {"rate": 1 / x.mean()}),
    ("Uniform", lambda x: {"low": x.min(), "high": x.max()}),
])
def test_closed_form_fits(device, name, expected):
    x = _fit_sample(name)
    fitted = FAMILIES[name][0].fit(on(device, x))
    for key, value in expected(x).items():
        assert_close(getattr(fitted, key), np.asarray(value), rtol=1e-12, what=key)


@pytest.mark.parametrize("name,scipy_fit,keys", [
    ("Gamma", lambda x: stats.gamma.fit(x, floc=0), {"shape": 0, "scale": 2}),
    ("Beta", lambda x: stats.beta.fit(x, floc=0, fscale=1), {"a": 0, "b": 1}),
])
def test_newton_fits_match_scipy(device, name, scipy_fit, keys):
    x = _fit_sample(name, seed=1)
    fitted = FAMILIES[name][0].fit(on(device, x))
    reference = scipy_fit(x)
    for key, position in keys.items():
        assert_close(getattr(fitted, key), np.asarray(reference[position]), rtol=1e-6, what=key)


def test_fits_run_column_by_column(device):
    """Data (n, k): k independent fits at once, each equal to fitting its column alone."""
    x = np.stack([_fit_sample("Gamma", seed=s, n=200) for s in range(3)], axis=1)
    batch = Gamma.fit(on(device, x))
    for j in range(3):
        alone = Gamma.fit(x[:, j])
        assert_close(to_host(batch.shape)[j], np.asarray(alone.shape), rtol=1e-10)


def test_chi_square_fit_solves_the_likelihood_equation(device):
    x = _fit_sample("ChiSquare", seed=2)
    df = backend.to_scalar(ChiSquare.fit(on(device, x)).df)
    from scipy.special import digamma

    assert digamma(df / 2) == pytest.approx(np.log(x).mean() - np.log(2), rel=1e-10)
    assert stats.chi2(df).logpdf(x).sum() >= stats.chi2(stats.chi2.fit(x, floc=0, fscale=1)[0]).logpdf(x).sum()


def test_student_t_fit_is_at_least_as_likely_as_scipys(device):
    x = _fit_sample("StudentT", seed=3, n=300)
    fitted = StudentT.fit(on(device, x))
    ours = stats.t(*(backend.to_scalar(getattr(fitted, k)) for k in ("df", "loc", "scale"))).logpdf(x).sum()
    theirs = stats.t(*stats.t.fit(x)).logpdf(x).sum()
    assert ours >= theirs - 1e-6 * abs(theirs)


def test_fit_rejects_bad_data():
    with pytest.raises(ValueError, match="finite data"):
        Normal.fit(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        Beta.fit(np.array([0.2, 1.0]))
    with pytest.raises(ValueError, match="at least 2 observation"):
        Gamma.fit(np.array([1.0]))


# --------------------------------------------------------------------------- autograd


def test_log_densities_differentiate_in_parameters_and_data(device):
    x = on(device, [0.3, 1.2, 2.5])
    assert minml.gradcheck(lambda m, s: Normal(m, s).logpdf(x), on(device, [0.5]), on(device, [1.3]))
    assert minml.gradcheck(lambda m, s, v: Normal(m, s).logpdf(v), on(device, 0.5), on(device, 1.3), x)
    assert minml.gradcheck(lambda r: Exponential(r).logpdf(x), on(device, [0.7, 1.0, 2.0]))
    assert minml.gradcheck(lambda r, v: Exponential(r).logpdf(v), on(device, 0.7), x)
    # families whose log-density needs log Γ of a parameter, through the LogGamma op
    assert minml.gradcheck(lambda k, s: Gamma(k, s).logpdf(x), on(device, 1.7), on(device, 0.8))
    inside = on(device, [0.2, 0.5, 0.9])
    assert minml.gradcheck(lambda a, b: Beta(a, b).logpdf(inside), on(device, 1.7), on(device, 2.8))
    assert minml.gradcheck(lambda d, m, s: StudentT(d, m, s).logpdf(x), *(on(device, v) for v in (3.5, 0.2, 1.4)))
    assert minml.gradcheck(lambda d: ChiSquare(d).logpdf(x), on(device, 3.5))


def test_gradient_ascent_reaches_the_closed_form_fit(device):
    """The lesson's experiment: maximise Σ log f(xᵢ) by gradient ascent; land on the MLE."""
    x = on(device, _fit_sample("Normal", n=200))
    loc = minml.tensor(on(device, 0.0), requires_grad=True)
    log_scale = minml.tensor(on(device, 0.0), requires_grad=True)
    for _ in range(200):
        loss = -Normal(loc, log_scale.exp()).logpdf(x).mean()
        loc.grad = log_scale.grad = None
        loss.backward()
        with minml.no_grad():
            loc.data -= 0.5 * loc.grad
            log_scale.data -= 0.5 * log_scale.grad
    closed = Normal.fit(x)
    assert_close(loc, closed.loc, rtol=1e-6)
    assert_close(log_scale.exp(), closed.scale, rtol=1e-6)


# --------------------------------------------------------------------------- errors and devices


@pytest.mark.parametrize("make,message", [
    (lambda: Normal(0.0, -1.0), "scale must be > 0; got -1"),
    (lambda: Normal(0.0, np.array([1.0, 0.0])), "scale must be > 0; got 0"),
    (lambda: Uniform(2.0, 1.0), "high must be > low; got 1"),
    (lambda: Exponential(0.0), "rate must be > 0; got 0"),
    (lambda: Gamma(-2.0), "shape must be > 0; got -2"),
    (lambda: Beta(1.0, np.nan), "b must be > 0; got nan"),
    (lambda: StudentT(0.0), "df must be > 0; got 0"),
    (lambda: ChiSquare(-1.0), "df must be > 0; got -1"),
])
def test_invalid_parameters_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        make()


def test_python_number_parameters_follow_the_data(device):
    dist = Normal(1.0, 2.0)
    out = dist.logpdf(on(device, [0.0, 1.0]))
    assert backend.device_of(out) == backend.device(device)
    assert_close(out, stats.norm(1, 2).logpdf([0.0, 1.0]), rtol=1e-12)
    assert dist.device == backend.default_device()


def test_parameters_and_data_on_different_devices_are_refused():
    dist = Normal(on("fake", 0.0), 1.0)
    assert dist.device == backend.device("fake")
    with pytest.raises(DeviceMismatchError):
        dist.logpdf(np.array([0.0]))


def test_repr_names_the_parameters():
    assert repr(Normal(0.5, 2.0)) == "Normal(loc=0.5, scale=2.0)"
    assert repr(Gamma(np.ones(3))) == "Gamma(shape=array(shape=(3,)), scale=1.0)"
