"""CI's proof that every grader grades: both ways, and against planted mistakes.

For every exercise marked in minml's source (the registry of minml.grading.regions):

* it has at least one grader test and at least two mutants;
* all its grader tests pass on minml's reference (``--impl reference``);
* every one of them fails on the stub, by NotImplementedError, not by an import,
  fixture or collection error (``--impl stub``), so each test really calls the code;
* every mutant in ``tests/mutants/NN_topic/<name>__<mistake>.py`` fails at least one test;
* the committed stubs are what ``minml exercises generate`` writes.

Each (exercise, implementation) is one in-process pytest session with the grading plugin.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from minml import cli
from minml.grading import results as outcomes
from minml.grading.grade import run_graders
from minml.grading.regions import find_exercises
from minml.grading.stubs import check
from minml.grading.workspace import lesson_folder

ROOT = Path(__file__).resolve().parents[1]
EXERCISES_DIR = ROOT / "exercises"
MUTANTS_DIR = ROOT / "tests" / "mutants"
EXERCISES = find_exercises()
MUTANTS = sorted(MUTANTS_DIR.glob("[0-9][0-9]_*/*__*.py"))


def _exercise_of(mutant: Path) -> str:
    """tests/mutants/01_autodiff/unbroadcast__no_keepdims.py -> "01.unbroadcast"."""
    return f"{mutant.parent.name[:2]}.{mutant.stem.split('__')[0]}"


@cache
def graded(exercise_id: str, impl: str, mutant: Path | None = None) -> tuple[outcomes.GradedTest, ...]:
    """The results of the exercise's grader tests on one implementation (one pytest session)."""
    exercise = EXERCISES[exercise_id]
    options = [f"--impl={impl}", f"--exercise={exercise_id}"] + ([f"--mutant={mutant}"] if mutant else [])
    _, results, output = run_graders([lesson_folder(EXERCISES_DIR, exercise.lesson)], EXERCISES_DIR, options)
    collection_errors = [r for r in results if r.exercise is None]
    assert not collection_errors, f"the graders of lesson {exercise.lesson} do not import:\n{output}"
    return tuple(results)


def _describe(results) -> str:
    return "\n".join(f"{r.name}: {r.outcome}: {r.message}" for r in results)


def test_there_are_exercises():
    assert EXERCISES, "no '# exercise NN.name' region found in minml's source"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_has_graders_and_mutants(exercise_id):
    assert len(graded(exercise_id, "reference")) >= 1, f"{exercise_id} has no grader test"
    mutants = [m for m in MUTANTS if _exercise_of(m) == exercise_id]
    assert len(mutants) >= 2, f"{exercise_id} needs at least 2 mutants in {MUTANTS_DIR}, has {len(mutants)}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_reference_passes_every_test(exercise_id):
    results = graded(exercise_id, "reference")
    failing = [r for r in results if r.outcome != outcomes.PASSED]
    assert not failing, f"the reference of {exercise_id} fails its graders:\n{_describe(failing)}"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_stub_fails_every_test_by_not_implemented(exercise_id):
    results = graded(exercise_id, "stub")
    wrong = [r for r in results if r.outcome != outcomes.NOT_IMPLEMENTED or r.exception != "NotImplementedError"]
    assert not wrong, (
        f"every grader test of {exercise_id} must call the stub and fail by its NotImplementedError:\n"
        + _describe(wrong)
    )


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_mutant_is_caught(mutant):
    exercise_id = _exercise_of(mutant)
    assert exercise_id in EXERCISES, f"{mutant} names no exercise: expected <name>__<mistake>.py, NN_topic/"
    results = graded(exercise_id, "mutant", mutant)
    assert results, f"no grader test ran for {exercise_id}"
    caught = [r for r in results if r.outcome != outcomes.PASSED]
    assert caught, f"no grader test of {exercise_id} catches the mistake planted in {mutant.name}"
    assert all(r.outcome in (outcomes.PASSED, outcomes.FAILED, outcomes.TIMED_OUT) for r in results), (
        f"the mutant {mutant.name} should fail by a wrong answer, not by a grader error:\n{_describe(results)}"
    )


def test_mutants_have_a_docstring_naming_the_mistake():
    for mutant in MUTANTS:
        first = mutant.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith(('"""', "'''")), f"{mutant}: start with a one-line docstring naming the mistake"


def test_stubs_match_their_references(capsys):
    problems = check(EXERCISES_DIR)
    assert not problems, "\n".join(problems) + "\nFix: run `minml exercises generate`"
    assert cli.main(["exercises", "check"]) == 0  # what CI runs
