"""``minml compare NN``: the learner's code beside minml's reference and the peers, on the same data.

Each lesson folder has a ``compare.py`` defining ``CASES``, a list of
:class:`Case`. For each case the runner builds the inputs once, calls every
implementation on them (minml's reference first, then the learner's, then the
peers: NumPy, SciPy, scikit-learn, PyTorch where installed), times each (the
best of a few runs), and prints what came out, how far it is from the
reference, and how long it took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from minml.grading.loading import implementation, load_module
from minml.grading.regions import RegionError, get_exercise
from minml.grading.timeout import GradingTimeout, time_limit
from minml.grading.workspace import find_exercises_dir, lesson_folder

__all__ = ["Case", "Result", "run_case", "main"]

AGREEMENTS = ("max_abs_diff", "allclose", "equal")


@dataclass
class Case:
    """One comparison: an exercise, how to make its inputs, and the peers to run beside it.

    ``make_inputs()`` returns the positional arguments, seeded and of a
    realistic size. ``peers`` maps a library name to a function taking the same
    arguments; a peer whose library is missing should fail with ImportError
    when called (``lambda x: __import__("torch")...``): it is then listed as
    "not installed". ``agreement`` says how outputs are compared with the
    reference's. ``figure(results, ax)``, if given, draws this case on a
    matplotlib Axes for ``--figure``.
    """

    exercise: str
    make_inputs: Callable[[], tuple]
    peers: dict[str, Callable] = field(default_factory=dict)
    agreement: str = "max_abs_diff"
    figure: Callable | None = None

    def __post_init__(self):
        if self.agreement not in AGREEMENTS:
            raise ValueError(f"agreement must be one of {AGREEMENTS}, got {self.agreement!r}")


@dataclass
class Result:
    """How one implementation did on one case."""

    name: str  # "reference", "yours", or a peer's name
    status: str  # "ok", "not implemented yet", "not installed", "timed out", or "failed: ..."
    output: object = None
    seconds: float | None = None  # the best time of one call
    agreement: str = ""  # with the reference: "max |diff| 2.2e-16", "allclose", "equal", "differs"...


def _best_time(function: Callable, args: tuple, timeout: float, budget: float = 1.0, repeats: int = 5):
    """(output, best seconds): an untimed warm-up call, then up to ``repeats`` timed calls within ``budget`` seconds.

    The warm-up absorbs one-off costs (a peer library's import, caches, GPU kernel compilation).
    """
    with time_limit(timeout):
        output = function(*args)
        best, spent = float("inf"), 0.0
        for _ in range(repeats):
            start = time.perf_counter()
            function(*args)
            elapsed = time.perf_counter() - start
            best, spent = min(best, elapsed), spent + elapsed
            if spent > budget:
                break
    return output, best


def _run(name: str, function: Callable | None, args: tuple, timeout: float) -> Result:
    if function is None:
        return Result(name, "not implemented yet")
    try:
        output, seconds = _best_time(function, args, timeout)
    except NotImplementedError:
        return Result(name, "not implemented yet")
    except ImportError as error:
        return Result(name, f"not installed ({error.name or error})")
    except GradingTimeout as error:
        return Result(name, str(error))
    except Exception as error:
        return Result(name, f"failed: {type(error).__name__}: {error}")
    return Result(name, "ok", output, seconds)


# ----------------------------------------------------------------------------------------- agreement


def _host(value):
    from minml.grading.expect import _host as host

    return host(value)


def _arrays(value) -> list[np.ndarray]:
    """The output as a flat list of host arrays (tuples and lists of arrays flattened)."""
    if isinstance(value, (list, tuple)) and not all(isinstance(item, (int, float, bool)) for item in value):
        return [array for item in value for array in _arrays(item)]
    return [np.asarray(_host(value), dtype=float)]


def _equal(a, b) -> bool:
    if a is b:
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    try:
        return bool(np.array_equal(_host(a), _host(b)))
    except (TypeError, ValueError):
        return bool(a == b)


def _agreement(output, reference, how: str) -> str:
    if how == "equal":
        return "equal" if _equal(output, reference) else "differs"
    try:
        mine, theirs = _arrays(output), _arrays(reference)
    except (TypeError, ValueError) as error:
        return f"not comparable ({error})"
    if len(mine) != len(theirs) or any(m.shape != t.shape for m, t in zip(mine, theirs)):
        return f"different shape: {[m.shape for m in mine]} vs {[t.shape for t in theirs]}"
    diff = max((float(np.max(np.abs(m - t))) if m.size else 0.0 for m, t in zip(mine, theirs)), default=0.0)
    if how == "allclose":
        close = all(np.allclose(m, t, equal_nan=True) for m, t in zip(mine, theirs))
        return "allclose" if close else f"differs (max |diff| {diff:.2g})"
    return f"max |diff| {diff:.2g}"


# ----------------------------------------------------------------------------------------- the table


def _describe(value) -> str:
    """A few words about an output: "array (200, 3) float64", "0.25", "list of 7"."""
    from minml.autograd.tensor import Tensor

    if isinstance(value, Tensor):
        return f"Tensor {tuple(value.shape)}"
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"array {tuple(value.shape)} {value.dtype}" if value.shape else f"{value.item():.6g}"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of {len(value)}"
    return repr(value)[:30]


def _time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def run_case(case: Case, exercises_dir: Path, timeout: float = 10.0) -> list[Result]:
    """Run the reference, the learner's code and the peers of ``case`` on one set of inputs."""
    exercise = get_exercise(case.exercise)
    args = case.make_inputs()
    reference = _run("reference", exercise.reference(), args, timeout)
    try:
        with time_limit(timeout):  # the file's top level runs on import
            learner = implementation(exercise, "learner", exercises_dir)
        results = [reference, _run("yours", learner, args, timeout)]
    except (Exception, GradingTimeout) as error:  # the learner's file does not import
        results = [reference, Result("yours", f"failed to load: {type(error).__name__}: {error}")]
    results += [_run(name, peer, args, timeout) for name, peer in case.peers.items()]
    for result in results[1:]:
        if result.status == "ok" and reference.status == "ok":
            result.agreement = _agreement(result.output, reference.output, case.agreement)
    return results


def print_table(case: Case, results: list[Result]) -> None:
    """The case's table: one row per implementation; those that did not run say why."""
    reference = results[0]
    header = ("implementation", "output", "agreement", "time", "vs reference")
    rows = []
    for result in results:
        if result.status != "ok":
            rows.append((result.name, result.status))
            continue
        ratio = f"{result.seconds / reference.seconds:.3g}x" if reference.seconds else ""
        agreement = "(the reference)" if result is reference else result.agreement
        rows.append((result.name, _describe(result.output), agreement, _time(result.seconds), ratio))
    full = [header] + [row for row in rows if len(row) == len(header)]
    widths = [max(len(row[i]) for row in full) for i in range(len(header))]
    widths[0] = max(widths[0], *(len(row[0]) for row in rows))
    print(f"{case.exercise} (agreement: {case.agreement})")
    for row in [header, *rows]:
        print("  " + "  ".join(f"{cell:<{width}}" for cell, width in zip(row, widths)).rstrip())
    print()


def _figure(cases_and_results, path: Path) -> None:
    """One panel per case: the case's own figure, or a bar chart of times."""
    from matplotlib.figure import Figure  # no pyplot: draws with Agg whatever the environment says

    figure = Figure(figsize=(7, 2.6 * len(cases_and_results)), layout="constrained")
    axes = figure.subplots(len(cases_and_results), 1, squeeze=False)[:, 0]
    for ax, (case, results) in zip(axes, cases_and_results):
        if case.figure is not None:
            case.figure(results, ax)
        else:
            timed = [r for r in results if r.seconds is not None]
            ax.barh([r.name for r in timed], [r.seconds * 1e3 for r in timed], color="tab:blue")
            ax.invert_yaxis()
            ax.set_xlabel("time of one call (ms), best of a few")
        ax.set_title(case.exercise)
    figure.savefig(path)


def main(lesson: str, directory: str | None = None, figure: str | None = None, timeout: float = 10.0) -> int:
    """``minml compare NN [--dir DIR] [--figure PATH]``."""
    lesson = lesson.zfill(2)
    try:
        exercises_dir = Path(directory).resolve() if directory else find_exercises_dir()
        compare_file = lesson_folder(exercises_dir, lesson) / "compare.py"
        if not compare_file.exists():
            raise FileNotFoundError(f"lesson {lesson} has nothing to compare (no {compare_file})")
        cases = load_module(compare_file, "compare").CASES
    except (FileNotFoundError, AttributeError, RegionError) as error:
        print(f"minml compare: {error}")
        return 2
    done = []
    for case in cases:
        results = run_case(case, exercises_dir, timeout)
        print_table(case, results)
        done.append((case, results))
    if figure:
        _figure(done, Path(figure))
        print(f"figure saved to {figure}")
    if any(r.name == "yours" and r.status != "ok" for _, results in done for r in results):
        print("Implement the exercises (see `minml grade`) to see your code in the table.")
    return 0

