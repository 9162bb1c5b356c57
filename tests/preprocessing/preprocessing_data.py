"""Random tables for the preprocessing tests: numbers with NaN and constant columns, categories with unknowns.

Each strategy draws a few choices (sizes, a seed, how many NaN, which columns are constant) and
builds the table with NumPy's Generator from the seed, so failures shrink to small, readable cases.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

__all__ = ["CITIES", "category_tables", "numeric_tables"]

CITIES = np.array(["paris", "rome", "oslo", "lima", "kyiv"], dtype=object)


@st.composite
def numeric_tables(draw, *, min_rows=2, max_rows=15, max_columns=4, nan=True, constant=True, empty_column=False):
    """A float64 table whose columns have different scales and offsets; some NaN, maybe constant columns.

    Every column keeps at least one observed value unless ``empty_column`` adds an all-NaN one.
    """
    n_rows, n_columns = draw(st.integers(min_rows, max_rows)), draw(st.integers(1, max_columns))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scales = 10.0 ** rng.integers(-2, 3, size=n_columns)
    X = rng.standard_normal((n_rows, n_columns)) * scales + rng.integers(-50, 50, size=n_columns)
    if draw(st.booleans()):  # few distinct values: ties, repeated quantiles, a mode to find
        X = np.round(X / scales) * scales
    if constant and draw(st.booleans()):
        X[:, rng.integers(n_columns)] = draw(st.sampled_from([0.0, 0.1, -3.0, 1e5]))
    if nan and draw(st.booleans()):
        holes = rng.random(X.shape) < draw(st.sampled_from([0.1, 0.3, 0.6]))
        holes[rng.integers(n_rows, size=n_columns), np.arange(n_columns)] = False  # one observed value per column
        X[holes] = np.nan
    if empty_column:
        X = np.concatenate([X, np.full((n_rows, 1), np.nan)], axis=1)
    return X


@st.composite
def category_tables(draw, *, min_rows=1, max_rows=12, max_columns=3, missing=False):
    """(train, test): object tables of city names; the test table may hold cities never seen in training.

    With ``missing``, some entries are None.
    """
    n_rows, n_columns = draw(st.integers(min_rows, max_rows)), draw(st.integers(1, max_columns))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_known = draw(st.integers(1, 3))
    train = CITIES[rng.integers(n_known, size=(n_rows, n_columns))]
    test = CITIES[rng.integers(len(CITIES) if draw(st.booleans()) else n_known, size=(n_rows, n_columns))]
    if missing:
        for table in (train, test):
            table[rng.random(table.shape) < 0.2] = None
    return train, test
