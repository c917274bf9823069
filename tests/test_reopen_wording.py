"""Monitoring's reopen message says "again" only when the metric had come back within SLO."""

from __future__ import annotations

from pathlib import Path

from simulator.actions.catalogue import Action
from tests.format_scenario import with_, write
from tests.helpers import drill_until, events

SHIELD = ("effects: {error_rate: 20, latency_ms: 300}\n",
          "effects: {error_rate: 20, latency_ms: 300}\n"
          "    suppressed:\n      - {when: {flag: shield, state: \"off\"}, factor: 0}\n")


def _flag(state: str) -> Action:
    return Action("toggle_flag", {"flag": "shield", "state": state, "by": "bob"})


def test_a_metric_that_never_recovered_is_still_outside(tmp_path: Path) -> None:
    """Resolved while the errors never went away: 'still outside', never 'again'."""
    drill = drill_until(write(tmp_path, with_(SHIELD)), [
        Action("wait", {"minutes": 3}), Action("declare_resolved", {"message": "ok"})], 10)
    reopened = events(drill, "reopened")
    assert reopened, "the premature resolution should reopen"
    assert "is still outside its SLO" in reopened[0]["text"], reopened[0]["text"]
    assert "again" not in reopened[0]["text"]


def test_a_metric_that_came_back_then_broke_is_outside_again(tmp_path: Path) -> None:
    """Errors gone for minutes (shield off), back when the shield returns: 'again'."""
    drill = drill_until(write(tmp_path, with_(SHIELD)), [
        Action("wait", {"minutes": 3}), _flag("off"), Action("wait", {"minutes": 5}),
        _flag("on"), Action("declare_resolved", {"message": "ok"})], 25)
    reopened = events(drill, "reopened")
    assert reopened, "the shield's return should reopen the resolution"
    assert "is outside its SLO again" in reopened[0]["text"], reopened[0]["text"]
