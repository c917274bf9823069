"""Per-participant grading: each person on the criteria of their role, and the team."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import tabletop

from scoring.rubric import load_rubric
from simulator.errors import InputError

TEAM = "ic=ana,comms=ben,ops=chen,ops=dee"


def _run(tmp_path: Path, bot: str, team: str | None = TEAM) -> Path:
    journal = tmp_path / f"{bot}.jsonl"
    extra = ["--team", team] if team else []
    done = tabletop("run", "redis-saturation", "--seed", "2", "--bot", bot, "--journal",
                    str(journal), "--quiet", *extra)
    assert done.returncode in (0, 1), done.stderr
    return journal


def _json(journal: Path, *extra: str) -> dict:
    done = tabletop("score", str(journal), "--format", "json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def hero(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(tmp_path_factory.mktemp("hero"), "hero")


def test_each_person_is_graded_on_their_roles_criteria(hero: Path) -> None:
    card = _json(hero)
    people = {p["name"]: p for p in card["participants"]}
    assert [(p["name"], p["role"]) for p in card["participants"]] == [
        ("ana", "ic"), ("ben", "comms"), ("chen", "ops"), ("dee", "ops")]
    roles = load_rubric().roles
    for person in people.values():
        assert [c["id"] for c in person["criteria"]] == roles[person["role"]]
    # the silent hero: the comms criteria are where the run fails
    assert people["ben"]["score"] < people["ana"]["score"]
    criteria = {c["id"]: c for c in card["criteria"]}
    ben = people["ben"]
    rated = [c for c in ben["criteria"] if c["rating"] != "N/A"]
    assert ben["score"] == round(100 * sum(c["points"] for c in rated)
                                 / sum(c["max_points"] for c in rated))
    assert all(c["rating"] == criteria[c["id"]]["rating"] for c in ben["criteria"])
    assert card["team"] == {"score": card["score"], "members": 4}
    # what each decided: changes by the ops owner, the IC coordinates
    assert people["chen"]["decisions"] > 0 and people["dee"]["decisions"] == 0
    assert sum(p["decisions"] for p in people.values()) == sum(
        1 for line in hero.read_text(encoding="utf-8").splitlines()
        if '"type":"decision"' in line and '"action":"wait"' not in line)


def test_reports_show_the_team_and_each_person(hero: Path, tmp_path: Path) -> None:
    for fmt, marker in (("md", "## The team and each person"),
                        ("html", "<h2>The team and each person</h2>"),
                        ("text", "each person on the criteria of their role")):
        done = tabletop("score", str(hero), "--format", fmt)
        assert done.returncode == 0, done.stderr
        assert marker in done.stdout, fmt
        assert "ben" in done.stdout and "comms.first-update" in done.stdout


def test_solo_reports_have_no_participants(tmp_path: Path) -> None:
    journal = _run(tmp_path, "expert", team=None)
    assert "participants" not in _json(journal)
    done = tabletop("score", str(journal), "--format", "md")
    assert "The team and each person" not in done.stdout


def test_a_hand_edited_team_name_is_escaped_in_html(hero: Path, tmp_path: Path) -> None:
    lines = hero.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["team"][1]["name"] = "<script>x</script>|b"
    edited = tmp_path / "edited.jsonl"
    edited.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    html = tabletop("score", str(edited), "--format", "html").stdout
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    md = tabletop("score", str(edited), "--format", "md").stdout
    row = next(line for line in md.splitlines() if "script" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # the name's pipe is escaped


def test_rubric_roles_are_checked_with_their_location(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("schema_version: 1\nextends: builtin\nroles:\n  comms: [comms.cadense]\n"
                    "  boss: [comms.cadence]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rubric(path)
    text = str(err.value)
    assert f"{path}:4:11: no criterion 'comms.cadense' for role 'comms'" in text
    assert "did you mean 'comms.cadence'?" in text
    assert f"{path}:5:" in text and "unknown role 'boss'" in text
    path.write_text("schema_version: 1\nextends: builtin\nroles:\n  comms: [comms.cadence]\n",
                    encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.roles["comms"] == ["comms.cadence"] and "ic" in rubric.roles


TWO_OPS = """\
- {action: declare, severity: P2}
- {action: freeze_changes}
- {action: post_update, audience: all, impact: "about 8% of checkouts fail",
   doing: "two responders on it", next_update_minutes: 10}
- {action: delegate, responder: bob, investigation: redis-health}
- {action: wait, minutes: 3}
- {action: restart, target: payment-service, by: dave, who: dee}
- {action: declare_resolved, message: "Fixed."}
- {action: wait, minutes: 3}
- {action: set_config, key: redis.maxclients, value: 200, by: priya, who: chen,
   announcement: "Priya raises redis maxclients to 200; watch the error rate"}
- {action: wait, minutes: 3}
- {action: note, text: "redis maxclients set to 200: checkout errors are falling", who: chen}
- {action: finish}
"""


def test_two_people_in_one_role_are_graded_on_their_own_changes(tmp_path: Path) -> None:
    """chen announces an informed config change, dee restarts blind and wipes the logs: the
    change criteria marked personal tell them apart, the rest they share; the IC alone
    carries the critical cap of a criterion of the IC's role."""
    plan = tmp_path / "two-ops.yaml"
    plan.write_text(TWO_OPS, encoding="utf-8")
    journal = tmp_path / "two-ops.jsonl"
    done = tabletop("run", "redis-saturation", "--seed", "7", "--decisions", str(plan),
                    "--team", TEAM, "--journal", str(journal), "--quiet", "--no-history")
    assert done.returncode in (0, 1), done.stderr
    card = _json(journal)
    people = {p["name"]: p for p in card["participants"]}
    chen = {c["id"]: c for c in people["chen"]["criteria"]}
    dee = {c["id"]: c for c in people["dee"]["criteria"]}
    personal = [c.id for c in load_rubric().criteria if c.personal]
    assert sorted(personal) == ["change.announced", "change.evidence-preserved",
                                "change.one-at-a-time"]
    assert all(chen[cid].get("own") and dee[cid].get("own") for cid in personal)
    assert chen["change.announced"]["rating"] == "P"  # announced, result logged
    assert dee["change.announced"]["rating"] in ("M", "U")  # never announced
    assert chen["change.evidence-preserved"]["rating"] == "P"
    assert dee["change.evidence-preserved"]["rating"] == "U"
    assert "evidence destroyed" in dee["change.evidence-preserved"]["reason"]
    shared = [cid for cid in chen if cid not in personal]
    assert shared and all(chen[cid]["rating"] == dee[cid]["rating"] for cid in shared)
    assert people["chen"]["score"] > people["dee"]["score"]
    team = {c["id"]: c["rating"] for c in card["criteria"]}
    assert team["change.evidence-preserved"] == "U"  # the team as a whole: dee's restart
    # the false all-clear caps the IC (resolve.verified is the IC's), nobody else
    assert "resolve.verified rated U" in card["critical_cap"]["by"]
    assert people["ana"]["cap"]["by"] == "resolve.verified rated U"
    # at most the cap, and below it the other lapses still count (process#critical-failures)
    assert people["ana"]["score"] <= 40 and people["ana"]["score"] < people["ana"]["cap"][
        "uncapped"]
    assert people["ben"]["score"] > 40
    assert all("cap" not in people[n] for n in ("ben", "chen", "dee"))
    md = tabletop("score", str(journal), "--format", "md").stdout
    row = next(line for line in md.splitlines() if line.startswith("| dee |"))
    assert "U `change.evidence-preserved`†" in row
    assert "judged on each person's own decisions" in md


def test_someone_who_ordered_no_change_is_not_rated_on_the_personal_criteria(hero: Path
                                                                             ) -> None:
    dee = next(p for p in _json(hero)["participants"] if p["name"] == "dee")
    personal = [c for c in dee["criteria"] if c.get("own")]
    assert personal and all(c["rating"] == "N/A" and c["max_points"] == 0 for c in personal)
    assert all(c["reason"] == "dee ordered no change" for c in personal)
