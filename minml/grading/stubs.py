"""Write the learner's stubs from the reference code: ``minml exercises generate`` and ``check``.

A stub keeps the reference function's signature (annotations and defaults
verbatim) and its docstring (the task), and replaces the body with
``raise NotImplementedError``. Stubs are committed, so CI runs
``minml exercises check``, which fails when a stub differs from what
``generate`` would write now: the docstring or the signature changed in minml
and nobody regenerated.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import io
import sys
import tokenize
import types
from pathlib import Path

from minml.grading.regions import Exercise, RegionError, find_exercises
from minml.grading.workspace import lesson_folder, source_exercises_dir

__all__ = ["stub_text", "stub_path", "generate", "check", "main_generate", "main_check"]

STUB = '''"""Exercise {id}: {summary}.

Generated from {source} by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations
{imports}

{header}
    {docstring}
    raise NotImplementedError("{name} is not implemented yet")
'''


def _header(source: str, function: ast.FunctionDef) -> str:
    """The ``def ...:`` line(s) of ``function`` exactly as written, up to the colon that opens the body."""
    lines = source.splitlines(keepends=True)
    # From the "def" to the line before the body (the body's own line if it shares the header's).
    last = max(function.lineno, function.body[0].lineno - 1)
    text = "".join(lines[function.lineno - 1 : last])[function.col_offset :]
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif token.type == tokenize.OP and token.string == ":" and depth == 0:
            row, col = token.end
            return "".join(text.splitlines(keepends=True)[: row - 1]) + text.splitlines()[row - 1][:col]
    raise RegionError(f"could not find the end of the signature of {function.name}")


def _signature_imports(exercise: Exercise, function: ast.FunctionDef) -> str:
    """Import lines for the names the signature's annotations use (``Tensor``, ``np``), sorted as isort does.

    The learner's file then defines every name it mentions, and the learner sees
    where ``Tensor`` comes from.
    """
    arguments = function.args
    annotations = [a.annotation for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                          arguments.vararg, arguments.kwarg] if a is not None and a.annotation]
    names = {node.id for annotation in [*annotations, function.returns] if annotation is not None
             for node in ast.walk(annotation) if isinstance(node, ast.Name)} - set(dir(builtins))
    module = importlib.import_module(exercise.module)
    sections: dict[int, tuple[list[str], list[str]]] = {0: ([], []), 1: ([], []), 2: ([], [])}
    for name in sorted(names):
        if not hasattr(module, name):
            raise RegionError(f"{exercise.path}:{exercise.start}: cannot tell where {name!r} in the signature "
                              f"of {exercise.name} comes from: import it at the top of the module")
        value = getattr(module, name)
        origin = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if isinstance(value, types.ModuleType):
            line = f"import {origin}" + (f" as {name}" if name != origin else "")
        elif origin and getattr(sys.modules.get(origin), name, None) is value:
            line = f"from {origin} import {name}"
        else:
            origin, line = exercise.module, f"from {exercise.module} import {name}"
        top = origin.partition(".")[0]
        section = 0 if top in sys.stdlib_module_names else 2 if top == exercise.module.partition(".")[0] else 1
        sections[section][line.startswith("from")].append(line)
    blocks = ["\n".join(sorted(plain) + sorted(from_)) for plain, from_ in sections.values() if plain or from_]
    return "".join(f"\n{block}\n" for block in blocks)


def _docstring_literal(docstring: str, indent: str = "    ") -> str:
    """A string literal for ``docstring`` (as cleaned by ast.get_docstring), indented as a function body."""
    lines = docstring.splitlines()
    body = lines[0] + "".join(f"\n{indent}{line}" if line else "\n" for line in lines[1:])
    if len(lines) > 1:
        body += f"\n{indent}"  # the closing quotes on their own line, as PEP 257 has it
    prefix = "r" if "\\" in docstring else ""
    return f'{prefix}"""{body}"""'


def stub_text(exercise: Exercise) -> str:
    """The stub of ``exercise``: what ``minml exercises generate`` writes for it."""
    source, function = exercise.function_node()
    docstring = ast.get_docstring(function)
    summary = docstring.splitlines()[0].strip().rstrip(".")
    text = STUB.format(
        id=exercise.id,
        summary=summary,
        source=exercise.source,
        imports=_signature_imports(exercise, function),
        header=_header(source, function),
        docstring=_docstring_literal(docstring),
        name=exercise.name,
    )
    stub_function = ast.parse(text).body[-1]
    if ast.get_docstring(stub_function) != docstring:  # quotes or escapes a plain literal cannot carry
        raise RegionError(f"{exercise.path}:{exercise.start}: the docstring of {exercise.name} does not survive "
                          'copying into a stub; avoid """ and a trailing backslash in it')
    return text


def stub_path(exercise: Exercise, exercises_dir: Path) -> Path:
    """Where the stub of ``exercise`` lives: ``<exercises_dir>/NN_topic/<name>.py``."""
    return lesson_folder(exercises_dir, exercise.lesson) / f"{exercise.name}.py"


def _orphans(exercises_dir: Path, exercises: dict[str, Exercise]) -> list[Path]:
    """Generated stubs whose exercise no longer exists (their first line says "Exercise NN.name")."""
    expected = {stub_path(e, exercises_dir).resolve() for e in exercises.values()}
    orphans = []
    for path in sorted(exercises_dir.glob("[0-9][0-9]_*/*.py")):
        with path.open(encoding="utf-8") as file:
            generated = file.readline().startswith('"""Exercise ')
        if generated and path.resolve() not in expected:
            orphans.append(path)
    return orphans


def generate(exercises_dir: Path) -> list[Path]:
    """Write (overwrite) every stub into ``exercises_dir``; the paths written."""
    written = []
    for exercise in find_exercises().values():
        path = stub_path(exercise, exercises_dir)
        path.write_text(stub_text(exercise), encoding="utf-8")
        written.append(path)
    return written


def check(exercises_dir: Path) -> list[str]:
    """One line per stub that is missing, differs from its reference, or has no exercise any more."""
    problems = []
    exercises = find_exercises()
    for exercise in exercises.values():
        try:
            path = stub_path(exercise, exercises_dir)
        except FileNotFoundError as error:
            problems.append(str(error))
            continue
        if not path.exists():
            problems.append(f"{path}: missing (the stub of {exercise.id})")
        elif path.read_text(encoding="utf-8") != stub_text(exercise):
            problems.append(f"{path}: differs from its reference {exercise.source}:{exercise.start}")
    for path in _orphans(exercises_dir, exercises):
        problems.append(f"{path}: a stub whose exercise is no longer marked in minml (delete it)")
    return problems


def _exercises_dir(directory: str | None) -> Path:
    path = Path(directory) if directory else source_exercises_dir()
    if not path.is_dir():
        raise FileNotFoundError(f"no exercises directory at {path}")
    return path


def main_generate(directory: str | None = None) -> int:
    """``minml exercises generate``: rewrite every stub from its reference."""
    try:
        exercises_dir = _exercises_dir(directory)
        written = generate(exercises_dir)
    except (RegionError, FileNotFoundError) as error:
        print(f"minml exercises generate: {error}")
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def main_check(directory: str | None = None) -> int:
    """``minml exercises check``: exit 1 listing every stub that drifted from its reference."""
    try:
        exercises_dir = _exercises_dir(directory)
        problems = check(exercises_dir)
    except (RegionError, FileNotFoundError) as error:
        print(f"minml exercises check: {error}")
        return 1
    if problems:
        print("minml exercises check: the stubs are out of date:")
        for line in problems:
            print(f"  {line}")
        print("Fix: run `minml exercises generate` and commit the result.")
        return 1
    print(f"minml exercises check: {len(find_exercises())} stubs match their references")
    return 0
