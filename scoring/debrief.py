"""Reports for a finished (or stopped) drill: written next to the journal, and the debrief.

`write_reports(journal)` is what `tabletop run` and the interactive UI call when a drill
ends; `score_command` is `tabletop score`. Both only read the journal (and the scenario it
names), so a run can be re-scored later with another rubric.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from scoring.arguments import FORMATS, add_arguments
from scoring.grader import score_journal
from scoring.report_html import render_html
from scoring.report_json import render_json
from scoring.report_md import render_markdown
from scoring.report_text import render_scorecard, render_text
from scoring.scorecard import Scorecard
from simulator.runs.files import check_output, refuse_inputs, write_atomic

RENDERERS: dict[str, tuple[str, Callable[[Scorecard], str]]] = {
    "text": (FORMATS["text"], render_text),
    "md": (FORMATS["md"], render_markdown),
    "json": (FORMATS["json"], render_json),
    "html": (FORMATS["html"], render_html),
}
__all__ = ["RENDERERS", "add_arguments", "print_debrief", "score_command", "write_reports"]


def report_path(journal: Path, fmt: str) -> Path:
    """`runs/x.jsonl` -> `runs/x.score.md` (and .json, .html, .txt)."""
    return journal.with_name(journal.stem + RENDERERS[fmt][0])


def write_reports(journal: Path, rubric: Path | None = None,
                  formats: tuple[str, ...] = ("md", "json", "html")
                  ) -> tuple[Scorecard, dict[str, Path]]:
    """Score a journal and write its reports beside it; returns the scorecard and paths."""
    card = score_journal(journal, rubric)
    written: dict[str, Path] = {}
    for fmt in formats:
        path = report_path(journal, fmt)
        write_atomic(path, RENDERERS[fmt][1](card), f"the {fmt} report")
        written[fmt] = path
    return card, written


def print_debrief(card: Scorecard, written: dict[str, Path] | None = None) -> None:
    """The end-of-drill debrief on the terminal: scorecard, figures, improvement plan."""
    from simulator.ui import terminal

    console = terminal.console()
    console.print(render_scorecard(card))
    for fmt, path in (written or {}).items():
        console.print(f"{fmt} report: {path}", highlight=False)


def score_command(args: argparse.Namespace) -> int:
    """`tabletop score`: exit 0 after writing the report; bad input raises (exit 2).

    The output is checked before any work and never lands on an input (the journal, the
    rubric, the postmortem); it is written to a temporary file and renamed, so it is never
    half written.
    """
    if args.output is not None:
        refuse_inputs(args.output, [("journal", args.journal), ("rubric", args.rubric),
                                    ("postmortem", getattr(args, "postmortem", None))],
                      "--output")
        check_output(args.output, "--output")
    card = score_journal(args.journal, args.rubric,
                         postmortem_path=getattr(args, "postmortem", None))
    if args.format == "text" and args.output is None:
        print_debrief(card)
        return 0
    text = RENDERERS[args.format][1](card)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text, "--output")
        print(f"{args.format} report written to {args.output}")
    return 0


def debrief_after_run(journal: Path, quiet: bool = False) -> Scorecard:
    """What `tabletop run` does at the end: reports beside the journal, then the debrief."""
    card, written = write_reports(journal)
    if not quiet:
        print_debrief(card, written)
    return card
