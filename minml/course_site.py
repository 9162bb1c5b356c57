"""The course site: build it with MkDocs and serve it on this machine (``minml serve``).

The site's sources (``mkdocs.yml``, ``docs/``, ``lessons/``) live in a minml checkout, not in the
installed package, so :func:`find_root` looks for ``mkdocs.yml`` from the current directory
upwards. MkDocs runs from that root (the lesson pages pull code from ``lessons/`` by paths
relative to it) and writes the site into ``site/``; a standard-library HTTP server then serves
it on 127.0.0.1 only: nothing is reachable from other machines.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["SiteError", "find_root", "build", "make_server", "serve"]

HOST = "127.0.0.1"
INSTALL_HINT = 'pip install ".[docs]"'


class SiteError(RuntimeError):
    """The site cannot be built or served; the message says what to do."""


def find_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` (default: the current one) holding ``mkdocs.yml``."""
    start = Path.cwd() if start is None else Path(start)
    for directory in (start.resolve(), *start.resolve().parents):
        if (directory / "mkdocs.yml").is_file():
            return directory
    raise SiteError(f"no mkdocs.yml in {start} or above it: run minml serve from a minml checkout")


def build(root: Path, site_dir: Path, *, strict: bool = False) -> None:
    """Build the site of the checkout at ``root`` into ``site_dir`` (runs the lessons' code blocks)."""
    if importlib.util.find_spec("mkdocs") is None:
        raise SiteError(f"MkDocs is not installed; install the site's tools with: {INSTALL_HINT}")
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--config-file", str(root / "mkdocs.yml")]
    command += ["--site-dir", str(site_dir)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # silence mkdocs-material's banner about MkDocs 2
    if subprocess.run(command, cwd=root, env=env).returncode != 0:
        raise SiteError("building the site failed (MkDocs' messages are above)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request; knows the web-font type."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".woff2": "font/woff2"}

    def log_message(self, format, *args):
        pass


def make_server(site_dir: Path, port: int = 8000, host: str = HOST) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the files in ``site_dir`` on ``host:port`` (port 0: any free port); not yet serving."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise SiteError(f"cannot listen on {host}:{port} ({error.strerror}): try --port {port + 1}") from error


def serve(port: int = 8000, build_site: bool = True, start: Path | None = None) -> None:
    """Build the site (unless ``build_site`` is false) and serve it until Ctrl-C."""
    root = find_root(start)
    site_dir = root / "site"
    if build_site:
        print(f"building the course site from {root} into {site_dir} ...", flush=True)
        build(root, site_dir)
    elif not (site_dir / "index.html").is_file():
        raise SiteError(f"no built site in {site_dir}: run minml serve without --no-build first")
    server = make_server(site_dir, port)
    with server:
        print(f"serving the course at http://{HOST}:{server.server_address[1]}/  (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nstopped")
