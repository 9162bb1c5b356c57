"""Find the exercises: the marked regions of minml's own source code.

The reference solution of an exercise is ordinary minml code that minml itself
uses, wrapped in two comment lines at the start of a line::

    # exercise 01.topological_order
    def topological_order(root):
        ...
    # end exercise

``NN.name`` is the exercise id: ``NN`` the lesson number, ``name`` the name of
the one top-level function the region holds. :func:`find_exercises` scans
every ``.py`` file of the package, checks each region and returns the registry:
exercise id -> :class:`Exercise`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["Exercise", "RegionError", "REFERENCE_PACKAGES", "find_exercises", "get_exercise"]

#: The packages scanned for regions. Only the tests of minml.grading add another one.
REFERENCE_PACKAGES: tuple[str, ...] = ("minml",)

START = re.compile(r"# exercise (?P<lesson>\d\d)\.(?P<name>[A-Za-z_]\w*)\s*$")
END = re.compile(r"# end exercise\s*$")


class RegionError(ValueError):
    """A marked region that is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: where its reference function lives."""

    id: str  # "01.topological_order"
    lesson: str  # "01"
    name: str  # the function's name: "topological_order"
    module: str  # the module that defines it: "minml.autograd.backward"
    path: Path  # that module's source file
    source: str  # the same, as a learner finds it: "minml/autograd/backward.py"
    start: int  # line number of the "# exercise" marker (1-based)
    end: int  # line number of the "# end exercise" marker

    def reference(self):
        """The reference function itself (imports its module)."""
        import importlib

        return getattr(importlib.import_module(self.module), self.name)

    def function_node(self) -> tuple[str, ast.FunctionDef]:
        """The module's source and the ``def`` node of the reference, checked (see :func:`_check_region`)."""
        source = self.path.read_text(encoding="utf-8")
        return source, _check_region(self, ast.parse(source, str(self.path)))


def _regions(path: Path, module: str, source: str) -> list[Exercise]:
    """The marked regions of one file, with their markers checked for pairing."""
    regions, open_region = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if match := START.match(line):
            if open_region is not None:
                raise RegionError(f"{path}:{number}: '# exercise' again before the '# end exercise' of line "
                                  f"{open_region[0]}")
            open_region = (number, match["lesson"], match["name"])
        elif END.match(line):
            if open_region is None:
                raise RegionError(f"{path}:{number}: '# end exercise' without an '# exercise NN.name' above it")
            start, lesson, name = open_region
            regions.append(Exercise(f"{lesson}.{name}", lesson, name, module, path, source, start, number))
            open_region = None
        elif line.startswith("# exercise"):
            raise RegionError(f"{path}:{number}: malformed marker {line!r}: write '# exercise NN.function_name'")
    if open_region is not None:
        raise RegionError(f"{path}:{open_region[0]}: '# exercise' without a matching '# end exercise'")
    return regions


def _check_region(exercise: Exercise, tree: ast.Module) -> ast.FunctionDef:
    """The region's one top-level function; RegionError if the region holds anything else."""
    where = f"{exercise.path}:{exercise.start}"
    inside = [node for node in tree.body if exercise.start < _first_line(node) < exercise.end]
    straddling = [node for node in tree.body if _first_line(node) < exercise.end and node.end_lineno > exercise.start]
    if len(inside) != 1 or not isinstance(inside[0], ast.FunctionDef) or len(straddling) != 1:
        raise RegionError(f"{where}: a region must hold exactly one top-level function (def), and nothing else")
    function = inside[0]
    if function.end_lineno >= exercise.end:
        raise RegionError(f"{where}: '# end exercise' must come after the end of {function.name}")
    if function.name != exercise.name:
        raise RegionError(f"{where}: the marker says {exercise.name!r} but the function is named {function.name!r}")
    if ast.get_docstring(function) is None:
        raise RegionError(f"{where}: {function.name} needs a docstring: it is the learner's task description")
    arguments = function.args
    for default in [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]:
        try:
            ast.literal_eval(default)
        except ValueError:
            raise RegionError(
                f"{where}: the default {ast.unparse(default)!r} is not a literal, so the stub could not define it"
            ) from None
    return function


def _first_line(node: ast.stmt) -> int:
    """The first line of a statement, decorators included."""
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


@cache
def _scan(packages: tuple[str, ...]) -> dict[str, Exercise]:
    import importlib.util

    found: dict[str, Exercise] = {}
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise RegionError(f"cannot find the package {package!r} to scan for exercises")
        root = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root).with_suffix("")
            parts = [package, *relative.parts]
            if parts[-1] == "__init__":
                parts.pop()
            source = path.relative_to(root.parent).as_posix()
            for exercise in _regions(path, ".".join(parts), source):
                if exercise.id in found:
                    other = found[exercise.id]
                    raise RegionError(f"{path}:{exercise.start}: {exercise.id} is also marked in {other.path}")
                found[exercise.id] = exercise
    for exercise in found.values():
        exercise.function_node()  # validates the region
    return dict(sorted(found.items()))


def find_exercises(lesson: str | None = None) -> dict[str, Exercise]:
    """The registry: exercise id -> Exercise, sorted by id; only lesson ``NN`` if given.

    Raises :class:`RegionError` on the first malformed region.
    """
    exercises = _scan(REFERENCE_PACKAGES)
    return {key: ex for key, ex in exercises.items() if lesson is None or ex.lesson == lesson}


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; KeyError listing the known ids if there is none."""
    exercises = find_exercises()
    if exercise_id not in exercises:
        known = ", ".join(exercises) or "none"
        raise KeyError(f"no exercise {exercise_id!r} is marked in minml's source (known: {known})")
    return exercises[exercise_id]
