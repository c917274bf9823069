"""Lint in `tabletop validate`: warnings for a valid but weak exercise; --strict fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.format.loader import builtin_ids, lint_scenario
from tests.format_scenario import with_, write
from tests.helpers import tabletop

TRAP = ("  - {id: hello, at_minutes: 1, source: bob, text: Bob is here.}",
        "  - {id: hello, at_minutes: 1, source: bob, text: Bob is here., unless: {fact: "
        "changes-frozen}, npc_action: {by: bob, restart: db}}")


def warnings(tmp_path: Path, *edits: tuple[str, str]) -> list[str]:
    return [str(w) for w in lint_scenario(write(tmp_path, with_(TRAP, *edits)))]


def test_a_complete_scenario_has_no_warnings(tmp_path: Path) -> None:
    assert warnings(tmp_path) == []


@pytest.mark.parametrize(("edit", "expected"), [
    (("    red_herring: true\n", ""), "no red herring"),
    ((TRAP[1], TRAP[0]), "no trap: nothing the trainee can make worse"),
    (("effects: {error_rate: 20, latency_ms: 300}", "effects: {latency_ms: 3}"),
     "fault 'bad-release' has no visible symptom"),
    (("patience_minutes: 5,", "patience_minutes: 60,"), "stakeholder 'sam' never speaks"),
    (("text: Bob is here., unless", "text: x, when: {metric: error_rate, above: 50}, unless"),
     "inject 'hello' can never fire: error_rate never rises above 50"),
    (("at_minutes: 1, source: bob", "at_minutes: 45, source: bob"),
     "inject 'hello' can never fire: at_minutes 45 is past the time limit (40)"),
    (("title: Error rate,", "title: Checkout requests that failed or timed out at the edge,"),
     "is cut in the live view at 80 columns"),
    (("briefing: Errors are up.", "briefing: Errors are up. TODO say which"),
     "warning: TODO left: briefing: Errors are up. TODO say which"),
])
def test_each_warning(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    found = warnings(tmp_path, edit)
    assert any(expected in w for w in found), found
    assert all(":" in w.split(" warning:")[0] for w in found)  # located path:line:col


def test_validate_warns_and_strict_fails(tmp_path: Path) -> None:
    path = write(tmp_path, with_(TRAP, ("    red_herring: true\n", "")))
    loose = tabletop("validate", path)
    assert loose.returncode == 0, loose.stderr
    assert "warning: no red herring" in loose.stderr and "1 warning(s)" in loose.stdout
    strict = tabletop("validate", "--strict", path)
    assert strict.returncode == 2
    assert "warning: no red herring" in strict.stderr


def test_built_in_scenarios_pass_strict() -> None:
    result = tabletop("validate", "--strict", *builtin_ids())
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
