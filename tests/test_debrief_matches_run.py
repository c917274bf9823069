"""The debrief fits the run: follow-ups for what was done, second incidents by name."""

from __future__ import annotations

import io
import json
from pathlib import Path

from helpers import tabletop
from rich.console import Console

from simulator.engine.drill import Outcome
from simulator.format.loader import load_scenario
from simulator.runs.journal import read_journal
from simulator.ui.debrief import render_reveal

ROLLBACK = """
- action: acknowledge
- {action: declare, severity: P2}
- {action: delegate, responder: priya, investigation: deploy-history}
- {action: rollback, service: payment-service, by: bob, at_minutes: 6,
   announcement: rolling back payment-service to v2.4.0}
- {action: wait, minutes: 20}
- {action: declare_resolved, message: checkout errors back under 1%}
- {action: finish}
"""
RAISE = ROLLBACK.replace(
    "{action: rollback, service: payment-service, by: bob, at_minutes: 6,\n"
    "   announcement: rolling back payment-service to v2.4.0}",
    "{action: set_config, key: redis.maxclients, value: 200, by: bob, at_minutes: 6,\n"
    "   announcement: raising maxclients to 200}")


def play(tmp_path: Path, name: str, script: str, scenario: str = "redis-saturation"
         ) -> Path:
    decisions = tmp_path / f"{name}.yaml"
    decisions.write_text(script, encoding="utf-8")
    journal = tmp_path / f"{name}.jsonl"
    ran = tabletop("run", scenario, "--decisions", str(decisions), "--seed", "1",
                   "--journal", str(journal))
    assert ran.returncode in (0, 1), ran.stderr
    return journal


def reveal(journal: Path) -> str:
    records = read_journal(journal)
    scenario = load_scenario(records.header["scenario"]["id"])[0]
    end = records.end
    assert end is not None
    outcome = Outcome(str(end["outcome"]["status"]), dict(end["outcome"]))
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(
        render_reveal(scenario, outcome, journal))
    return " ".join(buffer.getvalue().split())


def test_follow_ups_depend_on_what_the_run_did(tmp_path: Path) -> None:
    """A trainee who rolled back is not told to make the maxclients change permanent; one
    who raised maxclients is (and is not told to fix the leak 'before shipping again')."""
    rolled = reveal(play(tmp_path, "rollback", ROLLBACK))
    raised = reveal(play(tmp_path, "raise", RAISE))
    assert "maxclients change permanent" not in rolled
    assert "before shipping v2.4.1 again" in rolled
    assert "maxclients change permanent" in raised
    assert "before shipping v2.4.1 again" not in raised
    assert "Alert when Redis connections pass 80%" in rolled and \
        "Alert when Redis connections pass 80%" in raised


def test_a_second_incident_is_named_with_its_title_and_cause(tmp_path: Path) -> None:
    """The hero's database change on bad-deploy starts db-thrash: the channel, the report's
    figures and the reveal give its title and the change before it, not only its id."""
    journal = tmp_path / "hero.jsonl"
    assert tabletop("run", "bad-deploy", "--bot", "hero", "--seed", "7", "--journal",
                    str(journal)).returncode == 1
    title = "Doubling max_connections makes the catalog database thrash"
    said = [e for e in read_journal(journal).events("second_incident") if title in e["text"]]
    assert said and "max_connections to 400" in said[0]["text"]  # (restarts cause another)
    report = json.loads(tabletop("score", str(journal), "--format", "json").stdout)
    assert title in " ".join(report["outcome"]["second_incident_described"])
    md = tabletop("score", str(journal), "--format", "md").stdout
    row = next(line for line in md.splitlines() if line.startswith("| Second incident"))
    assert title in row and "began after" in row
    assert title in reveal(journal)
