"""A postmortem written after the drill: `tabletop score RUN --postmortem FILE`.

A drill may end with the postmortem meeting booked (`schedule_postmortem`) instead of a
postmortem typed on the spot. The file written later holds the same sections as the
`write_postmortem` action; it is validated the same way (errors located in the file, exit
2) and scored as the run's postmortem, in the same report. The journal is never changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.actions.catalogue import check_postmortem
from simulator.errors import InputError
from simulator.format.yamlsafe import load_yaml, read_text
from simulator.runs.journal import Journal


def load_postmortem(path: Path) -> dict[str, Any]:
    located = load_yaml(read_text(path, str(path)), str(path))
    data = located.data
    if not isinstance(data, dict):
        raise InputError("", [located.problem((), "a postmortem file is a YAML mapping of "
                                              "sections", "start with 'summary: ...'")])
    problem = check_postmortem(data)
    if problem:
        key = next((k for k in data if f"'{k}'" in problem or f" {k} " in problem), None)
        raise InputError("", [located.problem((key,) if key else (), problem.replace(
            "'write_postmortem': ", ""), "sections: summary, timeline, root_cause, "
            "contributing_factors, went_well, went_poorly, action_items, lessons")])
    return data


def with_postmortem(journal: Journal, postmortem: dict[str, Any]) -> Journal:
    """The journal as the scorer sees it with the later postmortem: one postmortem event
    at the drill's end (replacing none: a run that wrote one on the spot is refused)."""
    if any(r.get("kind") == "postmortem" for r in journal.records):
        raise InputError(f"{journal.path}: this run already has a postmortem; --postmortem "
                         "is for a run that scheduled it")
    end = max((int(r.get("t", 0)) for r in journal.records), default=0)
    event = {"type": "event", "t": end, "actor": "ic", "kind": "postmortem",
             "data": {**postmortem}, "later": True}
    records = [r for r in journal.records if r.get("type") != "end"]
    ends = [r for r in journal.records if r.get("type") == "end"]
    return Journal(journal.path, journal.header, [*records, event, *ends])
