"""Exit codes and the exceptions that carry them.

Every error a user can cause maps to one exception class with its exit code, so the CLI has
one handler that prints a clear message and never a traceback (tracebacks are for bugs).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    GOAL_FAILED = 1
    BAD_INPUT = 2
    INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file: rendered as ``path:line:col: message``."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class TabletopError(Exception):
    """Base class: a user-facing error with an exit code."""

    exit_code: ExitCode = ExitCode.BAD_INPUT


class InputError(TabletopError):
    """Bad input (scenario, rubric, decisions, journal, arguments): exit status 2."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return super().__str__()
        return "\n".join(str(p) for p in self.problems)


class OutputError(TabletopError):
    """An output cannot be written (a directory, a missing or read-only folder, a full
    disk, a closed pipe): exit status 2, with the path."""


class DrillInterrupted(TabletopError):
    """The trainee stopped the drill (Ctrl-C); the journal is kept."""

    exit_code = ExitCode.INTERRUPTED
