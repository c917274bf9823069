"""The `tabletop score` arguments, kept apart from the scorer so that building the command
line (every `tabletop` call, `--help` included) does not import the scorer and its reports.
"""

from __future__ import annotations

import argparse
from pathlib import Path

#: report formats and the suffix of each file written beside a journal
FORMATS = {"text": ".score.txt", "md": ".score.md", "json": ".score.json",
           "html": ".score.html"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("journal", type=Path, help="a drill's journal (.jsonl)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                        help="report format (default: text)")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write the report to FILE instead of stdout")
    parser.add_argument("--rubric", type=Path, metavar="FILE",
                        help="a rubric YAML file (full, or 'extends: builtin' with changes)")
    parser.add_argument("--postmortem", type=Path, metavar="FILE",
                        help="a postmortem written after the drill (YAML: the sections of "
                        "write_postmortem), scored into this report")
