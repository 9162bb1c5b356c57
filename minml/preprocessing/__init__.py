"""Preparing features: encoding categories (:mod:`~minml.preprocessing.encoding`) and scaling
(:mod:`~minml.preprocessing.scaling`)."""

from minml.preprocessing.encoding import one_hot
from minml.preprocessing.scaling import standardize

__all__ = ["one_hot", "standardize"]
