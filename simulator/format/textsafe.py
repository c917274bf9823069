"""Control characters in text that came from a file: one definition, used by every reader.

Scenario, rubric, decisions and journal text reaches the terminal and the reports. A C0 or
C1 control character in it (ESC starts the sequences that set a window title, clear the
screen, hide text or, with OSC 52, write the viewer's clipboard; CR rewrites a line) would
let a file shared by a stranger act on the viewer's terminal. Every text read from a file
is checked at load time against this one pattern; newline and tab are the only control
characters a text may hold. Files are refused rather than cleaned: the author gets the
exact spot and can fix it, and nothing the tool shows differs from what the file says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

# C0 (U+0000-U+001F) but tab and newline, DEL, C1 (U+0080-U+009F), and the bidirectional
# embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): these cannot drive a
# terminal, but they make a text read in another order than it is stored ("Trojan Source").
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HINT = "remove it: texts may hold newlines and tabs, no other control characters"


def first_control(text: str) -> int | None:
    """Index of the first forbidden control character in ``text``, or None."""
    found = CONTROL.search(text)
    return None if found is None else found.start()


def describe(char: str) -> str:
    """``U+001B (ESCAPE)``: a control character named so the author can find it."""
    name = unicodedata.name(char, "") or _NAMES.get(ord(char), "control character")
    return f"U+{ord(char):04X} ({name})"


def strip_controls(text: str) -> str:
    """The text with forbidden control characters removed (for what a user types)."""
    return CONTROL.sub("", text)


def controls_in(data: Any, loc: tuple[int | str, ...] = ()
                ) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Every (path, character) of a forbidden control character in parsed JSON-like data,
    keys included; iterative, so deep data cannot exhaust the stack."""
    stack: list[tuple[tuple[int | str, ...], Any]] = [(loc, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            index = first_control(value)
            if index is not None:
                yield where, value[index]
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (index := first_control(key)) is not None:
                    yield (*where, key), key[index]
                stack.append(((*where, key), item))
        elif isinstance(value, list):
            stack.extend(((*where, i), item) for i, item in enumerate(value))


_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0D: "CARRIAGE RETURN",
          0x1B: "ESCAPE", 0x7F: "DELETE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
          0x9D: "OPERATING SYSTEM COMMAND"}
