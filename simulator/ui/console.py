"""`tabletop facilitate SESSION`: the facilitator's console, a client of the session socket.

It shows what the players must not see (the true cause, the faults and their intensity, the
injects still to come with their triggers, the ideal path and how far the team is along
it, each criterion's running rating) and acts on the drill: a facilitator inject, a free
message from anyone, a hint, pause and resume, observations, the end of the drill. With an
act given as an option (``--inject ID``, ``--say FROM TEXT``...) it acts once and exits, so
a script or a second pane can drive it; without one it is an interactive menu.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from simulator.errors import ExitCode, InputError
from simulator.players.session import Client, find_session
from simulator.ui import live, terminal

RATING_STYLE = {"P": "green", "S": "yellow", "M": "dark_orange", "U": "red"}


def connect(name: str, wait: float) -> tuple[dict[str, Any], Client]:
    """The session's file and a connection; waits up to ``wait`` s for it to appear."""
    deadline = time.monotonic() + wait
    while True:
        try:
            info = find_session(name)
            return info, Client(str(info["socket"]))
        except InputError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def acts_from(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The acts given as options, in a fixed order."""
    by = args.by
    acts: list[dict[str, Any]] = []
    if args.pause:
        acts.append({"act": "pause", "by": by})
    if args.inject:
        acts += [{"act": "inject", "id": i, "by": by} for i in args.inject]
    if args.say:
        acts.append({"act": "message", "from": args.say[0], "text": args.say[1], "by": by})
    if args.hint:
        acts.append({"act": "hint", "text": args.hint, "by": by})
    if args.observe:
        criterion, rating, note = args.observe
        acts.append({"act": "observe", "criterion": criterion, "rating": rating.upper(),
                     "note": note, "by": by})
    if getattr(args, "hand_over", None):
        acts.append({"act": "hand_over", "to": args.hand_over, "by": by})
    if args.resume:
        acts.append({"act": "resume", "by": by})
    if args.end:
        acts.append({"act": "end", "by": by})
    return acts


def facilitate_command(args: argparse.Namespace) -> int:
    if args.session.endswith(".jsonl") and Path(args.session).is_file():
        return after_the_drill(args)
    info, client = connect(args.session, args.wait)
    try:
        acts = acts_from(args)
        if acts:
            # one batch: everything on this command line lands in the same simulated minute
            reply = client.request({"op": "acts", "acts": acts})
            if not reply.get("ok"):
                name = reply.get("act") or acts[0]["act"]
                raise InputError(f"{name}: {reply.get('error', 'refused')} (nothing was sent)")
            for act in acts:
                print(f"{act['act']}: sent")
            return ExitCode.OK
        if args.status:
            status = client.request({"op": "status"}).get("status", {})
            if args.json:
                print(json.dumps(status, indent=2))
            else:
                terminal.console().print(render_status(status, ratings(status)))
            return ExitCode.OK
        return interactive(client, info, args.by)
    finally:
        client.close()


def after_the_drill(args: argparse.Namespace) -> int:
    """`tabletop facilitate JOURNAL --observe ...`: the session is over, the journal stays.

    Only observations make sense then; they are appended like `tabletop observe` does.
    """
    acts = acts_from(args)
    if not args.observe or len(acts) > 1:
        raise InputError(f"{args.session} is a journal: after the drill only --observe "
                         "CRITERION RATING NOTE can be recorded (or run tabletop hotwash)")
    criterion, rating, note = args.observe
    return observe_command(argparse.Namespace(journal=Path(args.session),
                                              criterion=criterion, rating=rating, note=note,
                                              by=args.by))


def ratings(status: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each criterion's rating on the journal so far (criterion, rating, reason)."""
    path = status.get("journal")
    if not path or not Path(path).exists():
        return []
    from scoring import score_journal

    try:
        card = score_journal(Path(path), compare=False)
    except InputError:
        return []
    return [(c.id, c.rating, c.reason) for c in card.criteria]


def render_status(status: dict[str, Any], rated: list[tuple[str, str, str]]) -> Panel:
    """The facilitator's view of the drill (every value printed as text, never markup)."""
    t = int(status.get("t", 0))
    head = Text(f"T+{t // 60}:{t % 60:02d} · {status.get('phase', '?')} · "
                f"{status.get('decisions', 0)} decisions"
                + (f" · IC {status['commander']}" if status.get("commander") else "")
                + (" · PAUSED" if status.get("paused") else ""), style="bold")
    parts: list[Any] = [head, Text("True cause: ", style="bold") + Text(
        str(status.get("root_cause", "")))]
    faults = Table(title=terminal.title("Faults"), show_edge=False)
    for col in ("fault", "active", "intensity"):
        faults.add_column(col)
    for f in status.get("faults", []):
        faults.add_row(str(f["title"]), "yes" if f["active"] else "no", f"{f['intensity']:g}")
    parts.append(faults)
    upcoming = Table(title=terminal.title("Injects still to come"), show_edge=False)
    for col in ("id", "trigger", "from", "message"):
        upcoming.add_column(col)
    for i in status.get("upcoming", []):
        upcoming.add_row(str(i["id"]), str(i["trigger"]), str(i["from"]), str(i["text"])[:90])
    parts.append(upcoming)
    ready = Table(title=terminal.title("Facilitator injects (play at any moment)"),
                  show_edge=False)
    for col in ("id", "from", "message", "played"):
        ready.add_column(col)
    for i in status.get("facilitator_injects", []):
        ready.add_row(str(i["id"]), str(i["from"]), str(i["text"])[:90], str(i["played"]))
    parts.append(ready)
    path = Text("Ideal path: ", style="bold")
    for step in status.get("ideal_path", []):
        path += Text(("✔ " if step["done"] else "· ") + str(step["step"]) + "\n",
                     style="green" if step["done"] else "")
    parts.append(path)
    if rated:
        table = Table(title=terminal.title("Running ratings (the journal so far)"),
                      show_edge=False)
        for col in ("criterion", "rating", "why"):
            table.add_column(col)
        for cid, rating, reason in rated:
            table.add_row(cid, Text(rating, style=RATING_STYLE.get(rating, "")), reason[:80])
        parts.append(table)
    return Panel(Group(*parts), title=terminal.title(
        f"facilitator: {status.get('title', status.get('scenario', ''))}"), expand=False)


def interactive(client: Client, info: dict[str, Any], by: str) -> int:
    """The menu loop: refresh, act, observe; ends when the drill does. The screen follows
    the drill: it is drawn again whenever the status changes (simulator/ui/live.py)."""
    import questionary
    from questionary import Choice

    from simulator.ui import forms

    console = terminal.console()
    drawn: dict[str, Any] | None = None
    pointed: Any = None
    while True:
        try:
            status = client.request({"op": "status"}).get("status", {})
        except InputError:
            console.print(Text("The drill has ended."))
            return hot_wash(str(info.get("journal", "")), by)
        if status != drawn:  # the drill moved on: paint the screen anew, in one write
            live.redraw(render_status(status, ratings(status)))
            drawn = status

        def changed(shown: dict[str, Any] = status) -> bool:
            return client.request({"op": "status"}).get("status", {}) != shown

        menu = [Choice("Refresh", "refresh"),
                Choice("Play a facilitator inject", "inject"),
                Choice("Send a message from someone", "message"),
                Choice("Give a hint", "hint"),
                Choice("Resume the clock" if status.get("paused") else "Pause the clock",
                       "resume" if status.get("paused") else "pause"),
                Choice("Record an observation", "observe"),
                *([Choice("Hand command to another player", "hand_over")]
                  if len(status.get("team") or []) > 1 else []),
                Choice("End the drill", "end"),
                Choice("Leave the console (the drill goes on)", "quit")]
        try:
            start = live.start_at(pointed, [c.value for c in menu])
            pick = live.ask_live(questionary.select(clock(status) + "  Facilitator:", menu,
                                                    default=start), changed)
        except live.Stale as stale:
            pointed = stale.pointed
            continue
        pointed = None
        drawn = None  # what is typed below the menu goes with the next screen
        act: dict[str, Any] | None = {"act": pick, "by": by}
        if pick == "refresh":
            continue
        if pick == "quit":
            return ExitCode.OK
        if pick == "inject":
            ids = [(f"{i['id']}: {i['text'][:60]}", i["id"])
                   for i in status.get("facilitator_injects", [])]
            chosen = forms.pick("Which inject?", ids) if ids else None
            act = {"act": "inject", "id": chosen, "by": by} if chosen else None
        elif pick == "message":
            source = forms.pick("From whom?", [(r, r) for r in status.get("roster", [])]
                                + [("monitoring", "monitoring")])
            said = forms.ask_text("Message:") if source else ""
            act = {"act": "message", "from": source, "text": said, "by": by} if said else None
        elif pick == "hint":
            said = forms.ask_text("Hint:")
            act = {"act": "hint", "text": said, "by": by} if said else None
        elif pick == "observe":
            act = observation(by, [c for c, _, _ in ratings(status)])
        elif pick == "hand_over":
            to = forms.pick(f"Command passes from {status.get('commander')} to:", [
                (f"{m['name']} ({m['role']})", m["name"]) for m in status.get("team", [])
                if m["name"] != status.get("commander")])
            act = {"act": "hand_over", "to": to, "by": by} if to else None
        if act is None:
            continue
        reply = client.request({"op": "act", "act": act})
        if not reply.get("ok"):
            console.print(Text(f"refused: {reply.get('error')}", style="red"))
            time.sleep(1.5)  # long enough to read before the screen is drawn again
        elif act["act"] == "end":
            console.print(Text("Ending the drill…"))
            wait_for_end(client)


def clock(status: dict[str, Any]) -> str:
    """The drill's clock, by the menu: the status panel may be taller than the screen."""
    t = int(status.get("t", 0))
    return (f"T+{t // 60}:{t % 60:02d} · {status.get('decisions', 0)} decisions"
            + (f" · IC {status['commander']}" if status.get("commander") else "")
            + (" · PAUSED" if status.get("paused") else ""))


def wait_for_end(client: Client, timeout: float = 60.0) -> None:
    """Until the drill's process has written its end and closed the session."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client.request({"op": "status"})
        except (InputError, ValueError):
            return
        time.sleep(0.2)


def observation(by: str, criteria: list[str]) -> dict[str, Any] | None:
    from simulator.ui import forms

    if not criteria:
        from simulator.format.crossref import criterion_ids

        criteria = sorted(criterion_ids())
    criterion = forms.pick("Criterion:", [(c, c) for c in criteria])
    if not criterion:
        return None
    rating = forms.pick("Your rating:", [(r, r) for r in ("P", "S", "M", "U")])
    if not rating:
        return None
    note = forms.ask_text("Note (what you saw):")
    return {"act": "observe", "criterion": criterion, "rating": rating, "note": note,
            "by": by}


def hot_wash(journal: str, by: str, answers: list[str] | None = None) -> int:
    """After the drill: walk the group through the scenario's debrief questions.

    Each answer is appended to the ended journal as a ``hotwash`` record (after its end
    record: the drill is over, nothing is replayed from them) and the after-action reports
    beside the journal are written again with them. ``answers`` plays them from a script.
    """
    from simulator.engine.appendix import append_after_end
    from simulator.format.loader import scenario_for_journal
    from simulator.format.textsafe import strip_controls
    from simulator.runs.journal import read_journal
    from simulator.ui import forms

    path = Path(journal)
    record = read_journal(path)
    if answers is None:
        from simulator.ui.tty import need_terminal

        need_terminal()
    if record.end is None:
        raise InputError(f"{path}: the drill has not ended yet; the hot wash comes after it")
    questions = scenario_for_journal(record.header["scenario"]).debrief.questions
    console = terminal.console()
    if answers is not None and len(answers) > len(questions):
        raise InputError(f"{len(answers)} answers for {len(questions)} questions")
    if questions:
        console.print(Text(f"Hot wash: {len(questions)} questions. Type the group's answer to "
                           "each (Enter alone skips one).", style="bold"))
    else:
        console.print(Text("This scenario has no hot-wash questions (debrief.questions)."))
    wash = []
    for n, question in enumerate(questions):
        if answers is not None:
            if n >= len(answers):
                break
            answer = answers[n]
        else:
            console.print(Text(f"{n + 1}. {question}", style="bold"))
            answer = forms.ask_text("Answer:")
        answer = strip_controls(answer).strip()[:4000]
        wash.append({"type": "hotwash", "question": question, "answer": answer, "by": by})
    if wash:
        append_after_end(path, lambda _journal: wash)
    if answers is None:  # the evaluators' ratings, now that they have heard the group
        added = later_observations(path, by)
        if added:
            console.print(Text(f"{added} observation(s) added beside the automatic ratings."))
    from scoring.debrief import write_reports

    _, written = write_reports(path)
    console.print(Text(f"{len(wash)} answers added to the after-action report: "
                       + ", ".join(str(p) for p in written.values())))
    return ExitCode.OK


def later_observations(path: Path, by: str) -> int:
    """After the hot wash: evaluators record observations of the ended drill, one by one."""
    from simulator.engine.appendix import append_after_end
    from simulator.engine.appendix import observation as checked
    from simulator.ui import forms

    added = 0
    while forms.yes_no("Record an evaluator observation of the drill?", False):
        given = observation(by, [])
        if given is None:
            continue
        append_after_end(path, lambda journal, o=given: [checked(
            journal, o["criterion"], o["rating"], o["note"], o["by"])])
        terminal.console().print(Text(f"recorded: {given['criterion']} {given['rating']}"))
        added += 1
    return added


def hotwash_command(args: argparse.Namespace) -> int:
    return hot_wash(str(args.journal), args.by, args.answer)


def observe_command(args: argparse.Namespace) -> int:
    """`tabletop observe JOURNAL CRITERION RATING NOTE`: an evaluator's rating of an ended
    drill, appended to its journal (simulator/engine/appendix.py); the reports beside it are
    written again with it."""
    from scoring.debrief import write_reports
    from simulator.engine.appendix import append_after_end, observation

    path: Path = args.journal
    [added] = append_after_end(path, lambda journal: [observation(
        journal, args.criterion, args.rating, args.note, args.by)])
    card, written = write_reports(path)
    machine = next((c.rating for c in card.criteria if c.id == added["criterion"]), "N/A")
    print(f"observation added: {added['criterion']} {added['rating']} by {added['by']} "
          f"(the scorer's rating: {machine})")
    for fmt, report in written.items():
        print(f"{fmt} report: {report}")
    return ExitCode.OK
