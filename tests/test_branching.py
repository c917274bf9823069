"""Counterfactual branches: the replayed part is exact, the rest is the new decider's."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import tabletop

from simulator.commands.branching import branch
from simulator.format.loader import load_scenario
from simulator.players.bots import make_bot
from simulator.players.play import run_drill


def records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_branch_keeps_the_prefix_and_changes_the_ending(tmp_path: Path) -> None:
    """Replay two hero decisions, then the expert: same start, better end."""
    scenario, ref = load_scenario("bad-deploy")
    source = tmp_path / "hero.jsonl"
    run_drill(scenario, ref, make_bot("hero"), 5, source)
    result = branch(source, 2, make_bot("expert"), tmp_path / "b.jsonl")
    original = [r for r in records(source) if r["type"] == "decision"]
    branched = [r for r in records(result.journal) if r["type"] == "decision"]
    assert branched[:2] == original[:2] and branched[2:] != original[2:]
    assert result.outcome.status == "resolved"
    header = records(result.journal)[0]
    assert header["options"]["branch_at"] == 2 and header["seed"] == 5


def test_branch_at_zero_is_a_fresh_run(tmp_path: Path) -> None:
    """Branching before any decision gives exactly the new decider's own run."""
    scenario, ref = load_scenario("redis-saturation")
    source = tmp_path / "hero.jsonl"
    run_drill(scenario, ref, make_bot("hero"), 3, source)
    result = branch(source, 0, make_bot("expert"), tmp_path / "b.jsonl")
    plain = tmp_path / "expert.jsonl"
    run_drill(scenario, ref, make_bot("expert"), 3, plain)
    assert records(result.journal)[1:] == records(plain)[1:]


def test_branch_cli_compares_and_refuses_bad_points(tmp_path: Path) -> None:
    """The command prints both outcomes and scores; an impossible --at is bad input."""
    source = tmp_path / "h.jsonl"
    assert tabletop("run", "redis-saturation", "--bot", "hero", "--seed", "7", "--journal",
                    str(source), "--quiet").returncode == 1
    result = tabletop("branch", str(source), "--at", "1", "--bot", "expert")
    assert result.returncode == 0, result.stderr
    assert "as played" in result.stdout and "branch: expert" in result.stdout
    assert (tmp_path / "h.branch1-expert.jsonl").exists()
    bad = tabletop("branch", str(source), "--at", "99", "--bot", "expert")
    assert bad.returncode == 2 and "--at must be from 0 to" in bad.stderr
