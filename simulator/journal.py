"""The append-only JSON Lines journal: the single source of truth of a run.

Line 1 is a header (scenario id and content hash, seed, tool version, options); then
``event``, ``metrics`` and ``decision`` records in the order they happen; last an ``end``
record with the outcome. Each line is flushed as it is written, so Ctrl-C or a crash
leaves a journal that can be resumed or scored. No wall-clock time is ever written: the
same scenario, seed and decisions give a byte-identical file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from simulator.errors import InputError, Problem
from simulator.inputfile import read_limited
from simulator.textsafe import HINT as CONTROL_HINT
from simulator.textsafe import controls_in, describe

FORMAT = 1
#: the largest journal read (a day-long drill with its scenario embedded is a few MB); the
#: size and the file type are checked before reading, so /dev/zero or a fifo is refused
MAX_JOURNAL = 64 * 1024 * 1024


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class JournalWriter:
    """Writes records one line at a time and flushes each, so nothing is lost."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.records: list[dict[str, Any]] = []
        self._file: IO[str] | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._file = path.open("w", encoding="utf-8", newline="\n")
            except OSError as exc:
                raise InputError(f"cannot write the journal {path}: {exc.strerror}") from None

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)
        if self._file is not None:
            self._file.write(dumps(record) + "\n")
            self._file.flush()

    def append_to(self, path: Path) -> None:
        """From now on also append to an existing journal (a resumed run continues it)."""
        self.close()
        self.path = path
        self._file = path.open("a", encoding="utf-8", newline="\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass
class Journal:
    """A journal read back from disk."""

    path: str
    header: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)

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


def read_journal(path: Path) -> Journal:
    """Read a journal; a torn last line (a crash mid-write) is tolerated and dropped."""
    name = str(path)
    raw = read_limited(path, MAX_JOURNAL, name, "journal")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("", [Problem(name, 1, 1, f"cannot read journal: {exc}")]) from None
    lines = text.split("\n")
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant)
        except _NotANumber as exc:
            raise InputError("", [Problem(name, number, line.find(str(exc)) + 1,
                                          f"{exc} is not a number a journal may hold",
                                          "the journal was edited or damaged")]) from None
        except json.JSONDecodeError as exc:
            if number >= len(lines) - 1 and records:  # the last line was cut mid-write
                break
            hint = ("a journal is the .jsonl file that tabletop run writes"
                    if not records else "the journal was edited or damaged")
            raise InputError("", [Problem(name, number, exc.colno, f"not JSON: {exc.msg}",
                                          hint)]) from None
        except ValueError as exc:  # an integer with thousands of digits
            raise InputError("", [Problem(name, number, 1, f"not a journal record: {exc}",
                                          "the journal was edited or damaged")]) from None
        if not isinstance(record, dict) or "type" not in record:
            raise InputError("", [Problem(name, number, 1, "each line must be a JSON object "
                                                           "with a 'type'")])
        for where, char in controls_in(record):
            field = ".".join(str(part) for part in where) or "a key"
            raise InputError("", [Problem(name, number, _escape_column(line, char),
                                          f"{field}: text contains the control character "
                                          f"{describe(char)}", CONTROL_HINT)])
        records.append(record)
    if not records or records[0].get("type") != "header":
        raise InputError("", [Problem(name, 1, 1, "not a tabletop journal (no header line)")])
    header = records[0]
    if header.get("format") != FORMAT:
        raise InputError("", [Problem(name, 1, 1, f"journal format {header.get('format')!r} "
                                                   f"is not supported (expected {FORMAT})")])
    return Journal(name, header, records[1:])


class _NotANumber(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotANumber(name)


def _escape_column(line: str, char: str) -> int:
    """Where a control character is written (as a JSON escape) in a journal line."""
    spellings = {json.dumps(char)[1:-1], f"\\u{ord(char):04x}", f"\\u{ord(char):04X}"}
    found = [i for i in (line.find(s) for s in spellings) if i >= 0]
    return min(found) + 1 if found else 1
