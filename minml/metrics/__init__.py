"""Measuring models and data: for now, distances between points (:mod:`minml.metrics.pairwise`)."""

from minml.metrics.pairwise import pairwise_sq_distances

__all__ = ["pairwise_sq_distances"]
