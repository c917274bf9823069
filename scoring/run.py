"""A read-only view of one journal, with the lookups every check needs.

Checks never read raw records twice over: this view indexes the events once, knows how the
run ended (finished, timed out, interrupted) and turns a record into quotable evidence with
its T+ time and the speaker's name.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from simulator.format.scenario import Scenario
from simulator.runs.journal import Journal

Record = dict[str, Any]
QUOTE_LIMIT = 220


def clock(seconds: float) -> str:
    """Drill time as T+M:SS (minutes may exceed 59; drills are short)."""
    s = int(seconds)
    return f"T+{s // 60}:{s % 60:02d}"


def at(record: Record | None) -> str:
    return "never" if record is None else clock(record.get("t", 0))


@dataclass(frozen=True)
class Evidence:
    """One moment of the run quoted from the journal; ``good`` says which way it counts."""

    t: int
    text: str
    good: bool

    @property
    def when(self) -> str:
        return clock(self.t)

    def as_dict(self) -> dict[str, Any]:
        return {"t": self.t, "at": self.when, "text": self.text, "good": self.good}


class Run:
    """Journal + scenario, indexed for the checks."""

    def __init__(self, journal: Journal, scenario: Scenario) -> None:
        self.journal = journal
        self.scenario = scenario

    # --- how the run went -------------------------------------------------------------
    @cached_property
    def events(self) -> list[Record]:
        return list(self.journal.events())

    @cached_property
    def end_t(self) -> int:
        return max((int(r.get("t", 0)) for r in self.journal.records), default=0)

    @property
    def end_min(self) -> float:
        return self.end_t / 60

    @cached_property
    def status(self) -> str:
        """resolved | reopened | timeout | unresolved | abandoned | interrupted | refused
        (a decisions file whose next decision could not run: the drill stopped there)."""
        end = self.journal.end
        if end is None:  # a paused drill that was resumed has its end record: it finished
            last = next((r for r in reversed(self.journal.records)
                         if r.get("type") == "event"), None)
            return "refused" if last is not None and last.get("kind") == "refused" else \
                "interrupted"
        return str(end.get("outcome", {}).get("status", "unresolved"))

    @property
    def truncated(self) -> bool:
        """The drill stopped before its natural end: unreached criteria are N/A, not U."""
        return self.status in ("interrupted", "abandoned", "refused")

    @property
    def closed(self) -> bool:
        return self.status in ("resolved", "reopened", "timeout", "unresolved")

    # --- lookups ----------------------------------------------------------------------
    def of(self, *kinds: str, where: Callable[[Record], bool] | None = None) -> list[Record]:
        return [e for e in self.events if e["kind"] in kinds and (where is None or where(e))]

    def first(self, *kinds: str, where: Callable[[Record], bool] | None = None
              ) -> Record | None:
        return next((e for e in self.events if e["kind"] in kinds and (
            where is None or where(e))), None)

    @staticmethod
    def data(record: Record) -> dict[str, Any]:
        return dict(record.get("data") or {})

    @cached_property
    def changes(self) -> list[Record]:
        """Every change started, by anyone (the IC's orders and NPCs acting alone)."""
        return self.of("change_started")

    @cached_property
    def ic_changes(self) -> list[Record]:
        return [c for c in self.changes if self.data(c).get("ordered_by") == "ic"]

    @cached_property
    def _samples(self) -> tuple[list[int], list[Record]]:
        samples = self.journal.samples()
        return [int(s.get("t", 0)) for s in samples], samples

    def sample_at(self, t: int) -> Record | None:
        """The last metrics sample at or before t: the system's true state at that moment."""
        times, samples = self._samples
        i = bisect_right(times, t)
        return samples[i - 1] if i else None

    @cached_property
    def updates(self) -> list[Record]:
        return self.of("status_update")

    def investigation(self, inv_id: str) -> Any:
        return next((i for i in self.scenario.investigations if i.id == inv_id), None)

    def name(self, actor: str) -> str:
        sc = self.scenario
        if actor == "ic":
            return sc.roster.ic.name
        person = sc.person(actor)
        if person is not None:
            return person.name
        stake = next((s for s in sc.roster.stakeholders if s.id == actor), None)
        return stake.name if stake else actor

    def audience_of(self, actor: str) -> str | None:
        stake = next((s for s in self.scenario.roster.stakeholders if s.id == actor), None)
        return stake.audience if stake else None

    # --- quoting ----------------------------------------------------------------------
    def end_quote(self) -> Evidence:
        """The moment the run stopped, quoted when something never happened before it."""
        how = {"interrupted": "the drill was interrupted", "abandoned": "it was abandoned",
               "refused": "the decisions file was refused",
               "timeout": "the time limit was reached"}.get(self.status, "the drill ended")
        return Evidence(self.end_t, f"(not done by {clock(self.end_t)}, when {how})", False)

    def quote(self, record: Record, good: bool, text: str | None = None) -> Evidence:
        return Evidence(int(record.get("t", 0)), _trim(text or self.describe(record)), good)

    def quotes(self, records: Iterable[Record], good: bool) -> list[Evidence]:
        return [self.quote(r, good) for r in records]

    def describe(self, record: Record) -> str:
        """The channel text of an event, or a plain description of a silent one."""
        text = str(record.get("text") or "").strip()
        if text:
            return " ".join(text.split())
        kind, data = record.get("kind", record.get("type")), self.data(record)
        who = self.name(str(record.get("actor", "")))
        if kind == "postmortem":
            return f"{who}: postmortem written ({', '.join(sorted(data)) or 'empty'})."
        if kind == "finish":
            return f"{who}: finished the drill without a postmortem."
        if kind == "recovered":
            return f"Monitoring: metrics within SLO since {clock(data.get('since', 0))}."
        if kind == "mitigated":
            return f"Monitoring: users served again since {clock(data.get('since', 0))}."
        if kind == "interrupted":
            return "The drill was interrupted here."
        if kind == "refused":
            return f"The decisions file was refused here: {data.get('reason', '')}".strip()
        return f"{who}: {kind}"


def _trim(text: str) -> str:
    """Shorten a quote to QUOTE_LIMIT characters. A check's verdict comes last, in
    parentheses ("... (promised the next update within 10 min; next news at T+15:42)"):
    it is the point of the quote, so the quoted message is cut instead of the verdict."""
    if len(text) <= QUOTE_LIMIT:
        return text
    note = _final_note(text)
    if note and len(note) <= QUOTE_LIMIT // 2:
        head = text[: len(text) - len(note)].rstrip()
        return head[: QUOTE_LIMIT - len(note) - 2].rstrip() + "… " + note
    return text[: QUOTE_LIMIT - 1].rstrip() + "…"


def _final_note(text: str) -> str:
    """The parenthesised remark that ends ``text`` (its brackets matched), or ''."""
    if not text.endswith(")"):
        return ""
    depth = 0
    for i in range(len(text) - 1, 0, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[i:] if text[i - 1] == " " else ""
    return ""
