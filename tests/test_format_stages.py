"""Two-stage recovery: users served again (mitigated) before full service (resolved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.actions.catalogue import Action
from simulator.errors import InputError
from simulator.format.loader import parse_scenario
from tests.format_scenario import with_, write
from tests.helpers import drill_until, events, tabletop

TWO_STAGE = (
    ("effects: {error_rate: 20, latency_ms: 300}\n",
     "effects: {error_rate: 20, latency_ms: 300}\n"
     "    suppressed:\n      - {when: {flag: shield, state: \"off\"}, factor: 0}\n"
     "  - id: unprotected\n    title: The shield is off\n    active_when: {flag: shield, "
     "state: \"off\"}\n    ramp_minutes: 0\n    recover_minutes: 0\n"
     "    effects: {protection_pct: -100}\n"),
    ("  - {id: latency_ms,",
     "  - {id: protection_pct, title: Protected, unit: '%', baseline: 100, slo: {min: 99}}\n"
     "  - {id: latency_ms,"),
    ("  metrics: [error_rate]\n  hold_minutes: 2\n",
     "  metrics: [error_rate, protection_pct]\n  hold_minutes: 2\n"
     "  when: {service: api, version: v1}\n  not_yet: the v2 release is still live\n"
     "  mitigated: {metrics: [error_rate]}\n"),
)
KILL = Action("toggle_flag", {"flag": "shield", "state": "off", "by": "bob"})


def test_mitigated_without_full_service_is_shown_as_such(tmp_path: Path) -> None:
    """Shield off ends the impact at once, but full service never comes back."""
    drill = drill_until(write(tmp_path, with_(*TWO_STAGE)), [KILL], 20)
    mitigated = events(drill, "mitigated")
    assert mitigated and not events(drill, "recovered")
    assert mitigated[0]["data"]["since"] <= 120
    outcome = drill.outcome().data
    assert outcome["mitigated_at"] is not None and outcome["recovered_at"] is None


def test_full_service_needs_the_fix_and_the_protection(tmp_path: Path) -> None:
    drill = drill_until(write(tmp_path, with_(*TWO_STAGE)), [
        KILL, Action("rollback", {"service": "api", "by": "eve"}),
        Action("wait", {"minutes": 5}),
        Action("toggle_flag", {"flag": "shield", "state": "on", "by": "bob"})], 20)
    assert events(drill, "mitigated")[0]["t"] < events(drill, "recovered")[0]["t"]
    assert "recovered" in drill.engine.world.facts


def test_resolving_before_full_service_reopens(tmp_path: Path) -> None:
    """Metrics fine (the shield hides the errors) but the release is still live: reopened."""
    text = with_(TWO_STAGE[0], TWO_STAGE[1], (
        TWO_STAGE[2][0], "  metrics: [error_rate]\n  hold_minutes: 2\n"
        "  when: {service: api, version: v1}\n  not_yet: the v2 release is still live\n"))
    drill = drill_until(write(tmp_path, text), [
        KILL, Action("wait", {"minutes": 5}), Action("declare_resolved", {"message": "ok"})],
        12)
    reopened = events(drill, "reopened")
    assert reopened and "the v2 release is still live" in reopened[0]["text"]


def test_scorer_figures_use_the_right_stage(tmp_path: Path) -> None:
    """The CLI run and score show time to mitigate, and full service 'never'."""
    path = write(tmp_path, with_(*TWO_STAGE))
    decisions = tmp_path / "d.yaml"
    decisions.write_text("- {action: toggle_flag, flag: shield, state: \"off\", by: bob}\n"
                         "- {action: wait, minutes: 30}\n- {action: wait, minutes: 10}\n"
                         "- {action: finish}\n")
    journal = tmp_path / "run.jsonl"
    run = tabletop("run", path, "--decisions", str(decisions), "--journal", str(journal),
                   "--seed", "3")
    assert run.returncode == 1, run.stderr
    assert "mitigated T+" in run.stdout and "recovered never" in run.stdout
    scored = tabletop("score", str(journal), "--format", "json")
    figures = json.loads(scored.stdout)["outcome"]
    assert figures["mitigated"] is not None and figures["mitigated"] <= 180
    assert figures["full_service"] is None


def test_stages_are_cross_checked() -> None:
    text = with_(*TWO_STAGE[:2], ("  metrics: [error_rate]\n  hold_minutes: 2\n",
                                  "  metrics: [error_rate]\n  hold_minutes: 2\n"
                                  "  when: {flag: sheild, state: \"on\"}\n"
                                  "  mitigated: {metrics: [eror_rate]}\n"))
    with pytest.raises(InputError) as info:
        parse_scenario(text, "s.yaml")
    found = [str(p) for p in info.value.problems]
    assert any("unknown feature flag 'sheild'" in p for p in found), found
    assert any("unknown metric 'eror_rate' (did you mean 'error_rate'?)" in p for p in found)
