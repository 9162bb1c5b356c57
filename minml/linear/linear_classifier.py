"""What every linear classifier shares: a score per class, and the class with the best score.

A linear classifier (logistic regression, a linear SVM, a classifier trained by SGD)
learns one weight vector and one intercept per class and scores a sample x by::

    score_k(x) = x · coef_[k] + intercept_[k]          decision_function(X) = X @ coef_ᵀ + intercept_

With two classes one score is enough: a single weight vector (``coef_`` of shape
(1, n_features)) whose score is positive for ``classes_[1]`` and negative for
``classes_[0]``, so ``decision_function`` returns one number per sample. With
K > 2 classes there are K scores per sample and the prediction is the class of
the largest. The models differ only in how they choose ``coef_`` and
``intercept_`` (the loss they minimise); predicting is the same for all of them.

:func:`class_sample_weight` turns ``class_weight`` ("balanced" or a dict) into
one weight per sample, as every classifier here does: a class weight of 2 means
each sample of that class counts as two.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.base import ClassifierMixin
from minml.validation import check_array, check_is_fitted, check_n_features, labels_from_codes

__all__ = ["LinearClassifierMixin", "class_sample_weight"]


class LinearClassifierMixin(ClassifierMixin):
    """``decision_function`` = X @ coef_ᵀ + intercept_, and ``predict`` = the class of the best score.

    Subclasses set ``classes_``, ``coef_`` (n_classes or 1, n_features) and
    ``intercept_`` in ``fit``. Use it left of BaseEstimator:
    ``class LogisticRegression(LinearClassifierMixin, BaseEstimator)``.
    """

    def decision_function(self, X):
        """Scores X @ coef_ᵀ + intercept_: (n_samples,) for two classes (> 0 means classes_[1]), else (n, K)."""
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X):
        """The class of each sample: classes_[1] where the binary score is > 0, else the class of the best score."""
        scores = self.decision_function(X)
        xp = backend.namespace(scores)
        codes = (scores > 0).astype(xp.int64) if scores.ndim == 1 else xp.argmax(scores, axis=1)
        return labels_from_codes(self.classes_, codes)


def class_sample_weight(class_weight, classes, codes, sample_weight):
    """Per-sample weights sample_weight · class_weight[class of the sample], on sample_weight's device.

    ``class_weight`` is None (all ones), ``"balanced"`` — each class weighted by
    Σ s / (n_classes · Σ_{i in class} s), so that every class carries the same
    total weight (scikit-learn's rule, sample weights included) — or a dict
    ``{label: weight}`` (labels missing from the dict get weight 1).
    """
    if class_weight is None:
        return sample_weight
    n_classes = classes.shape[0]
    if isinstance(class_weight, str):  # "balanced": the validated parameter allows no other string
        totals = backend.bincount(codes, weights=sample_weight, minlength=n_classes)
        per_class = totals.sum() / (n_classes * totals)
    else:
        labels = backend.asnumpy(classes).tolist()
        unknown = [key for key in class_weight if key not in labels]
        if unknown:
            raise ValueError(
                f"class_weight has keys {unknown} that are not classes of y; the classes are {labels}. "
                "Use the class labels as keys."
            )
        host = [float(class_weight.get(label, 1.0)) for label in labels]
        per_class = backend.to_device(np.asarray(host, dtype=sample_weight.dtype), backend.device_of(sample_weight))
    return sample_weight * per_class[codes]
