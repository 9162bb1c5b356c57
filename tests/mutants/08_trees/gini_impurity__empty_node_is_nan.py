"""Divides by the row total without a guard, so an empty node (all weights 0) gets NaN instead of 0."""


def gini_impurity(class_weights):
    proportions = class_weights / class_weights.sum(axis=-1)[..., None]
    return 1.0 - (proportions**2).sum(axis=-1)
