"""Any valid workaround the scenario lists is credited, not only the ideal path's."""

from __future__ import annotations

from helpers import ListDecider

from scoring import grade
from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill
from simulator.format.loader import load_scenario
from simulator.runs.journal import Journal


def stabilise_rating(actions: list[Action]) -> str:
    scenario, ref = load_scenario("bad-deploy")
    drill = Drill(scenario, ref, 3, None)
    drill.run(_Then(actions))
    records = drill.journal.records
    card = grade(Journal("memory", records[0], records[1:]), scenario, compare=False)
    return next(c.rating for c in card.criteria if c.id == "mitigate.stabilise-first")


class _Then(ListDecider):
    """Plays the actions, waits for recovery, then resolves and finishes."""

    def decide(self, situation):  # type: ignore[no-untyped-def]
        if situation.closing:
            return Action("finish")
        if self.actions:
            return self.actions.pop(0)
        if situation.engine.recovered_at is not None or situation.minutes > 60:
            return Action("declare_resolved", {"message": "done"})
        return Action("wait", {"minutes": 1})


OPENING = [Action("acknowledge"), Action("declare", {"severity": "P2"}),
           Action("freeze_changes"),
           Action("delegate", {"responder": "ravi", "investigation": "trace-sample"}),
           Action("delegate", {"responder": "kofi", "investigation": "deploy-history"}),
           Action("wait", {"minutes": 4})]


def test_the_listed_alternative_workaround_is_credited() -> None:
    """Switching live prices off once the traces point at pricing counts as stabilising."""
    rating = stabilise_rating([*OPENING, Action("toggle_flag", {
        "flag": "live-pricing", "state": "off", "by": "mei",
        "announcement": "turning live prices off"})])
    assert rating == "P"


def test_a_change_that_is_not_a_workaround_is_not() -> None:
    """Raising the database's connection limit is no workaround: it stays a detour."""
    rating = stabilise_rating([*OPENING, Action("wait", {"minutes": 2}), Action("apply_fix", {
        "fix": "raise-db-connections", "by": "kofi"})])
    assert rating in ("U", "M")
