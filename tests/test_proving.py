"""`tabletop prove`: bots show a scenario is winnable and discriminating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.loader import builtin_dir, builtin_ids, load_scenario, parse_scenario
from simulator.proving import prove


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_builtin_scenarios_are_proven(scenario_id: str) -> None:
    """Each shipped scenario: expert resolves on every seed, every other bot does worse."""
    scenario, ref = load_scenario(scenario_id)
    proof = prove(scenario, ref, [1, 2, 3])
    assert proof.ok, proof.problems
    assert proof.results["expert"].resolved == 3


def test_an_unwinnable_scenario_is_caught() -> None:
    """If no change can end the fault, prove says so."""
    text = (builtin_dir() / "redis-saturation.yaml").read_text(encoding="utf-8")
    text = text.replace("        - {config: redis.maxclients, below: 200}\n    effects:\n"
                        "      checkout_error_rate: 7.9",
                        "        - {config: redis.maxclients, below: 2000}\n    effects:\n"
                        "      checkout_error_rate: 7.9")
    text = text.replace("previous_version: v2.4.0", "previous_version: v2.4.1")
    scenario = parse_scenario(text, "s.yaml")
    proof = prove(scenario, {"id": scenario.id, "sha256": "x", "path": "s.yaml"}, [1])
    assert any(p.startswith("not winnable") for p in proof.problems)


def test_prove_cli_json(tmp_path: Path) -> None:
    """The command prints a JSON verdict and exits 0 for a proven scenario."""
    result = tabletop("prove", "redis-saturation", "--seeds", "2", "--json")
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["ok"] is True and {b["bot"] for b in verdict["bots"]} >= {"expert", "hero"}
    scores = {b["bot"]: b["median_score"] for b in verdict["bots"]}
    assert scores["expert"] >= 90 and all(v <= 60 for k, v in scores.items() if k != "expert")


def test_prove_rejects_silly_seed_counts() -> None:
    """Bad arguments are bad input."""
    assert tabletop("prove", "redis-saturation", "--seeds", "0").returncode == 2
