"""The terminal progress bar: drawn in place on a terminal, silent anywhere else.

The bar never touches arrays, so these tests take no ``device``.
"""

import io

import pytest

from minml.progress import ProgressBar


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


def test_silent_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(10, "epoch 1/3", stream=stream)
    for _ in range(10):
        bar.update()
    bar.close("loss 0.5")
    assert stream.getvalue() == ""


def test_redraws_in_place_on_a_terminal_and_ends_the_line_on_close():
    stream = Terminal()
    bar = ProgressBar(4, "epoch 1/3", stream=stream)
    bar.min_interval = 0.0  # draw at every step
    for _ in range(4):
        bar.update()
    bar.close("loss 0.5")
    text = stream.getvalue()
    assert text.count("\r") == 5 and text.endswith("\n") and text.count("\n") == 1
    final = text.rsplit("\r", 1)[1]
    assert final.startswith("epoch 1/3  |" + "#" * ProgressBar.width + "|  4/4  [00:00<00:00]  loss 0.5")


def test_redraws_are_rate_limited():
    stream = Terminal()
    bar = ProgressBar(1000, stream=stream)
    for _ in range(1000):
        bar.update()
    assert stream.getvalue().count("\r") < 10


def test_a_shorter_line_blanks_out_the_longer_one_before_it():
    stream = Terminal()
    bar = ProgressBar(None, "a long description", stream=stream, enabled=True)
    bar.update()
    bar.description = ""
    bar.close()
    first, second = stream.getvalue().split("\r")[1:]
    assert second == "1 [00:00]".ljust(len(first)) + "\n"


@pytest.mark.parametrize(
    ("done", "elapsed", "expected"),
    [
        (0, 5.0, "|" + "-" * 20 + "|   0/10  [00:05<?]"),
        (5, 5.0, "|" + "#" * 10 + "-" * 10 + "|   5/10  [00:05<00:05]"),
        (2, 4000.0, "|" + "#" * 4 + "-" * 16 + "|   2/10  [1:06:40<4:26:40]"),
    ],
)
def test_render_shows_the_fraction_done_and_the_eta(done, elapsed, expected):
    bar = ProgressBar(10, enabled=False)
    bar.done = done
    assert bar.render(bar.start + elapsed) == expected


def test_forced_on_or_off_whatever_the_stream():
    stream, terminal = io.StringIO(), Terminal()
    ProgressBar(3, stream=stream, enabled=True).close()
    ProgressBar(3, stream=terminal, enabled=False).close()
    assert stream.getvalue().startswith("\r|") and terminal.getvalue() == ""
