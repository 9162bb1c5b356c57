"""A minimal terminal progress bar, for loops that take a while (training epochs).

::

    epoch 3/10 |##########----------|  40/100  [00:02<00:03]  loss 0.214

The bar redraws itself in place with a carriage return (``\\r``), so it needs a
terminal. When the stream is not one (a log file, a pipe, pytest's capture) it
writes nothing at all: a log is not the place for a hundred redrawn lines.

The ETA assumes the remaining steps take as long as the finished ones did on
average: ``eta = elapsed / done · (total - done)``. Redraws are limited to
about ten a second, so a fast loop does not spend its time printing.
"""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBar"]


def _clock(seconds: float) -> str:
    """Seconds, rounded, as mm:ss (or h:mm:ss past an hour)."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class ProgressBar:
    """A bar for ``total`` steps on ``stream`` (default stderr), drawn only if the stream is a terminal.

    >>> bar = ProgressBar(len(loader), description="epoch 1/5")
    >>> for batch in loader:
    ...     ...
    ...     bar.update()
    >>> bar.close("loss 0.21")      # final state, with a note, and a newline

    ``total=None`` (an iterable of unknown length) shows the count without bar or ETA.
    ``enabled`` overrides the terminal check (True: always draw, False: never).
    """

    width = 20  # characters of the bar itself
    min_interval = 0.1  # seconds between redraws

    def __init__(self, total: int | None, description: str = "", stream=None, enabled: bool | None = None):
        self.total = total
        self.description = description
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = (callable(isatty) and isatty()) if enabled is None else enabled
        self.done = 0
        self.start = time.perf_counter()
        self._last_draw = float("-inf")
        self._drawn = 0  # length of the line on screen

    def update(self, steps: int = 1) -> None:
        """Count ``steps`` more finished steps; redraw if the last redraw is old enough."""
        self.done += steps
        now = time.perf_counter()
        if self.enabled and now - self._last_draw >= self.min_interval:
            self._last_draw = now
            self._draw(now)

    def close(self, note: str = "") -> None:
        """Draw the final state with ``note`` after it, and end the line."""
        if self.enabled:
            self._draw(time.perf_counter(), note)
            self.stream.write("\n")
            self.stream.flush()

    def render(self, now: float, note: str = "") -> str:
        """The line as it is drawn at time ``now`` (without the carriage return)."""
        elapsed = now - self.start
        parts = [self.description] if self.description else []
        if self.total:
            filled = min(self.width, self.width * self.done // self.total)
            parts.append("|" + "#" * filled + "-" * (self.width - filled) + "|")
            digits = len(str(self.total))
            parts.append(f"{self.done:>{digits}}/{self.total}")
            eta = elapsed / self.done * max(0, self.total - self.done) if self.done else None
            parts.append(f"[{_clock(elapsed)}<{'?' if eta is None else _clock(eta)}]")
        else:
            parts.append(f"{self.done} [{_clock(elapsed)}]")
        if note:
            parts.append(note)
        return "  ".join(parts)

    def _draw(self, now: float, note: str = "") -> None:
        line = self.render(now, note)
        # pad over the rest of a longer previous line: \r moves the cursor back but erases nothing
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)
