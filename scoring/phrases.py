"""Matching lists of word phrases (kept as YAML data) against free text, in linear time.

Shared by the blame detector and the claim reader: text becomes lowercase words and
punctuation, "Ravi's" becomes "ravi" + "'s" and "didn't" becomes "did" + "n't", so a
vocabulary can say "'s fault" or "n't" once for every name and verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+|[;:,()!?.]", re.UNICODE)
Phrases = tuple[tuple[str, ...], ...]


def words(text: str) -> list[str]:
    """Words and punctuation, with possessives and "n't" split off."""
    out: list[str] = []
    for token in WORD.findall(text.replace("’", "'")):
        if token.lower().endswith("'s") and len(token) > 2:
            out += [token[:-2], "'s"]
        elif token.lower().endswith("n't") and len(token) > 3:
            out += [token[:-3], "n't"] if token.lower() != "can't" else ["can", "n't"]
        else:
            out.append(token)
    return out


def phrases(items: Iterable[object]) -> Phrases:
    """Each phrase as its lowercase words, longest first so that the longest match wins."""
    found = {tuple(w.lower() for w in words(str(i))) for i in items}
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


@cache
def _by_first(table: Phrases) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in table:  # already longest first
        index.setdefault(phrase[0], []).append(phrase)
    return index


def at(low: list[str], i: int, table: Phrases) -> tuple[str, ...] | None:
    """The longest phrase of ``table`` starting at word i of ``low`` (lowercase words);
    only phrases that begin with that word are tried, so long texts stay linear."""
    if i >= len(low):
        return None
    for phrase in _by_first(table).get(low[i], ()):
        if tuple(low[i:i + len(phrase)]) == phrase:
            return phrase
    return None


def preceded_by(low: list[str], i: int, table: Phrases, reach: int) -> bool:
    """One of ``table`` within ``reach`` words before word i."""
    before = low[max(0, i - reach):i]
    return any(at(before, j, table) for j in range(len(before)))
