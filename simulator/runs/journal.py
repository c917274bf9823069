"""The append-only JSON Lines journal: the single source of truth of a run.

Line 1 is a header (scenario id and content hash, seed, tool version, options); then
``event``, ``metrics`` and ``decision`` records in the order they happen; last an ``end``
record with the outcome. Each line is written with one system call as it happens, so
Ctrl-C or a crash leaves a journal that can be resumed or scored. No wall-clock time is
ever written: the same scenario, seed and decisions give a byte-identical file.

A crash or a full disk can cut the last line mid-write. The reader tolerates that one torn
line (and only an unterminated last line: anything else that is not a record is a located
error) and reports where the intact part ends, so `resume` can cut the fragment off,
keeping a copy, before it appends.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.errors import InputError, OutputError, Problem
from simulator.format.inputfile import open_regular
from simulator.format.textsafe import HINT as CONTROL_HINT
from simulator.format.textsafe import controls_in, describe
from simulator.runs.files import create_journal, create_unique, keep_copy, open_locked, write_all

FORMAT = 1
#: the largest journal read (a day-long drill with its scenario embedded is a few MB); the
#: size and the file type are checked before reading, so /dev/zero or a fifo is refused
MAX_JOURNAL = 64 * 1024 * 1024
#: the longest line a journal may hold (the header embeds a scenario of at most ~1 MB)
MAX_LINE = 8 * 1024 * 1024


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class JournalWriter:
    """Writes records one line at a time, each with one write, so nothing is lost.

    A file journal is created exclusively and locked (see simulator.runs.files): nothing is
    ever written over an existing file unless ``force``, and two processes never write
    one journal at once.
    """

    def __init__(self, path: Path | None, force: bool = False, unique: bool = False,
                 option: str = "--journal") -> None:
        self.path = path
        self.records: list[dict[str, Any]] = []
        self._fd: int | None = None
        if path is not None:
            if unique:
                self._fd, self.path = create_unique(path)
            else:
                self._fd = create_journal(path, force, option)

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)
        if self._fd is not None:
            try:
                write_all(self._fd, (dumps(record) + "\n").encode("utf-8"), self.path)
            except OutputError:
                self.close()  # a journal that failed a write takes no more lines (nor locks)
                raise

    def append_to(self, target: LockedJournal) -> None:
        """From now on also append to an existing journal (a resumed run continues it)."""
        self.close()
        self.path = target.path
        self._fd = target.take()
        os.lseek(self._fd, 0, os.SEEK_END)

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def discard(self) -> None:
        """Remove the journal if nothing was written to it (the drill never started)."""
        if self._fd is not None and not self.records and self.path is not None:
            self.path.unlink(missing_ok=True)
        self.close()


class LockedJournal:
    """An existing journal opened for a resume and locked against a second writer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = open_locked(path)

    def take(self) -> int:
        assert self._fd is not None
        fd, self._fd = self._fd, None
        return fd

    def repair(self, journal: Journal) -> Path | None:
        """Make the file end on a complete line before anything is appended.

        A torn fragment is cut off after copying the whole file to ``PATH.torn-N`` (that
        copy is returned); a complete last record that lost its newline gets it back.
        """
        torn = journal.torn
        assert self._fd is not None
        if torn is None:
            return None
        if not torn.fragment:
            os.lseek(self._fd, 0, os.SEEK_END)
            write_all(self._fd, b"\n", self.path)
            return None
        copy = keep_copy(self.path, "torn")
        try:
            os.ftruncate(self._fd, torn.offset)
            os.fsync(self._fd)
        except OSError as exc:
            raise OutputError(f"cannot cut the torn last line of {self.path}: "
                              f"{exc.strerror}") from None
        return copy

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


@dataclass(frozen=True)
class Torn:
    """The last line of a journal has no newline: it was cut while being written."""

    line: int
    #: bytes of the journal before the torn line (what is kept when it is cut)
    offset: int
    #: True when the line is an unreadable fragment; False when it is a whole record
    #: that only lost its newline
    fragment: bool


@dataclass
class Journal:
    """A journal read back from disk."""

    path: str
    header: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    #: the line number of each record (blank lines are skipped, so they can differ)
    lines: list[int] = field(default_factory=list)
    header_line: int = 1
    torn: Torn | None = None

    @property
    def end(self) -> dict[str, Any] | None:
        ends = [r for r in self.records if r.get("type") == "end"]
        return ends[-1] if ends else None

    def events(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        for r in self.records:
            if r.get("type") == "event" and (kind is None or r.get("kind") == kind):
                yield r

    def decisions(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("type") == "decision"]

    def samples(self) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("type") == "metrics"]

    def line_of(self, index: int) -> int:
        """The line number of ``records[index]``."""
        return self.lines[index] if 0 <= index < len(self.lines) else (
            self.lines[-1] + 1 if self.lines else self.header_line + 1)


class _BadLine(ValueError):
    def __init__(self, col: int, message: str) -> None:
        super().__init__(message)
        self.col = col
        self.message = message


def _no_constant(name: str) -> Any:
    raise _BadLine(1, f"{name} is not a number a journal may hold")


def _parse(raw: bytes) -> tuple[dict[str, Any], str]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _BadLine(exc.start + 1, "not UTF-8 text") from None
    try:
        record = json.loads(line, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _BadLine(exc.colno, f"not JSON: {exc.msg}") from None
    except RecursionError:
        raise _BadLine(1, "not a journal record: nested too deeply") from None
    except _BadLine:
        raise
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise _BadLine(1, f"not a journal record: {exc}") from None
    if not isinstance(record, dict) or "type" not in record:
        raise _BadLine(1, "each line must be a JSON object with a 'type'")
    return record, line


def _lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(line number, byte offset, raw line) for every line, reading the file once.

    The file is opened like any untrusted input (simulator.format.inputfile): a directory, a
    device, a fifo or a file over MAX_JOURNAL is refused before a byte is read.
    """
    name = str(path)
    with open_regular(path, MAX_JOURNAL, name, "journal") as handle:
        offset = 0
        number = 0
        while True:
            try:
                raw = handle.readline(MAX_LINE + 1)
            except OSError as exc:
                raise InputError("", [Problem(name, number + 1, 1, f"cannot read journal: "
                                              f"{exc.strerror or exc}")]) from None
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE:
                raise InputError("", [Problem(name, number, 1, f"line longer than "
                                              f"{MAX_LINE:,} bytes: not a tabletop journal")])
            if offset + len(raw) > MAX_JOURNAL:
                raise InputError("", [Problem(name, number, 1, "journal is larger than the "
                                              f"limit of {MAX_JOURNAL:,} bytes")])
            yield number, offset, raw
            offset += len(raw)


def _escape_column(line: str, char: str) -> int:
    """Where a control character is written (as a JSON escape) in a journal line."""
    spellings = {json.dumps(char)[1:-1], f"\\u{ord(char):04x}", f"\\u{ord(char):04X}"}
    found = [i for i in (line.find(s) for s in spellings) if i >= 0]
    return min(found) + 1 if found else 1


def read_journal(path: Path) -> Journal:
    """Read a journal (streamed once); a torn last line (a crash mid-write) is tolerated."""
    from simulator.runs.records import check_record  # pydantic: not before a drill's prompt

    name = str(path)
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    torn: Torn | None = None
    for number, offset, raw in _lines(path):
        terminated = raw.endswith(b"\n")
        if not raw.strip():
            continue
        try:
            record, text = _parse(raw)
        except _BadLine as exc:
            if not terminated:
                if not records:
                    raise InputError("", [Problem(name, number, 1, "the journal was cut inside "
                                                  "its first line (the header): nothing of the "
                                                  "drill was saved")]) from None
                torn = Torn(number, offset, fragment=True)
                break
            hint = ("a journal is the .jsonl file that tabletop run writes"
                    if not records else "the journal was edited or damaged")
            raise InputError("", [Problem(name, number, exc.col, exc.message, hint)]) from None
        for where, char in controls_in(record):
            field = ".".join(str(part) for part in where) or "a key"
            raise InputError("", [Problem(name, number, _escape_column(text, char),
                                          f"{field}: text contains the control character "
                                          f"{describe(char)}", CONTROL_HINT)])
        check_record(record, name, number, text)
        if not terminated:
            torn = Torn(number, offset + len(raw), fragment=False)
        records.append(record)
        lines.append(number)
    if not records or records[0].get("type") != "header" or any(
            r.get("type") == "header" for r in records[1:]):
        raise InputError("", [Problem(name, lines[0] if lines else 1, 1,
                                      "not a tabletop journal (the header must be its first "
                                      "line, and only there)")])
    header = records[0]
    if header.get("format") != FORMAT:
        raise InputError("", [Problem(name, lines[0], 1, f"journal format "
                                      f"{header.get('format')!r} is not supported "
                                      f"(expected {FORMAT})")])
    return Journal(name, header, records[1:], lines[1:], lines[0], torn)
