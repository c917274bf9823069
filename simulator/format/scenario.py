"""The scenario format, declared once.

These pydantic models are the single declaration of a scenario file: validation, the JSON
Schema (`tabletop schema`) and the engine's immutable view of a scenario all come from
here. Times in a scenario are in simulated minutes from the start of the drill (T+0).
"""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from simulator.format.bounds import MAX_BEFORE_START, MAX_MINUTES, MAX_VALUE, Value, WholeValue
from simulator.format.conditions import Condition, on_off
from simulator.format.derive import Expr

SCHEMA_VERSION = 1
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"  # HH:MM, a time of day
Blast = Literal["blast_radius", "location", "anchor_time", "system_change", "mitigation"]
Audience = Literal["leadership", "support", "engineering", "customers"]


def _number_only(annotation: Any) -> bool:
    """A field that takes a number and never true/false (``float``, ``int | None``...)."""
    kinds: list[Any] = [annotation]
    found: set[Any] = set()
    while kinds:
        kind = kinds.pop()
        args = get_args(kind)
        if get_origin(kind) is Annotated:
            kinds.append(args[0])
        elif args and get_origin(kind) in (Union, UnionType):
            kinds.extend(args)
        else:
            found.add(kind)
    return bool(found & {int, float}) and not found & {bool, Any}


class Model(BaseModel):
    """Every scenario model: unknown keys refused, frozen, numbers finite (bounds.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_true_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML reads yes/no/on/off/true as a boolean and pydantic would take it as 1 or 0:
        ``rollback_minutes: yes`` must be an error, not a one-minute rollback."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _number_only(field.annotation):
            raise PydanticCustomError(
                "bool_not_number", "{value} is not a number (write the number itself; YAML "
                "reads yes, no, on, off, true and false as true/false)",
                {"value": str(value).lower()})
        return value


class SlowerWhen(Model):
    """While ``when`` holds, a change takes ``minutes`` instead of its usual time."""

    when: Condition
    minutes: float = Field(gt=0, le=MAX_MINUTES)


class ConfigValue(Model):
    """A live configuration value that the IC may change (``redis.maxclients``)."""

    key: str
    value: WholeValue | Value | str
    change_minutes: float = Field(1, gt=0, le=MAX_MINUTES)
    minutes_when: list[SlowerWhen] = Field(
        [], description="the first entry whose condition holds sets the change's time")
    description: str = ""


class Mutation(Model):
    """One state change a fix or an inject applies (one key set)."""

    service: str | None = None
    version: str | None = None
    config: str | None = None
    value: Value | str | None = None
    flag: str | None = None
    state: Annotated[Literal["on", "off"], BeforeValidator(on_off)] | None = None
    segment: str = "all"
    set_fact: str | None = None
    clear_fact: str | None = None


class ServiceIfCancelled(Model):
    """What a change to a service leaves behind when it is stopped part-way (cancel_change,
    or a restart that kills a rollout). Nothing is the default: a stopped change never
    landed. Declare what a real half-done run would leave, as state the faults can read:
    a version string for the mixed fleet, a fact, a config value."""

    rollback: list[Mutation] = Field(
        default=[], description="a rollback stopped midway (some instances already on the "
        "previous version)")
    roll_forward: list[Mutation] = Field(
        default=[], description="a roll forward stopped midway")
    restart: list[Mutation] = Field(
        default=[], description="a restart stopped midway (some instances already restarted)")


class DependencyIfCancelled(Model):
    """What a restart of a dependency leaves behind when it is stopped part-way."""

    restart: list[Mutation] = Field(
        default=[], description="a restart stopped midway (some nodes already restarted)")


class Service(Model):
    """A deployable service; `previous_version` makes it possible to roll it back."""

    id: str
    title: str = ""
    version: str
    previous_version: str | None = None
    rollback_minutes: float = Field(4, gt=0, le=MAX_MINUTES)
    restart_minutes: float = Field(2, gt=0, le=MAX_MINUTES)
    replicas: int | None = Field(None, ge=1, le=1000, description="set to allow scaling")
    scale_minutes: float = Field(3, gt=0, le=MAX_MINUTES)
    restartable: bool = Field(True, description="false: a restart is not possible")
    config: list[ConfigValue] = []
    fixed_version: str | None = Field(
        None, description="a version with the fix: makes rolling forward to it possible")
    roll_forward_minutes: float = Field(
        10, gt=0, le=MAX_MINUTES, description="building and deploying the fixed version")
    fixed_version_when: Condition | None = Field(
        None, description="the fixed version is offered only once this holds (it is written "
        "and reviewed)")
    if_cancelled: ServiceIfCancelled = Field(
        default=ServiceIfCancelled(), description="what a rollback, roll forward or restart "
        "of this service leaves behind when it is stopped midway (default: nothing)")


class Dependency(Model):
    """Infrastructure the services lean on: a cache, a database, a batch job, a third party."""

    id: str
    kind: Literal["cache", "database", "queue", "batch_job", "third_party", "pipeline", "other"]
    title: str = ""
    config: list[ConfigValue] = []
    restartable: bool = True
    restart_minutes: float = Field(2, gt=0, le=MAX_MINUTES)
    restart_resets_config: bool = Field(
        False, description="a restart drops runtime config changes back to these values")
    if_cancelled: DependencyIfCancelled = Field(
        default=DependencyIfCancelled(), description="what a restart of it leaves behind when it "
        "is stopped midway (default: nothing)")


class FeatureFlag(Model):
    id: str
    title: str = ""
    state: Annotated[Literal["on", "off"], BeforeValidator(on_off)] = "on"
    segments: list[str] = Field(["all"], min_length=1)
    toggle_minutes: float = Field(1, gt=0, le=MAX_MINUTES)
    minutes_when: list[SlowerWhen] = Field(
        [], description="the first entry whose condition holds sets the toggle's time")
    available_when: Condition | None = Field(
        None, description="the IC can toggle it only while this holds")


class RecentChange(Model):
    """Something that changed before the drill; the trainee must find and weigh it."""

    minutes_before_start: float = Field(ge=0, le=MAX_BEFORE_START)
    what: str


class Region(Model):
    id: str
    active: bool = False


class System(Model):
    services: list[Service] = []
    dependencies: list[Dependency] = []
    feature_flags: list[FeatureFlag] = []
    regions: list[Region] = []
    failover_minutes: float = Field(5, gt=0, le=MAX_MINUTES)
    recent_changes: list[RecentChange] = []


class Slo(Model):
    max: Value | None = None
    min: Value | None = None


class Metric(Model):
    id: str
    title: str
    unit: str = ""
    baseline: Value
    slo: Slo = Slo()
    noise: float = Field(0, ge=0, le=MAX_VALUE, description="standard deviation of sample noise")
    floor: Value | None = 0
    ceiling: Value | None = Field(
        None, description="highest value; a metric with unit '%' stops at 100 unless set")
    key: bool = Field(False, description="a user-facing metric: charted and used for success")
    whole: bool = Field(False, description="a count (clients, tickets, orders): always shown "
                        "as a whole number, never 113.7 clients")
    derive: Expr | None = Field(
        None, description="computed from other metrics (fault effects are added on top); "
        "make it equal the baseline when the inputs are at theirs")

    def top(self) -> float | None:
        """The ceiling in force: a percentage cannot exceed 100 unless the author says so."""
        if self.ceiling is None and self.unit.strip() == "%":
            return 100.0
        return self.ceiling


class Impact(Model):
    """How user harm is counted: failed requests = excess of `metric` over baseline."""

    metric: str
    per_minute: float = Field(gt=0, le=MAX_VALUE,
                              description="requests (or users) per minute at baseline")
    unit: str = "failed requests"
    percent: bool = True


class Suppression(Model):
    """While `when` holds, the fault's effects are multiplied by `factor` (a workaround)."""

    when: Condition
    factor: float = Field(0, ge=0, le=1)
    metrics: list[str] = Field([], description="only these metrics (default: all)")


class Fault(Model):
    """A failure (or side effect) that pushes metrics while its condition holds."""

    id: str
    title: str
    onset_minutes: float = Field(0, ge=-MAX_MINUTES, le=MAX_MINUTES)
    active_when: Condition | None = None
    ramp_minutes: float = Field(2, ge=0, le=MAX_MINUTES)
    lasts_minutes: float | None = Field(
        None, gt=0, le=MAX_MINUTES,
        description="a transient fault: active at most this long once triggered")
    recover_minutes: float = Field(3, ge=0, le=MAX_MINUTES)
    effects: dict[str, Value]
    suppressed: list[Suppression] = []
    reset_by_restart_of: list[str] = Field(
        [], description="restarting one of these drops the fault to zero; it then ramps again"
    )
    second_incident: bool = Field(False, description="a failure the trainee caused")


class Knowledge(Model):
    """Something a person can tell the IC when asked: a quick question, a short answer."""

    id: str
    question: str = Field(description="how the IC asks it ('what changed in v2.4.1?')")
    answer: str
    learns: list[str] = Field([], description="findings the answer gives the team")
    minutes: float = Field(1, gt=0, le=30, description="until the answer comes")


class Person(Model):
    id: str
    name: str
    role: str
    skills: list[str] = []
    speed: float = Field(1.0, gt=0, le=100, description="higher is faster")
    knows: list[Knowledge] = Field(
        [], description="quick questions this person can answer (the IC's 'ask')")


class OnCall(Person):
    """Someone the IC can page: a service owner, a second SRE, a vendor's support line."""

    team: str = Field(description="the team or rota paged ('data platform on-call')")
    joins_minutes: float = Field(10, gt=0, le=120, description="from the page to joining")
    useful_when: Condition | None = Field(
        None, description="of use only while this holds (default: while a check still open "
        "needs one of their skills); paged for nothing, they drop off again")


class Variant(Model):
    """A message that replaces the default text while ``when`` holds (first match wins)."""

    when: Condition
    text: str


class Stakeholder(Model):
    id: str
    name: str
    role: str
    audience: Audience
    patience_minutes: float = Field(15, gt=0, le=MAX_MINUTES)
    asks: str = Field(description="what they post when left without news")
    asks_when: list[Variant] = Field(
        [], description="state-dependent questions: the first whose condition holds is asked")
    quiet_when: Condition | None = Field(
        None, description="they do not ask while this holds (tickets stop when errors stop)")
    joins_channel: bool = Field(False, description="keeps interrupting the IC until an update")


class Roster(Model):
    ic: Person
    responders: list[Person] = Field(min_length=1)
    comms_lead: Person | None = None
    stakeholders: list[Stakeholder] = []
    on_call: list[OnCall] = Field(
        [], description="people and teams the IC can page; they join after a delay")


class QuickLook(Model):
    """The IC's own glance at the same source: faster, shallower than the investigation."""

    finding: str
    minutes: float = Field(1, gt=0, le=10)
    learns: list[str] = []
    covers: list[Blast] = []


class Investigation(Model):
    """A thing someone can check; what it reveals may be a real clue or a red herring."""

    id: str
    title: str
    minutes: float = Field(gt=0, le=MAX_MINUTES)
    skill: str | None = None
    covers: list[Blast] = []
    finding: str
    learns: list[str] = []
    red_herring: bool = False
    lost_when: Condition | None = None
    lost_finding: str = "The evidence is gone: nothing useful is left to look at."
    available_when: Condition | None = None
    quick_look: QuickLook | None = Field(
        None, description="a one-minute look the IC can take instead (the 'quick check')")


class Fix(Model):
    """A scenario-specific change (a hotfix, re-running a job, a data repair)."""

    id: str
    title: str
    minutes: float = Field(gt=0, le=MAX_MINUTES)
    does: list[Mutation] = Field(min_length=1)
    informed_by: list[str] = []
    available_when: Condition | None = Field(
        None, description="offered only once this holds (a fix nobody has thought of yet)")
    minutes_when: list[SlowerWhen] = Field(
        [], description="the first entry whose condition holds sets the fix's time")
    note: str = ""
    reversible: bool = Field(
        True, description="a landed fix can be reverted (a data repair often cannot)")
    revert_minutes: float | None = Field(
        None, gt=0, le=MAX_MINUTES,
        description="how long reverting it takes (default: the fix's own time)")
    if_cancelled: list[Mutation] = Field(
        [], description="what a half-done fix leaves behind when it is stopped midway")


class NpcAction(Model):
    """A change a non-player character makes on their own (unannounced): exactly one lever."""

    by: str
    restart: str | None = None
    fix: str | None = None
    rollback: str | None = None
    flag: str | None = None
    state: Annotated[Literal["on", "off"], BeforeValidator(on_off)] | None = None
    segment: str = "all"
    config: str | None = None
    value: Value | str | None = None


class Inject(Model):
    """A message or event handed to the trainee: timed, conditional, or both (MSEL row)."""

    id: str
    at_minutes: float = Field(0, ge=0, le=MAX_MINUTES)
    when: Condition | None = None
    unless: Condition | None = None
    source: str = Field(description="a roster id, or a free label such as 'monitoring'")
    text: str
    text_when: list[Variant] = Field(
        [], description="state-dependent text: the first whose condition holds when the "
        "inject fires replaces `text`")
    expects: str = Field("", description="the player action this inject looks for")
    objective: str = Field("", description="the rubric criterion it exercises")
    does: list[Mutation] = []
    npc_action: NpcAction | None = None


class FacilitatorInject(Model):
    """An inject the facilitator may play at any moment from the console (not timed)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    source: str = Field(description="a roster id, or a free label such as 'monitoring'")
    text: str = Field(min_length=1, max_length=2000)
    expects: str = Field("", description="the player action this inject looks for")
    objective: str = Field("", description="the rubric criterion it exercises")


class Rationale(Model):
    """Which findings make a change an informed decision rather than a hunch."""

    change: str = Field(description="change key such as 'rollback:payment-service'")
    informed_by: list[str] = Field(min_length=1)
    value_below: Value | None = Field(
        None, description="for config:… keys: only a new value below this is justified")
    value_above: Value | None = Field(
        None, description="for config:… keys: only a new value above this is justified")
    state: Annotated[Literal["on", "off"], BeforeValidator(on_off)] | None = Field(
        None, description="for flag:… keys: only switching to this state is justified")


class Stage(Model):
    """The mitigated stage: users are served again (possibly degraded, protection off)."""

    metrics: list[str] = Field(min_length=1)
    hold_minutes: float | None = Field(None, gt=0, le=MAX_MINUTES,
                                       description="default: success.hold_minutes")
    when: Condition | None = None


class Success(Model):
    """The system counts as recovered (resolved: full service) when the metrics hold within
    SLO this long and `when`, if given, holds; `mitigated` names an earlier stage."""

    metrics: list[str] = Field(min_length=1)
    hold_minutes: float = Field(5, gt=0, le=MAX_MINUTES)
    when: Condition | None = Field(
        None, description="full service also needs this (protection back on, the fix in)")
    not_yet: str = Field(
        "full service is not back yet",
        description="what monitoring says when the IC declares resolved before `when` holds")
    mitigated: Stage | None = Field(
        None, description="an earlier stage: users served again, possibly degraded")


class Decision(Model):
    """One played decision: an action id plus its arguments, optionally at a time."""

    model_config = ConfigDict(extra="allow", frozen=True)
    action: str
    at_minutes: float | None = Field(None, ge=0, le=MAX_MINUTES)
    who: str | None = Field(None, min_length=1, max_length=40,
                            description="the person who decides it (a team drill's --team)")


class FollowUp(Model):
    """A follow-up that fits only some runs: "make the maxclients change permanent" is for a
    team that raised maxclients, not for one that rolled back instead."""

    text: str
    if_changed: list[str] = Field(
        [], description="change keys (config:key, rollback:svc, ...): shown only when the run "
        "landed at least one of them")
    unless_changed: list[str] = Field(
        [], description="change keys: not shown when the run landed any of them")

    def applies(self, landed: set[str]) -> bool:
        return (not self.if_changed or bool(landed & set(self.if_changed))) and not (
            landed & set(self.unless_changed))


class Debrief(Model):
    root_cause: str
    contributing_factors: list[str] = []
    red_herrings: list[str] = []
    ideal_path: list[Decision] = Field(min_length=1)
    mitigations: list[str] = Field(
        [], description="change keys (rollback:svc, flag:id, config:key, ...) that also count "
        "as valid workarounds besides those on the ideal path")
    hunch_path: list[Decision] = []
    follow_ups: list[str | FollowUp] = Field(
        [], description="what an experienced IC would list after this incident; a mapping "
        "with if_changed/unless_changed makes one depend on what the run did")
    questions: list[Annotated[str, Field(min_length=1, max_length=500,
                                         pattern=r"\S")]] = Field(
        [], max_length=30, description="hot-wash discussion questions: the facilitator guide "
        "lists them and the console walks the group through them after the drill")

    def follow_ups_for(self, landed: set[str]) -> list[str]:
        """The follow-ups that fit a run which landed the changes ``landed`` (keys)."""
        return [f if isinstance(f, str) else f.text for f in self.follow_ups
                if isinstance(f, str) or f.applies(landed)]


class VariantOption(Model):
    """One option of a choice point: overrides by path (a null removes a list item)."""

    label: str = Field(pattern=r"^\S(.*\S)?$")
    set: dict[str, Any] = Field({}, description="path (items by id: faults.x.onset_minutes) "
                                "-> value")


class SeedVariant(Model):
    """A choice point the seed decides: a range or values for one path, or options."""

    id: str
    path: str | None = Field(None, description="what `range` or `values` sets")
    range: list[Value] | None = Field(None, min_length=2, max_length=2)
    values: list[Value | str | bool] = []
    options: list[VariantOption] = []
    description: str = ""


class Scenario(Model):
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    summary: str
    difficulty: Literal["beginner", "intermediate", "advanced"]
    expected_minutes: int = Field(gt=0, le=MAX_MINUTES)
    order: int | None = Field(
        None, ge=0, le=1000, description="place in the learning path `tabletop list` shows "
        "(lowest first); scenarios without one follow, easiest and shortest first")
    source: str | None = Field(
        None, description="the public postmortem or write-up the facts come from (named, "
        "with what carried over); the prose is the author's own")
    start_time: str = Field("00:00", pattern=TIME_PATTERN)
    time_limit_minutes: int = Field(90, gt=0, le=MAX_MINUTES)
    expected_severity: Literal["P1", "P2", "P3"]
    learning_objectives: list[str] = Field(min_length=1)
    briefing: str
    system: System
    metrics: list[Metric] = Field(min_length=1)
    impact: Impact
    faults: list[Fault] = Field(min_length=1)
    roster: Roster
    investigations: list[Investigation] = Field(min_length=1)
    fixes: list[Fix] = []
    rationale: list[Rationale] = []
    injects: list[Inject] = []
    success: Success
    debrief: Debrief
    variants: list[SeedVariant] = Field(
        [], description="choice points the seed decides (onset, traffic, which red herring)")
    facilitator_injects: list[FacilitatorInject] = Field(
        [], max_length=50, description="injects ready for the facilitator to play at any "
        "moment (tabletop facilitate); the trainee's prompt is interrupted to show them")

    # Lookups the engine and validators use; cheap enough to compute on demand.
    def metric(self, metric_id: str) -> Metric:
        return next(m for m in self.metrics if m.id == metric_id)

    def person(self, person_id: str) -> Person | None:
        people = [self.roster.ic, *self.roster.responders, *self.roster.on_call]
        if self.roster.comms_lead:
            people.append(self.roster.comms_lead)
        return next((p for p in people if p.id == person_id), None)

    def config_values(self) -> dict[str, ConfigValue]:
        values = {f"{o.id}.{c.key}": c for o in self.system.services for c in o.config}
        values.update({f"{o.id}.{c.key}": c for o in self.system.dependencies for c in o.config})
        return values

    def restart_targets(self) -> dict[str, float]:
        targets = {s.id: s.restart_minutes for s in self.system.services if s.restartable}
        targets.update(
            {d.id: d.restart_minutes for d in self.system.dependencies if d.restartable}
        )
        return targets


def schema_text() -> str:
    """The JSON Schema of the format, generated from these models (never written by hand)."""
    import json

    from simulator.format.vocabulary import decision_schema
    from simulator.texts import catalogue

    schema = Scenario.model_json_schema()
    schema["$defs"]["Decision"] = decision_schema(catalogue())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "incident-tabletop scenario (schema_version 1)"
    return json.dumps(schema, indent=2) + "\n"
