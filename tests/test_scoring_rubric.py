"""The rubric: the built-in one is sound, and a facilitator's file is validated with places."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scoring_helpers import played

from scoring.checks import CHECKS
from scoring.grader import grade
from scoring.rubric import load_rubric
from simulator.errors import InputError
from simulator.format.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_rubric(path)
    return [str(p) for p in info.value.problems]


def test_builtin_rubric_weights_add_up_to_100() -> None:
    """The built-in weights read as percentages; occasional criteria (a handover) come on
    top, only in the runs where their moment happens."""
    criteria = load_rubric().criteria
    assert sum(c.weight for c in criteria if not c.occasional) == 100
    assert {c.id for c in criteria if c.occasional} == {"command.handover"}


def test_builtin_rubric_covers_the_issue_criteria() -> None:
    """Every principle the issue names has a criterion."""
    ids = {c.id for c in load_rubric().criteria}
    assert {"command.declare-early", "command.severity", "orient.blast-first",
            "mitigate.stabilise-first", "mitigate.rollback-considered", "change.one-at-a-time",
            "change.announced", "change.evidence-preserved", "roles.ic-coordinates",
            "comms.first-update", "comms.cadence", "comms.update-content", "comms.audience",
            "resolve.verified", "resolve.message", "postmortem.complete",
            "postmortem.blameless"} <= ids


def test_every_section_is_an_anchor_in_the_process_doc() -> None:
    """Each criterion links to an anchor that exists in docs/process.md."""
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (ROOT / "docs/process.md").read_text()))
    missing = [c.id for c in load_rubric().criteria if c.section not in anchors]
    assert not missing


def test_every_check_is_used_by_the_builtin_rubric() -> None:
    """No check mechanism is dead code."""
    assert {c.check for c in load_rubric().criteria} == set(CHECKS)


def test_scenario_inject_objectives_name_real_criteria() -> None:
    """An inject's objective in a rubric area (comms., change., ...) is a real criterion id."""
    from simulator.format.loader import builtin_ids

    ids = {c.id for c in load_rubric().criteria}
    areas = {i.split(".")[0] for i in ids}
    unknown = {(sid, inject.objective) for sid in builtin_ids()
               for inject in load_scenario(sid)[0].injects
               if inject.objective.split(".")[0] in areas and inject.objective not in ids}
    assert not unknown


def test_unknown_key_is_located_with_a_hint(tmp_path: Path) -> None:
    """A typo in a criterion key is reported at its line and column with a suggestion."""
    path = write(tmp_path, "schema_version: 1\ncriteria:\n  - id: a.b\n    title: T\n"
                 "    section: x\n    weight: 5\n    check: first_update\n    advice: a\n"
                 "    keep: k\n    wieght: 3\n")
    found = problems(path)
    assert any(f"{path}:10:5: unknown key 'wieght'" in p and "did you mean 'weight'" in p
               for p in found), found


def test_unknown_check_threshold_and_placeholder_are_reported(tmp_path: Path) -> None:
    """Cross-checks: the check must exist, and its thresholds and placeholders too."""
    path = write(tmp_path, "schema_version: 1\ncriteria:\n  - id: a.b\n    title: T\n"
                 "    section: x\n    weight: 5\n    check: first_updat\n    advice: a\n"
                 "    keep: k\n  - id: a.c\n    title: T\n    section: x\n    weight: 5\n"
                 "    check: first_update\n    thresholds: {q: 3}\n    advice: 'at {nope}'\n"
                 "    keep: k\n")
    found = "\n".join(problems(path))
    assert f"{path}:7:5: unknown check 'first_updat' (did you mean 'first_update'?)" in found
    assert f"{path}:15:18: unknown threshold 'q'" in found
    assert "unknown placeholder '{nope}' in advice" in found


def test_extends_reports_unknown_criterion_ids(tmp_path: Path) -> None:
    """A change to a criterion that does not exist names the closest one."""
    path = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                 "  - {id: comms.first-updte, weight: 3}\n")
    assert problems(path) == [f"{path}:4:6: no built-in criterion 'comms.first-updte' "
                              "(did you mean 'comms.first-update'?)"]


def test_wrong_schema_version_and_bad_weight(tmp_path: Path) -> None:
    """Version and value errors are located too."""
    assert problems(write(tmp_path, "schema_version: 2\ncriteria: []\n"))[0].startswith(
        f"{tmp_path / 'rubric.yaml'}:1:1: schema_version must be 1")
    bad = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                "  - {id: comms.cadence, weight: -1}\n")
    assert any(":4:" in p and "greater than or equal to 0" in p for p in problems(bad))


def test_switching_off_and_reweighting_changes_the_score(tmp_path: Path) -> None:
    """A facilitator can switch a criterion off and move a threshold."""
    journal = played("redis-saturation", "silent", 1)
    scenario = load_scenario("redis-saturation")[0]
    base = grade(journal, scenario, compare=False)
    path = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                 "  - {id: comms.first-update, enabled: false}\n"
                 "  - {id: comms.cadence, enabled: false}\n"
                 "  - {id: command.declare-early, thresholds: {p: 0.1, s: 0.2, m: 0.3}}\n")
    card = grade(journal, scenario, load_rubric(path), compare=False)
    ids = [c.id for c in card.criteria]
    assert "comms.first-update" not in ids and "comms.cadence" not in ids
    assert card.score > base.score


def test_tighter_threshold_lowers_the_rating(tmp_path: Path) -> None:
    """A threshold changed in the rubric changes the rating the same run gets."""
    journal = played("redis-saturation", "expert", 1)
    scenario = load_scenario("redis-saturation")[0]
    path = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                 "  - {id: command.declare-early, thresholds: {p: 0.2, s: 0.5}}\n")
    card = grade(journal, scenario, load_rubric(path), compare=False)
    assert {c.id: c.rating for c in card.criteria}["command.declare-early"] == "M"


def test_critical_failure_caps_the_total_and_says_so(tmp_path: Path) -> None:
    """A criterion marked critical caps the total when it fails; `critical: {}` lifts it."""
    journal = played("redis-saturation", "silent", 1)
    scenario = load_scenario("redis-saturation")[0]
    plain = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n" + "".join(
        f"  - {{id: {c.id}, critical: {{}}}}\n" for c in load_rubric().criteria))
    uncapped = grade(journal, scenario, load_rubric(plain), compare=False)
    assert uncapped.cap is None and uncapped.score > 10
    capped = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                   "  - {id: comms.first-update, critical: {M: 10}}\n")
    card = grade(journal, scenario, load_rubric(capped), compare=False)
    assert {c.id: c.rating for c in card.criteria}["comms.first-update"] == "U"
    assert card.score <= 10  # a cap named for M holds for U too
    # below the cap the other lapses still count: the silent run lost nearly everything
    assert card.score < 10
    assert "Critical failure: comms.first-update rated U caps the score at 10" in card.coverage
    assert card.as_dict()["critical_cap"]["uncapped"] > 10


def test_builtin_critical_criteria() -> None:
    """The built-in rubric caps a false all-clear and no workaround on evidence."""
    caps = {c.id: dict(c.critical) for c in load_rubric().criteria if c.critical}
    assert caps == {"mitigate.stabilise-first": {"U": 55},
                    "resolve.verified": {"M": 70, "U": 40}}


def test_critical_caps_are_validated(tmp_path: Path) -> None:
    """A cap outside 0-100, or one rising from M to U, is refused with its place."""
    path = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                 "  - {id: comms.cadence, critical: {M: 50, U: 60}}\n")
    found = problems(path)
    assert any(":4:" in p and "a worse rating has a higher cap" in p for p in found), found
    path = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                 "  - {id: comms.audience, critical: {U: 150}}\n")
    found = problems(path)
    assert any(":4:" in p and "less than or equal to 100" in p for p in found), found
    path = write(tmp_path, "schema_version: 1\nextends: builtin\ncriteria:\n"
                 "  - {id: comms.first-update, critical: {P: 50}}\n")
    assert any(":4:" in p and "'P' is not allowed here" in p for p in problems(path))


def test_below_a_cap_every_other_lapse_still_counts(tmp_path: Path) -> None:
    """Two runs with the same critical failure and different care elsewhere get different
    scores: the cap is what a run perfect apart from it gets, and the rest scales down
    from there (a flat cap gave both the same 55)."""
    from calibration_corpus import CORPUS, expectation, play

    careful = play(expectation(CORPUS / "redis-saturation--chases-the-database.yaml"),
                   tmp_path)
    careless = play(expectation(CORPUS / "redis-saturation--blind-config-changes.yaml"),
                    tmp_path)
    assert careful.ratings["mitigate.stabilise-first"] == "U"
    assert careless.ratings["mitigate.stabilise-first"] == "U"
    assert careless.score < careful.score <= 55, (careless.score, careful.score)
