"""Property: however a scenario or decisions file is mangled, the answer is a located error.

Random edits (lines dropped, duplicated or swapped, values replaced by junk) must give
either a valid result or an InputError whose problems all carry path:line:col, never an
unexpected exception, which would reach the user as a traceback.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import InputError
from simulator.format.loader import builtin_dir, builtin_ids, parse_scenario
from simulator.players.decisions import parse_decisions

TEXTS = {i: (builtin_dir() / f"{i}.yaml").read_text(encoding="utf-8") for i in builtin_ids()}
LOCATED = re.compile(r"^s\.yaml:\d+:\d+: ")
JUNK = st.sampled_from(["", "~", "-1", "1e309", "[]", "{}", "yes", "'x'", "&a", "*a", "!!str",
                        "{a: 1}", "[1, [2]]", "2026-01-01", ": :", "\t", "off", "null"])


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = TEXTS[draw(st.sampled_from(sorted(TEXTS)))].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "dup", "swap", "value", "key"]))
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == "value" and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            lines[i] = f"{head}: {draw(JUNK)}"
        elif kind == "key":
            indent = len(lines[i]) - len(lines[i].lstrip())
            lines.insert(i, " " * indent + f"surprise_{i}: {draw(JUNK)}")
        if not lines:
            lines = [""]
    return "\n".join(lines) + "\n"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mangled())
def test_mangled_scenarios_give_located_errors(text: str) -> None:
    """No mangled scenario escapes as anything but a located InputError."""
    try:
        parse_scenario(text, "s.yaml")
    except InputError as exc:
        assert exc.problems and all(LOCATED.match(str(p)) for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(items=st.lists(st.dictionaries(
    st.sampled_from(["action", "at_minutes", "minutes", "severity", "by", "service"]),
    st.one_of(st.none(), st.integers(-5, 10**6), st.floats(allow_nan=True), st.text(max_size=5),
              st.lists(st.integers(), max_size=2))), max_size=4))
def test_mangled_decision_files_give_located_errors(items: list[dict[str, object]]) -> None:
    """Decision files of any shape are either accepted or refused with a location."""
    import yaml

    text = yaml.safe_dump(items)
    try:
        parse_decisions(text, "s.yaml")
    except InputError as exc:
        assert exc.problems and all(LOCATED.match(str(p)) for p in exc.problems)


SENSIBLE: dict[str, dict[str, object]] = {
    "wait": {"minutes": 2}, "set_config": {"value": 200}, "scale": {"replicas": 12},
    "note": {"text": "a finding"}, "post_update": {"impact": "x", "next_update_minutes": 10}}
JUNK_ARGS = st.one_of(st.none(), st.booleans(), st.integers(-3, 500), st.floats(),
                      st.text(max_size=6), st.lists(st.integers(), max_size=2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), scenario_id=st.sampled_from(sorted(TEXTS)), seed=st.integers(0, 99))
def test_any_decision_is_played_or_refused_never_crashes(data: st.DataObject,
                                                          scenario_id: str, seed: int) -> None:
    """Random decisions (valid choices mixed with junk) never break the engine."""
    from simulator.actions.catalogue import Action, choices
    from simulator.engine.drill import DecisionRejected, Drill
    from simulator.format.loader import load_scenario
    from simulator.texts import catalogue

    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, seed, None)
    drill.start()
    for _ in range(30):
        drill.advance()
        if drill.phase == "ended":
            break
        action_id = data.draw(st.sampled_from(sorted(catalogue())))
        args: dict[str, object] = {}
        for name, valid in choices(drill.engine, action_id).items():
            if valid and data.draw(st.booleans()):
                args[name] = data.draw(st.sampled_from(valid))
            elif data.draw(st.booleans()):
                args[name] = data.draw(JUNK_ARGS)
        extras = ["minutes", "value", "replicas", "segment", "state", "text", "until_news",
                  "next_update_minutes", "timebox_minutes", "action_items", "announcement"]
        for name in data.draw(st.lists(st.sampled_from(extras), max_size=2)):
            args[name] = data.draw(JUNK_ARGS | st.integers(1, 20))
        if data.draw(st.booleans()):
            args.update(SENSIBLE.get(action_id, {}))
        try:
            drill.submit(Action(action_id, args))
        except DecisionRejected:
            drill.submit(Action("finish") if drill.phase == "closing"
                         else Action("wait", {"minutes": 1}))
