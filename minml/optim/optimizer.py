"""``Optimizer``: the base class of every update rule in :mod:`minml.optim`.

An optimizer holds *parameter groups*: lists of parameters (leaf Tensors) that
share hyperparameters. ``Adam(model.parameters(), lr=1e-3)`` makes one group;
a list of dicts makes several, each overriding the defaults it names::

    opt = SGD([{"params": body.parameters()}, {"params": head.parameters(), "lr": 0.1}], lr=0.01)

The training loop is the same for every optimizer::

    opt.zero_grad()        # forget the last step's gradients
    loss.backward()        # fill p.grad
    opt.step()             # p.data <- p.data - (a step computed from p.grad and the state)

A subclass writes only :meth:`Optimizer._update`, the update of one parameter
from its gradient, its ``state`` (momentum buffers, running averages...) and
its group's hyperparameters. It computes on the raw arrays with the backend's
``xp`` and changes ``p.data`` in place, so the parameter keeps its identity
(modules, other optimizers and schedulers still hold it).
"""

from __future__ import annotations

import numbers

from minml import backend
from minml.autograd.grad_mode import enable_grad, no_grad
from minml.autograd.tensor import Tensor

__all__ = ["Optimizer"]

# Hyperparameters that make no sense below zero, checked in every group of every optimizer.
_NON_NEGATIVE = ("lr", "momentum", "dampening", "weight_decay", "eps", "alpha", "lr_decay", "initial_accumulator_value")


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``step``, ``zero_grad`` and state dicts.

    ``params``: an iterable of Tensors, or of dicts (parameter groups) with a
    ``"params"`` entry and optional hyperparameter overrides. ``defaults``: the
    hyperparameters of the subclass, used where a group does not set its own.
    """

    def __init__(self, params, defaults: dict):
        if isinstance(params, (Tensor, dict)):
            raise TypeError(
                f"params must be an iterable of Tensors or of dicts (parameter groups), got a {type(params).__name__}; "
                "pass model.parameters() or a list such as [w, b]"
            )
        self.defaults = defaults
        self.state: dict[Tensor, dict] = {}
        self.param_groups: list[dict] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list (did the model register its Parameters?)")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyperparameters (the defaults fill the rest).

        Useful to unfreeze layers while training: ``opt.add_param_group({"params": layer.parameters(), "lr": 1e-4})``.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"a parameter group must be a dict with a 'params' entry, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"a parameter group needs a 'params' entry; got keys {sorted(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError("parameters must be given in a fixed order (a list or tuple), not a set")
        params = list(params)
        if not params:
            raise ValueError("a parameter group must contain at least one parameter")
        for param in params:
            _check_parameter(param)
        if len({id(p) for p in params}) != len(params):
            raise ValueError("a parameter group contains the same parameter twice")
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in taken for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        group = {**self.defaults, **param_group, "params": params}
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict) -> None:
        """Raise ``ValueError`` for an impossible hyperparameter (subclasses add their own rules)."""
        for name in _NON_NEGATIVE:
            value = group.get(name, 0.0)
            if not isinstance(value, numbers.Real) or isinstance(value, bool) or not value >= 0:
                raise ValueError(f"invalid {name}: {value!r}; it must be a non-negative number")

    # ------------------------------------------------------------------ the update

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``p.grad = None`` (default), or fill them with zeros in place."""
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none:
                    param.grad = None
                elif param.grad is not None:
                    param.grad.fill(0)

    def step(self, closure=None):
        """Update every parameter that has a gradient; parameters whose ``grad`` is None are left alone.

        ``closure`` (optional) re-evaluates the model and returns the loss; its
        value is returned. With ``maximize=True`` the step climbs: it uses -grad.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    if param.grad is None:
                        continue
                    grad = -param.grad if group.get("maximize", False) else param.grad
                    self._update(param, grad, self.state.setdefault(param, {}), group)
        return loss

    def _update(self, param: Tensor, grad, state: dict, group: dict) -> None:
        """Change ``param.data`` in place, given its gradient array ``grad`` (never modify it), its ``state``
        (an empty dict on the first step) and its group's hyperparameters."""
        raise NotImplementedError

    # ------------------------------------------------------------------ saving and resuming

    def state_dict(self) -> dict:
        """``{"state": {index: {name: Tensor or number}}, "param_groups": [{hyperparameters, "params": [index]}]}``.

        Parameters are referred to by their position across the groups (0, 1,
        ...), as in PyTorch, so the dict can be loaded into an optimizer built
        on another copy of the model. The state's tensors share memory with the
        live state: save them (``minml.save``) or load them; don't modify them.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {name: value for name, value in group.items() if name != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {
            index[id(param)]: {name: _as_tensor(value) for name, value in values.items()}
            for param, values in self.state.items()
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from :meth:`state_dict`: hyperparameters and per-parameter state (copied to each parameter's
        device and floating dtype). The groups must have the same sizes as this optimizer's."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            keys = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
            raise ValueError(f"an optimizer state_dict has exactly the keys 'param_groups' and 'state'; got {keys}")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"the loaded state_dict has {len(saved_groups)} parameter group(s), this optimizer "
                f"{len(self.param_groups)}"
            )
        by_index = {}
        for number, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"parameter group {number} has {len(group['params'])} parameters, but the loaded state_dict's "
                    f"has {len(saved['params'])}"
                )
            missing = sorted(set(self.defaults) - set(saved))
            if missing:
                raise ValueError(
                    f"the loaded parameter group {number} lacks {type(self).__name__}'s hyperparameters {missing}: "
                    "was it saved by another optimizer?"
                )
            by_index.update(zip(saved["params"], group["params"]))
        state = {}
        for key, values in state_dict["state"].items():
            if int(key) not in by_index:
                raise ValueError(f"the loaded state refers to parameter {key}, which no parameter group holds")
            param = by_index[int(key)]
            state[param] = {name: _state_like(param, name, value, key) for name, value in values.items()}
        self.state = state
        self.param_groups = [
            {**saved, "params": group["params"]} for group, saved in zip(self.param_groups, saved_groups)
        ]

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for number, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {number}")
            lines += [f"    {name}: {group[name]}" for name in sorted(group) if name != "params"]
        return "\n".join([*lines, ")"])


def _check_parameter(param) -> None:
    if not isinstance(param, Tensor):
        raise TypeError(f"an optimizer can only optimize Tensors, but one of the params is a {type(param).__name__}")
    if not param.is_leaf:
        raise ValueError(
            "can't optimize a non-leaf Tensor (one computed by an op); optimize the leaf it came from, "
            "or make one with tensor.detach().requires_grad_()"
        )
    if param.dtype.kind != "f":
        raise TypeError(f"only floating-point tensors can be optimized; this parameter is {param.dtype}")


def _as_tensor(value):
    """State arrays go out as Tensors (sharing memory); numbers such as ``step`` stay numbers."""
    return value if value is None or isinstance(value, numbers.Number) else Tensor._from_array(value)


def _state_like(param: Tensor, name: str, value, key):
    """A loaded state entry as this optimizer keeps it: an array copied onto ``param``'s device and dtype."""
    if value is None or isinstance(value, numbers.Number):
        return value
    array = value.data if isinstance(value, Tensor) else value
    if tuple(array.shape) != param.shape:
        raise ValueError(
            f"state {name!r} of parameter {key} has shape {tuple(array.shape)}, but the parameter has shape "
            f"{param.shape}"
        )
    return backend.to_device(array, param.device).astype(param.dtype)  # astype copies: no sharing with the source
