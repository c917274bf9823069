"""Checks on changes: orient first, stabilise first, one at a time, announced, on evidence.

A "change" is a change_started event. The IC is judged on the changes they ordered; a
change an NPC made on their own counts only where the IC could have prevented it (a freeze)
or collided with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

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
from simulator.actions import CHANGE_ACTIONS
from simulator.bots import change_key

ORIENT = ("blast_radius", "location", "anchor_time", "system_change")
Params = dict[str, float]


def _no_changes(run: Run) -> Finding:
    why = ("the drill stopped before any change" if run.truncated
           else "no change was made, so there is nothing to judge")
    return not_applicable(why)


def blast_before_change(run: Run, p: Params) -> Finding:
    """Before the first change: blast radius, location, anchor time and recent changes known."""
    possible = {c for i in run.scenario.investigations for c in i.covers}
    required = [d for d in ORIENT if d in possible]
    first = run.ic_changes[0] if run.ic_changes else None
    cutoff = first["t"] if first else run.end_t
    done = run.of("investigation_done", where=lambda e: e["t"] <= cutoff
                  and not run.data(e).get("lost"))
    covered = {c for e in done for c in run.data(e).get("covers", [])}
    missing = [d for d in required if d not in covered]
    facts = {"covered": ", ".join(d for d in required if d in covered) or "nothing",
             "missing": ", ".join(missing) or "nothing", "first_change_at": at(first)}
    if first is None and missing and run.truncated:
        return not_applicable("the drill stopped before the picture was complete or any "
                              "change was made")
    rating = by_limits(len(missing), p["p"], p["s"], p["m"])
    evidence = [run.quote(e, True) for e in done if run.data(e).get("covers")]
    if first is not None:
        evidence.append(run.quote(first, not missing))
    reason = (f"before the first change ({at(first)}) the team knew: {facts['covered']}; "
              f"missing: {facts['missing']}")
    return Finding(rating, evidence, reason, facts)


def mitigation_keys(run: Run) -> set[str]:
    """Changes that stop the harm without curing the cause.

    The ideal path puts the workaround first, so its first change counts, as does every
    rollback, flag, failover, scaling or config change on it (a hotfix or a restart later
    on the path is cause work), rolling back a release that shipped just before, and the
    alternatives the scenario lists in `debrief.mitigations`.
    """
    sc = run.scenario
    moves = [d for d in sc.debrief.ideal_path if d.action in CHANGE_ACTIONS]
    keys = {change_key(d.action, dict(d.model_extra or {})) for i, d in enumerate(moves)
            if i == 0 or d.action not in ("apply_fix", "restart")}
    if _recent_deploy(run, 60):
        keys |= {f"rollback:{s.id}" for s in sc.system.services if s.previous_version}
    return keys | set(sc.debrief.mitigations)


def evidence_time(run: Run, key: str) -> int | None:
    """When the findings that justify this change first reached the IC."""
    needed = {n for r in run.scenario.rationale if r.change == key for n in r.informed_by}
    if key.startswith("fix:"):
        fix = next((f for f in run.scenario.fixes if f.id == key[4:]), None)
        needed |= set(fix.informed_by) if fix else set()
    done = run.of("investigation_done", where=lambda e: not run.data(e).get("lost") and (
        not needed or bool(needed & set(run.data(e).get("learned", [])))))
    return int(done[0]["t"]) if done else None


def stabilise_first(run: Run, p: Params) -> Finding:
    """Once the evidence points at a workaround, apply it before chasing the root cause."""
    keys = mitigation_keys(run)
    ready = [t for t in (evidence_time(run, k) for k in keys) if t is not None]
    ready_at = min(ready) if ready else None
    live = [c for c in run.ic_changes if not run.data(c).get("cancelled")]
    mitigation = next((c for c in live if run.data(c).get("change") in keys), None)
    facts = {"evidence_at": clock(ready_at) if ready_at is not None else "never",
             "mitigated_at": at(mitigation), "delay": "n/a"}
    if ready_at is None and mitigation is None:
        if run.truncated:
            return not_applicable("the drill stopped before a workaround was in sight")
        return Finding("U", [run.end_quote()], "no workaround was found or applied", facts)
    if mitigation is None:
        waited = (run.end_t - (ready_at or 0)) / 60
        if run.truncated and waited <= p["p"]:
            return not_applicable("the drill stopped soon after the workaround was in sight")
        other = live[0] if live else None
        rating = "U" if other is None else at_most(by_limits(
            (other["t"] - (ready_at or 0)) / 60, p["p"], p["s"], p["m"]), "M")
        evidence = [_ready_quote(run, ready_at)] if ready_at is not None else []
        evidence += [run.quote(other, False)] if other else [run.end_quote()]
        return Finding(rating, evidence, f"the workaround was never applied (evidence from "
                       f"{facts['evidence_at']}); went for other changes instead" if other
                       else f"evidence for a workaround from {facts['evidence_at']}, "
                       "none applied", facts)
    own = evidence_time(run, str(run.data(mitigation).get("change")))
    # Measured from the first evidence for *any* workaround: gathering the evidence for a
    # favourite one while a justified rollback waits is still time users pay for.
    start = ready_at if ready_at is not None else 0  # no evidence at all: since the page
    delay = max(0.0, (mitigation["t"] - start) / 60)
    facts["delay"] = f"{delay:.0f} min"
    rating = by_limits(delay, p["p"], p["s"], p["m"])
    detours = [c for c in live if c["t"] < mitigation["t"]]
    if detours:
        rating = worse(rating, len(detours))
    evidence = [_ready_quote(run, ready_at)] if ready_at is not None else []
    evidence += [*run.quotes(detours, False), run.quote(mitigation, rating == "P")]
    basis = (f"{delay:.0f} min after the first evidence for a workaround "
             f"({facts['evidence_at']}; for this one: {clock(own)})" if own is not None
             else f"{delay:.0f} min after the page, before any finding pointed at it")
    reason = (f"mitigation started at {at(mitigation)}, {basis}" + (
        f"; {len(detours)} other change(s) first" if detours else ""))
    return Finding(rating, evidence, reason, facts)


def _ready_quote(run: Run, t: int | None) -> Evidence:
    record = next(e for e in run.of("investigation_done") if e["t"] == t)
    return run.quote(record, True)


def _recent_deploy(run: Run, within: float) -> bool:
    sc = run.scenario
    return any(c.minutes_before_start <= within for c in sc.system.recent_changes) and any(
        s.previous_version for s in sc.system.services)


def rollback_considered(run: Run, p: Params) -> Finding:
    """With a release shortly before the failure, a rollback is weighed early."""
    if not _recent_deploy(run, p["recent_minutes"]):
        return not_applicable(f"no release in the {p['recent_minutes']:g} minutes before the "
                              "failure and nothing to roll back to")
    known = run.first("investigation_done", where=lambda e: not run.data(e).get("lost") and
                      bool({"system_change", "anchor_time"} & set(run.data(e).get("covers", []))))
    keys = mitigation_keys(run)
    mitigating = {i.id for i in run.scenario.investigations if "mitigation" in i.covers}

    def considers(e: Record) -> bool:
        d = run.data(e)
        if e["kind"] == "change_started":
            return str(d.get("change", "")).startswith("rollback:") or d.get("change") in keys
        if e["kind"] == "investigation_started":
            return d.get("investigation") in mitigating
        text = str(e.get("text", "")).lower()
        return "rollback" in text or "roll back" in text or "roll it back" in text

    considered = run.first("change_started", "investigation_started", "note", "announce",
                           where=considers)
    facts = {"known_at": at(known), "considered_at": at(considered)}
    if known is None:
        if run.truncated or considered is not None:
            return not_applicable("the recent release was never found before the drill "
                                  "stopped") if considered is None else Finding(
                "S", [run.quote(considered, True)], "a rollback or workaround was weighed "
                "without first finding the release", facts)
        return Finding("U", [run.end_quote()], "the recent release was never found", facts)
    start = known["t"]
    t = considered["t"] if considered else None
    if t is None:
        waited = (run.end_t - start) / 60
        if run.truncated and waited <= p["p"]:
            return not_applicable("the drill stopped soon after the release was found")
        rating = "U" if not run.truncated else by_limits(waited, p["p"], p["s"], p["m"])
        return Finding(rating, [run.quote(known, True), run.end_quote()],
                       f"release found at {at(known)}; no rollback or workaround weighed", facts)
    delay = max(0.0, (t - start) / 60)
    rating = by_limits(delay, p["p"], p["s"], p["m"])
    assert considered is not None
    evidence = sorted([run.quote(known, True), run.quote(considered, rating == "P")],
                      key=lambda e: e.t)
    return Finding(rating, evidence, f"release found at {at(known)}; a rollback or "
                   f"workaround weighed at {at(considered)} ({delay:.0f} min later)", facts)


def one_at_a_time(run: Run, p: Params) -> Finding:
    """Never two changes in flight; let each one land and settle before the next."""
    if not run.ic_changes:
        return _no_changes(run)
    ic_keys = {id(c) for c in run.ic_changes}
    landed = [int(e["t"]) for e in run.of("change_applied")]
    watch = p["watch_minutes"] * 60
    collisions, rushed = [], []
    for c in run.changes:
        d = run.data(c)
        involves_ic = id(c) in ic_keys or any(
            run.data(o).get("change") in d.get("in_flight", []) for o in run.ic_changes
            if o["t"] <= c["t"])
        if d.get("in_flight") and involves_ic:
            collisions.append(c)
        elif id(c) in ic_keys and any(c["t"] - watch < t <= c["t"] for t in landed):
            rushed.append(c)
    peak = peak_in_flight(run)
    facts = {"collisions": len(collisions), "rushed": len(rushed), "peak": peak}
    rating = ("U" if len(collisions) > p["collisions_m"] else "M" if collisions else
              "S" if rushed else "P")
    evidence = run.quotes(collisions, False) + run.quotes(rushed, False)
    evidence += run.quotes(run.of("change_applied", where=lambda e: bool(
        run.data(e).get("overlapping")))[:2], False)
    if rating == "P":
        evidence = run.quotes(run.ic_changes, True)
    reason = (f"{len(collisions)} change(s) started while another was in flight, "
              f"{len(rushed)} before the previous one had settled; at most {peak} at once")
    return Finding(rating, sorted(evidence, key=lambda e: e.t), reason, facts)


def peak_in_flight(run: Run) -> int:
    """Most changes in flight at the same moment, by anyone."""
    timeline: list[tuple[int, int]] = []
    for e in run.of("change_started", "change_applied", "change_cancelled"):
        timeline.append((e["t"], 1 if e["kind"] == "change_started" else -1))
    peak = level = 0
    for _, step in sorted(timeline, key=lambda x: (x[0], x[1])):
        level += step
        peak = max(peak, level)
    return peak


def announced_and_logged(run: Run, p: Params) -> Finding:
    """Each change is announced before it runs and its result is logged after it lands."""
    if not run.ic_changes:
        return _no_changes(run)
    window = p["log_within"] * 60
    good: list[Evidence] = []
    bad: list[Evidence] = []
    due = owed = 0
    for c in run.ic_changes:
        key = run.data(c).get("change")
        announced = bool(run.data(c).get("announced"))
        (good if announced else bad).append(run.quote(c, announced, None if announced else
                                            run.describe(c) + " (not announced)"))
        due += 1
        owed += 0 if announced else 1
        landed = run.first("change_applied", "change_cancelled",
                           where=_same_change(run, key, int(c["t"])))
        if landed is None:
            continue
        log = run.first("note", "status_update", where=_ic_within(int(landed["t"]), window))
        if landed["t"] + window > run.end_t and log is None and run.truncated:
            continue
        due += 1
        if log is None:
            owed += 1
            bad.append(run.quote(landed, False, run.describe(landed) + " (result never logged)"))
        else:
            good.append(run.quote(log, True))
    share = (due - owed) / due
    rating = by_share(share, p["s_share"], p["m_share"])
    facts = {"missing": owed, "expected": due}
    return Finding(rating, sorted(good + bad, key=lambda e: e.t),
                   f"{due - owed} of {due} announcements and result notes made", facts)


def _same_change(run: Run, key: Any, since: int) -> Callable[[Record], bool]:
    def same(e: Record) -> bool:
        return bool(run.data(e).get("change") == key and e["t"] >= since)
    return same


def _ic_within(start: int, window: float) -> Callable[[Record], bool]:
    def logged(e: Record) -> bool:
        return bool(e.get("actor") == "ic" and start <= e["t"] <= start + window)
    return logged


def evidence_preserved(run: Run, p: Params) -> Finding:
    """No restart or wipe destroys evidence before the failure mode is understood."""
    losses = run.of("evidence_lost")
    blind = [c for c in run.ic_changes if str(run.data(c).get("change", "")).startswith(
        "restart:") and not run.data(c).get("informed")]
    facts = {"lost": len(losses), "uninformed_restarts": len(blind)}
    if not losses and not blind:
        if not run.changes and run.truncated:
            return not_applicable("the drill stopped before any change")
        return Finding("P", [], "no evidence was destroyed", facts)
    by_ic = [e for e in losses if _ordered_by_ic(run, e)]
    rating = "U" if by_ic else "M" if losses else "S"
    evidence = run.quotes(blind, False) + run.quotes(losses, False)
    for e in losses:
        cause = _cause(run, e)
        if cause is not None:
            evidence.append(run.quote(cause, False))
    evidence = sorted(set(evidence), key=lambda x: (x.t, x.text))
    who = ("on the IC's orders" if by_ic else "by a responder acting alone (a freeze would "
           "have stopped it)") if losses else ""
    reason = (f"{len(losses)} piece(s) of evidence destroyed {who}".strip() if losses else
              f"{len(blind)} restart(s) before the evidence justified one")
    return Finding(rating, evidence, reason, facts)


def _cause(run: Run, loss: Record) -> Record | None:
    """The change whose landing destroyed this evidence (same person, same moment)."""
    applied = run.first("change_applied", where=lambda e: e["t"] == loss["t"] and e.get(
        "actor") == loss.get("actor"))
    if applied is None:
        return None
    key = run.data(applied).get("change")
    started = [c for c in run.changes if run.data(c).get("change") == key and c["t"] <= loss["t"]
               and c.get("actor") == loss.get("actor")]
    return started[-1] if started else None


def _ordered_by_ic(run: Run, loss: Record) -> bool:
    cause = _cause(run, loss)
    return cause is not None and run.data(cause).get("ordered_by") == "ic"


def informed_changes(run: Run, p: Params) -> Finding:
    """Changes follow from evidence (a finding that justifies them), not from a hunch."""
    if not run.ic_changes:
        return _no_changes(run)
    hunches = [c for c in run.ic_changes if not run.data(c).get("informed")]
    share = 1 - len(hunches) / len(run.ic_changes)
    rating = by_share(share, p["s_share"], p["m_share"])
    herrings = run.of("investigation_done", where=lambda e: bool(run.data(e).get("red_herring")))
    evidence = [replace(run.quote(c, False), text=run.describe(c) + " (no finding backed it)")
                for c in hunches]
    evidence += run.quotes([c for c in run.ic_changes if c not in hunches], True)
    if hunches:
        evidence += run.quotes([h for h in herrings if h["t"] <= hunches[0]["t"]], False)
    facts = {"hunches": len(hunches), "changes": len(run.ic_changes)}
    return Finding(rating, sorted(evidence, key=lambda e: e.t),
                   f"{len(hunches)} of {len(run.ic_changes)} change(s) made without a finding "
                   "to back them", facts)


def impact_time(run: Run, p: Params) -> Finding:
    """How long users were hurt: metrics healthy again, against the scenario's expected time.

    Thresholds are multiples of the scenario's ``expected_minutes`` so that one rubric fits a
    five-minute rollback and an hour-long data repair alike.
    """
    expected = run.scenario.expected_minutes
    # users served again: the mitigated stage when the scenario has one, else full recovery
    recovered = run.first("mitigated") or run.first("recovered")
    since = int(run.data(recovered).get("since") or recovered["t"]) if recovered else None
    limits = [p[k] * expected for k in ("p", "s", "m")]
    rating, reason = deadline(run, since, limits[0], limits[1], limits[2],
                              "service healthy again")
    facts = {"healthy_at": clock(since) if since is not None else "never",
             "expected": expected, "aim": f"{limits[0]:g} min"}
    if rating is None:
        return not_applicable(reason)
    evidence = [run.quote(recovered, rating in ("P", "S"))] if recovered else [run.end_quote()]
    landed = [e for e in run.of("change_applied") if since is None or e["t"] <= since]
    if landed:
        evidence.insert(0, run.quote(landed[-1], rating in ("P", "S")))
    return Finding(rating, evidence, reason, facts)
