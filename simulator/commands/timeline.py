"""A scenario skeleton from a real incident's log (`tabletop new ID --from-timeline LOG`).

Incident channels and postmortems keep timelines as ``HH:MM who: what``. Each event
becomes an inject at its minute, each author a person on the roster, each change
("rolled back", "restarted", "disabled the flag"...) a candidate fix, and the parts only
the facilitator can know are left as TODO markers, which `tabletop validate` lists. The
skeleton validates at once, so every edit after this can be checked as it is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulator.errors import InputError, Problem

LINE = re.compile(
    r"^\s*(?:[-*]\s*)?\[?(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)(?::[0-5]\d)?\]?"
    r"(?:\s*(?:UTC|Z))?\s*[-–|]?\s*(?P<who>[^:]{1,40}?)\s*:\s+(?P<what>\S.*)$")
CHANGE = re.compile(
    r"\b(roll(?:ed|ing)?[ -]?back|revert(?:ed|ing)?|deploy(?:ed|ing)?|ship(?:ped)?|"
    r"restart(?:ed|ing)?|bounc(?:ed|ing)|reboot(?:ed)?|disabl(?:ed|ing|e)|enabl(?:ed|ing|e)|"
    r"turn(?:ed)? (?:off|on)|switch(?:ed)? (?:off|on)|kill[ -]switch|toggl(?:ed|ing|e)|"
    r"scal(?:ed|ing|e) (?:up|out|down)|fail(?:ed)?[ -]?over|rais(?:ed|ing|e)|lower(?:ed)?|"
    r"set |pushed|purg(?:ed|e)|flush(?:ed)?|hotfix|patch(?:ed)?|block(?:ed)?|"
    r"migrat(?:ed|ion))", re.IGNORECASE)
LABELS = re.compile(r"^(monitoring|alert(?:s|ing)?|pagerduty|opsgenie|bot|system|grafana|"
                    r"datadog|statuspage|status page|automation|ci|deploy bot)$", re.I)
STAKEHOLDER = re.compile(r"\b(support|vp|cto|ceo|cfo|exec|director|customer|finance|pr|"
                         r"legal|sales|account|success|leadership|product)\b", re.I)


@dataclass
class Event:
    minute: int
    who: str
    what: str
    line: int


def slug(text: str, limit: int = 40) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
    return out or "x"


def parse_timeline(text: str, label: str) -> tuple[str, list[Event]]:
    """Events with minutes since the first one, and the first clock time (HH:MM)."""
    events: list[Event] = []
    first: int | None = None
    last = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        match = LINE.match(raw)
        if match is None:
            if raw.strip() and events and not raw.lstrip().startswith("#"):
                events[-1].what += " " + raw.strip()  # a wrapped line continues the event
            continue
        clock = int(match["h"]) * 60 + int(match["m"])
        if first is None:
            first = clock
        minute = clock - first
        while minute < last:  # past midnight
            minute += 24 * 60
        last = minute
        events.append(Event(minute, match["who"].strip(), match["what"].strip(), number))
    if first is None:
        raise InputError("", [Problem(label, 1, 1, "no timeline entries found",
                                      "write one event a line as 'HH:MM who: what', e.g. "
                                      "'14:03 Priya: rolled back edge-config to v41'")])
    return f"{first // 60:02d}:{first % 60:02d}", events


def skeleton(scenario_id: str, text: str, label: str) -> dict[str, Any]:
    """The scenario data: every part the log cannot tell is a TODO the lint lists."""
    start, events = parse_timeline(text, label)
    people: dict[str, dict[str, Any]] = {}
    stakeholders: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for event in events:
        if event.who in sources:
            continue
        if LABELS.match(event.who):
            sources[event.who] = slug(event.who)
            continue
        pid = slug(event.who, 20)
        while pid in {*people, *stakeholders, "ic"}:
            pid += "-2"
        sources[event.who] = pid
        if STAKEHOLDER.search(event.who):
            stakeholders[pid] = {"id": pid, "name": event.who, "role": "TODO role",
                                 "audience": "leadership", "patience_minutes": 15,
                                 "asks": "TODO what they ask when left without news"}
        else:
            people[pid] = {"id": pid, "name": event.who, "role": "TODO role", "skills": []}
    if not people:
        people["responder"] = {"id": "responder", "name": "TODO responder", "role": "TODO role"}
    fixes: list[dict[str, Any]] = []
    injects: list[dict[str, Any]] = []
    for n, event in enumerate(events, start=1):
        inject: dict[str, Any] = {
            "id": f"e{n:02d}-{slug(event.what, 24)}", "at_minutes": event.minute,
            "source": sources[event.who], "text": f"{event.who} - {event.what}",
            "expects": "TODO what a good IC does now"}
        injects.append(inject)
        if CHANGE.search(event.what) and not LABELS.match(event.who):  # a person's change
            fix_id = f"fix-{slug(event.what, 30)}"
            if fix_id in {f["id"] for f in fixes}:
                fix_id += f"-{n}"
            fixes.append({"id": fix_id, "title": event.what[:80], "minutes": 5,
                          "does": [{"set_fact": f"{fix_id}.done"}],
                          "note": f"TODO from log line {event.line}: what does this change "
                          "do to the system? (minutes, does:)"})
    if not fixes:
        fixes.append({"id": "fix-todo", "title": "TODO the change that ended the incident",
                      "minutes": 5, "does": [{"set_fact": "fix-todo.done"}]})
    cure = fixes[-1]["id"]
    first_person = next(iter(people))
    limit = max(60, (events[-1].minute // 10 + 3) * 10)
    return {
        "schema_version": 1,
        "id": scenario_id,
        "title": f"TODO title (from {Path(label).name})",
        "summary": "TODO one paragraph for the catalogue",
        "difficulty": "intermediate",
        "expected_minutes": max(10, events[-1].minute),
        "start_time": start,
        "time_limit_minutes": limit,
        "expected_severity": "P2",
        "learning_objectives": ["TODO what the trainee should practise"],
        "briefing": f"TODO what the trainee is told at {start} (no spoilers)",
        "system": {"services": [], "dependencies": [], "feature_flags": [],
                   "recent_changes": []},
        "metrics": [{"id": "error_rate", "title": "TODO user-facing metric", "unit": "%",
                     "baseline": 0.1, "slo": {"max": 1.0}, "noise": 0.1, "key": True}],
        "impact": {"metric": "error_rate", "per_minute": 100, "unit": "failed requests"},
        "faults": [{"id": "todo-fault", "title": "TODO the failure, in one line",
                    "onset_minutes": 0, "active_when": {"not": {"fact": f"{cure}.done"}},
                    "effects": {"error_rate": 20}}],
        "roster": {"ic": {"id": "ic", "name": "TODO you", "role": "incident commander"},
                   "responders": list(people.values()),
                   "stakeholders": list(stakeholders.values())},
        "investigations": [{"id": "todo-check", "title": "TODO a check a responder can run",
                            "minutes": 2, "covers": ["blast_radius"],
                            "learns": ["todo-finding"],
                            "finding": "TODO what the check shows"}],
        "fixes": fixes,
        "rationale": [{"change": f"fix:{cure}", "informed_by": ["todo-finding"]}],
        "injects": injects,
        "success": {"metrics": ["error_rate"], "hold_minutes": 5},
        "debrief": {"root_cause": "TODO the root cause",
                    "contributing_factors": ["TODO"],
                    "ideal_path": [
                        {"action": "delegate", "responder": first_person,
                         "investigation": "todo-check"},
                        {"action": "apply_fix", "fix": cure, "by": first_person}],
                    "follow_ups": ["TODO"]},
    }


HEADER = ("# yaml-language-server: $schema=scenario.schema.json\n"
          "# Skeleton made from the timeline {log}: {events} events, {people} people, {fixes} "
          "candidate fix(es).\n"
          "# Complete each marked part (`tabletop validate {name}` lists them), then "
          "`tabletop prove {name}`.\n")


def scenario_from_timeline(scenario_id: str, log: Path, output: Path | None) -> tuple[
        Path, dict[str, Any]]:
    """Write the skeleton (it must validate before it is written); returns path and data."""
    from simulator.commands.authoring import ID, write_new_scenario
    from simulator.format.yamlsafe import read_text

    if not ID.match(scenario_id):
        raise InputError(f"'{scenario_id}' is not a valid id: use lowercase letters, digits "
                         "and dashes, starting with a letter or digit")
    data = skeleton(scenario_id, read_text(log, str(log)), str(log))
    path = output or Path(f"{scenario_id}.yaml")
    if path.exists():
        raise InputError(f"{path} already exists; choose another --output")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    text = HEADER.format(log=log.name, events=len(data["injects"]), fixes=len(data["fixes"]),
                         people=len(data["roster"]["responders"])
                         + len(data["roster"]["stakeholders"]), name=path.name) + body
    write_new_scenario(path, text)
    return path, data
