"""One-key shortcuts on a questionary menu.

questionary's own ``use_shortcuts`` only moves the cursor (Enter still has to follow) and
numbers every entry; the frequent actions of a drill deserve a single key that acts at
once. So the shortcuts are extra prompt_toolkit key bindings merged into the question's
application: a key ends the prompt with the value it stands for, as if that entry had been
chosen. The arrow keys and Enter keep working as before.
"""

from __future__ import annotations

from typing import Any

from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Question


def with_keys(question: Question, keys: dict[str, Any]) -> Question:
    """Make each key of ``keys`` end ``question`` with its value."""
    bindings = KeyBindings()
    for key, value in keys.items():
        def chosen(event: Any, value: Any = value) -> None:
            event.app.exit(result=value)
        bindings.add(key, eager=True)(chosen)
    app = question.application
    app.key_bindings = merge_key_bindings([bindings, app.key_bindings or KeyBindings()])
    return question
