"""The coach: names the process principle that applies, and fades as the trainee learns it.

Modes: ``full`` gives tips before a decision and warnings before a harmful or sloppy
action; ``light`` speaks only before a damaging action (a restart before evidence, a
second change while one is in flight, resolving before the metrics hold); ``off`` says
nothing and records nothing.

The coach is deterministic: what it says depends only on the drill state and on what it
said before, so replaying a journal's decisions rebuilds its memory exactly (that is how
`tabletop resume` continues with the same coaching). Everything it says is recorded as a
journal event (actor ``coach``); the words come from coaching.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from simulator.actions.catalogue import CHANGE_ACTIONS, Action
from simulator.engine.changes import informed
from simulator.engine.core import Engine
from simulator.engine.drill import Situation
from simulator.engine.world import SECONDS
from simulator.players.bots import change_key

MODES = ("full", "light", "off")
MAX_TIPS = 1  # one principle at a time: more is noise, and pushes the view off 80x24
DAMAGING = ("change.evidence-first", "change.one-at-a-time", "verify.before-resolve")
BLAST = {"blast_radius": "blast radius", "location": "location", "anchor_time": "anchor time",
         "system_change": "system change", "mitigation": "temporary mitigation"}
Note = Callable[..., None]


@dataclass(frozen=True)
class Tip:
    principle: str
    section: str
    text: str
    warning: bool = False


@cache
def texts() -> dict[str, Any]:
    raw = resources.files("simulator.ui").joinpath("coaching.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    assert isinstance(data, dict)
    return data


def _minutes(engine: Engine) -> float:
    return engine.now / SECONDS


def _free(engine: Engine) -> list[str]:
    return [p.name.split()[0] for p in engine.scenario.roster.responders
            if not engine.busy(p.id)]


def _people(names: list[str]) -> str:
    if len(names) == 1:
        return f"{names[0]} is"
    return f"{', '.join(names[:-1])} and {names[-1]} are"


def _open_investigations(engine: Engine) -> bool:
    return any(i.id not in engine.done_investigations | engine.running_investigations
               for i in engine.scenario.investigations)


def _uncovered(engine: Engine) -> list[str]:
    seen = engine.done_investigations | engine.running_investigations
    covered = {c for i in engine.scenario.investigations if i.id in seen for c in i.covers}
    offered = {c for i in engine.scenario.investigations for c in i.covers}
    return [name for key, name in BLAST.items() if key in offered and key not in covered]


def _moving(engine: Engine) -> tuple[str, str] | None:
    """The change whose effect is still unknown: in flight, or landed minutes ago."""
    flying = engine.in_flight()
    if flying:
        return flying[-1].title, "is still running"
    settling = [c for c in engine.settling() if not c.cancelled]  # a stopped one never landed
    if settling:
        return settling[-1].title, "has landed and is still settling"
    return None


def _tip_facts(engine: Engine) -> dict[str, dict[str, Any] | None]:
    """For each tip principle: the values for its text if it applies now, else None."""
    facts, world = engine.world.facts, engine.world
    minutes = round(_minutes(engine))
    silent = world.minutes_since_update()
    free = _free(engine)
    moving = _moving(engine)
    missing = _uncovered(engine)
    return {
        "detect.acknowledge": {"minutes": minutes} if not (
            {"acknowledged", "declared"} & facts or engine.commander) else None,
        "detect.declare": {} if "declared" not in facts else None,
        "change.freeze": {} if "changes-frozen" not in facts else None,
        "comms.first-update": {"minutes": minutes} if world.last_update_at is None else None,
        "comms.cadence": {"minutes": round(silent)} if (
            world.last_update_at is not None and silent >= 10) else None,
        "roles.delegate": {"people": _people(free)} if (
            free and _open_investigations(engine) and moving is None
            and engine.recovered_at is None) else None,
        "orient.blast": {"missing": ", ".join(missing)} if (
            missing and not engine.changes) else None,
        "change.watch-effect": {"change": moving[0], "state": moving[1]} if moving else None,
    }


def _applied(principle: str, engine: Engine, action: Action) -> bool:
    """Did this action put the principle into practice (judged before it runs)?"""
    aid, args = action.id, action.args
    investigation = str(args.get("investigation", ""))
    covers = next((i.covers for i in engine.scenario.investigations if i.id == investigation),
                  [])
    rules: dict[str, Callable[[], bool]] = {
        "detect.acknowledge": lambda: aid in ("acknowledge", "take_command", "declare"),
        "detect.declare": lambda: aid == "declare",
        "change.freeze": lambda: aid == "freeze_changes",
        "comms.first-update": lambda: aid == "post_update" and engine.world.last_update_at is None,
        "comms.cadence": lambda: aid == "post_update" and engine.world.last_update_at is not None,
        "roles.delegate": lambda: aid == "delegate",
        "orient.blast": lambda: aid in ("delegate", "investigate") and any(
            BLAST[c] in _uncovered(engine) for c in covers),
        "change.watch-effect": lambda: _moving(engine) is not None and aid not in CHANGE_ACTIONS,
        "roles.ic-hands-off": lambda: aid == "delegate" or (
            aid in CHANGE_ACTIONS and args.get("by", "ic") != "ic"),
        "change.announce": lambda: aid in CHANGE_ACTIONS and bool(
            str(args.get("announcement", "")).strip()),
    }
    rule = rules.get(principle)
    return rule is not None and rule()


def _warning_facts(engine: Engine, action: Action) -> dict[str, dict[str, Any]]:
    """Every warning this action deserves right now, with the values for its text."""
    out: dict[str, dict[str, Any]] = {}
    aid, args = action.id, action.args
    if aid in CHANGE_ACTIONS:
        moving = _moving(engine)
        if moving:
            out["change.one-at-a-time"] = {"change": moving[0], "state": moving[1]}
        if aid == "restart" and not informed(engine, change_key(aid, args)):
            out["change.evidence-first"] = {}
        elif not engine.done_investigations:
            out["loop.evidence-before-fix"] = {}
        if not str(args.get("announcement", "")).strip():
            out["change.announce"] = {}
    free = _free(engine)
    hands_on = aid == "investigate" or (aid in CHANGE_ACTIONS and args.get("by", "ic") == "ic")
    if hands_on and free:
        out["roles.ic-hands-off"] = {"people": _people(free)}
    if aid == "declare_resolved":
        detail = _unverified(engine)
        if detail:
            out["verify.before-resolve"] = {
                "detail": detail, "hold": f"{engine.scenario.success.hold_minutes:g}"}
    return out


def _unverified(engine: Engine) -> str:
    sc, world = engine.scenario, engine.world
    bad = [sc.metric(m).title for m in sc.success.metrics if not world.within_slo(m)]
    if bad:
        return f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} still outside the SLO."
    if engine.healthy_since is None or engine.recovered_at is None:
        held = 0.0 if engine.healthy_since is None else engine.now - engine.healthy_since
        return f"The metrics have been within the SLO for only {held / SECONDS:.0f} min."
    return ""


class Coach:
    """Per-drill coaching memory: when each tip was last said, credits, faded principles."""

    def __init__(self, mode: str = "full") -> None:
        if mode not in MODES:
            raise ValueError(f"coach mode must be one of {', '.join(MODES)}")
        self.mode = mode
        self.last_shown: dict[str, float] = {}
        self.credits: dict[str, int] = {}
        self.faded: set[str] = set()
        self._prepared: tuple[int, list[Tip]] | None = None

    # --- what to say -----------------------------------------------------------------
    def _tip(self, principle: str, values: dict[str, Any], warning: bool = False) -> Tip:
        entry = texts()["principles"][principle]
        words = entry["warning" if warning else "tip"].format(**values)
        return Tip(principle, entry["section"], words, warning)

    def _prompted(self, principle: str, engine: Engine) -> bool:
        shown = self.last_shown.get(principle)
        quiet = float(texts()["quiet_minutes"]) * SECONDS
        return shown is not None and engine.now - shown < quiet

    def before(self, situation: Situation, note: Note | None = None) -> list[Tip]:
        """Tips before a decision (full mode); journaled once per decision."""
        index = situation.decision_index
        if self._prepared is not None and self._prepared[0] == index:
            return self._prepared[1]
        tips: list[Tip] = []
        engine = situation.engine
        if self.mode == "full" and not situation.closing:
            entries = texts()["principles"]
            for principle, values in _tip_facts(engine).items():
                grace = float(entries[principle].get("grace_minutes", 0))
                if (values is None or principle in self.faded or _minutes(engine) < grace
                        or self._prompted(principle, engine) or len(tips) >= MAX_TIPS):
                    continue
                tips.append(self._tip(principle, values))
                self.last_shown[principle] = engine.now
        for tip in tips:
            self._record(note, "coaching", principle=tip.principle, mode="tip", text=tip.text)
        self._prepared = (index, tips)
        return tips

    def warnings(self, situation: Situation, action: Action) -> list[Tip]:
        """Every warning this action deserves in this mode, most damaging first."""
        if self.mode == "off" or situation.closing:
            return []
        return [self._tip(principle, values, warning=True)
                for principle, values in _warning_facts(situation.engine, action).items()
                if (self.mode == "full" or principle in DAMAGING) and principle not in self.faded]

    # --- what happened ---------------------------------------------------------------
    def heeded(self, warned: list[Tip], action: Action, note: Note | None) -> None:
        """The trainee read the warnings and chose something else."""
        for tip in warned:
            self._record(note, "coaching", principle=tip.principle, mode="warning",
                         action=action.id, heeded=True)

    def after(self, situation: Situation, action: Action, warned: list[Tip],
              note: Note | None = None) -> None:
        """The decision is made: record ignored warnings, credit unprompted good practice."""
        engine = situation.engine
        for tip in warned:
            self._record(note, "coaching", principle=tip.principle, mode="warning",
                         action=action.id, heeded=False)
            self.last_shown[tip.principle] = engine.now
        if self.mode != "full":
            return
        entries = texts()["principles"]
        for principle, entry in entries.items():
            if "fade_after" not in entry or principle in self.faded:
                continue
            if not _applied(principle, engine, action) or self._prompted(principle, engine):
                continue
            self.credits[principle] = self.credits.get(principle, 0) + 1
            if self.credits[principle] >= int(entry["fade_after"]):
                self.faded.add(principle)
                self._record(note, "coaching_faded", principle=principle,
                             applied=self.credits[principle])

    def _record(self, note: Note | None, kind: str, **data: Any) -> None:
        if note is not None and self.mode != "off":
            note(kind, "coach", **data)
