"""Errors that point the right way: condition keys, hints, quoting, objectives, paths, and
the decision vocabulary in the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.actions.catalogue import _extra_args, choices
from simulator.errors import InputError
from simulator.format.loader import builtin_ids, parse_scenario
from simulator.format.scenario import schema_text
from simulator.format.vocabulary import VOCABULARY
from simulator.texts import catalogue
from tests.format_scenario import with_
from tests.helpers import drill_until, tabletop

FAULT_WHEN = "    active_when: {service: api, version: v2}\n"
HELLO = "  - {id: hello, at_minutes: 1, source: bob, text: Bob is here.}"
ROLLBACK = "    - {action: rollback, service: api, by: bob}"


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_scenario(text, "s.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("when", "expected"), [
    ("{metric: error_rate, abvoe: 3}", "s.yaml:33:39: unknown key 'abvoe' (did you mean 'above'?)"),
    ("{flag: shield, stat: \"on\"}", "unknown key 'stat' (did you mean 'state'?)"),
    ("{all: [{fact: x}, {known: y, abov: 3}]}", "unknown key 'abov' (allowed keys: known)"),
    ("{metric: error_rate, state: \"on\"}",
     "unknown key 'state' (allowed keys: metric, above, below, for_minutes)"),
    ("{metrics: error_rate, above: 3}", "(did you mean 'metric'?)"),
    ("{no_update_for: 3}", "(did you mean 'no_update_for_minutes'?)"),
])
def test_a_condition_key_error_lists_the_keys_of_that_condition(when: str, expected: str) -> None:
    found = errors(with_((FAULT_WHEN, f"    active_when: {when}\n")))
    assert any(expected in p for p in found), found
    assert not any("service, version" in p for p in found), found


def test_a_hint_never_suggests_renaming_to_a_key_that_is_already_there() -> None:
    """'versions' next to 'version': renaming it would duplicate 'version'; remove it."""
    found = errors(with_((FAULT_WHEN, "    active_when: {service: api, version: v2, "
                                      "versions: v3}\n")))
    assert found == ["s.yaml:33:46: unknown key 'versions' (did you mean 'version'? it is "
                     "already set here, so remove this one)"]


@pytest.mark.parametrize("text", ['text: "Bob" is here.}', "text: 'Bob' is here.}"])
def test_a_partly_quoted_string_is_explained(text: str) -> None:
    found = errors(with_(("text: Bob is here.}", text)))
    assert len(found) == 1 and "YAML syntax error" in found[0]
    assert "starts with a quote, so YAML ends it at the closing quote" in found[0]


def test_other_syntax_errors_get_no_quoting_hint() -> None:
    found = errors(with_(("text: Bob is here.}", "text: [Bob is here.}")))
    assert "starts with a quote" not in found[0]


def test_an_objective_must_be_a_rubric_criterion() -> None:
    found = errors(with_((HELLO, HELLO[:-1] + ", objective: investigate.hypothesis}")))
    assert any("unknown rubric criterion 'investigate.hypothesis'" in p for p in found), found
    parse_scenario(with_((HELLO, HELLO[:-1] + ", objective: change.informed}")), "s.yaml")


def test_at_minutes_on_a_debrief_path_is_refused() -> None:
    found = errors(with_((ROLLBACK, ROLLBACK[:-1] + ", at_minutes: 5}")))
    assert any("at_minutes is not used in debrief.ideal_path" in p and "--decisions" in p
               for p in found), found


@pytest.mark.parametrize(("step", "expected"), [
    ("{action: rollback, servce: api, by: bob}",
     "'rollback' takes no argument 'servce' (did you mean 'service'?)"),
    ("{action: rollback, by: bob}", "'rollback' needs 'service'"),
    ("{action: wait, minutes: 2, until: news}", "'wait' takes no argument 'until'"),
])
def test_debrief_path_arguments_are_checked_by_name(step: str, expected: str) -> None:
    found = errors(with_((ROLLBACK, f"    - {step}")))
    assert any(expected in p for p in found), found


def test_the_vocabulary_covers_every_action_and_argument() -> None:
    """Every catalogue action is typed, with every argument the drill accepts."""
    assert set(VOCABULARY) == set(catalogue())
    for scenario_id in builtin_ids():
        engine = drill_until(scenario_id, [], 0).engine
        for action in catalogue():
            accepted = set(choices(engine, action)) | _extra_args(action)
            assert accepted <= set(VOCABULARY[action]), (action, accepted)


def test_the_schema_types_each_action_and_the_docs_name_it() -> None:
    decision = json.loads(schema_text())["$defs"]["Decision"]
    by_action = {o["properties"]["action"]["const"]: o for o in decision["oneOf"]}
    assert set(by_action) == set(catalogue())
    assert by_action["scale"]["required"] == ["action", "service", "replicas"]
    assert by_action["scale"]["properties"]["replicas"]["type"] == "integer"
    assert by_action["rollback"]["additionalProperties"] is False
    docs = (Path(__file__).parent.parent / "docs" / "scenario-format.md").read_text()
    for action in catalogue():
        assert f"`{action}`" in docs, action


def test_validate_cli_shows_the_condition_hint(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(with_((FAULT_WHEN, "    active_when: {metric: error_rate, abvoe: 3}\n")))
    result = tabletop("validate", str(path))
    assert result.returncode == 2
    assert f"{path}:33:39: unknown key 'abvoe' (did you mean 'above'?)" in result.stdout + \
        result.stderr


@pytest.mark.parametrize("word", ["yes", "true", "on", "no"])
def test_yes_or_true_is_not_a_number(word: str) -> None:
    """YAML reads 'rollback_minutes: yes' as a boolean, which pydantic took as 1: the file
    validated and the rollback took a minute. Now a located error that says why."""
    source = (Path(__file__).parent.parent / "scenarios" / "bad-deploy.yaml").read_text()
    assert "rollback_minutes: 7" in source and "replicas: 6" in source
    for key, value in (("rollback_minutes", "7"), ("replicas", "6")):
        broken = source.replace(f"{key}: {value}", f"{key}: {word}", 1)
        found = errors(broken)
        assert len(found) == 1 and "s.yaml:" in found[0], found
        shown = "false" if word == "no" else "true"
        assert f"{shown} is not a number" in found[0], found
        assert "write the number itself" in found[0]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('start_time: "10:20"', 'start_time: "25:99"',
     "'25:99' is not a time of day (write HH:MM, from 00:00 to 23:59)"),
    ("time_limit_minutes: 80", "time_limit_minutes: 1e9",
     "'1e9' is not a whole number (write digits only, such as 80; YAML reads 1e9 as text)"),
    ("rollback_minutes: 7", "rollback_minutes: seven",
     "'seven' is not a number (write digits, such as 7 or 2.5)"),
])
def test_wrong_forms_say_what_to_write(old: str, new: str, expected: str) -> None:
    """A facilitator's typo gets words, not a regular expression or 'unable to parse string'
    (YAML reads 1e9, without a dot, as text)."""
    source = (Path(__file__).parent.parent / "scenarios" / "bad-deploy.yaml").read_text()
    assert old in source
    found = errors(source.replace(old, new, 1))
    assert len(found) == 1 and found[0].startswith("s.yaml:") and found[0].endswith(expected), \
        found
