"""Play a bot in memory and grade it: shared by the scoring and bot tests."""

from __future__ import annotations

from functools import cache

from scoring.grader import grade
from scoring.scorecard import Scorecard
from simulator.engine.drill import Drill
from simulator.format.loader import load_scenario
from simulator.players.bots import make_bot
from simulator.runs.journal import Journal

SEEDS = (1, 2, 3)


@cache
def played(scenario_id: str, bot: str, seed: int) -> Journal:
    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, seed, None, {"decider": bot, "bot": bot})
    drill.run(make_bot(bot))
    records = drill.journal.records
    return Journal(f"<{bot}>", records[0], records[1:])


@cache
def scored(scenario_id: str, bot: str, seed: int) -> Scorecard:
    scenario, _ = load_scenario(scenario_id)
    return grade(played(scenario_id, bot, seed), scenario, compare=False)


def ratings(card: Scorecard) -> dict[str, str]:
    return {c.id: c.rating for c in card.criteria}
