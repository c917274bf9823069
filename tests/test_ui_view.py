"""The incident view, rendered as plain text at fixed terminal sizes."""

from __future__ import annotations

from io import StringIO

import pytest
from helpers import drill_until
from rich.console import Console

from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill
from simulator.ui.prompts import MENU_ROWS
from simulator.ui.view import Budget, clock, hidden_news, render, sparkline

OPENING = [Action("acknowledge"), Action("declare", {"severity": "P2"}),
           Action("delegate", {"responder": "bob", "investigation": "payment-logs"}),
           Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "priya",
                                 "announcement": "Raising maxclients to 200."})]


def draw(drill: Drill, width: int, height: int = 24, color: bool = False) -> str:
    console = Console(file=StringIO(), width=width, height=height,
                      color_system="truecolor" if color else None, force_terminal=color)
    seen = len(drill.engine.channel)  # everything read: the view shows the newest that fit
    console.print(render(drill.engine, Budget(width, height - MENU_ROWS), seen))
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


@pytest.fixture(scope="module")
def mid() -> Drill:
    return drill_until("redis-saturation", OPENING, 4, seed=7)


def test_view_fits_80_columns_and_its_line_budget(mid: Drill) -> None:
    """At 80x24 every line fits and the view leaves room for the menu below it."""
    out = draw(mid, 80)
    rows = out.splitlines()
    assert max(len(r) for r in rows) <= 80
    assert len(rows) <= 24 - MENU_ROWS
    assert "T+04:" in rows[0] and "14:07 UTC" in rows[0] and "P2" in rows[0]
    assert "IC Alex (you)" in rows[0]


def test_view_shows_metrics_channel_team_stakeholders_changes(mid: Drill) -> None:
    """Every part of the picture is there, with out-of-SLO metrics marked by '!' (in a
    terminal tall enough that nothing needs folding)."""
    out = draw(mid, 80, height=40)
    assert "! Checkout error rate" in out and "≤1" in out and "0.1%" in out
    assert "  Redis connected clients" in out  # no SLO, never marked
    assert "Bob payment-service logs →14:07" in out and "Priya free" in out
    assert "Waiting for an update: Maria (leadership) 5 min · Sam (support) 5 min" in out
    assert "Changes: restart payment-service by Dave, done ~14:09" in out
    assert "1,051 ms" in out and "  114 " in out  # one number format; clients are whole
    assert "set redis.maxclients from 100 to 200 landed 14:06" in " ".join(out.split())
    assert "14:07 Dave Kim: starting to restart payment-service." in out


def test_waiting_line_reads_as_a_sentence_on_one_row(mid: Drill) -> None:
    """Who waits for news and for how long, on one 80-column row, without 'none in'."""
    rows = [r for r in draw(mid, 80, height=40).splitlines() if "Waiting" in r]
    assert rows == ["Waiting for an update: Maria (leadership) 5 min · Sam (support) 5 min"]


def test_wide_view_puts_the_channel_beside_the_metrics(mid: Drill) -> None:
    """At 120 columns the channel is a second column and shows more history."""
    narrow, wide = draw(mid, 80), draw(mid, 120)
    assert max(len(r) for r in wide.splitlines()) <= 120
    assert "Channel" in wide.splitlines()[1] and "ncident channel" not in wide
    assert "Sam (support) - first tickets" in wide and "first tickets" not in narrow
    assert "Raising maxclients to 200." in wide  # the announcement, in the channel


def test_unread_messages_that_do_not_fit_are_counted(mid: Drill) -> None:
    """New messages cut for space are counted; hidden_news lists them for the prompt."""
    console = Console(file=StringIO(), width=80, color_system=None)
    console.print(render(mid.engine, Budget(80, 16), new_since=0))
    out = console.file.getvalue()
    assert isinstance(out, str)
    hidden = hidden_news(mid.engine, Budget(80, 16), 0)
    assert 0 < len(hidden) < len(mid.engine.channel)
    assert hidden == mid.engine.channel[:len(hidden)]
    assert hidden_news(mid.engine, Budget(80, 16), len(mid.engine.channel) - 1) == []
    assert f"↑ {len(hidden)} new message(s) above the view" in out
    assert "14:07 Dave Kim: starting to restart payment-service." in out


def test_no_color_keeps_the_warning_marker(mid: Drill, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR strips colour codes, and the '!' still tells which metric is out of SLO."""
    assert "\x1b[" in draw(mid, 80, color=True)
    monkeypatch.setenv("NO_COLOR", "1")
    out = draw(mid, 80, color=True)
    assert "\x1b[3" not in out and "\x1b[9" not in out  # no foreground colours
    assert "! Checkout error rate" in out


def test_recovery_shows_in_the_sparkline() -> None:
    """After the fix lands the error-rate sparkline falls and the '!' goes away."""
    drill = drill_until("redis-saturation", OPENING, 12, seed=7)
    out = draw(drill, 80)
    line = next(r for r in out.splitlines() if "Checkout error rate" in r)
    assert not line.startswith("!")
    assert line.rstrip().endswith("▁") and "█" in line


def test_small_helpers() -> None:
    """The clock reads T+mm:ss; a sparkline scales between its bounds."""
    assert clock(605) == "T+10:05"
    assert sparkline([0, 5, 10], 0, 10) == "▁▅█"
    assert sparkline([3, 3], 3, 3) == "▁▁"


def test_a_stopped_change_is_shown_as_stopped_not_landed() -> None:
    """The IC stops Dave's restart before it lands (he says nothing changed): the Changes
    line must not claim it landed, and the coach must not call it settling."""
    from simulator.ui.coach import _moving
    drill = drill_until("redis-saturation", [
        Action("wait", {"minutes": 4.2}),
        Action("cancel_change", {"change": "restart:payment-service"})], 6, seed=7)
    assert "nothing had changed yet" in drill.engine.channel[-1]["text"]
    for width, height in ((80, 24), (80, 40), (130, 40)):
        out = draw(drill, width, height)
        changes = " ".join(out[out.index("Changes:"):].split("\n")[0].split())
        assert "restart payment-service" in changes and "stopped 14:0" in changes
        assert "landed" not in changes
    assert _moving(drill.engine) is None
