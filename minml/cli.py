"""The ``minml`` command (also ``python -m minml``).

* ``minml info``: versions, the default device, the devices available, and
  how to get a GPU working when it is not.
* ``minml demo``: fit two small models with the autodiff engine (:mod:`minml.demo`).
* ``minml serve``: build the course site and serve it on 127.0.0.1 (:mod:`minml.course_site`).
* ``minml grade``, ``minml compare``, ``minml init`` and ``minml exercises``: the
  course's exercises (:mod:`minml.grading.commands`).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import platform
import sys

__all__ = ["main"]


def _module_version(name: str) -> str:
    """The version of an importable module, "not installed", or why it fails to import."""
    if importlib.util.find_spec(name) is None:
        return "not installed"
    try:
        return importlib.import_module(name).__version__
    except Exception as error:  # CuPy raises at import when its CUDA libraries are missing
        return f"installed but fails to import ({type(error).__name__}: {error})"


def _distribution_version(name: str) -> str:
    """The installed version of a distribution, read without importing it (PyTorch is slow to import)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _minml_version() -> str:
    import minml

    version = getattr(minml, "__version__", None)
    if version is None:
        version = _distribution_version("minml")
        if version == "not installed":
            version = "unknown (not pip-installed)"
    return version


def _line(label: str, value: str) -> None:
    print(f"{label:<18}{value}")


def info(args: argparse.Namespace) -> int:
    """Print versions and devices; say how to fix CUDA when it is unavailable."""
    from minml import backend

    _line("minml", _minml_version())
    _line("Python", platform.python_version())
    _line("NumPy", _module_version("numpy"))
    _line("SciPy", _module_version("scipy"))
    _line("CuPy", _module_version("cupy"))
    _line("PyTorch", f"{_distribution_version('torch')} (optional: differential tests and benchmarks)")

    try:
        default = str(backend.default_device())
    except ValueError as error:  # a bad MINML_DEVICE
        default = f"invalid: {error}"
    devices = backend.available_devices()
    _line("default device", default)
    _line("devices available", ", ".join(str(d) for d in devices))

    ok, message = backend.cuda_status()
    if ok:
        _line("CUDA", message)
    else:
        _line("CUDA", f"unavailable: {message}")
        if backend.CUPY_INSTALL_HINT not in message:
            _line("", f"to use an NVIDIA GPU: {backend.CUPY_INSTALL_HINT}")
        if default.startswith("cuda"):
            _line("", "the default device is CUDA but CUDA is unavailable: unset MINML_DEVICE or fix the above")
    return 0


def demo(args: argparse.Namespace) -> int:
    """Fit two small models with the autodiff engine and print what they learned."""
    from minml import backend
    from minml.demo import run

    try:
        backend.get_backend(args.device)  # None: the default device
    except (backend.DeviceError, ValueError) as error:  # a device that is unknown or unavailable here
        print(f"minml demo: {error}", file=sys.stderr)
        return 1
    run(device=args.device)
    return 0


def serve(args: argparse.Namespace) -> int:
    """Build the course site with MkDocs and serve it on 127.0.0.1 until Ctrl-C."""
    from minml.course_site import SiteError
    from minml.course_site import serve as serve_site

    try:
        serve_site(port=args.port, build_site=not args.no_build)
    except SiteError as error:
        print(f"minml serve: {error}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minml", description="minml: a from-scratch ML engine and course.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    info_parser = commands.add_parser("info", help="versions, devices, and how to enable a GPU")
    info_parser.set_defaults(run=info)

    demo_parser = commands.add_parser("demo", help="fit a line and a small neural network with autodiff")
    demo_parser.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: $MINML_DEVICE or cpu)")
    demo_parser.set_defaults(run=demo)

    serve_parser = commands.add_parser("serve", help="build the course site and serve it on 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    serve_parser.add_argument("--no-build", action="store_true", help="serve the last build in site/ as it is")
    serve_parser.set_defaults(run=serve)

    from minml.grading.commands import add_commands  # grade, compare, init, exercises

    add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``minml`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    return args.run(args)
