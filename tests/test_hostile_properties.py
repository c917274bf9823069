"""Properties over hostile content (issue 11, item 12): whatever number, text or template a
stranger's file holds, the tool either refuses it with a location or accepts it, and what
it accepts is finite, bounded and runs to an end."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.placeholders import fill, malformed, names
from scoring.rubric import parse_rubric
from simulator.engine.drill import Drill
from simulator.errors import InputError
from simulator.format.bounds import MAX_MINUTES, MAX_VALUE
from simulator.format.loader import builtin_dir, parse_scenario
from simulator.format.textsafe import CONTROL
from simulator.format.yamlsafe import load_yaml
from simulator.players.bots import make_bot

LOCATED = re.compile(r"^s\.yaml:\d+:\d+: ")
BASE_TEXT = (builtin_dir() / "bad-deploy.yaml").read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_TEXT)


def number_paths(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a number in parsed data (booleans are not numbers here)."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in number_paths(v, (*loc, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in number_paths(v, (*loc, i))]
    return [loc] if isinstance(data, (int, float)) and not isinstance(data, bool) else []


PATHS = number_paths(BASE)
HOSTILE_NUMBERS = st.one_of(
    st.sampled_from([".nan", ".inf", "-.inf", "1.0e+308", "-1.0e+308", "9" * 4301,
                     "1000000000", "1e9", "-0.0", "0", "-1", "1441", "1440", "0x7fffffff"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-(10**20), 10**20).map(str))


def replaced(path: tuple[Any, ...], literal: str) -> str:
    """The base scenario with one number replaced by a YAML literal (written as text, so
    the literal reaches our reader exactly as a stranger would write it)."""
    data = json.loads(json.dumps(BASE))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "@@NUMBER@@"
    return yaml.safe_dump(data, sort_keys=False).replace("'@@NUMBER@@'", literal)


def finite_everywhere(data: Any) -> bool:
    if isinstance(data, float):
        return math.isfinite(data) and abs(data) <= MAX_VALUE * 1000
    if isinstance(data, dict):
        return all(finite_everywhere(v) for v in data.values())
    if isinstance(data, list):
        return all(finite_everywhere(v) for v in data)
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), literal=HOSTILE_NUMBERS)
def test_any_number_anywhere_is_refused_with_a_location_or_bounded(path: tuple[Any, ...],
                                                                  literal: str) -> None:
    try:
        scenario = parse_scenario(replaced(path, literal), "s.yaml")
    except InputError as exc:
        assert exc.problems and all(LOCATED.match(str(p)) for p in exc.problems)
        return
    dumped = scenario.model_dump()
    assert finite_everywhere(dumped)
    assert scenario.time_limit_minutes <= MAX_MINUTES
    assert scenario.success.hold_minutes <= MAX_MINUTES


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from([p for p in PATHS if p[0] != "debrief"]),
       literal=st.sampled_from(["1440", "0.001", "1000000000", "-1000000000", "0", "1e-9"]))
def test_an_accepted_scenario_runs_to_its_end_with_a_finite_journal(path: tuple[Any, ...],
                                                                   literal: str) -> None:
    """Extreme but accepted numbers make a drill that ends, whose journal has no NaN."""
    try:
        scenario = parse_scenario(replaced(path, literal), "s.yaml")
    except InputError:
        return
    drill = Drill(scenario, {"id": scenario.id}, 1, None)  # journal kept in memory
    outcome = drill.run(make_bot("hero"))
    assert outcome.status and drill.engine.now <= (MAX_MINUTES + 60) * 60
    for record in drill.journal.records:
        json.dumps(record, allow_nan=False)


TEMPLATE_TEXT = st.text(alphabet=st.sampled_from(list("{}:!.[]0px_ abd>")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(template=TEMPLATE_TEXT)
def test_templates_are_refused_or_filled_linearly(template: str) -> None:
    facts = {"p": "5", "x": "{p}", "a": "a" * 10}
    out = fill(template, facts)
    assert len(out) <= len(template) * 10  # a placeholder puts in at most one fact
    if malformed(template) is None:
        assert all(n.isidentifier() for n in names(template))


RUBRIC = ("schema_version: 1\nextends: builtin\ncriteria:\n  - id: command.declare-early\n"
          "    advice: {advice}\n    thresholds: {{p: {p}}}\n")


@settings(max_examples=150, deadline=None)
@given(template=TEMPLATE_TEXT, p=HOSTILE_NUMBERS)
def test_rubrics_are_refused_with_a_location_or_safe(template: str, p: str) -> None:
    text = RUBRIC.format(advice=json.dumps(template), p=p)
    try:
        rubric = parse_rubric(load_yaml(text, "s.yaml"))
    except InputError as exc:
        assert exc.problems and all(LOCATED.match(str(p)) for p in exc.problems)
        return
    crit = next(c for c in rubric.criteria if c.id == "command.declare-early")
    assert malformed(crit.advice) is None
    assert all(math.isfinite(v) for v in crit.thresholds.values())


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=20))
def test_a_text_loads_exactly_unless_it_holds_a_control_character(text: str) -> None:
    """JSON strings are YAML double-quoted strings: any text, escaped, either loads back
    unchanged or is refused at its position for a control character."""
    source = f"a: {json.dumps(text, ensure_ascii=False)}\n"
    try:
        assert load_yaml(source, "s.yaml").data == {"a": text}
    except InputError as exc:
        assert LOCATED.match(str(exc)), str(exc)
        if CONTROL.search(text):
            assert "control character" in str(exc)
    else:
        assert CONTROL.search(text) is None
