"""The screen at 80x24: the channel keeps five rows, numbers read the same everywhere,
noise draws flat, and the briefing is wrapped by the terminal, not by the YAML file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from helpers import drill_until
from rich.console import Console

from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill
from simulator.engine.numbers import metric_value, number, quantity
from simulator.format.loader import builtin_ids, load_scenario
from simulator.format.scenario import Metric
from simulator.players.bots import make_bot
from simulator.ui.briefing import reflow
from simulator.ui.prompts import MENU_ROWS
from simulator.ui.view import MIN_CHANNEL, Budget, metric_spark, render

HEIGHT = 24 - MENU_ROWS  # the rows the view gets above the main menu at 80x24


def draw(drill: Drill, width: int, lines: int, new_since: int | None = None) -> list[str]:
    console = Console(file=StringIO(), width=width, color_system=None)
    seen = len(drill.engine.channel) if new_since is None else new_since
    console.print(render(drill.engine, Budget(width, lines), seen))
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out.splitlines()


def channel_rows(view: list[str]) -> list[str]:
    """The rows between the channel rule (or, folded away, the metrics) and the team line,
    padding included."""
    end = next(i for i, r in enumerate(view) if r.startswith("Team:"))
    rule = [i for i, r in enumerate(view) if r.startswith("── channel ──")]
    if rule:
        return view[rule[0] + 1:end]
    start = next(i for i, r in enumerate(view)
                 if i and re.match(r"\d\d:\d\d |↑|\(the channel", r))
    return view[start:end]


STATES = [(scenario_id, minutes) for scenario_id in builtin_ids() for minutes in (0, 3, 9, 16)]


@pytest.mark.parametrize(("scenario_id", "minutes"), STATES)
@pytest.mark.parametrize("tip_rows", [0, 3])
def test_channel_keeps_five_rows_at_80x24(scenario_id: str, minutes: int, tip_rows: int
                                          ) -> None:
    """Every built-in scenario, early and late, with or without a coaching tip under the
    view: the channel gets at least five rows, and the view fills its space exactly."""
    drill = drill_until(scenario_id, [Action("acknowledge")], minutes, seed=3)
    lines = HEIGHT - tip_rows
    for unread in (len(drill.engine.channel), 0):  # all read; nothing read yet
        view = draw(drill, 80, lines, unread)
        assert len(view) == lines and max(len(r) for r in view) <= 80
        channel = channel_rows(view)
        assert len(channel) >= MIN_CHANNEL, "\n".join(view)
        written = [r for r in channel if r.strip()]
        assert written, "\n".join(view)
        if written[0].startswith("↑"):  # never the only channel line
            assert len(written) >= 2, "\n".join(view)
        if len(written) < len(channel) and not written[0].startswith("↑"):
            # blank rows only once the whole channel is shown
            oldest = drill.engine.channel[0]
            assert written[0].startswith(drill.engine.clock(oldest["t"])), "\n".join(view)


def test_spare_rows_show_the_start_of_an_older_entry() -> None:
    """Rows the newest entries leave free show the next older entry, cut with '…'."""
    drill = drill_until("redis-saturation", [Action("acknowledge")], 9, seed=3)
    for lines in range(10, HEIGHT + 1):
        channel = channel_rows(draw(drill, 80, lines))
        assert all(row.strip() for row in channel), channel


def test_folding_keeps_what_matters_when_space_is_short() -> None:
    """In the folded layout the team and the changes in flight are still on screen, and
    the metrics left out are counted in the column title."""
    drill = drill_until("failed-batch-job", [Action("acknowledge")], 9, seed=3)
    view = draw(drill, 80, HEIGHT - 3)
    text = "\n".join(view)
    assert any(r.startswith("Team: ") for r in view)
    assert any(r.startswith("Changes: ") and "│ Waiting: Hannah 9 min" in r for r in view)
    assert "none in" not in text
    assert "! Report views wrong or broken" in text  # out of SLO: never folded away


def test_wide_terminal_keeps_everything_unfolded() -> None:
    """At 120 columns the channel is a column of its own and nothing is folded."""
    drill = drill_until("redis-saturation", [Action("acknowledge")], 9, seed=3)
    view = draw(drill, 120, HEIGHT)
    assert max(len(r) for r in view) <= 120
    assert "Channel" in view[1] and "metric" in view[1]
    assert any("Waiting for an update: Maria (leadership) 9 min" in r for r in view)


def test_one_number_format() -> None:
    """Thousands separated, decimals only where they matter, a space before units but %."""
    assert quantity(3317.48, "ms") == "3,317 ms"
    assert quantity(8.0, "%") == "8%" and quantity(5.484, "%") == "5.48%"
    assert quantity(57.63, "ms") == "57.6 ms" and quantity(0.1, "%") == "0.1%"
    assert number(113.7, whole=True) == "114" and number(0) == "0"
    clients = Metric(id="c", title="Clients", baseline=38, whole=True)
    assert metric_value(clients, 37.6) == "38"


def test_reopen_message_uses_the_shared_format() -> None:
    """A premature resolve is reopened with the value written like the view writes it."""
    scenario, ref = load_scenario("redis-saturation")
    drill = Drill(scenario, ref, 7, None, {})
    drill.run(make_bot("premature"))
    reopened = [r for r in drill.journal.records if r.get("kind") == "reopened"]
    assert reopened, "the premature bot's resolve should be reopened"
    text = reopened[0]["text"]
    assert re.search(r"SLO (again )?at \d[\d,]*(\.\d+)?( ms|%)", text), text
    assert not re.search(r"\d{4}|\.\d{3}", text), text


def test_sparkline_of_noise_is_flat() -> None:
    """A metric that moved less than 2% of its baseline draws one flat line; noise within
    the declared noise moves it a notch at most; a real rise still fills the height."""
    cpu = Metric(id="cpu", title="CPU", unit="%", baseline=300, noise=2)
    assert len(set(metric_spark(cpu, [300, 304, 299, 302, 301]))) == 1
    db = Metric(id="db", title="DB", unit="ms", baseline=40, noise=3)
    jitter = metric_spark(db, [40, 44, 37, 42, 39, 45, 38, 41])
    assert len(set(jitter)) >= 2 and "█" not in jitter
    rise = metric_spark(db, [40, 41, 60, 90, 120, 150, 150, 150])
    assert rise[0] == "▁" and rise[-1] == "█"


def test_reflow_joins_lines_and_keeps_paragraphs() -> None:
    assert reflow("one\ntwo  three\n\nfour\n") == "one two three\n\nfour"


def test_show_wraps_the_briefing_to_the_terminal() -> None:
    """`tabletop show` no longer breaks lines where the YAML file did."""
    scenario = load_scenario("failed-batch-job")[0]
    broken = [line for line in scenario.briefing.splitlines() if line.strip()]
    assert len(broken) > 1  # the file wraps its prose
    result = subprocess.run([sys.executable, "-m", "simulator", "show", "failed-batch-job"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "400"})
    assert result.returncode == 0, result.stderr
    assert reflow(scenario.briefing).split("\n\n")[0] in result.stdout


def test_show_hangs_a_long_objective_under_its_own_text() -> None:
    """At 80 columns a learning objective that wraps continues under its text, not at the
    panel's edge under the bullet."""
    result = subprocess.run([sys.executable, "-m", "simulator", "show", "bad-deploy"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    first = next(i for i, r in enumerate(rows) if "• Roll back a recent release" in r)
    wrapped = rows[first + 1]
    assert wrapped.startswith("│     ") and "after." in wrapped, rows[first:first + 2]
    assert max(len(r) for r in rows) <= 80
