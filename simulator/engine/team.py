"""People in roles: the team declared with `--team ic=ana,comms=ben,ops=chen,ops=dee`.

A drill played by a team attributes each decision to a person, so the journal says who
decided what and the scorer can grade each person on the criteria of their role. Which role
owns an action by default is content (a ``role:`` per action in catalogue.yaml); the roles
that exist are the ones the catalogue names. A solo run has no team: its journal carries no
``team`` header and no ``who`` on decisions, exactly as before teams existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from simulator.errors import InputError

#: a person's name as typed on the command line or in a decisions file
NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,39}")
MAX_MEMBERS = 16
#: the role that decides when the role owning an action is not on the team
COMMAND_ROLE = "ic"


def action_role(action_name: str) -> str:
    """The role that owns an action (catalogue.yaml ``role:``; the IC's if it names none)."""
    from simulator.texts import catalogue

    return str(catalogue().get(action_name, {}).get("role", COMMAND_ROLE))


def shared_action(action_name: str) -> bool:
    """An action anyone on the team may take (catalogue.yaml ``shared: true``)."""
    from simulator.texts import catalogue

    return bool(catalogue().get(action_name, {}).get("shared", False))


def roles() -> list[str]:
    """The roles the action catalogue assigns, in the order they first appear."""
    from simulator.texts import catalogue

    seen: dict[str, None] = {}
    for meta in catalogue().values():
        seen.setdefault(str(meta.get("role", COMMAND_ROLE)), None)
    return sorted(seen, key=lambda role: (role != COMMAND_ROLE, role))


@dataclass(frozen=True)
class Member:
    name: str
    role: str

    def as_record(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


@dataclass(frozen=True)
class Team:
    """The people of a drill, in the order they were declared."""

    members: tuple[Member, ...]

    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    def of_role(self, role: str) -> list[Member]:
        return [m for m in self.members if m.role == role]

    def default_owner(self, action_name: str, commander: str | None = None) -> Member:
        """Who decides ``action_name`` unless someone else is named: the first person of the
        role the catalogue gives the action, else the incident commander. ``commander``
        is the person holding command now (after a handover), who takes the IC's part."""
        from simulator.texts import catalogue

        role = str(catalogue().get(action_name, {}).get("role", COMMAND_ROLE))
        holder = self.member(commander) if commander else None
        for wanted in (role, COMMAND_ROLE):
            if wanted == COMMAND_ROLE and holder is not None:
                return holder
            people = self.of_role(wanted)
            if people:
                return people[0]
        return self.members[0]

    def seat(self, holder: str | None) -> Member:
        """Who sits in the IC's seat: the player holding command, else the first IC named
        (command handed to a responder of the scenario leaves the seat with the team)."""
        held = self.member(holder) if holder else None
        return held if held is not None else self.first_commander()

    def refusal(self, name: str, action_name: str, holder: str | None) -> str | None:
        """Why ``name`` may not decide ``action_name`` now, or None if they may.

        The one rule for every way a team decides (one screen, a decisions file's ``who:``,
        a player's own terminal): a person decides the actions of their role; the IC's
        actions belong to whoever holds command (the seat moves with a handover); and the
        seat also covers a role nobody on the team holds, so with no comms lead the IC posts
        the updates, exactly as the default attribution (default_owner) falls back to them.
        With a comms lead on the team the IC does not post updates themselves: they ask for
        one. The message names the role that owns the action and who holds it.
        """
        member = self.member(name)
        if member is None:
            return f"{name!r} is not on the team ({', '.join(self.names())})"
        role = action_role(action_name)
        seat = self.seat(holder)
        if shared_action(action_name):  # e.g. a timeline note: whoever saw it logs it
            return None
        if role == COMMAND_ROLE:
            if name == seat.name:
                return None
            return (f"{action_name} is an action of the IC role and {seat.name} holds command "
                    f"now: the IC's actions are theirs (they can hand command to {name} "
                    "with hand_over)")
        if member.role == role:
            return None
        owners = self.of_role(role)
        if not owners:
            if name == seat.name:
                return None
            return (f"{action_name} is an action of the {role} role, which nobody on the team "
                    f"holds: the IC seat takes it ({seat.name} holds command now)")
        return (f"{action_name} is an action of the {role} role: "
                f"{', '.join(m.name for m in owners)} ({role}) decides it, not {name} "
                f"({member.role}{', holding command' if name == seat.name else ''})")

    def deciders(self, action_name: str, holder: str | None) -> list[Member]:
        """Everyone who may decide ``action_name`` now, in the order they were declared."""
        return [m for m in self.members if self.refusal(m.name, action_name, holder) is None]

    def first_commander(self) -> Member:
        """Who holds command when the drill starts: the first incident commander named."""
        return self.of_role(COMMAND_ROLE)[0] if self.of_role(COMMAND_ROLE) else self.members[0]

    def as_records(self) -> list[dict[str, str]]:
        return [m.as_record() for m in self.members]


def _problem(text: str, index: int, item: str, message: str) -> str:
    return (f"--team {text!r}: item {index} {item!r}: {message}")


def parse_team(text: str) -> Team:
    """``ic=ana,comms=ben,ops=chen`` -> Team; a bad item is named with its position."""
    known = roles()
    items = [part.strip() for part in text.split(",")]
    if not text.strip():
        raise InputError("--team is empty (write it like ic=ana,comms=ben,ops=chen)")
    if len(items) > MAX_MEMBERS:
        raise InputError(f"--team names {len(items)} people; at most {MAX_MEMBERS}")
    members: list[Member] = []
    for index, item in enumerate(items, start=1):
        role, sep, name = item.partition("=")
        role, name = role.strip(), name.strip()
        if not item:
            raise InputError(_problem(text, index, item, "empty (remove the extra comma)"))
        if not sep:
            raise InputError(_problem(text, index, item, "expected ROLE=NAME, e.g. ic=ana"))
        if role not in known:
            raise InputError(_problem(text, index, item, f"unknown role {role!r} (roles: "
                                      f"{', '.join(known)})"))
        if not NAME.fullmatch(name):
            raise InputError(_problem(text, index, item, "a name starts with a letter and has "
                                      "at most 40 letters, digits, '.', '_' or '-'"))
        if any(m.name == name for m in members):
            raise InputError(_problem(text, index, item, f"{name} is already on the team "
                                      "(each person holds one role)"))
        members.append(Member(name, role))
    if not any(m.role == COMMAND_ROLE for m in members):
        raise InputError(f"--team {text!r}: no incident commander (add {COMMAND_ROLE}=NAME)")
    return Team(tuple(members))


def team_from_header(header: dict[str, Any]) -> Team | None:
    """The team a journal declares, or None for a solo run (or an unreadable entry)."""
    raw = header.get("team")
    if not isinstance(raw, list) or not raw:
        return None
    members = [Member(str(m.get("name")), str(m.get("role"))) for m in raw
               if isinstance(m, dict) and m.get("name") and m.get("role")]
    return Team(tuple(members)) if members else None


def unknown_person(team: Team | None, name: str) -> str | None:
    """Why ``name`` cannot decide in this drill, or None."""
    if team is None:
        return (f"who: {name!r} but the drill has no team (declare one with --team "
                "ic=NAME,comms=NAME,...)")
    if team.member(name) is None:
        return f"who: {name!r} is not on the team (the team: {', '.join(team.names())})"
    return None
