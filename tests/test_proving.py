"""`tabletop prove`: bots show a scenario is winnable and discriminating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.commands.proving import prove
from simulator.format.loader import builtin_dir, builtin_ids, load_scenario, parse_scenario


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_builtin_scenarios_are_proven(scenario_id: str) -> None:
    """Each shipped scenario: expert resolves on every seed, every other bot does worse."""
    scenario, ref = load_scenario(scenario_id)
    proof = prove(scenario, ref, [1, 2, 3])
    assert proof.ok, proof.problems
    assert proof.results["expert"].resolved == 3


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_builtin_scenarios_rank_harm_right(scenario_id: str) -> None:
    """No anti-pattern bot does less harm than the expert over the same window."""
    scenario, ref = load_scenario(scenario_id)
    proof = prove(scenario, ref, [1, 2, 3])
    assert proof.harm_ok, proof.findings


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
    result = tabletop("prove", "bad-deploy", "--seeds", "2", "--json")
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["ok"] is True and verdict["proven"] is True
    assert {b["bot"] for b in verdict["bots"]} >= {"expert", "hero"}
    scores = {b["bot"]: b["median_score"] for b in verdict["bots"]}
    assert scores["expert"] >= 90 and all(v <= 60 for k, v in scores.items() if k != "expert")


def test_prove_rejects_silly_seed_counts() -> None:
    """Bad arguments are bad input."""
    assert tabletop("prove", "redis-saturation", "--seeds", "0").returncode == 2


# --- harm, coverage, decisions, progress, parallel runs, JSON (issue 9 item 7) -------------
def _redis_text() -> str:
    return (builtin_dir() / "redis-saturation.yaml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_cli_expert_at_least_90_every_anti_pattern_at_most_60(scenario_id: str) -> None:
    """Seeds 1-5 through `tabletop prove --json`: the grade separates the bots on every run."""
    result = tabletop("prove", scenario_id, "--seeds", "5", "--json", "--jobs", "2")
    assert result.returncode in (0, 1), result.stderr
    runs = json.loads(result.stdout)["runs"]
    assert len(runs) == 6 * 5
    for run in runs:
        if run["bot"] == "expert":
            assert run["score"] >= 90, run
        else:
            assert run["score"] <= 60, run


def test_an_anti_pattern_doing_less_harm_is_a_finding_with_its_cause(tmp_path: Path) -> None:
    """A responder's unfrozen restart that cures the fault (and costs nothing): the silent
    bot (who never freezes) hurts users less than the expert. prove must not say "proven",
    and must say why."""
    text = _redis_text().replace("      checkout_error_rate: 40\n",  # the bounce is free
                                 "      checkout_error_rate: 0.1\n").replace(
        "        - {config: redis.maxclients, below: 200}\n    effects:\n"
        "      checkout_error_rate: 7.9",
        "        - {config: redis.maxclients, below: 200}\n"
        "        - {not: {fact: restarted.payment-service}}\n    effects:\n"
        "      checkout_error_rate: 7.9")
    path = _write(tmp_path, text)
    result = tabletop("prove", str(path), "--seeds", "2", "--json")
    assert result.returncode == 1, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["proven"] is False and verdict["harm_ok"] is False
    silent = [f for f in verdict["findings"] if f.startswith("harm: silent ")]
    assert silent and "likely cause" in silent[0] and "dave" in silent[0], verdict["findings"]
    text_out = tabletop("prove", str(path), "--seeds", "2")
    assert "proven:" not in text_out.stdout and "not proven on harm" in text_out.stdout


def test_harm_findings_match_the_runs() -> None:
    """Every bot/seed with less harm than the expert is reported, and no other."""
    result = tabletop("prove", "region-degraded", "--seeds", "3", "--json")
    verdict = json.loads(result.stdout)
    harm = {(r["bot"], r["seed"]): r["harm"] for r in verdict["runs"]}
    lower = {bot for (bot, seed), h in harm.items() if h < harm[("expert", seed)]}
    reported = {f.split()[1] for f in verdict["findings"]}
    assert reported == lower
    assert all("likely cause: " in f for f in verdict["findings"])
    assert (result.returncode == 0) == (not lower and verdict["ok"])


def test_coverage_lists_what_no_bot_exercised(tmp_path: Path) -> None:
    """An inject that cannot fire, a fix nobody applies, a metric nothing moves, a
    dependency no fault depends on and no run touches."""
    text = _redis_text().replace(
        "  - id: db_p95_ms\n", "  - id: flat_queue\n    title: A queue nobody touches\n"
        "    unit: \"\"\n    baseline: 5\n    noise: 0.1\n  - id: db_p95_ms\n", 1)
    text = text.replace(
        "\ninjects:\n",
        "\ninjects:\n  - id: never-fires\n    at_minutes: 5\n"
        "    when: {metric: checkout_error_rate, above: 1000}\n"
        "    source: bob\n    text: Bob - this never happens.\n", 1)
    path = _write(tmp_path, text)
    assert tabletop("validate", str(path)).returncode == 0
    result = tabletop("prove", str(path), "--seeds", "1", "--json")
    coverage = json.loads(result.stdout)["coverage"]
    assert "never-fires" in coverage["injects_never_fired"]
    assert "hotfix-pool-size" in coverage["fixes_never_applied"]
    assert "pool-config" in coverage["investigations_never_run"]
    assert coverage["metrics_nothing_moves"] == ["flat_queue"]
    assert coverage["dependencies_nothing_uses"] == ["payments-db"]  # redis is in faults
    shown = tabletop("prove", str(path), "--seeds", "1").stdout
    assert "injects never fired: never-fires" in shown


def test_show_decisions_prints_each_bots_moves() -> None:
    """All bots, or one; in text and in JSON; an unknown bot is bad input."""
    one = tabletop("prove", "bad-deploy", "--seeds", "1", "--show-decisions", "hero")
    assert "hero decisions (seed 1):" in one.stdout and "expert decisions" not in one.stdout
    assert "T+ 0:00  acknowledge" in one.stdout or "T+ 0:00" in one.stdout
    every = tabletop("prove", "bad-deploy", "--seeds", "1", "--show-decisions", "--json")
    decisions = json.loads(every.stdout)["decisions"]
    assert set(decisions) == {"expert", "hero", "panic", "premature", "silent", "slow"}
    assert decisions["expert"][0]["action"] == "acknowledge"
    bad = tabletop("prove", "bad-deploy", "--show-decisions", "nobody")
    assert bad.returncode == 2 and "unknown bot 'nobody'" in bad.stderr


def test_progress_bar_on_request_and_quiet_otherwise() -> None:
    """The bar goes to stderr, so --json on stdout stays parseable."""
    shown = tabletop("prove", "redis-saturation", "--seeds", "1", "--json", "--progress")
    assert "proving redis-saturation" in shown.stderr and "6/6" in shown.stderr
    json.loads(shown.stdout)
    quiet = tabletop("prove", "redis-saturation", "--seeds", "1", "--no-progress")
    assert quiet.stderr == ""


def test_parallel_runs_give_the_same_report_as_one_process() -> None:
    """Both cores, same bytes: results are put back in (seed, bot) order."""
    one = tabletop("prove", "dependency-timeout", "--seeds", "2", "--json", "--jobs", "1")
    two = tabletop("prove", "dependency-timeout", "--seeds", "2", "--json", "--jobs", "2")
    assert one.stdout == two.stdout and one.returncode == two.returncode
    assert tabletop("prove", "dependency-timeout", "--jobs", "0").returncode == 2


def test_an_ideal_path_change_the_drill_refuses_is_reported_not_a_crash(tmp_path: Path) -> None:
    """A fix the expert can never apply (its finding is never learned): the expert bot
    skips it instead of crashing on "the change that landed", and prove says not winnable."""
    text = _redis_text().replace(
        "    - {action: set_config, key: redis.maxclients, value: 200, by: priya}\n",
        "    - {action: apply_fix, fix: hotfix-pool-size, by: priya}\n")
    path = _write(tmp_path, text)
    result = tabletop("prove", str(path), "--seeds", "1")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "not winnable" in result.stdout


def test_prove_reports_the_variants_its_seeds_played_and_the_choices_none_did(
        tmp_path: Path) -> None:
    """Per choice point, the seeds that played each choice (text and --json, every run's
    picks too); a declared choice no seed picked is a coverage gap."""
    from simulator.format.variants import vary
    from tests.format_scenario import with_, write

    path = write(tmp_path, with_(("debrief:\n", """\
variants:
  - {id: onset, path: faults.bad-release.onset_minutes, range: [-8, -1]}
  - {id: traffic, path: impact.per_minute, values: [80, 100, 140, 200, 260, 300]}
debrief:
""")))
    scenario, _ = load_scenario(path)
    picks = {seed: vary(scenario, seed)[1] for seed in (1, 2)}
    result = tabletop("prove", path, "--seeds", "2", "--json")
    verdict = json.loads(result.stdout)
    traffic = verdict["variants"]["traffic"]
    for seed in (1, 2):
        assert seed in traffic["picked"][str(picks[seed]["traffic"])]
        assert all(r["variant"] == picks[r["seed"]] for r in verdict["runs"])
    unpicked = [v for v in ("80", "100", "140", "200", "260", "300")
                if v not in {str(p["traffic"]) for p in picks.values()}]
    assert traffic["never_picked"] == unpicked and len(unpicked) >= 4
    assert verdict["coverage"]["variant_choices_never_picked"] == [
        f"traffic={v}" for v in unpicked]
    onset = verdict["variants"]["onset"]
    assert onset["kind"] == "range" and onset["never_picked"] == []
    assert onset["lowest"] == min(p["onset"] for p in picks.values())
    shown = " ".join(tabletop("prove", path, "--seeds", "2").stdout.split())  # unwrapped
    assert f"{unpicked[0]} (no seed)" in shown
    assert "variant choices no seed picked: " + ", ".join(
        f"traffic={v}" for v in unpicked) in shown
    assert f"{picks[1]['traffic']} (seed 1" in shown.split("variants (")[1]
