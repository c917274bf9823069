"""The decision vocabulary as data: each IC action's arguments, their types and which are
required.

Decision files and a scenario's `debrief` paths are lists of ``{action: ID, ...arguments}``.
The drill checks values against the live state when a decision is played; this table gives
the static shape, so the JSON Schema can type every action (editors complete and check
arguments) and `tabletop validate` can refuse a misspelt argument before anything runs.
It must name every action in catalogue.yaml; a test keeps the two in step with actions.py.
"""

from __future__ import annotations

from typing import Any

Arg = dict[str, Any]  # a JSON Schema fragment; "required": True marks a required argument

TEXT: Arg = {"type": "string"}
ID: Arg = {"type": "string", "description": "an id from the scenario"}
CHANGE: dict[str, Arg] = {
    "by": {"type": "string", "description": "who makes the change: ic (default) or a responder"},
    "announcement": {"type": "string", "description": "said in the channel before the change"},
}


def _req(arg: Arg) -> Arg:
    return {**arg, "required": True}


def _number(low: float, high: float, required: bool = False) -> Arg:
    arg: Arg = {"type": "number", "minimum": low, "maximum": high}
    return _req(arg) if required else arg


def _enum(*values: str) -> Arg:
    return _req({"enum": list(values)})


VOCABULARY: dict[str, dict[str, Arg]] = {
    "acknowledge": {},
    "declare": {"severity": _enum("P1", "P2", "P3")},
    "take_command": {},
    "set_severity": {"severity": _enum("P1", "P2", "P3"), "reason": TEXT},
    "page": {"person": _req({"type": "string", "description": "an on_call id"}),
             "reason": TEXT},
    "hand_over": {"to": _req(ID), "summary": TEXT},
    "open_channel": {},
    "assign_role": {"person": _req(ID),
                    "role": _enum("comms", "scribe", "operator", "investigator")},
    "freeze_changes": {},
    "delegate": {"responder": _req(ID), "investigation": _req(ID),
                 "timebox_minutes": _number(1, 60)},
    "investigate": {"investigation": _req(ID)},
    "ask": {"person": _req(ID), "question": _req({"type": "string",
                                                  "description": "the id of a 'knows' entry"})},
    "quick_check": {"investigation": _req(ID)},
    "rollback": {"service": _req(ID), **CHANGE},
    "toggle_flag": {"flag": _req(ID), "state": _req({"enum": ["on", "off", True, False]}),
                    "segment": {"type": "string", "description": "a segment of the flag "
                                "(default: all)"}, **CHANGE},
    "failover": {"region": _req(ID), **CHANGE},
    "scale": {"service": _req(ID), "replicas": _req({"type": "integer", "minimum": 1,
                                                      "maximum": 100}), **CHANGE},
    "set_config": {"key": _req(ID), "value": _req({"type": ["number", "string"]}), **CHANGE},
    "restart": {"target": _req(ID), **CHANGE},
    "apply_fix": {"fix": _req(ID), **CHANGE},
    "roll_forward": {"service": _req(ID), **CHANGE},
    "cancel_change": {"change": _req({"type": "string",
                                      "description": "the key of a change in flight"})},
    "revert_change": {"change": _req({"type": "string",
                                      "description": "the key of a landed change"}), **CHANGE},
    "post_update": {"audience": _enum("leadership", "support", "engineering", "customers",
                                      "all"),
                    "impact": TEXT, "doing": TEXT, "message": TEXT,
                    "next_update_minutes": _number(1, 60)},
    "note": {"text": _req(TEXT)},
    "reply": {"to": _req({"type": "string", "description": "a stakeholder who asked"}),
              "text": _req(TEXT)},
    "tell": {"person": _req(ID), "says": _enum("stop", "hold"), "about": TEXT},
    "wait": {"minutes": _number(0.05, 30, required=True), "until_news": {"type": "boolean"}},
    "declare_resolved": {"message": TEXT, "root_cause": TEXT, "fix": TEXT,
                         "customer_impact": TEXT, "follow_up": TEXT},
    "write_postmortem": {
        "summary": TEXT, "timeline": TEXT, "root_cause": TEXT,
        **{name: {"type": "array", "items": TEXT}
           for name in ("contributing_factors", "went_well", "went_poorly", "lessons")},
        "action_items": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["what"],
            "properties": {"what": TEXT, "owner": TEXT, "due": TEXT}}}},
    "schedule_postmortem": {"when": _req(TEXT), "owner": ID},
    "finish": {},
}


def arguments(action: str) -> dict[str, Arg] | None:
    """The arguments an action takes, or None for an action this table does not know."""
    return VOCABULARY.get(action)


def required(action: str) -> list[str]:
    return [name for name, arg in (VOCABULARY.get(action) or {}).items() if arg.get("required")]


def decision_schema(actions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """JSON Schema of one decision: one alternative per action, each with typed arguments."""
    options = []
    for action, meta in actions.items():
        args = VOCABULARY.get(action)
        props: dict[str, Any] = {"action": {"const": action},
                                 "at_minutes": {"type": "number", "minimum": 0},
                                 "who": {"type": "string", "minLength": 1, "maxLength": 40}}
        option: dict[str, Any] = {"type": "object", "title": action,
                                  "description": str(meta.get("help", ""))}
        if args is None:
            option.update(properties=props, required=["action"])
        else:
            props.update({k: {x: y for x, y in v.items() if x != "required"}
                          for k, v in args.items()})
            option.update(properties=props, required=["action", *required(action)],
                          additionalProperties=False)
        options.append(option)
    return {"title": "Decision", "description": "One decision: an action id, its arguments "
            "and optionally the simulated minute to play it at (decision files only).",
            "oneOf": options}
