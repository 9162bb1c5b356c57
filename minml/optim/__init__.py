"""Optimizers, learning-rate schedules and gradient clipping, shaped like ``torch.optim``.

Start with :class:`Optimizer` (optimizer.py): parameter groups, state and the
training-loop protocol. Each update rule is one file with its equations in the
docstring: :class:`SGD`, :class:`Adam` / :class:`AdamW`, :class:`RMSprop`,
:class:`Adagrad`. Schedules are in :mod:`minml.optim.lr_scheduler`.
"""

from minml.optim import lr_scheduler
from minml.optim.adagrad import Adagrad
from minml.optim.adam import Adam, AdamW
from minml.optim.clip import clip_grad_norm_
from minml.optim.optimizer import Optimizer
from minml.optim.rmsprop import RMSprop
from minml.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler", "clip_grad_norm_"]
