"""Drive the real interactive prompts from keystrokes (prompt_toolkit pipe input).

All keys of a script go into the pipe at once and the pipe is closed, so a script that
does not match the prompts fails with EOFError instead of hanging. Menus start on their
first enabled entry (the top menu, after '← back', on the entry left) and the arrow keys
skip disabled ones, so ``pick(n)`` means "the n-th entry that can be chosen".
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput
from rich.console import Console

from simulator.engine.drill import Outcome
from simulator.format.loader import load_scenario
from simulator.format.scenario import Scenario
from simulator.players.play import resume_drill, run_drill
from simulator.ui.prompts import PromptDecider

DOWN, UP, ENTER, CTRL_C, CLEAR = "\x1b[B", "\x1b[A", "\r", "\x03", "\x15"
TOP = {"coordinate": 0, "investigate": 1, "mitigate": 2, "communicate": 3, "close": 4,
       "wait": 5, "more": 6}
START = ENTER  # any key leaves the briefing


def pick(n: int = 0) -> str:
    return DOWN * n + ENTER


def text(value: str, replace: bool = False) -> str:
    """Type a line; ``replace`` first clears the pre-filled default."""
    return (CLEAR if replace else "") + value + ENTER


def top(name: str) -> str:
    return pick(TOP[name])


def explain() -> str:
    """Help › explain an action (the action is picked next)."""
    return top("more") + pick(0)


def read_channel() -> str:
    return top("more") + pick(1)


def wait(minutes: float, early: bool = False) -> str:
    """Wait a fixed time (or, with `early`, until news arrives)."""
    return top("wait") + text(f"{minutes:g}", replace=True) + yes(early)


def yes(answer: bool = True) -> str:
    """Answer a yes/no question: y or n, then Enter (a bare y no longer answers it)."""
    return ("y" if answer else "n") + ENTER


def key(name: str) -> str:
    """A one-key shortcut of the main menu: w wait, u update, d delegate, n note, ? help."""
    return name


def pause() -> str:
    """Ctrl-C, then 'Pause' in the interruption menu."""
    return CTRL_C + pick(1)


def decider(scenario: Scenario, console: Console, coach: str = "off", pressure: float = 0.0,
            clock: Callable[[], float] | None = None) -> PromptDecider:
    extra = {"clock_": clock} if clock else {}
    return PromptDecider(scenario, coach=coach, pressure=pressure, console=console, **extra)


def screen(width: int = 80, height: int = 24) -> Console:
    return Console(file=StringIO(), width=width, height=height, color_system=None)


def play_keys(keys: str, journal: Path | None, scenario_id: str = "redis-saturation",
              seed: int = 7, coach: str = "off", pressure: float = 0.0,
              clock: Callable[[], float] | None = None, console: Console | None = None,
              menus: StringIO | None = None) -> Outcome:
    """Play a drill from ``keys``; ``menus`` (if given) receives the prompts as drawn."""
    scenario, ref = load_scenario(scenario_id)
    console = console or screen()
    output = PlainTextOutput(menus) if menus is not None else DummyOutput()
    with create_pipe_input() as inp, create_app_session(input=inp, output=output):
        inp.send_text(keys)
        inp.close()
        return run_drill(scenario, ref, decider(scenario, console, coach, pressure, clock),
                         seed, journal, {"coach": coach, "pressure": pressure})


def resume_keys(keys: str, journal: Path, console: Console | None = None) -> Outcome:
    console = console or screen()

    def make(scenario: Scenario, options: dict[str, object]) -> PromptDecider:
        return decider(scenario, console, str(options.get("coach", "off")),
                       float(str(options.get("pressure", 0))))

    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        inp.close()
        return resume_drill(journal, make)[0]


def abandon() -> str:
    """Ctrl-C, 'Abandon', and confirm."""
    return CTRL_C + pick(2) + yes()
