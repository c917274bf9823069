"""Role routing: a person decides only the actions of their role, on every path (their own
terminal through the session, the one screen's who question, a decisions file's who:).

The IC seat (whoever holds command) takes the IC's actions and those of a role nobody on
the team holds; with a comms lead on the team the IC does not post updates themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.engine.drill import Drill
from simulator.engine.team import parse_team
from simulator.format.loader import load_scenario
from simulator.players.session import Client, Session
from simulator.runs.journal import read_journal
from simulator.ui.join import my_actions

pytestmark = pytest.mark.timeout(120)

UPDATE = {"audience": "all", "message": "Checkout errors for about one customer in twelve; "
          "next update in 15 minutes."}


def live(team: str) -> Iterator[Client]:
    scenario, ref = load_scenario("redis-saturation")
    session = Session(f"roles-{len(team)}", {"scenario": scenario.id})
    session.drill = Drill(scenario, ref, 1, None, team=parse_team(team))
    session.start()
    client = Client(str(session.socket_path))
    try:
        yield client
    finally:
        client.close()
        session.close()


@pytest.fixture
def full() -> Iterator[Client]:
    yield from live("ic=ana,comms=ben,ops=chen")


@pytest.fixture
def no_comms() -> Iterator[Client]:
    yield from live("ic=ana,ops=chen")


def decide(client: Client, who: str, action: str, args: dict | None = None) -> dict:
    return client.request({"op": "decide", "who": who, "action": action, "args": args or {}})


def test_a_terminal_decides_only_its_roles_actions(full: Client) -> None:
    refused = decide(full, "ben", "set_config", {"key": "redis.maxclients", "value": 200})
    assert not refused["ok"] and refused["role"] == "ops"
    assert "set_config is an action of the ops role: chen (ops) decides it, not ben (comms)" \
        in refused["error"]
    refused = decide(full, "chen", "post_update", UPDATE)
    assert not refused["ok"] and "an action of the comms role: ben (comms)" in refused["error"]
    refused = decide(full, "ben", "declare", {"severity": "P2"})
    assert not refused["ok"] and refused["role"] == "ic"
    assert "an action of the IC role and ana holds command now" in refused["error"]
    # the IC does not post updates while a comms lead is on the team: they ask ben for one
    refused = decide(full, "ana", "post_update", UPDATE)
    assert not refused["ok"] and "ben (comms) decides it, not ana (ic, holding command)" \
        in refused["error"]
    assert decide(full, "ben", "post_update", UPDATE) == {"ok": True}
    assert decide(full, "chen", "note", {"text": "pool at 100%"}) == {"ok": True}
    # the timeline is everyone's: the IC and the comms lead log what they saw too
    assert decide(full, "ana", "note", {"text": "rollback ordered"}) == {"ok": True}
    assert decide(full, "ben", "note", {"text": "support told"}) == {"ok": True}
    assert decide(full, "ana", "declare", {"severity": "P2"}) == {"ok": True}


def test_the_ic_seat_covers_a_role_nobody_holds(no_comms: Client) -> None:
    assert decide(no_comms, "ana", "post_update", UPDATE) == {"ok": True}
    refused = decide(no_comms, "chen", "post_update", UPDATE)
    assert not refused["ok"] and refused["role"] == "comms"
    assert "nobody on the team holds: the IC seat takes it (ana holds command now)" \
        in refused["error"]
    refused = decide(no_comms, "ana", "restart", {"service": "payment-service"})
    assert not refused["ok"] and "chen (ops) decides it" in refused["error"]


def test_a_players_menu_is_what_the_drill_lets_them_decide() -> None:
    team = parse_team("ic=ana,comms=ben,ops=chen")
    assert "post_update" in my_actions(team, "ben", "ana")
    assert "declare" not in my_actions(team, "ben", "ana")
    assert "declare" in my_actions(team, "ben", "ben")  # ben holds command now
    assert my_actions(team, "ben", "ben")[0] == "acknowledge"  # the IC's come first
    assert "post_update" not in my_actions(team, "ana", "ana")
    assert my_actions(team, "ana", "ben") == ["note"]  # ana handed command: only the timeline
    assert "post_update" in my_actions(parse_team("ic=ana,ops=chen"), "ana", "ana")


def test_a_decisions_file_who_must_hold_the_actions_role(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("- action: declare\n  severity: P2\n"
                    "- action: post_update\n  audience: all\n  message: hello\n  who: ana\n",
                    encoding="utf-8")
    done = tabletop("run", "redis-saturation", "--decisions", str(plan), "--team",
                    "ic=ana,comms=ben,ops=chen", "--journal", str(tmp_path / "j.jsonl"),
                    "--no-history")
    assert done.returncode == 2, done.stderr
    assert f"{plan}:3:" in done.stderr and "post_update is an action of the comms role" \
        in done.stderr and "Traceback" not in done.stderr
    # without a comms lead the same file plays: the IC seat posts the update
    again = tmp_path / "k.jsonl"
    done = tabletop("run", "redis-saturation", "--decisions", str(plan), "--team",
                    "ic=ana,ops=chen", "--journal", str(again), "--no-history")
    assert "post_update" not in done.stderr
    assert ("post_update", "ana") in [(d["action"], d["who"])
                                      for d in read_journal(again).decisions()]
