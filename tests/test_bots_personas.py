"""The anti-pattern bots play every built-in scenario and behave as their persona says."""

from __future__ import annotations

import pytest
from scoring_helpers import played

from simulator.format.loader import builtin_ids
from simulator.players.bots import BOTS, make_bot

SCENARIOS = builtin_ids()


def events(scenario: str, bot: str, kind: str, seed: int = 1) -> list[dict]:
    return list(played(scenario, bot, seed).events(kind))


def test_personas_are_registered() -> None:
    """All six personas can be chosen with --bot."""
    assert set(BOTS) == {"expert", "hero", "silent", "panic", "slow", "premature"}
    assert all(make_bot(name).name == name for name in BOTS)


@pytest.mark.parametrize("bot", sorted(BOTS))
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_bot_finishes_every_scenario(scenario: str, bot: str) -> None:
    """No bot proposes a decision the drill rejects, and each run ends with an outcome."""
    journal = played(scenario, bot, 1)
    assert journal.end is not None
    assert journal.end["outcome"]["status"] in ("resolved", "reopened", "timeout")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_silent_tells_nobody(scenario: str) -> None:
    """Silent: no declaration, channel, update, announcement or note; still delegates."""
    for kind in ("declare", "open_channel", "status_update", "announce", "note"):
        assert events(scenario, "silent", kind) == [], kind
    assert any(e["data"]["delegated"] for e in events(scenario, "silent",
                                                      "investigation_started"))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_panic_changes_several_things_at_once_unannounced(scenario: str) -> None:
    """Panic: changes overlap and none is announced; no investigation comes first."""
    started = events(scenario, "panic", "change_started")
    ordered = [c for c in started if c["data"]["ordered_by"] == "ic"]
    assert len(ordered) >= 2 and not any(c["data"]["announced"] for c in ordered)
    assert any(c["data"]["in_flight"] for c in ordered)
    first_done = events(scenario, "panic", "investigation_done")
    assert not first_done or first_done[0]["t"] > ordered[0]["t"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_slow_investigates_everything_personally_before_changing(scenario: str) -> None:
    """Slow: every investigation done by the IC before the IC's first change."""
    checks = [e for e in events(scenario, "slow", "investigation_started")
              if not e["data"]["delegated"]]
    ordered = [c for c in events(scenario, "slow", "change_started")
               if c["data"]["ordered_by"] == "ic"]
    assert len(checks) >= 4
    assert ordered and ordered[0]["t"] >= checks[-1]["t"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_premature_resolves_without_verification(scenario: str) -> None:
    """Premature: 'resolved' before the monitoring confirmed a recovery."""
    resolved = events(scenario, "premature", "declare_resolved")
    assert resolved and resolved[0]["data"]["verified"] is False
