"""Cross-reference checks: every id a scenario mentions must exist.

Structure is checked by the pydantic models; this module checks meaning (a fault effect
names a metric that exists, a condition names a real flag segment, a decision in the ideal
path is a real action) and reports each problem at its line and column, with a hint.
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter
from typing import Any

from simulator.errors import Problem
from simulator.format.conditions import (
    ENGINE_FACTS,
    ChangeMade,
    ConfigCompare,
    FactSet,
    FlagState,
    KnownFinding,
    MetricCompare,
    ServiceVersion,
    walk,
)
from simulator.format.derive import order, references
from simulator.format.scenario import ConfigValue, Mutation, Scenario
from simulator.format.yamlsafe import Loc, Located, load_yaml, read_text


@functools.cache
def criterion_ids() -> frozenset[str]:
    """The built-in rubric's criterion ids (an inject's `objective` must be one of them).

    Only the ids are read (the scorer owns the rubric, and its tests validate it): loading
    it in full would import every check of the scorer into each scenario load."""
    from scoring.rubric import builtin_path

    data = load_yaml(read_text(builtin_path()), str(builtin_path())).data
    return frozenset(str(c["id"]) for c in data["criteria"])


def half_done(sc: Scenario) -> list[Mutation]:
    """Every mutation a change stopped part-way can leave behind (fixes, services and
    dependencies): the facts and versions it sets exist for the conditions to read."""
    out = [m for f in sc.fixes for m in f.if_cancelled]
    for svc in sc.system.services:
        out += [*svc.if_cancelled.rollback, *svc.if_cancelled.roll_forward,
                *svc.if_cancelled.restart]
    for dep in sc.system.dependencies:
        out += dep.if_cancelled.restart
    return out


def _hint(name: str, known: list[str] | set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known: " + ", ".join(sorted(known)) if known else "none is defined"


class _Checker:
    def __init__(self, sc: Scenario, located: Located) -> None:
        self.sc = sc
        self.located = located
        self.problems: list[Problem] = []
        sys = sc.system
        self.metrics = {m.id for m in sc.metrics}
        self.services = {s.id for s in sys.services}
        self.versions = {s.id: {s.version, *([s.previous_version] if s.previous_version else []),
                                *([s.fixed_version] if s.fixed_version else [])}
                         for s in sys.services}
        for does in [*(f.does for f in sc.fixes), *(i.does for i in sc.injects),
                     half_done(sc)]:
            for m in does:
                if m.service and m.version:
                    self.versions.setdefault(m.service, set()).add(m.version)
        self.configs = set(sc.config_values()) | {"region.active"} | {
            f"{s.id}.replicas" for s in sys.services if s.replicas}
        self.flags = {f.id: set(f.segments) for f in sys.feature_flags}
        self.findings = {x for i in sc.investigations for x in i.learns} | {
            x for i in sc.investigations if i.quick_look for x in i.quick_look.learns} | {
            x for p in [*sc.roster.responders, *sc.roster.on_call] for k in p.knows
            for x in k.learns}
        self.people = {p.id for p in [sc.roster.ic, *sc.roster.responders,
                                       *sc.roster.on_call]} | (
            {sc.roster.comms_lead.id} if sc.roster.comms_lead else set())
        self.restartable = set(sc.restart_targets())
        self.facts = set(ENGINE_FACTS) | {f"restarted.{t}" for t in self.restartable} | {
            f"in-channel.{s.id}" for s in sc.roster.stakeholders} | {
            f"held.{p.id}" for p in [*sc.roster.responders, *sc.roster.on_call]} | {
            f"joined.{p.id}" for p in sc.roster.on_call}
        for fix in sc.fixes:
            self.facts |= {m.set_fact for m in fix.does if m.set_fact}
        for inj in sc.injects:
            self.facts |= {m.set_fact for m in inj.does if m.set_fact}
        self.facts |= {m.set_fact for m in half_done(sc) if m.set_fact}

    def unique_ids(self, loc: Loc, ids: list[str]) -> None:
        for j, (name, count) in enumerate(Counter(ids).items()):
            if count > 1:
                self.add((*loc, j), f"'{name}' is listed twice", "give each entry its own id")

    def add(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(self.located.problem(loc, message, hint))

    def ref(self, loc: Loc, kind: str, name: str, known: set[str]) -> None:
        if name not in known:
            self.add(loc, f"unknown {kind} '{name}'", _hint(name, known))

    def unique(self, key: str, items: list[Any]) -> None:
        counts = Counter(item.id for item in items)
        for i, item in enumerate(items):
            if counts[item.id] > 1:
                self.add((*key.split("."), i, "id"), f"duplicate id '{item.id}'",
                         "ids must be unique")

    def condition(self, loc: Loc, cond: Any) -> None:
        if cond is None:
            return
        for node in walk(cond):
            if isinstance(node, ServiceVersion):
                self.ref(loc, "service", node.service, self.services)
                if node.service in self.versions and node.version not in self.versions[
                        node.service]:
                    self.add(loc, f"service '{node.service}' never runs version "
                             f"'{node.version}'", _hint(node.version, self.versions[node.service]))
            elif isinstance(node, ConfigCompare):
                self.ref(loc, "config key", node.config, self.configs)
            elif isinstance(node, FlagState):
                self.ref(loc, "feature flag", node.flag, set(self.flags))
                if node.flag in self.flags and node.segment not in self.flags[node.flag]:
                    self.add(loc, f"flag '{node.flag}' has no segment '{node.segment}'",
                             _hint(node.segment, self.flags[node.flag]))
            elif isinstance(node, FactSet):
                self.ref(loc, "fact", node.fact, self.facts)
            elif isinstance(node, KnownFinding):
                self.ref(loc, "finding", node.known, self.findings)
            elif isinstance(node, MetricCompare):
                self.ref(loc, "metric", node.metric, self.metrics)
            elif isinstance(node, ChangeMade):
                self._change_key(loc, node.change)
                if node.state is not None and not node.change.startswith("flag:"):
                    self.add(loc, f"'state' narrows a flag change, but '{node.change}' is not "
                             "one", "remove state:, or use a flag:… key")

    def run(self) -> list[Problem]:
        sc = self.sc
        self.unique("metrics", sc.metrics)
        self.unique("faults", sc.faults)
        self.unique("investigations", sc.investigations)
        self.unique("fixes", sc.fixes)
        self.unique("injects", sc.injects)
        self.unique("system.services", sc.system.services)
        self.ref(("impact", "metric"), "metric", sc.impact.metric, self.metrics)
        derived = {m.id: m.derive for m in sc.metrics if m.derive is not None}
        _, cyclic = order(derived)
        for i, declared in enumerate(sc.metrics):
            if declared.derive is None:
                continue
            for ref_id, _now in references(declared.derive):
                self.ref(("metrics", i, "derive"), "metric", ref_id, self.metrics)
            if declared.id in cyclic:
                self.add(("metrics", i, "derive"), f"metric '{declared.id}' is derived in a "
                         "cycle (" + " -> ".join(cyclic) + ")",
                         "read one of them as {previous: id} or {lag: ...} to break it")
        for i, m in enumerate(sc.success.metrics):
            self.ref(("success", "metrics", i), "metric", m, self.metrics)
        self.condition(("success", "when"), sc.success.when)
        if sc.success.mitigated is not None:
            for i, m in enumerate(sc.success.mitigated.metrics):
                self.ref(("success", "mitigated", "metrics", i), "metric", m, self.metrics)
            self.condition(("success", "mitigated", "when"), sc.success.mitigated.when)
        for i, fault in enumerate(sc.faults):
            for metric in fault.effects:
                self.ref(("faults", i, "effects", metric), "metric", metric, self.metrics)
            self.condition(("faults", i, "active_when"), fault.active_when)
            for j, sup in enumerate(fault.suppressed):
                self.condition(("faults", i, "suppressed", j, "when"), sup.when)
                for metric in sup.metrics:
                    self.ref(("faults", i, "suppressed", j), "metric", metric, self.metrics)
            for target in fault.reset_by_restart_of:
                self.ref(("faults", i, "reset_by_restart_of"), "restart target", target,
                         self.restartable)
        for i, inv in enumerate(sc.investigations):
            self.condition(("investigations", i, "lost_when"), inv.lost_when)
            self.condition(("investigations", i, "available_when"), inv.available_when)
        for i, fix in enumerate(sc.fixes):
            self.condition(("fixes", i, "available_when"), fix.available_when)
            self.slower(("fixes", i, "minutes_when"), fix.minutes_when)
            for finding in fix.informed_by:
                self.ref(("fixes", i, "informed_by"), "finding", finding, self.findings)
            for j, mut in enumerate(fix.does):
                self.mutation(("fixes", i, "does", j), mut)
            for j, mut in enumerate(fix.if_cancelled):
                self.mutation(("fixes", i, "if_cancelled", j), mut)
        for i, svc in enumerate(sc.system.services):
            self.condition(("system", "services", i, "fixed_version_when"),
                           svc.fixed_version_when)
            if svc.fixed_version_when is not None and svc.fixed_version is None:
                self.add(("system", "services", i, "fixed_version_when"),
                         "'fixed_version_when' without a 'fixed_version'",
                         "add fixed_version: the version to roll forward to")
            if svc.fixed_version is not None and svc.fixed_version == svc.version:
                self.add(("system", "services", i, "fixed_version"),
                         f"the fixed version is the running version {svc.version}",
                         "name the new version that carries the fix")
            self.half_done(("system", "services", i), {
                "rollback": (svc.if_cancelled.rollback, svc.previous_version is not None,
                             "there is no rollback without a 'previous_version'"),
                "roll_forward": (svc.if_cancelled.roll_forward, svc.fixed_version is not None,
                                 "there is no roll forward without a 'fixed_version'"),
                "restart": (svc.if_cancelled.restart, svc.restartable,
                            "the service is not restartable")})
        for i, dep in enumerate(sc.system.dependencies):
            self.half_done(("system", "dependencies", i), {
                "restart": (dep.if_cancelled.restart, dep.restartable,
                            "the dependency is not restartable")})
        for i, flag in enumerate(sc.system.feature_flags):
            self.condition(("system", "feature_flags", i, "available_when"), flag.available_when)
            self.slower(("system", "feature_flags", i, "minutes_when"), flag.minutes_when)
        owned: list[tuple[str, list[list[ConfigValue]]]] = [
            ("services", [s.config for s in sc.system.services]),
            ("dependencies", [d.config for d in sc.system.dependencies])]
        for key, owners in owned:
            for i, values in enumerate(owners):
                for j, value in enumerate(values):
                    self.slower(("system", key, i, "config", j, "minutes_when"),
                                value.minutes_when)
        for i, paged in enumerate(sc.roster.on_call):
            self.condition(("roster", "on_call", i, "useful_when"), paged.useful_when)
        taken = [p.id for p in [sc.roster.ic, *sc.roster.responders]] + (
            [sc.roster.comms_lead.id] if sc.roster.comms_lead else [])
        for i, paged in enumerate(sc.roster.on_call):
            if paged.id in taken:
                self.add(("roster", "on_call", i, "id"), f"'{paged.id}' is already on the "
                         "team", "give the on-call person an id of their own")
            taken.append(paged.id)
        for i, responder in enumerate(sc.roster.responders):
            self.unique_ids(("roster", "responders", i, "knows"),
                            [k.id for k in responder.knows])
        for i, paged in enumerate(sc.roster.on_call):
            self.unique_ids(("roster", "on_call", i, "knows"), [k.id for k in paged.knows])
        for i, person in enumerate(sc.roster.stakeholders):
            self.condition(("roster", "stakeholders", i, "quiet_when"), person.quiet_when)
            for j, variant in enumerate(person.asks_when):
                self.condition(("roster", "stakeholders", i, "asks_when", j, "when"),
                               variant.when)
        for i, r in enumerate(sc.rationale):
            for finding in r.informed_by:
                self.ref(("rationale", i, "informed_by"), "finding", finding, self.findings)
            self._change_key(("rationale", i, "change"), r.change)
            kind = r.change.partition(":")[0]
            if r.state is not None and kind != "flag":
                self.add(("rationale", i, "state"), f"'state' justifies a flag direction, but "
                         f"'{r.change}' is not a flag change", "remove it, or use a flag:… key")
            for bound in ("value_below", "value_above"):
                if getattr(r, bound) is not None and kind != "config":
                    self.add(("rationale", i, bound), f"'{bound}' limits a config value, but "
                             f"'{r.change}' is not a config change",
                             "remove it" + (", or use 'state:' for a flag" if kind == "flag"
                                            else ""))
        for i, key in enumerate(sc.debrief.mitigations):
            self._change_key(("debrief", "mitigations", i), key)
        for i, follow in enumerate(sc.debrief.follow_ups):
            if isinstance(follow, str):
                continue
            for field_name in ("if_changed", "unless_changed"):
                for j, key in enumerate(getattr(follow, field_name)):
                    self._change_key(("debrief", "follow_ups", i, field_name, j), key)
        for i, inj in enumerate(sc.injects):
            self.condition(("injects", i, "when"), inj.when)
            self.condition(("injects", i, "unless"), inj.unless)
            if inj.objective:
                self.ref(("injects", i, "objective"), "rubric criterion", inj.objective,
                         set(criterion_ids()))
            for j, variant in enumerate(inj.text_when):
                self.condition(("injects", i, "text_when", j, "when"), variant.when)
            for j, mut in enumerate(inj.does):
                self.mutation(("injects", i, "does", j), mut)
            if inj.npc_action:
                self.npc(("injects", i, "npc_action"), inj.npc_action)
        self.unique("facilitator_injects", sc.facilitator_injects)
        for i, finj in enumerate(sc.facilitator_injects):
            if finj.objective:
                self.ref(("facilitator_injects", i, "objective"), "rubric criterion",
                         finj.objective, set(criterion_ids()))
        return self.problems

    def slower(self, loc: Loc, entries: list[Any]) -> None:
        for j, entry in enumerate(entries):
            self.condition((*loc, j, "when"), entry.when)

    def flag_ref(self, loc: Loc, flag: str, segment: str) -> None:
        self.ref((*loc, "flag"), "feature flag", flag, set(self.flags))
        if flag in self.flags and segment not in self.flags[flag]:
            self.add((*loc, "segment"), f"flag '{flag}' has no segment '{segment}'",
                     _hint(segment, self.flags[flag]))

    def half_done(self, loc: Loc, kinds: dict[str, tuple[list[Any], bool, str]]) -> None:
        """A service's or dependency's `if_cancelled`: each entry is a change it can make
        (no rollback without a previous version...), and each mutation is complete."""
        for kind, (mutations, possible, why) in kinds.items():
            if mutations and not possible:
                self.add((*loc, "if_cancelled", kind), f"'if_cancelled.{kind}' is declared "
                         f"but {why}", f"remove if_cancelled.{kind}")
            for j, mut in enumerate(mutations):
                self.mutation((*loc, "if_cancelled", kind, j), mut)

    def mutation(self, loc: Loc, mut: Any) -> None:
        """One entry of a `does:` list: every id it names exists, and it is complete."""
        if mut.service:
            self.ref((*loc, "service"), "service", mut.service, self.services)
            if mut.version is None:
                self.add((*loc, "service"), "'service' needs 'version' (the version it runs "
                         "from now on)", "add version: …")
        if mut.config:
            self.ref((*loc, "config"), "config key", mut.config, self.configs)
            if mut.value is None:
                self.add((*loc, "config"), "'config' needs 'value'", "add value: …")
        if mut.flag:
            self.flag_ref(loc, mut.flag, mut.segment)
            if mut.state is None:
                self.add((*loc, "flag"), "'flag' needs 'state'", 'add state: "on" or "off"')

    def npc(self, loc: Loc, npc: Any) -> None:
        """A responder's own change names one lever, and what it names exists."""
        self.ref((*loc, "by"), "person", npc.by, self.people)
        levers = [k for k in ("restart", "fix", "rollback", "flag", "config")
                  if getattr(npc, k) is not None]
        if len(levers) != 1:
            self.add(loc, "npc_action needs exactly one lever" + (
                f" (found {', '.join(levers)})" if levers else ""),
                "one of restart:, rollback:, fix:, flag: (with state:), config: (with value:)")
        if npc.restart:
            self.ref((*loc, "restart"), "restart target", npc.restart, self.restartable)
        if npc.fix:
            self.ref((*loc, "fix"), "fix", npc.fix, {f.id for f in self.sc.fixes})
        if npc.rollback:
            self.ref((*loc, "rollback"), "service", npc.rollback, self.services)
            svc = next((s for s in self.sc.system.services if s.id == npc.rollback), None)
            if svc is not None and svc.previous_version is None:
                self.add((*loc, "rollback"), f"service '{svc.id}' has no previous_version "
                         "to roll back to", "add previous_version to the service")
        if npc.flag:
            self.flag_ref(loc, npc.flag, npc.segment)
            if npc.state is None:
                self.add((*loc, "flag"), "'flag' needs 'state'", 'add state: "on" or "off"')
        if npc.config:
            settable = set(self.sc.config_values())
            self.ref((*loc, "config"), "config key", npc.config, settable)
            if npc.value is None:
                self.add((*loc, "config"), "'config' needs 'value'", "add value: …")

    def _change_key(self, loc: Loc, key: str) -> None:
        kind, _, target = key.partition(":")
        known = {"rollback": self.services, "restart": self.restartable,
                 "rollforward": self.services,
                 "flag": set(self.flags), "config": self.configs,
                 "fix": {f.id for f in self.sc.fixes}, "scale": self.services,
                 "failover": {r.id for r in self.sc.system.regions}}
        if kind not in known:
            self.add(loc, f"unknown change kind '{kind}'",
                     "use rollback:, rollforward:, restart:, flag:, config:, fix:, scale: or "
                     "failover:")
        else:
            self.ref(loc, kind, target, known[kind])


def _check_variants(sc: Scenario, located: Located) -> list[Problem]:
    """Each choice point has one form, and each of its options alone gives a valid scenario."""
    from pydantic import ValidationError

    from simulator.format.variants import PathError, apply, invalid, options

    problems: list[Problem] = []
    seen: set[str] = set()
    for i, variant in enumerate(sc.variants):
        loc: Loc = ("variants", i)
        if variant.id in seen:
            problems.append(located.problem((*loc, "id"), f"duplicate id '{variant.id}'",
                                            "ids must be unique"))
        seen.add(variant.id)
        forms = [variant.range is not None, bool(variant.values), bool(variant.options)]
        if sum(forms) != 1 or (variant.path is None) != bool(variant.options):
            problems.append(located.problem(loc, f"variant '{variant.id}' needs path: with "
                                            "range: or values:, or options: without path:",
                                            "e.g. {id: onset, path: faults.x.onset_minutes, "
                                            "range: [-8, -2]}"))
            continue
        if variant.range is not None and not variant.range[0] < variant.range[1]:
            problems.append(located.problem((*loc, "range"), "a range is [low, high] with "
                                            "low < high", "swap or widen the ends"))
        for j, (label, changes) in enumerate(options(variant)):
            where: Loc = (*loc, "range" if variant.range is not None else
                          "values" if variant.values else "options", j)
            try:
                varied = apply(sc, changes)
            except PathError as exc:
                problems.append(located.problem(where, f"option '{label}' of variant "
                                                f"'{variant.id}': {exc} on its path",
                                                "address list items by id, e.g. "
                                                "faults.bad-release.onset_minutes"))
                continue
            except ValidationError as exc:
                problems.append(located.problem(where, f"option '{label}' of variant "
                                                f"'{variant.id}' makes the scenario invalid: "
                                                + invalid(exc)))
                continue
            found = cross_check(varied, located)
            if found:
                problems.append(located.problem(where, f"option '{label}' of variant "
                                                f"'{variant.id}' makes the scenario invalid: "
                                                f"{found[0].message}", found[0].hint))
    return problems


def cross_check(scenario: Scenario, located: Located) -> list[Problem]:
    problems = _Checker(scenario, located).run()
    if not problems and scenario.variants:
        problems = _check_variants(scenario, located)
    if not problems:
        from simulator.format.paths import check_paths  # needs a runnable engine, so runs last

        problems = check_paths(scenario, located)
    return problems
