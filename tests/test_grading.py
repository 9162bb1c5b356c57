"""Tests of minml.grading itself, on a small made-up course in a temporary folder.

A fake reference package ``gradingfake`` (two marked exercises of lesson 07) stands in for
minml's source; a course folder holds their stubs, graders and a compare.py, as
``minml init`` would make it. (The real lessons are proved by tests/test_graders.py.)
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from minml import cli
from minml.grading import compare, expect, grade, regions, stubs, workspace
from minml.grading.loading import implementation, load_function
from minml.grading.timeout import GradingTimeout, time_limit

ROOT = Path(__file__).resolve().parents[1]

REFERENCE = '''\
"""A stand-in for minml's source: two marked exercises."""

from pathlib import Path

import numpy as np


# exercise 07.scale
def scale(x: float, factor: float = 2.0, *, shift: int = 0) -> float:
    r"""Multiply ``x`` by ``factor``, then add ``shift``.

    The math: $y = a x + b$ (a backslash survives: \\alpha).

        Indented lines stay indented.
    """
    return x * factor + shift
# end exercise


def helper():
    return 1


# exercise 07.count_up
def count_up(n: int, out: np.ndarray | None = None, log: Path | None = None) -> int:
    """Count from 0 up to ``n``; return ``n``."""
    total = 0
    for _ in range(n):
        total += 1
    return total
# end exercise
'''

EXPECTED_SCALE_STUB = '''\
"""Exercise 07.scale: Multiply ``x`` by ``factor``, then add ``shift``.

Generated from gradingfake/__init__.py by `minml exercises generate`. Replace the `raise` with your code.
"""

from __future__ import annotations


def scale(x: float, factor: float = 2.0, *, shift: int = 0) -> float:
    r"""Multiply ``x`` by ``factor``, then add ``shift``.

    The math: $y = a x + b$ (a backslash survives: \\alpha).

        Indented lines stay indented.
    """
    raise NotImplementedError("scale is not implemented yet")
'''

GRADER_SCALE = '''\
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minml.grading import expect

pytestmark = pytest.mark.exercise("07.scale")


@pytest.mark.points(2)
@pytest.mark.hint("multiply by factor first, then add shift")
def test_example(solution):
    expect(solution(3.0, shift=1), 7.0, what="scale(3.0, shift=1)")


@pytest.mark.points(3)
@given(x=st.floats(-1e3, 1e3))
def test_any_number(solution, x):
    expect(solution(x, 3.0), 3.0 * x, what="scale(x, 3.0)")
'''

GRADER_COUNT_UP = '''\
import pytest

pytestmark = pytest.mark.exercise("07.count_up")


def test_counts(solution):
    assert solution(5) == 5, "count_up(5) should be 5"
'''

COMPARE = '''\
import numpy as np

from minml.grading.compare import Case

CASES = [
    Case(
        exercise="07.scale",
        make_inputs=lambda: (np.arange(6.0),),
        peers={"numpy": lambda x: x * 2.0 + 1e-9, "nolib": lambda x: __import__("no_such_library_here")},
        agreement="max_abs_diff",
    ),
]
'''

SOLVED = {
    "scale": "def scale(x, factor=2.0, *, shift=0):\n    return x * factor + shift\n",
    "count_up": "def count_up(n):\n    return n\n",
}


@pytest.fixture(scope="module")
def fake_package_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reference")
    (root / "gradingfake").mkdir()
    (root / "gradingfake" / "__init__.py").write_text(REFERENCE)
    yield root
    sys.modules.pop("gradingfake", None)


@pytest.fixture
def fake_reference(fake_package_root, monkeypatch) -> Path:
    """The package ``gradingfake`` importable, and the only one scanned for exercises."""
    monkeypatch.syspath_prepend(str(fake_package_root))
    monkeypatch.setattr(regions, "REFERENCE_PACKAGES", ("gradingfake",))
    return fake_package_root


@pytest.fixture
def course(fake_reference, tmp_path) -> Path:
    """A course folder as `minml init` makes it: pytest.ini, and lesson 07 with stubs and graders."""
    folder = tmp_path / "course"
    (folder / "07_fake").mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "pytest.ini", folder / "pytest.ini")
    stubs.generate(folder)
    (folder / "07_fake" / "test_scale.py").write_text(GRADER_SCALE)
    (folder / "07_fake" / "test_count_up.py").write_text(GRADER_COUNT_UP)
    (folder / "07_fake" / "compare.py").write_text(COMPARE)
    return folder


def solve(course: Path, name: str, code: str | None = None) -> None:
    (course / "07_fake" / f"{name}.py").write_text(code or SOLVED[name])


def rows(out: str) -> dict[str, tuple[str, str]]:
    """The score table printed by `minml grade`: exercise (or "total") -> (points, status)."""
    table = {}
    for line in out.splitlines():
        if match := re.fullmatch(r"(\d\d\.\w+|total) +(\d+/\d+)(?: +(.*))?", line):
            table[match[1]] = (match[2], match[3] or "")
    return table


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------ regions


def test_registry_finds_both_exercises(fake_reference):
    found = regions.find_exercises()
    assert list(found) == ["07.count_up", "07.scale"]
    scale = found["07.scale"]
    assert (scale.lesson, scale.name, scale.module, scale.source) == ("07", "scale", "gradingfake",
                                                                      "gradingfake/__init__.py")
    assert scale.reference()(2.0, shift=1) == 5.0
    assert regions.find_exercises("08") == {}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# exercise 07.f\ndef f():\n    '''Doc.'''\n", "without a matching"),
        ("def f():\n    '''Doc.'''\n# end exercise\n", "without an '# exercise"),
        ("# exercise 07.f\n# exercise 07.g\n# end exercise\n", "again before the '# end exercise'"),
        ("# exercise 7.f\n# end exercise\n", "malformed marker"),
        ("# exercise 07.f\ndef f():\n    '''Doc.'''\ndef g():\n    '''Doc.'''\n# end exercise\n", "exactly one"),
        ("# exercise 07.f\nX = 1\ndef f():\n    '''Doc.'''\n# end exercise\n", "exactly one"),
        ("# exercise 07.f\ndef g():\n    '''Doc.'''\n# end exercise\n", "named 'g'"),
        ("# exercise 07.f\ndef f():\n    return 1\n# end exercise\n", "needs a docstring"),
        ("# exercise 07.f\ndef f(x=len):\n    '''Doc.'''\n# end exercise\n", "not a literal"),
        ("# exercise 07.f\nclass f:\n    '''Doc.'''\n# end exercise\n", "exactly one"),
    ],
)
def test_malformed_regions_are_refused(tmp_path, source, message):
    path = tmp_path / "module.py"
    path.write_text(source)
    with pytest.raises(regions.RegionError, match=message):
        for exercise in regions._regions(path, "module", "module.py"):
            exercise.function_node()


# -------------------------------------------------------------------------------------- stubs


def test_stub_keeps_signature_and_docstring(fake_reference):
    assert stubs.stub_text(regions.get_exercise("07.scale")) == EXPECTED_SCALE_STUB


def test_stub_imports_the_names_its_signature_uses(fake_reference):
    text = stubs.stub_text(regions.get_exercise("07.count_up"))
    assert (
        "from __future__ import annotations\n\nfrom pathlib import Path\n\nimport numpy as np\n\n\n"
        "def count_up(n: int, out: np.ndarray | None = None, log: Path | None = None) -> int:\n"
    ) in text


def test_generate_writes_stubs_that_raise_not_implemented(course):
    stub = load_function(course / "07_fake" / "count_up.py", "count_up")
    assert stub.__doc__ == "Count from 0 up to ``n``; return ``n``."
    with pytest.raises(NotImplementedError, match="count_up is not implemented yet"):
        stub(3)


def test_check_lists_drifted_missing_and_orphan_stubs(course, capsys):
    assert stubs.check(course) == []
    assert stubs.main_check(str(course)) == 0
    (course / "07_fake" / "scale.py").write_text('"""Exercise 07.scale: old."""\n')
    (course / "07_fake" / "count_up.py").unlink()
    (course / "07_fake" / "gone.py").write_text('"""Exercise 07.gone: an exercise that was removed."""\n')
    (course / "07_fake" / "_helper.py").write_text("X = 1\n")  # not generated: left alone
    problems = stubs.check(course)
    assert len(problems) == 3
    assert "scale.py: differs from its reference gradingfake/__init__.py:8" in problems[1]
    assert "count_up.py: missing" in problems[0] and "gone.py" in problems[2]
    assert stubs.main_check(str(course)) == 1
    assert "`minml exercises generate`" in capsys.readouterr().out
    assert cli.main(["exercises", "generate", "--dir", str(course)]) == 0
    assert stubs.check(course) == [f"{course / '07_fake' / 'gone.py'}: a stub whose exercise is no longer "
                                   "marked in minml (delete it)"]


# --------------------------------------------------------------------------------------- expect


def test_expect_passes_close_values():
    expect(1.0 + 1e-12, 1.0)
    expect(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    expect([1, (2.0, "a")], [1, (2.0, "a")])
    expect({"w": np.ones(2)}, {"w": np.ones(2)})
    expect(None, None)


@pytest.mark.parametrize(
    ("actual", "expected", "message"),
    [
        (2.0, 1.0, "result: expected 1.0, got 2.0"),
        (np.array([1.0, 3.0]), np.array([1.0, 2.0]), "expected [1., 2.], got [1., 3.] (1 of 2 values differ; "
                                                     "at index (1,): expected 2.0, got 3.0)"),
        (np.zeros(3), np.zeros((3, 1)), "expected shape (3, 1), got shape (3,)"),
        ([1, 2], [1, 2, 3], "expected [1, 2, 3], got [1, 2] (2 items, not 3)"),
        ([1, 5], [1, 2], "result[1]: expected 2, got 5"),
        (None, np.zeros(2), "expected [0., 0.], got None"),
        (np.arange(3), np.array([0, 1, 3]), "expected [0, 1, 3], got [0, 1, 2]"),
        ("a", "b", "expected 'b', got 'a'"),
        (1, True, "expected True, got 1"),
    ],
)
def test_expect_says_what_was_expected_and_what_came(actual, expected, message):
    with pytest.raises(AssertionError) as raised:
        expect(actual, expected, hint="check the sign")
    assert message in str(raised.value)
    assert str(raised.value).endswith("\nhint: check the sign")


def test_expect_reads_tensors_on_any_device():
    import minml
    from minml.testing import FAKE_DEVICE

    expect(minml.tensor([1.0, 2.0], device=FAKE_DEVICE), np.array([1.0, 2.0]))
    with pytest.raises(AssertionError, match="gradient: expected"):
        expect(minml.tensor([1.0, 2.0]), [1.0, 2.5], what="gradient")


# ------------------------------------------------------------------------------------ time limit


def test_time_limit_stops_an_endless_loop():
    start = time.perf_counter()
    with pytest.raises(GradingTimeout, match="timed out after 0.2 s: an endless loop"):
        with time_limit(0.2):
            while True:
                pass
    assert time.perf_counter() - start < 2
    with time_limit(0.2):  # a block that ends in time leaves no alarm behind
        pass
    time.sleep(0.3)


# ------------------------------------------------------------------------------------- loading


def test_implementations(course):
    exercise = regions.get_exercise("07.scale")
    assert implementation(exercise, "reference")(1.0) == 2.0
    with pytest.raises(NotImplementedError):
        implementation(exercise, "stub")(1.0)
    with pytest.raises(NotImplementedError):
        implementation(exercise, "learner", course)(1.0)
    solve(course, "scale")
    assert implementation(exercise, "learner", course)(1.0, shift=2) == 4.0
    mutant = course / "mutant.py"
    mutant.write_text("def scale(x, factor=2.0, *, shift=0):\n    return x * factor - shift\n")
    assert implementation(exercise, "mutant", mutant=mutant)(1.0, shift=2) == 0.0


def test_a_learner_file_is_reloaded_on_every_load_and_never_compiled_beside(course):
    exercise = regions.get_exercise("07.count_up")
    solve(course, "count_up", "def count_up(n):\n    return 1\n")
    assert implementation(exercise, "learner", course)(5) == 1
    solve(course, "count_up", "def count_up(n):\n    return 2\n")
    assert implementation(exercise, "learner", course)(5) == 2
    assert not list(course.rglob("__pycache__"))


# -------------------------------------------------------------------------------------- grading


def test_grade_untouched_stubs(course, capsys):
    before = files(course)
    assert grade.main("07", str(course)) == 1
    out = capsys.readouterr().out
    assert rows(out) == {"07.count_up": ("0/1", "not implemented yet"), "07.scale": ("0/5", "not implemented yet"),
                         "total": ("0/6", "")}
    assert "open 07_fake/scale.py and replace the `raise` with your code" in out
    after = files(course)
    assert {k: v for k, v in after.items() if not k.startswith(".minml")} == before  # nothing else written
    record = json.loads((course / ".minml" / "grades.json").read_text())
    assert (record["points"], record["possible"], record["graded"]) == (0, 6, "07")
    scale = next(e for e in record["exercises"] if e["id"] == "07.scale")
    assert scale["status"] == "not implemented yet"
    assert {t["test"] for t in scale["tests"]} == {"07_fake/test_scale.py::test_example",
                                                  "07_fake/test_scale.py::test_any_number"}
    example = next(t for t in scale["tests"] if t["test"].endswith("test_example"))
    assert example == {
        "exercise": "07.scale", "test": "07_fake/test_scale.py::test_example", "points": 2,
        "outcome": "not implemented yet", "message": "scale is not implemented yet",
        "hint": "multiply by factor first, then add shift", "exception": "NotImplementedError",
    }


def test_grade_full_marks(course, capsys):
    solve(course, "scale")
    solve(course, "count_up")
    assert grade.main("07", str(course)) == 0
    out = capsys.readouterr().out
    assert rows(out) == {"07.count_up": ("1/1", "passed"), "07.scale": ("5/5", "passed"), "total": ("6/6", "")}
    assert "Full marks." in out


def test_grade_a_wrong_answer_shows_the_hint_and_the_failing_example(course, capsys):
    solve(course, "scale", "def scale(x, factor=2.0, *, shift=0):\n    return (x + shift) * factor\n")
    solve(course, "count_up")
    assert grade.main("07", str(course)) == 1
    out = capsys.readouterr().out
    assert rows(out)["07.scale"] == ("3/5", "failed")
    assert "-- test_example (2 points): failed" in out
    assert "AssertionError: scale(3.0, shift=1): expected 7.0, got 8.0" in out
    assert "hint: multiply by factor first, then add shift" in out
    assert grade.main("07.scale", str(course), verbose=True) == 1
    assert "ok test_any_number (3 points): passed" in capsys.readouterr().out


def test_grade_one_failing_example_from_hypothesis(course):
    solve(course, "scale", "def scale(x, factor=2.0, *, shift=0):\n    return x * factor if x < 10 else 0.0\n")
    grades, errors, _ = grade.grade("07.scale", course)
    (result,) = [t for t in grades[0].tests if t.name == "test_any_number"]
    assert result.outcome == "failed" and result.exception == "AssertionError"
    # one example, not an exception group (hypothesis's wording changed: "Failing test case" since 6.1xx)
    assert re.search(r"(Falsifying example|Failing test case): test_any_number\(", result.message)
    assert "x=10.0" in result.message  # shrunk to the simplest failing input


def test_grade_stops_an_endless_loop(course, capsys):
    solve(course, "count_up", "def count_up(n):\n    while True:\n        n += 1\n")
    start = time.perf_counter()
    assert grade.main("07.count_up", str(course), timeout=1) == 1
    assert time.perf_counter() - start < 8
    out = capsys.readouterr().out
    assert rows(out)["07.count_up"] == ("0/1", "timed out")
    assert "timed out after 1 s: an endless loop?" in out
    message = json.loads((course / ".minml" / "grades.json").read_text())["exercises"][0]["tests"][0]["message"]
    assert re.search(r"\(stopped at count_up.py:[23]\)", message)  # in the loop


def test_grade_a_file_that_does_not_import(course, capsys):
    solve(course, "count_up", "def count_up(n)\n    return n\n")
    assert grade.main("07.count_up", str(course)) == 1
    out = capsys.readouterr().out
    assert rows(out)["07.count_up"] == ("0/1", "error")
    assert "could not load the learner implementation of 07.count_up: SyntaxError" in out


def test_grade_says_where_an_exception_came_from(course):
    solve(course, "count_up", "def count_up(n):\n    items = []\n    return items[n]\n")
    grades, _, _ = grade.grade("07.count_up", course)
    (result,) = grades[0].tests
    assert result.outcome == "failed"
    assert result.message.splitlines()[:2] == ["IndexError: list index out of range", "(raised at count_up.py:3)"]


def test_grade_restores_hypothesis_settings(course):
    before = settings.get_current_profile_name()
    grade.grade("07", course)
    assert settings.get_current_profile_name() == before


def test_grade_finds_the_folder_from_inside_it(course, monkeypatch, capsys):
    monkeypatch.chdir(course / "07_fake")
    assert cli.main(["grade", "07"]) == 1
    assert f"exercises in {course}" in capsys.readouterr().out
    monkeypatch.chdir(course.parent)
    assert cli.main(["grade"]) == 2
    assert "minml init DIR" in capsys.readouterr().out


def test_grade_rejects_an_unknown_selection(course, capsys):
    assert grade.main("seven", str(course)) == 2
    assert grade.main("09", str(course)) == 2
    assert "no folder for lesson 09" in capsys.readouterr().out


def test_the_plugin_grades_the_reference_stub_and_mutants(course):
    exercises = [str(course / "07_fake")]
    code, results, _ = grade.run_graders(exercises, course, ["--impl=reference"])
    assert code == 0 and {r.outcome for r in results} == {"passed"} and len(results) == 3
    _, results, _ = grade.run_graders(exercises, course, ["--impl=stub"])
    assert {(r.outcome, r.exception) for r in results} == {("not implemented yet", "NotImplementedError")}
    mutant = course / "scale__minus_shift.py"
    mutant.write_text("def scale(x, factor=2.0, *, shift=0):\n    return x * factor - shift\n")
    _, results, _ = grade.run_graders(exercises, course, ["--impl=mutant", f"--mutant={mutant}", "--exercise=07.scale"])
    assert sorted((r.name, r.outcome) for r in results) == [("test_any_number", "passed"), ("test_example", "failed")]


# ----------------------------------------------------------------------------------------- init


def test_init_copies_the_exercises_and_keeps_existing_files(tmp_path, capsys):
    target = tmp_path / "mine"
    assert cli.main(["init", str(target)]) == 0
    source = workspace.source_exercises_dir()
    copied = {k for k in files(target)}
    assert "pytest.ini" in copied
    assert {k for k in files(source) if "__pycache__" not in k and not k.startswith(".")} == copied
    assert workspace.find_exercises_dir(target / "01_autodiff") == target.resolve()
    stub = next(target.glob("01_*/*.py"))
    stub.write_text("# my work\n")
    assert cli.main(["init", str(target)]) == 0
    assert stub.read_text() == "# my work\n"
    assert re.search(r"copied 0 files into .*, kept \d+ of yours", capsys.readouterr().out)


def test_wheel_ships_the_exercises():
    """setup.py maps exercises/ to minml._exercises; every package of minml is listed."""
    from setuptools import find_packages

    text = (ROOT / "setup.py").read_text()
    assert 'package_dir={"minml._exercises": "exercises"}' in text
    assert 'find_packages(include=["minml*"])' in text
    assert "minml.grading" in find_packages(str(ROOT), include=["minml*"])


# -------------------------------------------------------------------------------------- compare


def test_compare_prints_the_table_and_a_figure(course, tmp_path, capsys):
    figure = tmp_path / "times.png"
    assert cli.main(["compare", "07", "--dir", str(course), "--figure", str(figure)]) == 0
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines()]
    assert "07.scale (agreement: max_abs_diff)" in out
    assert ["reference", "array", "(6,)", "float64", "(the", "reference)"] == lines[2][:6]
    assert lines[3] == ["yours", "not", "implemented", "yet"]
    assert lines[4][:7] == ["numpy", "array", "(6,)", "float64", "max", "|diff|", "1e-09"]
    assert lines[5][:3] == ["nolib", "not", "installed"]
    assert figure.stat().st_size > 0
    solve(course, "scale")
    results = compare.run_case(compare.load_module(course / "07_fake" / "compare.py").CASES[0], course)
    assert [(r.name, r.status, r.agreement) for r in results[:2]] == [("reference", "ok", ""),
                                                                      ("yours", "ok", "max |diff| 0")]


def test_compare_agreement_kinds():
    assert compare._agreement([np.ones(2), 1.0], [np.ones(2), 1.0], "equal") == "equal"
    assert compare._agreement(np.ones(2), np.ones(3), "max_abs_diff").startswith("different shape")
    assert compare._agreement(np.ones(2), np.ones(2) + 1e-12, "allclose") == "allclose"
    assert compare._agreement(np.ones(2), np.zeros(2), "allclose") == "differs (max |diff| 1)"
    # a tuple that starts with a NumPy scalar (a float subclass) and goes on with arrays: compared item by item
    assert compare._agreement((np.float64(1.0), np.ones(2)), (np.float64(1.5), np.ones(2)), "max_abs_diff") == (
        "max |diff| 0.5")
    with pytest.raises(ValueError, match="agreement must be one of"):
        compare.Case(exercise="07.scale", make_inputs=tuple, agreement="close enough")


def test_compare_without_a_compare_file(course, capsys):
    (course / "07_fake" / "compare.py").unlink()
    assert compare.main("07", str(course)) == 2
    assert "nothing to compare" in capsys.readouterr().out


def test_the_new_commands_are_listed(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("grade", "compare", "init", "exercises"):
        assert command in out


def test_a_hint_given_to_expect_replaces_the_markers():
    from minml.grading.results import GradedTest

    wrong = "AssertionError: x: expected 1, got 2"
    specific = GradedTest("07.scale", "t::test_a", 1, "failed", wrong + "\nhint: add", "general")
    general = GradedTest("07.scale", "t::test_b", 1, "failed", wrong, "general")
    assert grade._explanation(specific, verbose=False) == ["AssertionError: x: expected 1, got 2", "hint: add"]
    assert grade._explanation(general, verbose=False) == ["AssertionError: x: expected 1, got 2", "hint: general"]
