"""Checks on command: declaring early, the severity, the channel and timeline, delegation."""

from __future__ import annotations

from scoring.ratings import Finding, at_most, deadline, not_applicable, worse
from scoring.run import Evidence, Record, Run, at, clock

SEVERITIES = ("P1", "P2", "P3")
Params = dict[str, float]


def declared_early(run: Run, p: Params) -> Finding:
    """Acknowledge the alert and declare (naming the IC) within minutes of the page.

    Taking command or declaring ("I am the incident commander") tells everyone that
    someone has the alert, which is all acknowledging is for: the first of the three owns
    the alert. Owned within the first limit, nothing more is asked (a trainee who declares
    at once is not marked down for skipping a separate "ack"); when a late declaration is
    also the first sign that anyone had the alert, the rating drops one step further."""
    declare = run.first("declare")
    owned = run.first("acknowledge", "take_command", "declare")
    rating, reason = deadline(run, declare["t"] if declare else None, p["p"], p["s"], p["m"],
                              "declaration")
    facts = {"declared_at": at(declare), "acknowledged_at": at(owned)}
    evidence = [run.quote(r, True) for r in (owned, declare) if r is not None]
    evidence = list({(e.t, e.text): e for e in evidence}.values())  # one quote if the same
    if rating is None:
        return not_applicable(reason, evidence)
    if declare is None:
        evidence.append(run.end_quote())
    if rating not in ("P", "U") and (owned is None or owned is declare):
        # a late declaration with nothing before it: nobody had the alert until then
        late = "never" if owned is None else f"not before the declaration at {clock(owned['t'])}"
        rating, reason = worse(rating), reason + f"; nobody owned the alert ({late})"
    if rating != "P":
        evidence = [type(e)(e.t, e.text, False) for e in evidence]
    return Finding(rating, evidence, reason, facts)


def severity_matches(run: Run, p: Params) -> Finding:
    """The severity the IC settled on (declared, or changed since with set_severity)
    against the one the scenario's impact calls for; a corrected severity counts."""
    expected = run.scenario.expected_severity
    declares = run.of("declare", "severity_changed")
    if not declares:
        if run.truncated:
            return not_applicable("no severity was set before the drill stopped")
        return Finding("U", [run.end_quote()], "no incident was declared, so no severity",
                       {"declared": "none", "expected": expected})
    last = declares[-1]
    declared = str(run.data(last).get("severity"))
    gap = abs(SEVERITIES.index(declared) - SEVERITIES.index(expected)) if (
        declared in SEVERITIES) else 2
    rating = {0: "P", 1: "M"}.get(gap, "U")
    how = "declared" if last["kind"] == "declare" else "changed to"
    reason = (f"{how} {declared}; the impact calls for {expected}" if gap else
              f"{how} {declared}, matching the impact")
    evidence = [run.quote(d, False) for d in declares[:-1]] + [run.quote(last, gap == 0)]
    return Finding(rating, evidence, reason,
                   {"declared": declared, "expected": expected})


def timeline_kept(run: Run, p: Params) -> Finding:
    """One channel opened early, and findings and results logged in it as notes."""
    channel = run.first("open_channel")
    notes = run.of("note", where=lambda e: e.get("actor") == "ic")
    facts = {"channel_at": at(channel), "notes": len(notes), "min_notes": int(p["min_notes"])}
    early = channel is not None and channel["t"] <= p["channel_within"] * 60
    if channel is None and not notes and run.truncated and run.end_min <= p["channel_within"]:
        return not_applicable("the drill stopped before a channel was due")
    enough = len(notes) >= p["min_notes"]
    rating = ("P" if early and enough else "S" if channel and notes else
              "M" if channel or notes else "U")
    evidence = ([run.quote(channel, early)] if channel else []) + run.quotes(notes[:3], True)
    if rating == "U":
        evidence.append(run.end_quote())
    return Finding(rating, evidence, _timeline_reason(channel, len(notes)), facts)


def _timeline_reason(channel: Record | None, notes: int) -> str:
    """Say what was done or missing in the words of the IC's menu: the chat area is on
    screen from T+0, so "channel never opened" left trainees guessing what was missed."""
    from simulator.texts import catalogue

    titles = catalogue()
    opening = str(titles["open_channel"]["title"])
    noting = str(titles["note"]["title"])
    done = (f"'{opening}' at {at(channel)}" if channel is not None
            else f"'{opening}' never chosen")
    return f"{done}; '{noting}' used {notes} time{'' if notes == 1 else 's'}"


def wasted_pages(run: Run) -> list[Record]:
    """Pages that brought nobody of use: the person paged joined, found nothing for their
    skills (or the scenario's `useful_when` did not hold) and dropped off again."""
    return run.of("joined", where=lambda e: not run.data(e).get("useful", True))


def ic_delegates(run: Run, p: Params) -> Finding:
    """The IC hands hands-on work to responders instead of doing it personally.

    Coordinating needs a coordinator: when nobody declared, took or was handed command,
    work handed out is ad hoc, and the rating is at most M. Coordinating also means pulling
    in only the people the incident needs: each page that brought nobody of use (beyond
    `wasted_pages_ok`) lowers the rating one step; a page that was needed earns nothing
    extra, so paging more people for nothing never raises the grade.
    """
    own_changes = [c for c in run.ic_changes if run.data(c).get("executor") == "ic"]
    own_checks = run.of("investigation_started",
                        where=lambda e: not run.data(e).get("delegated", True))
    delegated = run.of("investigation_started",
                       where=lambda e: bool(run.data(e).get("delegated")))
    handed = [c for c in run.ic_changes if run.data(c).get("executor") != "ic"]
    wasted = wasted_pages(run)
    facts = {"own_changes": len(own_changes), "own_investigations": len(own_checks),
             "delegated": len(delegated) + len(handed), "wasted_pages": len(wasted)}
    if not (own_changes or own_checks or delegated or handed or wasted):
        if run.truncated or not run.closed:
            return not_applicable("no hands-on work was done before the drill stopped")
        return Finding("U", [run.end_quote()], "nothing was investigated or changed", facts)
    over_changes = len(own_changes) - int(p["own_changes_ok"])
    over_checks = len(own_checks) - int(p["own_investigations_ok"])
    rating = ("U" if over_changes >= 2 else "M" if over_changes == 1 else
              "U" if over_checks > p["own_investigations_m"] else
              "M" if over_checks > p["own_investigations_s"] else "S" if over_checks > 0 else "P")
    evidence = run.quotes(own_changes, False) + run.quotes(own_checks[:3], False)
    evidence += run.quotes((delegated + handed)[:3], True)
    reason = (f"the IC ran {len(own_changes)} change(s) and {len(own_checks)} check(s) "
              f"personally; {facts['delegated']} task(s) handed out")
    over_pages = len(wasted) - int(p["wasted_pages_ok"])
    if over_pages > 0:
        rating = worse(rating, over_pages)
        reason += (f"; {len(wasted)} page(s) brought nobody of use ("
                   + ", ".join(str(run.data(w).get("team") or w.get("actor")) for w in wasted)
                   + "), people pulled off other work")
        evidence += [run.quote(w, False) for w in wasted]
    if run.first("declare", "take_command", "hand_over") is None:
        rating = at_most(rating, "M")
        reason += "; nobody declared or took command, so nobody coordinated"
        evidence.append(Evidence(run.end_t, "(nobody declared the incident or took command by "
                                 f"{clock(run.end_t)})", False))
    evidence.sort(key=lambda e: e.t)
    return Finding(rating, evidence, reason, facts)


def freeze_early(run: Run, p: Params) -> Finding:
    """Unrelated changes frozen early, and before the response's own first change."""
    freeze = run.first("freeze_changes")
    rating, reason = deadline(run, freeze["t"] if freeze else None, p["p"], p["s"], p["m"],
                              "change freeze")
    facts = {"frozen_at": at(freeze)}
    evidence = [run.quote(freeze, True)] if freeze else []
    if rating is None:
        return not_applicable(reason)
    first = run.changes[0] if run.changes else None
    if first is not None and (freeze is None or first["t"] < freeze["t"]):
        evidence.append(run.quote(first, False))
        if freeze is not None:
            rating = worse(rating) if rating in ("P", "S") else rating
            reason += "; a change started before the freeze"
    if freeze is None:
        evidence.append(run.end_quote())
    return Finding(rating, sorted(evidence, key=lambda e: e.t), reason, facts)
