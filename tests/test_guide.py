"""`tabletop brief`: the facilitator guide, driven through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.format.loader import builtin_ids, load_scenario
from tests.helpers import tabletop

BUILTIN = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_guide_lists_every_inject_question_and_criterion(scenario_id: str) -> None:
    scenario, _ = load_scenario(scenario_id)
    assert scenario.debrief.questions, "every built-in scenario has hot-wash questions"
    assert scenario.facilitator_injects, "every built-in scenario has facilitator injects"
    result = tabletop("brief", scenario_id)
    assert result.returncode == 0, result.stderr
    md = result.stdout
    for heading in ("## Objectives", "## MSEL", "## Ideal path", "## Traps",
                    "## Discussion questions", "## Evaluator guide"):
        assert heading in md
    msel = md.split("## MSEL")[1].split("## Ideal path")[0]
    for inj in [*scenario.injects, *scenario.facilitator_injects]:
        assert f"| {inj.id} |" in msel
    for finj in scenario.facilitator_injects:
        assert f"| {finj.id} | at the facilitator's call |" in msel
    for question in scenario.debrief.questions:
        assert question.replace("&", "&amp;") in md
    evaluator = md.split("## Evaluator guide")[1]
    assert "| Alert owned and incident declared early" in evaluator
    assert "by T+2" in evaluator  # the built-in rubric's threshold, filled in
    assert "{" not in evaluator  # no placeholder left unfilled


def test_guide_quotes_the_rubric_in_force(tmp_path: Path) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("schema_version: 1\nextends: builtin\ncriteria:\n"
                      "  - {id: command.declare-early, thresholds: {p: 3, s: 7, m: 12}}\n"
                      "  - {id: command.severity, enabled: false}\n", encoding="utf-8")
    md = tabletop("brief", "bad-deploy", "--rubric", str(rubric)).stdout
    assert "by T+3 |" in md and "declared by T+7 |" in md
    assert "(`command.severity`)" not in md


def test_html_guide_escapes_scenario_text(tmp_path: Path) -> None:
    text = (BUILTIN / "redis-saturation.yaml").read_text(encoding="utf-8")
    hostile = text.replace(
        "  questions:  # hot wash: the facilitator guide and the console ask these\n",
        "  questions:  # hot wash\n    - \"<script>alert(1)</script> | who decided?\"\n")
    hostile = hostile.replace("    source: sam\n", "    source: \"<img src=x onerror=alert(1)>\"\n",
                              1)
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile, encoding="utf-8")
    html = tabletop("brief", str(path), "--format", "html")
    assert html.returncode == 0, html.stderr
    assert "<script>alert" not in html.stdout and "<img src" not in html.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.stdout
    assert html.stdout.startswith("<!DOCTYPE html>")
    md = tabletop("brief", str(path), "--output", str(tmp_path / "guide.md"))
    assert md.returncode == 0, md.stderr
    written = (tmp_path / "guide.md").read_text(encoding="utf-8")
    assert "<script>" not in written and "&lt;script&gt;" in written
    assert "<img" not in written


@pytest.mark.parametrize(("question", "what"), [
    ('""', "at least 1 character"), ('"   "', "should match pattern"),
])
def test_a_blank_question_is_refused_at_its_line(tmp_path: Path, question: str,
                                                  what: str) -> None:
    text = (BUILTIN / "bad-deploy.yaml").read_text(encoding="utf-8")
    marker = "  questions:  # hot wash: the facilitator guide and the console ask these\n"
    lines = text[:text.index(marker)].count("\n") + 2
    path = tmp_path / "blank.yaml"
    path.write_text(text.replace(marker, marker + f"    - {question}\n"), encoding="utf-8")
    result = tabletop("brief", str(path))
    assert result.returncode == 2
    assert f"{path}:{lines}:7: " in result.stderr and what in result.stderr
    assert "Traceback" not in result.stderr


def test_facilitator_inject_objective_must_be_a_criterion(tmp_path: Path) -> None:
    text = (BUILTIN / "bad-deploy.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    head, tail = text.split("facilitator_injects:", 1)
    tail = tail.replace("objective: change.one-at-a-time", "objective: change.one-at-a-tme")
    path.write_text(head + "facilitator_injects:" + tail, encoding="utf-8")
    line = (head + "facilitator_injects:" + tail).splitlines().index(
        "    objective: change.one-at-a-tme") + 1
    result = tabletop("validate", str(path))
    assert result.returncode == 2
    assert f"{path}:{line}:5: unknown rubric criterion 'change.one-at-a-tme'" in result.stderr
