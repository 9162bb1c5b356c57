"""Probability and statistics: distributions, descriptive statistics, correlation, histograms, the bootstrap.

- :mod:`~minml.stats.distribution` — what every distribution shares (and a
  differentiable log-gamma, so log-densities take autograd Tensors);
- :mod:`~minml.stats.continuous` — Normal, Uniform, Exponential, Gamma, Beta,
  StudentT, ChiSquare;
- :mod:`~minml.stats.discrete` — Bernoulli, Binomial, Poisson, Categorical, Multinomial;
- :mod:`~minml.stats.multivariate` — MultivariateNormal, Dirichlet;
- :mod:`~minml.stats.descriptive` — mean, variance, quantiles, mode, moments, ``describe``;
- :mod:`~minml.stats.correlation` — covariance, Pearson, Spearman and Kendall;
- :mod:`~minml.stats.histogram` — bins chosen by rule;
- :mod:`~minml.stats.conjugate` — Bayesian updating in closed form (Beta–Binomial, Gamma–Poisson,
  Normal, Normal–Inverse-Gamma, Dirichlet–Categorical);
- :mod:`~minml.stats.mcmc` — a Metropolis–Hastings sampler and the effective sample size;
- :mod:`~minml.stats.significance`, :mod:`~minml.stats.t_tests`, :mod:`~minml.stats.proportions`,
  :mod:`~minml.stats.contingency`, :mod:`~minml.stats.mann_whitney`,
  :mod:`~minml.stats.kolmogorov_smirnov`, :mod:`~minml.stats.permutation`,
  :mod:`~minml.stats.multiple_testing` — hypothesis tests and intervals;
- :mod:`~minml.stats.bootstrap` — confidence intervals by resampling, the one
  implementation minml uses (model evaluation draws its resamples here too).
"""

from minml.stats.bootstrap import (
    BootstrapResult,
    ConfidenceInterval,
    DegenerateDataWarning,
    bootstrap_ci,
    bootstrap_indices,
    percentile_interval,
)
from minml.stats.conjugate import (
    BetaBinomial,
    BetaBinomialDistribution,
    CredibleInterval,
    DirichletCategorical,
    DirichletMultinomial,
    GammaPoisson,
    InverseGamma,
    NegativeBinomial,
    NormalInverseGamma,
    NormalInverseGammaDistribution,
    NormalKnownVariance,
    beta_binomial_posterior,
)
from minml.stats.contingency import Chi2ContingencyResult, ChisquareResult, chi2_contingency, chisquare, expected_freq
from minml.stats.continuous import (
    Beta,
    ChiSquare,
    Exponential,
    Gamma,
    Normal,
    StudentT,
    Uniform,
    exponential_inverse_cdf,
    normal_logpdf,
)
from minml.stats.correlation import CorrelationResult, corrcoef, cov, kendalltau, pearsonr, rankdata, spearmanr
from minml.stats.descriptive import (
    QUANTILE_METHODS,
    DescribeResult,
    ModeResult,
    describe,
    kurtosis,
    mean,
    median,
    mode,
    moment,
    nanmean,
    nanmedian,
    nanquantile,
    nanstd,
    nanvar,
    quantile,
    skew,
    std,
    var,
)
from minml.stats.discrete import Bernoulli, Binomial, Categorical, Multinomial, Poisson, poisson_mle
from minml.stats.distribution import ContinuousDistribution, DiscreteDistribution, Distribution
from minml.stats.histogram import BIN_RULES, histogram, histogram_bin_edges
from minml.stats.kolmogorov_smirnov import KstestResult, ks_2samp
from minml.stats.mann_whitney import MannWhitneyUResult, mannwhitneyu
from minml.stats.mcmc import MCMCResult, effective_sample_size, metropolis_hastings
from minml.stats.multiple_testing import MultipleTestsResult, multipletests
from minml.stats.multivariate import Dirichlet, MultivariateNormal
from minml.stats.permutation import PermutationTestResult, permutation_test
from minml.stats.proportions import ZTestResult, proportions_ztest, wilson_interval
from minml.stats.t_tests import TtestResult, ttest_1samp, ttest_ind, ttest_rel, welch_t_statistic

__all__ = [
    "Chi2ContingencyResult", "ChisquareResult", "KstestResult", "MannWhitneyUResult", "MultipleTestsResult",
    "PermutationTestResult", "TtestResult", "ZTestResult", "chi2_contingency", "chisquare", "expected_freq",
    "ks_2samp", "mannwhitneyu", "multipletests", "permutation_test", "proportions_ztest", "ttest_1samp",
    "ttest_ind", "ttest_rel", "welch_t_statistic", "wilson_interval",
    "BetaBinomial", "BetaBinomialDistribution", "CredibleInterval", "DirichletCategorical", "DirichletMultinomial",
    "GammaPoisson", "InverseGamma", "MCMCResult", "NegativeBinomial", "NormalInverseGamma",
    "NormalInverseGammaDistribution", "NormalKnownVariance", "beta_binomial_posterior", "effective_sample_size",
    "metropolis_hastings", "exponential_inverse_cdf", "normal_logpdf", "poisson_mle",
    "BIN_RULES", "Bernoulli", "Beta", "Binomial", "BootstrapResult", "Categorical", "ChiSquare", "ConfidenceInterval",
    "ContinuousDistribution", "CorrelationResult", "DegenerateDataWarning", "DescribeResult", "DiscreteDistribution",
    "Dirichlet", "Distribution", "Exponential", "Gamma", "ModeResult", "Multinomial", "MultivariateNormal", "Normal",
    "Poisson", "QUANTILE_METHODS", "StudentT", "Uniform", "bootstrap_ci", "bootstrap_indices", "corrcoef", "cov",
    "describe", "histogram", "histogram_bin_edges", "kendalltau", "kurtosis", "mean", "median", "mode", "moment",
    "nanmean", "nanmedian", "nanquantile", "nanstd", "nanvar", "pearsonr", "percentile_interval", "quantile",
    "rankdata", "skew", "spearmanr", "std", "var",
]
