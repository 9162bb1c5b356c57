"""Model selection: splitting data, cross-validation, hyperparameter search, learning curves.

- :mod:`~minml.model_selection.split` — train_test_split and the splitters (KFold, StratifiedKFold ...);
- :mod:`~minml.model_selection.cross_validation` — cross_val_score, cross_validate, cross_val_predict;
- :mod:`~minml.model_selection.search` — GridSearchCV, RandomizedSearchCV and their results table;
- :mod:`~minml.model_selection.curves` — learning_curve, validation_curve;
- :mod:`~minml.model_selection.permutation` — permutation_test_score;
- :mod:`~minml.model_selection.bootstrap_error` — out-of-bag, .632 and .632+ bootstrap error estimates.
"""

from minml.exceptions import FitFailedWarning
from minml.model_selection.bootstrap_error import bootstrap_error
from minml.model_selection.cross_validation import cross_val_predict, cross_val_score, cross_validate
from minml.model_selection.curves import learning_curve, validation_curve
from minml.model_selection.permutation import permutation_test_score
from minml.model_selection.search import (
    GridSearchCV,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    format_results,
)
from minml.model_selection.split import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    TimeSeriesSplit,
    check_cv,
    stratified_kfold_test_folds,
    train_test_split,
)

__all__ = [
    "FitFailedWarning",
    "GridSearchCV",
    "GroupKFold",
    "KFold",
    "LeaveOneOut",
    "ParameterGrid",
    "ParameterSampler",
    "RandomizedSearchCV",
    "ShuffleSplit",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "TimeSeriesSplit",
    "bootstrap_error",
    "check_cv",
    "cross_val_predict",
    "cross_val_score",
    "cross_validate",
    "format_results",
    "learning_curve",
    "permutation_test_score",
    "stratified_kfold_test_folds",
    "train_test_split",
    "validation_curve",
]
