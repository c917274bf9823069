"""The scorer: grade a drill's journal against the incident process, with evidence.

Public API: ``score_journal(path)`` returns a Scorecard; ``write_reports(journal_path)``
writes the text, Markdown, JSON and HTML reports next to a journal.
"""

from scoring.debrief import write_reports
from scoring.grader import grade, score_journal
from scoring.rubric import load_rubric

__all__ = ["grade", "load_rubric", "score_journal", "write_reports"]
