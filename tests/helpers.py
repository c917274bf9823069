"""Helpers shared by the tests: run drills in memory, pick events, run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill, Situation
from simulator.format.loader import load_scenario


class ListDecider:
    """Plays given actions in order, then waits a minute at a time (for engine tests)."""

    name = "test"

    def __init__(self, actions: list[Action], then_wait: bool = True) -> None:
        self.actions = list(actions)
        self.then_wait = then_wait

    def decide(self, situation: Situation) -> Action:
        if situation.closing:
            return Action("finish")
        if self.actions:
            return self.actions.pop(0)
        return Action("wait", {"minutes": 1})


def drill_until(scenario_id: str, actions: list[Action], minutes: float, seed: int = 1
                ) -> Drill:
    """Play `actions` then wait until T+`minutes`; returns the drill (journal in memory)."""
    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, seed, None)
    decider = ListDecider(actions)
    drill.start()
    while True:
        drill.advance()
        if drill.phase == "ended" or drill.engine.now >= minutes * 60:
            return drill
        drill.submit(decider.decide(drill.situation()))


def events(drill: Drill, kind: str) -> list[dict[str, Any]]:
    return [r for r in drill.journal.records if r.get("type") == "event" and r["kind"] == kind]


def tabletop(*args: str, cwd: Path | None = None, stdin: Any = subprocess.DEVNULL,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          text=True, cwd=cwd, stdin=stdin, timeout=timeout)


def assert_special_files_refused(tmp_path: Path, command: list[str], suffix: str,
                                 limit: float, timeout: float) -> None:
    """A fifo, /dev/zero and a directory given as the input file: exit 2 at once, named."""
    import os
    import time

    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    for target in (str(fifo), "/dev/zero", str(tmp_path)):
        started = time.monotonic()
        result = tabletop(command[0], target, *command[1:], timeout=timeout)
        assert result.returncode == 2, (target, result.stderr)
        assert target in result.stderr and "Traceback" not in result.stderr
        assert time.monotonic() - started < limit
