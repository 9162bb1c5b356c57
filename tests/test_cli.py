"""The `minml` command: `minml info` and `minml demo`."""

import pytest

from minml import cli, demo


def test_info_prints_versions_and_devices(capsys, monkeypatch):
    monkeypatch.delenv("MINML_DEVICE", raising=False)
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    for label in ("minml", "Python", "NumPy", "CuPy", "default device", "devices available", "CUDA"):
        assert label in out
    assert "default device    cpu" in out


def test_info_says_how_to_get_cuda_when_missing(capsys):
    from minml import backend

    ok, _ = backend.cuda_status()
    if ok:
        pytest.skip("CUDA is available here")
    cli.main(["info"])
    assert "pip install 'minml[gpu]'" in capsys.readouterr().out


def test_demo_learns_the_line_and_xor(device):
    import minml

    with minml.device(device):
        w, b = demo.fit_line()
        assert w == pytest.approx(3.0, abs=0.05) and b == pytest.approx(-2.0, abs=0.05)
        assert demo.fit_xor() > 0.9
