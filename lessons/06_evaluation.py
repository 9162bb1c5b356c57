"""Lesson 06 — Model evaluation.

Is this model any good, and how sure are we? On real data (the Wisconsin breast cancer
biopsies): holdout sets and their variance, k-fold and stratified cross-validation, the
bootstrap for the uncertainty of a score, confusion matrices, precision, recall and F1, ROC
and precision-recall curves, choosing a threshold, learning and validation curves, and
hyperparameter search that never sees the test set — with minml.metrics,
minml.model_selection, minml.stats and minml.plot.

Run it on its own (``python lessons/06_evaluation.py``); the course page
docs/lessons/06-evaluation.md runs the same sections one by one. The data live on the
default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU; numbers are brought
to the host only to print and plot.
"""

# --8<-- [start:data]
import numpy as np

from minml import backend
from minml.datasets import load_breast_cancer

cancer = load_breast_cancer()
X_host = cancer.data
y_host = (cancer.target == 0).astype(np.int64)  # 1 = malignant: the class we must not miss
X, y = backend.to_device(X_host), backend.to_device(y_host)  # on the default device (MINML_DEVICE)
print(f"{X.shape[0]} biopsies, {X.shape[1]} features, {y_host.mean():.1%} malignant; data on {backend.device_of(X)}")
# --8<-- [end:data]


# --8<-- [start:holdout]
from minml.linear.logistic import LogisticRegression
from minml.metrics import accuracy_score
from minml.model_selection import train_test_split
from minml.preprocessing import StandardScaler, make_pipeline


def make_model(C=1.0):
    """Standardise the features, then logistic regression with L2 penalty strength 1/C."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))


X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
model = make_model().fit(X_train, y_train)
print(f"training accuracy {accuracy_score(y_train, model.predict(X_train)):.3f}  "
      f"test accuracy {accuracy_score(y_test, model.predict(X_test)):.3f}  ({len(y_test)} test biopsies)")

holdout_scores = []
for seed in range(20):
    Xa, Xb, ya, yb = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    holdout_scores.append(accuracy_score(yb, make_model().fit(Xa, ya).predict(Xb)))
print(f"20 different holdout splits: test accuracy from {min(holdout_scores):.3f} to {max(holdout_scores):.3f} "
      f"(mean {np.mean(holdout_scores):.3f}, standard deviation {np.std(holdout_scores):.3f})")
# --8<-- [end:holdout]


# --8<-- [start:kfold]
from minml.model_selection import KFold, StratifiedKFold, cross_val_score, cross_validate

for splitter in (KFold(5), StratifiedKFold(5)):
    shares = [y_host[test].mean() for _, test in splitter.split(X_host, y_host)]
    print(f"{type(splitter).__name__:15s} malignant share of each test fold: "
          + "  ".join(f"{share:.0%}" for share in shares))

cv = StratifiedKFold(5, shuffle=True, random_state=0)
scores = cross_val_score(make_model(), X_train, y_train, cv=cv)
print(f"5-fold accuracy on the training set: {np.round(scores, 3)} -> {scores.mean():.3f} ± {scores.std():.3f}")

results = cross_validate(make_model(), X_train, y_train, cv=cv,
                         scoring=["accuracy", "precision", "recall", "roc_auc"], return_train_score=True)
for metric in ("accuracy", "precision", "recall", "roc_auc"):
    train, test = results[f"train_{metric}"], results[f"test_{metric}"]
    print(f"  {metric:9s}  train {train.mean():.3f}   validation {test.mean():.3f} ± {test.std():.3f}")
# --8<-- [end:kfold]


# --8<-- [start:bootstrap]
from minml.stats import bootstrap_ci


def mean(sample, axis=-1):
    return sample.mean(axis=axis)


correct = (model.predict(X_test) == y_test).astype(np.float64)  # 1 where the model is right
test_accuracy = backend.to_scalar(correct.mean())
for method in ("percentile", "BCa"):
    result = bootstrap_ci((correct,), mean, method=method, n_resamples=9999, random_state=0)
    low, high = result.confidence_interval
    print(f"test accuracy {test_accuracy:.3f}, 95% {method:10s} interval [{low:.3f}, {high:.3f}], "
          f"standard error {result.standard_error:.3f}")
accuracy_interval = result

# Is the strongly regularised model (C = 0.01) worse? Resample the SAME test biopsies for both: paired.
weak_correct = (make_model(C=0.01).fit(X_train, y_train).predict(X_test) == y_test).astype(np.float64)
difference = bootstrap_ci((correct, weak_correct), lambda a, b, axis=-1: a.mean(axis=axis) - b.mean(axis=axis),
                          paired=True, n_resamples=9999, random_state=0)
print(f"accuracy(C=1) - accuracy(C=0.01) = {test_accuracy - backend.to_scalar(weak_correct.mean()):+.3f}, "
      f"95% BCa interval [{difference.confidence_interval.low:+.3f}, {difference.confidence_interval.high:+.3f}]")
# --8<-- [end:bootstrap]


# --8<-- [start:bootstrap_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import (
    plot_bootstrap_distribution,
    plot_confusion_matrix,
    plot_learning_curve,
    plot_precision_recall_curve,
    plot_roc_curve,
    plot_validation_curve,
    svg,
)

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
plot_bootstrap_distribution(accuracy_interval, observed=test_accuracy, bins=30, label="test accuracy", ax=left)
left.set_title("accuracy on 143 test biopsies, 9,999 resamples", fontsize=10)
plot_bootstrap_distribution(difference, observed=backend.to_scalar((correct - weak_correct).mean()), bins=30,
                            label="accuracy(C=1) - accuracy(C=0.01)", ax=right)
right.set_title("a paired difference", fontsize=10)
fig.tight_layout()
bootstrap_svg = svg(fig)
# --8<-- [end:bootstrap_figure]


# --8<-- [start:confusion]
from minml.metrics import classification_report, confusion_matrix, f1_score, precision_score, recall_score

y_pred = model.predict(X_test)
tn, fp, fn, tp = backend.asnumpy(confusion_matrix(y_test, y_pred)).ravel().tolist()
print(f"true negatives {tn}, false positives {fp}, false negatives {fn}, true positives {tp}")
print(f"precision {precision_score(y_test, y_pred):.3f} = {tp}/({tp}+{fp})   "
      f"recall {recall_score(y_test, y_pred):.3f} = {tp}/({tp}+{fn})   F1 {f1_score(y_test, y_pred):.3f}")
print(classification_report(y_test, y_pred, target_names=["benign", "malignant"], digits=3))
# --8<-- [end:confusion]


# --8<-- [start:confusion_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
plot_confusion_matrix(y_test, y_pred, ax=left)
left.set_title("counts (rows: truth, columns: prediction)", fontsize=10)
plot_confusion_matrix(y_test, y_pred, normalize="true", ax=right)
right.set_title("normalised by row: recall of each class", fontsize=10)
for ax in (left, right):
    ax.set_xticks([0, 1], ["benign", "malignant"])
    ax.set_yticks([0, 1], ["benign", "malignant"])
fig.tight_layout()
confusion_svg = svg(fig)
# --8<-- [end:confusion_figure]


# --8<-- [start:roc]
from minml.metrics import average_precision_score, roc_auc_score, roc_curve

proba = model.predict_proba(X_test)[:, 1]  # the model's probability of "malignant"
texture = [1, 21]  # "mean texture" and "worst texture" alone: a weaker model, for contrast
weak_proba = make_model().fit(X_train[:, texture], y_train).predict_proba(X_test[:, texture])[:, 1]
for name, scores in (("all 30 features", proba), ("texture only", weak_proba)):
    print(f"{name:16s} ROC AUC {roc_auc_score(y_test, scores):.4f}   "
          f"average precision {average_precision_score(y_test, scores):.4f}")

fpr, tpr, thresholds = roc_curve(y_test, proba)
print(f"the ROC curve of all 30 features has {len(fpr)} corners; at threshold 0.5: "
      f"fpr {backend.to_scalar((proba[y_test == 0] >= 0.5).mean()):.3f}, "
      f"tpr {backend.to_scalar((proba[y_test == 1] >= 0.5).mean()):.3f}")

rounded = backend.asnumpy(weak_proba).round(1)  # scores rounded to 0.1: ties everywhere
print(f"texture-only scores rounded to 0.1: {len(np.unique(rounded))} distinct values, "
      f"ROC AUC {roc_auc_score(y_test, backend.to_device(rounded)):.4f}")
# --8<-- [end:roc]


# --8<-- [start:roc_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
for name, scores in (("all 30 features", proba), ("texture only", weak_proba)):
    plot_roc_curve(y_test, scores, label=name, ax=left)
    plot_precision_recall_curve(y_test, scores, label=name, ax=right)
left.set_title("ROC curve", fontsize=10)
right.set_title("precision-recall curve", fontsize=10)
handles, names = right.get_legend_handles_labels()
unique = dict(zip(names, handles))  # each curve drew the baseline (the positive rate): list it once
right.legend(unique.values(), unique.keys(), loc="lower left")
fig.tight_layout()
roc_svg = svg(fig)
# --8<-- [end:roc_figure]


# --8<-- [start:threshold]
from minml.model_selection import cross_val_predict

# Out-of-fold probabilities: each training biopsy is scored by a model that did not see it.
oof = cross_val_predict(make_model(), X_train, y_train, cv=cv, method="predict_proba")[:, 1]
_, oof_tpr, oof_thresholds = roc_curve(y_train, oof)
catch_98 = float(backend.asnumpy(oof_thresholds)[np.argmax(backend.asnumpy(oof_tpr) >= 0.98)])

# Or price the mistakes: a missed cancer (false negative) costs as much as 10 needless follow-ups.
candidates = np.linspace(0.01, 0.99, 99)
oof_host, y_train_host = backend.asnumpy(oof), backend.asnumpy(y_train)
costs = [10 * np.sum((oof_host < t) & (y_train_host == 1)) + np.sum((oof_host >= t) & (y_train_host == 0))
         for t in candidates]
cheapest = float(candidates[np.argmin(costs)])

print("threshold                         on the test set: precision  recall  false negatives  false positives")
for name, threshold in (("0.5 (the default)", 0.5), ("recall >= 98% in CV", catch_98),
                        ("cost 10:1 in CV", cheapest)):
    predicted = (proba >= threshold).astype(np.int64)
    _, fp, fn, _ = backend.asnumpy(confusion_matrix(y_test, predicted)).ravel().tolist()
    print(f"{threshold:.3f}  {name:26s}             {precision_score(y_test, predicted):.3f}   "
          f"{recall_score(y_test, predicted):.3f}  {fn:15d}  {fp:15d}")
# --8<-- [end:threshold]


# --8<-- [start:curves]
from minml.model_selection import learning_curve, validation_curve

train_sizes, lc_train, lc_valid = learning_curve(make_model(), X_train, y_train, cv=cv,
                                                 train_sizes=np.linspace(0.1, 1.0, 6), scoring="roc_auc")
Cs = np.logspace(-4, 3, 8)
vc_train, vc_valid = validation_curve(make_model(), X_train, y_train, param_name="logisticregression__C",
                                      param_range=Cs, cv=cv, scoring="roc_auc")
for C, train, valid in zip(Cs, backend.asnumpy(vc_train).mean(axis=1), backend.asnumpy(vc_valid).mean(axis=1)):
    print(f"C = {C:8.4f}: training AUC {train:.4f}, validation AUC {valid:.4f}")
# --8<-- [end:curves]


# --8<-- [start:curves_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
plot_learning_curve(train_sizes, lc_train, lc_valid, score_name="ROC AUC", ax=left)
left.set_title("learning curve (C = 1)", fontsize=10)
plot_validation_curve(Cs, vc_train, vc_valid, param_name="C (inverse penalty strength)", score_name="ROC AUC",
                      ax=right)
right.set_title("validation curve", fontsize=10)
fig.tight_layout()
curves_svg = svg(fig)
# --8<-- [end:curves_figure]


# --8<-- [start:search]
from minml.model_selection import GridSearchCV, format_results

search = GridSearchCV(make_model(), {"logisticregression__C": [0.01, 0.1, 1.0, 10.0, 100.0]}, cv=cv,
                      scoring="roc_auc")
search.fit(X_train, y_train)  # the test set is not touched: cross-validation inside the training set
print(format_results(search.cv_results_, top=3))
print(f"best {search.best_params_}, cross-validated AUC {search.best_score_:.4f}")
print(f"the refitted best model, scored ONCE on the test set: AUC "
      f"{roc_auc_score(y_test, search.predict_proba(X_test)[:, 1]):.4f}")
# --8<-- [end:search]


# --8<-- [start:leak]
# Pure noise: 100 "patients", 2,000 random features, random labels. No model can beat 50%.
noise_rng = np.random.default_rng(6)
X_noise = noise_rng.standard_normal((100, 2000))
y_noise = np.repeat([0, 1], 50)


def most_correlated(X_part, y_part, k=20):
    """The k features most correlated with the labels: a step that LEARNS from the labels."""
    Xc, yc = X_part - X_part.mean(axis=0), y_part - y_part.mean()
    correlation = (Xc.T @ yc) / (np.linalg.norm(Xc, axis=0) * np.linalg.norm(yc))
    return np.argsort(-np.abs(correlation))[:k]


noise_cv = StratifiedKFold(5, shuffle=True, random_state=0)
chosen = most_correlated(X_noise, y_noise)  # WRONG: chosen on all the data, test folds included
leaky = cross_val_score(make_model(), backend.to_device(X_noise[:, chosen]), backend.to_device(y_noise),
                        cv=noise_cv)
honest = []
for train, test in noise_cv.split(X_noise, y_noise):  # RIGHT: chosen again inside each training fold
    chosen = most_correlated(X_noise[train], y_noise[train])
    fitted = make_model().fit(backend.to_device(X_noise[train][:, chosen]), backend.to_device(y_noise[train]))
    predicted = fitted.predict(backend.to_device(X_noise[test][:, chosen]))
    honest.append(accuracy_score(backend.to_device(y_noise[test]), predicted))
print(f"features chosen before cross-validation: accuracy {leaky.mean():.2f}  (a leak: pure noise looks learnable)")
print(f"features chosen inside each fold:        accuracy {np.mean(honest):.2f}  (the truth: a coin flip)")
# --8<-- [end:leak]


# --8<-- [start:exercises]
from minml.metrics.ranking import roc_auc_with_ties
from minml.model_selection.split import stratified_kfold_test_folds
from minml.stats.bootstrap import percentile_interval

labels = backend.to_device(np.array(["b", "b", "m", "b", "m", "b", "b", "m", "b", "m", "b", "m"]))
print("stratified 3-fold test folds:", backend.asnumpy(stratified_kfold_test_folds(labels, 3)).tolist())
print("AUC of y = [0, 1, 0, 1], scores [0.1, 0.5, 0.5, 0.9]:",
      roc_auc_with_ties(backend.to_device(np.array([0, 1, 0, 1])), backend.to_device(np.array([0.1, 0.5, 0.5, 0.9]))))
low, high = percentile_interval(accuracy_interval.bootstrap_distribution, 0.95)
print(f"95% percentile interval of the test accuracy: [{low:.3f}, {high:.3f}]")
# --8<-- [end:exercises]
