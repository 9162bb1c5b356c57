"""Load the implementation under test: the learner's file, a mutant, minml's reference or the stub.

A learner's file is imported from its path on every run, under a new module
name, so an edit is always picked up and one run never sees another's module.
Nothing is written next to the file: no ``__pycache__``.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
import types
from pathlib import Path

from minml.grading.regions import Exercise
from minml.grading.stubs import stub_path, stub_text

__all__ = ["IMPLEMENTATIONS", "load_module", "load_function", "implementation"]

#: What ``--impl`` can name.
IMPLEMENTATIONS = ("learner", "reference", "stub", "mutant")

_fresh = itertools.count()


def load_module(path: Path, label: str = "learner") -> types.ModuleType:
    """Import the file at ``path`` as a brand-new module (never cached, no bytecode written)."""
    name = f"_minml_{label}_{path.stem}_{next(_fresh)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise ImportError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickle look a module up by name
    writes_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    finally:
        sys.dont_write_bytecode = writes_bytecode
    return module


def load_function(path: Path, name: str, label: str = "learner"):
    """The function ``name`` defined in the file at ``path``."""
    module = load_module(path, label)
    function = getattr(module, name, None)
    if not callable(function):
        raise AttributeError(f"{path} defines no function named {name!r}")
    return function


def _stub(exercise: Exercise):
    """The freshly generated stub of ``exercise``, executed: what a learner starts from."""
    module = types.ModuleType(f"_minml_stub_{exercise.name}_{next(_fresh)}")
    exec(compile(stub_text(exercise), f"<stub of {exercise.id}>", "exec"), module.__dict__)
    return getattr(module, exercise.name)


def implementation(exercise: Exercise, impl: str, exercises_dir: Path | None = None, mutant: Path | None = None):
    """The function under test for ``exercise``, by the name ``--impl`` gives it.

    * ``learner``: ``<exercises_dir>/NN_topic/<name>.py``
    * ``reference``: minml's own function (the marked region)
    * ``stub``: the stub as ``minml exercises generate`` would write it
    * ``mutant``: the function in the file ``mutant`` (a planted mistake)
    """
    if impl == "learner":
        if exercises_dir is None:
            raise ValueError("the learner's implementation needs the exercises directory")
        return load_function(stub_path(exercise, exercises_dir), exercise.name, "learner")
    if impl == "reference":
        return exercise.reference()
    if impl == "stub":
        return _stub(exercise)
    if impl == "mutant":
        if mutant is None:
            raise ValueError("--impl mutant needs --mutant PATH")
        return load_function(Path(mutant), exercise.name, "mutant")
    raise ValueError(f"unknown implementation {impl!r}: choose one of {', '.join(IMPLEMENTATIONS)}")
