"""Stop runaway code: ``with time_limit(10): ...`` raises :class:`GradingTimeout` after 10 s.

On POSIX an alarm signal (``SIGALRM``) interrupts the code wherever it loops;
Python runs the handler between two bytecodes, and the handler raises. Where
there is no ``SIGALRM`` (Windows), a timer thread interrupts the main thread
instead (``_thread.interrupt_main``). Off the main thread there is no limit:
only the main thread can set a signal handler.

``GradingTimeout`` derives from ``BaseException``, not ``Exception``, for two
reasons: learner code with a broad ``except Exception`` cannot swallow it, and
hypothesis does not treat it as a failing example to shrink (shrinking would
run the endless loop again, many times).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["GradingTimeout", "time_limit"]


class GradingTimeout(BaseException):
    """The code under test ran past its time limit."""

    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:g} s: an endless loop?")
        self.seconds = seconds


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise GradingTimeout in the block if it runs longer than ``seconds`` (None or <= 0: no limit)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set on the main thread: no limit elsewhere
    elif hasattr(signal, "SIGALRM"):
        with _alarm(seconds):
            yield
    else:
        with _timer(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(signum, frame):
        raise GradingTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _timer(seconds: float) -> Iterator[None]:
    import _thread

    fired = threading.Event()

    def on_interrupt(signum, frame):
        if fired.is_set():
            raise GradingTimeout(seconds)
        raise KeyboardInterrupt  # a real Ctrl-C

    def fire():
        fired.set()
        _thread.interrupt_main(signal.SIGINT)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    timer = threading.Timer(seconds, fire)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
