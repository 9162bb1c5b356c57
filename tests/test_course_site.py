"""`minml serve`'s parts without a browser: finding the checkout, serving files, the error messages."""

import threading
import urllib.request
from pathlib import Path

import pytest

from minml import cli, course_site

ROOT = Path(__file__).resolve().parents[1]


def test_find_root_walks_up_to_mkdocs_yml():
    assert course_site.find_root(ROOT / "minml" / "autograd") == ROOT


def test_outside_a_checkout_serve_says_where_to_run_it(tmp_path, monkeypatch, capsys):
    with pytest.raises(course_site.SiteError, match="run minml serve from a minml checkout"):
        course_site.find_root(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["serve", "--no-build"]) == 1
    assert "run minml serve from a minml checkout" in capsys.readouterr().err


def test_no_build_without_a_built_site_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["serve", "--no-build"]) == 1
    assert "no built site" in capsys.readouterr().err


def test_server_serves_the_site_on_loopback_only(tmp_path):
    (tmp_path / "index.html").write_text("<h1>minml</h1>")
    (tmp_path / "font.woff2").write_bytes(b"wOF2")
    server = course_site.make_server(tmp_path, port=0)
    host, port = server.server_address
    assert host == "127.0.0.1"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.read() == b"<h1>minml</h1>"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/font.woff2") as response:
            assert response.headers["Content-Type"] == "font/woff2"
    finally:
        server.shutdown()
        server.server_close()


def test_a_busy_port_suggests_another(tmp_path):
    server = course_site.make_server(tmp_path, port=0)
    try:
        with pytest.raises(course_site.SiteError, match="--port"):
            course_site.make_server(tmp_path, port=server.server_address[1])
    finally:
        server.server_close()
