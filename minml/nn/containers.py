"""Containers: modules that hold other modules.

* :class:`Sequential` chains layers: ``Sequential(a, b, c)(x) == c(b(a(x)))``;
* :class:`ModuleList` is a list whose modules are registered (a plain Python
  list would hide their parameters from ``parameters()`` and ``to()``);
* :class:`ModuleDict` is the same for a dict, modules by string key.

Children are named "0", "1", ... so their parameters are "0.weight", "1.bias";
a ModuleDict's are named by their keys: "encoder.weight".
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView

from minml.nn.module import Module

__all__ = ["Sequential", "ModuleList", "ModuleDict"]


class _IndexedModules(Module):
    """Children named by position, with list-like indexing, len and iteration."""

    def _index(self, index: int) -> int:
        size = len(self._modules)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range for {type(self).__name__} of length {size}")
        return index % size

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._from_items(list(self._modules.items())[index])
        return list(self._modules.values())[self._index(index)]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module):
        self.add_module(str(len(self)), module)
        return self


class Sequential(_IndexedModules):
    """Apply modules in order, each to the previous one's output.

    ``Sequential(Linear(2, 8), ReLU(), Linear(8, 1))``, or with names from an
    ``OrderedDict([("hidden", Linear(2, 8)), ...])``.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
            return
        for module in modules:
            self.append(module)

    @classmethod
    def _from_items(cls, items) -> Sequential:
        return cls(OrderedDict(items))

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x


class ModuleList(_IndexedModules):
    """A list of modules whose parameters the parent module sees; has no forward of its own."""

    def __init__(self, modules: Iterable[Module] | None = None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    @classmethod
    def _from_items(cls, items) -> ModuleList:
        return cls(module for _, module in items)

    def extend(self, modules: Iterable[Module]):
        for module in modules:
            self.append(module)
        return self

    def __setitem__(self, index: int, module: Module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList holds Modules; got {type(module).__name__}")
        self._modules[str(self._index(index))] = module


class ModuleDict(Module):
    """A dict of modules by string key whose parameters the parent module sees; has no forward of its own.

    ``ModuleDict({"encoder": Linear(4, 2), "decoder": Linear(2, 4)})`` (or a list of
    (key, module) pairs): ``heads["encoder"]``, ``heads["extra"] = ...``, ``del``,
    ``len``, ``in``, iteration over the keys in insertion order, ``keys()``,
    ``items()``, ``values()`` and ``update()``, as a dict.
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def _key(self, key: str) -> str:
        if key not in self._modules:
            raise KeyError(f"ModuleDict has no module {key!r}; its keys are {list(self._modules)}")
        return key

    def __getitem__(self, key: str) -> Module:
        return self._modules[self._key(key)]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict holds Modules; got {type(module).__name__} for key {key!r}")
        if isinstance(key, str) and key not in self._modules and hasattr(self, key):
            raise KeyError(f"ModuleDict key {key!r} would hide the attribute of that name; choose another key")
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[self._key(key)]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key) -> bool:
        return key in self._modules

    def keys(self) -> KeysView[str]:
        return self._modules.keys()

    def items(self) -> ItemsView[str, Module]:
        return self._modules.items()

    def values(self) -> ValuesView[Module]:
        return self._modules.values()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) modules from a mapping or an iterable of (key, module) pairs."""
        pairs = modules.items() if isinstance(modules, (Mapping, ModuleDict)) else modules
        for key, module in pairs:
            self[key] = module
