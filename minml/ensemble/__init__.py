"""Ensembles of trees: random forests, extremely randomised trees and second-order gradient boosting."""

from minml.ensemble.forest import ExtraTreesClassifier, RandomForestClassifier, RandomForestRegressor
from minml.ensemble.gradient_boosting import GradientBoostingClassifier, GradientBoostingRegressor

__all__ = [
    "ExtraTreesClassifier", "GradientBoostingClassifier", "GradientBoostingRegressor", "RandomForestClassifier",
    "RandomForestRegressor",
]
