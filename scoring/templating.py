"""The Jinja2 environment shared by the Markdown and HTML reports (package templates)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from scoring.outcome import FIGURE_LABELS, describe
from scoring.scorecard import RATING_NAMES

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html", "html.j2"]),
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["clock"] = describe
    env.filters["pipe_safe"] = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
    env.globals.update(FIGURE_LABELS=FIGURE_LABELS, RATING_NAMES=RATING_NAMES)
    return env
