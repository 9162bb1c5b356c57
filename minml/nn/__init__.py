"""Neural networks, PyTorch-shaped: layers are :class:`Module` objects holding :class:`Parameter` tensors.

Read module.py first (how a Module finds its parameters), then linear.py
(a layer), containers.py (Sequential), losses.py and init.py.
``minml.nn.functional`` has the same computations as plain functions.
"""

from minml.nn import functional, init
from minml.nn.activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh
from minml.nn.containers import ModuleDict, ModuleList, Sequential
from minml.nn.conv import AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, Conv2d, MaxPool2d
from minml.nn.dropout import Dropout
from minml.nn.embedding import Embedding
from minml.nn.linear import Flatten, Identity, Linear
from minml.nn.losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from minml.nn.module import Module, Parameter
from minml.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from minml.nn.training import EarlyStopping, History, evaluate, fit

__all__ = [
    "functional", "init",
    "Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
    "Linear", "Flatten", "Identity", "Embedding", "Dropout",
    "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
    "BatchNorm1d", "BatchNorm2d", "LayerNorm",
    "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "GELU", "Softplus", "Softmax", "LogSoftmax",
    "MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
    "fit", "evaluate", "History", "EarlyStopping",
]
