"""``Module`` and ``Parameter``: the building blocks every layer and model is made of.

A Module is a Python object that owns tensors. Assigning a :class:`Parameter`
(``self.weight = Parameter(...)``), another Module (``self.fc = Linear(...)``)
or a buffer (``self.register_buffer("running_mean", ...)``) records it, so the
Module can list its parameters for an optimiser, move them to a GPU, switch
between training and evaluation, and save or load them by dotted name
(``"fc.weight"``). ``model(x)`` calls ``model.forward(x)``.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator

import numpy as np

from minml import backend
from minml.autograd.tensor import Tensor

__all__ = ["Parameter", "Module", "IncompatibleKeys"]


class Parameter(Tensor):
    """A Tensor that is a learnable parameter: a leaf with ``requires_grad=True``.

    Assigning one to a Module attribute registers it in ``module.parameters()``.
    ``Parameter(data)`` copies ``data`` (a Tensor, an array or a nested list).
    """

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True, dtype=None, device=None):
        if isinstance(data, Tensor):
            data = data.data
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, device=device)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])
"""What ``load_state_dict(..., strict=False)`` returns: the keys it could not match."""


class Module:
    """Base class of every layer and model: subclass it, assign layers in ``__init__``, write ``forward``.

    >>> class MLP(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = Linear(2, 8)
    ...         self.out = Linear(8, 1)
    ...     def forward(self, x):
    ...         return self.out(self.hidden(x).relu())
    """

    def __init__(self):
        # object.__setattr__: our own __setattr__ needs these dictionaries to exist
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward(self, ...)")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ registration

    def __setattr__(self, name: str, value) -> None:
        if "_parameters" not in self.__dict__:
            if isinstance(value, (Parameter, Module)):
                raise AttributeError(
                    f"cannot assign {type(value).__name__} '{name}' before Module.__init__() has run; "
                    f"call super().__init__() first in {type(self).__name__}.__init__"
                )
            object.__setattr__(self, name, value)
        elif isinstance(value, Parameter):
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            self.add_module(name, value)
        elif name in self._parameters:
            self.register_parameter(name, value)  # None (e.g. no bias) or a TypeError
        elif name in self._modules:
            self.add_module(name, value)
        elif name in self._buffers:
            self.register_buffer(name, value, persistent=name not in self._non_persistent_buffers)
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        # only called when normal lookup fails: parameters, buffers and sub-modules live in the registries
        registries = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry in registries and name in registries[registry]:
                return registries[registry][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def _register(self, registry: dict, name: str, value) -> None:
        """Put ``value`` in ``registry`` (in place if ``name`` is there already), and nowhere else."""
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"a parameter, buffer or module name must be a non-empty string without '.'; got {name!r}")
        self.__dict__.pop(name, None)
        for other in (self._parameters, self._buffers, self._modules):
            if other is not registry:
                other.pop(name, None)
        self._non_persistent_buffers.discard(name)
        registry[name] = value

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` under ``name`` (``None`` keeps a slot, e.g. ``bias=False``)."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"parameter '{name}' must be a Parameter or None; got {type(param).__name__}")
        self._register(self._parameters, name, param)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a tensor that is state but not learnt (e.g. running means), moved by ``to()`` and saved.

        ``persistent=False`` leaves it out of ``state_dict()``.
        """
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"buffer '{name}' must be a Tensor or None; got {type(tensor).__name__}")
        self._register(self._buffers, name, tensor)
        if not persistent:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child named ``name`` (what ``self.name = module`` does)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"child module '{name}' must be a Module or None; got {type(module).__name__}")
        self._register(self._modules, name, module)

    register_module = add_module

    # ------------------------------------------------------------------ iteration

    def named_modules(self, prefix: str = "", remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and all below it (depth first) with dotted names; a shared module once unless told."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate and id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child}" if name else child, m) for child, m in module.named_children()]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules, in the order they were assigned."""
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry: str, prefix: str, recurse: bool) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, tensor) of one registry over this module (and its descendants), each tensor once."""
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, member in getattr(module, registry).items():
                if member is None or id(member) in seen:
                    continue
                seen.add(id(member))
                yield (f"{module_name}.{name}" if module_name else name), member

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs in registration order, shared parameters once."""
        return self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The learnable tensors, what an optimiser is given: ``SGD(model.parameters(), lr=0.1)``."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every sub-module and then on this one (e.g. custom initialisation)."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes, devices, gradients

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``self.training``) here and in every sub-module: Dropout, BatchNorm act on it."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze every parameter."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients that ``backward()`` accumulated into every parameter."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad = param._xp.zeros_like(param.grad)

    def to(self, device=None, dtype=None) -> Module:
        """Move (and/or cast floating-point) parameters and buffers **in place**; returns self.

        The Parameter objects stay the same, only their ``.data`` changes, so an
        optimiser built before ``to()`` keeps working.
        """
        target = None if device is None else backend.device(device)
        for tensor in (*self.parameters(), *self.buffers()):
            tensor.data = _converted(tensor.data, target, dtype)
            if tensor.grad is not None:
                tensor.grad = _converted(tensor.grad, target, dtype)
        return self

    def cpu(self) -> Module:
        return self.to("cpu")

    def cuda(self, index: int = 0) -> Module:
        return self.to(f"cuda:{index}")

    def float(self) -> Module:
        return self.to(dtype=np.float32)

    def double(self) -> Module:
        return self.to(dtype=np.float64)

    # ------------------------------------------------------------------ saving and loading

    def state_dict(self) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name, detached (sharing memory with the module).

        A module used in two places appears under both names, as in PyTorch.
        """
        state = OrderedDict()
        for module_name, module in self.named_modules(remove_duplicate=False):
            for registry, persistent in ((module._parameters, ()), (module._buffers, module._non_persistent_buffers)):
                for name, tensor in registry.items():
                    if tensor is not None and name not in persistent:
                        state[f"{module_name}.{name}" if module_name else name] = tensor.detach()
        return state

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state_dict`` (name -> Tensor or array) into this module's tensors, in place.

        Shapes must match. With ``strict`` (default) the keys must match
        exactly too; otherwise unmatched keys are returned, not raised.
        """
        own = self.state_dict()
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        values = {key: _as_array(state_dict[key], key) for key in own if key in state_dict}
        errors = [
            f"size mismatch for {key}: copying a value of shape {tuple(value.shape)} from the state dict, "
            f"but the shape in the current model is {tuple(own[key].shape)}"
            for key, value in values.items()
            if tuple(value.shape) != tuple(own[key].shape)
        ]
        if strict and unexpected:
            errors.insert(0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{key}"' for key in unexpected) + ".")
        if strict and missing:
            errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{key}"' for key in missing) + ".")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        for key, value in values.items():
            target = own[key].data  # the module's own array (state_dict() shares memory)
            target[...] = backend.to_device(value, backend.device_of(target)).astype(target.dtype, copy=False)
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing

    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``repr`` (layers override it)."""
        return ""

    def __repr__(self) -> str:
        lines = [line for line in self.extra_repr().split("\n") if line]
        for name, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"({name}): {child}")
        if not self._modules and len(lines) <= 1:
            return f"{type(self).__name__}({''.join(lines)})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def _converted(array, device, dtype):
    """``array`` on ``device`` and, if floating point, as ``dtype`` (None leaves that unchanged)."""
    if device is not None:
        array = backend.to_device(array, device)
    if dtype is not None and array.dtype.kind == "f":
        array = array.astype(np.dtype(dtype), copy=False)
    return array


def _as_array(value, key: str):
    """The backend array behind a state-dict value (Tensor, NumPy/CuPy array or number)."""
    if isinstance(value, Tensor):
        return value.data
    try:
        backend.device_of(value)
        return value
    except TypeError:
        array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"state_dict value for '{key}' must be a Tensor or an array of numbers; got {type(value)}")
    return array
