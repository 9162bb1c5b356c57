"""Support vector machines: kernel SVC and SVR by SMO, LinearSVC as liblinear, Pegasos, and the kernels."""

from minml.svm.kernels import linear_kernel, polynomial_kernel, rbf_kernel, sigmoid_kernel
from minml.svm.linear_svc import LinearSVC
from minml.svm.pegasos import pegasos, pegasos_step
from minml.svm.svc import SVC
from minml.svm.svr import SVR

__all__ = [
    "LinearSVC", "SVC", "SVR", "linear_kernel", "pegasos", "pegasos_step", "polynomial_kernel", "rbf_kernel",
    "sigmoid_kernel",
]
