"""Turning measurements into HSEEP ratings, and the result every check returns.

P: performed without challenges · S: with some challenges · M: with major challenges ·
U: unable to perform · N/A: the criterion did not apply or the drill never reached it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scoring.run import Evidence, Run

LEVELS = ("P", "S", "M", "U")


@dataclass
class Finding:
    """A check's verdict: rating, quoted moments, one-line reason, placeholders for advice."""

    rating: str
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""
    facts: Mapping[str, object] = field(default_factory=dict)


def not_applicable(reason: str, evidence: list[Evidence] | None = None) -> Finding:
    return Finding("N/A", evidence or [], reason)


def by_limits(value: float, p: float, s: float, m: float) -> str:
    """Lower is better: within p is P, within s is S, within m is M, beyond is U."""
    if value <= p:
        return "P"
    if value <= s:
        return "S"
    return "M" if value <= m else "U"


def by_share(share: float, s: float = 0.75, m: float = 0.4) -> str:
    """Higher is better: all of it is P, at least s is S, at least m is M."""
    if share >= 1.0:
        return "P"
    if share >= s:
        return "S"
    return "M" if share >= m else "U"


def worse(rating: str, steps: int = 1) -> str:
    return LEVELS[min(len(LEVELS) - 1, LEVELS.index(rating) + steps)]


def at_most(rating: str, cap: str) -> str:
    return LEVELS[max(LEVELS.index(rating), LEVELS.index(cap))]


def deadline(run: Run, t: float | None, p: float, s: float, m: float, what: str
             ) -> tuple[str | None, str]:
    """Rate something that should happen within p minutes; None rating means not reached.

    A run that stopped early is never failed for what it might still have done: with the
    stop before the first limit it is N/A; later, it is rated at the best it could have been.
    """
    if t is not None:
        return by_limits(t / 60, p, s, m), f"{what} at {minutes(t)} (aim: within {p:g} min)"
    if run.truncated and run.end_min <= p:
        return None, f"the drill stopped at {minutes(run.end_t)}, before {what} was due"
    if run.truncated:
        best = by_limits(run.end_min, p, s, m)
        return best, f"no {what} before the drill stopped at {minutes(run.end_t)}"
    return "U", f"no {what} in the whole run"


def minutes(seconds: float) -> str:
    s = int(seconds)
    return f"T+{s // 60}:{s % 60:02d}"
