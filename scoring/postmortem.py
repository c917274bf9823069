"""Postmortem grading: the sections, cause kept apart from factors, owned and dated actions,
and blameless language.

Blame is found sentence by sentence (scoring/blame.py, vocabulary in blame.yaml): a sentence
that makes a person the cause of the failure is quoted back to the trainee.
"""

from __future__ import annotations

import re
from typing import Any

from scoring.blame import Detector
from scoring.ratings import Finding, by_share, not_applicable
from scoring.run import Record, Run
from simulator.format.scenario import Scenario

SECTIONS = ("summary", "timeline", "root_cause", "contributing_factors", "went_well",
            "went_poorly", "action_items", "lessons")
Params = dict[str, float]
WORDS = re.compile(r"[^\W\d_][\w-]*")


def _postmortem(run: Run) -> tuple[Record | None, Finding | None]:
    pm = run.first("postmortem")
    if pm is not None:
        return pm, None
    booked = run.first("postmortem_scheduled")
    if booked is not None:
        d = run.data(booked)
        owner = run.name(str(d.get("owner", "ic")))
        return None, not_applicable(
            f"the postmortem was scheduled ({d.get('when')}, owner {owner}); score it when "
            "written: tabletop score RUN --postmortem FILE", [run.quote(booked, True)])
    finish = run.first("finish")
    if finish is not None:
        return None, Finding("U", [run.quote(finish, False)], "no postmortem was written",
                             {"missing": "everything", "flagged": 0})
    if run.truncated:
        return None, not_applicable("the drill stopped before the postmortem")
    return None, Finding("U", [run.end_quote()], "no postmortem was written",
                         {"missing": "everything", "flagged": 0})


def _present(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, list) and any(_present(v) or isinstance(v, dict) for v in value)


def postmortem_complete(run: Run, p: Params) -> Finding:
    """Every section present; cause apart from contributing factors; owned, dated actions."""
    pm, early = _postmortem(run)
    if pm is None:
        assert early is not None
        return early
    d = run.data(pm)
    missing = [s for s in SECTIONS if not _present(d.get(s))]
    cause = str(d.get("root_cause", "")).strip().lower()
    factors = [str(f).strip().lower() for f in d.get("contributing_factors") or []]
    apart = bool(cause) and bool(factors) and cause not in factors and not any(
        f and f in cause for f in factors)
    items = [i for i in d.get("action_items") or [] if isinstance(i, dict)]
    unowned = [str(i.get("what", "?")) for i in items if not (i.get("owner") and i.get("due"))]
    checks = [not missing, apart, bool(items) and not unowned]
    share = (len(SECTIONS) - len(missing)) / len(SECTIONS) * 0.6 + 0.2 * checks[1] + \
        0.2 * checks[2]
    rating = by_share(round(share, 6), p["s_share"], p["m_share"])
    notes = []
    if missing:
        notes.append("missing: " + ", ".join(m.replace("_", " ") for m in missing))
    if not apart:
        notes.append("root cause not kept apart from contributing factors")
    if unowned or not items:
        notes.append(f"{len(unowned)} action item(s) without owner or due date" if items
                     else "no action items")
    text = run.describe(pm) + (f" ({'; '.join(notes)})" if notes else "")
    facts = {"missing": ", ".join(m.replace("_", " ") for m in missing) or "nothing",
             "unowned": len(unowned)}
    return Finding(rating, [run.quote(pm, not notes, text)],
                   "; ".join(notes) or "all sections present, actions owned and dated", facts)


def blame_sentences(run: Run, postmortem: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(sentences naming a person as at fault, sentences blaming people generically)."""
    texts = _texts(postmortem)
    detector = Detector(roster_names(run.scenario), known_words(run.scenario, texts))
    return detector.scan(texts)


def roster_names(sc: Scenario) -> list[str]:
    """Every way the scenario's people may be named: full name, each part, the id."""
    people: list[tuple[str, str]] = [(p.name, p.id) for p in sc.roster.responders]
    people += [(s.name, s.id) for s in sc.roster.stakeholders]
    people.append((sc.roster.ic.name, sc.roster.ic.id))
    if sc.roster.comms_lead:
        people.append((sc.roster.comms_lead.name, sc.roster.comms_lead.id))
    names: set[str] = set()
    for name, person_id in people:
        clean = re.sub(r"\(.*?\)", "", name).strip()
        names |= {*clean.split(), person_id}
    return sorted(n for n in names if len(n) > 1 and n.lower() != "ic")


def known_words(sc: Scenario, texts: list[str]) -> set[str]:
    """Words the scenario or the postmortem write in lowercase: not people's names, even
    when a sentence starts with one ("Monitoring failed to alert")."""
    blob = " ".join([*_strings(sc.model_dump(mode="json")), *texts])
    return {w for w in WORDS.findall(blob) if w.islower()}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _texts(postmortem: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key, value in postmortem.items():
        if key == "action_items" and isinstance(value, list):
            out += [str(i.get("what", "")) for i in value if isinstance(i, dict)]
        elif isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [str(v) for v in value if isinstance(v, str)]
    return out


def postmortem_blameless(run: Run, p: Params) -> Finding:
    """About the system and the process; no person named as the cause."""
    pm, early = _postmortem(run)
    if pm is None:
        assert early is not None
        return not_applicable("no postmortem to read") if early.rating == "U" else early
    named, generic = blame_sentences(run, run.data(pm))
    evidence = [run.quote(pm, False, f"postmortem: “{s}”") for s in named + generic]
    rating = "U" if named else "S" if generic else "P"
    reason = (f"{len(named)} sentence(s) name a person as the cause" if named else
              f"{len(generic)} sentence(s) blame 'human error'" if generic else
              "no person blamed")
    facts = {"flagged": len(named) + len(generic),
             "sentence": (named + generic)[0] if named or generic else ""}
    return Finding(rating, evidence or [run.quote(pm, True)], reason, facts)
