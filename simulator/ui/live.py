"""Screens that follow a running drill: a menu that gives way when the drill moves on.

The facilitator's console and a joined player's terminal sit at a menu most of the time,
while the drill goes on in another process. ``ask_live`` asks the menu and, from a watcher
thread, checks every ``every`` seconds whether what is behind it changed (a blocking wait
between checks, so an idle screen costs no CPU); when it did, the menu is ended with
``Stale`` and the caller draws the screen again and asks anew. Only the top menu is asked
this way: a form being filled in is never pulled away from under the person typing.

``redraw`` paints a screen in one write (cursor home, the new content, erase the rest), so
the terminal never shows a blank frame between two states: no flicker.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from simulator.ui import terminal

#: seconds between two checks of the drill's status
EVERY = 1.0


class Stale(Exception):
    """The screen behind a menu is out of date: draw it again and ask anew.

    ``pointed`` is the value of the entry the cursor was on, so the new menu starts there:
    someone moving through the menu while the drill moves on does not lose their place.
    """

    def __init__(self, pointed: Any = None) -> None:
        super().__init__("the screen is out of date")
        self.pointed = pointed


def start_at(pointed: Any, values: list[Any]) -> Any:
    """The menu's starting entry: where the cursor was, if that entry is still there."""
    return pointed if pointed in values else None


def ask_live(question: Any, changed: Callable[[], bool], every: float = EVERY) -> Any:
    """Ask ``question``; raise ``Stale`` as soon as ``changed()`` says the screen is old.

    ``changed`` runs on the watcher thread, never while the caller runs (the watcher is
    stopped and joined before this returns), so it may share the caller's connection.
    An error in ``changed`` (the drill ended) counts as a change: the caller finds out.
    """
    app = question.application
    stop = threading.Event()

    def watch() -> None:
        stale = False
        while not stop.wait(every):
            if not stale:
                try:
                    stale = changed()
                except Exception:  # the drill ended: the caller's next request says so
                    stale = True
            if stale and _end(app):
                return

    watcher = threading.Thread(target=watch, name="tabletop-live", daemon=True)
    watcher.start()
    try:
        return terminal.ask(question)
    finally:
        stop.set()
        watcher.join()


def _end(app: Any) -> bool:
    """End the running prompt with Stale (on its own loop); False if it is not running yet."""
    loop = getattr(app, "loop", None)
    if loop is None or not app.is_running:
        return False

    def stop() -> None:
        if app.is_running and not app.future.done():
            app.exit(exception=Stale(_pointed(app)))

    loop.call_soon_threadsafe(stop)
    return True


def _pointed(app: Any) -> Any:
    """The value of the entry a questionary menu's cursor is on (None for other prompts)."""
    from questionary.prompts.common import InquirerControl

    for control in app.layout.find_all_controls():
        if isinstance(control, InquirerControl):
            return control.get_pointed_at().value
    return None


def redraw(renderable: Any) -> None:
    """Paint the whole screen with ``renderable`` in one write, without a blank frame."""
    out = terminal.console()
    with out.capture() as captured:
        out.print(renderable)
    text = captured.get().replace("\n", "\x1b[K\n")  # each line erases what it replaced
    sys.stdout.write("\x1b[H" + text + "\x1b[J")
    sys.stdout.flush()
