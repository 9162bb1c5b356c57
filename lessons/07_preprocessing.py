"""Lesson 07 — Feature engineering and preprocessing.

Real tables are not the tidy matrices of the earlier lessons: values are missing, a few
are absurd, columns come in wildly different units, some hold categories rather than
numbers, and the relation to the target is not linear. This lesson repairs each with
minml.preprocessing — imputation, outlier fences, scaling, one-hot encoding, polynomial
features — chains the repairs with a model in a Pipeline and a ColumnTransformer, and
shows with numbers what happens when the repairs are fitted on data the model will be
tested on (leakage).

Run it on its own (``python lessons/07_preprocessing.py``); the course page
docs/lessons/07-preprocessing.md runs the same sections one by one. Numeric data live on
the default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU; the mixed
table with strings stays on the host, as strings must.
"""

# --8<-- [start:missing]
import warnings

import numpy as np

from minml import backend
from minml.datasets import load_diabetes

warnings.simplefilter("ignore", RuntimeWarning)  # nanmean and friends on all-NaN slices in the printouts

diabetes = load_diabetes(scaled=False)  # raw units: age in years, bmi in kg/m², blood pressure in mm Hg...
names, X_complete, y_host = diabetes.feature_names, diabetes.data, diabetes.target
rng = np.random.default_rng(0)
X_gaps = X_complete.copy()
bmi, s5 = names.index("bmi"), names.index("s5")
heavy = X_complete[:, bmi] > np.median(X_complete[:, bmi])
X_gaps[rng.random(len(X_gaps)) < np.where(heavy, 0.8, 0.05), bmi] = np.nan  # heavier patients skip the scales
X_gaps[rng.random(len(X_gaps)) < 0.15, s5] = np.nan  # a lab sample lost at random
X, y = backend.to_device(X_gaps), backend.to_device(y_host)  # on the default device (MINML_DEVICE)

for j in (bmi, s5):
    observed = X_gaps[~np.isnan(X_gaps[:, j]), j]
    print(f"{names[j]:4s}: {np.isnan(X_gaps[:, j]).sum():3d} of {len(X_gaps)} missing; mean of the observed "
          f"{observed.mean():6.2f}, of all (before deleting) {X_complete[:, j].mean():6.2f}")
# --8<-- [end:missing]


# --8<-- [start:impute]
from minml.linear.ridge import Ridge
from minml.model_selection import KFold, cross_val_score
from minml.preprocessing import SimpleImputer, StandardScaler, make_pipeline

imputer = SimpleImputer(strategy="median", add_indicator=True).fit(X)
print("medians learned in fit:", np.round(backend.asnumpy(imputer.statistics_)[[bmi, s5]], 2),
      "  columns out:", imputer.transform(X).shape[1], "(10 features + 2 missing-value indicators)")

cv = KFold(5, shuffle=True, random_state=0)


def cv_r2(*steps, data=X):
    """Mean 5-fold cross-validated R² of the pipeline steps → StandardScaler → Ridge."""
    return cross_val_score(make_pipeline(*steps, StandardScaler(), Ridge(alpha=1.0)), data, y, cv=cv).mean()


print(f"no values missing (the ideal)   R² {cv_r2(data=backend.to_device(X_complete)):.3f}")
for label, step in [("mean imputation", SimpleImputer(strategy="mean")),
                    ("median imputation", SimpleImputer(strategy="median")),
                    ("mean + missing indicators", SimpleImputer(strategy="mean", add_indicator=True))]:
    print(f"{label:31s} R² {cv_r2(step):.3f}")
# --8<-- [end:impute]


# --8<-- [start:outliers]
from minml.preprocessing import OutlierClipper, iqr_bounds

rng = np.random.default_rng(1)
temperature = rng.normal(20.0, 3.0, 500)  # a sensor in °C ...
glitch = rng.random(500) < 0.1
temperature[glitch] = temperature[glitch] * 1.8 + 32  # ... that logs one reading in ten in °F
readings = backend.to_device(temperature[:, None])

lower, upper = (backend.asnumpy(fence)[0] for fence in iqr_bounds(readings, factor=1.5))
mean, std = temperature.mean(), temperature.std()
z_lower, z_upper = mean - 3 * std, mean + 3 * std
fences = {"Tukey's fences (k = 1.5)": (lower, upper), "z-score fences (t = 3)": (z_lower, z_upper)}
for label, (low, high) in fences.items():
    flagged = (temperature < low) | (temperature > high)
    print(f"{label:25s} [{low:7.2f}, {high:7.2f}]  flag {flagged.sum():2d} readings, "
          f"{(flagged & glitch).sum()} of the {glitch.sum()} glitches")
print(f"the glitches drag the mean from {temperature[~glitch].mean():.2f} to {mean:.2f} "
      f"and the std from {temperature[~glitch].std():.2f} to {std:.2f}")

clipped = backend.asnumpy(OutlierClipper(method="iqr").fit_transform(readings))[:, 0]
print(f"after OutlierClipper: max {clipped.max():.2f}, mean {clipped.mean():.2f}, std {clipped.std():.2f}")
# --8<-- [end:outliers]


# --8<-- [start:outliers_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

COLOURS = ["#ef6c00", "#3949ab", "#2e7d32", "#8e24aa"]

fig, ax = plt.subplots(figsize=(8, 2.8))
jitter = np.random.default_rng(2).uniform(-0.3, 0.3, temperature.size)
ax.scatter(temperature, jitter, s=6, color=np.where(glitch, COLOURS[0], "#9e9e9e"))
for (low, high), colour, label in [((lower, upper), COLOURS[1], "Tukey's fences"),
                                   ((z_lower, z_upper), COLOURS[2], "mean ± 3 std")]:
    for x in (low, high):
        ax.axvline(x, color=colour, linestyle="--", linewidth=1.2, label=label if x == low else None)
ax.set_yticks([])
ax.set_xlabel("reading (the glitches, logged in °F, in orange)")
ax.legend(frameon=False, loc="upper left", fontsize=8)
fig.tight_layout()
outliers_svg = svg(fig)
# --8<-- [end:outliers_figure]


# --8<-- [start:scaling_gradients]
from minml.linear.ridge import ridge_solution


def gradient_descent_gap(A, b, steps=1000):
    """Least squares min ½‖Aw − b‖²/n by gradient descent at the largest safe step 1/λ_max:
    the loss after ``steps`` steps minus the best loss, as a fraction of the best loss."""
    xp = backend.namespace(A)
    n = A.shape[0]
    H = A.T @ A / n
    lam_max = backend.to_scalar(xp.linalg.eigvalsh(H)[-1])
    w = xp.zeros(A.shape[1])
    for _ in range(steps):
        w = w - (H @ w - A.T @ b / n) / lam_max
    best = ridge_solution(A, b, 0.0)
    loss = backend.to_scalar(((A @ w - b) ** 2).mean())
    best_loss = backend.to_scalar(((A @ best - b) ** 2).mean())
    return loss / best_loss - 1


X_raw = backend.to_device(X_complete)
centred = X_raw - X_raw.mean(axis=0)  # centre both, so the intercept is not part of the comparison
target = y - y.mean()
for label, A in [("raw units", centred), ("standardized", StandardScaler().fit_transform(X_raw))]:
    eigenvalues = backend.asnumpy(backend.namespace(A).linalg.eigvalsh(A.T @ A / A.shape[0]))
    print(f"{label:13s} condition number of AᵀA/n {eigenvalues[-1] / eigenvalues[0]:9.0f};  "
          f"after 1000 gradient steps the loss is {gradient_descent_gap(A, target):.2%} above its minimum")
# --8<-- [end:scaling_gradients]


# --8<-- [start:scaling_penalty]
from minml.preprocessing import MinMaxScaler, RobustScaler

stds = X_raw.std(axis=0)
for label, model in [("Ridge(alpha=100) on raw units", Ridge(alpha=100.0)),
                     ("StandardScaler → Ridge(100)", make_pipeline(StandardScaler(), Ridge(alpha=100.0)))]:
    score = cross_val_score(model, X_raw, y, cv=cv).mean()
    model.fit(X_raw, y)
    coef = model.coef_ * stds if isinstance(model, Ridge) else model[-1].coef_
    effect = backend.asnumpy(coef)  # the change in prediction per standard deviation of each feature
    print(f"{label:29s} R² {score:.3f};  effect of one std of bmi {effect[bmi]:5.1f}, of s5 {effect[s5]:5.1f}")

incomes = backend.to_device(np.array([[21.0], [24.0], [26.0], [29.0], [31.0], [35.0], [38.0], [900.0]]))
for scaler in (StandardScaler(), MinMaxScaler(), RobustScaler()):
    z = backend.asnumpy(scaler.fit_transform(incomes))[:, 0]
    print(f"{type(scaler).__name__:15s} seven ordinary incomes → {z[0]:6.2f} … {z[6]:6.2f}  "
          f"the millionaire → {z[7]:6.2f}")
# --8<-- [end:scaling_penalty]


# --8<-- [start:encoding]
from minml.preprocessing import OneHotEncoder, OrdinalEncoder


def table(*rows):
    """A host object array of rows: how mixed and string tables are held."""
    array = np.empty((len(rows), len(rows[0])), dtype=object)
    array[:] = rows
    return array


cities = table(["York"], ["Bath"], ["Hull"], ["York"], ["Leeds"])
one_hot = OneHotEncoder().fit(cities)
print("categories_:", one_hot.categories_[0].tolist())
print("one-hot:\n", one_hot.transform(cities))
print("ordinal:", OrdinalEncoder().fit_transform(cities)[:, 0])

try:
    one_hot.transform(table(["Paris"]))
except ValueError as error:
    print("unknown city, handle_unknown='error':", error)
lenient = OneHotEncoder(handle_unknown="ignore").fit(cities)
print("unknown city, handle_unknown='ignore':", lenient.transform(table(["Paris"])))

rng = np.random.default_rng(3)
effect = {"Bath": 3.0, "Hull": 0.0, "Leeds": 2.0, "York": -1.0}  # not in alphabetical order
city_column = table(*[[city] for city in rng.choice(list(effect), 400)])
price = np.array([effect[city] for city in city_column[:, 0]]) + rng.normal(0, 0.5, 400)
for encoder in (OrdinalEncoder(), OneHotEncoder()):
    score = cross_val_score(make_pipeline(encoder, Ridge(alpha=1e-3)), city_column, price, cv=cv).mean()
    print(f"{type(encoder).__name__:15s} → linear model: R² {score:.3f}")
# --8<-- [end:encoding]


# --8<-- [start:polynomial]
from minml.datasets import make_friedman1
from minml.preprocessing import PolynomialFeatures

X_friedman, y_friedman = make_friedman1(600, n_features=5, noise=1.0, random_state=0)
X_friedman, y_friedman = backend.to_device(X_friedman), backend.to_device(y_friedman)
print(PolynomialFeatures(degree=2).fit(X_friedman[:, :2]).get_feature_names_out(["a", "b"]))
for degree in (1, 2, 3, 4):
    model = make_pipeline(PolynomialFeatures(degree), StandardScaler(), Ridge(alpha=1.0))
    score = cross_val_score(model, X_friedman, y_friedman, cv=cv).mean()
    print(f"degree {degree}: {model.fit(X_friedman, y_friedman)[0].n_output_features_:3d} features, R² {score:.3f}")
# --8<-- [end:polynomial]


# --8<-- [start:table]
from minml.linear.logistic import LogisticRegression
from minml.preprocessing import ColumnTransformer

rng = np.random.default_rng(4)
n = 800
ages = rng.normal(42, 12, n).round()
monthly = np.exp(rng.normal(3.5, 0.6, n))  # a skewed amount in €
monthly[rng.random(n) < 0.03] *= 100  # a few business accounts
monthly[rng.random(n) < 0.1] = np.nan  # not recorded
plans = rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2])
towns = rng.choice(["Bath", "Hull", "Leeds", "York"], n).astype(object)
towns[rng.random(n) < 0.05] = None  # not recorded: for a category, missing is a category of its own
logit = (0.05 * (ages - 42) - 0.8 * np.log(np.nan_to_num(monthly, nan=33.0)) + 2.5
         + np.select([plans == "pro", plans == "plus"], [-1.5, -0.5], 0.0) + np.where(towns == "Hull", 1.0, 0.0))
churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
customers = table(*zip(ages, monthly, plans, towns))  # columns: age, monthly spend, plan, town

numeric = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), OutlierClipper(), StandardScaler())
categorical = OneHotEncoder(handle_unknown="ignore")
preprocess = ColumnTransformer([("numeric", numeric, [0, 1]), ("categorical", categorical, [2, 3])])
model = make_pipeline(preprocess, LogisticRegression())
scores = cross_val_score(model, customers, churned, cv=KFold(5, shuffle=True, random_state=0))
print(f"{n} customers, {churned.mean():.0%} churned; 5-fold accuracy {scores.mean():.3f} ± {scores.std():.3f}")
model.fit(customers, churned)
print("features the model sees:", preprocess.get_feature_names_out().tolist())
new = table([35.0, np.nan, "pro", "Paris"], [63.0, 12.0, "basic", "Hull"])
print("churn probability of two new customers (one in an unknown town, spend unknown):",
      np.round(model.predict_proba(new)[:, 1], 3))
# --8<-- [end:table]


# --8<-- [start:leakage_fit_on_all]
def leaky_and_honest(X, y, first_steps, last_steps, repeats=10):
    """5-fold R² for ``repeats`` shuffles of the rows, two ways: the first steps fitted on ALL rows before
    cross-validation (leaky), and the same steps inside the pipeline, refitted on each training fold (honest)."""
    leaky, honest = [], []
    for seed in range(repeats):
        folds = KFold(5, shuffle=True, random_state=seed)
        prepared = make_pipeline(*first_steps()).fit_transform(X, y)  # has seen every row, test folds included
        leaky.append(cross_val_score(make_pipeline(*last_steps()), prepared, y, cv=folds).mean())
        honest.append(cross_val_score(make_pipeline(*first_steps(), *last_steps()), X, y, cv=folds).mean())
    return np.array(leaky), np.array(honest)


leaky, honest = leaky_and_honest(X, y, lambda: [SimpleImputer(), StandardScaler()], lambda: [Ridge(alpha=1.0)])
print(f"diabetes, imputer + scaler fitted on all rows: R² {leaky.mean():.4f};  inside the pipeline: "
      f"{honest.mean():.4f};  leaky higher in {(leaky > honest).sum()} of {len(leaky)} shuffles")
# --8<-- [end:leakage_fit_on_all]


# --8<-- [start:leakage_selection]
from minml.base import BaseEstimator, TransformerMixin
from minml.validation import check_is_fitted


class MostCorrelated(TransformerMixin, BaseEstimator):
    """Keep the k features most correlated with the target (a supervised preprocessing step)."""

    def __init__(self, k=10):
        self.k = k

    def fit(self, X, y):
        xp = backend.namespace(X)
        Xc, yc = X - X.mean(axis=0), y - y.mean()
        correlation = (Xc * yc[:, None]).sum(axis=0) / xp.sqrt((Xc ** 2).sum(axis=0) * (yc ** 2).sum())
        self.columns_ = xp.argsort(-abs(correlation))[: self.k]
        return self

    def transform(self, X):
        check_is_fitted(self)
        return X[:, self.columns_]


rng = np.random.default_rng(5)
noise = backend.to_device(rng.standard_normal((100, 5000)))  # 100 patients, 5,000 gene readings of pure noise
coin = backend.to_device(rng.normal(size=100))  # a target unrelated to any of them
leaky, honest = leaky_and_honest(noise, coin, lambda: [MostCorrelated(k=20)], lambda: [Ridge(alpha=10.0)], repeats=20)
print(f"pure noise, 20 'best' of 5,000 features chosen on all rows: R² {leaky.mean():.3f};  "
      f"inside the pipeline: {honest.mean():.3f}")
# --8<-- [end:leakage_selection]


# --8<-- [start:leakage_test_set]
from minml.metrics import r2_score
from minml.model_selection import train_test_split

age = names.index("age")

X_train, X_test, y_train, y_test = train_test_split(X_raw, y, test_size=0.25, random_state=0)
scaler = StandardScaler().fit(X_train)
ridge = Ridge(alpha=1.0).fit(scaler.transform(X_train), y_train)
right = ridge.predict(scaler.transform(X_test))
print(f"test R², test set scaled with the training statistics: {r2_score(y_test, right):.3f}")
wrong = ridge.predict(StandardScaler().fit_transform(X_test))  # the test set's own mean and std
print(f"test R², test set scaled with its own statistics:      {r2_score(y_test, wrong):.3f}")
older = X_test[:, age] > 55
wrong_older = ridge.predict(StandardScaler().fit_transform(X_test[older]))
print(f"the same model on the {backend.to_scalar(older.sum())} patients over 55 scaled as a batch of their own: "
      f"predictions move by {backend.to_scalar(abs(wrong_older - right[older]).mean()):.1f} on average")
one = StandardScaler().fit_transform(X_test[:1])
print("a batch of one patient scaled with its own statistics:", backend.asnumpy(one)[0])
# --8<-- [end:leakage_test_set]


# --8<-- [start:leakage_figure]
fig, ax = plt.subplots(figsize=(8, 2.6))
bins = np.linspace(min(honest.min(), leaky.min()), max(honest.max(), leaky.max()), 30)
ax.hist(honest, bins=bins, color=COLOURS[1], alpha=0.8, label="selection inside the pipeline (honest)")
ax.hist(leaky, bins=bins, color=COLOURS[0], alpha=0.8, label="selection on all rows (leaky)")
ax.axvline(0, color="black", linewidth=0.8)
ax.set_xlabel("cross-validated R² on a target that is pure noise (20 shuffles)")
ax.set_yticks([])
ax.legend(frameon=False, fontsize=8, loc="upper left")
fig.tight_layout()
leakage_svg = svg(fig)
# --8<-- [end:leakage_figure]


# --8<-- [start:exercises]
from minml.preprocessing import nan_standardize_stats, one_hot_with_unknown

mean, var, scale = nan_standardize_stats(backend.to_device(np.array([[1.0, 5.0], [np.nan, 5.0], [4.0, 5.0]])))
print("nan_standardize_stats: mean", backend.asnumpy(mean), " var", backend.asnumpy(var),
      " scale", backend.asnumpy(scale), " (a constant column gets scale 1)")
print("one_hot_with_unknown, 'Paris' unknown:\n",
      one_hot_with_unknown(table(["York"], ["Paris"], ["Bath"])[:, 0], table(["Bath"], ["York"])[:, 0], "ignore"))
low, high = iqr_bounds(backend.to_device(np.arange(1.0, 10.0)[:, None]))
print(f"iqr_bounds of 1..9: Q1 = 3, Q3 = 7, IQR = 4 → fences [{backend.asnumpy(low)[0]}, {backend.asnumpy(high)[0]}]")
# --8<-- [end:exercises]
