"""Lesson 09 — Support vector machines.

A support vector machine draws the boundary between two classes that stays as far as possible
from both: the maximum-margin hyperplane. This lesson builds it up in the order the ideas came:
the margin, the hinge loss that lets some points break it (and Pegasos, a stochastic
sub-gradient method that minimises it), the dual problem in which only inner products of the
data appear, kernels that replace those inner products and bend the boundary (the kernel trick),
SMO, the two-variable step that solves the dual, and briefly SVR and LinearSVC.

Run it on its own (``python lessons/09_svm.py``); the course page docs/lessons/09-svm.md runs
the same sections one by one. Data live on the default device (``MINML_DEVICE``), so the lesson
runs unchanged on a GPU; figures and the hand-run SMO of a seven-point problem work on the host.
"""

# --8<-- [start:margin]
import numpy as np

from minml import backend
from minml.datasets import make_blobs
from minml.linear.logistic import LogisticRegression
from minml.svm import SVC

X_host, y_host = make_blobs(40, centers=[[-1.5, -1.0], [1.5, 1.0]], cluster_std=0.7, random_state=1)
X, y = backend.to_device(X_host), backend.to_device(y_host)
signs = 2.0 * y_host - 1  # the labels as ±1

hard = SVC(kernel="linear", C=1e4).fit(X, y)  # a huge C: no point may break the margin
w, b = backend.asnumpy(hard.coef_)[0], backend.asnumpy(hard.intercept_)[0]
functional = signs * (X_host @ w + b)  # yᵢ f(xᵢ): ≥ 1 for every point, = 1 on the margin
print(f"w = {np.round(w, 3)}, b = {b:.3f};  margin width 2/‖w‖ = {2 / np.linalg.norm(w):.3f}")
print(f"min yᵢ f(xᵢ) = {functional.min():.4f};  support vectors: {backend.asnumpy(hard.support_)} "
      f"(yᵢ f(xᵢ) = {np.round(functional[backend.asnumpy(hard.support_)], 4)})")

logistic = LogisticRegression(C=1e4).fit(X, y)
w_lr, b_lr = backend.asnumpy(logistic.coef_)[0], backend.asnumpy(logistic.intercept_)[0]
for name, (v, c) in {"SVM": (w, b), "logistic regression": (w_lr, b_lr)}.items():
    distance = (signs * (X_host @ v + c)).min() / np.linalg.norm(v)
    print(f"{name:19s}: distance from the boundary to the closest point {distance:.3f}")
# --8<-- [end:margin]


# --8<-- [start:margin_figure]
import matplotlib

matplotlib.use("Agg")  # draw to strings, never to a window
import matplotlib.pyplot as plt

from minml.plot import svg

COLOURS = ["#ef6c00", "#3949ab"]


def draw_points(ax, X, y, support=None, ring=90):
    """The two classes in orange and blue; support vectors ringed in black."""
    y = np.asarray(y)
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y == y.max(), COLOURS[1], COLOURS[0]), s=18, zorder=3)
    if support is not None:
        ax.scatter(X[support, 0], X[support, 1], s=ring, facecolors="none", edgecolors="black", linewidths=1.2,
                   zorder=4)


fig, ax = plt.subplots(figsize=(5.5, 4.2))
draw_points(ax, X_host, y_host, backend.asnumpy(hard.support_))
xs = np.linspace(X_host[:, 0].min() - 0.5, X_host[:, 0].max() + 0.5, 2)
for level, style in ((0, "-"), (1, "--"), (-1, "--")):
    ax.plot(xs, (level - b - w[0] * xs) / w[1], "k" + style, linewidth=1)
ax.plot(xs, -(b_lr + w_lr[0] * xs) / w_lr[1], color="#9e9e9e", linestyle=":", label="logistic regression")
ax.set_ylim(X_host[:, 1].min() - 0.5, X_host[:, 1].max() + 0.5)
ax.legend(frameon=False, fontsize=8, loc="upper left")
ax.set_title("f(x) = 0 and the margins f(x) = ±1; support vectors ringed", fontsize=9)
fig.tight_layout()
margin_svg = svg(fig)
# --8<-- [end:margin_figure]


# --8<-- [start:losses]
margins = np.linspace(-2, 3, 400)  # m = y f(x)
losses = {
    "0-1 loss": (margins <= 0).astype(float),
    "hinge max(0, 1 − m)": np.maximum(0, 1 - margins),
    "squared hinge": np.maximum(0, 1 - margins) ** 2,
    "logistic log₂(1 + e⁻ᵐ)": np.log2(1 + np.exp(-margins)),
}
fig, ax = plt.subplots(figsize=(5.5, 3.2))
for (label, loss), colour in zip(losses.items(), ["black", COLOURS[0], "#8e24aa", COLOURS[1]]):
    ax.plot(margins, loss, label=label, color=colour, linewidth=1.5)
ax.set(xlabel="margin m = y·f(x)", ylabel="loss", ylim=(-0.1, 4))
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
losses_svg = svg(fig)
# --8<-- [end:losses]


# --8<-- [start:pegasos]
from minml.datasets import load_breast_cancer
from minml.preprocessing import StandardScaler
from minml.svm import pegasos_step

cancer = load_breast_cancer()
X_cancer = StandardScaler().fit_transform(backend.to_device(cancer.data))
y_cancer = backend.to_device(2.0 * cancer.target - 1)  # malignant −1, benign +1
xp = backend.namespace(X_cancer)
X1 = xp.concatenate([X_cancer, xp.ones((X_cancer.shape[0], 1))], axis=1)  # a constant column: the intercept
n = X1.shape[0]


def primal_objective(w, lam):
    """f(w) = λ/2 ‖w‖² + (1/n) Σ max(0, 1 − yᵢ w·xᵢ)."""
    hinge = xp.maximum(0.0, 1 - y_cancer * (X1 @ w))
    return backend.to_scalar(lam / 2 * (w @ w) + hinge.mean())


lam, steps = 1e-2, 3000
checkpoints = np.unique(np.r_[np.geomspace(1, steps, 40).astype(int), 10, 100, 1000])
curves = {}
for batch_size in (1, 32):
    rng = backend.rng(0, backend.device_of(X1))
    w_t, curve = xp.zeros(X1.shape[1]), {}
    for t in range(1, steps + 1):
        batch = rng.integers(0, n, size=batch_size)
        w_t = pegasos_step(w_t, X1[batch], y_cancer[batch], lam, t)
        if t in checkpoints:
            curve[t] = primal_objective(w_t, lam)
    curves[batch_size] = curve
    accuracy = backend.to_scalar(((X1 @ w_t > 0) == (y_cancer > 0)).mean())
    print(f"batch {batch_size:2d}: f(w) after 10, 100, 1000, {steps} steps: "
          + ", ".join(f"{curve[s]:.4f}" for s in (10, 100, 1000, steps))
          + f";  training accuracy {accuracy:.3f}")
# --8<-- [end:pegasos]


# --8<-- [start:pegasos_figure]
fig, ax = plt.subplots(figsize=(5.5, 3.2))
for (batch_size, curve), colour in zip(curves.items(), COLOURS):
    ax.plot(list(curve), list(curve.values()), color=colour, marker=".", label=f"mini-batches of {batch_size}")
ax.set(xscale="log", yscale="log", xlabel="step t", ylabel="f(w) = λ/2‖w‖² + mean hinge")
ax.legend(frameon=False, fontsize=8)
fig.tight_layout()
pegasos_svg = svg(fig)
# --8<-- [end:pegasos_figure]


# --8<-- [start:dual]
C = 0.1
svc = SVC(kernel="linear", C=C).fit(X_cancer, y_cancer)
support = backend.asnumpy(svc.support_)
alpha_y = backend.asnumpy(svc.dual_coef_)[0]  # αᵢ yᵢ for each support vector
alpha = np.abs(alpha_y)
X_host_cancer, y_host_cancer = backend.asnumpy(X_cancer), backend.asnumpy(y_cancer)
w_dual = alpha_y @ X_host_cancer[support]  # w = Σ αᵢ yᵢ xᵢ
print(f"{len(support)} of {n} samples are support vectors;  max |Σ αᵢyᵢxᵢ − coef_| = "
      f"{np.abs(w_dual - backend.asnumpy(svc.coef_)[0]).max():.1e};  Σ αᵢyᵢ = {alpha_y.sum():.1e}")

f_all = y_host_cancer * backend.asnumpy(svc.decision_function(X_cancer))  # yᵢ f(xᵢ) for every sample
on_margin = alpha < C * (1 - 1e-6)
print(f"α = 0      ({n - len(support):3d} samples): yᵢ f(xᵢ) ≥ "
      f"{np.delete(f_all, support).min():.3f}  (outside the margin: they do not matter)")
print(f"0 < α < C  ({on_margin.sum():3d} samples): yᵢ f(xᵢ) in [{f_all[support[on_margin]].min():.3f}, "
      f"{f_all[support[on_margin]].max():.3f}]  (on the margin)")
print(f"α = C      ({(~on_margin).sum():3d} samples): yᵢ f(xᵢ) ≤ {f_all[support[~on_margin]].max():.3f}  "
      f"(inside the margin or misclassified)")

K_sv = X_host_cancer[support] @ X_host_cancer[support].T
dual = alpha.sum() - 0.5 * alpha_y @ K_sv @ alpha_y
primal = 0.5 * w_dual @ w_dual + C * np.maximum(0, 1 - f_all).sum()
print(f"primal ½‖w‖² + C Σ hinge = {primal:.4f};  dual Σα − ½ ΣΣ αᵢαⱼyᵢyⱼ xᵢ·xⱼ = {dual:.4f}")
# --8<-- [end:dual]


# --8<-- [start:kernel_trick]
from minml.svm.kernels import polynomial_kernel, rbf_kernel


def quadratic_features(X):
    """φ(x) for 2-D x with φ(x)·φ(z) = (x·z + 1)²: six features."""
    x1, x2 = X[:, 0], X[:, 1]
    r2 = np.sqrt(2.0)
    return np.stack([x1**2, x2**2, r2 * x1 * x2, r2 * x1, r2 * x2, np.ones_like(x1)], axis=1)


P = np.random.default_rng(0).normal(size=(5, 2))
explicit = quadratic_features(P) @ quadratic_features(P).T
kernel = backend.asnumpy(polynomial_kernel(backend.to_device(P), backend.to_device(P), gamma=1.0, coef0=1.0,
                                           degree=2))
print(f"(x·z + 1)² against φ(x)·φ(z) in 6 dimensions: max difference {np.abs(kernel - explicit).max():.1e}")

K_rbf = backend.asnumpy(rbf_kernel(X_cancer, X_cancer, gamma=0.05))
print(f"rbf kernel matrix of the {n} tumours: diagonal {K_rbf.diagonal().min():.0f}, smallest eigenvalue "
      f"{np.linalg.eigvalsh(K_rbf).min():.1e} (positive semi-definite: a Gram matrix in some feature space)")
# --8<-- [end:kernel_trick]


# --8<-- [start:circles]
from minml.datasets import make_circles
from minml.model_selection import KFold, cross_val_score

X_circles, y_circles = (backend.to_device(a) for a in make_circles(300, noise=0.1, factor=0.4, random_state=0))
cv = KFold(5, shuffle=True, random_state=0)
for model in (SVC(kernel="linear"), SVC(kernel="poly", degree=2, coef0=1.0), SVC(kernel="rbf")):
    score = cross_val_score(model, X_circles, y_circles, cv=cv).mean()
    print(f"SVC(kernel={model.kernel!r:8s}): 5-fold accuracy on two circles {score:.3f}")
# --8<-- [end:circles]


# --8<-- [start:gamma_c]
from minml.datasets import make_moons

X_moons_host, y_moons_host = make_moons(150, noise=0.25, random_state=0)
X_moons, y_moons = backend.to_device(X_moons_host), backend.to_device(y_moons_host)
gammas, Cs = (0.3, 3.0, 30.0), (0.1, 1.0, 100.0)
print("5-fold accuracy on the moons    " + "".join(f"C = {C:<7g}" for C in Cs))
for gamma in gammas:
    scores = [cross_val_score(SVC(C=C, gamma=gamma), X_moons, y_moons, cv=cv).mean() for C in Cs]
    print(f"gamma = {gamma:<6g}                 " + "".join(f"{s:<11.3f}" for s in scores))
# --8<-- [end:gamma_c]


# --8<-- [start:gamma_c_figure]
grid_x, grid_y = np.meshgrid(np.linspace(-2.0, 3.0, 100), np.linspace(-1.5, 2.0, 100))
grid = backend.to_device(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
fig, axes = plt.subplots(len(gammas), len(Cs), figsize=(8, 7.2), sharex=True, sharey=True)
for row, gamma in zip(axes, gammas):
    for ax, C in zip(row, Cs):
        model = SVC(C=C, gamma=gamma).fit(X_moons, y_moons)
        f = backend.asnumpy(model.decision_function(grid)).reshape(grid_x.shape)
        regions = ax.contourf(grid_x, grid_y, f, levels=[-1e9, 0, 1e9], colors=[COLOURS[0], COLOURS[1]], alpha=0.18)
        regions.set_rasterized(True)  # the filled regions as a bitmap: a much smaller page
        ax.contour(grid_x, grid_y, f, levels=[-1, 0, 1], colors="black", linewidths=[0.6, 1.2, 0.6],
                   linestyles=["--", "-", "--"])
        draw_points(ax, X_moons_host, y_moons_host, backend.asnumpy(model.support_), ring=40)
        ax.set_title(f"γ = {gamma:g}, C = {C:g}: {int(backend.asnumpy(model.n_support_).sum())} SV", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
fig.tight_layout()
gamma_c_svg = svg(fig)
# --8<-- [end:gamma_c_figure]


# --8<-- [start:smo]
from minml.svm.smo import smo_pair_update

X_tiny = np.array([[0.0, 0.0], [1.0, 0.5], [0.5, 2.0], [2.0, 2.0], [2.5, 0.5], [3.0, 2.5], [1.2, 1.4]])
y_tiny = np.array([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0])
C_tiny, gamma_tiny = 1.0, 0.5
K = backend.asnumpy(rbf_kernel(backend.to_device(X_tiny), backend.to_device(X_tiny), gamma_tiny))
Q = y_tiny[:, None] * y_tiny[None, :] * K  # the dual: minimise ½ αᵀQα − Σα, yᵀα = 0, 0 ≤ α ≤ C
alpha = np.zeros(len(y_tiny))
G = Q @ alpha - 1  # the gradient of the dual objective
print("step  i  j   b = vᵢ−vⱼ  a      b/a     α after the step                                 dual Σα − ½αᵀQα")
for step in range(1, 100):
    v = -y_tiny * G
    up = ((y_tiny > 0) & (alpha < C_tiny)) | ((y_tiny < 0) & (alpha > 0))  # yₖαₖ may grow
    low = ((y_tiny > 0) & (alpha > 0)) | ((y_tiny < 0) & (alpha < C_tiny))  # yₖαₖ may shrink
    i = int(np.flatnonzero(up)[np.argmax(v[up])])  # the most violating sample that may go up
    if v[i] - v[low].min() < 1e-5:  # the KKT conditions hold (to 1e-5): optimal
        break
    curvature = np.maximum(K[i, i] + K.diagonal() - 2 * K[i], 1e-12)
    gain = np.where(low & (v < v[i]), (v[i] - v) ** 2 / curvature, -np.inf)  # the decrease b²/a of each pair
    j = int(np.argmax(gain))
    b_ij, a_ij = v[i] - v[j], curvature[j]
    new_i, new_j = smo_pair_update(alpha[i], alpha[j], y_tiny[i], y_tiny[j], C_tiny, C_tiny, b_ij, a_ij)
    G += Q[:, i] * (new_i - alpha[i]) + Q[:, j] * (new_j - alpha[j])
    alpha[i], alpha[j] = new_i, new_j
    if step <= 8 or step % 4 == 0:
        alphas = " ".join(f"{value:.4f}" for value in alpha)
        print(f"{step:4d}  {i}  {j}  {b_ij:9.4f}  {a_ij:5.3f}  {b_ij / a_ij:6.3f}   {alphas}  "
              f"{alpha.sum() - 0.5 * alpha @ Q @ alpha:.6f}")
free = (alpha > 0) & (alpha < C_tiny)
print(f"converged after {step - 1} steps; intercept b = mean of vₖ over the free αₖ = {(-y_tiny * G)[free].mean():.5f}")
libsvm_like = SVC(C=C_tiny, gamma=gamma_tiny, tol=1e-5).fit(backend.to_device(X_tiny), backend.to_device(y_tiny))
print(f"SVC:  α = {' '.join(f'{value:.4f}' for value in np.abs(backend.asnumpy(libsvm_like.dual_coef_)[0]))},  "
      f"intercept_ = {backend.asnumpy(libsvm_like.intercept_)[0]:.5f}")
# --8<-- [end:smo]


# --8<-- [start:svr]
from minml.svm import SVR

rng = np.random.default_rng(0)
x_wave = np.sort(rng.uniform(0, 6, 80))
y_wave = np.sin(x_wave) + rng.normal(0, 0.15, 80)
X_wave, target = backend.to_device(x_wave[:, None]), backend.to_device(y_wave)
for epsilon in (0.05, 0.2, 0.5):
    svr = SVR(C=10.0, gamma=0.5, epsilon=epsilon).fit(X_wave, target)
    print(f"epsilon = {epsilon:4g}: {len(backend.asnumpy(svr.support_)):2d} of 80 points are support vectors, "
          f"training R² {svr.score(X_wave, target):.3f}")
# --8<-- [end:svr]


# --8<-- [start:svr_figure]
svr = SVR(C=10.0, gamma=0.5, epsilon=0.2).fit(X_wave, target)
x_line = np.linspace(0, 6, 300)
f_line = backend.asnumpy(svr.predict(backend.to_device(x_line[:, None])))
fig, ax = plt.subplots(figsize=(5.5, 3.2))
ax.fill_between(x_line, f_line - 0.2, f_line + 0.2, color=COLOURS[1], alpha=0.15, label="the ε-tube (ε = 0.2)")
ax.plot(x_line, f_line, color=COLOURS[1], label="SVR")
ax.scatter(x_wave, y_wave, s=12, color="#616161", zorder=3)
sv = backend.asnumpy(svr.support_)
ax.scatter(x_wave[sv], y_wave[sv], s=70, facecolors="none", edgecolors="black", linewidths=1, label="support vectors")
ax.legend(frameon=False, fontsize=8, loc="lower left")
fig.tight_layout()
svr_svg = svg(fig)
# --8<-- [end:svr_figure]


# --8<-- [start:linear_svc]
import time

from minml.datasets import make_classification
from minml.svm import LinearSVC

X_big, y_big = make_classification(34_000, n_features=20, n_informative=10, random_state=0)
X_big = StandardScaler().fit_transform(backend.to_device(X_big))
y_big = backend.to_device(y_big)
X_test, y_test = X_big[-4000:], y_big[-4000:]
for model, sizes in ((SVC(kernel="linear", C=0.1), (500, 1000, 2000)), (LinearSVC(C=0.1), (2000, 8000, 30_000))):
    for size in sizes:
        start = time.perf_counter()
        model.fit(X_big[:size], y_big[:size])
        seconds = time.perf_counter() - start
        print(f"{type(model).__name__:9s} on {size:6,d} rows: fit {seconds:6.3f} s, test accuracy "
              f"{model.score(X_test, y_test):.3f}")
# --8<-- [end:linear_svc]


# --8<-- [start:exercises]
from minml.svm.pegasos import pegasos

points = backend.to_device(np.array([[0.0, 0.0], [3.0, 4.0]]))
print("rbf_kernel, γ = 0.02, ‖x − y‖² = 25:", np.round(backend.asnumpy(rbf_kernel(points, points, 0.02)), 4).tolist())
print("smo_pair_update(0.9, 0.5, +1, +1, C = 1, 1, b = 0.4, a = 1): t = 0.4 clipped to 0.1 →",
      tuple(round(value, 4) for value in smo_pair_update(0.9, 0.5, 1.0, 1.0, 1.0, 1.0, 0.4, 1.0)))
w_step = pegasos_step(xp.zeros(X1.shape[1]), X1[:32], y_cancer[:32], lam, 1)
w_run = pegasos(X1, y_cancer, lam=lam, n_iter=2000, random_state=0)
print(f"pegasos_step from w = 0 at t = 1: ‖w‖ = {backend.to_scalar(xp.sqrt(w_step @ w_step)):.2f} "
      f"(the ball's radius 1/√λ = {lam ** -0.5:.2f});  pegasos(2000 steps): f(w) = {primal_objective(w_run, lam):.4f}")
# --8<-- [end:exercises]
