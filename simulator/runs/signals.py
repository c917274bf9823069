"""SIGTERM and SIGHUP stop a drill the way a pause does: journal kept, resumable.

A drill killed by its terminal closing (SIGHUP) or by a `kill` (SIGTERM) must not leave the
terminal raw, the journal half-written or the trainee without a word. While a drill runs,
`stopping_on_signals()` turns those signals into DrillSignalled, a DrillInterrupted: the
drill loop journals the interruption and closes the journal like a pause, and the CLI
says how to resume and exits 128 + the signal number (143 for SIGTERM, 129 for SIGHUP).

The exception is raised at once only where that is safe, at a prompt (the prompt
library restores the terminal as it unwinds; see `at_prompt`). Anywhere else (the
simulation moving, a journal line being written) it waits for the next decision, which
comes within milliseconds, so no journal line is ever cut by a signal. This module has no
UI imports: the drill loop and the prompts both use it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from simulator.errors import DrillInterrupted

SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
                if s is not None)


class DrillSignalled(DrillInterrupted):
    """The process was asked to stop (SIGTERM, SIGHUP): a pause, exit 128 + signal."""

    def __init__(self, signum: int, ended: bool = False) -> None:
        self.signum = signum
        self.ended = ended  # the drill had ended: its journal is complete, nothing to resume
        self.exit_code = 128 + signum  # type: ignore[assignment]
        super().__init__(f"stopped by {signal.Signals(signum).name}"
                         + (" after the drill ended; its journal is complete" if ended else ""))


class _State:
    installed = False
    prompt_depth = 0
    pending: int | None = None


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    if _state.prompt_depth > 0:
        _state.pending = None
        raise DrillSignalled(signum)
    _state.pending = signum


def check() -> None:
    """Raise a signal that arrived while it was not safe to stop (the drill loop calls
    this before each decision)."""
    if _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise DrillSignalled(signum)


@contextmanager
def at_prompt() -> Iterator[None]:
    """A prompt is waiting for the trainee: a signal may stop the drill right here."""
    check()
    _state.prompt_depth += 1
    try:
        yield
    finally:
        _state.prompt_depth -= 1


@contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Install the handlers for the length of a drill (main thread only; else a no-op)."""
    import threading

    if _state.installed or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in SIGNALS}
    _state.installed, _state.pending = True, None
    try:
        yield
        if _state.pending is not None:  # it came after the last decision: stop now
            raise DrillSignalled(_state.pending, ended=True)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _state.installed, _state.prompt_depth = False, 0
