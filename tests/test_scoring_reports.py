"""Reports: JSON structure, Markdown sections, self-contained HTML (and how it looks)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from scoring_helpers import played

from scoring.compare import compare_with_expert
from scoring.grader import grade, judge_plainly
from scoring.report_html import render_html
from scoring.report_json import render_json
from scoring.report_md import render_markdown
from scoring.report_text import render_text
from scoring.run import Run
from scoring.scorecard import Scorecard
from simulator.format.loader import load_scenario


def card_for(bot: str, scenario: str = "redis-saturation", seed: int = 1) -> Scorecard:
    """A full scorecard, expert comparison included."""
    return grade(played(scenario, bot, seed), load_scenario(scenario)[0])


def test_json_has_the_documented_shape() -> None:
    """score 0-100, criteria with id/rating/points/max_points/evidence/advice, outcome."""
    data = json.loads(render_json(card_for("panic")))
    assert 0 <= data["score"] <= 100
    for c in data["criteria"]:
        assert {"id", "rating", "points", "max_points", "evidence", "advice"} <= set(c)
        assert c["rating"] in ("P", "S", "M", "U", "N/A")
        assert 0 <= c["points"] <= c["max_points"] or c["rating"] == "N/A"
        for e in c["evidence"]:
            assert re.fullmatch(r"T\+\d+:\d\d", e["at"]) and e["text"]
    for key in ("declared", "first_update", "mitigated", "resolved", "failed",
                "longest_silence", "most_changes_in_flight"):
        assert key in data["outcome"]
    assert data["comparison"]["expert_score"] >= 90
    assert data["improvement_plan"][0]["corrective_action"]


def test_points_add_up_to_the_score() -> None:
    """The total is the points earned over the points possible (N/A excluded)."""
    data = json.loads(render_json(card_for("slow")))
    earned = sum(c["points"] for c in data["criteria"])
    possible = sum(c["max_points"] for c in data["criteria"])
    if data["critical_cap"] is None:
        assert data["score"] == round(100 * earned / possible)
    else:  # a critical failure: capped, and every other lapse still counts below the cap
        assert data["critical_cap"]["uncapped"] == round(100 * earned / possible)
        assert data["score"] <= min(data["critical_cap"]["at"], round(100 * earned / possible))


def test_markdown_has_the_aar_sections() -> None:
    """Scorecard table, outcome figures, findings, timeline and improvement plan."""
    text = render_markdown(card_for("hero"))
    for heading in ("# After-action report:", "## Scorecard", "## Outcome figures",
                    "## Findings", "## Timeline", "## Improvement plan"):
        assert heading in text
    assert "| [comms.first-update](#process-first-update)" in text
    assert "on the expert path" in text
    assert "“Bob Tran caused this outage by shipping a bad change.”" in text


def test_html_is_self_contained() -> None:
    """No scripts, no stylesheets or images from elsewhere: one file works offline."""
    html = render_html(card_for("premature"))
    assert "<svg" in html and "<polyline" in html
    assert not re.search(r"<script|<link|<img|@import|url\(", html, re.IGNORECASE)
    remote = re.findall(r"(?:src|href)=\"(https?:[^\"]*)\"", html)
    assert remote == []
    assert [u for u in re.findall(r"https?://[^\s\"'<]+", html)
            if u != "http://www.w3.org/2000/svg"] == []


def test_html_chart_marks_every_decision() -> None:
    """Each decision except waiting is a numbered mark on the chart."""
    journal = played("redis-saturation", "expert", 1)
    html = render_html(card_for("expert"))
    decisions = [d for d in journal.decisions() if d["action"] != "wait"]
    assert html.count('<g class="decision">') == len(decisions)
    assert html.count('class="mark change_applied"') == len(list(journal.events(
        "change_applied")))


def test_reports_are_deterministic() -> None:
    """The same journal renders to the same bytes."""
    a, b = card_for("silent"), card_for("silent")
    assert render_html(a) == render_html(b) and render_markdown(a) == render_markdown(b)
    assert render_json(a) == render_json(b) and render_text(a) == render_text(b)


def test_text_report_lists_the_plan() -> None:
    """The terminal scorecard ends with the improvement plan, biggest gap first."""
    text = render_text(card_for("silent"))
    assert "Score " in text and "Improvement plan" in text
    assert "1. [U] comms." in text


def test_comparison_quotes_expert_and_run_times() -> None:
    """'service restored at T+x on the expert path; at T+y in this run'."""
    sc = load_scenario("redis-saturation")[0]
    lines = compare_with_expert(Run(played("redis-saturation", "panic", 1), sc),
                                judge_plainly)["lines"]
    assert re.match(r"service restored .*: T\+\d+:\d\d on the expert path; T\+\d+:\d\d in "
                    r"this run", lines[0])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
    "google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    """Chromium opens the report offline and paints a full page (screenshot not blank)."""
    page = tmp_path / "report.html"
    page.write_text(render_html(card_for("hero")), encoding="utf-8")
    shot = tmp_path / "report.png"
    profile = tempfile.mkdtemp(dir=tmp_path)
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                    "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=90, check=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes
