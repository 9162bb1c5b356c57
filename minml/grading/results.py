"""What a grading run found: one :class:`GradedTest` per grader test, gathered by :class:`ResultCollector`.

``ResultCollector`` is a small pytest plugin object: pass one to
``pytest.main(args, plugins=[collector])`` and read ``collector.results``
afterwards. Each test ends in one of the outcomes below; the failure's
exception decides between them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from minml.grading.timeout import GradingTimeout

__all__ = ["PASSED", "FAILED", "NOT_IMPLEMENTED", "TIMED_OUT", "ERROR", "SKIPPED", "GradedTest", "ResultCollector"]

PASSED = "passed"
FAILED = "failed"  # a wrong answer, or an exception in the learner's code
NOT_IMPLEMENTED = "not implemented yet"  # NotImplementedError: the stub is untouched
TIMED_OUT = "timed out"
ERROR = "error"  # the grader could not run: the learner's file does not import, a grader is broken...
SKIPPED = "skipped"

MESSAGE_LINES = 12


@dataclass
class GradedTest:
    """One grader test's result."""

    exercise: str | None  # "01.topological_order" (None: a grader file that failed to import)
    test: str  # pytest's node id: "01_autodiff/test_topological_order.py::test_chain"
    points: int
    outcome: str
    message: str = ""  # the first lines of the failure
    hint: str | None = None
    exception: str | None = None  # the failure's exception type: "AssertionError"

    @property
    def name(self) -> str:
        """The test function's name: "test_chain"."""
        return self.test.rpartition("::")[2] or self.test

    def to_dict(self) -> dict:
        return asdict(self)


def _message(excinfo: pytest.ExceptionInfo, item: pytest.Item) -> str:
    """The exception and its notes (hypothesis adds the failing example as a note), and where it happened."""
    if excinfo.errisinstance((GradingTimeout, NotImplementedError)):
        text = str(excinfo.value)
    else:
        text = excinfo.exconly().strip()
    lines = text.splitlines()
    place = _place_in_exercise_folder(excinfo, item)
    if place:
        lines.insert(1, f"({'stopped' if excinfo.errisinstance(GradingTimeout) else 'raised'} at {place})")
    return "\n".join(lines[:MESSAGE_LINES])


def _place_in_exercise_folder(excinfo: pytest.ExceptionInfo, item: pytest.Item) -> str | None:
    """``name.py:LINE`` of the deepest frame in a file beside the grader (the learner's file), if any."""
    if excinfo.errisinstance((AssertionError, NotImplementedError)):  # the grader's line says more
        return None
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        if path.parent == item.path.parent and path != item.path:
            return f"{path.name}:{entry.lineno + 1}"
    return None


def _outcome(excinfo: pytest.ExceptionInfo, when: str) -> str:
    if excinfo.errisinstance(GradingTimeout):
        return TIMED_OUT
    if excinfo.errisinstance(NotImplementedError):
        return NOT_IMPLEMENTED
    return FAILED if when == "call" else ERROR


class ResultCollector:
    """A pytest plugin object that records a :class:`GradedTest` for every test it sees run."""

    def __init__(self) -> None:
        self._by_id: dict[str, GradedTest] = {}

    @property
    def results(self) -> list[GradedTest]:
        return list(self._by_id.values())

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        result = self._by_id.get(item.nodeid)
        if result is None:
            exercise = item.get_closest_marker("exercise")
            points = item.get_closest_marker("points")
            hint = item.get_closest_marker("hint")
            result = GradedTest(
                exercise=exercise.args[0] if exercise and exercise.args else None,
                test=item.nodeid,
                points=points.args[0] if points and points.args else 1,
                outcome=PASSED,
                hint=hint.args[0] if hint and hint.args else None,
            )
            self._by_id[item.nodeid] = result
        if result.outcome != PASSED:
            return report  # keep the first failure: a teardown error after it says less
        if report.skipped:
            result.outcome, result.message = SKIPPED, str(report.longrepr[-1]) if report.longrepr else ""
        elif report.failed and call.excinfo is not None:
            result.outcome = _outcome(call.excinfo, call.when)
            result.exception = call.excinfo.typename
            result.message = _message(call.excinfo, item)
        elif report.failed:  # failed without an exception: a hookwrapper that set the outcome itself
            result.outcome, result.message = FAILED, str(report.longrepr)
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            lines = str(report.longrepr).strip().splitlines()
            self._by_id[report.nodeid or "collection"] = GradedTest(
                exercise=None,
                test=report.nodeid or "collection",
                points=0,
                outcome=ERROR,
                message="\n".join(lines[-MESSAGE_LINES:]),
            )
