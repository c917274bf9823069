"""Scripted play: decision files drive drills, exported runs replay exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.format.loader import builtin_ids


def body(path: Path) -> list[str]:
    """A journal without its header (which names the decider)."""
    return path.read_text(encoding="utf-8").splitlines()[1:]


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_exported_decisions_replay_the_same_run(tmp_path: Path, scenario_id: str) -> None:
    """A bot's run exported as decisions and replayed gives the same events and outcome."""
    script = tmp_path / "d.yaml"
    first = tmp_path / "bot.jsonl"
    second = tmp_path / "script.jsonl"
    ran = tabletop("run", scenario_id, "--bot", "expert", "--seed", "11", "--journal",
                   str(first), "--export-decisions", str(script))
    assert ran.returncode == 0, ran.stderr
    replay = tabletop("run", scenario_id, "--decisions", str(script), "--seed", "11",
                      "--journal", str(second))
    assert replay.returncode == 0, replay.stderr
    assert body(first) == body(second)


def test_hand_written_decisions_play_without_prompts(tmp_path: Path) -> None:
    """A short script with at_minutes waits in simulated time and resolves the incident."""
    script = tmp_path / "d.yaml"
    script.write_text("""
- action: acknowledge
- {action: declare, severity: P2}
- action: freeze_changes
- {action: post_update, audience: all, impact: 8% of checkouts fail, doing: investigating,
   next_update_minutes: 10}
- {action: delegate, responder: priya, investigation: redis-health}
- {action: set_config, key: redis.maxclients, value: 200, by: priya, at_minutes: 9,
   announcement: raising maxclients to 200}
- {action: wait, minutes: 12}
- {action: declare_resolved, message: checkout restored}
- {action: write_postmortem, summary: short drill}
""", encoding="utf-8")
    journal = tmp_path / "j.jsonl"
    result = tabletop("run", "redis-saturation", "--decisions", str(script), "--seed", "1",
                      "--journal", str(journal))
    assert result.returncode == 0, result.stdout + result.stderr
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    change = next(r for r in records if r.get("kind") == "change_started")
    assert change["t"] >= 9 * 60 and change["data"]["announced"] is True
    assert records[-1]["outcome"]["status"] == "resolved"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("- {action: acknowlege}\n", ":1:3: decision 1: unknown action 'acknowlege'"),
        ("- action: acknowledge\n- {action: delegate, responder: zed, investigation: "
         "redis-health}\n", ":2:3: decision 2: 'delegate': responder 'zed' is not possible"),
        ("- {action: wait, minutes: 500}\n", "minutes must be a number from 0.05 to 30"),
        ("- {action: declare}\n", "'declare' needs 'severity' (one of: P1, P2, P3)"),
        ("- {at_minutes: 3}\n", ":1:3: missing required key 'action'"),
        ("action: acknowledge\n", ":1:1: a decisions file is a YAML list"),
        ("- {action: acknowledge}\n", "the decisions ran out at T+0"),
    ],
)
def test_bad_decision_files_are_located(tmp_path: Path, script: str, expected: str) -> None:
    """Errors in a decisions file are reported like scenario errors, exit 2."""
    path = tmp_path / "d.yaml"
    path.write_text(script, encoding="utf-8")
    result = tabletop("run", "redis-saturation", "--decisions", str(path), "--journal",
                      str(tmp_path / "j.jsonl"))
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith(str(path))


def test_interrupted_script_leaves_a_journal(tmp_path: Path) -> None:
    """A script that runs out keeps everything played so far, flushed to disk."""
    path = tmp_path / "d.yaml"
    path.write_text("- action: acknowledge\n- {action: declare, severity: P1}\n")
    journal = tmp_path / "j.jsonl"
    tabletop("run", "bad-deploy", "--decisions", str(path), "--journal", str(journal))
    kinds = [json.loads(line).get("kind") for line in journal.read_text().splitlines()]
    assert "acknowledge" in kinds and "declare" in kinds


def test_a_decisions_file_goes_on_after_a_reopen(tmp_path: Path) -> None:
    """A premature resolve reopens; the decisions after it are played, not refused, and the
    scorer sees both the premature call and the verified recovery (rated M, not U)."""
    import yaml

    script, played = tmp_path / "d.yaml", tmp_path / "script.jsonl"
    ran = tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "7", "--journal",
                   str(tmp_path / "bot.jsonl"), "--export-decisions", str(script), "--quiet")
    assert ran.returncode == 0, ran.stderr
    decisions = yaml.safe_load(script.read_text())
    at = next(i for i, d in enumerate(decisions) if d["action"] == "post_update") + 1
    decisions.insert(at, {"action": "declare_resolved", "message": "looks fine now"})
    script.write_text(yaml.safe_dump(decisions, sort_keys=False))
    replay = tabletop("run", "bad-deploy", "--decisions", str(script), "--seed", "7",
                      "--journal", str(played), "--quiet")
    assert replay.returncode == 0, replay.stderr
    assert "outcome: resolved" in replay.stdout and "(after 1 reopen)" in replay.stdout
    scored = tabletop("score", str(played), "--format", "json")
    verified = next(c for c in json.loads(scored.stdout)["criteria"]
                    if c["id"] == "resolve.verified")
    assert verified["rating"] == "M" and "resolved again" in verified["reason"]
    # the advice names the recovery the run reached, not 'never' (it contradicted the reason)
    assert "confirmed by monitoring: T+" in verified["advice"], verified["advice"]


def test_decisions_files_talk_to_one_person_and_stop_changes(tmp_path: Path) -> None:
    """tell and reply in a decisions file: played, journaled, replayed exactly (the same
    file gives the same journal), and the run still resolves."""
    import yaml

    script = tmp_path / "d.yaml"
    ran = tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "7", "--journal",
                   str(tmp_path / "bot.jsonl"), "--export-decisions", str(script), "--quiet")
    assert ran.returncode == 0, ran.stderr
    decisions = yaml.safe_load(script.read_text())
    decisions.insert(1, {"action": "tell", "person": "ravi", "says": "hold",
                         "about": "no restarts on your own"})
    at = next(i for i, d in enumerate(decisions) if d.get("at_minutes", 0) >= 4)
    decisions.insert(at, {"action": "reply", "to": "elena",
                          "text": "The release is our lead; update in ten minutes."})
    script.write_text(yaml.safe_dump(decisions, sort_keys=False))
    journals = [tmp_path / "one.jsonl", tmp_path / "two.jsonl"]
    for journal in journals:
        played = tabletop("run", "bad-deploy", "--decisions", str(script), "--seed", "7",
                          "--journal", str(journal), "--quiet")
        assert played.returncode == 0, played.stderr
    assert body(journals[0]) == body(journals[1])
    kinds = [json.loads(line).get("kind") for line in body(journals[0])]
    assert "reply" in kinds and "tell" in kinds


def test_a_decision_that_cannot_stop_anything_is_located(tmp_path: Path) -> None:
    script = tmp_path / "d.yaml"
    script.write_text("- action: acknowledge\n- {action: cancel_change, change: restart:x}\n")
    result = tabletop("run", "bad-deploy", "--decisions", str(script), "--seed", "1",
                      "--journal", str(tmp_path / "j.jsonl"))
    assert result.returncode == 2
    assert f"{script}:2:" in result.stderr and "no change is running" in result.stderr


def test_a_scheduled_postmortem_is_scored_later_into_the_same_report(tmp_path: Path) -> None:
    """The drill ends with the meeting booked (postmortem criteria N/A, saying how to score
    it); `score --postmortem FILE` grades the file written later; a bad file is located."""
    import yaml

    script, journal = tmp_path / "d.yaml", tmp_path / "run.jsonl"
    ran = tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "7", "--journal",
                   str(tmp_path / "bot.jsonl"), "--export-decisions", str(script), "--quiet")
    assert ran.returncode == 0, ran.stderr
    decisions = yaml.safe_load(script.read_text())
    written = decisions.pop()
    assert written["action"] == "write_postmortem"
    decisions.append({"action": "schedule_postmortem", "when": "tomorrow 10:00",
                      "owner": "mei"})
    script.write_text(yaml.safe_dump(decisions, sort_keys=False))
    played = tabletop("run", "bad-deploy", "--decisions", str(script), "--seed", "7",
                      "--journal", str(journal), "--quiet")
    assert played.returncode == 0, played.stderr

    def criteria(*extra: str) -> dict[str, dict]:
        out = tabletop("score", str(journal), "--format", "json", *extra)
        assert out.returncode == 0, out.stderr
        return {c["id"]: c for c in json.loads(out.stdout)["criteria"]}

    booked = criteria()["postmortem.complete"]
    assert booked["rating"] == "N/A" and "--postmortem" in booked["reason"]
    pm = tmp_path / "pm.yaml"
    pm.write_text(yaml.safe_dump({k: v for k, v in written.items()
                                  if k not in ("action", "at_minutes")}, sort_keys=False))
    later = criteria("--postmortem", str(pm))
    assert later["postmortem.complete"]["rating"] == "P"
    assert later["postmortem.blameless"]["rating"] == "P"
    pm.write_text("summary: fine\nlessons: stabilise first\n")
    bad = tabletop("score", str(journal), "--postmortem", str(pm))
    assert bad.returncode == 2 and f"{pm}:2:" in bad.stderr and "lessons" in bad.stderr


def test_decisions_ask_and_glance(tmp_path: Path) -> None:
    """ask and quick_check from a decisions file; a question the person cannot answer is
    refused at its line."""
    script = tmp_path / "d.yaml"
    script.write_text("- {action: ask, person: dave, question: v241-changes}\n"
                      "- {action: quick_check, investigation: deploy-history}\n"
                      "- {action: ask, person: dave, question: v241-changes}\n")
    result = tabletop("run", "redis-saturation", "--decisions", str(script), "--seed", "1",
                      "--journal", str(tmp_path / "j.jsonl"))
    assert result.returncode == 2 and f"{script}:3:" in result.stderr
    kinds = [json.loads(line).get("kind") for line in (tmp_path / "j.jsonl").read_text(
        ).splitlines()]
    assert "answer" in kinds and "quick_check_done" in kinds
