"""When a competent IC would have known each finding: the expert's run on the same seed.

Clocks such as "workaround applied soon after the evidence" must not start when *this*
run happened to find the evidence: a team that never asks "what changed?" would then
never be late, and a team that asks first would be late sooner. They start when the
information was available to a competent IC, and the yardstick for that is the expert
bot's run of the same scenario and seed (replayed in memory, cached: same inputs, same
run). A finding the expert never looked for is dated by when its investigation could
first have been asked on the expert's path, plus the investigation's own time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from scoring.run import Run
from simulator.format.conditions import AllOf, AnyOf, KnownFinding
from simulator.runs.journal import Journal

ORIENTING = frozenset({"system_change", "anchor_time"})
_JOURNALS: dict[tuple[str, int], Journal] = {}
_STICKS: dict[tuple[str, int], Yardstick] = {}


def journal_key(run: Run) -> tuple[str, int]:
    """Scenario content and seed: a journal without a content hash is keyed by its text."""
    ref = run.journal.header.get("scenario") or {}
    digest = ref.get("sha256") or hashlib.sha256(
        run.scenario.model_dump_json().encode()).hexdigest()
    return str(digest), int(run.journal.header.get("seed", 0))


def expert_journal(run: Run) -> Journal:
    """The expert bot's journal on this run's scenario and seed (in memory, cached)."""
    from simulator.engine.drill import Drill
    from simulator.players.bots import ExpertBot

    key = journal_key(run)
    if key not in _JOURNALS:
        ref = dict(run.journal.header["scenario"])
        drill = Drill(run.scenario, ref, key[1], None, {"decider": "expert", "bot": "expert"})
        drill.run(ExpertBot())
        records = drill.journal.records
        _JOURNALS[key] = Journal("(expert, in memory)", records[0], records[1:])
    return _JOURNALS[key]


@dataclass(frozen=True)
class Yardstick:
    """Seconds from T+0 at which a competent IC had each finding, and the recent changes."""

    findings: dict[str, int]
    release_at: int | None  # the first finding about what changed and when (deploys, jobs)

    def finding(self, finding: str) -> int | None:
        return self.findings.get(finding)


def yardstick(run: Run) -> Yardstick:
    key = journal_key(run)
    if key not in _STICKS:
        _STICKS[key] = _measure(run, expert_journal(run))
    return _STICKS[key]


def _measure(run: Run, journal: Journal) -> Yardstick:
    learned: dict[str, int] = {}
    release_at: int | None = None
    first_ask: int | None = None
    for e in journal.events():
        data = dict(e.get("data") or {})
        if e["kind"] == "investigation_started" and first_ask is None:
            first_ask = int(e["t"])
        if e["kind"] != "investigation_done" or data.get("lost"):
            continue
        for finding in data.get("learned", []):
            learned.setdefault(str(finding), int(e["t"]))
        if release_at is None and ORIENTING & set(data.get("covers", [])):
            release_at = int(e["t"])
    _date_unlooked(run, learned, first_ask or 0)
    return Yardstick(learned, release_at)


def _date_unlooked(run: Run, learned: dict[str, int], first_ask: int) -> None:
    """Date the findings the expert never looked for: asked as soon as possible, then answered.

    An investigation can be asked once the expert started asking questions at all and the
    findings its `available_when` needs were in hand; conditions on anything but findings
    leave it undated (no yardstick: the run's own time is used).
    """
    seen = set(learned)
    changed = True
    while changed:
        changed = False
        for inv in run.scenario.investigations:
            gate = _available(inv.available_when, learned, first_ask)
            if gate is None:
                continue
            done = gate + int(inv.minutes * 60)
            for finding in set(inv.learns) - seen:
                if finding not in learned or learned[finding] > done:
                    learned[finding] = done
                    changed = True


def _available(cond: Any, learned: dict[str, int], first_ask: int) -> int | None:
    if cond is None:
        return first_ask
    if isinstance(cond, KnownFinding):
        return learned.get(cond.known)
    if isinstance(cond, AllOf):
        times = [_available(c, learned, first_ask) for c in cond.all]
        return None if any(t is None for t in times) else max(t for t in times if t is not None)
    if isinstance(cond, AnyOf):
        known = [t for t in (_available(c, learned, first_ask) for c in cond.any) if t is not None]
        return min(known) if known else None
    return None
