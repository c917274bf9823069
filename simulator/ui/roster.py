"""The roster prompt: who plays which role, asked at the terminal instead of typed as
``--team ic=ana,comms=ben,ops=chen,ops=dee``.

`tabletop run SCENARIO --team` without a value asks for it, and so does a facilitated drill
started at a terminal without --team (after a yes/no: a facilitated drill may still be
played by one trainee). Each role of the catalogue gets one question; the incident
commander is required, other roles take any number of names (comma-separated) or none.
Names are checked as they are typed, with the rules of ``--team``, and the answers are put
through ``parse_team`` so the result is exactly what the same --team would give.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from questionary import text as ask_line

from simulator.engine.team import COMMAND_ROLE, MAX_MEMBERS, NAME, Team, parse_team, roles
from simulator.ui import forms, terminal


def split_names(typed: str) -> list[str]:
    return [n for n in re.split(r"[,\s]+", typed.strip()) if n]


def problem(names: list[str], role: str, taken: list[str]) -> str | None:
    """What is wrong with the names typed for one role, or None."""
    if role == COMMAND_ROLE and len(names) != 1:
        return "one name: the incident commander (someone must hold command)"
    for name in names:
        if not NAME.fullmatch(name):
            return (f"{name!r}: a name starts with a letter and has at most 40 letters, "
                    "digits, '.', '_' or '-'")
        if name in taken or names.count(name) > 1:
            return f"{name} is already on the team (each person holds one role)"
    if len(taken) + len(names) > MAX_MEMBERS:
        return f"at most {MAX_MEMBERS} people on a team"
    return None


def _names(role: str, taken: list[str]) -> Callable[[str], bool | str]:
    """A questionary validator: True, or the message shown under the line."""
    def check(typed: str) -> bool | str:
        return problem(split_names(typed), role, taken) or True
    return check


def ask_roster() -> Team:
    """One question per role; the team, exactly as --team would give it."""
    from simulator.texts import text

    console = terminal.console()
    console.print("Who plays? One question per role; separate several names with commas.")
    items: list[str] = []
    taken: list[str] = []
    for role in roles():
        try:
            title = text(f"role_{role}")
        except KeyError:
            title = role
        hint = "" if role == COMMAND_ROLE else " (Enter: nobody)"
        typed = terminal.ask(ask_line(f"{role}, {title}{hint}:",
                                      validate=_names(role, list(taken))))
        names = split_names(str(typed))
        items += [f"{role}={name}" for name in names]
        taken += names
    team = parse_team(",".join(items))
    console.print("Team: " + ", ".join(f"{m.role}={m.name}" for m in team.members),
                  highlight=False)
    return team


def ask_team_or_solo() -> Team | None:
    """A facilitated drill at a terminal without --team: a team, or one trainee."""
    if not forms.yes_no("Is a team playing this drill (people in roles)?", False):
        return None
    return ask_roster()
