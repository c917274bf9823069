"""The expert's direct line (issue 8): replies, quick questions, pages and stops, each used
where the scenario's data says a competent IC would; and the anti-patterns' misuse of them.

Built-in scenarios in memory (scoring_helpers.played) and, where a situation has to be set
up first (a responder restarting on their own), the real CLI: a decisions file that lets the
restart start, then `tabletop branch --bot expert`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from scoring_helpers import played, ratings, scored

from simulator.format.loader import builtin_dir


def _decisions(scenario: str, bot: str, seed: int = 1) -> list[dict[str, Any]]:
    return [r for r in played(scenario, bot, seed).records if r["type"] == "decision"]


def _events(scenario: str, bot: str, kind: str, seed: int = 1) -> list[dict[str, Any]]:
    return list(played(scenario, bot, seed).events(kind))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120, check=False)


def test_expert_asks_the_person_who_knows_while_it_waits_for_evidence() -> None:
    """bad-deploy: Ravi knows what went out in v7.3.0 (the finding a rollback needs); the
    expert asks him after handing out the checks, in time it would have spent waiting."""
    decisions = _decisions("bad-deploy", "expert")
    asks = [d for d in decisions if d["action"] == "ask"]
    assert [(a["args"]["person"], a["args"]["question"]) for a in asks] == [
        ("ravi", "v730-changes")]
    delegations = [d["t"] for d in decisions if d["action"] == "delegate"]
    rollback = next(d["t"] for d in decisions if d["action"] == "rollback")
    assert sorted(delegations)[2] < asks[0]["t"] < rollback
    assert _events("bad-deploy", "expert", "answer")
    assert ratings(scored("bad-deploy", "expert", 1))["orient.blast-first"] == "P"


def test_expert_asks_nobody_whose_answer_the_response_does_not_need() -> None:
    """redis-saturation: Dave knows what changed in v2.4.1, but the ideal path's change
    (raising maxclients) is justified by Redis's own state: no question is asked."""
    assert not [d for d in _decisions("redis-saturation", "expert") if d["action"] == "ask"]


def test_expert_replies_to_the_stakeholder_who_asked() -> None:
    """A question that comes between updates is answered to the person, truthfully, and the
    scorer counts it: every question answered, no false statement."""
    decisions = _decisions("waf-global-push", "expert")
    replies = [d for d in decisions if d["action"] == "reply"]
    assert replies
    asked = {e["actor"]: e["t"] for e in _events("waf-global-push", "expert", "inject")}
    for reply in replies:
        assert reply["args"]["to"] in asked and asked[reply["args"]["to"]] <= reply["t"]
    got = ratings(scored("waf-global-push", "expert", 1))
    assert got["comms.audience"] == "P" and got["comms.update-content"] == "P"


def test_expert_stops_a_restart_a_responder_started_on_their_own(tmp_path: Path) -> None:
    """No freeze yet, Ravi restarts the catalog pods at T+3; the expert, taking over, tells
    him to stop before the restart wipes the logs."""
    script = tmp_path / "no-freeze.yaml"
    script.write_text("- {action: acknowledge}\n- {action: wait, minutes: 3.1}\n",
                      encoding="utf-8")
    journal, branch = tmp_path / "start.jsonl", tmp_path / "branch.jsonl"
    _cli("run", "bad-deploy", "--decisions", str(script), "--seed", "1", "--journal",
         str(journal), "--quiet", "--no-history")
    done = _cli("branch", str(journal), "--at", "2", "--bot", "expert", "--output",
                str(branch), "--no-history")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in branch.read_text(encoding="utf-8").splitlines()]
    tells = [r for r in records if r.get("type") == "decision" and r["action"] == "tell"]
    assert [(t["args"]["person"], t["args"]["says"]) for t in tells] == [("ravi", "stop")]
    kinds = [r.get("kind") for r in records if r.get("type") == "event"]
    assert "change_cancelled" in kinds and "evidence_lost" not in kinds


def test_expert_pages_only_whom_the_scenario_says_is_needed(tmp_path: Path) -> None:
    """Built-in bad-deploy declares no `useful_when`: nobody is paged. The same scenario with
    the pricing on-call marked useful once the release is known: she is paged, once."""
    assert not [d for d in _decisions("bad-deploy", "expert") if d["action"] == "page"]
    data = yaml.safe_load((builtin_dir() / "bad-deploy.yaml").read_text(encoding="utf-8"))
    sofia = next(p for p in data["roster"]["on_call"] if p["id"] == "sofia")
    sofia["useful_when"] = {"known": "recent-deploy"}
    path = tmp_path / "bad-deploy-paging.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    done = _cli("run", str(path), "--bot", "expert", "--seed", "1", "--journal", str(journal),
                "--quiet", "--no-history")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    pages = [r for r in records if r.get("type") == "decision" and r["action"] == "page"]
    assert [p["args"]["person"] for p in pages] == ["sofia"]
    joined = [r for r in records if r.get("kind") == "joined"]
    assert joined and joined[0]["data"]["useful"] is True


def test_panic_pages_every_team_on_call() -> None:
    """All hands: the panic bot pages everyone the scenario lists, the CDN vendor included,
    who finds nothing to do and drops off."""
    pages = [d["args"]["person"] for d in _decisions("bad-deploy", "panic")
             if d["action"] == "page"]
    assert sorted(pages) == ["cdn-vendor", "sofia"]
    useless = [e for e in _events("bad-deploy", "panic", "joined") if not e["data"]["useful"]]
    assert [e["actor"] for e in useless] == ["cdn-vendor"]


def test_premature_tells_the_askers_it_is_fixed_before_anything_was_verified() -> None:
    """On the first dip, each stakeholder who asked hears "It's fixed", before monitoring
    confirmed a recovery and before the (unverified) resolution."""
    journal = played("bad-deploy", "premature", 1)
    replies = [d for d in journal.records if d["type"] == "decision"
               and d["action"] == "reply" and "fixed" in d["args"]["text"]]
    assert replies
    resolved = next(e for e in journal.events("declare_resolved"))
    recovered = [e["t"] for e in journal.events("recovered")]
    assert all(r["t"] <= resolved["t"] for r in replies)
    assert not recovered or min(recovered) > replies[0]["t"]


def _variant(tmp_path: Path, name: str, ideal_path: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """bad-deploy with another ideal path, played by the expert through the CLI."""
    data = yaml.safe_load((builtin_dir() / "bad-deploy.yaml").read_text(encoding="utf-8"))
    data["debrief"]["ideal_path"] = ideal_path
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    journal = tmp_path / f"{name}.jsonl"
    done = _cli("run", str(path), "--bot", "expert", "--seed", "1", "--journal", str(journal),
                "--quiet", "--no-history")
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]


def test_expert_rolls_forward_only_when_the_ideal_path_says_so(tmp_path: Path) -> None:
    """bad-deploy offers v7.3.1 once the timeout setting is found; the built-in ideal path
    rolls back, and so does the expert. An ideal path that rolls forward is followed."""
    assert not [d for d in _decisions("bad-deploy", "expert") if d["action"] == "roll_forward"]
    records = _variant(tmp_path, "forward", [
        {"action": "delegate", "responder": "mei", "investigation": "latency-dashboard"},
        {"action": "delegate", "responder": "kofi", "investigation": "deploy-history"},
        {"action": "delegate", "responder": "ravi", "investigation": "app-logs"},
        {"action": "roll_forward", "service": "catalog-api"}])
    forward = [r for r in records if r.get("type") == "decision"
               and r["action"] == "roll_forward"]
    assert len(forward) == 1 and forward[0]["args"]["by"] != "ic"
    found = next(r["t"] for r in records if r.get("kind") == "investigation_done"
                 and r["data"]["investigation"] == "app-logs")
    assert found <= forward[0]["t"]


def test_expert_glances_itself_when_nobody_is_free_for_a_check(tmp_path: Path) -> None:
    """Three responders busy with three checks; the fourth check (the deploy history) has a
    quick look that tells all it would: the IC looks for a minute instead of waiting."""
    records = _variant(tmp_path, "glance", [
        {"action": "delegate", "responder": "mei", "investigation": "app-logs"},
        {"action": "delegate", "responder": "kofi", "investigation": "db-metrics"},
        {"action": "delegate", "responder": "ravi", "investigation": "rollback-check"},
        {"action": "delegate", "responder": "mei", "investigation": "deploy-history"},
        {"action": "rollback", "service": "catalog-api"}])
    decisions = [r for r in records if r.get("type") == "decision"]
    looks = [d for d in decisions if d["action"] == "quick_check"]
    assert [d["args"]["investigation"] for d in looks] == ["deploy-history"]
    assert not [d for d in decisions if d["action"] == "delegate"
                and d["args"]["investigation"] == "deploy-history"]


def test_the_hero_asks_nobody_and_the_silent_ic_answers_nobody() -> None:
    """The silent hero asks, answers and pages nobody; the silent IC works through its
    responders (a quick question to one of them included) but answers no stakeholder."""
    for scenario in ("bad-deploy", "redis-saturation"):
        hero = {d["action"] for d in _decisions(scenario, "hero")}
        assert not hero & {"ask", "reply", "page", "tell"}, (scenario, hero)
        silent = {d["action"] for d in _decisions(scenario, "silent")}
        assert not silent & {"reply", "page"}, (scenario, silent)
