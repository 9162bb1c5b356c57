"""PolynomialFeatures: columns, powers_ and names against scikit-learn, on every device."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from preprocessing_data import numeric_tables

from minml import backend
from minml.preprocessing import PolynomialFeatures
from minml.testing import assert_close


@given(X=numeric_tables(max_rows=6, nan=False), degree=st.sampled_from([0, 1, 2, 3, (2, 3), (0, 2), (3, 3)]),
       interaction_only=st.booleans(), include_bias=st.booleans())
def test_matches_sklearn(device, X, degree, interaction_only, include_bias):
    preprocessing = pytest.importorskip("sklearn.preprocessing")
    X = X / np.abs(X).max(axis=0).clip(1.0)  # keep cubes of large offsets in range
    params = {"degree": degree, "interaction_only": interaction_only, "include_bias": include_bias}
    ours, theirs = PolynomialFeatures(**params), preprocessing.PolynomialFeatures(**params)
    try:
        expected, powers = theirs.fit_transform(X), theirs.powers_
    except ValueError:  # no output columns at all (degree 0 without bias, or too few features to interact)
        with pytest.raises(ValueError, match="would result in an empty output array"):
            ours.fit(backend.to_device(X, device))
        return
    Z = ours.fit_transform(backend.to_device(X, device))
    assert backend.device_of(Z) == backend.device(device) == backend.device_of(ours.powers_)
    assert_close(Z, expected, rtol=1e-12, atol=1e-12)
    assert_close(ours.powers_, powers, rtol=0, atol=0)
    assert ours.n_output_features_ == theirs.n_output_features_
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


def test_feature_names_spell_out_the_monomials():
    poly = PolynomialFeatures(degree=3).fit(np.ones((2, 2)))
    assert poly.get_feature_names_out(["a", "b"]).tolist() == [
        "1", "a", "b", "a^2", "a b", "b^2", "a^3", "a^2 b", "a b^2", "b^3"
    ]


@pytest.mark.parametrize(
    ("degree", "message"),
    [(-1, r"'degree' parameter of PolynomialFeatures must be"), ((3, 2), r"min_degree <= max_degree, got \(3, 2\)"),
     ((1.5, 2), r"non-negative integers")],
)
def test_invalid_degrees_are_explained(degree, message):
    with pytest.raises(ValueError, match=message):
        PolynomialFeatures(degree=degree).fit(np.ones((2, 2)))
