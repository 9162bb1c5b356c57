"""Pictures of models and data (Matplotlib; every function returns its Axes and works headless).

- :mod:`~minml.plot.page` — a figure as an inline SVG for the course pages (:func:`svg`);
- :mod:`~minml.plot.evaluation` — ROC and precision–recall curves, the confusion
  matrix, the calibration curve;
- :mod:`~minml.plot.curves` — learning and validation curves;
- :mod:`~minml.plot.decision_boundary` — a classifier's regions over two features;
- :mod:`~minml.plot.bootstrap` — a bootstrap distribution with its interval.

Every function takes ``ax=None`` (a new figure is made) and draws host copies of
the arrays it is given, wherever they live.
"""

from minml.plot.bootstrap import plot_bootstrap_distribution
from minml.plot.curves import plot_learning_curve, plot_validation_curve
from minml.plot.decision_boundary import plot_decision_boundary
from minml.plot.evaluation import (
    plot_calibration_curve,
    plot_confusion_matrix,
    plot_precision_recall_curve,
    plot_roc_curve,
)
from minml.plot.page import svg

__all__ = [
    "plot_bootstrap_distribution",
    "plot_calibration_curve",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_learning_curve",
    "plot_precision_recall_curve",
    "plot_roc_curve",
    "plot_validation_curve",
    "svg",
]
