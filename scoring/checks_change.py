"""Checks on changes: orient first, stabilise first, one at a time, announced, on evidence.

A "change" is a change_started event. The IC answers for the room: the changes they
ordered, and those responders made on their own while nobody had frozen changes
(room_changes). What counts as a mitigation, and from when it is due, is in
scoring/routes.py and scoring/yardstick.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
from scoring.routes import (
    is_mitigation,
    own_evidence,
    recent_release,
    route_clock,
    route_keys,
)
from scoring.run import Evidence, Record, Run, at, clock
from scoring.yardstick import ORIENTING, yardstick

#: events that bring the team findings: an investigation, the IC's quick look, an answer
FINDINGS = ("investigation_done", "quick_check_done", "answer")
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
    done = run.of(*FINDINGS, where=lambda e: e["t"] <= cutoff
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


mitigation_keys = route_keys  # the outcome figures count any change on a route's key


def stabilise_first(run: Run, p: Params) -> Finding:
    """Once a workaround is justified, apply it before chasing the root cause.

    Each listed route is timed from its own evidence, as a competent IC would have had it
    (the expert's time on this seed): finding it sooner never costs, never looking is never
    free. Only a change that is a mitigation counts (scoring/routes.py): a blind change, or
    one with the wrong value, is a detour even when it happens to work.
    """
    clocks = {k: route_clock(run, k) for k in sorted(route_keys(run))}
    known = [t for t in clocks.values() if t is not None]
    first_at = min(known) if known else None
    live = [c for c in run.ic_changes if not run.data(c).get("cancelled")]
    mitigation = next((c for c in live if is_mitigation(run, c)), None)
    facts = {"evidence_at": clock(first_at) if first_at is not None else "never",
             "mitigated_at": at(mitigation), "delay": "n/a"}
    if mitigation is None:
        return _never_mitigated(run, p, live, first_at, facts)
    key = str(run.data(mitigation).get("change"))
    start = clocks.get(key)
    if start is None:
        start = first_at if first_at is not None else 0
    delay = max(0.0, (mitigation["t"] - start) / 60)
    facts.update(evidence_at=clock(start), delay=f"{delay:.0f} min")
    rating = by_limits(delay, p["p"], p["s"], p["m"])
    detours = [c for c in live if c["t"] < mitigation["t"]]
    if detours:
        rating = worse(rating, len(detours))
    own = own_evidence(run, key)
    evidence = [run.quote(own, True)] if own is not None else []
    evidence += [*[_miss(run, c) for c in detours], run.quote(mitigation, rating == "P")]
    reason = (f"mitigation ({key}) started at {at(mitigation)}, {delay:.0f} min after a "
              f"competent IC had the evidence for it ({clock(start)}, the expert's time on "
              f"this seed; this run: {at(own)})" + (
                  f"; {len(detours)} other change(s) first" if detours else ""))
    return Finding(rating, sorted(evidence, key=lambda e: e.t), reason, facts)


def _never_mitigated(run: Run, p: Params, live: list[Record], first_at: int | None,
                     facts: dict[str, str]) -> Finding:
    if first_at is None and run.truncated:
        return not_applicable("the drill stopped before a workaround was in sight")
    if first_at is not None and run.truncated and (run.end_t - first_at) / 60 <= p["p"]:
        return not_applicable("the drill stopped soon after a workaround was justified")
    evidence = [_miss(run, c) for c in live] + [run.end_quote()]
    misses = [c for c in live if str(run.data(c).get("change")) in route_keys(run)]
    reason = ("no workaround was applied on evidence" + (
        f" (a competent IC had the evidence for one by {facts['evidence_at']})"
        if first_at is not None else "") + (
        f"; {len(misses)} change(s) on a workaround's key did not count: made blind or "
        "with a value that does not stop the harm" if misses else ""))
    return Finding("U", sorted(evidence, key=lambda e: e.t), reason, facts)


def _miss(run: Run, change: Record) -> Evidence:
    """A change quoted as a detour, saying why it was not a mitigation."""
    data = run.data(change)
    why = ("no finding backed it" if not data.get("informed") else
           "not a listed workaround" if str(data.get("change")) not in route_keys(run) else
           "the value does not stop the harm")
    return run.quote(change, False, f"{run.describe(change)} ({why})")


def rollback_considered(run: Run, p: Params) -> Finding:
    """With a release shortly before the failure, a rollback is weighed early.

    Applies when a recent change names a service that has a previous version (routes.released).
    The clock starts when a competent IC knew what changed (the expert's first finding about
    recent changes on this seed), not when this run happened to find it.
    """
    if not recent_release(run, p["recent_minutes"]):
        return not_applicable(f"no release of a service that can be rolled back in the "
                              f"{p['recent_minutes']:g} minutes before the failure")
    own = run.first(*FINDINGS, where=lambda e: not run.data(e).get("lost") and
                    bool(ORIENTING & set(run.data(e).get("covers", []))))
    stick = yardstick(run).release_at
    start = stick if stick is not None else (int(own["t"]) if own else None)
    mitigating = {i.id for i in run.scenario.investigations if "mitigation" in i.covers}

    def considers(e: Record) -> bool:
        d = run.data(e)
        if e["kind"] == "change_started":
            return d.get("ordered_by") == "ic" and (is_mitigation(run, e) or bool(
                str(d.get("change", "")).startswith("rollback:") and d.get("informed")))
        if e["kind"] == "investigation_started":
            return d.get("investigation") in mitigating
        text = str(e.get("text", "")).lower()
        return "rollback" in text or "roll back" in text or "roll it back" in text

    considered = run.first("change_started", "investigation_started", "note", "announce",
                           where=considers)
    facts = {"known_at": clock(start) if start is not None else "never",
             "considered_at": at(considered)}
    if start is None:
        if considered is not None:
            return Finding("P", [run.quote(considered, True)], "a rollback or workaround was "
                           "weighed; nobody could have found the release", facts)
        if run.truncated:
            return not_applicable("the drill stopped before the recent release was found")
        return Finding("U", [run.end_quote()], "the recent release was never found", facts)
    evidence = [run.quote(own, True)] if own is not None else []
    if considered is None:
        waited = (run.end_t - start) / 60
        if run.truncated and waited <= p["p"]:
            return not_applicable("the drill stopped soon after the release could be known")
        rating = "U" if not run.truncated else by_limits(waited, p["p"], p["s"], p["m"])
        return Finding(rating, [*evidence, run.end_quote()], f"a competent IC knew of the "
                       f"release by {clock(start)} (this run: {at(own)}); no rollback or "
                       "workaround weighed", facts)
    delay = max(0.0, (considered["t"] - start) / 60)
    rating = by_limits(delay, p["p"], p["s"], p["m"])
    evidence.append(run.quote(considered, rating == "P"))
    return Finding(rating, sorted(evidence, key=lambda e: e.t), f"a competent IC knew of the "
                   f"release by {clock(start)} (this run: {at(own)}); a rollback or workaround "
                   f"weighed at {at(considered)} ({delay:.0f} min later)", facts)


def room_changes(run: Run) -> list[Record]:
    """The changes the IC answers for: their own orders, and what responders did on their
    own before any freeze (a freeze would have stopped them)."""
    freeze = run.first("freeze_changes")
    return [c for c in run.changes if run.data(c).get("ordered_by") == "ic"
            or freeze is None or c["t"] < freeze["t"]]


def _own(run: Run, change: Record) -> bool:
    return run.data(change).get("ordered_by") != "ic"


def _tag(run: Run, change: Record, what: str) -> str:
    alone = " by a responder on their own, with no freeze" if _own(run, change) else ""
    return f"{run.describe(change)} ({what}{alone})"


def one_at_a_time(run: Run, p: Params) -> Finding:
    """Never two changes in flight; let each one land and settle before the next.

    Judged on every change the IC answers for (room_changes): responders restarting on
    their own because nobody froze changes collide just as surely. A landing the channel
    reports as blurred ("nobody can tell which change moved the metrics") is M at best:
    cause and effect were lost, which an experienced IC calls a major lapse, as are
    ``rushed_m`` changes (two built in) each started before the previous one had settled.
    """
    room = room_changes(run)
    if not room:
        return _no_changes(run)
    mine = {id(c) for c in room}
    keys = {str(run.data(c).get("change")) for c in room}
    pairs = {(c.get("actor"), run.data(c).get("change")) for c in room}
    landed = [int(e["t"]) for e in run.of("change_applied")]
    watch = p["watch_minutes"] * 60
    collisions, rushed = [], []
    for c in run.changes:
        d = run.data(c)
        involved = id(c) in mine or any(
            run.data(o).get("change") in d.get("in_flight", []) for o in room if o["t"] <= c["t"])
        if d.get("in_flight") and involved:
            collisions.append(c)
        elif id(c) in mine and any(c["t"] - watch < t <= c["t"] for t in landed):
            rushed.append(c)
    blurred = run.of("change_applied", where=lambda e: bool(run.data(e).get("overlapping")) and (
        (e.get("actor"), run.data(e).get("change")) in pairs
        or bool(keys & set(run.data(e).get("overlapping", [])))))
    peak = peak_in_flight(run)
    facts = {"collisions": len(collisions), "rushed": len(rushed), "peak": peak,
             "blurred": len(blurred)}
    rating = ("U" if len(collisions) > p["collisions_m"] else
              "M" if collisions or blurred or len(rushed) >= p["rushed_m"] else
              "S" if rushed else "P")
    evidence = [run.quote(c, False, _tag(run, c, "started while another was in flight"))
                for c in collisions] + run.quotes(rushed, False) + run.quotes(blurred[:2], False)
    if rating == "P":
        evidence = run.quotes(room, True)
    reason = (f"{len(collisions)} change(s) started while another was in flight, "
              f"{len(rushed)} before the previous one had settled, {len(blurred)} landing(s) "
              f"nobody could tell apart; at most {peak} at once" + (
                  f"; {sum(_own(run, c) for c in room)} made by responders on their own"
                  if any(_own(run, c) for c in room) else ""))
    return Finding(rating, sorted(set(evidence), key=lambda e: (e.t, e.text)), reason, facts)


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
    """Each change is announced before it runs and its result is logged after it lands.

    A change a responder made on their own, with no freeze to stop it, counts too: nobody
    announced it, and the IC still owes the channel what it did to the metrics.
    """
    room = room_changes(run)
    if not room:
        return _no_changes(run)
    window = p["log_within"] * 60
    good: list[Evidence] = []
    bad: list[Evidence] = []
    due = owed = 0
    for c in room:
        key = run.data(c).get("change")
        announced = bool(run.data(c).get("announced"))
        (good if announced else bad).append(run.quote(c, announced, None if announced else
                                            _tag(run, c, "not announced")))
        due += 1
        owed += 0 if announced else 1
        landed = run.first("change_applied", "change_cancelled",
                           where=_same_change(run, key, int(c["t"])))
        if landed is None:
            continue
        log = run.first("note", "status_update", where=_result_of(run, c, int(landed["t"]),
                                                                   window))
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


#: how people name each kind of change in a note (word beginnings, lowercase)
KIND_WORDS = {"rollback": ("roll", "revert"), "flag": ("flag", "switch", "toggl", "disabl"),
              "failover": ("fail",), "scale": ("scal", "replica", "pods"),
              "config": ("conf", "limit", "setting"), "restart": ("restart", "bounc"),
              "fix": ("fix", "hotfix", "patch"), "rollforward": ("roll", "forward"),
              "revert": ("revert", "undo", "undid", "roll")}


def _result_of(run: Run, change: Record, landed: int, window: float
               ) -> Callable[[Record], bool]:
    within = _ic_within(landed, window)
    return lambda e: within(e) and _logs_result(run, e, change)


def _logs_result(run: Run, log: Record, change: Record) -> bool:
    """Does this note or update say what the change did?

    It must name the change (its target, a config key's own name, or the kind of change in
    the words people use for it: KIND_WORDS) or quote a reading (a number).
    "Investigating the address validation service" posted after a timeout change is no
    result log; "errors back under 1% after the flag" is.
    """
    d = run.data(log)
    said = " ".join(str(d.get(k, "")) for k in ("text", "message", "impact", "doing")).lower()
    return any(ch.isdigit() for ch in said) or names_change(run, said, change)


def names_change(run: Run, said: str, change: Record) -> bool:
    """Does ``said`` name this change: its target, a config key's own name, or its kind in
    the words people use for it (KIND_WORDS)? Shared with the handover check, which asks
    whether the outgoing IC told the incoming one about each change still running."""
    words = re.findall(r"[a-z]+", said.lower())
    kind, _, target = str(run.data(change).get("change", "")).partition(":")
    if any(w.startswith(KIND_WORDS.get(kind, (kind or "-",))) for w in words):
        return True
    if kind == "config":
        own = re.findall(r"[a-z]+", target.rsplit(".", 1)[-1].lower())
        return any(w in words for w in own if len(w) >= 4)
    phrase = " ".join(re.findall(r"[a-z0-9]+", target.lower()))
    return bool(phrase) and phrase in " ".join(words)


def _same_change(run: Run, key: Any, since: int) -> Callable[[Record], bool]:
    def same(e: Record) -> bool:
        return bool(run.data(e).get("change") == key and e["t"] >= since)
    return same


def _ic_within(start: int, window: float) -> Callable[[Record], bool]:
    def logged(e: Record) -> bool:
        return bool(e.get("actor") == "ic" and start <= e["t"] <= start + window)
    return logged


def evidence_preserved(run: Run, p: Params) -> Finding:
    """No restart or wipe destroys evidence before the failure mode is understood.

    A restart before the evidence justified one counts whoever made it, as long as the IC
    answers for it (room_changes: their orders, and a responder's own restart before any
    freeze), even when the logs had been read just in time and nothing was lost."""
    losses = run.of("evidence_lost")
    blind = [c for c in room_changes(run) if str(run.data(c).get("change", "")).startswith(
        "restart:") and not run.data(c).get("informed") and _landed(run, c)]
    facts = {"lost": len(losses), "uninformed_restarts": len(blind)}
    stopped = _stopped_in_time(run)
    if not losses and not blind:
        if not run.changes and run.truncated:
            return not_applicable("the drill stopped before any change")
        return Finding("P", run.quotes(stopped, True), "no evidence was destroyed" + (
            f"; the IC stopped {len(stopped)} restart(s) or unilateral change(s) before "
            "they landed" if stopped else ""), facts)
    by_ic = [e for e in losses if _ordered_by_ic(run, e)]
    rating = "U" if by_ic else "M" if losses else "S"
    evidence = run.quotes(blind, False) + run.quotes(losses, False) + run.quotes(stopped, True)
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


def _landed(run: Run, change: Record) -> bool:
    """Whether this started change landed (a restart stopped in time wiped nothing)."""
    key, who = run.data(change).get("change"), change.get("actor")
    return run.first("change_applied", where=lambda e: e["t"] >= change["t"] and e.get(
        "actor") == who and run.data(e).get("change") == key) is not None


def _stopped_in_time(run: Run) -> list[Record]:
    """Changes the IC stopped before they landed (a restart, which wipes evidence, or a
    responder's change made on their own), and the unilateral changes a responder called
    off because the IC had told them to hold. Either is change control at work."""
    out = []
    for e in run.of("change_cancelled", where=lambda e: run.data(e).get("cancelled_by") == "ic"):
        key = str(run.data(e).get("change", ""))
        started = [c for c in run.changes if run.data(c).get("change") == key
                   and c["t"] <= e["t"]]
        if key.startswith("restart:") or (started and run.data(started[-1]).get(
                "ordered_by") != "ic"):
            out.append(e)
    return sorted(out + run.of("npc_held"), key=lambda e: e["t"])  # told to hold in time


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
    """Changes follow from evidence (a finding that justifies them), not from a hunch.

    Judged on every change the IC answers for: a responder's hunch fix shipped because
    nobody froze changes is the IC's hunch too, the more so when the IC then resolves on it.
    """
    room = room_changes(run)
    if not room:
        return _no_changes(run)
    hunches = [c for c in room if not run.data(c).get("informed") or undoes_workaround(run, c)]
    # Counted, not shared out: a change made on evidence does not make up for a hunch, so
    # adding one (needed or not) can never raise this rating.
    rating = by_limits(len(hunches), 0, p["s_hunches"], p["m_hunches"])
    # A change on evidence that set off a second incident: the finding did not justify the
    # change as it was made (process.md#hypothesis-loop), so at best M; one that cannot be
    # undone left the harm for good, a fact the rubric may cap the score on.
    harmful = [(c, title) for c in room if c not in hunches
               for title in caused_by(run, c)]
    if harmful:
        rating = at_most(rating, "M")
    lasting = [c for c, _ in harmful if not undoable(run, c)]
    herrings = run.of("investigation_done", where=lambda e: bool(run.data(e).get("red_herring")))
    evidence = [run.quote(c, False, _tag(run, c, "undid a workaround before the metrics "
                                         "held, with no finding" if undoes_workaround(run, c)
                                         else "no finding backed it")) for c in hunches]
    evidence += [run.quote(c, False, _tag(run, c, f"a finding backed it, but it set off a "
                                          f"second incident: {title}"))
                 for c, title in harmful]
    evidence += run.quotes([c for c in room if c not in hunches
                            and all(c is not h for h, _ in harmful)], True)
    if hunches:
        evidence += run.quotes([h for h in herrings if h["t"] <= hunches[0]["t"]], False)
    facts = {"hunches": len(hunches), "changes": len(room), "harmful": len(harmful),
             "lasting_harm": len(lasting)}
    reason = f"{len(hunches)} of {len(room)} change(s) made without a finding to back them"
    if harmful:
        reason += (f"; {len(harmful)} made on a finding set off a second incident"
                   + (f" ({len(lasting)} that cannot be undone)" if lasting else ""))
    return Finding(rating, sorted(evidence, key=lambda e: e.t), reason, facts)


def caused_by(run: Run, change: Record) -> list[str]:
    """The titles of the second incidents this change set off (the engine names the change
    that came just before each one: simulator/engine/core.py)."""
    key = run.data(change).get("change")
    return [str(run.data(e).get("title") or run.data(e).get("fault"))
            for e in run.of("second_incident") if key and run.data(e).get("change") == key
            and e["t"] >= change["t"]]


def undoable(run: Run, change: Record) -> bool:
    """Whether a change can be put back: every change can but a fix the scenario marks
    irreversible (a purge, a data repair)."""
    key = str(run.data(change).get("change", ""))
    if not key.startswith("fix:"):
        return True
    fix = next((f for f in run.scenario.fixes if f.id == key[4:]), None)
    return fix is None or fix.reversible


def undoes_workaround(run: Run, change: Record) -> bool:
    """Whether a change undoes a workaround that was a mitigation, before the incident had
    recovered (the metrics held): a revert of it, or a failover back to the region it moved
    traffic away from. Undoing what helps needs a finding as much as doing it did; "it
    looks fine now" is a hunch (process.md#stop-and-undo)."""
    data = run.data(change)
    key, action = str(data.get("change", "")), str(data.get("action", ""))
    if not key.startswith("revert:") and action != "failover":
        return False
    recovered = run.first("recovered", where=lambda e: e["t"] <= change["t"])
    if recovered is not None and run.first(
            "reopened", where=lambda e: recovered["t"] <= e["t"] <= change["t"]) is None:
        return False  # the metrics had held: undoing a temporary measure is the next step
    home = next((r.id for r in run.scenario.system.regions if r.active), None)
    for earlier in run.changes:
        if earlier["t"] >= change["t"] or not is_mitigation(run, earlier):
            continue
        before = str(run.data(earlier).get("change", ""))
        if key == f"revert:{before}":
            return True
        if action == "failover" and before.startswith("failover:") and key == f"failover:{home}":
            return True
    return False


def impact_time(run: Run, p: Params) -> Finding:
    """How long users were hurt: metrics healthy again, against the scenario's expected time.

    A recovery that only blind changes preceded (none made on evidence) is luck: at most M
    here; the outcome figures still show it. Thresholds are multiples of the scenario's
    ``expected_minutes`` so that one rubric fits a five-minute rollback and an hour-long data
    repair alike.
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
    landed = [e for e in run.of("change_applied") if since is None or e["t"] <= since]
    if since is not None and landed and not any(
            run.data(c).get("informed") for c in _started(run, landed)):
        rating = at_most(rating, "M")
        reason += "; only changes made without evidence came before it: luck, not process"
    evidence = [run.quote(recovered, rating in ("P", "S"))] if recovered else [run.end_quote()]
    if landed:
        evidence.insert(0, run.quote(landed[-1], rating in ("P", "S")))
    return Finding(rating, evidence, reason, facts)


def _started(run: Run, landed: list[Record]) -> list[Record]:
    """The change_started records of these landings (same key and person, latest before)."""
    out = []
    for e in landed:
        key = run.data(e).get("change")
        same = [c for c in run.changes if run.data(c).get("change") == key
                and c.get("actor") == e.get("actor") and c["t"] <= e["t"]]
        out += same[-1:]
    return out
