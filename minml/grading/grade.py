"""``minml grade [NN]``: run the graders on the learner's code and print a score table.

The graders are ordinary pytest files; this runs pytest in this process with
the grading plugin (:mod:`minml.grading.plugin`), collects one result per
test (:mod:`minml.grading.results`), and sums points per exercise. It writes
nothing into the learner's files, only ``.minml/grades.json`` in the
exercises folder. The exit status is 0 only on full marks.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from minml.grading import results as outcomes
from minml.grading.regions import RegionError, find_exercises
from minml.grading.results import GradedTest, ResultCollector
from minml.grading.workspace import find_exercises_dir, lesson_folder, lesson_folders

__all__ = ["ExerciseGrade", "run_graders", "grade", "main"]

GRADES_FILE = Path(".minml") / "grades.json"
NO_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


@dataclass
class ExerciseGrade:
    """The points of one exercise, and the results of its tests."""

    id: str
    tests: list[GradedTest] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(t.points for t in self.tests if t.outcome == outcomes.PASSED)

    @property
    def possible(self) -> int:
        return sum(t.points for t in self.tests)

    @property
    def status(self) -> str:
        """passed, not implemented yet, timed out, error, failed, or "no tests"."""
        found = {t.outcome for t in self.tests}
        if not self.tests:
            return "no tests"
        if found == {outcomes.PASSED}:
            return outcomes.PASSED
        for outcome in (outcomes.TIMED_OUT, outcomes.ERROR):
            if outcome in found:
                return outcome
        if found == {outcomes.NOT_IMPLEMENTED}:
            return outcomes.NOT_IMPLEMENTED
        return outcomes.FAILED

    def to_dict(self) -> dict:
        return {"id": self.id, "points": self.points, "possible": self.possible, "status": self.status,
                "tests": [t.to_dict() for t in self.tests]}


def _selection(which: str | None) -> tuple[str | None, str | None]:
    """``"01"`` -> ("01", None); ``"01.unbroadcast"`` -> ("01", "01.unbroadcast"); None -> (None, None)."""
    if which is None:
        return None, None
    match = re.fullmatch(r"(\d{1,2})(?:\.(\w+))?", which)
    if match is None:
        raise ValueError(f"what to grade: a lesson such as 01, or an exercise such as 01.unbroadcast; got {which!r}")
    lesson = match[1].zfill(2)
    return lesson, f"{lesson}.{match[2]}" if match[2] else None


def run_graders(targets: list[Path], exercises_dir: Path, extra: list[str] = (), quiet: bool = True):
    """Run pytest on ``targets`` with the grading plugin; (pytest's exit code, results, pytest's output)."""
    import pytest

    collector = ResultCollector()
    args = [*map(str, targets), "-p", "minml.grading.plugin", "-p", "no:cacheprovider", "-q", "--tb=short",
            f"--rootdir={exercises_dir}", f"--exercises-dir={exercises_dir}", *extra]
    output = io.StringIO()
    modules_before = set(sys.modules)
    writes_bytecode, autoload = sys.dont_write_bytecode, os.environ.get(NO_AUTOLOAD)
    sys.dont_write_bytecode = True  # no __pycache__ in the learner's folders
    os.environ[NO_AUTOLOAD] = "1"  # only our plugin: none of the other pytest plugins installed here
    try:
        with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
            code = pytest.main(args, plugins=[collector])
    finally:
        sys.dont_write_bytecode = writes_bytecode
        if autoload is None:
            del os.environ[NO_AUTOLOAD]
        else:
            os.environ[NO_AUTOLOAD] = autoload
        _forget_modules(set(sys.modules) - modules_before, exercises_dir)
    return int(code), collector.results, output.getvalue()


def _forget_modules(names: set[str], exercises_dir: Path) -> None:
    """Drop the grader and learner modules this run imported, so a next run imports them afresh.

    (pytest caches test modules by name, and ``01_autodiff.test_x`` is the same name in every
    exercises folder.)
    """
    root = exercises_dir.resolve()
    for name in names:
        file = getattr(sys.modules.get(name), "__file__", None)
        if name.startswith("_minml_") or (file and Path(file).resolve().is_relative_to(root)):
            sys.modules.pop(name, None)


def grade(which: str | None, exercises_dir: Path, timeout: float = 10.0, verbose: bool = False):
    """Grade lesson NN, exercise NN.name, or everything; (grades per exercise, other errors, pytest's output)."""
    lesson, only = _selection(which)
    folders = lesson_folders(exercises_dir)
    targets = [lesson_folder(exercises_dir, lesson)] if lesson else list(folders.values())
    extra = [f"--grade-timeout={timeout}"] + ([f"--exercise={only}"] if only else [])
    _, results, output = run_graders(targets, exercises_dir, extra, quiet=not verbose)
    expected = [e for e in find_exercises(lesson) if only in (None, e) and e[:2] in folders]
    grades = {exercise_id: ExerciseGrade(exercise_id) for exercise_id in expected}
    errors = []
    for result in results:
        if result.exercise is None:
            errors.append(result)  # a grader file that does not even import
        else:
            grades.setdefault(result.exercise, ExerciseGrade(result.exercise)).tests.append(result)
    return list(grades.values()), errors, output


# ------------------------------------------------------------------------------------------ the report


def _stub_file(exercises_dir: Path, exercise_id: str) -> str:
    lesson, name = exercise_id.split(".")
    try:
        return str((lesson_folder(exercises_dir, lesson) / f"{name}.py").relative_to(exercises_dir))
    except (FileNotFoundError, ValueError):
        return f"{name}.py"


def _explanation(test: GradedTest, verbose: bool) -> list[str]:
    """What to show under a failed test: the message's first line (all of it if verbose) and the hint.

    A hint given to ``expect`` is part of the message and is more specific than the
    test's ``hint`` marker, so it is shown instead of the marker's.
    """
    lines = [line for line in test.message.strip().splitlines() if line.strip()]
    hints = [line for line in lines if line.startswith("hint: ")]
    shown = lines if verbose else lines[:1] + hints
    if not hints and test.hint:
        shown.append(f"hint: {test.hint}")
    return shown


def print_report(grades: list[ExerciseGrade], errors: list[GradedTest], exercises_dir: Path, verbose: bool) -> None:
    width = max([len(g.id) for g in grades] + [len("exercise")]) + 2
    print(f"{'exercise':<{width}}{'points':>8}   status")
    for g in grades:
        print(f"{g.id:<{width}}{f'{g.points}/{g.possible}':>8}   {g.status}")
        if g.status == outcomes.NOT_IMPLEMENTED and not verbose:
            print(f"    open {_stub_file(exercises_dir, g.id)} and replace the `raise` with your code")
            continue
        for test in g.tests:
            if test.outcome == outcomes.PASSED and not verbose:
                continue
            mark = "ok" if test.outcome == outcomes.PASSED else "--"
            plural = "s" if test.points != 1 else ""
            print(f"    {mark} {test.name} ({test.points} point{plural}): {test.outcome}")
            if test.outcome != outcomes.PASSED:
                for line in _explanation(test, verbose):
                    print(f"         {line}")
    for error in errors:
        print(f"error in {error.test}:")
        for line in error.message.splitlines()[-6:]:
            print(f"    {line}")
    got, possible = sum(g.points for g in grades), sum(g.possible for g in grades)
    print(f"{'total':<{width}}{f'{got}/{possible}':>8}")


def _write_grades(exercises_dir: Path, which: str | None, grades: list[ExerciseGrade], errors: list[GradedTest]):
    path = exercises_dir / GRADES_FILE
    path.parent.mkdir(exist_ok=True)
    record = {
        "graded": which or "all",
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "exercises_dir": str(exercises_dir),
        "points": sum(g.points for g in grades),
        "possible": sum(g.possible for g in grades),
        "exercises": [g.to_dict() for g in grades],
        "errors": [e.to_dict() for e in errors],
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path


def main(which: str | None = None, directory: str | None = None, verbose: bool = False, timeout: float = 10.0) -> int:
    """``minml grade [NN] [--dir DIR] [--verbose]``; 0 only on full marks."""
    try:
        exercises_dir = Path(directory).resolve() if directory else find_exercises_dir()
        grades, errors, output = grade(which, exercises_dir, timeout=timeout, verbose=verbose)
    except (FileNotFoundError, ValueError, RegionError) as error:
        print(f"minml grade: {error}")
        return 2
    print(f"minml grade{' ' + which if which else ''}: exercises in {exercises_dir}")
    print()
    print_report(grades, errors, exercises_dir, verbose)
    path = _write_grades(exercises_dir, which, grades, errors)
    print(f"\nresults written to {path}")
    full = bool(grades) and not errors and all(g.points == g.possible > 0 for g in grades)
    if full:
        print("Full marks.")
    elif not verbose:
        print("`minml grade --verbose` shows every test and whole messages.")
    return 0 if full else 1
