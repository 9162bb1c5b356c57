"""Run a minml metric and its scikit-learn namesake on the same inputs; compare results and warnings.

minml gets its arrays on the test's device, scikit-learn the host originals. They must agree on

* the value: Python floats for scalars, arrays (on the device of minml's y_pred) for the rest,
  NaN where scikit-learn gives NaN;
* the UndefinedMetricWarnings, message for message;
* failure: where scikit-learn raises ValueError, so must minml.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from minml import backend
from minml.testing import to_host


def on(device, *arrays):
    """Host arrays (or lists) moved to ``device``; None stays None."""
    return [None if a is None else backend.to_device(np.asarray(a), device) for a in arrays]


def _run(function, args, kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = function(*args, **kwargs)
        except ValueError as error:
            result = error
    undefined = sorted(str(w.message) for w in caught if w.category.__name__ == "UndefinedMetricWarning")
    return result, undefined


def assert_same(ours, theirs, device, rtol=1e-9, atol=1e-12, path="result"):
    """``ours`` (minml) equals ``theirs`` (scikit-learn), recursively; arrays must live on ``device``."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs), f"{path}: {ours!r} vs {theirs!r}"
        for index, (mine, reference) in enumerate(zip(ours, theirs)):
            assert_same(mine, reference, device, rtol, atol, f"{path}[{index}]")
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs), f"{path}: keys {list(ours)} vs {list(theirs)}"
        for key in theirs:
            assert_same(ours[key], theirs[key], device, rtol, atol, f"{path}[{key!r}]")
    elif theirs is None or isinstance(theirs, str):
        assert ours == theirs, f"{path}: {ours!r} vs {theirs!r}"
    elif isinstance(theirs, np.ndarray) and theirs.ndim > 0:
        assert backend.device_of(ours) == backend.device(device), f"{path}: on {backend.device_of(ours)}"
        mine = to_host(ours)
        assert mine.shape == theirs.shape, f"{path}: shape {mine.shape} vs {theirs.shape}"
        np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol, equal_nan=True, err_msg=path)
    else:
        assert type(ours) is float, f"{path}: expected a Python float, got {type(ours).__name__}"
        if math.isnan(theirs):
            assert math.isnan(ours), f"{path}: {ours} vs nan"
        else:
            assert ours == pytest.approx(float(theirs), rel=rtol, abs=atol), f"{path}: {ours} vs {theirs}"


def check_against_sklearn(ours, theirs, device, *arrays, rtol=1e-9, atol=1e-12, **kwargs):
    """``ours(*arrays on device, **kwargs)`` against ``theirs(*arrays, **kwargs)``.

    ``sample_weight`` in kwargs travels to the device too. Returns minml's result.
    """
    device_kwargs = dict(kwargs)
    if kwargs.get("sample_weight") is not None:
        device_kwargs["sample_weight"] = on(device, kwargs["sample_weight"])[0]
    reference, reference_warnings = _run(theirs, arrays, kwargs)
    result, result_warnings = _run(ours, on(device, *arrays), device_kwargs)
    if isinstance(reference, ValueError):
        assert isinstance(result, ValueError), f"scikit-learn raised {reference!r}; minml returned {result!r}"
        return result
    if isinstance(result, ValueError):
        raise result
    assert_same(result, reference, device, rtol, atol)
    assert result_warnings == reference_warnings
    return result
