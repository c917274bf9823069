"""The one way this tool makes a rich Console: every string printed is text, never markup.

Titles, names, injects, findings and paths come from files a stranger may write. Rich reads
``[bold]`` and ``[link=...]`` in plain strings as markup (a stray ``[/]`` raises, a link
becomes live) and ``:smile:`` as an emoji code, so a console made here has markup, emoji and
highlighting off; styles are given with Text objects instead. Rich still parses markup in a
Panel's title string whatever the console says, so panel titles go through ``title()``.
"""

from __future__ import annotations

from collections.abc import Callable
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


#: the prompt_toolkit applications running now (a form asked from the menu nests one)
_ASKING: list[Any] = []


def ask(question: Any) -> Any:
    """Ask a questionary question (``unsafe_ask``: Ctrl-C reaches the decider), letting
    another thread interrupt it with ``interrupt_prompts`` (a facilitator's inject)."""
    _ASKING.append(question.application)
    try:
        return question.unsafe_ask()
    finally:
        _ASKING.remove(question.application)


def interrupt_prompts(exception: Callable[[], BaseException]) -> None:
    """From any thread: end the prompt on screen by raising ``exception()`` in its asker.

    prompt_toolkit is not thread-safe, so the exit is scheduled on the prompt's own event
    loop; a prompt already finishing is left alone.
    """
    for app in list(_ASKING):
        loop = getattr(app, "loop", None)
        if loop is None or not app.is_running:
            continue

        def stop(app: Any = app) -> None:
            if app.is_running and not app.future.done():
                app.exit(exception=exception())

        loop.call_soon_threadsafe(stop)
