"""The one way this tool makes a rich Console: every string printed is text, never markup.

Titles, names, injects, findings and paths come from files a stranger may write. Rich reads
``[bold]`` and ``[link=...]`` in plain strings as markup (a stray ``[/]`` raises, a link
becomes live) and ``:smile:`` as an emoji code, so a console made here has markup, emoji and
highlighting off; styles are given with Text objects instead. Rich still parses markup in a
Panel's title string whatever the console says, so panel titles go through ``title()``.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text


def console(**options: Any) -> Console:
    """A Console that prints strings literally (markup, emoji codes, highlighting off)."""
    options.setdefault("highlight", False)
    return Console(markup=False, emoji=False, **options)


def title(text: str, style: str = "") -> Text:
    """A Panel or Table title that is shown as written."""
    return Text(text, style=style)
