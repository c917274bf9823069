"""Stakeholder messages agree with the system state they describe: no "tickets keep coming
in" after recovery, no "queue past a hundred tickets" when tickets have slowed to a few."""

from __future__ import annotations

import pytest

from simulator.engine.drill import Drill
from simulator.format.loader import builtin_ids, load_scenario
from simulator.players.bots import BOTS, make_bot


def pings(scenario_id: str, bot: str, seed: int, who: str
          ) -> list[tuple[str, dict[str, float]]]:
    """(question, the metrics sampled just before it) for each question ``who`` asked."""
    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, seed, None, {})
    drill.run(make_bot(bot))
    out, values = [], {}
    for record in drill.journal.records:
        if record.get("type") == "metrics":
            values = record["values"]
        elif record.get("kind") == "stakeholder_ping" and record.get("actor") == who:
            out.append((str(record["text"]), dict(values)))
    return out


@pytest.mark.parametrize("bot", ["silent", "panic", "slow", "hero"])
def test_support_lead_in_failed_batch_job_describes_the_real_queue(bot: str) -> None:
    asked = pings("failed-batch-job", bot, 1, "luis")
    assert asked, "support asks at least once when left without updates"
    for text, values in asked:
        tickets = values["support_tickets_per_hour"]
        if "past a hundred tickets" in text:
            assert tickets >= 30 and values["report_available_pct"] >= 50, (text, values)
        if "have stopped" in text:
            assert values["bad_report_views_pct"] < 1, (text, values)
            assert values["report_available_pct"] > 99, (text, values)
        if "where the daily report went" in text:
            assert values["report_available_pct"] < 50, (text, values)


@pytest.mark.parametrize("bot", ["silent", "panic", "slow", "premature"])
def test_support_lead_in_redis_saturation_follows_the_error_rate(bot: str) -> None:
    for text, values in pings("redis-saturation", bot, 1, "sam"):
        if "keep coming in" in text:
            assert values["checkout_error_rate"] >= 1, (text, values)


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_a_stakeholders_default_question_is_asked_only_while_users_are_hurt(
        scenario_id: str) -> None:
    """Every built-in's default questions describe an outage in progress ("checkout is
    down", "conversion is dropping"): whoever asks one, the key metric is out of its SLO
    at that minute, for every bot and two seeds; in calmer minutes a variant is asked."""
    scenario, ref = load_scenario(scenario_id)
    metric = scenario.metric(scenario.impact.metric)
    defaults = {s.id: s.asks for s in scenario.roster.stakeholders}
    for bot in sorted(BOTS):
        for seed in (1, 2):
            drill = Drill(scenario, ref, seed, None, {})
            drill.run(make_bot(bot))
            values: dict[str, float] = {}
            for record in drill.journal.records:
                if record.get("type") == "metrics":
                    values = record["values"]
                elif (record.get("kind") == "stakeholder_ping"
                      and defaults.get(record.get("actor", "")) in record.get("text", "")):
                    value = values[metric.id]
                    hurt = ((metric.slo.max is not None and value > metric.slo.max)
                            or (metric.slo.min is not None and value < metric.slo.min))
                    assert hurt, (bot, seed, record["t"], value, record["text"])
