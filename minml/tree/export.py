"""Reading a fitted tree: as indented text rules (``export_text``) or as a drawn diagram (``plot_tree``).

A tree is only interpretable if one can see it. Both functions walk the flat
arrays of ``tree_`` (:mod:`minml.tree.structure`) from the root with an
explicit stack, left child before right, and show each split as
"feature <= threshold" and each leaf as its class (or value). The text follows
scikit-learn's ``export_text`` layout, so the two read alike::

    |--- petal width (cm) <= 0.80
    |   |--- class: 0
    |--- petal width (cm) >  0.80
    |   |--- class: 1
"""

from __future__ import annotations

import numpy as np

from minml import backend
from minml.validation import check_is_fitted

__all__ = ["export_text", "plot_tree"]


def _host_tree(decision_tree):
    """The fitted tree's arrays on the host, as a dict."""
    check_is_fitted(decision_tree)
    tree = decision_tree.tree_
    names = ("children_left", "children_right", "feature", "threshold", "value", "impurity", "n_node_samples")
    return {name: backend.asnumpy(getattr(tree, name)) for name in names}


def _leaf_text(decision_tree, value, class_names, decimals: int) -> str:
    """"class: c" for a classifier (the largest fraction), "value: [v]" for a regressor."""
    if hasattr(decision_tree, "classes_"):
        labels = class_names if class_names is not None else backend.asnumpy(decision_tree.classes_).tolist()
        return f"class: {labels[int(np.argmax(value[0]))]}"
    return f"value: [{value[0][0]:.{decimals}f}]"


def _feature_names(decision_tree, feature_names):
    if feature_names is None:
        return [f"feature_{i}" for i in range(decision_tree.n_features_in_)]
    if len(feature_names) != decision_tree.n_features_in_:
        raise ValueError(f"feature_names must contain {decision_tree.n_features_in_} elements, got "
                         f"{len(feature_names)}")
    return list(feature_names)


def export_text(decision_tree, *, feature_names=None, class_names=None, max_depth: int = 10, spacing: int = 3,
                decimals: int = 2) -> str:
    """The rules of a fitted tree as indented text, one line per side of a split or leaf (scikit-learn's format).

    Nodes deeper than ``max_depth`` are summarised as "truncated branch of depth d".
    """
    if max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, given {max_depth}")
    arrays = _host_tree(decision_tree)
    names = _feature_names(decision_tree, feature_names)
    left, right = arrays["children_left"], arrays["children_right"]
    lines = []
    stack = [("node", 0, 0)]  # ("node", id, depth) to expand, or ("line", text, None) to print
    while stack:
        kind, item, depth = stack.pop()
        if kind == "line":
            lines.append(item)
            continue
        indent = ("|" + " " * spacing) * depth + "|" + "-" * spacing + " "
        if left[item] == -1:
            lines.append(indent + _leaf_text(decision_tree, arrays["value"][item], class_names, decimals))
        elif depth > max_depth:
            lines.append(indent + f"truncated branch of depth {_subtree_depth(left, right, item) + 1}")
        else:
            name, threshold = names[arrays["feature"][item]], arrays["threshold"][item]
            stack += [("node", right[item], depth + 1), ("line", indent + f"{name} >  {threshold:.{decimals}f}", None),
                      ("node", left[item], depth + 1), ("line", indent + f"{name} <= {threshold:.{decimals}f}", None)]
    return "\n".join(lines) + "\n"


def _subtree_depth(left, right, node) -> int:
    """The depth of the subtree under ``node`` (an explicit stack, no recursion)."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        if left[current] != -1:
            stack += [(left[current], depth + 1), (right[current], depth + 1)]
    return deepest


def plot_tree(decision_tree, *, max_depth=None, feature_names=None, class_names=None, filled: bool = False,
              ax=None, fontsize=None, precision: int = 3):
    """Draw a fitted tree with matplotlib: a box per node (split, impurity, samples, value), lines to the children.

    Leaves are spaced evenly along the x axis, each split centred over its
    leaves, one row per depth. ``filled`` colours classifier nodes by their
    majority class. Returns the list of matplotlib text annotations.
    """
    import matplotlib.pyplot as plt

    arrays = _host_tree(decision_tree)
    names = _feature_names(decision_tree, feature_names)
    left, right = arrays["children_left"], arrays["children_right"]
    shown_depth = _subtree_depth(left, right, 0) if max_depth is None else max_depth
    order, depth_of, x_of = [], {0: 0}, {}
    stack, next_leaf = [0], 0
    while stack:  # pre-order: place leaves left to right
        node = stack.pop()
        order.append(node)
        if left[node] == -1 or depth_of[node] >= shown_depth:
            x_of[node] = next_leaf
            next_leaf += 1
            continue
        depth_of[left[node]] = depth_of[right[node]] = depth_of[node] + 1
        stack += [right[node], left[node]]
    for node in reversed(order):  # children before parents: centre each split over its children
        if node not in x_of:
            x_of[node] = (x_of[left[node]] + x_of[right[node]]) / 2
    ax = ax if ax is not None else plt.gca()
    ax.set_axis_off()
    width, height = max(next_leaf, 1), max(shown_depth, 1)
    colours = plt.get_cmap("tab10")
    annotations = []
    for node in order:
        xy = ((x_of[node] + 0.5) / width, 1 - (depth_of[node] + 0.5) / (height + 1))
        value = arrays["value"][node]
        text = [] if left[node] == -1 else [f"{names[arrays['feature'][node]]} <= "
                                             f"{arrays['threshold'][node]:.{precision}f}"]
        text += [f"impurity = {arrays['impurity'][node]:.{precision}f}", f"samples = {arrays['n_node_samples'][node]}",
                 f"value = {np.round(value[0], precision).tolist()}"]
        if hasattr(decision_tree, "classes_"):
            text.append(_leaf_text(decision_tree, value, class_names, precision))
        box = {"boxstyle": "round", "fc": "white", "ec": "black"}
        if filled and hasattr(decision_tree, "classes_"):
            box["fc"] = colours(int(np.argmax(value[0])) % 10, alpha=0.2 + 0.6 * float(np.max(value[0])))
        annotation = ax.annotate("\n".join(text), xy, ha="center", va="center", fontsize=fontsize, bbox=box,
                                 xycoords="axes fraction")
        annotations.append(annotation)
        if left[node] != -1 and depth_of[node] < shown_depth:
            for child in (left[node], right[node]):
                child_xy = ((x_of[child] + 0.5) / width, 1 - (depth_of[node] + 1.5) / (height + 1))
                ax.annotate("", child_xy, xytext=xy, xycoords="axes fraction", textcoords="axes fraction",
                            arrowprops={"arrowstyle": "-", "color": "grey"})
    return annotations
