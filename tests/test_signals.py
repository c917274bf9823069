"""SIGTERM and SIGHUP during an interactive drill: a pause, in a real pseudo-terminal.

The drill runs as a real process on a pty (its stdin, stdout and stderr), as in a terminal
window. The signal arrives while a prompt waits; the process must restore the terminal
modes, keep and close the journal (its last entry says the drill was interrupted), say how
to resume, and exit 128 + the signal number. The journal then resumes like any pause.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from ui_keys import resume_keys
from ui_scripts import redis_good_rest, redis_good_steps

pytestmark = pytest.mark.timeout(120)


def read_until(fd: int, proc: subprocess.Popen[bytes], text: bytes, timeout: float = 30
               ) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < deadline, f"{text!r} never came; got {seen[-2000:]!r}"
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the child closed the pty
                break
        elif proc.poll() is not None:
            break
    return seen


def drain(fd: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while proc.poll() is None or select.select([fd], [], [], 0.1)[0]:
        assert time.monotonic() < deadline, f"the drill did not stop: {seen[-2000:]!r}"
        if select.select([fd], [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_at_a_prompt_pauses_the_drill(tmp_path: Path, signum: int, code: int) -> None:
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    journal = tmp_path / "run.jsonl"
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80", "LINES": "24",
           "TABLETOP_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "run", "redis-saturation",
                             "--seed", "7", "--coach", "off", "--journal", str(journal)],
                            stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    try:
        read_until(master, proc, b"Press any key")
        os.write(master, b"\r")
        read_until(master, proc, b"What do you do?")
        os.write(master, redis_good_steps()[0].encode())  # acknowledge
        read_until(master, proc, b"T+00:20")
        read_until(master, proc, b"What do you do?")
        assert termios.tcgetattr(slave) != before  # the prompt put the terminal in raw mode
        proc.send_signal(signum)
        shown = drain(master, proc)
        assert proc.wait(timeout=30) == code, shown[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
    after = termios.tcgetattr(slave)
    os.close(slave)
    os.close(master)
    assert after[3] & termios.ECHO and after[3] & termios.ICANON  # cooked again
    text = shown.decode("utf-8", "replace")
    flat = "".join(text.split())
    assert f"stoppedby{signal.Signals(signum).name}" in flat, text[-1500:]
    assert f"tabletopresume{journal}" in flat and "Traceback" not in text
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["kind"] == "interrupted"
    assert [r["action"] for r in records if r["type"] == "decision"] == ["acknowledge"]
    steps = redis_good_steps()
    assert resume_keys("".join(steps[1:]) + redis_good_rest(), journal).status == "resolved"
