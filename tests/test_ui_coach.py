"""Coaching: which principle is named when, without spoilers, and how it fades."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import SCENARIO_IDS
from helpers import drill_until

from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill
from simulator.format.loader import load_scenario
from simulator.players.bots import make_bot
from simulator.ui.coach import Coach, Tip

UPDATE = Action("post_update", {"audience": "all", "impact": "checkout errors",
                                "doing": "investigating", "next_update_minutes": 10})
RESTART = Action("restart", {"target": "redis", "by": "bob", "announcement": "bouncing redis"})


class Notes:
    """Collects what the coach journals."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, kind: str, actor: str, **data: Any) -> None:
        assert actor == "coach"
        self.items.append((kind, data))


def tips(coach: Coach, drill: Drill, notes: Notes | None = None) -> list[Tip]:
    return coach.before(drill.situation(), notes)


def test_full_coach_names_a_long_silence() -> None:
    """Twelve minutes after the last update, full coaching names the cadence principle."""
    opening = [Action("acknowledge"), Action("declare", {"severity": "P2"}),
               Action("freeze_changes"), UPDATE]
    drill = drill_until("redis-saturation", opening, 14.5)
    said = {t.principle: t.text for t in tips(Coach("full"), drill)}
    assert said["comms.cadence"].startswith("No stakeholder update for 12 minutes")


def test_one_tip_at_a_time_earliest_principle_first() -> None:
    """Several missed principles give one tip: the earliest in the process, then the next."""
    drill = drill_until("redis-saturation", [], 6)
    coach = Coach("full")
    assert [t.principle for t in tips(coach, drill)] == ["detect.acknowledge"]
    later = drill_until("redis-saturation", [], 7)
    assert [t.principle for t in tips(coach, later)] == ["detect.declare"]


def test_light_and_off_coaches_give_no_tips() -> None:
    """Light speaks only before damaging actions; off never speaks."""
    drill = drill_until("redis-saturation", [], 6)
    assert tips(Coach("full"), drill)
    assert tips(Coach("light"), drill) == []
    assert tips(Coach("off"), drill) == []


def test_light_coach_warns_only_before_damaging_actions() -> None:
    """A restart before evidence is flagged; an unannounced harmless change is not."""
    drill = drill_until("redis-saturation", [], 1)
    light, full = Coach("light"), Coach("full")
    warned = light.warnings(drill.situation(), RESTART)
    assert [w.principle for w in warned] == ["change.evidence-first"]
    quiet = Action("scale", {"service": "payment-service", "replicas": 6, "by": "bob"})
    assert light.warnings(drill.situation(), quiet) == []
    sloppy = full.warnings(drill.situation(), quiet)
    assert [w.principle for w in sloppy] == ["loop.evidence-before-fix", "change.announce"]
    assert Coach("off").warnings(drill.situation(), RESTART) == []


def test_second_change_in_flight_and_early_resolve_are_flagged() -> None:
    """Light coaching warns about a second change in flight and about resolving too soon."""
    change = Action("scale", {"service": "payment-service", "replicas": 6, "by": "priya",
                              "announcement": "scaling"})
    drill = drill_until("redis-saturation", [Action("freeze_changes"), change], 0.9)
    coach = Coach("light")
    second = coach.warnings(drill.situation(), RESTART)
    assert [w.principle for w in second] == ["change.one-at-a-time", "change.evidence-first"]
    early = coach.warnings(drill.situation(), Action("declare_resolved", {"message": "ok"}))
    assert [w.principle for w in early] == ["verify.before-resolve"]
    assert "Checkout error rate" in early[0].text


def test_principle_fades_after_being_applied_unprompted() -> None:
    """Two unprompted updates on cadence fade 'comms.cadence', recorded once in the journal."""
    coach, notes = Coach("full"), Notes()
    drill = drill_until("redis-saturation", [UPDATE], 8)
    coach.after(drill.situation(), UPDATE, [], notes)
    drill = drill_until("redis-saturation", [UPDATE, UPDATE], 16)
    coach.after(drill.situation(), UPDATE, [], notes)
    assert ("coaching_faded", {"principle": "comms.cadence", "applied": 2}) in notes.items
    late = drill_until("redis-saturation", [UPDATE], 14)
    assert "comms.cadence" not in {t.principle for t in tips(coach, late)}


def test_a_prompted_action_earns_no_credit() -> None:
    """Acting on a tip just shown does not count as applying the principle on your own."""
    coach, notes = Coach("full"), Notes()
    drill = drill_until("redis-saturation", [], 3)
    shown = {t.principle for t in tips(coach, drill, notes)}
    assert "detect.acknowledge" in shown
    coach.after(drill.situation(), Action("acknowledge"), [], notes)
    assert "detect.acknowledge" not in coach.faded
    assert ("coaching", {"principle": "detect.acknowledge", "mode": "tip",
                         "text": next(d["text"] for k, d in notes.items
                                      if d.get("principle") == "detect.acknowledge")}
            ) in notes.items


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
@pytest.mark.parametrize("bot", ["expert", "hero"])
def test_tips_never_reveal_the_root_cause(scenario_id: str, bot: str) -> None:
    """Across whole runs, no tip or warning names a fault, a fix, a finding or the cause."""
    scenario, ref = load_scenario(scenario_id)
    secrets = [f.title for f in scenario.faults] + [f.title for f in scenario.fixes]
    secrets += [" ".join(i.finding.split())[:40] for i in scenario.investigations]
    secrets.append(" ".join(scenario.debrief.root_cause.split())[:40])
    drill, player, coach = Drill(scenario, ref, 3, None), make_bot(bot), Coach("full")
    drill.start()
    said: list[str] = []
    while True:
        drill.advance()
        if drill.phase == "ended":
            break
        situation = drill.situation()
        said += [t.text for t in coach.before(situation)]
        action = player.decide(situation)
        warned = coach.warnings(situation, action)
        said += [w.text for w in warned]
        coach.after(situation, action, warned)
        drill.submit(action)
    assert said
    for text in said:
        own = re.sub(r"'[^']*'", "", text)  # a quoted change is one the trainee chose
        assert not any(secret.lower() in own.lower() for secret in secrets), text
