"""The scorer: grade a drill's journal against the incident process, with evidence.

Public API: ``score_journal(path)`` returns a Scorecard; ``write_reports(journal_path)``
writes the text, Markdown, JSON and HTML reports next to a journal. The names are imported
on first use (PEP 562), so importing one light scoring module does not load them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["grade", "load_rubric", "score_journal", "write_reports"]

if TYPE_CHECKING:
    from scoring.debrief import write_reports
    from scoring.grader import grade, score_journal
    from scoring.rubric import load_rubric

_LAZY = {"write_reports": "scoring.debrief", "grade": "scoring.grader",
         "score_journal": "scoring.grader", "load_rubric": "scoring.rubric"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
