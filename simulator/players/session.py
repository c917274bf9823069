"""A facilitated session: the drill's side of the local IPC (a Unix socket).

``tabletop run --facilitated`` opens a socket (mode 0600, so only the same user, locally
or over SSH, can reach it) and a small JSON file naming it; ``tabletop facilitate`` and
``tabletop join`` connect to it. The protocol is one JSON object per line each way:

    {"op": "status"}                       -> {"ok": true, "status": {...}}
    {"op": "act", "act": {"act": "inject", "id": "bounce-redis", "by": "fay"}}
                                           -> {"ok": true} | {"ok": false, "error": "..."}
    {"op": "acts", "acts": [{...}, {...}]}  -> all checked, then applied at one decision
                                              point (same simulated minute), or none

The server thread never touches the simulation: it checks an act and queues it
(facilitation.LiveActs); the drill loop applies it at the next decision point, and a
waiting prompt is interrupted (``on_act``) so that point comes at once. The status it
serves is a snapshot the drill thread publishes before each decision.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import socketserver
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator.engine.facilitation import ActsWaiting, LiveActs, check_act
from simulator.errors import InputError

MAX_LINE = 64 * 1024
#: acts in one batch (one `tabletop facilitate` command line)
MAX_BATCH = 32
#: AF_UNIX paths are limited to about 104-108 bytes depending on the platform
MAX_SOCKET_PATH = 100


def sessions_dir() -> Path:
    from simulator.runs.userdata import data_dir

    return data_dir() / "sessions"


def socket_dir() -> Path:
    """Where sockets go: beside the session files unless that path is too long for AF_UNIX."""
    here = sessions_dir()
    if len(str(here)) + 40 < MAX_SOCKET_PATH:
        return here
    runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(runtime) / f"tabletop-{os.getuid()}"


def new_session_id(scenario_id: str) -> str:
    return f"{scenario_id[:24]}-{secrets.token_hex(3)}"


class Session:
    """The live side: a socket server thread feeding a drill's LiveActs."""

    def __init__(self, session_id: str, info: dict[str, Any]) -> None:
        self.id = session_id
        self.info = info
        self.acts = LiveActs()
        self.drill: Any = None
        self.status: dict[str, Any] = {"phase": "starting"}
        self.lock = threading.Lock()
        self.on_act: Callable[[], None] = lambda: None
        self.decisions: list[dict[str, Any]] = []  # from `tabletop join`, in arrival order
        sockets = socket_dir()
        sockets.mkdir(parents=True, exist_ok=True, mode=0o700)
        sessions_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
        self.socket_path = sockets / f"{session_id}.sock"
        self.info_path = sessions_dir() / f"{session_id}.json"
        self.server: socketserver.ThreadingUnixStreamServer | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        session = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in iter(lambda: self.rfile.readline(MAX_LINE + 1), b""):
                    reply = session.answer(line)
                    self.wfile.write((json.dumps(reply) + "\n").encode())

        old = os.umask(0o177)
        try:
            self.socket_path.unlink(missing_ok=True)
            server = socketserver.ThreadingUnixStreamServer(str(self.socket_path), Handler)
        finally:
            os.umask(old)
        os.chmod(self.socket_path, 0o600)
        server.daemon_threads = True
        self.server = server
        self.info_path.write_text(json.dumps(
            {**self.info, "id": self.id, "socket": str(self.socket_path), "pid": os.getpid()},
            indent=2), encoding="utf-8")
        os.chmod(self.info_path, 0o600)
        self.thread = threading.Thread(target=server.serve_forever, name="tabletop-session",
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        self.socket_path.unlink(missing_ok=True)
        self.info_path.unlink(missing_ok=True)

    # --- the protocol -------------------------------------------------------------------
    def answer(self, line: bytes) -> dict[str, Any]:
        if len(line) > MAX_LINE:
            return {"ok": False, "error": "request too long"}
        try:
            request = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return {"ok": False, "error": "a request is one JSON object per line"}
        if not isinstance(request, dict):
            return {"ok": False, "error": "a request is a JSON object"}
        op = request.get("op")
        if op == "status":
            with self.lock:
                return {"ok": True, "status": self.status}
        if op == "act":
            return self.queue_acts([request.get("act")])
        if op == "acts":
            acts = request.get("acts")
            if not isinstance(acts, list) or not acts or len(acts) > MAX_BATCH:
                return {"ok": False, "error": f"'acts' must be a list of 1 to {MAX_BATCH} acts"}
            return self.queue_acts(acts)
        if op == "decide":
            return self.joined(request)
        return {"ok": False, "error": f"unknown op {op!r} (status, act, acts, decide)"}

    def queue_acts(self, acts: list[Any]) -> dict[str, Any]:
        """Check every act, then queue them as one batch: all apply at once, or none do."""
        if self.drill is None:
            return {"ok": False, "error": "the drill has not started yet"}
        for act in acts:
            if not isinstance(act, dict):
                return {"ok": False, "error": "'act' must be an object"}
            problem = check_act(self.drill, act)
            if problem:
                name = act.get("act")
                return {"ok": False, "error": problem, "act": name if isinstance(name, str)
                        else None}
        for act in acts:
            if act.get("act") in ("pause", "resume"):
                self.acts.paused = act["act"] == "pause"
        self.acts.put_batch(acts)
        self.on_act()
        return {"ok": True}

    def joined(self, request: dict[str, Any]) -> dict[str, Any]:
        """A player's decision from `tabletop join`: checked for shape and role, queued.

        A person decides only their role's actions (Team.refusal, the rule the one screen
        and decisions files obey too): a refusal names the role that owns the action. The
        drill checks again when it plays it, as it does whether the action is possible
        (command or the state may change before then); the player's terminal sees the
        outcome in the channel.
        """
        drill = self.drill
        if drill is None:
            return {"ok": False, "error": "the drill has not started yet"}
        team = getattr(drill, "team", None)
        if team is None:
            return {"ok": False, "error": "this drill has no team: start it with --team "
                    "ic=NAME,comms=NAME,... to let people join"}
        who, action, args = request.get("who"), request.get("action"), request.get("args", {})
        if not isinstance(who, str) or team.member(who) is None:
            return {"ok": False, "error": f"{who!r} is not on the team "
                    f"({', '.join(team.names())})"}
        from simulator.engine.team import action_role
        from simulator.texts import catalogue

        if not isinstance(action, str) or action not in catalogue():
            return {"ok": False, "error": f"unknown action {action!r}"}
        if not isinstance(args, dict) or len(json.dumps(args)) > MAX_LINE:
            return {"ok": False, "error": "'args' must be an object"}
        if drill.phase == "ended":
            return {"ok": False, "error": "the drill has ended"}
        refused = team.refusal(who, action, drill.engine.holder)  # engine/team.py: one rule
        if refused:
            return {"ok": False, "error": refused, "role": action_role(action)}
        self.acts.joined.put({"who": who, "action": action, "args": args})
        self.on_act()
        return {"ok": True}

    def publish(self, status: dict[str, Any]) -> None:
        with self.lock:
            self.status = status


@contextmanager
def hosting(session: Session) -> Iterator[Session]:
    """Serve the session for the length of a drill; the socket never outlives it."""
    import signal

    def terminated(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # handled as an interruption: journal kept, socket removed

    session.start()
    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield session
    finally:
        signal.signal(signal.SIGTERM, previous)
        session.close()


class Paced:
    """A scripted decider (file or bot) slowed to a pace a facilitator can follow.

    It waits ``pace`` real seconds before each decision, returns early to the loop when an
    act arrives (so it is applied before the decision), and waits while the facilitator
    has paused the drill. It also publishes the status the console shows.
    """

    def __init__(self, inner: Any, session: Session, pace: float) -> None:
        self.inner = inner
        self.name = inner.name
        self.session = session
        self.pace = pace
        self.waited_for = -1

    def decide(self, situation: Any) -> Any:
        from simulator.engine.facilitation import snapshot

        self.session.publish(snapshot(situation, self.session.acts.paused))
        if self.waited_for != situation.decision_index:
            deadline = time.monotonic() + self.pace
            while time.monotonic() < deadline or self.session.acts.paused:
                if self.session.acts.pending():
                    raise ActsWaiting()
                time.sleep(0.05)
            self.waited_for = situation.decision_index
        if self.session.acts.pending():
            raise ActsWaiting()
        return self.inner.decide(situation)


# --- the client side ----------------------------------------------------------------------
def find_session(name: str) -> dict[str, Any]:
    """A session by id (listed in the sessions folder) or by the path of its socket."""
    path = Path(name)
    if name.endswith(".sock") and path.exists():
        return {"id": path.stem, "socket": str(path)}
    info = sessions_dir() / f"{name}.json"
    if "/" in name or not info.exists():
        known = sorted(p.stem for p in sessions_dir().glob("*.json")) if (
            sessions_dir().exists()) else []
        raise InputError(f"no running session {name!r} "
                         f"({'running: ' + ', '.join(known) if known else 'none is running'}; "
                         "start one with 'tabletop run SCENARIO --facilitated')")
    try:
        data = json.loads(info.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        raise InputError(f"{info}: cannot read the session file") from None
    if not isinstance(data, dict) or not isinstance(data.get("socket"), str):
        raise InputError(f"{info}: not a session file")
    if not _alive(data.get("pid")):  # its process was killed: tidy up after it
        info.unlink(missing_ok=True)
        Path(data["socket"]).unlink(missing_ok=True)
        raise InputError(f"session {name!r} is over: its drill's process is gone")
    return data


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Client:
    """One connection to a session: send a request, read its reply."""

    def __init__(self, socket_path: str, timeout: float = 10.0) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(socket_path)
        except OSError as exc:
            self.sock.close()
            raise InputError(f"cannot reach the session at {socket_path} ({exc.strerror or exc}); "
                             "has the drill ended?") from None
        self.file = self.sock.makefile("rwb")

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        try:
            self.file.write((json.dumps(message) + "\n").encode())
            self.file.flush()
            line = self.file.readline(MAX_LINE + 1)
        except OSError as exc:
            raise InputError(f"the session stopped answering ({exc})") from None
        if not line:
            raise InputError("the session has ended")
        reply = json.loads(line)
        return reply if isinstance(reply, dict) else {"ok": False, "error": "bad reply"}

    def close(self) -> None:
        # a request that failed because the drill ended leaves its bytes in the buffer: the
        # flush on close would fail again (EPIPE) and be taken for a broken standard output
        with contextlib.suppress(OSError):
            self.file.close()
        self.sock.close()
