"""`tabletop run` and `tabletop resume` in a real 80x24 terminal, driven through tmux."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.timeout(120),
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


class Terminal:
    """One tmux session running one shell command, read back through capture-pane.

    Each terminal has its own tmux server (socket): a server shared with other test runs
    would start the command with that server's environment, hence maybe another checkout.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> list[str]:
        """A tmux command on this terminal's own server (-L): the session gets exactly the
        environment given at start, never that of a tmux server someone else started."""
        return ["tmux", "-L", self.name, "-f", "/dev/null", *args]

    def start(self, command: str, cwd: Path) -> None:
        shell = f"cd {shlex.quote(str(cwd))} && {command}; echo EXIT=$?; sleep 60"
        env = {"PATH": "/usr/bin:/bin", "TERM": "xterm", "HOME": str(cwd),
               # an uninstalled checkout (PYTHONPATH) and the tests' own data folder
               **{k: os.environ[k] for k in ("PYTHONPATH", "TABLETOP_DATA_DIR")
                  if k in os.environ}}
        subprocess.run([*self.tmux("new-session"), "-d", "-s", self.name, "-x", "80", "-y", "24",
                        shell], check=True, env=env)

    def screen(self) -> str:
        return subprocess.run(self.tmux("capture-pane", "-p", "-t", self.name),
                              capture_output=True, text=True, check=True).stdout

    def expect(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def gone(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text in self.screen():
            assert time.monotonic() < deadline, f"{text!r} stayed on the screen"
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(self.tmux("send-keys", "-t", self.name, key), check=True)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        subprocess.run(self.tmux("send-keys", "-t", self.name, "-l", text), check=True)
        self.keys("Enter")

    def stop(self) -> None:
        subprocess.run(self.tmux("kill-server"), capture_output=True)


@pytest.fixture
def term() -> Iterator[Terminal]:
    terminal = Terminal(f"tabletop-test-{uuid.uuid4().hex[:8]}")
    yield terminal
    terminal.stop()


def tabletop(*args: str) -> str:
    return " ".join(shlex.quote(a) for a in (sys.executable, "-m", "simulator", *args))


def choose(term: Terminal, question: str, downs: int) -> None:
    term.expect(question)
    term.keys(*(["Down"] * downs), "Enter")


def test_drill_in_a_real_terminal_fits_80x24(term: Terminal, tmp_path: Path) -> None:
    """A hasty run: the view fits the screen, the coach warns, the drill ends with a debrief."""
    journal = tmp_path / "run.jsonl"
    term.start(tabletop("run", "redis-saturation", "--seed", "7", "--coach", "light",
                        "--journal", str(journal)), tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    shown = term.expect("What do you do?")
    top = next(row for row in shown.splitlines() if "T+00:00 14:03 UTC" in row)
    assert "undeclared" in top and "IC nobody" in top
    assert shown.splitlines()[-1].strip().startswith("Help, or read")  # the menu fits below
    assert "! Checkout error rate" in shown and "── channel ──" in shown
    assert "Team: Bob free" in shown and "Coordinate (9 of 10 possible now)" in shown
    choose(term, "What do you do?", 2)           # Mitigate
    choose(term, "Mitigate:", 3)                 # Restart
    choose(term, "Restart what?", 2)             # redis
    choose(term, "Who makes the change?", 0)     # Bob (suggested)
    term.expect("Announcement posted in the channel")
    term.keys("Enter")
    shown = term.expect("Go ahead anyway?")
    assert "restarting can wipe the logs" in " ".join(shown.split())
    term.keys("Down", "Enter")
    shown = term.expect("Bob Tran: starting to restart redis.")
    assert "Changes: restart redis by Bob" in shown
    choose(term, "What do you do?", 4)           # Close
    choose(term, "Close the incident:", 0)       # Declare resolved
    term.expect("are still outside")             # red metrics: warned before the form
    term.keys("Down", "Enter")
    for question, answer in [("Resolution message", "fixed"), ("Root cause", "redis was stuck"),
                             ("Fix applied", "restarted redis"), ("Customer impact", ""),
                             ("Postmortem date", "postmortem soon")]:
        term.expect(question)
        term.type(answer)
    term.expect("we were told this was resolved", timeout=30)  # reopened: stakeholders ask
    term.expect("What do you do?")               # ...and the drill is back in play
    term.keys("C-c")
    choose(term, "Drill interrupted", 2)         # abandon
    term.expect("Really abandon?")
    term.keys("y", "Enter")
    shown = term.expect("EXIT=1", timeout=30)
    assert "outcome: abandoned" in shown
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["type"] == "end" and records[-1]["outcome"]["reopened"] == 1
    assert [r["action"] for r in records if r["type"] == "decision"] == [
        "restart", "declare_resolved"]


def test_ctrl_c_pause_then_resume_in_a_real_terminal(term: Terminal, tmp_path: Path) -> None:
    """Ctrl-C → Pause exits 130 with the journal kept; `tabletop resume` continues it."""
    journal = tmp_path / "run.jsonl"
    term.start(tabletop("run", "redis-saturation", "--seed", "7", "--coach", "off",
                        "--journal", str(journal)) + "; echo PAUSED=$?; read x; "
               + tabletop("resume", str(journal)), tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    choose(term, "What do you do?", 0)           # Coordinate
    choose(term, "Coordinate:", 0)               # Acknowledge
    term.expect("T+00:20 What do you do?")
    term.keys("C-c")
    choose(term, "Drill interrupted at T+00:20", 1)  # Pause
    shown = term.expect("PAUSED=130", timeout=30)
    flat = "".join(shown.split())  # the long path wraps
    assert "pausedatT+00:20" in flat and f"tabletopresume{journal}" in flat
    term.keys("Enter")
    term.gone("PAUSED=130", timeout=30)  # the resumed drill has redrawn the screen
    shown = term.expect("T+00:20 What do you do?", timeout=30)
    assert "acknowledged, I have this alert" in shown
    term.keys("C-c")
    choose(term, "Drill interrupted", 2)         # Abandon
    term.expect("Really abandon?")
    term.keys("y", "Enter")
    shown = term.expect("EXIT=1", timeout=30)
    assert "outcome: abandoned" in shown
    kinds = [json.loads(line).get("kind") for line in journal.read_text().splitlines()]
    assert kinds.count("interrupted") == 1 and kinds.count("resumed") == 1
    assert "abandoned" in kinds


def test_mid_drill_screen_keeps_five_channel_lines_at_80x24(term: Terminal, tmp_path: Path
                                                            ) -> None:
    """Keys only (d delegate, n note, w wait), coach on: mid-drill, the 80x24 screen shows
    the whole view and menu, the channel has at least five rows, nothing of the briefing
    lingers, and numbers are written the one way."""
    journal = tmp_path / "run.jsonl"
    term.start(tabletop("run", "redis-saturation", "--seed", "7", "--journal", str(journal)),
               tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    term.expect("What do you do?")
    term.keys("d")                                # delegate: Bob, first check, time box
    choose(term, "Delegate to whom?", 0)
    choose(term, "What should they find out?", 0)
    term.expect("Time box")
    term.keys("Enter")
    term.expect("T+00:")
    term.keys("n")
    term.expect("Timeline note")
    term.type("Bob is on the checkout dashboard")
    for _ in range(3):
        term.expect("What do you do?")
        term.keys("w")
        time.sleep(0.5)
    shown = term.expect("What do you do?")
    rows = shown.rstrip("\n").split("\n")
    print(shown)  # the capture, for the record (pytest -s)
    assert len(rows) <= 24 and max(len(r) for r in rows) <= 80
    assert rows[0].startswith("Checkout failing") and "T+" in rows[0]  # the header is on top
    assert "Press any key" not in shown and "Your team" not in shown
    team = next(i for i, r in enumerate(rows) if r.startswith("Team:"))
    rule = [i for i, r in enumerate(rows) if r.startswith("── channel ──")]
    start = rule[0] + 1 if rule else next(
        i for i, r in enumerate(rows) if i and r[:2].isdigit() and r[2] == ":")
    channel = rows[start:team]
    assert len(channel) >= 5, shown
    written = [r for r in channel if r.strip()]
    assert written and not (len(written) == 1 and written[0].startswith("↑")), shown
    assert " ms " in shown and not re.search(r"\d(ms|min)\b", shown)  # one number format
    assert rows[-1].strip().startswith("Help, or read")  # the menu fits below


def test_a_long_group_menu_scrolls_under_the_header_at_80x24(term: Terminal, tmp_path: Path
                                                              ) -> None:
    """Coordinate has ten actions and '← back': the list scrolls in six rows, so the
    clock, the header and the question stay on the 24-row screen wherever the cursor is."""
    term.start(tabletop("run", "redis-saturation", "--seed", "7", "--coach", "off",
                        "--journal", str(tmp_path / "run.jsonl")), tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    choose(term, "What do you do?", 0)           # Coordinate

    def on_screen(pointed: str) -> list[str]:
        deadline = time.monotonic() + 20
        while True:
            rows = term.screen().rstrip("\n").split("\n")
            if any(r.startswith(" » " + pointed) for r in rows) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert any(r.startswith(" » " + pointed) for r in rows), "\n".join(rows)
        assert len(rows) <= 24, "\n".join(rows)
        assert rows[0].startswith("Checkout failing") and "T+00:00 14:03 UTC" in rows[0]
        assert any(r.startswith("? Coordinate:") and "11 entries, scrolls" in r for r in rows)
        return rows

    rows = on_screen("Acknowledge the alert")
    assert "← back" not in "\n".join(rows)       # below the six rows shown
    term.keys(*["Down"] * 9)                       # the disabled entry is skipped
    rows = on_screen("← back")
    assert "Acknowledge the alert" not in "\n".join(rows)  # scrolled off, not the header
    term.keys("Enter")                             # back: the top menu, cursor kept
    term.expect(" » Coordinate")
    term.keys("C-c")
    choose(term, "Drill interrupted", 2)           # abandon
    term.expect("Really abandon?")
    term.keys("y", "Enter")
    term.expect("EXIT=1", timeout=30)


def resolve_form(term: Terminal, message: str) -> None:
    for question, answer in [("Resolution message", message), ("Root cause", "redis maxclients"),
                             ("Fix applied", "raised maxclients"), ("Customer impact", ""),
                             ("Postmortem date", "postmortem tomorrow")]:
        term.expect(question)
        term.type(answer)


def test_premature_resolve_then_a_proper_recovery(term: Terminal, tmp_path: Path) -> None:
    """Resolved at T+0 on red metrics: monitoring reopens, the drill goes on; the trainee
    raises maxclients, waits, resolves again, it holds, and the run ends resolved."""
    journal = tmp_path / "run.jsonl"
    term.start(tabletop("run", "redis-saturation", "--seed", "7", "--coach", "off",
                        "--journal", str(journal)), tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    choose(term, "What do you do?", 4)           # Close
    choose(term, "Close the incident:", 0)       # Declare resolved (no coach: no warning)
    resolve_form(term, "all good")
    term.expect("we were told this was resolved", timeout=30)
    choose(term, "What do you do?", 2)           # Mitigate
    choose(term, "Mitigate:", 2)                 # Change a configuration value
    choose(term, "Which setting?", 0)            # redis.maxclients
    term.expect("New value for redis.maxclients")
    term.type("200")
    choose(term, "Who makes the change?", 0)     # the suggested responder
    term.expect("Announcement posted in the channel")
    term.keys("Enter")
    choose(term, "What do you do?", 5)           # Wait
    term.expect("Wait how many minutes?")
    term.keys("C-u")
    term.type("20")
    term.expect("Come back early")
    term.keys("n", "Enter")
    choose(term, "What do you do?", 4)           # Close
    choose(term, "Close the incident:", 0)
    resolve_form(term, "checkout errors back under 1% and holding for 10 minutes")
    choose(term, "The incident is over. What now?", 1)  # finish without a postmortem
    term.expect("End the drill without a postmortem?")
    term.keys("y", "Enter")
    shown = term.expect("EXIT=0", timeout=40)
    assert "outcome: resolved" in shown and "(after 1 reopen)" in " ".join(shown.split())
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [r["action"] for r in records if r["type"] == "decision"] == [
        "declare_resolved", "set_config", "wait", "declare_resolved", "finish"]


def test_a_cancelled_change_and_a_reply_to_one_stakeholder(term: Terminal, tmp_path: Path
                                                           ) -> None:
    """bad-deploy: Ravi starts restarting catalog-api on his own at T+3; the IC stops it
    (nothing lands, the logs survive), then replies to Elena's question directly."""
    journal = tmp_path / "run.jsonl"
    term.start(tabletop("run", "bad-deploy", "--seed", "7", "--coach", "off",
                        "--journal", str(journal)), tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    choose(term, "What do you do?", 5)           # Wait
    term.expect("Wait how many minutes?")
    term.keys("C-u")
    term.type("3.2")
    term.expect("Come back early")
    term.keys("n", "Enter")
    term.expect("starting to restart catalog-api", timeout=30)
    choose(term, "What do you do?", 2)           # Mitigate
    choose(term, "Mitigate:", 6)                 # Stop a change in flight (greyed skipped)
    choose(term, "Stop which change?", 0)        # Ravi's restart
    term.expect("stopped restart catalog-api as asked", timeout=30)
    choose(term, "What do you do?", 3)           # Communicate
    choose(term, "Communicate:", 2)              # Reply to one stakeholder
    choose(term, "Reply to whom?", 0)            # Elena
    term.expect("Your answer to Elena Rossi")
    term.type("The release is our lead; we roll back, next update in ten minutes.")
    term.expect("→ Elena Rossi", timeout=30)
    term.keys("C-c")
    choose(term, "Drill interrupted", 2)         # abandon
    term.expect("Really abandon?")
    term.keys("y", "Enter")
    term.expect("EXIT=1", timeout=40)
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    kinds = [r.get("kind") for r in records]
    assert "change_cancelled" in kinds and "evidence_lost" not in kinds
    assert [r["action"] for r in records if r["type"] == "decision"] == [
        "wait", "cancel_change", "reply"]


def test_a_joined_players_long_menu_scrolls_under_the_view_at_80x24(tmp_path: Path) -> None:
    """`tabletop join --as ops` in an 80x24 terminal: fifteen moves scroll in seven rows
    under a view sized to the screen, so the header and the question stay on it."""
    drill = Terminal(f"tabletop-test-{uuid.uuid4().hex[:8]}")
    player = Terminal(f"tabletop-test-{uuid.uuid4().hex[:8]}")
    try:
        drill.start(tabletop("run", "bad-deploy", "--facilitated", "--team", "ic=ana,ops=chen",
                             "--bot", "expert", "--pace", "3", "--seed", "7", "--no-history",
                             "--quiet", "--journal", str(tmp_path / "run.jsonl")), tmp_path)
        found = re.search(r"facilitated session: (\S+)", drill.expect("facilitated session:"))
        assert found is not None
        player.start(tabletop("join", found.group(1), "--as", "ops"), tmp_path)
        for pointed in ("Refresh", "Leave (the drill goes on)"):
            deadline = time.monotonic() + 20
            while True:
                rows = player.screen().rstrip("\n").split("\n")
                if any(r.startswith(" » " + pointed) for r in rows) or (
                        time.monotonic() > deadline):
                    break
                time.sleep(0.1)
            shown = "\n".join(rows)
            assert any(r.startswith(" » " + pointed) for r in rows), shown
            assert len(rows) <= 24 and rows[0].startswith("Product pages crawl"), shown
            assert "T+" in rows[0] and "You are chen (ops)." in shown
            assert "? Your move: (↑↓ enter; 15 entries, scrolls)" in shown
            if pointed == "Refresh":
                player.keys(*["Down"] * 14)       # to the last entry
        player.keys("Enter")
        player.expect("EXIT=0")
    finally:
        player.stop()
        drill.stop()
