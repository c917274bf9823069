"""The harm projection skips quiet minutes but adds exactly what stepping would (issue 11,
item 6): same float for every built-in scenario, bot and seed, far fewer derivations."""

from __future__ import annotations

import copy

import pytest

from simulator.engine.drill import Drill
from simulator.engine.projection import project_failures
from simulator.engine.world import SECONDS, World
from simulator.format.loader import builtin_ids, load_scenario
from simulator.players.bots import BOT_NAMES, make_bot


def stepped(world: World, limit_minutes: int, now: float, total: float) -> float:
    """The projection as it was: one full simulated minute at a time up to the limit."""
    t, limit = now, limit_minutes * SECONDS
    while t + SECONDS <= limit:
        t += SECONDS
        world.now = t
        world.advance_faults(1.0)
        world.values = world.derive_metrics(noise=False, advance=True)
        total += world.excess_impact()
    return total


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_projection_equals_stepping_to_the_last_bit(scenario_id: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, ref = load_scenario(scenario_id)
    real = Drill._project_failures
    for bot in BOT_NAMES:
        for seed in (1, 2):
            drill = Drill(scenario, ref, seed, None)
            captured: dict[str, object] = {}

            def spy(self: Drill, captured: dict[str, object] = captured) -> float:
                captured["world"] = copy.deepcopy(self.engine.world)
                return real(self)

            monkeypatch.setattr(Drill, "_project_failures", spy)
            outcome = drill.run(make_bot(bot))
            world = captured["world"]
            assert isinstance(world, World)
            expected = stepped(copy.deepcopy(world), scenario.time_limit_minutes,
                               drill.engine.now, drill.engine.failed_total)
            assert project_failures(world, scenario, drill.engine.now,
                                    drill.engine.failed_total) == expected, (bot, seed)
            assert outcome.data["failed_by_limit"] == round(expected)


def test_a_long_quiet_horizon_is_not_simulated_minute_by_minute(
        monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, ref = load_scenario("redis-saturation")
    scenario = scenario.model_copy(update={"time_limit_minutes": 1440})
    drill = Drill(scenario, ref, 1, None)
    calls = {"n": 0}
    real = World.derive_metrics

    def counting(self: World, *args: object, **kwargs: object) -> dict[str, float]:
        calls["n"] += 1
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    drill.run(make_bot("expert"))  # resolves in half an hour; the rest of the day is projected
    monkeypatch.setattr(World, "derive_metrics", counting)
    world = copy.deepcopy(drill.engine.world)
    project_failures(world, scenario, drill.engine.now, drill.engine.failed_total)
    minutes_left = 1440 - drill.engine.now / SECONDS
    assert minutes_left > 1000  # the premise: most of the day is left to project
    assert calls["n"] < minutes_left / 10, (calls["n"], minutes_left)
