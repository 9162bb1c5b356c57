"""The pytest plugin the graders run under (``exercises/pytest.ini`` loads it).

A grader is a pytest file next to the stub it grades::

    pytestmark = pytest.mark.exercise("01.topological_order")

    @pytest.mark.points(2)
    @pytest.mark.hint("the usual mistake this test catches, phrased as advice")
    def test_chain_order(solution):
        ...

What the plugin adds:

* markers ``exercise(id)``, ``points(n)`` (default 1) and ``hint(text)``;
* the fixture ``solution``: the function under test, chosen by ``--impl``:
  ``learner`` (the file ``NN_topic/<name>.py`` of the exercises folder),
  ``reference`` (minml's own), ``stub`` (as generated) or ``mutant``
  (``--mutant PATH``, a planted mistake);
* a time limit per test (``--grade-timeout``, 10 s) that ends an endless loop
  with "timed out after 10 s: an endless loop?";
* hypothesis settings for grading: no deadline, a fixed seed (the same grade
  on every run), one clear failing example rather than a group of them;
* ``--exercise ID`` runs only that exercise's tests.

It is loaded by ``-p minml.grading.plugin`` in ``exercises/pytest.ini`` (and
by ``minml grade``), not by a conftest.py: pytest imports every conftest.py
as the module ``conftest``, a name an enclosing pytest run already holds when
CI runs the graders in-process. Nor is it a pytest11 entry point: that would
load it into every pytest run wherever minml is installed (minml's own engine
tests, a learner's other projects) and switch their hypothesis settings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

import minml.testing  # noqa: F401 - registers the fake device, so MINML_DEVICE=fake works for graders
from minml.grading.loading import IMPLEMENTATIONS, implementation
from minml.grading.regions import get_exercise
from minml.grading.timeout import time_limit

PROFILE = "minml-grading"
GRADING_SETTINGS = dict(
    deadline=None,  # learner code may be slow; the per-test time limit catches endless loops
    max_examples=50,
    derandomize=True,  # the same examples on every run: a grade does not change by chance
    report_multiple_bugs=False,  # one clear failing example, not an exception group
    database=None,  # write nothing into the learner's folder
    print_blob=False,
    # Find a failing example and shrink it; skip the "explain" phase, which re-runs the test many times.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    # `solution` is function-scoped but only hands over a function: sharing it across examples is safe.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

_profile_before_grading = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("minml grading")
    group.addoption("--impl", choices=IMPLEMENTATIONS, default="learner",
                    help="the implementation the graders test (default: learner)")
    group.addoption("--mutant", metavar="PATH", default=None, help="with --impl mutant: the file defining the function")
    group.addoption("--exercises-dir", metavar="DIR", default=None,
                    help="where the learner's files are (default: the folder above the grader's lesson folder)")
    group.addoption("--grade-timeout", metavar="SECONDS", type=float, default=10.0,
                    help="time limit of each test (default 10; 0: none)")
    group.addoption("--exercise", metavar="ID", default=None, help="run only the tests of this exercise (NN.name)")


def pytest_configure(config: pytest.Config) -> None:
    global _profile_before_grading
    config.addinivalue_line("markers", "exercise(id): the exercise a grader test grades, such as '01.unbroadcast'")
    config.addinivalue_line("markers", "points(n): what the test is worth (default 1)")
    config.addinivalue_line("markers", "hint(text): advice shown when the test fails: the usual mistake behind it")
    current = getattr(settings, "get_current_profile_name", None)  # public in recent hypothesis only
    _profile_before_grading = current() if current else settings._current_profile
    settings.register_profile(PROFILE, **GRADING_SETTINGS)
    settings.load_profile(PROFILE)
    set_hypothesis_home_dir(config.rootpath / ".minml" / "hypothesis")  # its caches: not beside the learner's files


def pytest_unconfigure(config: pytest.Config) -> None:
    if _profile_before_grading is not None:  # leave hypothesis as we found it (pytest may run in-process)
        settings.load_profile(_profile_before_grading)
        set_hypothesis_home_dir(None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = config.getoption("exercise")
    if wanted is None:
        return
    selected, deselected = [], []
    for item in items:
        marker = item.get_closest_marker("exercise")
        (selected if marker is not None and marker.args[0] == wanted else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Run the test under the time limit."""
    with time_limit(item.config.getoption("grade_timeout")):
        return (yield)


@pytest.fixture
def solution(request: pytest.FixtureRequest):
    """The function under test: the learner's, minml's reference, the stub or a mutant (``--impl``)."""
    marker = request.node.get_closest_marker("exercise")
    if marker is None or not marker.args:
        pytest.fail("this grader names no exercise: add pytestmark = pytest.mark.exercise('NN.name')", pytrace=False)
    config = request.config
    try:
        exercise = get_exercise(marker.args[0])
    except KeyError as error:
        pytest.fail(error.args[0], pytrace=False)
    exercises_dir = Path(config.getoption("exercises_dir") or request.path.parent.parent)
    impl = config.getoption("impl")
    try:
        with time_limit(config.getoption("grade_timeout")):  # the file's top level runs on import
            return implementation(exercise, impl, exercises_dir, config.getoption("mutant"))
    except Exception as error:  # the file does not import (a SyntaxError...): say so, briefly
        pytest.fail(f"could not load the {impl} implementation of {exercise.id}: "
                    f"{type(error).__name__}: {error}", pytrace=False)
