"""Menus that never push the incident view off an 80x24 screen.

The view is printed to leave MENU_ROWS rows for the main menu. A group menu opens below the
main menu's answered question, so it has one row less; a group of nine actions and "← back"
needs eleven and, in a terminal of 24 rows, scrolls the clock and the header off the top.
questionary has no height limit of its own, so the list's prompt_toolkit window gets one:
the window then scrolls to keep the highlighted entry in view (questionary places the
cursor on it), and a scrollbar with arrows on the right says that more entries are above
or below. The question line stays on screen with the list.
"""

from __future__ import annotations

from typing import Any

from prompt_toolkit.layout import Dimension, ScrollbarMargin, Window
from questionary import Question
from questionary.prompts.common import InquirerControl

MENU_ROWS = 8  # the main menu: a question line and seven entries (the view leaves these)
#: a group menu: below the main menu's answered question, a question line and six entries
GROUP_ROWS = MENU_ROWS - 2
#: a pick inside a form (whom, which check): below two answered questions, five entries
PICK_ROWS = MENU_ROWS - 3
#: the margin the scrollbar takes on the right of a capped list
SCROLLBAR = 1


def cap_height(question: Question, entries: int, rows: int) -> Question:
    """Show at most ``rows`` of a select question's ``entries`` at a time (scrolling)."""
    if entries <= rows:
        return question
    for window in question.application.layout.find_all_windows():
        if isinstance(window, Window) and isinstance(window.content, InquirerControl):
            window.height = Dimension(max=rows)
            margins: list[Any] = [ScrollbarMargin(display_arrows=True)]
            window.right_margins = margins
    return question
