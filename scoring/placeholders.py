"""Rubric texts with ``{name}`` placeholders, filled safely.

Advice and keep texts come from rubric files that organisations share, so they are not
format strings: ``str.format`` would honour ``{p:x>2000000000}`` (a 2 GB padding) or
``{p.__class__}``. A placeholder here is a bare name in braces, nothing else; ``{{`` and
``}}`` write a literal brace. Anything else with a brace is refused when the rubric is
loaded, with its position, and filling is one linear pass whose output is the text plus
the values put in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")

HINT = ("a placeholder is a name in braces such as {p}, with no format spec, conversion, "
        "index or attribute; write {{ or }} for a literal brace")


def names(template: str) -> Iterator[str]:
    """The placeholder names of a template, in order."""
    for match in _TOKEN.finditer(template):
        if match.group(1):
            yield match.group(1)


def malformed(template: str) -> str | None:
    """The first brace that is not part of a ``{name}``, ``{{`` or ``}}`` (with some
    context), or None when the template is well formed."""
    for match in _TOKEN.finditer(template):
        if match.group() in ("{", "}"):
            start = match.start()
            close = template.find("}", start, start + 40)
            if close != -1 and match.group() == "{":
                return template[start:close + 1]
            return template[start:start + 20]
    return None


def fill(template: str, facts: Mapping[str, Any]) -> str:
    """Put each fact in its placeholder; an unknown name stays visible as written."""
    def put(match: re.Match[str]) -> str:
        token = match.group()
        if token in ("{{", "{"):
            return "{"
        if token in ("}}", "}"):
            return "}"
        name = match.group(1)
        return str(facts[name]) if name in facts else token

    return _TOKEN.sub(put, template)
