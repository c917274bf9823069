"""Safe YAML loading that remembers where every value came from.

Scenario, decisions and rubric files are untrusted text. We parse with a local SafeLoader
subclass (the C one when available), refuse anything that builds objects, anchors and
aliases, duplicate keys, and oversized or deeply nested documents, and keep a map from each
value's path (``("faults", 0, "onset_minutes")``) to its line and column so that every later
validation error can point at the exact spot.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from simulator.errors import InputError, Problem
from simulator.format.inputfile import read_limited
from simulator.format.textsafe import HINT as CONTROL_HINT
from simulator.format.textsafe import describe, first_control

try:  # the C parser is much faster on large files; fall back when libyaml is absent
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the platform build
    _BaseLoader = yaml.SafeLoader

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_INT = 10**18  # beyond this no count or duration means anything; also refuses digit bombs

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}

Loc = tuple[int | str, ...]
# Control characters written as such in the file (CR is a line break in YAML, so allowed);
# those written as escapes ("\e") are caught on each text value by _checked_text.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TabletopLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Our own SafeLoader subclass: we never register anything on the global loaders."""


class PureTabletopLoader(yaml.SafeLoader):
    """The pure-Python parser, for platforms without libyaml and for side-by-side benchmarks."""


class Located:
    """A parsed document plus the source position of every path in it."""

    def __init__(self, path: str, data: Any, marks: dict[Loc, tuple[int, int]]) -> None:
        self.path = path
        self.data = data
        self.marks = marks

    def where(self, loc: Loc) -> tuple[int, int]:
        """Line and column (1-based) of ``loc``, or of its nearest located ancestor."""
        probe = tuple(loc)
        while probe:
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, loc: Loc, message: str, hint: str = "") -> Problem:
        line, col = self.where(loc)
        return Problem(self.path, line, col, message, hint)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_text(path: Path, label: str | None = None) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a located InputError.

    The file's type and size are checked before a byte is read (a fifo, a device or a
    directory is refused at once), and never more than MAX_BYTES are read."""
    name = label or str(path)
    raw = read_limited(path, MAX_BYTES, name)
    if b"\x00" in raw:
        raise InputError("", [Problem(name, 1, 1, "binary file (contains NUL bytes)",
                                      "give a YAML text file")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError("", [Problem(name, line, col, "not valid UTF-8 text",
                                      "save the file as UTF-8")]) from None


_OPEN_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+)?(["'])""")


def _unclosed_quote(text: str, line: int) -> tuple[int, int] | None:
    """Where a value opens a quote it never closes on its line, at or before ``line``.

    YAML lets a quoted value run over lines, so an unclosed quote surfaces lines later as
    an unrelated complaint ("did not find expected key"); the line that opened it is the
    one to fix. A candidate counts only if closing its quote at the end of its line lets
    the parser get past the line that failed. Only consulted once parsing has failed."""
    rows = text.splitlines()
    candidates = []
    for number, row in enumerate(rows[:line], start=1):
        match = _OPEN_QUOTE.match(row)
        if match is None:
            continue
        quote, rest = match.group(1), row[match.end():]
        closes = (rest.replace("''", "").count("'") if quote == "'"
                  else rest.replace("\\\\", "").replace('\\"', "").count('"'))
        if closes == 0:
            candidates.append((number, match.start(1) + 1, quote))
    for number, col, quote in reversed(candidates[-3:]):
        patched = [*rows[:number - 1], rows[number - 1] + quote, *rows[number:]]
        try:
            yaml.compose("\n".join(patched), Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if mark is None or mark.line + 1 <= line:
                continue
        except yaml.YAMLError:
            continue
        return number, col
    return None


_CLOSED_QUOTE = re.compile(r"""(?:^|[:,\[{-])\s*(["'])(?:(?!\1).)*\1\s*$""")


def _quoting_hint(text: str, line: int, col: int) -> str:
    """Explain the commonest syntax error in prose: a value that is only partly quoted.

    YAML ends a quoted value at its closing quote, so `text: "v2" shipped` leaves
    `shipped` dangling; the parser's own message ("did not find expected key") hides that.
    """
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    before = lines[line - 1][: col - 1]
    if not _CLOSED_QUOTE.search(before):
        return ""
    return ("this value starts with a quote, so YAML ends it at the closing quote and cannot "
            "read the rest: quote the whole value (text: '\"v2\" shipped', with any ' inside "
            "written twice) or do not start it with a quote")


def load_yaml(text: str, path: str, loader: type[yaml.SafeLoader] = TabletopLoader) -> Located:
    """Parse one YAML document safely into plain data with a position map."""
    problems: list[Problem] = []
    raw_control = _RAW_CONTROL.search(text)
    if raw_control:  # the parser would refuse it too, but without a line and column
        start = raw_control.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        raise InputError("", [Problem(path, line, col, "the file contains the control "
                                      f"character {describe(raw_control.group())}",
                                      CONTROL_HINT)])
    try:
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(path, line, col, "aliases (*name) are not allowed",
                                        "write the value out in full"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(path, line, col, "anchors (&name) are not allowed",
                                        "write the value out in full"))
        if problems:
            raise InputError("", problems)
        parser = loader(text)
        try:
            node = parser.get_single_node()
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        hint = _quoting_hint(text, line, col) if mark else ""
        opened = _unclosed_quote(text, line) if mark else None
        if opened is not None:
            line, col = opened
            reason = "this quoted value is not closed on its line"
            failed = mark.line + 1 if mark else line
            hint = (f"YAML read on past the end of the line and failed at line {failed}: "
                    "end the value with the same quote, or do not start it with a quote")
        elif "tab" in reason:
            hint = "indent with spaces, never tabs: replace the tab at this spot"
        raise InputError("", [Problem(path, line, col, f"YAML syntax error: {reason}",
                                      hint)]) from None
    except yaml.YAMLError as exc:
        raise InputError("", [Problem(path, 1, 1, f"YAML error: {exc}")]) from None
    if node is None:
        raise InputError("", [Problem(path, 1, 1, "the file is empty",
                                      "a scenario starts with 'schema_version: 1'")])
    marks: dict[Loc, tuple[int, int]] = {}
    constructor = yaml.SafeLoader("")
    data = _build(node, (), 0, path, marks, problems, constructor)
    if problems:
        raise InputError("", problems)
    return Located(path, data, marks)


def _build(
    node: yaml.Node,
    loc: Loc,
    depth: int,
    path: str,
    marks: dict[Loc, tuple[int, int]],
    problems: list[Problem],
    constructor: yaml.SafeLoader,
) -> Any:
    marks.setdefault(loc, _mark(node))
    if depth > MAX_DEPTH:
        line, col = _mark(node)
        problems.append(Problem(path, line, col, f"nesting deeper than {MAX_DEPTH} levels"))
        return None
    if node.tag not in _ALLOWED_TAGS:
        line, col = _mark(node)
        problems.append(Problem(path, line, col, f"tag {node.tag!r} is not allowed",
                                "only plain YAML values are accepted"))
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:timestamp":
            return _checked_text(node.value, node, path, problems)
        try:
            value = constructor.construct_object(node, deep=True)
        except ValueError:  # an integer beyond Python's digit limit
            value = math.inf
        if isinstance(value, str):
            return _checked_text(value, node, path, problems)
        if (isinstance(value, float) and not math.isfinite(value)) or (
                isinstance(value, int) and not isinstance(value, bool)
                and abs(value) > MAX_INT):
            line, col = _mark(node)
            what = ("not a number" if value != value else "infinite"
                    if isinstance(value, float) and node.tag.endswith("float") else "too large")
            problems.append(Problem(path, line, col, f"{_short(node.value)} is {what}",
                                    "numbers must be finite; see docs/scenario-format.md "
                                    "for the range of each field"))
            return None
        return value
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*loc, i), depth + 1, path, marks, problems, constructor)
            for i, child in enumerate(node.value)
        ]
    assert isinstance(node, yaml.MappingNode)
    result: dict[Hashable, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            line, col = _mark(key_node)
            problems.append(Problem(path, line, col, "mapping keys must be plain scalars"))
            continue
        key = _build(key_node, loc, depth + 1, path, marks, problems, constructor)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            continue
        if key in result:
            line, col = _mark(key_node)
            problems.append(Problem(path, line, col, f"duplicate key {key!r}",
                                    "each key may appear once in a mapping"))
            continue
        child_loc = (*loc, key if isinstance(key, (str, int)) else str(key))
        marks[child_loc] = _mark(key_node)
        result[key] = _build(value_node, child_loc, depth + 1, path, marks, problems, constructor)
        marks[child_loc] = _mark(key_node)
    return result


def _checked_text(value: str, node: yaml.Node, path: str, problems: list[Problem]) -> str:
    """Refuse a text holding a control character (see simulator.format.textsafe), at the line
    and column where the text starts."""
    index = first_control(value)
    if index is None:
        return value
    line, col = _mark(node)
    problems.append(Problem(path, line, col,
                            f"text contains the control character {describe(value[index])}",
                            CONTROL_HINT))
    return value


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:10]}...({len(text)} characters)"
