"""The evaluation plots: each draws what it says on an Axes it returns, headless, from arrays on any device."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from minml import backend  # noqa: E402
from minml.plot import (  # noqa: E402
    plot_bootstrap_distribution,
    plot_calibration_curve,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_learning_curve,
    plot_precision_recall_curve,
    plot_roc_curve,
    plot_validation_curve,
    svg,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def scores_and_labels(device):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 80)
    score = y + rng.normal(0, 0.8, 80)
    return backend.to_device(y, device), backend.to_device(1 / (1 + np.exp(-score)), device)


def labels(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_roc_curve_draws_the_curve_its_auc_and_the_diagonal_once(device):
    metrics = pytest.importorskip("sklearn.metrics")
    y, prob = scores_and_labels(device)
    ax = plot_roc_curve(y, prob, label="model A")
    plot_roc_curve(y, prob ** 2, label="model B", ax=ax)
    auc = metrics.roc_auc_score(backend.asnumpy(y), backend.asnumpy(prob))
    assert labels(ax) == [f"model A (AUC = {auc:.3f})", "chance", f"model B (AUC = {auc:.3f})"]
    fpr, tpr, _ = metrics.roc_curve(backend.asnumpy(y), backend.asnumpy(prob))
    assert np.allclose(ax.get_lines()[0].get_xdata(), fpr) and np.allclose(ax.get_lines()[0].get_ydata(), tpr)


def test_precision_recall_curve_shows_average_precision_and_the_positive_rate(device):
    metrics = pytest.importorskip("sklearn.metrics")
    y, prob = scores_and_labels(device)
    ax = plot_precision_recall_curve(y, prob)
    ap = metrics.average_precision_score(backend.asnumpy(y), backend.asnumpy(prob))
    assert labels(ax)[0] == f"PR (AP = {ap:.3f})"
    assert labels(ax)[1] == f"positive rate {backend.asnumpy(y).mean():.2f}"


def test_confusion_matrix_writes_each_count_in_its_cell():
    y_true = np.array(["cat", "dog", "dog", "cat", "bird"])
    y_pred = np.array(["cat", "dog", "cat", "cat", "dog"])
    ax = plot_confusion_matrix(y_true, y_pred)
    cells = {(text.get_position(), text.get_text()) for text in ax.texts}
    # text at (x = predicted column, y = true row); classes bird, cat, dog
    assert {((1, 1), "2"), ((2, 0), "1"), ((1, 2), "1"), ((2, 2), "1"), ((0, 0), "0")} <= cells
    assert [t.get_text() for t in ax.get_xticklabels()] == ["bird", "cat", "dog"]
    normalised = plot_confusion_matrix(y_true, y_pred, normalize="true")
    assert {text.get_text() for text in normalised.texts} >= {"1.00", "0.50"}


def test_calibration_curve_plots_fraction_against_mean_prediction(device):
    y, prob = scores_and_labels(device)
    ax = plot_calibration_curve(y, prob, n_bins=5)
    assert ax.get_lines()[0].get_xdata().shape == ax.get_lines()[0].get_ydata().shape
    assert "perfectly calibrated" in labels(ax)


def test_learning_and_validation_curves_draw_means_and_bands():
    train, test = np.array([[0.9, 1.0], [0.8, 0.9]]), np.array([[0.5, 0.7], [0.7, 0.8]])
    ax = plot_learning_curve(np.array([10, 20]), train, test, score_name="accuracy")
    assert np.allclose(ax.get_lines()[0].get_ydata(), [0.95, 0.85]) and np.allclose(ax.get_lines()[1].get_ydata(),
                                                                                    [0.6, 0.75])
    assert len(ax.collections) == 2 and ax.get_ylabel() == "accuracy"
    ax = plot_validation_curve(np.array([1e-3, 1.0]), train, test, param_name="C")
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "C"
    assert plot_validation_curve([1, 2], train, test, param_name="max_depth").get_xscale() == "linear"


class Threshold:
    """A fitted stand-in classifier: class 1 right of x = 0."""

    classes_ = np.array([0, 1])

    def predict(self, X):
        return (X[:, 0] > 0).astype(int)

    def predict_proba(self, X):
        xp = backend.namespace(X)
        p = 1 / (1 + xp.exp(-X[:, 0]))
        return xp.stack([1 - p, p], axis=1)


def test_decision_boundary_colours_the_plane_on_the_models_device(device):
    X = backend.to_device(np.array([[-1.0, 0.0], [1.0, 1.0], [2.0, -1.0]]), device)
    ax = plot_decision_boundary(Threshold(), X, np.array([0, 1, 1]), grid_resolution=20)
    assert len(ax.collections) >= 2  # filled regions, the 0.5 contour and the points
    ax = plot_decision_boundary(Threshold(), X, response_method="predict", grid_resolution=20)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        plot_decision_boundary(Threshold(), np.ones((3, 3)))


def test_bootstrap_distribution_shades_the_interval():
    class Result:
        bootstrap_distribution = np.random.default_rng(0).normal(size=500)
        confidence_interval = (-1.9, 2.0)

    ax = plot_bootstrap_distribution(Result(), observed=0.1)
    assert labels(ax) == ["interval [-1.9, 2]", "observed 0.1"]


def test_a_plot_renders_to_an_svg_string():
    ax = plot_learning_curve([1, 2], np.ones((2, 3)), np.ones((2, 3)))
    assert svg(ax.figure).startswith('<svg class="minml-figure"')
