"""Decision trees: CART classifiers and regressors grown on histograms, and their text and plot exports."""

from minml.tree.classes import DecisionTreeClassifier, DecisionTreeRegressor
from minml.tree.export import export_text, plot_tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "export_text", "plot_tree"]
