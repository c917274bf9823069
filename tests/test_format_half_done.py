"""A change stopped part-way leaves what the scenario declares (`if_cancelled` on a fix, a
service's rollback / roll forward / restart, a dependency's restart): validated at its line,
applied by the engine, journaled, and replayed exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import events, tabletop

from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill
from simulator.errors import InputError
from simulator.format.loader import parse_scenario
from tests.format_scenario import with_, write

ROLLBACK = ("      rollback_minutes: 3\n",
            "      rollback_minutes: 3\n      if_cancelled:\n"
            "        rollback: [{set_fact: api.fleet-mixed}]\n"
            "        restart: [{set_fact: api.some-pods-restarted}]\n")
DB = ("    - {id: db, kind: database, restart_minutes: 1}\n",
      "    - {id: db, kind: database, restart_minutes: 2,\n"
      "       if_cancelled: {restart: [{set_fact: db.replica-restarted}]}}\n")
MIXED = ("injects:\n", "injects:\n  - {id: mixed, when: {fact: api.fleet-mixed}, source: bob, "
         "text: Half the api pods run v1 now.}\n")


def play(text: str, actions: list[Action], minutes: float) -> Drill:
    scenario = parse_scenario(text, "mini.yaml")
    drill = Drill(scenario, {"id": scenario.id, "path": "mini.yaml"}, 1, None)
    drill.start()
    queue = list(actions)
    while True:
        drill.advance()
        if drill.phase == "ended" or drill.engine.now >= minutes * 60:
            return drill
        drill.submit(queue.pop(0) if queue else Action("wait", {"minutes": 1}))


def test_a_rollback_stopped_midway_leaves_the_declared_state_through_the_cli(tmp_path: Path
                                                                            ) -> None:
    """Played from a decisions file by the real CLI: the stop says the system is left
    half-changed, the declared fact is set (an inject that waits for it fires), and
    `tabletop score` re-simulates the journal and finds it identical."""
    scenario = write(tmp_path, with_(ROLLBACK, MIXED))
    script = tmp_path / "d.yaml"
    script.write_text("""
- action: acknowledge
- {action: rollback, service: api, by: bob}
- {action: wait, minutes: 1}
- {action: cancel_change, change: "rollback:api"}
- {action: wait, minutes: 2}
- {action: rollback, service: api, by: bob}
- {action: wait, minutes: 10}
- {action: declare_resolved, message: api back on v1}
- {action: finish}
""", encoding="utf-8")
    journal = tmp_path / "j.jsonl"
    done = tabletop("run", scenario, "--decisions", str(script), "--seed", "1", "--quiet",
                    "--no-history", "--journal", str(journal))
    assert done.returncode == 0, done.stdout + done.stderr
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    [stopped] = [r for r in records if r.get("kind") == "change_cancelled"]
    assert stopped["data"] == {"change": "rollback:api", "cancelled_by": "ic", "partial": True}
    assert "left half-changed" in stopped["text"]
    mixed = [r for r in records if r.get("kind") == "inject" and r["data"]["id"] == "mixed"]
    assert mixed and mixed[0]["t"] > stopped["t"]
    scored = tabletop("score", str(journal), "--format", "json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["verified"]["ok"] is True


def test_without_a_declaration_a_stopped_rollback_changes_nothing() -> None:
    drill = play(with_(), [Action("rollback", {"service": "api", "by": "bob"}),
                                Action("cancel_change", {"change": "rollback:api"})], 6)
    [stopped] = events(drill, "change_cancelled")
    assert stopped["data"]["partial"] is False and "nothing had changed yet" in stopped["text"]
    assert "api.fleet-mixed" not in drill.engine.world.facts
    assert drill.engine.world.versions["api"] == "v2"


def test_restarts_stopped_midway_leave_their_declared_state() -> None:
    """A service's and a dependency's restart, each stopped before it lands."""
    drill = play(with_(ROLLBACK, DB), [
        Action("restart", {"target": "api", "by": "bob"}),
        Action("cancel_change", {"change": "restart:api"}),
        Action("restart", {"target": "db", "by": "eve"}),
        Action("cancel_change", {"change": "restart:db"})], 6)
    assert [e["data"]["partial"] for e in events(drill, "change_cancelled")] == [True, True]
    facts = drill.engine.world.facts
    assert {"api.some-pods-restarted", "db.replica-restarted"} <= facts
    assert "restarted.api" not in facts and "restarted.db" not in facts  # never landed


def test_a_restart_that_kills_a_rollout_leaves_the_half_done_rollback() -> None:
    """Eve restarts api while Bob rolls it back: the rollout is interrupted part-way."""
    drill = play(with_(ROLLBACK), [
        Action("rollback", {"service": "api", "by": "bob"}),
        Action("restart", {"target": "api", "by": "eve"})], 6)
    [stopped] = events(drill, "change_cancelled")
    assert stopped["data"]["cancelled_by"] == "restart:api" and stopped["data"]["partial"]
    assert "left half-changed" in stopped["text"]
    assert "api.fleet-mixed" in drill.engine.world.facts


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      previous_version: v1\n      rollback_minutes: 3\n",
     "      rollback_minutes: 3\n      if_cancelled: {rollback: [{set_fact: x}]}\n",
     "'if_cancelled.rollback' is declared but there is no rollback without a "
     "'previous_version'"),
    ("      rollback_minutes: 3\n",
     "      rollback_minutes: 3\n      if_cancelled: {roll_forward: [{set_fact: x}]}\n",
     "there is no roll forward without a 'fixed_version'"),
    ("      rollback_minutes: 3\n",
     "      rollback_minutes: 3\n      if_cancelled: {rollback: [{flag: sheild, "
     "state: \"on\"}]}\n", "unknown feature flag 'sheild' (did you mean 'shield'?)"),
    ("      rollback_minutes: 3\n",
     "      rollback_minutes: 3\n      if_cancelled: {rolback: []}\n", "rolback"),
    ("    - {id: db, kind: database, restart_minutes: 1}\n",
     "    - {id: db, kind: database, restartable: false,\n"
     "       if_cancelled: {restart: [{set_fact: x}]}}\n",
     "the dependency is not restartable"),
])
def test_half_done_states_are_checked_at_their_line(old: str, new: str, message: str) -> None:
    text = with_((old, new))
    with pytest.raises(InputError) as info:
        parse_scenario(text, "s.yaml")
    found = [str(p) for p in info.value.problems]
    assert any(message in p for p in found), found
    line = text[: text.index(new)].count("\n") + 1
    assert any(p.startswith("s.yaml:") and int(p.split(":")[1]) >= line
               for p in found if message in p), found


def test_a_condition_may_read_a_half_done_fact() -> None:
    """The fact a stopped change sets is known to the cross-checks (no 'unknown fact')."""
    parse_scenario(with_(ROLLBACK, MIXED), "s.yaml")
    parse_scenario(with_(DB, ("injects:\n", "injects:\n  - {id: r, when: {fact: "
                                            "db.replica-restarted}, source: bob, text: x}\n")),
                   "s.yaml")
