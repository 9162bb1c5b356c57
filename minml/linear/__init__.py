"""Linear models: least squares, ridge, lasso and elastic net, logistic regression, SGD.

- :mod:`~minml.linear.model` — what the regressors share: ŷ = Xw + b, centring for the intercept;
- :mod:`~minml.linear.least_squares` — ordinary least squares by QR;
- :mod:`~minml.linear.ridge` — L2-penalised least squares (Cholesky or SVD);
- :mod:`~minml.linear.coordinate_descent` — the lasso and the elastic net;
- :mod:`~minml.linear.linear_classifier` — scores and predictions of every linear classifier;
- :mod:`~minml.linear.logistic` — logistic regression by Newton's method (or L-BFGS);
- :mod:`~minml.linear.sgd` — linear models trained by minibatch stochastic gradient descent.
"""

from minml.linear.coordinate_descent import ElasticNet, Lasso, soft_threshold
from minml.linear.least_squares import LinearRegression
from minml.linear.linear_classifier import LinearClassifierMixin
from minml.linear.logistic import LogisticRegression, logistic_loss_grad_hess
from minml.linear.model import LinearModel
from minml.linear.ridge import Ridge, ridge_solution
from minml.linear.sgd import SGDClassifier, SGDRegressor

__all__ = [
    "ElasticNet",
    "Lasso",
    "LinearClassifierMixin",
    "LinearModel",
    "LinearRegression",
    "LogisticRegression",
    "Ridge",
    "SGDClassifier",
    "SGDRegressor",
    "logistic_loss_grad_hess",
    "ridge_solution",
    "soft_threshold",
]
