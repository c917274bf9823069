"""`tabletop join SESSION --as ROLE`: a player's own terminal in a facilitated team drill.

The comms lead drafts and posts updates while the IC decides: each player sees the
incident and the actions their role owns (catalogue.yaml ``role:``), fills the same forms
the IC's terminal uses, and sends the decision through the session socket; the drill plays
it in the one timeline, attributed to them (``who``). The state the forms need is rebuilt
by replaying the session's journal in memory (play.replay_to_end), so this terminal never
holds a second simulation that could drift from the real one.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from rich.text import Text

from simulator.engine.team import Team, team_from_header
from simulator.errors import ExitCode, InputError
from simulator.texts import catalogue
from simulator.ui import terminal
from simulator.ui.console import connect


def my_actions(team: Team, who: str, commander: str | None) -> list[str]:
    """The actions on a player's menu: exactly those the drill lets them decide now
    (Team.refusal): their role's, plus the IC's, and those of roles nobody on the team
    holds, while they hold command; the IC's come first.

    Command moves with a handover (hand_over to a player, or the facilitator's): the new
    commander's terminal gains the IC's actions, and an IC who handed command loses them.
    """
    from simulator.engine.team import COMMAND_ROLE, action_role

    allowed = [a for a in catalogue() if team.refusal(who, a, commander) is None]
    return sorted(allowed, key=lambda a: action_role(a) != COMMAND_ROLE)


def command_news(who: str, before: str | None, now: str | None) -> str | None:
    """What this player is told when command changed hands, or None."""
    if before == now or now is None or before is None:
        return None
    if now == who:
        return f"{before} handed command to you: the IC's actions are on your menu now."
    if before == who:
        return f"You handed command to {now}: the IC's actions are on their terminal now."
    return f"{before} handed command to {now}."


def player(status: dict[str, Any], role: str, name: str | None) -> str:
    """The joining person's name: given, or the first team member holding the role."""
    team = status.get("team") or []
    if not team:
        raise InputError("this drill has no team: start it with --facilitated --team "
                         "ic=NAME,comms=NAME,... so that people can join")
    holders = [m["name"] for m in team if m.get("role") == role]
    if name is not None:
        if not any(m["name"] == name for m in team):
            raise InputError(f"{name!r} is not on the team "
                             f"({', '.join(m['name'] for m in team)})")
        return name
    if not holders:
        raise InputError(f"nobody on the team holds the role {role!r} "
                         f"(roles: {', '.join(sorted({m['role'] for m in team}))})")
    return str(holders[0])


def join_command(args: argparse.Namespace) -> int:
    info, client = connect(args.session, args.wait)
    try:
        reply = client.request({"op": "status"})
        status = reply.get("status", {})
        for _ in range(100):  # the drill publishes its first status at its first decision
            if status.get("team") is not None:
                break
            time.sleep(0.1)
            status = client.request({"op": "status"}).get("status", {})
        who = player(status, args.as_, args.name)
        if args.do:
            return send(client, who, args.do, json.loads(args.with_ or "{}"))
        return interactive(client, str(info.get("journal", "")), who, args.as_)
    except json.JSONDecodeError as exc:
        raise InputError(f"--with: not JSON ({exc.msg})") from None
    finally:
        client.close()


def send(client: Any, who: str, action: str, args: dict[str, Any]) -> int:
    if not isinstance(args, dict):
        raise InputError("--with takes a JSON object of the action's arguments")
    reply = client.request({"op": "decide", "who": who, "action": action, "args": args})
    if not reply.get("ok"):
        raise InputError(f"{action}: {reply.get('error', 'refused')}")
    print(f"{action}: sent as {who}")
    return ExitCode.OK


def interactive(client: Any, journal: str, who: str, role: str) -> int:
    """The player's menu, drawn again whenever the drill moves on (simulator/ui/live.py)."""
    from pathlib import Path

    import questionary
    from questionary import Choice
    from rich.console import Group

    from simulator.players.play import replay_to_end
    from simulator.ui import forms, live
    from simulator.ui.menus import MENU_ROWS, cap_height
    from simulator.ui.view import Budget, render

    console = terminal.console()
    titles = {a: str(m.get("title", a)) for a, m in catalogue().items()}
    team = team_from_header({"team": client.request({"op": "status"}).get(
        "status", {}).get("team")})
    if team is None:
        raise InputError("this drill has no team")
    drawn: dict[str, Any] | None = None
    pointed: Any = None
    commander: str | None = None
    news: str | None = None
    while True:
        try:
            status = client.request({"op": "status"}).get("status", {})
        except InputError:
            console.print(Text("The drill has ended."))
            return ExitCode.OK
        said = command_news(who, commander, status.get("commander"))
        news = said or news
        commander = status.get("commander")
        mine = my_actions(team, who, commander)
        if status != drawn:
            drill = replay_to_end(Path(journal))
            # the view, a line saying who you are and the menu fill the screen: the view is
            # sized like the IC's, and the menu (an ops player has fifteen entries) scrolls
            width, height = console.size
            view = render(drill.engine, Budget(width, max(8, height - MENU_ROWS - 1)))
            held = " You hold command." if commander == who else (
                f" {commander} holds command." if commander else "")
            live.redraw(Group(view, Text(f"You are {who} ({role}).{held}", style="bold"),
                              *([Text(news, style="bold yellow")] if news else [])))
            drawn = status

        def changed(shown: dict[str, Any] = status) -> bool:
            return client.request({"op": "status"}).get("status", {}) != shown

        moves = [Choice("Refresh", "__refresh__"), *(Choice(titles[a], a) for a in mine),
                 Choice("Leave (the drill goes on)", "__leave__")]
        rows = MENU_ROWS - 1
        start = live.start_at(pointed, [c.value for c in moves])
        try:
            pick = live.ask_live(cap_height(questionary.select(
                "Your move:", moves, default=start,
                instruction=f"(↑↓ enter; {len(moves)} entries, scrolls)"
                if len(moves) > rows else "(↑↓ enter)"), len(moves), rows), changed)
        except live.Stale as stale:
            pointed = stale.pointed
            continue
        pointed = None
        drawn = None  # the form below the menu goes with the next screen
        if pick == "__leave__":
            return ExitCode.OK
        if pick == "__refresh__":
            continue
        drill = replay_to_end(Path(journal))  # the state may have moved while you chose
        args = forms.fill(drill.engine, pick)
        if args is None:
            continue
        reply = client.request({"op": "decide", "who": who, "action": pick, "args": args})
        console.print(Text("sent" if reply.get("ok") else f"refused: {reply.get('error')}",
                           style="green" if reply.get("ok") else "red"))
        time.sleep(1.0)  # long enough to read before the screen is drawn again
