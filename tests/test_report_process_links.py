"""The reports' links to the process land inside the report, on text the package ships:
the HTML and Markdown reports embed each cited principle, the JSON report carries it."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from helpers import tabletop
from test_scoring_reports import card_for

from scoring.process_text import SHIPPED, cited, principles, relinked, to_html
from scoring.report_html import render_html
from scoring.report_json import render_json
from scoring.report_md import render_markdown
from scoring.rubric import load_rubric

ROOT = Path(__file__).resolve().parent.parent


def test_every_link_in_the_html_report_resolves_inside_it() -> None:
    """No relative link to a file that will not be there; every #anchor exists in the page."""
    html = render_html(card_for("hero"))
    links = re.findall(r'href="([^"]*)"', html)
    assert links, "the report links to the process"
    assert all(link.startswith("#") for link in links), [x for x in links if x[0] != "#"]
    ids = set(re.findall(r'id="([^"]*)"', html))
    assert {link[1:] for link in links} <= ids
    assert "docs/process.md" not in html


def test_cited_principles_are_embedded_with_their_text() -> None:
    """The paragraph of a cited principle is in the report, word for word."""
    html = render_html(card_for("hero"))
    assert 'id="process-first-update"' in html
    assert ("Post a first update within about five minutes, even if all it says is that the "
            "team is investigating.") in html
    assert "<strong>P1</strong>: down for everyone, or data at risk" in html  # severity list


def test_every_rubric_section_is_in_the_shipped_process() -> None:
    known = principles()
    for criterion in load_rubric().criteria:
        assert criterion.section in known, criterion.id
        assert known[criterion.section].body, criterion.section


def test_the_process_has_one_source_shipped_as_package_data() -> None:
    """scoring/process.md is the one text; docs/process.md is a link to it, so the copy the
    reports embed can never drift from the one the README points to."""
    docs = ROOT / "docs" / "process.md"
    assert docs.is_symlink() and docs.resolve() == SHIPPED.resolve()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.md" in config["tool"]["setuptools"]["package-data"]["scoring"]


def test_markup_in_the_text_is_escaped_and_unknown_sections_still_resolve() -> None:
    assert to_html("a <script>x</script> **b**") == (
        "<p>a &lt;script&gt;x&lt;/script&gt; <strong>b</strong></p>")
    assert to_html("- one\n  more\n- two") == "<ul><li>one more</li><li>two</li></ul>"
    [(anchor, _title, body)] = cited(["not-a-principle"])
    assert anchor == "not-a-principle" and "not in the process text" in body


def markdown_links_resolve(text: str) -> None:
    links = re.findall(r"\]\(([^)]*)\)", text)
    assert links, "the report links to the process"
    assert all(link.startswith("#") for link in links), [x for x in links if x[0] != "#"]
    ids = set(re.findall(r'<a id="([^"]*)"></a>', text))
    assert {link[1:] for link in links} <= ids, {link[1:] for link in links} - ids
    assert "docs/process.md" not in text and "process.md" not in text


def test_markdown_report_embeds_the_principles_it_links_to() -> None:
    """Every link of the Markdown report is an anchor inside it (no docs/process.md, dead
    once installed); each cited principle's text is there, and each finding quotes the
    first sentence of its principle."""
    text = render_markdown(card_for("premature"))
    markdown_links_resolve(text)
    assert "## The process, as cited" in text
    assert ('<a id="process-first-update"></a>\n### First update within five minutes '
            '(`first-update`)') in text
    assert ("Post a first update within about five minutes, even if all it says is that the "
            "team is investigating.") in " ".join(text.split())
    assert ("Principle: [declare-early](#process-declare-early): “Acknowledge the page "
            "straight away so nobody else starts on it alone.”") in text
    # the run was capped by a critical failure: that principle is cited and embedded too
    assert '<a id="process-critical-failures"></a>' in text


def test_json_report_carries_each_principle_id_and_text() -> None:
    data = json.loads(render_json(card_for("hero")))
    assert "process.md" not in json.dumps(data)
    known = principles()
    for criterion in data["criteria"]:
        process = criterion["process"]
        assert set(process) == {"id", "title", "text"}
        assert process["text"] == relinked(known[process["id"]].body)
        assert process["title"] == known[process["id"]].title
    first = next(c for c in data["criteria"] if c["id"] == "comms.first-update")
    assert first["process"]["id"] == "first-update"
    assert "even if all it says is that the team is investigating" in " ".join(
        first["process"]["text"].split())
    assert all(step["process"]["text"] for step in data["improvement_plan"])


def test_links_inside_the_process_text_point_to_copies_or_become_text() -> None:
    """A process paragraph linking another principle: a link to its copy when the report
    embeds it, plain text when not (it would be dead)."""
    body = "see [the rule](#workaround-first) and [that one](#not-cited)"
    assert relinked(body, {"workaround-first"}) == (
        "see [the rule](#process-workaround-first) and that one")
    assert to_html(body, {"workaround-first"}) == (
        '<p>see <a href="#process-workaround-first">the rule</a> and that one</p>')


def test_the_reports_tabletop_run_writes_have_no_dead_links(tmp_path: Path) -> None:
    """The real CLI: the .score.md, .score.json and .score.html beside the journal."""
    journal = tmp_path / "r.jsonl"
    done = tabletop("run", "redis-saturation", "--bot", "hero", "--seed", "4", "--quiet",
                    "--no-history", "--journal", str(journal))
    assert done.returncode == 1, done.stderr
    markdown_links_resolve((tmp_path / "r.score.md").read_text(encoding="utf-8"))
    data = json.loads((tmp_path / "r.score.json").read_text(encoding="utf-8"))
    assert "process.md" not in json.dumps(data)
    assert all(c["process"]["text"] for c in data["criteria"])
    html = (tmp_path / "r.score.html").read_text(encoding="utf-8")
    assert "process.md" not in html
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))
