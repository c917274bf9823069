"""The outgoing IC's handover summary, judged against the incident's true state then.

A formal handover is the one moment the whole picture passes from one head to another: the
incoming IC acts on what the summary says and on nothing else. A good one says where things
stand (what users feel now), what was changed and what is still running, what is open and
what comes next; who holds command is said by the handover itself. "All good, over to you"
says none of it, and "recovered" while a success metric is outside its SLO sends the new
IC off on a falsehood, and so does "the rollback landed" while it is still running (or
after it was stopped): the new IC then stops watching it. No handover, nothing to judge
(N/A: the criterion is occasional, see scoring/rubric.yaml). Words: the `handover:` part
of scoring/claims.yaml.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from scoring.checks_change import names_change, room_changes
from scoring.claims import false_statements
from scoring.claims import vocabulary as claim_words
from scoring.phrases import Phrases, at, phrases, preceded_by, words
from scoring.ratings import Finding, at_most, by_limits, not_applicable
from scoring.run import Evidence, Record, Run

PARTS = ("state", "changes", "next")
#: words that end one claim and start another inside a summary
CLAUSE_ENDS = frozenset({".", ";", ",", "!", "?", ":", "but", "while", "and"})
Params = dict[str, float]


@cache
def vocabulary() -> dict[str, Phrases]:
    data = yaml.safe_load((Path(__file__).resolve().parent / "claims.yaml").read_text(
        encoding="utf-8"))["handover"]
    return {part: phrases(data[part]) for part in (*PARTS, "done")}


def _says(text: str, table: Phrases) -> bool:
    low = [w.lower() for w in words(text)]
    return any(at(low, i, table) for i in range(len(low)))


def in_flight(run: Run, t: int) -> list[Record]:
    """The changes the IC answers for that had started by t and not yet landed or stopped."""
    def ended(change: Record) -> bool:
        key, start = run.data(change).get("change"), change["t"]
        return run.first("change_applied", "change_cancelled", where=lambda e: run.data(
            e).get("change") == key and start <= e["t"] <= t) is not None

    return [c for c in room_changes(run) if c["t"] <= t and not ended(c)]


def clauses(text: str) -> list[str]:
    """The summary cut into the short claims it makes ("the rollback landed", "Redis is
    still at maxclients"), so a completion word is read with the change it is said of."""
    out, current = [], list[str]()
    for w in words(text):
        if w.lower() in CLAUSE_ENDS:
            out.append(" ".join(current))
            current = []
        else:
            current.append(w)
    out.append(" ".join(current))
    return [c for c in out if c]


def _claims_done(clause: str) -> str | None:
    """The completion phrase this clause states, unless negated ("not landed yet")."""
    low = [w.lower() for w in words(clause)]
    for i in range(len(low)):
        phrase = at(low, i, vocabulary()["done"])
        if phrase is not None and not preceded_by(low, i, claim_words().negations, 3):
            return " ".join(phrase)
    return None


def _stopped_by(run: Run, change: Record, t: int) -> bool:
    """Was this change stopped (cancelled) between its start and t?"""
    key, start = run.data(change).get("change"), change["t"]
    return run.first("change_cancelled", where=lambda e: run.data(e).get(
        "change") == key and start <= e["t"] <= t) is not None


def false_change_claims(run: Run, handover: Record) -> list[str]:
    """Changes the summary says have finished when, at the handover, they were still running
    or had been stopped: "the rollback landed" while it runs sends the new IC off on a
    falsehood (they stop watching it, or build the next step on a change that is not
    there)."""
    summary = str(run.data(handover).get("summary", ""))
    t = int(handover["t"])
    running = in_flight(run, t)
    stopped = [c for c in room_changes(run) if c["t"] <= t and c not in running
               and _stopped_by(run, c, t)]
    wrong = []
    for change, state in [*((c, "still running") for c in running),
                          *((c, "stopped before it landed") for c in stopped)]:
        for clause in clauses(summary):
            done = _claims_done(clause)
            if done and names_change(run, clause, change):
                wrong.append(f"said “{clause}” while {run.data(change).get('change', '?')} "
                             f"was {state}")
                break
    return wrong


def parts_missing(run: Run, handover: Record) -> list[str]:
    """The parts of a good handover this summary leaves out, in words for the report."""
    summary = str(run.data(handover).get("summary", ""))
    vocab, t = vocabulary(), int(handover["t"])
    missing = []
    if not (any(ch.isdigit() for ch in summary) or _says(summary, vocab["state"])):
        missing.append("the current state and impact")
    running = in_flight(run, t)
    unnamed = [c for c in running if not names_change(run, summary, c)]
    if unnamed:
        missing.append("the change(s) still running: " + ", ".join(
            str(run.data(c).get("change", "?")) for c in unnamed))
    elif not running and not _says(summary, vocab["changes"]) and not any(
            names_change(run, summary, c) for c in room_changes(run) if c["t"] <= t):
        missing.append("what was changed (or that nothing was)")
    if not _says(summary, vocab["next"]):
        missing.append("open questions and next steps")
    return missing


def handover_summary(run: Run, p: Params) -> Finding:
    """Each handover's summary: state, changes, next steps present, and nothing false.

    Rated by the parts missing (at most p, s, m of them for P, S, M); a false statement
    holds it at M at best, the metric that contradicts it quoted (or, for a change said to
    have landed, the change and its true state). With several handovers
    the worst one counts: any of them may be the one the next IC acted on."""
    handovers = run.of("hand_over")
    if not handovers:
        return not_applicable("command was never handed over")
    worst, evidence, notes = "P", list[Evidence](), list[str]()
    for h in handovers:
        summary = str(run.data(h).get("summary", ""))
        missing = parts_missing(run, h)
        wrong = false_statements(run, h, [summary]) + false_change_claims(run, h)
        rating = by_limits(len(missing), p["p"], p["s"], p["m"])
        if wrong:
            rating = at_most(rating, "M")
        worst = at_most(worst, rating)
        said = ([f"missing: {'; '.join(missing)}"] if missing else []) + wrong
        notes += said
        evidence.append(run.quote(h, not said, run.describe(h) + (
            f" ({'; '.join(said)})" if said else "")))
    to = run.name(str(run.data(handovers[-1]).get("to", "")))
    facts = {"handed_to": to, "missing": "; ".join(notes) or "nothing"}
    reason = (f"{len(handovers)} handover(s), command last passed to {to}; " +
              ("; ".join(notes) if notes else "state, changes and next steps all given"))
    return Finding(worst, sorted(evidence, key=lambda e: e.t), reason, facts)

