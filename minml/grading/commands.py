"""The course's subcommands of ``minml``: grade, compare, init and exercises.

:mod:`minml.cli` calls :func:`add_commands`; each command imports its module
only when it runs, so ``minml info`` stays fast.
"""

from __future__ import annotations

import argparse

__all__ = ["add_commands"]


def _grade(args: argparse.Namespace) -> int:
    from minml.grading import grade

    return grade.main(args.which, args.dir, verbose=args.verbose, timeout=args.timeout)


def _compare(args: argparse.Namespace) -> int:
    from minml.grading import compare

    return compare.main(args.lesson, args.dir, figure=args.figure, timeout=args.timeout)


def _init(args: argparse.Namespace) -> int:
    from minml.grading import workspace

    return workspace.main_init(args.directory)


def _exercises(args: argparse.Namespace) -> int:
    from minml.grading import stubs

    return stubs.main_generate(args.dir) if args.action == "generate" else stubs.main_check(args.dir)


def add_commands(commands) -> None:
    """Add the course's subcommands to the ``minml`` parser's subparsers ``commands``."""
    grade = commands.add_parser("grade", help="grade your exercises: a score table, hints, .minml/grades.json")
    grade.add_argument("which", nargs="?", default=None, help="a lesson (01) or one exercise (01.unbroadcast); "
                       "default: every lesson")
    grade.add_argument("--dir", default=None, help="the exercises folder (default: found from here upwards)")
    grade.add_argument("--verbose", "-v", action="store_true", help="every test, whole messages, pytest's output")
    grade.add_argument("--timeout", type=float, default=10.0, help="seconds per test before it is stopped (10)")
    grade.set_defaults(run=_grade)

    compare = commands.add_parser("compare", help="your code beside minml's reference and the peers: agreement, time")
    compare.add_argument("lesson", help="the lesson number, such as 01")
    compare.add_argument("--dir", default=None, help="the exercises folder (default: found from here upwards)")
    compare.add_argument("--figure", metavar="PATH", default=None, help="also save a figure (PNG, SVG, PDF...)")
    compare.add_argument("--timeout", type=float, default=10.0, help="seconds per call before it is stopped (10)")
    compare.set_defaults(run=_compare)

    init = commands.add_parser("init", help="copy the exercises into a folder of your own to work in")
    init.add_argument("directory", help="the folder to create (files already there are kept)")
    init.set_defaults(run=_init)

    exercises = commands.add_parser("exercises", help="maintainers: generate the stubs, or check them (CI)")
    exercises.add_argument("action", choices=["generate", "check"],
                           help="generate: (re)write every stub from minml's marked regions; "
                                "check: exit 1 if a committed stub differs from what generate writes")
    exercises.add_argument("--dir", default=None, help="the exercises folder (default: the checkout's exercises/)")
    exercises.set_defaults(run=_exercises)
