"""The Jinja2 environments of the Markdown and HTML reports (package templates).

Every value a report shows may come from a file a stranger wrote (scenario titles, names,
injects, decision arguments), so no value reaches a report as markup: the HTML report is
autoescaped, and the Markdown report, which renderers turn into HTML and which may carry
raw HTML, escapes ``&``, ``<`` and ``>`` in every value it prints (``finalize``), so a
``<script>`` is shown as text wherever the file is rendered.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from scoring.outcome import FIGURE_LABELS, describe
from scoring.process_text import anchor, excerpt
from scoring.scorecard import RATING_NAMES

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _markdown_value(value: Any) -> str:
    return escape(str(value), quote=False)


def environment(markdown: bool = False) -> Environment:
    """The HTML environment (autoescaped), or with ``markdown`` the Markdown one."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html", "html.j2"]),
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True,
                      finalize=_markdown_value if markdown else None)
    env.filters["clock"] = describe
    env.filters["anchor"] = anchor  # a principle's copy inside the report
    env.filters["excerpt"] = excerpt
    env.filters["pipe_safe"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    env.globals.update(FIGURE_LABELS=FIGURE_LABELS, RATING_NAMES=RATING_NAMES)
    return env
