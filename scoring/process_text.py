"""The process text shipped inside the package, cut into principles for the reports.

Reports cite a principle by its anchor in docs/process.md. A relative link to that file
is dead once the report is mailed around or the tool is installed from a wheel, so the
package carries the text itself (``scoring/process.md``; docs/process.md is a link to it):
the HTML and Markdown reports embed the text of every principle they cite and link to that
copy inside the report, and the JSON report carries each criterion's principle (id, title,
text). A link inside the process text to another principle points to its copy when the
report has one, and is plain text otherwise.

The copy is read as plain Markdown and converted by a deliberately tiny converter
(paragraphs, bullet lists, **bold**, `code`): every character is HTML-escaped first, so a
rubric or a process text edited by hand cannot inject markup into a report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "process.md"
ANCHOR = re.compile(r'^<a id="([a-z0-9-]+)"></a>\s*$')


@dataclass(frozen=True)
class Principle:
    section: str
    title: str
    body: str  # Markdown, without its heading


@cache
def principles() -> dict[str, Principle]:
    """Every anchored section of the shipped process text, by anchor."""
    found: dict[str, Principle] = {}
    section: str | None = None
    lines: list[str] = []

    def close() -> None:
        if section is None:
            return
        heading = next((ln for ln in lines if ln.startswith("#")), "")
        title = re.sub(r"^#+\s*(\d+\.\s*)?", "", heading).strip() or section
        body = "\n".join(ln for ln in lines if ln is not heading).strip()
        found[section] = Principle(section, title, body)

    for line in SHIPPED.read_text(encoding="utf-8").splitlines():
        match = ANCHOR.match(line)
        if match:
            close()
            section, lines = match.group(1), []
        elif section is not None:
            lines.append(line)
    close()
    return found


LINK = re.compile(r"\[([^\]]+)\]\(#([a-z0-9-]+)\)")


def anchor(section: str) -> str:
    """The id of a principle's copy inside a report (a rubric's section, made safe)."""
    return "process-" + (re.sub(r"[^a-z0-9-]+", "-", section.lower()).strip("-") or "x")


def relinked(markdown: str, present: set[str] | frozenset[str] = frozenset()) -> str:
    """In-text links to principles the report embeds (``present``) point to their copy;
    every other link becomes its plain text (it would be dead)."""
    def one(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        return f"[{label}](#{anchor(target)})" if target in present else label
    return LINK.sub(one, markdown)


def inline(text: str, present: set[str] | frozenset[str] = frozenset()) -> str:
    """Escape, then turn **bold**, `code` and links to embedded principles into tags."""
    out = html.escape(text, quote=True)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"`(.+?)`", r"<code>\1</code>", out)

    def link(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        return (f'<a href="#{anchor(target)}">{label}</a>' if target in present else label)
    return LINK.sub(link, out)


def to_html(markdown: str, present: set[str] | frozenset[str] = frozenset()) -> str:
    """Paragraphs and bullet lists (a bullet may wrap onto indented lines)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        if lines and lines[0].startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:].strip())
                elif items:
                    items[-1] += " " + line.strip()
            blocks.append("<ul>" + "".join(f"<li>{inline(i, present)}</li>" for i in items)
                          + "</ul>")
        elif block.strip():
            blocks.append(f"<p>{inline(' '.join(ln.strip() for ln in lines), present)}</p>")
    return "\n".join(blocks)


MISSING = "(This principle is not in the process text shipped with this version of the tool.)"


def cited(sections: list[str]) -> list[tuple[str, str, str]]:
    """(section, title, html) for each distinct section, in order of first citation.

    A section a custom rubric names but the shipped process lacks still gets an entry,
    so the report's link lands somewhere that says so."""
    known = principles()
    present = set(sections)
    out: list[tuple[str, str, str]] = []
    for section in dict.fromkeys(sections):
        principle = known.get(section)
        if principle is None:
            out.append((section, section, f"<p>{MISSING}</p>"))
        else:
            out.append((section, principle.title, to_html(principle.body, present)))
    return out


def cited_markdown(sections: list[str]) -> list[tuple[str, str, str, str]]:
    """(section, anchor id, title, Markdown text) for each distinct section, in order of
    first citation: what the Markdown report appends and links to."""
    known = principles()
    present = set(sections)
    out: list[tuple[str, str, str, str]] = []
    for section in dict.fromkeys(sections):
        principle = known.get(section)
        body = MISSING if principle is None else relinked(principle.body, present)
        out.append((section, anchor(section), section if principle is None else
                    principle.title, body))
    return out


def principle_data(section: str) -> dict[str, str]:
    """A principle as the JSON report carries it: id, title and its text (Markdown, links
    as plain text), so a dashboard can show it without the docs folder."""
    principle = principles().get(section)
    if principle is None:
        return {"id": section, "title": section, "text": MISSING}
    return {"id": section, "title": principle.title, "text": relinked(principle.body)}


def excerpt(section: str, limit: int = 160) -> str:
    """The principle's first sentence (cut at ``limit`` characters), as plain text."""
    principle = principles().get(section)
    if principle is None:
        return ""
    paragraphs = [p for p in relinked(principle.body).split("\n\n") if p.strip()]
    prose = [p for p in paragraphs if not p.lstrip().startswith("- ")] or paragraphs or [""]
    first = " ".join(prose[0].split())
    first = re.sub(r"[*`]", "", first)
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"
