"""Decision trees: CART classifiers and regressors grown on histograms, and their text and plot exports."""

from minml.tree.classes import DecisionTreeClassifier, DecisionTreeRegressor
from minml.tree.exact_split import best_threshold
from minml.tree.export import export_text, plot_tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "best_threshold", "export_text", "plot_tree"]
