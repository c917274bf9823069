"""Short names for long texts, where a table at 80 columns has room for a few words only."""

from __future__ import annotations

import re


def source_name(source: str | None, width: int = 12) -> str:
    """Who published the postmortem, in a few words: the source's opening words (before
    the first comma, bracket, quote or colon), cut at a word boundary to ``width``.

    `source:` is free prose that names the write-up first ("AWS, \"Summary of ...\""); a
    table at 80 columns has room for the name only, and the full text is in `show --msel`.
    """
    if not source:
        return ""
    head = re.split(r"[,(\"':]", " ".join(source.split()), maxsplit=1)[0].strip()
    if len(head) <= width:
        return head
    words = head[: width + 1].rsplit(" ", 1)[0]
    return words if len(words) <= width and " " in head[: width + 1] else head[: width - 1] + "…"
