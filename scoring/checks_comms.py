"""Checks on communication: the first update, the cadence, what updates say, to whom.

A stakeholder update is a status_update event; the resolution message also counts as
telling stakeholders, since it ends the silence it follows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from scoring.claims import false_statements, says_impact, vague
from scoring.ratings import (
    Finding,
    at_most,
    by_limits,
    by_share,
    deadline,
    not_applicable,
    worse,
)
from scoring.run import Evidence, Record, Run, at, clock

Params = dict[str, float]
PARTS = ("impact", "doing", "next_update_minutes")
QUOTED = 5  # questions quoted as evidence; the facts count all of them


def first_update(run: Run, p: Params) -> Finding:
    """A first stakeholder update within minutes, even if it only says 'investigating'."""
    first = run.updates[0] if run.updates else None
    rating, reason = deadline(run, first["t"] if first else None, p["p"], p["s"], p["m"],
                              "first update")
    if rating is None:
        return not_applicable(reason)
    evidence = [run.quote(first, rating == "P")] if first else [run.end_quote()]
    asked = run.first("inject", "stakeholder_ping", where=lambda e: first is None or
                      e["t"] < first["t"])
    if asked is not None:
        evidence.insert(0, run.quote(asked, False))
    return Finding(rating, evidence, reason, {"first_update_at": at(first)})


def silences(run: Run, news_only: bool = False) -> list[tuple[int, int, Record | None]]:
    """Gaps without news for stakeholders: (from, to, the update that ended it or None).

    With ``news_only`` (the cadence), a message that says something false, or whose impact
    or action is vague, is not news: "resolved" while checkout still fails, or "looking
    into stuff", leaves the silence running."""
    told = run.of("status_update", "declare_resolved",
                  where=lambda e: not news_only or is_news(run, e))
    marks: list[tuple[int, Record | None]] = [(0, None)]
    gaps: list[tuple[int, int, Record | None]] = []
    for e in told:
        gaps.append((marks[-1][0], int(e["t"]), e))
        marks.append((int(e["t"]), e))
    # Still open at the end (never resolved, or the last resolution was reopened): the
    # silence runs on to the end of the drill.
    closes = run.of("declare_resolved")
    if not closes or run.first("reopened", where=lambda e: e["t"] >= closes[-1]["t"]):
        gaps.append((marks[-1][0], run.end_t, None))
    return gaps


def is_news(run: Run, message: Record) -> bool:
    """Whether an update or resolution message tells stakeholders something true."""
    if message["kind"] == "declare_resolved":
        return not false_statements(run, message, [str(run.data(message).get("message", ""))])
    gaps, wrong = update_faults(run, message)
    # An impact or action that is missing says even less than a vague one ("Now: looking
    # into it", with no word on who is hurt, is no news to anyone waiting for some).
    empty = {"vague impact", "vague doing", "no impact", "no doing"}
    return not wrong and not any(g in empty for g in gaps)


def update_cadence(run: Run, p: Params) -> Finding:
    """An update every 10-15 minutes from the page on (the silence before the first update
    counts too), and each promise of the next one kept, per audience. A promise longer than
    the cadence is held to the cadence: "next update in 60 min" does not buy an hour."""
    if not run.updates:
        if run.truncated and run.end_min <= p["p"]:
            return not_applicable("the drill stopped before a second update was due")
        return Finding("U", [run.end_quote()], "no update was ever posted",
                       {"longest_gap": "the whole run", "missed": 0})
    gaps = silences(run, news_only=True)
    hollow = [e for e in run.of("status_update", "declare_resolved") if not is_news(run, e)]
    if run.truncated and gaps and gaps[-1][2] is None and (gaps[-1][1] - gaps[-1][0]) / 60 <= \
            p["p"]:
        gaps = gaps[:-1]  # the drill stopped while the next update was still on time
    longest = max(gaps, key=lambda g: g[1] - g[0]) if gaps else (0, 0, None)
    minutes = (longest[1] - longest[0]) / 60
    missed = broken_promises(run, p["p"])
    rating = by_limits(minutes, p["p"], p["s"], p["m"])
    if missed:
        rating = worse(rating, len(missed))
    start = next((u for u in run.updates if u["t"] == longest[0]), None)
    evidence = ([run.quote(start, minutes <= p["p"])] if start else [])
    if longest[2] is not None:
        evidence.append(run.quote(longest[2], minutes <= p["p"]))
    elif gaps:
        evidence.append(run.end_quote())
    evidence += [run.quote(u, False, f"{run.describe(u)} ({why})") for u, why in
                 missed[:QUOTED]]
    evidence += [run.quote(e, False, f"{run.describe(e)} (false or vague: not news)")
                 for e in hollow[:2]]
    evidence += run.quotes(run.of("stakeholder_ping", where=lambda e: e["t"] > longest[0] and
                                  e["t"] <= longest[1])[:2], False)
    facts = {"longest_gap": f"{minutes:.0f} min", "missed": len(missed)}
    since = "the page" if longest[0] == 0 and start is None else clock(longest[0])
    reason = (f"longest silence toward stakeholders: {minutes:.0f} min ({since}–"
              f"{clock(longest[1])}); {len(missed)} promised update(s) missed" + (
                  f"; {len(hollow)} false or vague message(s) not counted as news"
                  if hollow else ""))
    return Finding(rating, sorted(evidence, key=lambda e: e.t), reason, facts)


def broken_promises(run: Run, cadence: float) -> list[tuple[Record, str]]:
    """Updates whose promise of the next one was not kept, with why.

    Each promise is to the update's audience, kept by the next update that reaches that
    audience (or everyone) or by the resolution message, with a minute of grace; a promise
    longer than ``cadence`` minutes is due at the cadence. A promise still running when
    the drill ended is not broken.
    """
    replies = Replies(run, with_resolution=True)
    broken: list[tuple[Record, str]] = []
    for u in run.updates:
        promised = run.data(u).get("next_update_minutes")
        if not isinstance(promised, (int, float)) or isinstance(promised, bool):
            continue
        due = int(u["t"]) + min(float(promised), cadence) * 60
        audience = str(run.data(u).get("audience"))
        kept = replies.first_after(int(u["t"]) + 1, audience, strict=audience == "all")
        on_time = kept is not None and kept["t"] <= due + 60
        if on_time or (kept is None and due + 60 > run.end_t):
            continue
        capped = (f", held to the {cadence:g}-minute cadence" if promised > cadence else "")
        when = f"next news at {at(kept)}" if kept is not None else "no news after it"
        broken.append((u, f"promised the next update within {promised:g} min{capped}; "
                       f"{when}"))
    return broken


def update_content(run: Run, p: Params) -> Finding:
    """Each update states the user impact, what is being done, and when the next one comes,
    in words that say something, and says nothing that was false at that moment."""
    if not run.updates:
        if run.truncated:
            return not_applicable("no update before the drill stopped")
        return Finding("U", [run.end_quote()], "no update was ever posted", {"missing": "all"})
    complete, lacking = [], []
    absent: set[str] = set()
    false: list[str] = []
    for u in run.updates:
        gaps, wrong = update_faults(run, u)
        absent |= set(gaps)
        false += wrong
        if gaps or wrong:
            lacking.append(run.quote(u, False, f"{run.describe(u)} ({'; '.join(gaps + wrong)})"))
        else:
            complete.append(run.quote(u, True))
    for r in run.of("reply"):
        wrong = reply_faults(run, r)
        false += wrong
        if wrong:
            lacking.append(run.quote(r, False, f"{run.describe(r)} ({'; '.join(wrong)})"))
    share = len(complete) / len(run.updates)
    rating = by_share(share, p["s_share"], p["m_share"])
    if false:
        rating = at_most(rating, "M")  # a false "recovered" misleads everyone who reads it
    missing = sorted(absent) + ([f"{len(false)} false statement(s)"] if false else [])
    facts = {"missing": ", ".join(missing) or "nothing"}
    reason = f"{len(complete)} of {len(run.updates)} update(s) complete and true" + (
        f"; {false[0]}" if false else "")
    return Finding(rating, sorted((lacking[:QUOTED] + complete[:2]), key=lambda e: e.t),
                   reason, facts)


def update_faults(run: Run, update: Record) -> tuple[list[str], list[str]]:
    """(parts missing or saying nothing, false statements) of one update."""
    d = run.data(update)
    gaps: list[str] = []
    for part in PARTS:
        value = d.get(part)
        name = part.replace("_", " ")
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            gaps.append(f"no {name}")
        elif isinstance(value, str) and vague(value):
            gaps.append(f"vague {name}")
        elif part == "impact" and not says_impact(str(value)):
            gaps.append("impact does not say who is hurt")
    said = [str(d.get(k, "")) for k in ("message", "impact", "doing")]
    return gaps, false_statements(run, update, said)


def reply_faults(run: Run, reply: Record) -> list[str]:
    """False statements of a direct reply: "all good now" to one person misleads them as
    much as a false update misleads an audience (a reply has no parts to be missing)."""
    return false_statements(run, reply, [str(run.data(reply).get("text", ""))])


def audience_served(run: Run, p: Params) -> Finding:
    """Every stakeholder audience hears from the IC, and a question gets an answer soon."""
    audiences = sorted({s.audience for s in run.scenario.roster.stakeholders})
    if not run.updates:
        if run.truncated:
            return not_applicable("no update before the drill stopped")
        asks = run.of("stakeholder_ping", "missed_update", "inject", where=_asks(run))
        return Finding("U", [*run.quotes(asks[:3], False), run.end_quote()],
                       "no stakeholder was ever updated",
                       {"unserved": ", ".join(audiences) or "everyone", "late": 0,
                        "unanswered": len(asks)})
    heard = {str(run.data(u).get("audience")) for u in run.updates}
    unserved = [a for a in audiences if a not in heard and "all" not in heard]
    window = p["answer_within"] * 60
    late: list[Evidence] = []
    unanswered: list[Evidence] = []
    answered: list[Evidence] = []
    replies = Replies(run, with_resolution=True)
    direct_replies = DirectReplies(run)
    resolved = run.first("declare_resolved")
    blind: set[str] = set()  # audiences never updated whose question waited past the window
    for ask in run.of("stakeholder_ping", "missed_update", "inject", where=_asks(run)):
        want = run.audience_of(str(ask.get("actor"))) or "any"
        reply = replies.first_after(int(ask["t"]), want)
        direct = direct_replies.first_after(int(ask["t"]), str(ask.get("actor")))
        if direct is not None and (reply is None or direct["t"] < reply["t"]):
            reply = direct
        if resolved is not None and 0 <= ask["t"] - resolved["t"] < 60:
            reply = resolved  # asked in the minute the resolution went out: it answers
        if reply is None:
            if not (run.truncated and run.end_t - ask["t"] <= window):
                unanswered.append(run.quote(ask, False, run.describe(ask) + " (never answered)"))
                if want in unserved:
                    blind.add(want)
        elif reply["t"] - ask["t"] > window:
            late.append(run.quote(ask, False, run.describe(ask) + f" (answered at {at(reply)})"))
            if want in unserved:
                blind.add(want)
        elif len(answered) < 2:
            answered.append(run.quote(reply, True))
    # An audience that got no update and whose question waited past the window (or for the
    # all-clear) was left to work blind, support answering customers with nothing to say:
    # as if no update had been sent at all.
    rating = "U" if blind else "M" if unserved or unanswered else "S" if late else "P"
    facts = {"unserved": ", ".join(unserved) or "none", "late": len(late),
             "unanswered": len(unanswered)}
    reason = (f"audiences never addressed: {facts['unserved']}; {len(late)} question(s) "
              f"answered late, {len(unanswered)} never") + (
        f"; {', '.join(sorted(blind))} asked, got no update and no timely answer" if blind
        else "")
    evidence = sorted(unanswered[:QUOTED] + late[:QUOTED] + answered, key=lambda e: e.t)
    return Finding(rating, evidence, reason, facts)


class DirectReplies:
    """The IC's replies to one person (they answer that person as an update would), indexed
    once per recipient so that each question is a binary search, not a scan of the run."""

    def __init__(self, run: Run) -> None:
        self.by_person: dict[str, tuple[list[int], list[Record]]] = {}
        for e in run.of("reply"):
            times, records = self.by_person.setdefault(str(run.data(e).get("to")), ([], []))
            times.append(int(e["t"]))
            records.append(e)

    def first_after(self, asked: int, person: str) -> Record | None:
        """The first reply to ``person`` at or after ``asked``."""
        times, records = self.by_person.get(person, ([], []))
        i = bisect_left(times, asked)
        return records[i] if i < len(times) else None


class Replies:
    """The updates each audience received, indexed once so that finding the reply to a
    question is a binary search: scoring stays linear in the number of questions. With
    ``with_resolution``, the resolution message counts as an update to everyone."""

    def __init__(self, run: Run, with_resolution: bool = False) -> None:
        self.by_audience: dict[str, tuple[list[int], list[Record]]] = {}
        told = run.of("status_update", "declare_resolved") if with_resolution else run.updates
        for e in told:
            audience = "all" if e["kind"] == "declare_resolved" else str(
                run.data(e).get("audience"))
            for key in {audience, "any"}:
                times, records = self.by_audience.setdefault(key, ([], []))
                times.append(int(e["t"]))
                records.append(e)

    def first_after(self, asked: int, audience: str, strict: bool = False) -> Record | None:
        """The first update at or after ``asked`` that reaches ``audience`` (or everyone);
        ``strict`` with audience "all" wants an update to everyone, not to any one group."""
        keys = {"all"} if strict else {audience, "all"}
        found = [self._first(key, asked) for key in keys]
        hits = [r for r in found if r is not None]
        return min(hits, key=lambda r: int(r["t"])) if hits else None

    def _first(self, key: str, asked: int) -> Record | None:
        times, records = self.by_audience.get(key, ([], []))
        i = bisect_left(times, asked)
        return records[i] if i < len(records) else None


def _asks(run: Run) -> Callable[[Record], bool]:
    """Stakeholder questions: pings, broken promises, and injects aimed at communication."""
    def asks(e: Record) -> bool:
        if e["kind"] != "inject":
            return True
        return str(run.data(e).get("objective", "")).startswith("comms.")
    return asks
