"""The HTML report's links to the process land inside the report, on text the package ships."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from test_scoring_reports import card_for

from scoring.process_text import SHIPPED, cited, principles, to_html
from scoring.report_html import render_html
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
