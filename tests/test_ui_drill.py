"""Whole drills played through the real prompts, from keystrokes only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ui_keys import (
    ENTER,
    START,
    abandon,
    explain,
    pick,
    play_keys,
    read_channel,
    screen,
    text,
    top,
    wait,
)
from ui_scripts import bad_deploy_good, failed_batch_job_good, redis_good_opening, redis_good_rest

from simulator.runs.journal import read_journal

pytestmark = pytest.mark.timeout(60)


def test_good_redis_drill_resolves_from_keystrokes(tmp_path: Path) -> None:
    """A calm, process-following run of redis-saturation ends resolved with a postmortem."""
    journal = tmp_path / "good.jsonl"
    outcome = play_keys(redis_good_opening() + redis_good_rest(), journal)
    assert outcome.status == "resolved"
    records = read_journal(journal)
    actions = [d["action"] for d in records.decisions()]
    assert actions[:4] == ["acknowledge", "declare", "freeze_changes", "post_update"]
    change = next(d for d in records.decisions() if d["action"] == "set_config")
    assert change["args"]["by"] == "priya" and change["args"]["value"] == 200
    announce = next(records.events("announce"))
    assert "set redis.maxclients from 100 to 200" in announce["text"]
    postmortem = next(records.events("postmortem"))["data"]
    assert postmortem["action_items"] == [{"what": "alert before the limit is reached",
                                           "owner": "priya", "due": "+7 days"}]
    assert postmortem["lessons"] == ["stabilise first"]
    assert not outcome.data["evidence_lost"]


def test_bad_redis_drill_restart_first_loses_evidence(tmp_path: Path) -> None:
    """Restarting Redis at once (past a light-coach warning) wipes evidence and reopens."""
    journal = tmp_path / "bad.jsonl"
    keys = (START
            + top("mitigate") + pick(3) + pick(2) + ENTER + ENTER  # restart redis, by Bob
            + pick(1)                                               # coach: go ahead anyway
            + top("close") + pick(0)
            + pick(1)                                    # coach, before the form: resolve anyway
            + text("fixed") + text("redis was stuck") + text("restarted redis") + ENTER
            + text("postmortem soon")
            + abandon())                                 # reopened: back in play; give up
    outcome = play_keys(keys, journal, coach="light")
    assert outcome.status == "abandoned" and outcome.data["reopened"] == 1
    assert "redis-health" in outcome.data["evidence_lost"]
    warned = [e["data"]["principle"] for e in read_journal(journal).events("coaching")]
    assert warned == ["change.evidence-first", "verify.before-resolve"]


def test_heeding_a_warning_returns_to_the_menu(tmp_path: Path) -> None:
    """Answering 'no' to a coach warning cancels the action; nothing runs."""
    journal = tmp_path / "heed.jsonl"
    keys = (START + top("mitigate") + pick(3) + pick(2) + ENTER + ENTER + pick(0)
            + top("close") + pick(0) + pick(1) + text("x") + text("x") + text("x") + ENTER
            + text("x") + abandon())
    play_keys(keys, journal, coach="light")
    records = read_journal(journal)
    assert records.decisions()[0]["action"] == "declare_resolved"
    first = next(records.events("coaching"))["data"]
    assert first["heeded"] is True and first["action"] == "restart"


def test_help_and_channel_cost_no_simulated_time(tmp_path: Path) -> None:
    """The help entry explains an action with its cost; reading the channel is free too."""
    journal = tmp_path / "help.jsonl"
    console = screen()
    keys = (START + explain() + pick(1) + read_channel()
            + top("coordinate") + pick(0) + abandon())
    outcome = play_keys(keys, journal, console=console)
    out = console.file.getvalue()
    assert "Declare an incident (set severity)" in out and "Costs: 60 s of your time" in out
    assert "It is 14:03 UTC on a Tuesday" in out  # the channel, read in full
    records = read_journal(journal)
    assert records.decisions()[0] == {"type": "decision", "t": 0, "n": 0,
                                      "action": "acknowledge"}
    assert outcome.status == "abandoned" and records.end is not None


def test_pressure_turns_real_seconds_into_simulated_seconds(tmp_path: Path) -> None:
    """With --pressure 10, 3 real seconds at a prompt cost 30 simulated seconds, journaled."""
    journal = tmp_path / "pressure.jsonl"
    ticks = iter(range(0, 10_000, 3))
    keys = START + top("coordinate") + pick(0) + wait(1) + abandon()
    play_keys(keys, journal, pressure=10, clock=lambda: float(next(ticks)))
    decisions = read_journal(journal).decisions()
    assert decisions[0]["think"] == 30.0
    assert decisions[1]["t"] == 30 + 20  # the thinking, then the acknowledgement itself


@pytest.mark.parametrize(("scenario_id", "script", "change", "coach"), [
    ("bad-deploy", bad_deploy_good, "rollback", "full"),
    ("failed-batch-job", failed_batch_job_good, "toggle_flag", "off"),
])
def test_other_seed_scenarios_resolve_from_keystrokes(tmp_path: Path, scenario_id: str,
                                                      script: Callable[[], str],
                                                      change: str, coach: str) -> None:
    """The other built-in scenarios can be played to a resolution and a postmortem too."""
    journal = tmp_path / f"{scenario_id}.jsonl"
    outcome = play_keys(script(), journal, scenario_id=scenario_id, coach=coach)
    assert outcome.status == "resolved", outcome.data
    records = read_journal(journal)
    assert any(d["action"] == change for d in records.decisions())
    assert next(records.events("postmortem"))["data"]["action_items"]
    assert not outcome.data["evidence_lost"] and not outcome.data["second_incident"]


def test_premature_resolve_reopens_and_the_drill_goes_on(tmp_path: Path) -> None:
    """Resolving on red metrics: monitoring reopens, stakeholders ask, and play continues
    from the prompts to a proper, verified resolution and a postmortem."""
    journal = tmp_path / "reopen.jsonl"
    premature = (top("close") + pick(0) + text("all good") + text("redis")
                 + text("nothing yet") + ENTER + text("tomorrow"))
    outcome = play_keys(redis_good_opening() + premature + redis_good_rest(), journal)
    assert outcome.status == "resolved" and outcome.data["reopened"] == 1
    records = read_journal(journal)
    actions = [d["action"] for d in records.decisions()]
    assert actions.count("declare_resolved") == 2 and actions[-1] == "write_postmortem"
    reopened = next(records.events("reopened"))
    asked = [e for e in records.events("stakeholder_ping") if e["t"] == reopened["t"]]
    assert asked and all("told this was resolved" in e["text"] for e in asked)
    assert next(records.events("held"))["t"] > reopened["t"]
