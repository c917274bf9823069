"""Every lever everywhere, people who react to the state, and the new conditions.

Each test edits the small scenario in tests/format_scenario.py and either validates it
(located errors) or plays it through the real engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.actions.catalogue import Action, choices
from simulator.errors import InputError
from simulator.format.loader import parse_scenario
from tests.format_scenario import MINI, with_, write
from tests.helpers import drill_until, events

SHIELD = ("effects: {error_rate: 20, latency_ms: 300}\n",
          "effects: {error_rate: 20, latency_ms: 300}\n"
          "    suppressed:\n      - {when: {flag: shield, state: \"off\"}, factor: 0}\n")
HELLO = "  - {id: hello, at_minutes: 1, source: bob, text: Bob is here.}\n"


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_scenario(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def last_values(drill) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return [r for r in drill.journal.records if r["type"] == "metrics"][-1]["values"]


def test_an_inject_can_switch_a_flag(tmp_path: Path) -> None:
    """`does: [{flag:, state:}]` on an inject switches the flag when it fires."""
    text = with_(SHIELD, (HELLO, "  - {id: hello, at_minutes: 1, source: bob, text: Bob is "
                          "here., does: [{flag: shield, state: \"off\"}]}\n"))
    drill = drill_until(write(tmp_path, text), [], 4)
    assert drill.engine.world.flag_state("shield", "all") == "off"
    assert last_values(drill)["error_rate"] < 2


def test_a_fix_can_switch_a_flag_and_set_config(tmp_path: Path) -> None:
    text = with_(SHIELD, ("injects:\n", "fixes:\n  - id: kill-switch\n    title: pull the "
                          "kill switch\n    minutes: 1\n    does:\n      - {flag: shield, "
                          "state: \"off\"}\n      - {config: api.timeout_ms, value: 200}\n"
                          "injects:\n"))
    drill = drill_until(write(tmp_path, text), [Action("apply_fix", {"fix": "kill-switch",
                                                                       "by": "bob"})], 4)
    assert drill.engine.world.flag_state("shield", "all") == "off"
    assert drill.engine.world.config["api.timeout_ms"] == 200


@pytest.mark.parametrize(("npc", "check"), [
    ('{by: eve, flag: shield, state: "off"}',
     lambda w: w.flag_state("shield", "all") == "off"),
    ("{by: eve, config: api.timeout_ms, value: 50}", lambda w: w.config["api.timeout_ms"] == 50),
    ("{by: eve, rollback: api}", lambda w: w.versions["api"] == "v1"),
    ("{by: eve, restart: db}", lambda w: "restarted.db" in w.facts),
])
def test_a_responder_acts_on_their_own_with_any_lever(tmp_path: Path, npc: str, check) -> None:  # type: ignore[no-untyped-def]
    text = with_((HELLO, "  - {id: hello, at_minutes: 1, source: eve, text: Doing it., "
                  f"unless: {{fact: changes-frozen}}, npc_action: {npc}}}\n"))
    drill = drill_until(write(tmp_path, text), [], 8)
    started = events(drill, "change_started")
    assert started and started[0]["actor"] == "eve"
    assert check(drill.engine.world)
    frozen = drill_until(write(tmp_path, text), [Action("freeze_changes")], 8)
    assert not events(frozen, "change_started")


def test_a_flag_rationale_justifies_one_direction_only(tmp_path: Path) -> None:
    """`state: "off"` on a flag rationale: turning it off is informed, on is a hunch."""
    text = with_(("injects:\n", "rationale:\n  - {change: \"flag:shield\", informed_by: "
                  "[release-bad], state: \"off\"}\ninjects:\n"))
    path = write(tmp_path, text)
    opening = [Action("delegate", {"responder": "bob", "investigation": "deploys"}),
               Action("wait", {"minutes": 2})]
    off = drill_until(path, [*opening, Action("toggle_flag", {"flag": "shield", "state": "off",
                                                              "by": "eve"})], 5)
    assert events(off, "change_started")[0]["data"]["informed"] is True
    on = drill_until(path, [*opening,
                            Action("toggle_flag", {"flag": "shield", "state": "off", "by": "eve"}),
                            Action("wait", {"minutes": 2}),
                            Action("toggle_flag", {"flag": "shield", "state": "on", "by": "eve"})
                            ], 8)
    assert [e["data"]["informed"] for e in events(on, "change_started")] == [True, False]


def test_a_flag_can_wait_for_a_condition_and_take_longer_meanwhile(tmp_path: Path) -> None:
    """`available_when` hides the flag; `minutes_when` makes the toggle slower."""
    text = with_(("      toggle_minutes: 1\n", "      toggle_minutes: 1\n"
                  "      available_when: {after_minutes: 2}\n"
                  "      minutes_when:\n        - {when: {service: api, version: v2}, "
                  "minutes: 5}\n"))
    early = drill_until(write(tmp_path, text), [], 0.5)
    assert choices(early.engine, "toggle_flag")["flag"] == []
    drill = drill_until(write(tmp_path, text), [
        Action("wait", {"minutes": 2}),
        Action("toggle_flag", {"flag": "shield", "state": "off", "by": "eve"})], 9)
    started = events(drill, "change_started")[0]
    assert started["data"]["expected_minutes"] == 5
    assert events(drill, "change_applied")[0]["t"] - started["t"] == 300


@pytest.mark.parametrize(("old", "new", "message"), [
    (HELLO, "  - {id: hello, source: bob, text: x, npc_action: {by: bob, restart: db, "
     "rollback: api}}\n", "npc_action needs exactly one lever (found restart, rollback)"),
    (HELLO, "  - {id: hello, source: bob, text: x, npc_action: {by: bob, flag: shield}}\n",
     "'flag' needs 'state'"),
    (HELLO, "  - {id: hello, source: bob, text: x, npc_action: {by: bob, flag: shild, "
     "state: \"on\"}}\n", "unknown feature flag 'shild' (did you mean 'shield'?)"),
    (HELLO, "  - {id: hello, source: bob, text: x, does: [{flag: shield, state: \"on\", "
     "segment: eu}]}\n", "flag 'shield' has no segment 'eu'"),
    (HELLO, "  - {id: hello, source: bob, text: x, does: [{config: api.timeout}]}\n",
     "unknown config key 'api.timeout'"),
    ("injects:\n", "rationale:\n  - {change: \"config:api.timeout_ms\", informed_by: "
     "[release-bad], state: \"off\"}\ninjects:\n", "'state' justifies a flag direction"),
    ("injects:\n", "rationale:\n  - {change: \"flag:shield\", informed_by: [release-bad], "
     "value_below: 3}\ninjects:\n", "'value_below' limits a config value, but 'flag:shield' "
     "is not a config change (remove it, or use 'state:' for a flag)"),
])
def test_levers_are_cross_checked_at_their_line(old: str, new: str, message: str) -> None:
    text = with_((old, new))
    found = errors(text)
    assert any(message in p for p in found), found
    entry = next(x for x in new.splitlines() if x.startswith("  - "))
    line = text[: text.index(entry)].count("\n") + 1
    assert all(p.startswith(f"s.yaml:{line}:") for p in found if message in p), found


def test_inject_text_depends_on_the_state(tmp_path: Path) -> None:
    """`text_when`: the first variant whose condition holds when it fires is posted."""
    text = with_((HELLO, "  - id: hello\n    at_minutes: 6\n    source: bob\n"
                  "    text: Is this an attack?\n    text_when:\n"
                  "      - {when: {metric: error_rate, below: 2}, text: Looks calm now.}\n"))
    path = write(tmp_path, text)
    sick = drill_until(path, [], 7)
    assert events(sick, "inject")[0]["text"] == "Is this an attack?"
    healed = drill_until(path, [Action("rollback", {"service": "api", "by": "bob"})], 7)
    assert events(healed, "inject")[0]["text"] == "Looks calm now."


def test_stakeholders_ask_by_state_and_go_quiet(tmp_path: Path) -> None:
    """`asks_when` varies the question; `quiet_when` stops it (tickets stop with errors)."""
    text = with_(("asks: What do we tell customers?}",
                  "asks: What do we tell customers?,\n"
                  "       asks_when: [{when: {service: api, version: v1}, text: Is it fixed?}],\n"
                  "       quiet_when: {metric: error_rate, below: 2}}"))
    path = write(tmp_path, text)
    sick = drill_until(path, [], 6)
    assert [e["text"] for e in events(sick, "stakeholder_ping")] == [
        "Sam (support lead): What do we tell customers?"]
    healed = drill_until(path, [Action("rollback", {"service": "api", "by": "bob"})], 20)
    assert not events(healed, "stakeholder_ping")
    asked = with_(("asks: What do we tell customers?}",
                   "asks: What do we tell customers?,\n"
                   "       asks_when: [{when: {service: api, version: v1}, text: Is it fixed?}]}"))
    drill = drill_until(write(tmp_path, asked), [Action("rollback", {"service": "api",
                                                                      "by": "bob"})], 6)
    assert events(drill, "stakeholder_ping")[0]["text"].endswith("Is it fixed?")


def test_metric_below_for_minutes(tmp_path: Path) -> None:
    """`for_minutes`: the inject waits until every sample for that long is below."""
    text = with_((HELLO, "  - {id: hello, source: bob, text: Calm for three minutes., "
                  "when: {metric: error_rate, below: 2, for_minutes: 3}}\n"))
    drill = drill_until(write(tmp_path, text), [
        Action("rollback", {"service": "api", "by": "bob"})], 15)
    fired = events(drill, "inject")[0]["t"]
    samples = [(r["t"], r["values"]["error_rate"]) for r in drill.journal.records
               if r["type"] == "metrics"]
    calm_from = next(t for t, v in samples if v < 2)
    assert fired == calm_from + 180


def test_no_update_to_an_audience(tmp_path: Path) -> None:
    """`{no_update_for_minutes: N, audience: A}` counts updates to A or to all only."""
    text = with_((HELLO, "  - {id: hello, source: sam, text: Support heard nothing., "
                  "when: {no_update_for_minutes: 4, audience: support}}\n"))
    path = write(tmp_path, text)
    update = {"impact": "errors", "doing": "looking", "next_update_minutes": 30}
    other = drill_until(path, [Action("post_update", {"audience": "leadership", **update})], 6)
    assert events(other, "inject")
    served = drill_until(path, [Action("wait", {"minutes": 2}),
                                Action("post_update", {"audience": "support", **update})], 5)
    assert not events(served, "inject")


def test_a_service_that_cannot_be_restarted(tmp_path: Path) -> None:
    text = with_(("      rollback_minutes: 3\n", "      rollback_minutes: 3\n"
                  "      restartable: false\n"))
    drill = drill_until(write(tmp_path, text), [], 0)
    assert choices(drill.engine, "restart")["target"] == ["db"]
    found = errors(with_(("      rollback_minutes: 3\n", "      rollback_minutes: 3\n"
                          "      restartable: false\n"),
                         (HELLO, "  - {id: hello, source: bob, text: x, npc_action: "
                          "{by: bob, restart: api}}\n")))
    assert any("unknown restart target 'api'" in p for p in found), found


def test_the_mini_scenario_is_valid() -> None:
    assert parse_scenario(MINI, "m.yaml").id == "mini"


def test_built_in_stakeholders_stop_asking_about_failures_once_users_are_served() -> None:
    """After recovery, support asks whether agents can say it is over, not about new tickets."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "priya"})], 40)
    recovered = events(drill, "recovered")[0]["t"]
    sam = [e for e in events(drill, "stakeholder_ping") if e["actor"] == "sam"]
    late = [e for e in sam if e["t"] > recovered]
    assert late and all("stopped coming in" in e["text"] for e in late)
    failing = drill_until("redis-saturation", [Action("freeze_changes")], 25)
    sam = [e for e in events(failing, "stakeholder_ping") if e["actor"] == "sam"]
    assert sam and all("keep coming in" in e["text"] for e in sam)


def test_a_responder_reacts_to_the_ic_s_change(tmp_path: Path) -> None:
    """`{change: flag:shield, state: "on"}`: Eve pushes back once the IC switches it back on."""
    text = with_((HELLO, "  - {id: hello, source: eve, text: Eve - are you sure? Errors "
                  "were only hidden., when: {change: \"flag:shield\", state: \"on\"}}\n"
                  "  - {id: landed, source: eve, text: Eve - it is in., "
                  "when: {change: \"flag:shield\", is: applied}}\n"))
    path = write(tmp_path, text)
    off = drill_until(path, [Action("toggle_flag", {"flag": "shield", "state": "off",
                                                    "by": "bob"})], 5)
    assert [e["data"]["id"] for e in events(off, "inject")] == ["landed"]
    back = drill_until(path, [
        Action("toggle_flag", {"flag": "shield", "state": "off", "by": "bob"}),
        Action("wait", {"minutes": 2}),
        Action("toggle_flag", {"flag": "shield", "state": "on", "by": "bob"})], 6)
    assert [e["data"]["id"] for e in events(back, "inject")] == ["landed", "hello"]
    found = errors(with_((HELLO, "  - {id: hello, source: eve, text: x, when: {change: "
                          "\"flag:sheild\"}}\n")))
    assert any("unknown flag 'sheild' (did you mean 'shield'?)" in p for p in found), found
    found = errors(with_((HELLO, "  - {id: hello, source: eve, text: x, when: {change: "
                          "\"rollback:api\", state: \"on\"}}\n")))
    assert any("'state' narrows a flag change" in p for p in found), found
