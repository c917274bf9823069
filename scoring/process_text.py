"""The process text shipped inside the package, cut into principles for the reports.

Reports cite a principle by its anchor in docs/process.md. A relative link to that file
is dead once the report is mailed around or the tool is installed from a wheel, so the
package carries the text itself (``scoring/process.md``; docs/process.md is a link to it)
and the HTML report embeds the paragraph of every principle it cites.

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


def inline(text: str) -> str:
    """Escape, then turn **bold** and `code` into tags."""
    out = html.escape(text, quote=True)
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


def to_html(markdown: str) -> str:
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
            blocks.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
        elif block.strip():
            blocks.append(f"<p>{inline(' '.join(ln.strip() for ln in lines))}</p>")
    return "\n".join(blocks)


def cited(sections: list[str]) -> list[tuple[str, str, str]]:
    """(anchor, title, html) for each distinct section, in order of first citation.

    A section a custom rubric names but the shipped process lacks still gets an entry,
    so the report's link lands somewhere that says so."""
    known = principles()
    out: list[tuple[str, str, str]] = []
    for section in dict.fromkeys(sections):
        principle = known.get(section)
        if principle is None:
            out.append((section, section, "<p>(This principle is not in the process text "
                                          "shipped with this version of the tool.)</p>"))
        else:
            out.append((section, principle.title, to_html(principle.body)))
    return out
