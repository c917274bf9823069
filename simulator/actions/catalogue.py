"""The IC action catalogue: what exists in a drill, what it needs, what it does.

Which actions exist follows from the scenario's system (no previous version, no rollback;
one region, no failover). Each action validates its arguments with a message a scripted
player can act on, and runs as a SimPy generator that spends the IC's simulated time.
Titles, help texts and time costs are content (catalogue.yaml); the mechanisms are here.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulator.actions import asking, paging, talk
from simulator.engine.changes import change, revertible, stop, stoppable
from simulator.engine.core import Engine, Task
from simulator.engine.world import SECONDS
from simulator.format.conditions import on_off
from simulator.texts import catalogue, text

SEVERITIES = ("P1", "P2", "P3")
ROLES = ("comms", "scribe", "operator", "investigator")
AUDIENCES = ("leadership", "support", "engineering", "customers", "all")
CHANGE_ACTIONS = ("rollback", "roll_forward", "toggle_flag", "failover", "scale", "set_config",
                  "restart", "apply_fix", "revert_change")
CLOSING_ACTIONS = ("write_postmortem", "schedule_postmortem", "finish")
POSTMORTEM_LISTS = ("contributing_factors", "went_well", "went_poorly", "lessons")
POSTMORTEM_TEXTS = ("summary", "timeline", "root_cause")


@dataclass(frozen=True)
class Action:
    """One IC decision: an action id and its arguments (what prompts, scripts and bots give)."""

    id: str
    args: dict[str, Any] = field(default_factory=dict)
    think_seconds: float = 0.0
    #: the person who decided it, when a team plays (None: the role's default owner)
    who: str | None = None


@dataclass(frozen=True)
class Option:
    id: str
    group: str
    title: str
    help: str
    seconds: float
    enabled: bool
    reason: str = ""


# --- what exists, and what can be chosen -------------------------------------------------
def choices(engine: Engine, action_id: str) -> dict[str, list[str]]:
    """For each choice-type argument of an action, the values that are valid right now.

    Only the asked-for action's values are computed: menus and checks call this for every
    action at every decision, and some values evaluate scenario conditions.
    """
    sc, world = engine.scenario, engine.world

    def idle() -> list[str]:
        team = [p.id for p in sc.roster.responders] + paging.joined(engine)
        return [p for p in team if not engine.busy(p)]

    def open_investigations() -> list[str]:
        return [i.id for i in sc.investigations
                if i.id not in engine.done_investigations
                and i.id not in engine.running_investigations
                and (i.available_when is None or _holds(engine, i.available_when))]

    def by(values: dict[str, list[str]]) -> dict[str, list[str]]:
        return {**values, "by": ["ic", *idle()]}

    table: dict[str, Callable[[], dict[str, list[str]]]] = {
        "declare": lambda: {"severity": list(SEVERITIES)},
        "set_severity": lambda: {"severity": list(SEVERITIES)},
        "schedule_postmortem": lambda: {"owner": ["ic", *_people(engine)]},
        "hand_over": lambda: {"to": [*(p.id for p in sc.roster.responders),
                                     *(n for n in engine.people if n != engine.holder
                                       and sc.person(n) is None)]},
        "assign_role": lambda: {"person": _people(engine), "role": list(ROLES)},
        "delegate": lambda: {"responder": idle(), "investigation": open_investigations()},
        "investigate": lambda: {"investigation": open_investigations()},
        "rollback": lambda: by({"service": [
            s.id for s in sc.system.services if s.previous_version
            and world.versions[s.id] != s.previous_version
            and not _pending(engine, f"rollback:{s.id}")]}),
        "toggle_flag": lambda: by({"flag": [
            f.id for f in sc.system.feature_flags
            if f.available_when is None or _holds(engine, f.available_when)],
                                   "state": ["off", "on"]}),
        "failover": lambda: by({"region": [r.id for r in sc.system.regions
                                           if r.id != world.active_region]}),
        "scale": lambda: by({"service": list(world.replicas)}),
        "set_config": lambda: by({"key": list(world.config)}),
        "restart": lambda: by({"target": list(sc.restart_targets())}),
        "apply_fix": lambda: by({"fix": [
            f.id for f in sc.fixes if not _pending(engine, f"fix:{f.id}")
            and (f.available_when is None or _holds(engine, f.available_when))]}),
        "post_update": lambda: {"audience": list(AUDIENCES)},
        "roll_forward": lambda: by({"service": [
            s.id for s in sc.system.services if s.fixed_version
            and world.versions[s.id] != s.fixed_version
            and not _pending(engine, f"rollforward:{s.id}")
            and (s.fixed_version_when is None or _holds(engine, s.fixed_version_when))]}),
        "revert_change": lambda: by({"change": list(revertible(engine))}),
        "cancel_change": lambda: {"change": list(stoppable(engine))},
        "reply": lambda: {"to": talk.askers(engine)},
        "ask": lambda: {"person": list(asking.knowledge(engine)),
                        "question": sorted({q for k in asking.knowledge(engine).values()
                                            for q in k})},
        "quick_check": lambda: {"investigation": asking.quick_looks(engine)},
        "page": lambda: {"person": paging.pageable(engine)},
        "tell": lambda: {"person": [p.id for p in sc.roster.responders] + paging.joined(engine),
                         "says": list(talk.SAYS)},
    }
    make = table.get(action_id)
    return make() if make is not None else {}


def flag_segments(engine: Engine, flag: str) -> list[str]:
    found = next((f for f in engine.scenario.system.feature_flags if f.id == flag), None)
    return list(found.segments) if found else []


def _people(engine: Engine) -> list[str]:
    roster = engine.scenario.roster
    people = [p.id for p in roster.responders] + paging.joined(engine)
    if roster.comms_lead:
        people.append(roster.comms_lead.id)
    return people


def _holds(engine: Engine, cond: Any) -> bool:
    from simulator.format.conditions import holds

    engine.world.now = engine.now
    return holds(cond, engine.world)


def _pending(engine: Engine, key: str) -> bool:
    return any(c.key == key for c in engine.in_flight())


def exists(engine: Engine, action_id: str) -> bool:
    """Does this action make sense for this scenario's system at all?"""
    sc = engine.scenario
    return {
        "rollback": any(s.previous_version for s in sc.system.services),
        "toggle_flag": bool(sc.system.feature_flags),
        "failover": len(sc.system.regions) > 1,
        "scale": any(s.replicas for s in sc.system.services),
        "set_config": bool(sc.config_values()),
        "apply_fix": bool(sc.fixes),
        "ask": any(p.knows for p in sc.roster.responders),
        "page": bool(sc.roster.on_call),
        "quick_check": any(i.quick_look for i in sc.investigations),
        "roll_forward": any(s.fixed_version for s in sc.system.services),
    }.get(action_id, True)


def options(engine: Engine, closing: bool = False) -> list[Option]:
    """Every action of this drill, enabled or disabled with the reason why."""
    out = []
    for action_id, meta in catalogue().items():
        if not exists(engine, action_id):
            continue
        reason = _unavailable(engine, action_id, closing)
        out.append(Option(action_id, meta["group"], meta["title"], meta["help"],
                          float(meta["seconds"]), reason == "", reason))
    return out


def _unavailable(engine: Engine, action_id: str, closing: bool) -> str:
    facts = engine.world.facts
    if closing:
        return "" if action_id in CLOSING_ACTIONS else "the incident is closed"
    if action_id in CLOSING_ACTIONS:  # after a reopen the trainee may also stop there
        return "" if engine.reopens else "available once the incident is resolved"
    once = {"acknowledge": "acknowledged", "open_channel": "channel-open",
            "freeze_changes": "changes-frozen"}
    if action_id in once and once[action_id] in facts:
        return "already done"
    if action_id == "take_command" and engine.commander == "ic":
        return "you already hold command"
    if action_id in ("delegate", "investigate"):
        found = choices(engine, action_id)
        if not found["investigation"]:
            return "no open investigation"
        if action_id == "delegate" and not found["responder"]:
            return "every responder is busy"
    if action_id == "roll_forward" and not choices(engine, "roll_forward")["service"]:
        return "no fixed version is ready yet"
    if action_id == "revert_change" and not choices(engine, "revert_change")["change"]:
        return "no landed change can be reverted"
    if action_id == "set_severity" and "declared" not in facts:
        return "declare the incident first"
    if action_id == "page" and not paging.pageable(engine):
        return "everyone on call has been paged"
    if action_id == "ask" and not asking.knowledge(engine):
        return "nobody has a quick answer left to give"
    if action_id == "quick_check" and not asking.quick_looks(engine):
        return "nothing left to glance at"
    if action_id == "reply" and not talk.askers(engine):
        return "no stakeholder has asked anything yet"
    if action_id == "cancel_change" and not choices(engine, "cancel_change")["change"]:
        return "no change is running (your own change holds you until it lands)"
    if action_id == "rollback" and not choices(engine, "rollback")["service"]:
        return "nothing left to roll back"
    if action_id == "failover" and not choices(engine, "failover")["region"]:
        return "no other region"
    if action_id == "restart" and not choices(engine, "restart")["target"]:
        return "nothing here can be restarted"
    if action_id == "toggle_flag" and not choices(engine, "toggle_flag")["flag"]:
        return "no flag can be switched now"
    if action_id == "apply_fix" and not choices(engine, "apply_fix")["fix"]:
        return "no fix is known yet: investigate first"
    return ""


def normalize(action: Action) -> Action:
    """Accept YAML's boolean reading of a bare on/off for a flag state."""
    state = action.args.get("state")
    if isinstance(state, bool):
        return Action(action.id, {**action.args, "state": on_off(state)}, action.think_seconds,
                      action.who)
    return action


# --- argument checking --------------------------------------------------------------------
def check(engine: Engine, action: Action, closing: bool = False) -> str | None:
    """Why this action cannot run now, or None. Messages say how to fix the decision."""
    meta = catalogue().get(action.id)
    if meta is None or not exists(engine, action.id):
        known = ", ".join(o.id for o in options(engine, closing))
        return f"unknown action '{action.id}' (actions in this drill: {known})"
    reason = _unavailable(engine, action.id, closing)
    if reason:
        return f"'{action.id}' is not possible now: {reason}"
    args = dict(action.args)
    for arg, valid in choices(engine, action.id).items():
        if arg == "by" and arg not in args:
            continue
        if arg not in args:
            return f"'{action.id}' needs '{arg}' (one of: {', '.join(valid) or 'none now'})"
        if str(args[arg]) not in valid:
            return (f"'{action.id}': {arg} {args[arg]!r} is not possible now "
                    f"(one of: {', '.join(valid) or 'none now'})")
    return _check_values(engine, action.id, args) or _already(engine, action.id, args)


def _already(engine: Engine, action_id: str, args: dict[str, Any]) -> str | None:
    """Refuse a decision that would change nothing (a no-op still costs the IC time)."""
    world = engine.world
    if action_id == "declare" and engine.severity == args["severity"]:
        return f"'declare': already declared {engine.severity}"
    if action_id == "set_severity" and engine.severity == args["severity"]:
        return f"'set_severity': the severity is already {engine.severity}"
    if action_id == "assign_role" and engine.roles.get(args["person"]) == args["role"]:
        return f"'assign_role': {args['person']} is already {args['role']}"
    if action_id == "toggle_flag":
        segment = args.get("segment", "all")
        if world.flag_state(args["flag"], segment) == args["state"] and (
                segment != "all" or set(world.flags[args["flag"]].values()) == {args["state"]}):
            return f"'toggle_flag': {args['flag']} is already {args['state']} for {segment}"
    if action_id == "scale" and world.replicas.get(args["service"]) == args["replicas"]:
        return f"'scale': {args['service']} already runs {args['replicas']} replicas"
    if action_id in ("set_config", "apply_fix"):
        from simulator.engine.changes import describe

        mutations = describe(engine, action_id, args)[3]
        if mutations and all(_holds_already(engine, m) for m in mutations):
            return f"'{action_id}': already in effect"
    return None


def _holds_already(engine: Engine, m: Any) -> bool:
    world = engine.world
    if m.service is not None and world.versions.get(m.service) != m.version:
        return False
    if m.config is not None and world.config_value(m.config) != m.value:
        return False
    if m.flag is not None and world.flag_state(m.flag, m.segment) != m.state:
        return False
    if m.set_fact and m.set_fact not in world.facts:
        return False
    return not (m.clear_fact and m.clear_fact in world.facts)


def _check_values(engine: Engine, action_id: str, args: dict[str, Any]) -> str | None:
    def number(name: str, low: float, high: float, required: bool = True) -> str | None:
        if name not in args:
            return f"'{action_id}' needs '{name}' (a number {low:g}-{high:g})" if required else None
        value = args[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                low <= value <= high):
            return f"'{action_id}': {name} must be a number from {low:g} to {high:g}"
        return None

    def texts(*names: str, required: bool = False) -> str | None:
        for name in names:
            if name in args and not isinstance(args[name], str):
                return f"'{action_id}': {name} must be text"
            if required and not str(args.get(name, "")).strip():
                return f"'{action_id}' needs '{name}' (text)"
        return None

    allowed = set(choices(engine, action_id)) | _extra_args(action_id)
    unknown = sorted(set(args) - allowed)
    if unknown:
        return (f"'{action_id}': unknown argument '{unknown[0]}' "
                f"(allowed: {', '.join(sorted(allowed)) or 'none'})")
    if action_id in CHANGE_ACTIONS and (err := texts("announcement")):
        return err
    if action_id == "toggle_flag":
        segments = flag_segments(engine, str(args["flag"]))
        segment = args.get("segment", "all")
        if segment not in segments:
            return f"'toggle_flag': segment {segment!r} is not one of {', '.join(segments)}"
    if action_id == "scale":
        return number("replicas", 1, 100)
    if action_id == "set_config":
        current = engine.world.config[str(args["key"])]
        if "value" not in args:
            return "'set_config' needs 'value'"
        if isinstance(current, (int, float)) and (
                isinstance(args["value"], bool) or not isinstance(args["value"], (int, float))):
            return f"'set_config': {args['key']} takes a number"
    if action_id == "wait":
        if not isinstance(args.get("until_news", False), bool):
            return "'wait': until_news must be true or false"
        return number("minutes", 0.05, 30)
    if action_id == "delegate":
        return number("timebox_minutes", 1, 60, required=False)
    if action_id == "post_update":
        return number("next_update_minutes", 1, 60, required=False) or texts(
            "impact", "doing", "message")
    if action_id in ("reply", "tell"):
        return talk.check(engine, action_id, args)
    if action_id == "ask":
        return asking.check(engine, action_id, args)
    if action_id == "note":
        return texts("text", required=True)
    if action_id == "hand_over":
        return texts("summary")
    if action_id == "declare_resolved":
        return texts("message", "root_cause", "fix", "customer_impact", "follow_up")
    if action_id == "write_postmortem":
        return check_postmortem(args)
    if action_id in ("set_severity", "page"):
        return texts("reason")
    if action_id == "schedule_postmortem":
        return texts("when", required=True)
    return None


def _extra_args(action_id: str) -> set[str]:
    extra = {
        "toggle_flag": {"segment"}, "scale": {"replicas"}, "set_config": {"value"},
        "wait": {"minutes", "until_news"}, "delegate": {"timebox_minutes"},
        "post_update": {"impact", "doing", "next_update_minutes", "message"},
        "note": {"text"}, "hand_over": {"summary"}, "schedule_postmortem": {"when"},
        "set_severity": {"reason"}, "page": {"reason"}, "reply": {"text"}, "tell": {"about"},
        "declare_resolved": {"message", "root_cause", "fix", "customer_impact", "follow_up"},
        "write_postmortem": {*POSTMORTEM_TEXTS, *POSTMORTEM_LISTS, "action_items"},
    }.get(action_id, set())
    return extra | ({"announcement", "by"} if action_id in CHANGE_ACTIONS else set())


def check_postmortem(args: dict[str, Any]) -> str | None:
    """Why these postmortem sections are malformed, or None (also for a file written later)."""
    unknown = sorted(set(args) - {*POSTMORTEM_TEXTS, *POSTMORTEM_LISTS, "action_items"})
    if unknown:
        return (f"'write_postmortem': unknown section '{unknown[0]}' (sections: "
                f"{', '.join([*POSTMORTEM_TEXTS, *POSTMORTEM_LISTS, 'action_items'])})")
    for name in POSTMORTEM_TEXTS:
        if name in args and not isinstance(args[name], str):
            return f"'write_postmortem': {name} must be text"
    for name in POSTMORTEM_LISTS:
        if name in args and not (isinstance(args[name], list)
                                 and all(isinstance(x, str) for x in args[name])):
            return f"'write_postmortem': {name} must be a list of texts"
    items = args.get("action_items", [])
    if not isinstance(items, list):
        return "'write_postmortem': action_items must be a list"
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("what"), str):
            return f"'write_postmortem': action_items[{i}] needs 'what' (and 'owner', 'due')"
        if set(item) - {"what", "owner", "due"}:
            return f"'write_postmortem': action_items[{i}] takes only what, owner and due"
    return None


# --- execution ----------------------------------------------------------------------------
Gen = Generator[simpy.Event, Any, None]


def cost(engine: Engine, action_id: str) -> float:
    return float(catalogue()[action_id]["seconds"]) * engine.ic_slowdown


def execute(engine: Engine, action: Action) -> Gen:
    """Run one checked IC action: spend the IC's time, change the world, write events."""
    handler = _HANDLERS.get(action.id)
    busy = cost(engine, action.id)
    if busy:
        yield engine.env.timeout(busy)
    if handler is not None:
        result = handler(engine, action.args)
        if result is not None:
            yield from result


def _simple(kind: str, fact: str | None, say: Callable[[Engine, dict[str, Any]], str]
            ) -> Callable[[Engine, dict[str, Any]], None]:
    def run(engine: Engine, args: dict[str, Any]) -> None:
        if fact:
            engine.world.facts.add(fact)
        engine.emit(kind, "ic", say(engine, args), **args)
    return run


def _declare(engine: Engine, args: dict[str, Any]) -> None:
    engine.world.facts.add("declared")
    engine.severity = args["severity"]
    engine.commander = engine.commander or "ic"
    engine.emit("declare", "ic", f"IC ({engine.name('ic')}): declaring a {args['severity']} "
                "incident. I am the incident commander.", severity=args["severity"])


def _set_severity(engine: Engine, args: dict[str, Any]) -> None:
    """Re-rate the incident as the picture changes; the declaration and the IC stand."""
    was, engine.severity = engine.severity, args["severity"]
    reason = str(args.get("reason", "")).strip()
    engine.emit("severity_changed", "ic", text("severity_changed", ic=engine.name("ic"),
                severity=args["severity"], was=was, why=f" {reason}" if reason else ""),
                was=was, **args)


def _take_command(engine: Engine, args: dict[str, Any]) -> None:
    engine.commander = "ic"
    engine.emit("take_command", "ic", f"{engine.name('ic')}: I have command of this incident.")


def _hand_over(engine: Engine, args: dict[str, Any]) -> None:
    to = args["to"]
    if to in engine.people and engine.scenario.person(to) is None:
        # a team drill: another player takes the IC's seat (and its actions)
        outgoing, engine.holder = engine.holder, to
        engine.commander = "ic"
        engine.emit("hand_over", "ic", f"{outgoing}: handing command to {to}. "
                    f"{args.get('summary', '')}".strip(), **args, **{"from": outgoing})
        return
    engine.commander = to
    engine.emit("hand_over", "ic", f"{engine.name('ic')}: handing command to "
                f"{engine.name(to)}. {args.get('summary', '')}".strip(), **args)


def _assign_role(engine: Engine, args: dict[str, Any]) -> None:
    engine.roles[args["person"]] = args["role"]
    if args["role"] == "comms":
        engine.world.facts.add("comms-lead")
    engine.emit("assign_role", "ic", f"IC: {engine.name(args['person'])} is "
                f"{args['role']} for this incident.", **args)


def _sentence(part: str) -> str:
    """One part of an update, ending in punctuation, so joined parts read as sentences."""
    part = str(part).rstrip()
    return part if part.endswith((".", "!", "?")) else part + "."


def _post_update(engine: Engine, args: dict[str, Any]) -> None:
    engine.world.note_update(str(args['audience']), engine.now)
    nxt = args.get("next_update_minutes")
    engine.promise(str(args["audience"]), nxt)
    for person in engine.scenario.roster.stakeholders:
        if f"in-channel.{person.id}" in engine.world.facts and args["audience"] in (
                person.audience, "all"):
            engine.world.facts.discard(f"in-channel.{person.id}")
    if not any(f.startswith("in-channel.") for f in engine.world.facts):
        engine.ic_slowdown = 1.0
    parts = [args.get("message", ""), f"Impact: {args['impact']}" if args.get("impact") else "",
             f"Now: {args['doing']}" if args.get("doing") else "",
             f"Next update by {engine.clock(engine.now + nxt * SECONDS)}." if nxt else ""]
    body = " ".join(_sentence(p) for p in parts if p)
    who = engine.name(next((p for p, r in engine.roles.items() if r == "comms"), "ic"))
    engine.emit("status_update", "ic", f"{who} → {args['audience']}: {body or '(empty update)'}",
                **args)


def _delegate(engine: Engine, args: dict[str, Any]) -> Gen:
    yield from _investigation(engine, args["investigation"], args["responder"],
                              args.get("timebox_minutes"), wait=False)


def _investigate(engine: Engine, args: dict[str, Any]) -> Gen:
    yield from _investigation(engine, args["investigation"], "ic", None, wait=True)


def _investigation(engine: Engine, inv_id: str, who: str, timebox: float | None, wait: bool
                   ) -> Gen:
    inv = next(i for i in engine.scenario.investigations if i.id == inv_id)
    person = engine.scenario.roster.ic if who == "ic" else engine.scenario.person(who)
    assert person is not None
    skilled = inv.skill is None or inv.skill in person.skills
    minutes = inv.minutes / person.speed * (1.0 if skilled else 1.5)
    minutes *= engine.rng.uniform(0.85, 1.15)
    if who == "ic":
        minutes *= 1.25  # the IC is pulled away by questions while doing hands-on work
    minutes = round(minutes, 2)
    engine.running_investigations.add(inv_id)
    engine.tasks[who] = Task(who, inv.title, engine.now + minutes * SECONDS)
    verb = "checking" if who == "ic" else "on it"
    engine.emit("investigation_started", who, f"{person.name}: {verb}: {inv.title.lower()}.",
                investigation=inv_id, expected_minutes=minutes, timebox_minutes=timebox,
                delegated=who != "ic")
    process = engine.env.process(_finish_investigation(engine, inv_id, who, minutes, timebox))
    if wait:
        yield process


def _more_minutes(left: float) -> str:
    """'1 more minute', '3 more minutes': a check never has 'about 0 more minutes' left."""
    whole = max(1, round(left))
    return f"{whole} more minute" + ("" if whole == 1 else "s")


def _finish_investigation(engine: Engine, inv_id: str, who: str, minutes: float,
                          timebox: float | None = None) -> Gen:
    inv = next(i for i in engine.scenario.investigations if i.id == inv_id)
    if timebox is not None and timebox < minutes:  # report back at the time box, as asked
        yield engine.env.timeout(timebox * SECONDS)
        engine.emit("investigation_checkin", who, text(
            "timebox_checkin", by=engine.name(who), what=inv.title.lower(),
            left=_more_minutes(minutes - timebox)), investigation=inv_id,
            timebox_minutes=timebox)
        minutes -= timebox
    yield engine.env.timeout(minutes * SECONDS)
    engine.running_investigations.discard(inv_id)
    engine.done_investigations.add(inv_id)
    if engine.tasks.get(who) is not None and engine.tasks[who].title == inv.title:
        engine.tasks.pop(who)  # not a change they started meanwhile: that keeps them busy
    lost = inv_id in engine.lost_investigations or (
        inv.lost_when is not None and _holds(engine, inv.lost_when))
    learned = [] if lost else list(inv.learns)
    engine.world.known.update(learned)
    finding = inv.lost_finding if lost else inv.finding
    engine.emit("investigation_done", who, f"{engine.name(who)}: {finding}", investigation=inv_id,
                covers=list(inv.covers), learned=learned, lost=lost, red_herring=inv.red_herring)


def _wait(engine: Engine, args: dict[str, Any]) -> Gen:
    """Let time pass; with `until_news`, stop at the first thing the IC should look at
    (a finding, a landed change, a stakeholder's question) or when the first of the updates
    promised to any audience is due.
    """
    seconds = args["minutes"] * SECONDS
    engine.emit("wait", "ic", "", **args)
    if not args.get("until_news"):
        yield engine.env.timeout(seconds)
        return
    due = engine.next_promise()  # the earliest promise to any audience calls the IC back
    if due is not None and engine.now < due:
        seconds = min(seconds, due - engine.now)
    yield engine.env.timeout(seconds) | engine.news


def _cancel(engine: Engine, args: dict[str, Any]) -> None:
    """Stop a change in flight; said too late (it landed meanwhile), it changes nothing."""
    running = stoppable(engine).get(args["change"])
    if running is None:
        engine.emit("cancel_change", "ic", text("stop_too_late", change=args["change"]),
                    too_late=True, **args)
        return
    engine.emit("cancel_change", "ic", text("stop_change", name=engine.name(running.by),
                title=running.title), too_late=False, **args)
    stop(engine, args["change"])


def _change_handler(action_id: str) -> Callable[[Engine, dict[str, Any]], Gen]:
    return lambda engine, args: change(engine, action_id, args)


_HANDLERS: dict[str, Callable[[Engine, dict[str, Any]], Gen | None]] = {
    "acknowledge": _simple("acknowledge", "acknowledged",
                           lambda e, a: f"{e.name('ic')}: acknowledged, I have this alert."),
    "declare": _declare,
    "take_command": _take_command,
    "hand_over": _hand_over,
    "open_channel": _simple("open_channel", "channel-open",
                            lambda e, a: "Incident channel opened; the timeline starts here."),
    "assign_role": _assign_role,
    "freeze_changes": _simple("freeze_changes", "changes-frozen",
                              lambda e, a: "IC: change freeze. Nothing ships or restarts unless "
                                           "it is part of this response."),
    "post_update": _post_update,
    "note": _simple("note", None, lambda e, a: f"IC: {a['text']}"),
    "set_severity": lambda engine, args: _set_severity(engine, args),
    "delegate": _delegate,
    "investigate": _investigate,
    "wait": _wait,
    "cancel_change": lambda engine, args: _cancel(engine, args),
    "reply": talk.reply,
    "ask": asking.ask,
    "page": paging.page,
    "quick_check": asking.quick_check,
    "tell": talk.tell,
    **{a: _change_handler(a) for a in CHANGE_ACTIONS},
}
