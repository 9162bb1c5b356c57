"""SVC: the kernel support vector classifier, trained by SMO as libsvm trains it.

Two classes. Labels become yᵢ = ±1 and the soft-margin SVM is solved in its dual::

    minimise   ½ Σᵢ Σⱼ αᵢ αⱼ yᵢ yⱼ K(xᵢ, xⱼ) - Σᵢ αᵢ
    subject to Σᵢ yᵢ αᵢ = 0   and   0 ≤ αᵢ ≤ Cᵢ       (Cᵢ = C · class_weight[yᵢ] · sample_weightᵢ)

by :func:`minml.svm.smo.smo_solve`. Samples with αᵢ > 0 are the support vectors:
those on or inside the margin. The decision function is
f(x) = Σᵢ αᵢ yᵢ K(xᵢ, x) + b, a sum over support vectors only.

More classes: one-vs-one, as libsvm does. A binary SVM is trained for each pair
of classes i < j on the samples of those two classes, and a sample is predicted by
a vote: each pair votes for one of its classes, the most voted class wins (ties
go to the lower class). ``decision_function`` gives the K(K-1)/2 pairwise values
(``decision_function_shape="ovo"``) or, by default, one score per class ("ovr"):
the votes plus the summed pairwise confidences squeezed into (-1/3, 1/3), so
that the argmax agrees with the vote except on ties — scikit-learn's rule.

The fitted attributes are libsvm's layout, exactly as scikit-learn exposes them:
``support_`` (indices, grouped by class), ``support_vectors_``, ``n_support_``
(per class), ``dual_coef_`` (K-1, n_SV) holding yᵢαᵢ of each support vector in
each pairwise problem it belongs to, and ``intercept_`` (one b per pair).
``probability=True`` adds Platt-scaled probabilities (:mod:`minml.svm.platt`),
each pair's sigmoid fitted on decision values from an internal 5-fold
cross-validation.
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.base import ClassifierMixin
from minml.linear.linear_classifier import class_sample_weight
from minml.svm.kernel_svm import KERNEL_PARAMETER_CONSTRAINTS, _KernelSVM
from minml.svm.platt import couple_pairwise, fit_sigmoid, sigmoid_probability
from minml.validation import (
    Options,
    check_n_features,
    check_sample_weight,
    check_X_y,
    encode_labels,
    labels_from_codes,
)

__all__ = ["SVC"]

PROBABILITY_FOLDS = 5  # libsvm's internal cross-validation for Platt scaling


class SVC(ClassifierMixin, _KernelSVM):
    """C-support vector classifier with a kernel (scikit-learn's SVC, libsvm's C-SVC).

    Parameters as scikit-learn's: ``C`` (the cost of margin violations),
    ``kernel`` ("linear", "poly", "rbf", "sigmoid", "precomputed" or a callable
    k(X, Y) → (n, m) matrix), ``degree``, ``gamma`` ("scale" = 1 / (d · Var X),
    "auto" = 1 / d, or a float), ``coef0``, ``shrinking``, ``probability``,
    ``tol`` (stop when the KKT gap is below it), ``cache_size`` (MB of kernel
    rows kept), ``class_weight`` (dict or "balanced"), ``max_iter`` (-1: no
    limit on SMO steps), ``decision_function_shape`` ("ovr" or "ovo"),
    ``break_ties`` and ``random_state`` (the folds of probability=True).
    """

    _parameter_constraints = {
        **KERNEL_PARAMETER_CONSTRAINTS,
        "probability": ["boolean"],
        "class_weight": [Options({"balanced"}), dict, None],
        "decision_function_shape": [Options({"ovr", "ovo"})],
        "break_ties": ["boolean"],
        "random_state": ["random_state", None],
    }
    _contract_skip = {
        "check_sample_weight": "a weight of 3 and 3 copies of a sample give the same optimum up to the intercept, "
        "which is not unique where no support vector is free; scikit-learn's SVC differs by ~1e-3 there too",
    }

    def __init__(self, *, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0, shrinking=True,
                 probability=False, tol=1e-3, cache_size=200, class_weight=None, verbose=False, max_iter=-1,
                 decision_function_shape="ovr", break_ties=False, random_state=None):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Train one binary SVM per pair of classes (one in all for two classes); returns self."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self, numeric_y=False)
        check_n_features(self, X, reset=True)
        self.classes_, codes = encode_labels(y, like=X, estimator=self)
        weights = check_sample_weight(sample_weight, X, estimator=self)
        X = self._check_fit_X(X)
        xp = backend.namespace(X)
        n_classes = self.classes_.shape[0]
        codes_host = backend.asnumpy(codes)
        members = [np.flatnonzero(codes_host == c) for c in range(n_classes)]  # each class's samples, host
        # "balanced" counts samples, not their weights, as scikit-learn's SVC does
        per_sample = class_sample_weight(self.class_weight, self.classes_, codes, xp.ones(X.shape[0]))
        first = backend.to_device(np.asarray([m[0] for m in members]), backend.device_of(X))
        self.class_weight_ = per_sample[first]
        upper = self.C * per_sample * weights
        pairs = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
        coefficients, intercepts, n_iter, is_support = {}, [], [], np.zeros(X.shape[0], dtype=bool)
        rng = backend.rng(self.random_state, backend.device_of(X)) if self.probability else None
        prob_a, prob_b = [], []
        for i, j in pairs:
            samples = np.concatenate([members[i], members[j]])
            signs = np.concatenate([np.ones(len(members[i])), -np.ones(len(members[j]))])
            alpha, rho, steps = self._binary(X, samples, signs, upper)
            if self.probability:
                a, b = self._platt(X, samples, signs, upper, rng)
                prob_a.append(a)
                prob_b.append(b)
            coefficients[i, j] = alpha * signs  # yᵢαᵢ, positive for class i
            intercepts.append(-rho)
            n_iter.append(steps)
            is_support[samples[alpha > 0]] = True
        self._store_model(X, members, pairs, coefficients, intercepts, is_support)
        self.n_iter_ = np.asarray(n_iter, dtype=np.int32)
        self.fit_status_ = 0
        if self.probability:
            self.probA_ = backend.to_device(np.asarray(prob_a), backend.device_of(X))
            self.probB_ = backend.to_device(np.asarray(prob_b), backend.device_of(X))
        return self

    def _binary(self, X, samples, signs, upper):
        """Solve the two-class dual on X[samples] with labels ``signs`` (±1): host (α, ρ, steps)."""
        device = backend.device_of(X)
        index = backend.to_device(samples, device)
        y = backend.to_device(signs, device)
        result = self._solve(X[index] if self.kernel != "precomputed" else X[index][:, index], y,
                             -backend.namespace(X).ones(len(samples), dtype=np.float64), upper[index])
        return backend.asnumpy(result.alpha), result.rho, result.n_iter

    def _store_model(self, X, members, pairs, coefficients, intercepts, is_support):
        """libsvm's model layout: support vectors grouped by class, dual_coef_ (K-1, n_SV), intercept_ per pair."""
        n_classes = len(members)
        support_of = [m[is_support[m]] for m in members]  # each class's support vectors, in sample order
        support = np.concatenate(support_of)
        offsets = np.concatenate([[0], np.cumsum([len(s) for s in support_of])])
        dual = np.zeros((max(n_classes - 1, 1), len(support)))
        for i, j in pairs:
            alpha = coefficients[i, j]
            n_i = len(members[i])
            dual[j - 1, offsets[i]:offsets[i + 1]] = alpha[:n_i][is_support[members[i]]]
            dual[i, offsets[j]:offsets[j + 1]] = alpha[n_i:][is_support[members[j]]]
        intercept = np.asarray(intercepts)
        if n_classes == 2:  # scikit-learn flips the binary problem so that f(x) > 0 means classes_[1]
            dual, intercept = -dual, -intercept
        self._store_support(X, support)
        self.n_support_ = np.asarray([len(s) for s in support_of], dtype=np.int32)
        device = backend.device_of(X)
        self.dual_coef_ = backend.to_device(dual, device)
        self.intercept_ = backend.to_device(intercept, device)

    def _pair_coefficients(self):
        """(n_SV, n_pairs): each pairwise problem's coefficient per support vector (0 where not in the pair)."""
        xp = backend.namespace(self.dual_coef_)
        n_classes = self.n_support_.shape[0]
        offsets = np.concatenate([[0], np.cumsum(self.n_support_)]).tolist()
        pairs = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
        W = xp.zeros((self.dual_coef_.shape[1], len(pairs)), dtype=np.float64)
        for k, (i, j) in enumerate(pairs):
            row_i, row_j = (0, 0) if n_classes == 2 else (j - 1, i)
            W[offsets[i]:offsets[i + 1], k] = self.dual_coef_[row_i, offsets[i]:offsets[i + 1]]
            W[offsets[j]:offsets[j + 1], k] = self.dual_coef_[row_j, offsets[j]:offsets[j + 1]]
        return W

    def _pairwise_decision(self, X):
        """(n, n_pairs) pairwise decision values f_ij(x) = Σ coef K(sv, x) + b_ij (X already checked)."""
        return self._kernel_to_support(X) @ self._pair_coefficients() + self.intercept_

    def _libsvm_decision(self, X):
        """Pairwise values with libsvm's sign: > 0 votes for the lower class i of the pair (i, j)."""
        values = self._pairwise_decision(X)
        return -values if self.classes_.shape[0] == 2 else values

    def decision_function(self, X):
        """Scores: (n,) for two classes (> 0 means classes_[1]); (n, K) for "ovr", (n, K(K-1)/2) for "ovo"."""
        values = self._pairwise_decision(self._check_predict_X(X))
        n_classes = self.classes_.shape[0]
        if n_classes == 2:
            return values[:, 0]
        if self.decision_function_shape == "ovo":
            return values
        return _ovr_from_ovo(values, n_classes)

    def predict(self, X):
        """The class with the most one-vs-one votes (ties: the lower class; with break_ties, the best "ovr" score)."""
        X = self._check_predict_X(X)
        if self.break_ties and self.decision_function_shape == "ovo":
            raise ValueError("break_ties must be False when decision_function_shape is 'ovo': ties are broken by "
                             "the 'ovr' scores.")
        n_classes = self.classes_.shape[0]
        values = self._libsvm_decision(X)
        xp = backend.namespace(values)
        if self.break_ties and self.decision_function_shape == "ovr" and n_classes > 2:
            codes = xp.argmax(_ovr_from_ovo(values, n_classes), axis=1)
        else:
            codes = xp.argmax(_votes(values > 0, n_classes), axis=1)
        return labels_from_codes(self.classes_, codes)

    @property
    def predict_proba(self):
        """Class probabilities (n, K) by Platt scaling and pairwise coupling; only with probability=True."""
        if not getattr(self, "probability", False):
            raise AttributeError("predict_proba is not available when probability=False; fit with probability=True")
        return self._predict_proba

    @property
    def predict_log_proba(self):
        """log of :meth:`predict_proba`; only with probability=True."""
        if not getattr(self, "probability", False):
            raise AttributeError("predict_log_proba is not available when probability=False")
        return self._predict_log_proba

    def _predict_proba(self, X):
        X = self._check_predict_X(X)
        if not hasattr(self, "probA_"):
            raise AttributeError("predict_proba is not available: this SVC was fitted with probability=False")
        pairwise = sigmoid_probability(self._libsvm_decision(X), self.probA_, self.probB_)
        n_classes = self.classes_.shape[0]
        if n_classes == 2:
            return backend.namespace(pairwise).concatenate([pairwise, 1 - pairwise], axis=1)
        return couple_pairwise(pairwise, n_classes)

    def _predict_log_proba(self, X):
        probability = self._predict_proba(X)
        return backend.namespace(probability).log(probability)

    def _platt(self, X, samples, signs, upper, rng):
        """Platt's (A, B) for one pair, from decision values of a 5-fold cross-validation on its samples."""
        n = len(samples)
        order = backend.asnumpy(rng.permutation(n))
        decision = np.zeros(n)
        for fold in range(PROBABILITY_FOLDS):
            held = order[fold * n // PROBABILITY_FOLDS:(fold + 1) * n // PROBABILITY_FOLDS]
            train = np.setdiff1d(order, held)
            labels = signs[train]
            if (labels > 0).all() or (labels < 0).all():  # one class only: libsvm predicts that class's sign
                decision[held] = labels[0]
                continue
            alpha, rho, _ = self._binary(X, samples[train], labels, upper)
            sv = alpha > 0
            index = backend.to_device(samples[train][sv], backend.device_of(X))
            held_index = backend.to_device(samples[held], backend.device_of(X))
            if self.kernel == "precomputed":
                block = X[held_index][:, index]
            else:
                block = self._kernel(X[held_index], X[index])
            weights = backend.to_device(alpha[sv] * labels[sv], backend.device_of(X))
            decision[held] = backend.asnumpy(block @ weights) - rho
        return fit_sigmoid(decision, signs)

    @classmethod
    def _contract_instances(cls):
        return [cls(), cls(kernel="linear"), cls(kernel="poly", degree=2, coef0=1.0)]


def _votes(first_wins, n_classes: int):
    """(n, K) vote counts from one-vs-one outcomes: ``first_wins[:, k]`` is True when pair k's lower class won."""
    xp = backend.namespace(first_wins)
    votes = xp.zeros((first_wins.shape[0], n_classes), dtype=np.int64)
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            votes[:, i] += first_wins[:, k]
            votes[:, j] += ~first_wins[:, k]
            k += 1
    return votes


def _ovr_from_ovo(values, n_classes: int):
    """scikit-learn's one-vs-rest scores from one-vs-one values: votes + Σ confidences / (3 (|Σ| + 1))."""
    xp = backend.namespace(values)
    confidence = xp.zeros((values.shape[0], n_classes), dtype=values.dtype)
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            confidence[:, i] += values[:, k]
            confidence[:, j] -= values[:, k]
            k += 1
    return _votes(values > 0, n_classes) + confidence / (3 * (xp.abs(confidence) + 1))

