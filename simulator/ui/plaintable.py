"""A text table without rich, for `tabletop list`.

Importing rich's Table (and the Console it needs) cost more than everything else `list`
does, and `list` is one of the commands that must start in about the time Python takes to
import rich.console (issue 11, item 13). A catalogue needs only a title, a header, columns
that fit the terminal and wrapped cells, so this draws them as rich's ``box.SIMPLE_HEAD``
table without edges would: columns two spaces apart, a rule under the header (``-`` when
the output cannot encode ``─``).

Cells are shown as text: characters that are not printable (controls, escapes) become
spaces, so nothing in a cell reaches the terminal as a command.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

MIN_COLUMN = 6
GAP = 2  # spaces between columns


def cells(text: str) -> int:
    """Terminal columns the text takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` columns; a word longer than a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cells(word) > width:  # a word that fits no line: cut it
            room = width - cells(line) - (1 if line else 0)
            if room < 1:
                lines.append(line)
                line, room = "", width
            head = _fit(word, room)
            line = f"{line} {head}" if line else head
            word = word[len(head):]
        if not line:
            line = word
        elif cells(line) + 1 + cells(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _fit(word: str, width: int) -> str:
    """The longest start of ``word`` that takes at most ``width`` columns (at least one
    character, so wrapping always advances)."""
    end = 1
    while end < len(word) and cells(word[:end + 1]) <= width:
        end += 1
    return word[:end]


def widths(natural: list[int], longest_word: list[int], room: int) -> list[int]:
    """Column widths within ``room``: the widest column that can wrap between words gives
    up a column at a time; only when none can do the words get cut."""
    out = list(natural)
    while sum(out) > room:
        shrinkable = [i for i, w in enumerate(out) if w > longest_word[i]] or [
            i for i, w in enumerate(out) if w > MIN_COLUMN]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: out[i])
        out[widest] -= 1
    return out


def fancy(stream: TextIO) -> tuple[bool, bool]:
    """(a line character for the rule, bold and italic) for this output, as rich decides."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    styled = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    return encoding.startswith("utf"), styled


def render(title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
           right: Sequence[bool], width: int, unicode: bool = True,
           styled: bool = False) -> str:
    """The table as text, at most ``width`` columns wide when the columns allow it."""
    header = [printable(h) for h in header]
    body = [[" ".join(printable(c).split()) for c in row] for row in rows]
    natural = [max([cells(h), *(cells(r[i]) for r in body)]) for i, h in enumerate(header)]
    longest = [max(cells(word) for cell in [h, *(r[i] for r in body)] for word in
                   cell.split() or [""]) for i, h in enumerate(header)]
    sizes = widths(natural, longest, width - GAP * (len(header) - 1))

    def row_lines(row: Sequence[str], bold: bool = False) -> list[str]:
        wrapped = [wrap(cell, w) for cell, w in zip(row, sizes, strict=True)]
        out = []
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for cell, w, align_right in zip(wrapped, sizes, right, strict=True):
                text = cell[n] if n < len(cell) else ""
                pad = " " * (w - cells(text))
                text = f"\x1b[1m{text}\x1b[0m" if bold and text else text
                parts.append(pad + text if align_right else text + pad)
            out.append((" " * GAP).join(parts))
        return out

    total = sum(sizes) + GAP * (len(sizes) - 1)
    name = printable(title)
    name = name if cells(name) <= total else _fit(name, total)
    margin = (total - cells(name)) // 2
    shown = f"\x1b[3m{name}\x1b[0m" if styled else name
    lines = [" " * margin + shown + " " * (total - cells(name) - margin)]
    lines += row_lines(header, bold=styled)
    lines.append(("─" if unicode else "-") * total)
    for row in body:
        lines += row_lines(row)
    return "\n".join(lines) + "\n"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
                right: Sequence[bool], stream: TextIO | None = None) -> None:
    """Print the table to ``stream`` (standard output), fitted to the terminal's width."""
    stream = stream or sys.stdout
    unicode, styled = fancy(stream)
    width = shutil.get_terminal_size((80, 24)).columns
    stream.write(render(title, header, rows, right, width, unicode, styled))
