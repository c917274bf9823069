"""A facilitated drill in two tmux panes: the trainee's prompt and the facilitator's
console. The facilitator plays an inject while the trainee sits at the menu: the menu gives
way, the message is in the channel, the menu is back; then the facilitator ends the drill
and leads the hot wash, whose answer reaches the after-action report."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.format.loader import load_scenario

pytestmark = [pytest.mark.timeout(150),
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


class Panes:
    """One tmux session split into two panes: 0 the trainee, 1 the facilitator."""

    def __init__(self, name: str) -> None:
        self.name = name

    def start(self, trainee: str, facilitator: str | None, cwd: Path) -> None:
        self.cwd = cwd
        self.env = {"PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": str(cwd),
                    **{k: os.environ[k] for k in ("PYTHONPATH", "TABLETOP_DATA_DIR")
                       if k in os.environ}}
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "160", "-y", "50",
                        self.shell(trainee)], check=True, env=self.env)
        if facilitator is not None:
            self.split(facilitator)

    def shell(self, command: str) -> str:
        # the variables go in the command: a tmux server already running (another test's)
        # would not pass this client's environment on to the panes
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        return (f"export {exports}; cd {shlex.quote(str(self.cwd))} && {command}; "
                "echo EXIT=$?; sleep 60")

    def split(self, command: str, vertical: bool = False, pane: int = 0) -> None:
        """A new pane beside ``pane`` (below it with ``vertical``) running ``command``."""
        subprocess.run(["tmux", "split-window", "-v" if vertical else "-h", "-t",
                        f"{self.name}:0.{pane}", self.shell(command)], check=True,
                       env=self.env)

    def pid(self, pane: int) -> int:
        """The process the pane's shell runs (its only child)."""
        shell = subprocess.run(["tmux", "display", "-p", "-t", f"{self.name}:0.{pane}",
                                "#{pane_pid}"], capture_output=True, text=True,
                               check=True).stdout.strip()
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        return int(children[0])

    def screen(self, pane: int) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", f"{self.name}:0.{pane}"],
                              capture_output=True, text=True, check=True).stdout

    def expect(self, pane: int, text: str, timeout: float = 25) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen(pane)
            if text in " ".join(shown.split()):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared in pane {pane}:\n{self.screen(pane)}")

    def keys(self, pane: int, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", f"{self.name}:0.{pane}", key],
                           check=True)
            time.sleep(0.05)

    def type(self, pane: int, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", f"{self.name}:0.{pane}", "-l", text],
                       check=True)
        self.keys(pane, "Enter")

    def stop(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def panes() -> Iterator[Panes]:
    two = Panes(f"tabletop-fac-{uuid.uuid4().hex[:8]}")
    yield two
    two.stop()


def tabletop(*args: str) -> str:
    return " ".join(shlex.quote(a) for a in (sys.executable, "-m", "simulator", *args))


def test_facilitator_injects_on_the_fly_and_leads_the_hot_wash(panes: Panes,
                                                                tmp_path: Path) -> None:
    from simulator.players.session import sessions_dir

    journal = tmp_path / "run.jsonl"
    # the console finds the session by the id the run announces; the trainee's pane
    # writes it to a file the facilitator's pane waits for
    announce = tmp_path / "session.txt"
    trainee = tabletop("run", "redis-saturation", "--seed", "7", "--coach", "off",
                       "--facilitated", "--journal", str(journal))
    waited = shlex.quote(str(announce))
    wait_id = (f"while [ ! -s {waited} ]; do sleep 0.1; done; "
               + tabletop("facilitate", "SESSION", "--by", "fay").replace(
                   "SESSION", f'"$(cat {waited})"'))
    panes.start(trainee, wait_id, tmp_path)
    panes.expect(0, "Is a team playing this drill")  # no --team at a terminal: asked
    panes.type(0, "n")                                # one trainee
    shown = panes.expect(0, "facilitated session:")
    session_id = next(line.split(": ", 1)[1].strip() for line in shown.splitlines()
                      if line.startswith("facilitated session:"))
    announce.write_text(session_id, encoding="utf-8")
    panes.expect(0, "Press any key")
    panes.keys(0, "Enter")
    panes.expect(0, "What do you do?")
    panes.expect(1, "Facilitator:")
    panes.keys(1, "Down", "Enter")               # Play a facilitator inject
    panes.expect(1, "Which inject?")
    panes.keys(1, "Down", "Enter")               # bounce-redis
    shown = panes.expect(0, "Redis looks stuck")  # the trainee's menu gave way to it...
    panes.expect(0, "What do you do?")           # ...and came back
    panes.expect(1, "Facilitator:")
    panes.keys(1, *(["Down"] * 6), "Enter")      # End the drill
    panes.expect(0, "EXIT=1", timeout=40)
    panes.expect(1, "Hot wash", timeout=40)
    questions = load_scenario("redis-saturation")[0].debrief.questions
    for n, question in enumerate(questions):     # answer each once its prompt listens
        panes.expect(1, f"{n + 1}. {' '.join(question.split())[:40]}", timeout=40)
        panes.expect(1, "Answer:", timeout=40)
        time.sleep(0.2)
        if n == 0:
            panes.type(1, "We froze changes before anyone restarted Redis")
        else:
            panes.keys(1, "Enter")               # Enter alone skips the others
    # then the evaluator's own rating of the ended drill, beside the machine's
    panes.expect(1, "Record an evaluator observation of the drill?", timeout=40)
    panes.type(1, "y")
    panes.expect(1, "Criterion:")
    panes.keys(1, "Enter")                       # the first criterion
    panes.expect(1, "Your rating:")
    panes.keys(1, "Down", "Enter")               # S
    panes.expect(1, "Note (what you saw):")
    panes.type(1, "IC froze changes but never named a comms lead")
    panes.expect(1, "recorded: ", timeout=40)
    time.sleep(0.3)
    panes.type(1, "n")
    panes.expect(1, "1 observation(s) added", timeout=40)
    panes.expect(1, "EXIT=0", timeout=40)
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    injected = [r for r in records if r.get("source") == "facilitator"]
    assert [r["kind"] for r in injected] == ["inject", "facilitator_end"]
    assert injected[0]["by"] == "fay" and injected[0]["actor"] == "bob"
    [observed] = [r for r in records if r["type"] == "observation"]
    assert observed["after"] and observed["rating"] == "S" and observed["by"] == "fay"
    assert records.index(observed) > next(i for i, r in enumerate(records)
                                          if r["type"] == "end")
    wash = [r for r in records if r["type"] == "hotwash"]
    assert wash[0]["answer"] == "We froze changes before anyone restarted Redis"
    report = journal.with_suffix(".md")
    if not report.exists():
        report = next(tmp_path.glob("*.md"))
    assert "We froze changes before anyone restarted Redis" in report.read_text(
        encoding="utf-8")
    assert list(sessions_dir().glob("*")) == []


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def header(screen: str) -> str | None:
    """The clock by the console's menu ("T+3:20 · 12 decisions  Facilitator:"); None while
    the screen is being drawn."""
    return next((line.split("Facilitator:")[0] for line in screen.splitlines()
                 if "Facilitator:" in line), None)


def test_the_console_follows_the_drill_and_a_player_joins_by_menu(panes: Panes,
                                                                  tmp_path: Path) -> None:
    """A bot drill with a team: the console redraws itself as the drill moves (no key
    pressed), costs next to no CPU while the clock is paused; ben joins as comms and posts
    an update through his own menu, into the one journal."""
    journal = tmp_path / "team.jsonl"
    panes.start(tabletop("run", "redis-saturation", "--seed", "7", "--bot", "expert",
                         "--pace", "1.5", "--team", "ic=ana,comms=ben,ops=chen", "--quiet",
                         "--no-history", "--facilitated", "--journal", str(journal)),
                None, tmp_path)
    shown = panes.expect(0, "facilitated session:")
    session_id = next(line.split(": ", 1)[1].strip() for line in shown.splitlines()
                      if line.startswith("facilitated session:"))
    panes.split(tabletop("facilitate", session_id, "--by", "fay"))
    panes.split(tabletop("join", session_id, "--as", "comms"), vertical=True, pane=1)
    first = header(panes.expect(1, "Facilitator:"))
    deadline = time.monotonic() + 20
    while header(panes.screen(1)) in (first, None):  # no key pressed: it moves by itself
        assert time.monotonic() < deadline, f"the console stayed at {first!r}"
        time.sleep(0.2)
    console = panes.pid(1)
    before = cpu_seconds(console)
    time.sleep(3)
    following = cpu_seconds(console) - before
    paused = subprocess.run([sys.executable, "-m", "simulator", "facilitate", session_id,
                             "--pause"], capture_output=True, text=True, timeout=30)
    assert paused.returncode == 0, paused.stderr
    panes.expect(1, "PAUSED")
    time.sleep(1.5)
    before = cpu_seconds(console)
    time.sleep(3)
    idle = cpu_seconds(console) - before
    print(f"console CPU: {following:.2f} s in 3 s following, {idle:.2f} s in 3 s paused")
    assert following < 1.5 and idle < 0.3  # redraws on change only, no busy wait

    # ben's own terminal: the comms actions, a form, sent into the drill
    shown = panes.expect(2, "You are ben (comms).")
    assert "Post a status update" in shown or "Your move:" in shown
    panes.expect(2, "Your move:")
    panes.keys(2, "Down", "Enter")                # the first comms action: post_update
    panes.expect(2, "Who is this update for?")
    panes.keys(2, "Enter")                        # all (the default)
    panes.expect(2, "User impact")
    panes.type(2, "One checkout in twelve fails since 14:03")
    panes.expect(2, "What the team is doing now")
    panes.type(2, "Raising the Redis connection limit")
    panes.expect(2, "Next update in how many minutes?")
    panes.keys(2, "Enter")
    panes.expect(2, "sent")
    assert subprocess.run([sys.executable, "-m", "simulator", "facilitate", session_id,
                           "--resume"], capture_output=True, timeout=30).returncode == 0
    panes.expect(0, "EXIT=0", timeout=120)
    panes.expect(2, "The drill has ended.", timeout=30)
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    [update] = [r for r in records if r["type"] == "decision" and r["action"] == "post_update"
                and r["args"].get("impact") == "One checkout in twelve fails since 14:03"]
    assert update["who"] == "ben" and update["args"]["audience"] == "all"


def test_command_moves_between_joined_terminals(panes: Panes, tmp_path: Path) -> None:
    """ana (IC) hands command to ben from her own terminal: her menu loses the IC's actions
    and says so; ben's terminal gains them and says so; later IC moves are ben's."""
    journal = tmp_path / "handover.jsonl"
    panes.start(tabletop("run", "redis-saturation", "--seed", "7", "--bot", "expert",
                         "--pace", "2", "--team", "ic=ana,comms=ben,ops=chen", "--quiet",
                         "--no-history", "--facilitated", "--journal", str(journal)),
                None, tmp_path)
    shown = panes.expect(0, "facilitated session:")
    session_id = next(line.split(": ", 1)[1].strip() for line in shown.splitlines()
                      if line.startswith("facilitated session:"))
    panes.split(tabletop("join", session_id, "--as", "ic"))
    panes.split(tabletop("join", session_id, "--as", "comms"), vertical=True, pane=1)
    panes.expect(1, "You are ana (ic). You hold command.")
    panes.expect(2, "You are ben (comms). ana holds command.")
    panes.expect(1, "Your move:")
    panes.keys(1, *(["Down"] * 4), "Enter")      # Refresh, acknowledge, declare,
    panes.expect(1, "Hand command to whom?")      # take command, hand over
    responders = len(load_scenario("redis-saturation")[0].roster.responders)
    panes.keys(1, *(["Down"] * responders), "Enter")  # after the responders: ben
    panes.expect(1, "Handover summary")
    panes.type(1, "Checkout errors at 8 percent, Bob on the dashboard, nothing changed yet")
    panes.expect(1, "You handed command to ben", timeout=30)
    shown = panes.expect(2, "ana handed command to you", timeout=30)
    assert "You are ben (comms). You hold command." in " ".join(shown.split())
    shown = panes.expect(1, "Your move:")
    flat = " ".join(shown.split())
    assert "ben holds command" in flat and "Declare an incident" not in flat
    panes.expect(2, "entries, scrolls")          # ben's menu: the IC's moves and his own
    assert subprocess.run([sys.executable, "-m", "simulator", "facilitate", session_id,
                           "--end"], capture_output=True, timeout=30).returncode == 0
    panes.expect(0, "EXIT=", timeout=60)
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    [handover] = [r for r in lines if r.get("kind") == "hand_over"]
    assert handover["data"]["to"] == "ben" and handover["data"]["from"] == "ana"
    decision = next(r for r in lines if r["type"] == "decision" and r["action"] == "hand_over")
    assert decision["who"] == "ana"
    later = [r["who"] for r in lines[lines.index(handover):] if r["type"] == "decision"
             and r["action"] in ("wait", "declare_resolved", "delegate", "freeze_changes")]
    assert set(later) <= {"ben"}
