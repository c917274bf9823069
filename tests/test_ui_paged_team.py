"""People paged in are on the team line: on the way ("joining in N min"), then free or busy
like any responder; someone paged for nothing drops off it. The 80x24 rules still hold."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from helpers import drill_until
from rich.console import Console
from test_ui_screen import HEIGHT, channel_rows, draw
from ui_keys import START, abandon, pick, play_keys, text, top, wait

from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill
from simulator.ui.view import MIN_CHANNEL

pytestmark = pytest.mark.timeout(60)

PAGED = [Action("acknowledge"), Action("page", {"person": "sofia", "reason": "pricing"}),
         Action("page", {"person": "cdn-vendor"})]


def team_row(drill: Drill, lines: int) -> str:
    view = draw(drill, 80, lines)
    channel = channel_rows(view)
    assert len(channel) >= MIN_CHANNEL, "\n".join(view)
    assert len(view) == lines and max(len(r) for r in view) <= 80
    first = next(i for i, r in enumerate(view) if r.startswith("Team:"))
    end = next(i for i in range(first + 1, len(view) + 1)
               if i == len(view) or view[i].startswith(("Waiting", "Changes")))
    return " ".join(" ".join(view[first:end]).split())  # the unfolded line may wrap


@pytest.mark.parametrize("lines", [HEIGHT, HEIGHT - 3, 30])
def test_paged_people_are_shown_joining_then_free(lines: int) -> None:
    """At 80x24 (with or without a coaching tip) and on a taller screen."""
    on_the_way = drill_until("bad-deploy", PAGED, 3, seed=3)
    row = team_row(on_the_way, lines)
    due = on_the_way.engine.joins_at["sofia"]
    left = -(-(due - on_the_way.engine.now) // 60)
    assert f"Sofia joining in {left:g} min" in row, row
    assert "EdgeCache joining in" in row, row  # both on the way, the vendor too

    joined = drill_until("bad-deploy", PAGED, 16, seed=3)
    assert joined.engine.paged == {"sofia": "joined", "cdn-vendor": "left"}
    row = team_row(joined, lines)
    assert re.search(r"Sofia free|free: .*Sofia", row), row
    assert "EdgeCache" not in row  # paged for nothing: they looked and dropped off


def test_a_joined_person_at_work_shows_the_task() -> None:
    busy = drill_until("bad-deploy", [*PAGED, Action("wait", {"minutes": 7}),
                                      Action("delegate", {"responder": "sofia",
                                                          "investigation": "deploy-history"})],
                       9, seed=3)
    assert busy.engine.tasks["sofia"].until > busy.engine.now
    for lines in (HEIGHT, 30):
        row = team_row(busy, lines)
        assert re.search(r"Sofia (\S.* )?→\d\d:\d\d", row), row  # busy till then


def test_the_prompts_show_the_paged_owner_on_the_team_line(tmp_path: Path) -> None:
    """Played from the real menus at 80x24: page Sofia, the next view has her on the
    way; after six minutes she is on the team and free."""
    console = Console(file=StringIO(), width=80, height=24, color_system=None)
    keys = (START + top("coordinate") + pick(7) + pick(0) + text("pricing calls are slow")
            + wait(2) + wait(6) + abandon())
    play_keys(keys, tmp_path / "page.jsonl", scenario_id="bad-deploy", console=console)
    screens = console.file.getvalue()
    assert isinstance(screens, str)
    teams = [r for r in screens.splitlines() if r.startswith("Team:")]
    joining = [i for i, r in enumerate(teams) if re.search(r"Sofia joining in \d min", r)]
    joined = [i for i, r in enumerate(teams) if re.search(r"Sofia free|free: .*Sofia", r)]
    assert joining and joined and max(joining) < min(joined), "\n".join(teams)


def test_a_responder_who_starts_a_change_during_a_check_stays_busy() -> None:
    """Ravi is on the deploy history when he starts restarting catalog-api on his own; the
    check ends first, but he is still busy with the restart (the team line, and the
    engine's availability, said 'free' before)."""
    drill = drill_until("bad-deploy", [Action("acknowledge"), Action("delegate", {
        "responder": "ravi", "investigation": "deploy-history"})], 3.8, seed=3)
    done = [e for e in drill.journal.records if e.get("kind") == "investigation_done"]
    assert done and done[-1]["actor"] == "ravi"
    [restart] = [c for c in drill.engine.in_flight() if c.by == "ravi"]
    assert drill.engine.busy("ravi")
    assert f"Ravi restart catalog-api →{drill.engine.clock(drill.engine.tasks['ravi'].until)}" \
        in team_row(drill, 30)
    assert restart.title == "restart catalog-api"
