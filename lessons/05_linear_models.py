"""Lesson 05 — Linear models.

A linear model predicts with a weighted sum of the features, ŷ = x·w + b. This lesson fits
one four ways: least squares by the normal equations and by QR (and why QR: the normal
equations square the condition number), ridge regression and the bias–variance trade-off its
penalty controls, the lasso by coordinate descent and soft thresholding (sparse weights), and
logistic regression by Newton's method, which converges in a handful of steps. The ridge and
lasso regularisation paths are drawn as figures.

Run it on its own (``python lessons/05_linear_models.py``); the course page
docs/lessons/05-linear-models.md runs the same sections one by one. The data live on the
default device (``MINML_DEVICE``), so the lesson runs unchanged on a GPU.
"""

# --8<-- [start:conditioning]
import numpy as np

from minml import backend
from minml.linear import LinearRegression

x = np.linspace(0.0, 1.0, 100)


def condition_number(A):
    """κ(A) = σ_max / σ_min, the ratio of the largest to the smallest singular value."""
    singular = backend.namespace(A).linalg.svd(A, compute_uv=False)
    return backend.to_scalar(singular[0] / singular[-1])


def relative_error(w, w_true):
    xp = backend.namespace(w)
    return backend.to_scalar(xp.linalg.norm(w - w_true) / xp.linalg.norm(w_true))


print("degree   κ(X)     κ(X)²    error: normal equations   QR       LinearRegression")
for degree in (4, 6, 8, 10, 12):
    X = backend.to_device(x[:, None] ** np.arange(degree + 1))  # columns 1, x, x², ..., x^degree
    xp = backend.namespace(X)
    w_true = xp.ones(degree + 1)
    y = X @ w_true  # an exact fit exists: every error below is rounding

    w_normal = backend.solve(X.T @ X, X.T @ y)  # XᵀX w = Xᵀy
    Q, R = xp.linalg.qr(X)  # X = QR, QᵀQ = I, R upper triangular
    w_qr = backend.solve(R, Q.T @ y)  # R w = Qᵀy
    w_sklearn_style = LinearRegression(fit_intercept=False).fit(X, y).coef_
    kappa = condition_number(X)
    print(f"{degree:6d}  {kappa:8.1e}  {kappa ** 2:8.1e}   {relative_error(w_normal, w_true):20.1e}  "
          f"{relative_error(w_qr, w_true):8.1e}  {relative_error(w_sklearn_style, w_true):8.1e}")
# --8<-- [end:conditioning]


# --8<-- [start:bias_variance]
from minml.linear import ridge_solution

rng = np.random.default_rng(0)
n, p, noise, repeats = 40, 30, 1.0, 500
mixing = rng.normal(size=(p, p)) / np.sqrt(p)
X_host = rng.normal(size=(n, p)) @ (np.eye(p) + 0.9 * mixing)  # correlated features
X_test_host = rng.normal(size=(200, p)) @ (np.eye(p) + 0.9 * mixing)
w_true_host = rng.normal(size=p)
X, X_test = backend.to_device(X_host), backend.to_device(X_test_host)
f_train, f_test = X @ backend.to_device(w_true_host), X_test @ backend.to_device(w_true_host)
# `repeats` training sets: the same inputs, fresh noise each time; one column of Y per training set.
Y = f_train[:, None] + backend.to_device(rng.normal(0.0, noise, (n, repeats)))

alphas = np.logspace(-2, 3, 26)
bias2, variance = [], []
for alpha in alphas:
    W = ridge_solution(X, Y, float(alpha))  # (p, repeats): one fit per training set, in one solve
    predictions = X_test @ W  # (test points, repeats)
    average = predictions.mean(axis=1)
    bias2.append(backend.to_scalar(((average - f_test) ** 2).mean()))
    variance.append(backend.to_scalar(predictions.var(axis=1).mean()))
bias2, variance = np.array(bias2), np.array(variance)
error = bias2 + variance + noise ** 2  # expected squared error on a new (x, y)

for i in range(0, len(alphas), 5):
    print(f"alpha {alphas[i]:8.2f}:  bias² {bias2[i]:6.2f}  variance {variance[i]:6.2f}  "
          f"expected test error {error[i]:6.2f}")
best = int(np.argmin(error))
print(f"best alpha {alphas[best]:.2f}: expected test error {error[best]:.2f} "
      f"(least squares, alpha → 0: {error[0]:.2f}; the noise alone: {noise ** 2:.2f})")
# --8<-- [end:bias_variance]


# --8<-- [start:bias_variance_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

COLOURS = ["#ef6c00", "#3949ab", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a", "#f9a825",
           "#ad1457"]

fig, ax = plt.subplots(figsize=(8, 3.2))
ax.plot(alphas, bias2, color=COLOURS[0], label="bias²")
ax.plot(alphas, variance, color=COLOURS[1], label="variance")
ax.plot(alphas, error, color="black", label="expected test error\n= bias² + variance + noise")
ax.axhline(noise ** 2, color="#9e9e9e", linestyle=":", label="noise (irreducible)")
ax.axvline(alphas[best], color=COLOURS[2], linestyle="--", linewidth=1)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("ridge penalty α")
ax.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
fig.tight_layout()
bias_variance_svg = svg(fig)
# --8<-- [end:bias_variance_figure]


# --8<-- [start:ridge_path]
from minml.datasets import load_diabetes
from minml.linear import Lasso, Ridge

diabetes = load_diabetes()  # each column centred, sum of squares 1
names = diabetes.feature_names
X_diabetes, y_diabetes = backend.to_device(diabetes.data), backend.to_device(diabetes.target)

ridge_alphas = np.logspace(-4, 2, 40)
ridge_path = np.array([backend.asnumpy(Ridge(alpha=a).fit(X_diabetes, y_diabetes).coef_) for a in ridge_alphas])
print("ridge weights at alpha = 1e-4 (almost least squares):", np.round(ridge_path[0]).astype(int))
print("ridge weights at alpha = 100:                         ", np.round(ridge_path[-1], 1))
print("weights exactly zero along the whole ridge path:", int((ridge_path == 0).sum()))
# --8<-- [end:ridge_path]


# --8<-- [start:soft_threshold]
from minml.linear import soft_threshold

z = backend.to_device(np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]))
print("z          ", backend.asnumpy(z))
print("S(z, γ = 1)", backend.asnumpy(soft_threshold(z, 1.0)) + 0.0)  # + 0.0 turns −0.0 into 0.0
# --8<-- [end:soft_threshold]


# --8<-- [start:lasso_by_hand]
def lasso_coordinate_descent(X, y, alpha, sweeps=200):
    """Minimise (1/(2n))‖y − Xw‖² + α‖w‖₁ one weight at a time (X and y centred)."""
    xp = backend.namespace(X, y)
    n, p = X.shape
    w = xp.zeros(p)
    r = y.copy()  # the residual y − Xw
    squared_norms = (X ** 2).sum(axis=0)
    for _ in range(sweeps):
        for j in range(p):
            z_j = X[:, j] @ r + squared_norms[j] * w[j]  # xⱼᵀ(r + xⱼwⱼ): the fit of xⱼ to what the others leave
            new = soft_threshold(z_j, n * alpha) / squared_norms[j]
            r -= X[:, j] * (new - w[j])
            w[j] = new
    return w


y_centred = y_diabetes - y_diabetes.mean()
by_hand = lasso_coordinate_descent(X_diabetes, y_centred, alpha=0.1)
lasso = Lasso(alpha=0.1).fit(X_diabetes, y_diabetes)
print("by hand:", np.round(backend.asnumpy(by_hand), 2) + 0.0)
print("Lasso:  ", np.round(backend.asnumpy(lasso.coef_), 2) + 0.0, f"({lasso.n_iter_} sweeps)")
print("features kept:", [name for name, weight in zip(names, backend.asnumpy(lasso.coef_)) if weight != 0])
# --8<-- [end:lasso_by_hand]


# --8<-- [start:lasso_path]
lasso_alphas = np.logspace(-3, 1, 40)[::-1]  # from strong to weak, so each fit warm-starts from the last
lasso = Lasso(warm_start=True)
lasso_path = np.array([backend.asnumpy(lasso.set_params(alpha=a).fit(X_diabetes, y_diabetes).coef_)
                       for a in lasso_alphas])
nonzero = lasso_path != 0
entry = np.where(nonzero.any(axis=0), np.argmax(nonzero, axis=0), len(lasso_alphas))  # first α where wⱼ ≠ 0
print("the order in which features enter the lasso as α falls:", [names[j] for j in np.argsort(entry, kind="stable")])
for a, weights in list(zip(lasso_alphas, lasso_path))[::8]:
    print(f"alpha {a:7.3f}: {int((weights != 0).sum()):2d} non-zero weights")
# --8<-- [end:lasso_path]


# --8<-- [start:paths_figure]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for j, name in enumerate(names):
    left.plot(ridge_alphas, ridge_path[:, j], color=COLOURS[j], label=name)
    right.plot(lasso_alphas, lasso_path[:, j], color=COLOURS[j])
for ax, title in ((left, "ridge: every weight shrinks, none reaches 0"),
                  (right, "lasso: weights hit 0 one after another")):
    ax.set_xscale("log")
    ax.invert_xaxis()  # strong penalty on the left, weak on the right
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("penalty α (log scale, decreasing →)")
    ax.set_title(title, fontsize=10)
left.set_ylabel("weight")
left.legend(frameon=False, fontsize=7, ncol=2)
fig.tight_layout()
paths_svg = svg(fig)
# --8<-- [end:paths_figure]


# --8<-- [start:newton]
from minml.datasets import load_breast_cancer
from minml.linear import LogisticRegression, logistic_loss_grad_hess
from minml.preprocessing import StandardScaler

X_cancer, y_cancer = load_breast_cancer(return_X_y=True)
X_cancer = StandardScaler().fit_transform(backend.to_device(X_cancer))
y01 = backend.to_device(y_cancer.astype(np.float64))
xp = backend.namespace(X_cancer)
X1 = xp.concatenate([X_cancer, xp.ones((X_cancer.shape[0], 1))], axis=1)  # a column of ones: the intercept
C = 1.0
alpha = xp.full(X1.shape[1], 1.0 / C)
alpha[-1] = 0.0  # the intercept is not penalised

w = xp.zeros(X1.shape[1])
newton_gradients = []
for step in range(10):
    loss, grad, hess = logistic_loss_grad_hess(w, X1, y01, alpha)
    newton_gradients.append(backend.to_scalar(xp.abs(grad).max()))
    print(f"Newton step {step}: loss {backend.to_scalar(loss):12.8f}   max |gradient| {newton_gradients[-1]:.1e}")
    w = w - backend.solve(hess, grad)  # w ← w − H⁻¹g

model = LogisticRegression(C=C, tol=1e-8).fit(X_cancer, y01)  # tol: on max |gradient| / n
print(f"LogisticRegression(solver='newton'): {backend.to_scalar(model.n_iter_[0])} iterations; largest difference "
      f"from the hand-made Newton weights {backend.to_scalar(xp.abs(model.coef_[0] - w[:-1]).max()):.1e}")
lbfgs = LogisticRegression(C=C, solver="lbfgs", tol=1e-8, max_iter=1000).fit(X_cancer, y01)
print(f"LogisticRegression(solver='lbfgs'):  {backend.to_scalar(lbfgs.n_iter_[0])} iterations")
# --8<-- [end:newton]


# --8<-- [start:gradient_descent]
_, _, hess_at_zero = logistic_loss_grad_hess(xp.zeros(X1.shape[1]), X1, y01, alpha)
largest_curvature = 4 * backend.to_scalar(xp.linalg.eigvalsh(hess_at_zero)[-1])  # σ(1 − σ) ≤ ¼, = ¼ at w = 0
v = xp.zeros(X1.shape[1])
descent_gradients = []
for _ in range(2000):
    _, grad, _ = logistic_loss_grad_hess(v, X1, y01, alpha)
    descent_gradients.append(backend.to_scalar(xp.abs(grad).max()))
    v = v - grad / largest_curvature  # the largest step that is always safe: 1/L
for step in (10, 100, 1000, 1999):
    print(f"gradient descent step {step:4d}: max |gradient| {descent_gradients[step]:.1e}")
# --8<-- [end:gradient_descent]


# --8<-- [start:convergence_figure]
fig, ax = plt.subplots(figsize=(7, 3.0))
ax.semilogy(range(len(newton_gradients)), newton_gradients, "o-", color=COLOURS[0], label="Newton's method")
ax.semilogy(range(len(descent_gradients)), descent_gradients, color=COLOURS[1], label="gradient descent, step 1/L")
ax.set_xscale("symlog", linthresh=10)
ax.set_xlabel("iteration")
ax.set_ylabel("max |gradient|")
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
convergence_svg = svg(fig)
# --8<-- [end:convergence_figure]


# --8<-- [start:exercises]
X_small = backend.to_device(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
y_small = backend.to_device(np.array([1.0, 2.0, 3.0]))
print("ridge_solution, alpha = 1:", backend.asnumpy(ridge_solution(X_small, y_small, 1.0)),
      " (XᵀX + I = [[3, 1], [1, 3]], Xᵀy = [4, 5])")
print("soft_threshold([-2, 0.3, 2], 0.5):", backend.asnumpy(soft_threshold(backend.to_device(np.array([-2, 0.3, 2.0])),
                                                                           0.5)))
loss, grad, hess = logistic_loss_grad_hess(backend.to_device(np.zeros(2)), X_small, backend.to_device(
    np.array([1.0, 0.0, 1.0])))
print(f"logistic_loss_grad_hess at w = 0: loss {backend.to_scalar(loss):.4f} (= 3·log 2),  gradient",
      backend.asnumpy(grad), " Hessian", backend.asnumpy(hess).tolist(), "(σ(1 − σ) = ¼ everywhere)")
# --8<-- [end:exercises]
