"""Follow-up forms: the arguments of an action, asked field by field with validation.

Each form offers only values that are valid right now (``actions.choices``), so a finished
form always passes ``actions.check``; free-text and number fields validate as you type.
A form returns the action's arguments, or None when the trainee backs out of it.
Every prompt uses ``unsafe_ask`` so Ctrl-C reaches the decider (pause / abandon).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import questionary
from questionary import Choice

from simulator.actions import asking, talk
from simulator.actions.catalogue import CHANGE_ACTIONS, SEVERITIES, choices, flag_segments
from simulator.engine.changes import describe, revertible, stoppable
from simulator.engine.core import Engine
from simulator.engine.team import Team
from simulator.format.textsafe import strip_controls
from simulator.texts import text as content
from simulator.ui import terminal
from simulator.ui.menus import PICK_ROWS, SCROLLBAR, cap_height

BACK = "__back__"
Validator = Callable[[str], bool | str]
Form = Callable[[Engine], dict[str, Any] | None]
DUE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\+?\d{1,3} ?(d|days?|w|weeks?))$")


# --- validators (pure; the tests call them directly too) -------------------------------
def number_between(low: float, high: float, whole: bool = False) -> Validator:
    def check(text: str) -> bool | str:
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            return f"type a {'whole ' if whole else ''}number from {low:g} to {high:g}"
        return True if low <= value <= high else f"must be from {low:g} to {high:g}"
    return check


def required(what: str) -> Validator:
    return lambda text: True if text.strip() else f"{what} cannot be empty"


def due_date(text: str) -> bool | str:
    if DUE.match(text.strip()):
        return True
    return "a date like 2026-12-01, or a delay like '+7 days' or '2 weeks'"


# --- prompt helpers ----------------------------------------------------------------------
def pick(message: str, options: list[tuple[str, Any]], back: bool = True,
         default: Any = None) -> Any:
    """Select one value; returns None when the trainee picks '← back'."""
    capped = len(options) + back > PICK_ROWS  # scrolls, with a scrollbar on the right
    width = (terminal.console().width - len(" » ") - 1  # the terminal would cut it mid-word
             - (SCROLLBAR if capped else 0))
    items = [Choice(title if len(title) <= width else title[:width - 1].rstrip() + "…", value)
             for title, value in options]
    if back:
        items.append(Choice("← back", BACK))
    start = next((c for c in items if c.value == default), None)
    answer = terminal.ask(cap_height(questionary.select(
        message, items, default=start,
        instruction=f"(↑↓ then enter; {len(items)} entries, scrolls)" if capped
        else "(↑↓ then enter)"), len(items), PICK_ROWS))
    return None if answer == BACK else answer


def who_decides(team: Team, action_id: str, commander: str | None = None) -> str | None:
    """Who of the team takes this decision, among those its role lets decide it
    (Team.refusal: the same rule a player's own terminal and a decisions file obey); Enter
    alone accepts the role's owner (for the IC's actions, whoever holds command now)."""
    owner = team.default_owner(action_id, commander)
    people = [(f"{m.name} ({m.role})", m.name) for m in team.deciders(action_id, commander)]
    return pick(f"Who decides? (enter: {owner.name}, the {owner.role})", people,
                default=owner.name)


def yes_no(message: str, default: bool) -> bool:
    """A yes/no question that needs Enter after y or n.

    questionary's default confirm answers on the y key alone, so the Enter a trainee types
    out of habit fell through into the next menu and chose its first entry.
    """
    hint = "(y/N, then enter)" if not default else "(Y/n, then enter)"
    answer = terminal.ask(questionary.confirm(message, default=default, auto_enter=False,
                                              instruction=hint))
    return bool(answer)


def ask_text(message: str, validate: Validator | None = None, default: str = "") -> str:
    """A line the trainee types. Pasted text may carry control characters (a copied
    terminal line keeps its colour codes); they are removed here, before anything is
    journaled, so a journal never holds one (see simulator.format.textsafe)."""
    answer = terminal.ask(questionary.text(message, default=default, validate=validate))
    return strip_controls(str(answer)).strip()


def ask_number(message: str, low: float, high: float, default: float | None = None,
               whole: bool = False) -> float | int:
    """A number, with its default named in the question and taken by Enter alone.

    The field starts empty: a pre-filled "15" was typed into, not replaced, so a trainee
    who typed 5 sent 155 (and a menu key pressed in the field landed in it too)."""
    check = number_between(low, high, whole)
    if default is not None:
        message = f"{message} (enter = {default:g})"
        inner = check
        check = lambda text: True if not text.strip() else inner(text)  # noqa: E731
    text = ask_text(message, check)
    if not text and default is not None:
        return int(default) if whole else float(default)
    return int(text) if whole else float(text)


def ask_list(message: str) -> list[str]:
    """Several short lines, one per prompt; an empty line ends the list."""
    items: list[str] = []
    while True:
        line = ask_text(f"{message} #{len(items) + 1} (empty line when done)")
        if not line:
            return items
        items.append(line)


def _person(engine: Engine, pid: str) -> str:
    person = engine.scenario.person(pid)
    if person is None or pid == "ic":
        return "Me (the IC)"
    skills = f" [{', '.join(person.skills)}]" if person.skills else ""
    return f"{person.name}, {person.role}{skills}"


def severity_labels() -> dict[str, str]:
    """What each severity means, worded as in docs/process.md ("Pick a severity")."""
    return {s: content(f"severity_{s}") for s in SEVERITIES}


# --- the forms ---------------------------------------------------------------------------
def declare(engine: Engine) -> dict[str, Any] | None:
    labels = severity_labels()
    severity = pick("Severity?", [(f"{s}  {labels[s]}", s)
                                  for s in choices(engine, "declare")["severity"]])
    return None if severity is None else {"severity": severity}


def hand_over(engine: Engine) -> dict[str, Any] | None:
    """To a responder, or (team drills) to another player, who takes the IC's actions."""
    to = pick("Hand command to whom?", [
        (f"{p}, a player of the team (takes the IC's actions)" if p in engine.people
         else _person(engine, p), p) for p in choices(engine, "hand_over")["to"]])
    if to is None:
        return None
    return {"to": to, "summary": ask_text("Handover summary (state, theory, what is running)",
                                          required("the summary"))}


def assign_role(engine: Engine) -> dict[str, Any] | None:
    found = choices(engine, "assign_role")
    person = pick("Who?", [(_person(engine, p), p) for p in found["person"]])
    if person is None:
        return None
    role = pick("Which role?", [(r, r) for r in found["role"]])
    return None if role is None else {"person": person, "role": role}


def _investigation_choices(engine: Engine, ids: list[str]) -> list[tuple[str, str]]:
    out = []
    for inv in engine.scenario.investigations:
        if inv.id in ids:
            skill = f", needs {inv.skill}" if inv.skill else ""
            out.append((f"{inv.title} (~{inv.minutes:g} min{skill})", inv.id))
    return out


def delegate(engine: Engine) -> dict[str, Any] | None:
    found = choices(engine, "delegate")
    responder = pick("Delegate to whom? (only free responders)",
                     [(_person(engine, p), p) for p in found["responder"]])
    if responder is None:
        return None
    what = pick("What should they find out?", _investigation_choices(engine,
                                                                      found["investigation"]))
    if what is None:
        return None
    timebox = ask_number("Time box in minutes (report back by then)", 1, 60, 10, whole=True)
    return {"responder": responder, "investigation": what, "timebox_minutes": timebox}


def investigate(engine: Engine) -> dict[str, Any] | None:
    what = pick("What do you check yourself? (you coordinate nothing meanwhile)",
                _investigation_choices(engine, choices(engine, "investigate")["investigation"]))
    return None if what is None else {"investigation": what}


def _target(engine: Engine, action_id: str) -> dict[str, Any] | None:
    """The first part of a change form: what exactly changes."""
    found = choices(engine, action_id)
    if action_id == "rollback":
        svc = pick("Roll back which service?", [(s, s) for s in found["service"]])
        return None if svc is None else {"service": svc}
    if action_id == "roll_forward":
        fixed = {s.id: s.fixed_version for s in engine.scenario.system.services}
        svc = pick("Roll which service forward?", [(f"{s} to {fixed[s]}", s)
                                                   for s in found["service"]])
        return None if svc is None else {"service": svc}
    if action_id == "revert_change":
        landed = revertible(engine)
        key = pick("Revert which change?", [(f"{landed[k].title} (landed "
                                              f"{engine.clock(landed[k].applied or 0)})", k)
                                             for k in found["change"]])
        return None if key is None else {"change": key}
    if action_id == "toggle_flag":
        flag = pick("Which flag?", [(f, f) for f in found["flag"]])
        if flag is None:
            return None
        state = pick("Turn it", [("off", "off"), ("on", "on")], back=False)
        segment = pick("For whom?", [(s, s) for s in flag_segments(engine, flag)], back=False)
        return {"flag": flag, "state": state, "segment": segment}
    if action_id == "failover":
        region = pick("Fail over to which region?", [(r, r) for r in found["region"]])
        return None if region is None else {"region": region}
    if action_id == "scale":
        svc = pick("Scale which service?", [(f"{s} (now {engine.world.replicas[s]} replicas)", s)
                                           for s in found["service"]])
        if svc is None:
            return None
        return {"service": svc, "replicas": ask_number("How many replicas?", 1, 100,
                                                       engine.world.replicas[svc], whole=True)}
    if action_id == "set_config":
        key = pick("Which setting?", [(f"{k} (now {engine.world.config[k]})", k)
                                      for k in found["key"]])
        if key is None:
            return None
        current = engine.world.config[key]
        if isinstance(current, (int, float)):
            value: Any = ask_number(f"New value for {key}", 0, 1_000_000, whole=isinstance(
                current, int))
        else:
            value = ask_text(f"New value for {key}", required("the value"))
        return {"key": key, "value": value}
    if action_id == "restart":
        target = pick("Restart what?", [(t, t) for t in found["target"]])
        return None if target is None else {"target": target}
    fixes = {f.id: f.title for f in engine.scenario.fixes}
    fix = pick("Which fix?", [(f"{fixes[f]} ({f})", f) for f in found["fix"]])
    return None if fix is None else {"fix": fix}


def change_form(action_id: str) -> Form:
    def form(engine: Engine) -> dict[str, Any] | None:
        args = _target(engine, action_id)
        if args is None:
            return None
        by = pick("Who makes the change?", [(_person(engine, p), p)
                                            for p in choices(engine, action_id)["by"]],
                  default=next((p for p in choices(engine, action_id)["by"] if p != "ic"), None))
        if by is None:
            return None
        who = "I" if by == "ic" else engine.name(by).split()[0]
        key_metric = engine.scenario.metric(engine.scenario.impact.metric).title.lower()
        default = (f"I'm going to {describe(engine, action_id, args)[1]}; {who} will run it. "
                   f"Watch {key_metric}.")
        announcement = ask_text("Announcement posted in the channel before the change "
                                "(empty = change silently)", default=default)
        return {**args, "by": by, "announcement": announcement}
    return form


def post_update(engine: Engine) -> dict[str, Any] | None:
    audience = pick("Who is this update for?", [(a, a) for a in choices(engine, "post_update")[
        "audience"]], default="all")
    if audience is None:
        return None
    impact = ask_text("User impact, in plain words", required("the impact"))
    doing = ask_text("What the team is doing now", required("what you are doing"))
    nxt = ask_number("Next update in how many minutes?", 1, 60, 15, whole=True)
    return {"audience": audience, "impact": impact, "doing": doing, "next_update_minutes": nxt}


def note(engine: Engine) -> dict[str, Any] | None:
    return {"text": ask_text("Timeline note (finding, decision or result)",
                             required("the note"))}


def wait(engine: Engine) -> dict[str, Any] | None:
    minutes = ask_number("Wait how many minutes?", 0.5, 30, 1)
    early = yes_no("Come back early if news arrives or an update falls due?", default=True)
    return {"minutes": minutes, "until_news": True} if early else {"minutes": minutes}


def declare_resolved(engine: Engine) -> dict[str, Any] | None:
    """Nothing here is pre-filled with a claim: whether the service is restored and the
    metrics held is the IC's to state (and is graded against the truth). Only the harm
    counted so far, a measured figure, is offered as a starting point."""
    sc = engine.scenario
    impact = f"about {round(engine.failed_total):,} {sc.impact.unit}"
    return {
        "message": ask_text("Resolution message (what is true now: state the metrics you see)",
                            required("the message")),
        "root_cause": ask_text("Root cause, as far as you know it", required("the root cause")),
        "fix": ask_text("Fix applied", required("the fix")),
        "customer_impact": ask_text("Customer impact", required("the impact"), impact),
        "follow_up": ask_text("Postmortem date and immediate follow-ups",
                              required("the follow-up")),
    }


def action_items(engine: Engine) -> list[dict[str, str]]:
    people = [(p.name, p.id) for p in engine.scenario.roster.responders]
    if engine.scenario.roster.comms_lead:
        lead = engine.scenario.roster.comms_lead
        people.append((lead.name, lead.id))
    items: list[dict[str, str]] = []
    while True:
        what = ask_text(f"Action item #{len(items) + 1} (empty line when done)")
        if not what:
            return items
        owner = pick("Owner?", people, back=False)
        due = ask_text("Due (2026-12-01, +7 days, 2 weeks)", due_date, "+7 days")
        items.append({"what": what, "owner": owner, "due": due})


def write_postmortem(engine: Engine) -> dict[str, Any] | None:
    return {
        "summary": ask_text("Summary: what happened, in two sentences", required("the summary")),
        "timeline": ask_text("Timeline highlights (key times: start, declared, mitigated)"),
        "root_cause": ask_text("Root cause (the system, not a person)", required("the root cause")),
        "contributing_factors": ask_list("Contributing factor"),
        "went_well": ask_list("Went well"),
        "went_poorly": ask_list("Went poorly"),
        "action_items": action_items(engine),
        "lessons": ask_list("Lesson learned"),
    }


def finish(engine: Engine) -> dict[str, Any] | None:
    sure = yes_no("End the drill without a postmortem? It will be graded as missing.",
                  default=False)
    return {} if sure else None


def cancel_change(engine: Engine) -> dict[str, Any] | None:
    running = stoppable(engine)
    key = pick("Stop which change?", [(f"{running[k].title} ({engine.name(running[k].by)})", k)
                                      for k in choices(engine, "cancel_change")["change"]])
    return None if key is None else {"change": key}


def reply(engine: Engine) -> dict[str, Any] | None:
    def label(person: str) -> str:
        asked = " ".join(talk.last_question(engine, person).split())
        return asked if len(asked) <= 70 else asked[:69] + "…"
    to = pick("Reply to whom? (their last question)", [(label(p), p) for p in choices(
        engine, "reply")["to"]])
    if to is None:
        return None
    return {"to": to, "text": ask_text(f"Your answer to {engine.name(to)}",
                                       required("the answer"))}


def tell(engine: Engine) -> dict[str, Any] | None:
    running = {c.by: c.title for c in stoppable(engine).values()}
    person = pick("Tell whom?", [(_person(engine, p) + (f" — running: {running[p]}"
                                                        if p in running else ""), p)
                                 for p in choices(engine, "tell")["person"]])
    if person is None:
        return None
    says = pick("Tell them to", [
        ("stop: stop the change you are running, change nothing more", "stop"),
        ("hold off: nothing on your own (don't restart, no to that change)", "hold")])
    if says is None:
        return None
    about = ask_text("About what? (optional, e.g. 'no to raising max_connections')")
    return {"person": person, "says": says, **({"about": about} if about else {})}


def set_severity(engine: Engine) -> dict[str, Any] | None:
    found = [s for s in choices(engine, "set_severity")["severity"] if s != engine.severity]
    severity = pick(f"New severity (now {engine.severity})?",
                    [(f"{s}  {severity_labels()[s]}", s) for s in found])
    if severity is None:
        return None
    reason = ask_text("Why (optional: what changed in the impact)")
    return {"severity": severity, **({"reason": reason} if reason else {})}


def schedule_postmortem(engine: Engine) -> dict[str, Any] | None:
    when = ask_text("When is the postmortem meeting?", required("the date"),
                    "tomorrow 10:00")
    owner = pick("Who owns it?", [(_person(engine, p), p) for p in choices(
        engine, "schedule_postmortem")["owner"]], back=False)
    return {"when": when, "owner": owner}


def ask(engine: Engine) -> dict[str, Any] | None:
    known = asking.knowledge(engine)
    person = pick("Ask whom?", [(_person(engine, p), p) for p in known])
    if person is None:
        return None
    question = pick("Ask what?", [(k.question, k.id) for k in known[person].values()])
    return None if question is None else {"person": person, "question": question}


def quick_check(engine: Engine) -> dict[str, Any] | None:
    looks = {i.id: i for i in engine.scenario.investigations}
    what = pick("Glance at what? (about a minute of your time)",
                [(looks[i].title, i) for i in asking.quick_looks(engine)])
    return None if what is None else {"investigation": what}


def page(engine: Engine) -> dict[str, Any] | None:
    on_call = {p.id: p for p in engine.scenario.roster.on_call}
    person = pick("Page whom?", [(f"{on_call[p].team}: {on_call[p].name}, "
                                  f"{on_call[p].role} (joins in ~{on_call[p].joins_minutes:g} "
                                  "min)", p) for p in choices(engine, "page")["person"]])
    if person is None:
        return None
    reason = ask_text("What do you need from them? (optional)")
    return {"person": person, **({"reason": reason} if reason else {})}


FORMS: dict[str, Form] = {
    "page": page,
    "ask": ask, "quick_check": quick_check,
    "cancel_change": cancel_change, "reply": reply, "tell": tell,
    "set_severity": set_severity, "schedule_postmortem": schedule_postmortem,
    "declare": declare, "hand_over": hand_over, "assign_role": assign_role,
    "delegate": delegate, "investigate": investigate, "post_update": post_update,
    "note": note, "wait": wait, "declare_resolved": declare_resolved,
    "write_postmortem": write_postmortem, "finish": finish,
    **{a: change_form(a) for a in CHANGE_ACTIONS},
}


def fill(engine: Engine, action_id: str) -> dict[str, Any] | None:
    """The arguments for ``action_id`` (an empty dict when it takes none), or None to go back."""
    form = FORMS.get(action_id)
    return {} if form is None else form(engine)
