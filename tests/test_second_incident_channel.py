"""A second incident the trainee caused is told in words in the channel: its title and the
change that set it off (the change that touched what the failure depends on)."""

from __future__ import annotations

import pytest

from simulator.engine.causes import mentions, touched
from simulator.engine.drill import Drill
from simulator.format.conditions import AllOf, ConfigCompare, FactSet, FlagState, NotCond
from simulator.format.loader import load_scenario
from simulator.format.scenario import Mutation
from simulator.players.bots import make_bot


def second_incidents(scenario_id: str, bot: str, seed: int = 1) -> list[dict[str, object]]:
    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, seed, None, {})
    drill.run(make_bot(bot))
    said = [r for r in drill.engine.channel if r.get("kind") == "second_incident"]
    assert said == [r for r in drill.journal.records if r.get("kind") == "second_incident"]
    return said


@pytest.mark.parametrize(("scenario_id", "bot", "title", "cause", "not_cause"), [
    # the payment-service restart lands later, but Redis's own restart emptied it
    ("redis-saturation", "panic", "A restarted Redis starts empty", "restart redis",
     "restart payment-service"),
    # a checkout-api restart lands after the timeout (or retries) change that holds every
    # thread: the config change is named, whichever of the two the bot made first
    ("dependency-timeout", "panic", "Longer timeouts or more retries hold every thread",
     "set checkout-api.addrcheck_", "restart checkout-api"),
    ("failed-batch-job", "hero", "The rushed cache bypass breaks page loads",
     "ship a reporting-api hotfix", "purge"),
    # Dave's unfrozen restart bounces every pod at once
    ("redis-saturation", "silent", "All four pods restarted at once", "restart payment-service",
     "maxclients"),
])
def test_channel_names_the_failure_and_the_change_that_caused_it(
        scenario_id: str, bot: str, title: str, cause: str, not_cause: str) -> None:
    said = second_incidents(scenario_id, bot)
    assert said, "this run causes a second incident"
    opening = "Monitoring: a second incident has started: " + title
    first = next((str(r["text"]) for r in said if str(r["text"]).startswith(opening)), "")
    assert first, [r["text"] for r in said]
    assert cause in first and not_cause not in first


def test_a_good_run_hears_of_no_second_incident() -> None:
    assert second_incidents("redis-saturation", "expert") == []


def test_mentions_and_touched_speak_the_same_keys() -> None:
    cond = AllOf(all=[ConfigCompare(config="svc.replicas", above=30),
                      NotCond(**{"not": FlagState(flag="f", state="on")}),
                      FactSet(fact="restarted.db")])
    assert mentions(cond) == {"config:svc.replicas", "flag:f", "fact:restarted.db"}
    assert touched("scale", {"service": "svc", "replicas": 40}, []) == {"config:svc.replicas"}
    assert touched("restart", {"target": "db"}, [Mutation(set_fact="restarted.db")]) == {
        "fact:restarted.db"}
    assert mentions(None) == frozenset()
