"""Measuring models and data: classification, ranking, probabilistic and regression metrics, calibration,
scorers, distances."""

from minml.exceptions import UndefinedMetricWarning
from minml.metrics.calibration import calibration_curve
from minml.metrics.classification import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from minml.metrics.pairwise import pairwise_sq_distances
from minml.metrics.probabilistic import brier_score_loss, log_loss
from minml.metrics.ranking import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_auc_with_ties,
    roc_curve,
)
from minml.metrics.regression import (
    explained_variance_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from minml.metrics.scorer import check_scoring, get_scorer, get_scorer_names, make_scorer

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "auc",
    "calibration_curve",
    "average_precision_score",
    "balanced_accuracy_score",
    "brier_score_loss",
    "check_scoring",
    "classification_report",
    "confusion_matrix",
    "explained_variance_score",
    "f1_score",
    "fbeta_score",
    "get_scorer",
    "get_scorer_names",
    "log_loss",
    "make_scorer",
    "mean_absolute_error",
    "mean_squared_error",
    "pairwise_sq_distances",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_auc_with_ties",
    "roc_curve",
    "root_mean_squared_error",
]
