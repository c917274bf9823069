"""Checks on closing the incident: recovery verified first, and a full resolution message."""

from __future__ import annotations

from scoring.claims import false_statements, vague
from scoring.ratings import Finding, at_most, by_share, not_applicable
from scoring.run import Evidence, Record, Run, at

Params = dict[str, float]
MESSAGE_PARTS = ("message", "root_cause", "fix", "customer_impact", "follow_up")


def verified_resolution(run: Run, p: Params) -> Finding:
    """'Resolved' only once the metrics have held within their SLO for a while.

    A premature resolution that monitoring reopened is judged with what came after it:
    recovering, verifying and resolving again for good lifts an unverified first call from
    U to M (the users still saw a false all-clear); never recovering leaves it at U.
    """
    resolutions = run.of("declare_resolved")
    if not resolutions:
        why = {"timeout": "the time limit came before a resolution",
               "interrupted": "the drill stopped before a resolution",
               "refused": "the decisions file was refused before a resolution"}.get(
            run.status, "the incident was never declared resolved")
        return not_applicable(why, [run.end_quote()])
    resolved, final = resolutions[0], resolutions[-1]
    d = run.data(resolved)
    verified, reopened = bool(d.get("verified")), run.first("reopened")
    held = run.first("held", where=lambda e: e["t"] >= final["t"])
    recovered_again = reopened is not None and held is not None and bool(
        run.data(final).get("verified"))
    recovered = run.first("recovered", where=lambda e: e["t"] <= resolved["t"])
    rating = ("P" if verified and reopened is None else "S" if verified else
              "M" if recovered_again else "U" if reopened is not None else "M")
    evidence = [run.quote(recovered, True)] if recovered else []
    evidence.append(run.quote(resolved, verified))
    if reopened is not None:
        evidence.append(run.quote(reopened, False))
        if final is not resolved:
            evidence.append(run.quote(final, recovered_again))
    if held is not None:
        evidence.append(run.quote(held, verified or recovered_again))
    healthy = "healthy" if d.get("healthy_now") else "still outside the SLO"
    reason = (f"resolved at {at(resolved)} after the metrics held since {at(recovered)}"
              if verified else f"resolved at {at(resolved)} without a verified recovery "
              f"(metrics {healthy} at that moment)") + (
        f"; reopened at {at(reopened)}" if reopened else "") + (
        f"; recovered and resolved again at {at(final)}, verified and held" if recovered_again
        else "; never resolved again" if reopened is not None and final is resolved
        else f"; resolved again at {at(final)} but it did not hold"
        if reopened is not None else "")
    # The advice names the recovery the run did reach: after a reopen, the one before the
    # final resolution (not 'never' when the final resolution was verified and held).
    came_back = recovered or run.first("recovered", where=lambda e: e["t"] <= final["t"])
    return Finding(rating, evidence, reason, {"resolved_at": at(resolved),
                                              "recovered_at": at(came_back),
                                              "reopened_at": at(reopened)})


def resolution_message(run: Run, p: Params) -> Finding:
    """The resolution message: summary, root cause, fix, customer impact, next steps, each
    saying something, and no claim the system's state at that moment contradicts.

    After a reopen there are several, and each went to every audience: each is judged on
    its own and the criterion takes the worst, so a false or empty first all-clear still
    counts against the run when a good one follows it."""
    resolutions = run.of("declare_resolved")
    if not resolutions:
        return not_applicable("the incident was never declared resolved")
    judged = [_one_message(run, r, p) for r in resolutions]
    worst = max(range(len(judged)), key=lambda i: (RANK[judged[i][0]], i))
    rating, missing, reason = judged[worst][0], judged[worst][1], judged[worst][2]
    if len(judged) > 1:
        which = "the last" if worst == len(judged) - 1 else f"message {worst + 1}"
        reason = f"{len(judged)} resolution messages; the worst is {which}: {reason}"
        missing = f"{missing} (in the resolution at {at(resolutions[worst])})"
    evidence = [e for j in judged for e in j[3]]
    return Finding(rating, evidence, reason, {"missing": missing})


RANK = {"P": 0, "S": 1, "M": 2, "U": 3}


def _one_message(run: Run, resolved: Record, p: Params
                 ) -> tuple[str, str, str, list[Evidence]]:
    """(rating, what it lacked, why, the quote) for one resolution message."""
    d = run.data(resolved)
    present = [k for k in MESSAGE_PARTS if str(d.get(k, "")).strip()]
    missing = [k.replace("_", " ") for k in MESSAGE_PARTS if k not in present]
    empty = [k.replace("_", " ") for k in present if vague(str(d[k]))]
    said = [str(d.get(k, "")) for k in ("message", "fix", "customer_impact")]
    wrong = false_statements(run, resolved, said, verified=bool(d.get("verified")))
    share = (len(present) - len(empty)) / len(MESSAGE_PARTS)
    rating = by_share(share, p["s_share"], p["m_share"])
    if wrong:
        rating = at_most(rating, "M")  # telling everyone it is over when it is not
    notes = ([f"missing: {', '.join(missing)}"] if missing else []) + (
        [f"says nothing: {', '.join(empty)}"] if empty else []) + wrong
    text = run.describe(resolved) + (f" ({'; '.join(notes)})" if notes else "")
    lacked = ", ".join(missing + [f"{e} (vague)" for e in empty] + (
        [f"{len(wrong)} false statement(s)"] if wrong else [])) or "nothing"
    reason = f"{len(present) - len(empty)} of {len(MESSAGE_PARTS)} parts present" + (
        f"; {wrong[0]}" if wrong else "")
    return rating, lacked, reason, [run.quote(resolved, not notes, text)]
