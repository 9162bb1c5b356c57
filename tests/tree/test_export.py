"""export_text reads like scikit-learn's; plot_tree draws one box per node."""

import numpy as np
import pytest

from minml import backend
from minml.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_text, plot_tree


def _regression_data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((150, 4)).astype(np.float32).astype(np.float64)
    return X, X[:, 0] + np.sin(3 * X[:, 1]) + 0.3 * rng.standard_normal(150)


@pytest.mark.parametrize("max_depth", [1, 10])
def test_export_text_is_sklearns(max_depth):
    sklearn_tree = pytest.importorskip("sklearn.tree")
    X, y = _regression_data()
    ours = DecisionTreeRegressor(max_depth=3, split_finder="exact").fit(X, y)
    theirs = sklearn_tree.DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, y)
    assert export_text(ours, max_depth=max_depth) == sklearn_tree.export_text(theirs, max_depth=max_depth)


def test_export_text_names_features_and_classes(device):
    X = backend.to_device(np.array([[0.0], [1.0], [2.0], [3.0]]), device)
    model = DecisionTreeClassifier().fit(X, backend.to_device(np.array([0, 0, 1, 1]), device))
    text = export_text(model, feature_names=["size"], class_names=["small", "big"])
    assert text == "|--- size <= 1.50\n|   |--- class: small\n|--- size >  1.50\n|   |--- class: big\n"
    with pytest.raises(ValueError, match="feature_names must contain 1 elements"):
        export_text(model, feature_names=["a", "b"])


def test_plot_tree_draws_every_node():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = _regression_data()
    model = DecisionTreeClassifier(max_depth=3).fit(X, (y > 0).astype(int))
    figure, ax = plt.subplots()
    annotations = plot_tree(model, filled=True, ax=ax)
    assert len(annotations) == model.tree_.node_count
    assert annotations[0].get_text().startswith("feature_")
    plt.close(figure)
