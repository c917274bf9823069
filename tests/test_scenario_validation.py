"""Scenario validation: structure, cross-references, located messages, exit status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.format.loader import builtin_dir, builtin_ids, load_scenario, parse_scenario

REDIS = (builtin_dir() / "redis-saturation.yaml").read_text(encoding="utf-8")
LOCATED = re.compile(r"^s\.yaml:\d+:\d+: ")


def errors_for(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_scenario(text, "s.yaml")
    found = [str(p) for p in info.value.problems]
    assert found and all(LOCATED.match(p) for p in found), found
    return found


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_every_shipped_scenario_is_valid(scenario_id: str) -> None:
    """The built-in scenarios validate, with a content hash for the journal."""
    scenario, ref = load_scenario(scenario_id)
    assert scenario.id == scenario_id
    assert len(ref["sha256"]) == 64


def test_unknown_key_gets_did_you_mean() -> None:
    """A misspelt key is refused at its own line with the closest accepted key."""
    text = REDIS.replace("expected_minutes: 25", "expected_minuts: 25")
    found = errors_for(text)
    line = line_of(text, "expected_minuts")
    assert f"s.yaml:{line}:1: unknown key 'expected_minuts' (did you mean 'expected_minutes'?)" \
        in found


def test_nested_unknown_key_gets_did_you_mean() -> None:
    """Inside a list item the hint comes from that item's model."""
    text = REDIS.replace("      rollback_minutes: 5\n", "      rollbak_minutes: 5\n")
    found = errors_for(text)
    assert any("unknown key 'rollbak_minutes' (did you mean 'rollback_minutes'?)" in p
               for p in found)


def test_missing_key_and_wrong_type_are_reported_together() -> None:
    """All problems are listed at once, not one per run."""
    text = REDIS.replace("title: Checkout failing after a payment-service release\n", "")
    text = text.replace("expected_minutes: 25", "expected_minutes: soon")
    found = errors_for(text)
    assert any("missing required key 'title'" in p for p in found)
    assert any(p.startswith(f"s.yaml:{line_of(text, 'expected_minutes')}:")
               and "not a whole number" in p for p in found)


def test_bad_condition_key_is_explained() -> None:
    """A condition with no known key lists the keys a condition can have."""
    text = REDIS.replace("- {service: payment-service, version: v2.4.1}",
                         "- {servic: payment-service, version: v2.4.1}", 1)
    found = errors_for(text)
    assert any("a condition needs one of the keys: service" in p for p in found)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      checkout_error_rate: 7.9\n", "      checkout_eror_rate: 7.9\n",
         "unknown metric 'checkout_eror_rate' (did you mean 'checkout_error_rate'?)"),
        ("- {service: payment-service, version: v2.4.1}\n        - {config: redis.maxclients, ab",
         "- {service: payment-service, version: v9}\n        - {config: redis.maxclients, ab",
         "service 'payment-service' never runs version 'v9'"),
        ("available_when: {known: redis-refused}", "available_when: {known: redis-refusd}",
         "unknown finding 'redis-refusd' (did you mean 'redis-refused'?)"),
        ("npc_action: {by: dave, restart: payment-service}",
         "npc_action: {by: dav, restart: payment-service}",
         "unknown person 'dav' (did you mean 'dave'?)"),
        ("  - change: config:redis.maxclients", "  - change: config:redis.maxclient",
         "unknown config 'redis.maxclient' (did you mean 'redis.maxclients'?)"),
        ("    - {action: set_config, key: redis.maxclients, value: 200, by: priya}",
         "    - {action: set_konfig, key: redis.maxclients, value: 200, by: priya}",
         "unknown action 'set_konfig' (did you mean 'set_config'?)"),
        ("  metrics: [checkout_error_rate, checkout_p95_ms]",
         "  metrics: [checkout_error_rate, checkout_p99_ms]", "unknown metric 'checkout_p99_ms'"),
    ],
)
def test_cross_references_are_checked(old: str, new: str, message: str) -> None:
    """Every id a scenario mentions must exist; the message names the nearest real one."""
    assert old in REDIS
    text = REDIS.replace(old, new)
    found = errors_for(text)
    assert any(message in p for p in found), found


def test_cross_reference_problem_points_at_its_line() -> None:
    """The location is the line that holds the bad reference."""
    text = REDIS.replace("available_when: {known: redis-refused}",
                         "available_when: {known: redis-refusd}")
    found = errors_for(text)
    assert found[0].startswith(f"s.yaml:{line_of(text, 'available_when: {known: redis-refusd}')}:")


def test_duplicate_ids_are_refused() -> None:
    """Two investigations with one id cannot both be referenced."""
    text = REDIS.replace("  - id: database-metrics", "  - id: payment-logs")
    assert any("duplicate id 'payment-logs'" in p for p in errors_for(text))


def test_schema_version_is_required() -> None:
    """A file from another format version says which version this tool reads."""
    found = errors_for(REDIS.replace("schema_version: 1", "schema_version: 2"))
    assert found == ["s.yaml:1:1: schema_version must be 1 (found 2) "
                     "(this tool reads schema_version 1 scenario files)"]


def test_unquoted_colon_in_text_gets_a_hint() -> None:
    """The classic YAML trap (a colon in prose) is explained."""
    text = REDIS.replace("  - Run BLAST before touching anything; find the recent change.",
                         "  - Run BLAST first: find the recent change.")
    assert any("quote the text" in p for p in errors_for(text))


def test_a_list_is_not_a_scenario() -> None:
    """A document of the wrong shape is refused with a hint."""
    assert errors_for("- a\n- b\n")[0].startswith("s.yaml:1:1: a scenario must be a mapping")


def test_unknown_scenario_name_lists_the_builtins(tmp_path: Path) -> None:
    """A name that is neither an id nor a file lists the ids."""
    with pytest.raises(InputError, match="redis-saturation"):
        load_scenario("redis-saturaton")
