"""Lesson 08 — Decision trees and ensembles.

A decision tree asks one yes/no question of one feature at a time — "is x_j ≤ t?" — and
predicts with the majority class (or the mean) of the training samples that answer the
same way. This lesson builds one from its parts: an impurity that scores a node, the
greedy search for the best question (exactly, then from histograms), growing and
stopping, and then the two ways of combining many trees: averaging decorrelated deep
trees (bagging, random forests, with the out-of-bag estimate of their error) and adding
small trees one after the other, each a step of gradient descent in the space of
functions (gradient boosting, in XGBoost's second-order form).

Run it on its own (``python lessons/08_trees.py``); the course page docs/lessons/08-trees.md
runs the same sections one by one. The data live on the default device (``MINML_DEVICE``),
so the lesson runs unchanged on a GPU.
"""

# --8<-- [start:impurity]
import numpy as np

from minml import backend
from minml.tree.splitter import gini_impurity


def entropy(class_weights):
    """Entropy −Σ_k p_k log2 p_k of each row of class weights, in bits (0 · log 0 = 0)."""
    xp = backend.namespace(class_weights)
    p = class_weights / class_weights.sum(axis=-1, keepdims=True)
    return 0.0 - (p * xp.log2(xp.where(p > 0, p, 1.0))).sum(axis=-1)  # 0.0 - …: no -0.0 for a pure node


nodes = backend.to_device(np.array([[10.0, 0.0], [9.0, 1.0], [7.0, 3.0], [5.0, 5.0]]))
three = backend.to_device(np.array([[10.0, 0.0, 0.0], [4.0, 3.0, 3.0], [1.0, 1.0, 1.0]]))
for label, weights in (("two classes", nodes), ("three classes", three)):
    print(f"{label}: class counts → Gini, entropy (bits)")
    for row, g, h in zip(backend.asnumpy(weights), backend.asnumpy(gini_impurity(weights)),
                         backend.asnumpy(entropy(weights))):
        print(f"   {str(row.astype(int).tolist()):12s} → {g:.3f}, {h:.3f}")
# --8<-- [end:impurity]


# --8<-- [start:impurity_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

COLOURS = ["#3949ab", "#ef6c00", "#2e7d32", "#8e24aa", "#c62828"]

p = np.linspace(0.0, 1.0, 201)
two_class = backend.to_device(np.stack([p, 1 - p], axis=1))
fig, ax = plt.subplots(figsize=(5.5, 3.2))
ax.plot(p, backend.asnumpy(gini_impurity(two_class)), color=COLOURS[0], label="Gini 1 − Σ p²")
ax.plot(p, backend.asnumpy(entropy(two_class)) / 2, color=COLOURS[1], label="entropy / 2 (bits)")
ax.plot(p, np.minimum(p, 1 - p), color=COLOURS[2], linestyle="--", label="misclassification 1 − max p")
ax.set(xlabel="fraction of class 1 in the node", ylabel="impurity")
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
impurity_svg = svg(fig)
# --8<-- [end:impurity_figure]


# --8<-- [start:best_split]
from minml.datasets import make_moons
from minml.tree import DecisionTreeClassifier, export_text
from minml.tree.exact_split import best_threshold

X_host, y_host = make_moons(200, noise=0.3, random_state=0)
X, y = backend.to_device(X_host), backend.to_device(y_host)
for j in range(2):
    threshold, decrease = best_threshold(X[:, j], y, 2)
    print(f"feature {j}: best threshold {threshold:+.4f}, Gini decrease {decrease:.4f}")

stump = DecisionTreeClassifier(max_depth=1, split_finder="exact").fit(X, y)
root = stump.tree_
print(f"the exact tree's root: feature {backend.to_scalar(root.feature[0])}, "
      f"threshold {backend.to_scalar(root.threshold[0]):+.4f}")
print(export_text(DecisionTreeClassifier(max_depth=2, split_finder="exact").fit(X, y),
                  feature_names=["x0", "x1"]))
# --8<-- [end:best_split]


# --8<-- [start:histograms]
import time

from minml.datasets import make_classification


def same_tree(a, b, X):
    """Do two fitted trees ask the same questions and put every training sample in the same leaf?"""
    ta, tb = a.tree_, b.tree_
    return (ta.node_count == tb.node_count
            and bool(np.array_equal(backend.asnumpy(ta.feature), backend.asnumpy(tb.feature)))
            and bool(np.array_equal(backend.asnumpy(a.apply(X)), backend.asnumpy(b.apply(X)))))


exact = DecisionTreeClassifier(split_finder="exact").fit(X, y)
binned = DecisionTreeClassifier(split_finder="hist").fit(X, y)  # at most 255 bins: here one per distinct value
print(f"moons, 200 samples: {exact.tree_.node_count} nodes; same tree by histograms: {same_tree(exact, binned, X)}")

X_big, y_big = make_classification(10_000, n_features=20, n_informative=10, random_state=0)
X_big, y_big = backend.to_device(X_big), backend.to_device(y_big)
train, test = slice(0, 8_000), slice(8_000, None)
for finder, max_bins in (("exact", 255), ("hist", 255), ("hist", 16)):
    start = time.perf_counter()
    model = DecisionTreeClassifier(max_depth=10, split_finder=finder, max_bins=max_bins).fit(X_big[train],
                                                                                            y_big[train])
    seconds = time.perf_counter() - start
    label = "exact (every distinct value)" if finder == "exact" else f"histograms, max_bins={max_bins}"
    print(f"{label:29s}: fit {seconds:5.2f} s, test accuracy "
          f"{model.score(X_big[test], y_big[test]):.3f}")
# --8<-- [end:histograms]


# --8<-- [start:growing]
from minml.model_selection import train_test_split

X_moons, y_moons = make_moons(1000, noise=0.35, random_state=1)
X_train, X_test, y_train, y_test = train_test_split(backend.to_device(X_moons), backend.to_device(y_moons),
                                                    test_size=0.5, random_state=0)
depths = list(range(1, 16))
by_depth = []
for depth in depths:
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
    by_depth.append((tree.score(X_train, y_train), tree.score(X_test, y_test), tree.get_n_leaves()))
leaf_sizes = [1, 2, 5, 10, 20, 50, 100]
by_leaf = []
for size in leaf_sizes:
    tree = DecisionTreeClassifier(min_samples_leaf=size, random_state=0).fit(X_train, y_train)
    by_leaf.append((tree.score(X_train, y_train), tree.score(X_test, y_test), tree.get_n_leaves()))
for label, values, rows in (("max_depth", depths, by_depth), ("min_samples_leaf", leaf_sizes, by_leaf)):
    best = int(np.argmax([test for _, test, _ in rows]))
    print(f"{label:16s}: train/test accuracy {rows[0][0]:.3f}/{rows[0][1]:.3f} at {values[0]}, "
          f"{rows[-1][0]:.3f}/{rows[-1][1]:.3f} at {values[-1]}; best test {rows[best][1]:.3f} at {values[best]} "
          f"({rows[best][2]} leaves)")
# --8<-- [end:growing]


# --8<-- [start:growing_figure]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
for ax, label, values, rows in ((axes[0], "max_depth", depths, by_depth),
                                (axes[1], "min_samples_leaf", leaf_sizes, by_leaf)):
    ax.plot(values, [1 - r[0] for r in rows], "o-", color=COLOURS[0], markersize=3, label="training error")
    ax.plot(values, [1 - r[1] for r in rows], "o-", color=COLOURS[1], markersize=3, label="test error")
    ax.set(xlabel=label)
axes[1].set_xscale("log")
axes[0].set_ylabel("error")
axes[0].legend(frameon=False, fontsize=8)
fig.tight_layout()
growing_svg = svg(fig)
# --8<-- [end:growing_figure]


# --8<-- [start:regions_figure]
from minml.ensemble import GradientBoostingClassifier, RandomForestClassifier
from minml.plot import plot_decision_boundary

models = {
    "tree, max_depth=2": DecisionTreeClassifier(max_depth=2),
    "tree, grown until pure": DecisionTreeClassifier(random_state=0),
    "tree, min_samples_leaf=20": DecisionTreeClassifier(min_samples_leaf=20, random_state=0),
    "random forest, 100 trees": RandomForestClassifier(100, random_state=0),
    "gradient boosting, 100 rounds": GradientBoostingClassifier(n_estimators=100, max_depth=2),
}
fig, axes = plt.subplots(1, len(models), figsize=(15, 3.2))
for ax, (name, model) in zip(axes, models.items()):
    model.fit(X_train, y_train)
    plot_decision_boundary(model, X_train, y_train, grid_resolution=120, ax=ax)
    ax.set_title(f"{name}\ntest accuracy {model.score(X_test, y_test):.3f}", fontsize=9)
    ax.set(xlabel="", ylabel="", xticks=[], yticks=[])
fig.tight_layout()
regions_svg = svg(fig)
# --8<-- [end:regions_figure]


# --8<-- [start:forest]
X_rf, y_rf = make_classification(2000, n_features=20, n_informative=5, flip_y=0.05, random_state=1)
Xf_train, Xf_test, yf_train, yf_test = train_test_split(backend.to_device(X_rf), backend.to_device(y_rf),
                                                        test_size=0.5, random_state=0)
single = DecisionTreeClassifier(random_state=0).fit(Xf_train, yf_train)
print(f"one deep tree: {single.get_n_leaves()} leaves, training error {1 - single.score(Xf_train, yf_train):.3f}, "
      f"test error {1 - single.score(Xf_test, yf_test):.3f}")
n_trees = [1, 3, 10, 30, 100]
forest_rows = []
print("trees   bagging: OOB error, test error   random forest: OOB error, test error")
for n in n_trees:
    bagged = RandomForestClassifier(n, max_features=None, oob_score=True, random_state=0).fit(Xf_train, yf_train)
    forest = RandomForestClassifier(n, oob_score=True, random_state=0).fit(Xf_train, yf_train)  # √20 = 4 per split
    row = (1 - bagged.oob_score_, 1 - bagged.score(Xf_test, yf_test),
           1 - forest.oob_score_, 1 - forest.score(Xf_test, yf_test))
    forest_rows.append(row)
    print(f"{n:5d}   {row[0]:18.3f}, {row[1]:10.3f}   {row[2]:24.3f}, {row[3]:10.3f}")
# --8<-- [end:forest]


# --8<-- [start:forest_figure]
fig, ax = plt.subplots(figsize=(6, 3.2))
curves = [(0, COLOURS[2], "--", "bagging, out-of-bag"), (1, COLOURS[2], "-", "bagging, test"),
          (2, COLOURS[0], "--", "random forest, out-of-bag"), (3, COLOURS[0], "-", "random forest, test")]
for column, colour, linestyle, label in curves:
    ax.plot(n_trees, [row[column] for row in forest_rows], "o", color=colour, linestyle=linestyle, markersize=3,
            label=label)
ax.axhline(1 - single.score(Xf_test, yf_test), color="grey", linestyle=":", linewidth=1, label="one deep tree, test")
ax.set(xscale="log", xlabel="number of trees", ylabel="error")
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
forest_svg = svg(fig)
# --8<-- [end:forest_figure]


# --8<-- [start:function_space]
from minml.ensemble import GradientBoostingRegressor
from minml.tree import DecisionTreeRegressor

rng = np.random.default_rng(2)
x_host = np.sort(rng.uniform(0, 6, 200))
t = backend.to_device(np.sin(x_host) + 0.3 * x_host + rng.normal(0, 0.25, x_host.size))
x = backend.to_device(x_host[:, None])

learning_rate, rounds = 0.3, 30
F = backend.namespace(t).zeros_like(t) + t.mean()  # F₀: the best constant
for m in range(1, rounds + 1):
    negative_gradient = t - F  # −∂/∂F ½(t − F)²: the residuals
    step = DecisionTreeRegressor(max_depth=2).fit(x, negative_gradient)  # the gradient, projected onto trees
    F = F + learning_rate * step.predict(x)
    if m in (1, 3, 10, 30):
        print(f"round {m:2d}: training loss ½·mean (t − F)² = {backend.to_scalar(((t - F) ** 2).mean()) / 2:.4f}")

library = GradientBoostingRegressor(n_estimators=rounds, learning_rate=learning_rate, max_depth=2, reg_lambda=0.0,
                                    min_child_weight=0.0).fit(x, t)
print(f"GradientBoostingRegressor (λ = 0), same rounds: max |difference| "
      f"{backend.to_scalar(abs(library.predict(x) - F).max()):.1e}")
# --8<-- [end:function_space]


# --8<-- [start:second_order]
from minml.tree.splitter import newton_leaf_value

xp = backend.namespace(X_train)
labels = y_train.astype(np.float64)
p0 = backend.to_scalar(labels.mean())
F0 = np.log(p0 / (1 - p0))  # the best constant log-odds
g = p0 - labels  # gradient of the log-loss at F₀: p − y
h = xp.full_like(labels, p0 * (1 - p0))  # hessian: p(1 − p)
reg_lambda = 1.0
booster = GradientBoostingClassifier(n_estimators=1, learning_rate=1.0, max_depth=1, reg_lambda=reg_lambda,
                                     min_child_weight=0.0).fit(X_train, y_train)
first = booster.estimators_[0][0]
feature, threshold = backend.to_scalar(first.feature[0]), backend.to_scalar(first.threshold[0])
left = X_train[:, feature] <= threshold
G = xp.stack([g[left].sum(), g[~left].sum()])
H = xp.stack([h[left].sum(), h[~left].sum()])
w = newton_leaf_value(G, H, reg_lambda)
gain = 0.5 * (G[0] ** 2 / (H[0] + reg_lambda) + G[1] ** 2 / (H[1] + reg_lambda)
              - G.sum() ** 2 / (H.sum() + reg_lambda))
print(f"F₀ = log(p/(1−p)) = {F0:.4f};  root split: feature {feature} ≤ {threshold:.4f}")
print(f"G = {np.round(backend.asnumpy(G), 3)}, H = {np.round(backend.asnumpy(H), 3)}, λ = {reg_lambda}")
print(f"Newton leaf values −G/(H+λ) = {np.round(backend.asnumpy(w), 4)};  XGBoost gain {backend.to_scalar(gain):.3f}")
print(f"the booster's leaves:          {np.round(backend.asnumpy(first.value[1:, 0, 0]), 4)}")
# --8<-- [end:second_order]


# --8<-- [start:staged]
X_gb, y_gb = make_classification(2000, n_features=20, n_informative=8, flip_y=0.05, random_state=3)
Xg_train, Xg_test, yg_train, yg_test = train_test_split(backend.to_device(X_gb), backend.to_device(y_gb),
                                                        test_size=0.5, random_state=0)
staged = {}
for rate in (1.0, 0.3, 0.1):
    booster = GradientBoostingClassifier(n_estimators=200, learning_rate=rate, max_depth=3).fit(Xg_train, yg_train)
    staged[rate] = ([backend.to_scalar((pred != yg_train).mean()) for pred in booster.staged_predict(Xg_train)],
                    [backend.to_scalar((pred != yg_test).mean()) for pred in booster.staged_predict(Xg_test)])
    train_err, test_err = staged[rate]
    best = int(np.argmin(test_err))
    print(f"learning rate {rate:4.2f}: after 200 rounds train error {train_err[-1]:.3f}, test error "
          f"{test_err[-1]:.3f}; lowest test error {test_err[best]:.3f} after {best + 1} rounds")
# --8<-- [end:staged]


# --8<-- [start:staged_figure]
fig, ax = plt.subplots(figsize=(6.5, 3.4))
for colour, (rate, (train_err, test_err)) in zip(COLOURS, staged.items()):
    rounds_axis = np.arange(1, len(test_err) + 1)
    ax.plot(rounds_axis, train_err, color=colour, linestyle="--", linewidth=1)
    ax.plot(rounds_axis, test_err, color=colour, label=f"learning rate {rate}")
ax.set(xscale="log", xlabel="boosting rounds", ylabel="error (dashed: training)")
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
staged_svg = svg(fig)
# --8<-- [end:staged_figure]


# --8<-- [start:exercises]
print("gini_impurity([[3, 1], [0, 0]]) =", backend.asnumpy(gini_impurity(backend.to_device(np.array([[3.0, 1.0],
                                                                                                   [0.0, 0.0]])))))
print("newton_leaf_value(G=[-4, 2], H=[2, 1], λ=1) =",
      backend.asnumpy(newton_leaf_value(backend.to_device(np.array([-4.0, 2.0])),
                                        backend.to_device(np.array([2.0, 1.0])), 1.0)))
threshold, decrease = best_threshold(backend.to_device(np.array([4.0, 1.0, 3.0, 2.0])),
                                     backend.to_device(np.array([1, 0, 1, 0])), 2)
print(f"best_threshold(x=[4, 1, 3, 2], y=[1, 0, 1, 0]) = ({threshold}, {decrease})")
# --8<-- [end:exercises]
