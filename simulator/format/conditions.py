"""Declarative conditions: the only way scenario data can express "when".

A condition is a one-key mapping (``{service: ..., version: ...}``, ``{all: [...]}``...).
They are validated like every other part of a scenario and evaluated by plain Python over
the world state; nothing in a scenario file is ever executed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from simulator.format.bounds import MAX_MINUTES, Minutes, Value

#: facts the engine itself sets (a scenario's conditions may test them; crossref checks names)
ENGINE_FACTS = ("acknowledged", "declared", "channel-open", "changes-frozen", "comms-lead",
                "mitigated", "recovered")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ServiceVersion(_Strict):
    """True while ``service`` runs ``version``."""

    service: str
    version: str


class ConfigCompare(_Strict):
    """Compare a configuration value (``redis.maxclients``) with a number."""

    config: str
    below: Value | None = None
    above: Value | None = None
    equals: Value | str | None = None


def on_off(value: Any) -> Any:
    """YAML 1.1 reads a bare on/off as a boolean; accept that and mean the word."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return value


class FlagState(_Strict):
    """A feature flag's state for a segment (``all`` means every user)."""

    flag: str
    state: Annotated[Literal["on", "off"], BeforeValidator(on_off)]
    segment: str = "all"


class FactSet(_Strict):
    """A named fact in the world is set (facts are set by changes, fixes and injects)."""

    fact: str


class KnownFinding(_Strict):
    """The incident team has learned ``known`` (an investigation revealed it)."""

    known: str


class MetricCompare(_Strict):
    """The latest sample of a metric is above or below a value (with ``for_minutes``: every
    per-minute sample over that many minutes was)."""

    metric: str
    above: Value | None = None
    below: Value | None = None
    for_minutes: float | None = Field(None, gt=0, le=MAX_MINUTES)


class ChangeMade(_Strict):
    """A change (by the IC, a responder or an NPC) has started, or landed (``is: applied``);
    for a flag, ``state`` narrows it to switching it on or off. Lets people react to the
    IC's decisions ("are you sure about turning the WAF back on now?")."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    change: str
    is_: Literal["started", "applied"] = Field("started", alias="is")
    state: Annotated[Literal["on", "off"], BeforeValidator(on_off)] | None = None


class AfterMinutes(_Strict):
    """The drill clock has passed T+``after_minutes``."""

    after_minutes: Minutes


class SilenceFor(_Strict):
    """No stakeholder update (to ``audience``, when given) for at least this many minutes."""

    no_update_for_minutes: Minutes
    audience: Literal["leadership", "support", "engineering", "customers"] | None = None


class AllOf(_Strict):
    all: list[Condition]


class AnyOf(_Strict):
    any: list[Condition]


class NotCond(_Strict):
    not_: Condition = Field(alias="not")
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


_TAG_BY_KEY = {
    "service": "service",
    "config": "config",
    "flag": "flag",
    "fact": "fact",
    "known": "known",
    "metric": "metric",
    "change": "change",
    "after_minutes": "after_minutes",
    "no_update_for_minutes": "silence",
    "all": "all",
    "any": "any",
    "not": "not",
}
CONDITION_KEYS = tuple(_TAG_BY_KEY)



def _condition_tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        for key, tag in _TAG_BY_KEY.items():
            if key.rstrip("_") in type(value).model_fields or (
                key == "not" and isinstance(value, NotCond)
            ):
                return tag
        return None
    if isinstance(value, dict):
        for key, tag in _TAG_BY_KEY.items():
            if key in value:
                return tag
    return None


Condition = Annotated[
    Annotated[ServiceVersion, Tag("service")]
    | Annotated[ConfigCompare, Tag("config")]
    | Annotated[FlagState, Tag("flag")]
    | Annotated[FactSet, Tag("fact")]
    | Annotated[KnownFinding, Tag("known")]
    | Annotated[MetricCompare, Tag("metric")]
    | Annotated[ChangeMade, Tag("change")]
    | Annotated[AfterMinutes, Tag("after_minutes")]
    | Annotated[SilenceFor, Tag("silence")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotCond, Tag("not")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message="a condition needs one of the keys: " + ", ".join(CONDITION_KEYS),
    ),
]

for _model in (AllOf, AnyOf, NotCond):
    _model.model_rebuild()


class WorldView(Protocol):
    """What a condition may look at; the world implements it."""

    def service_version(self, service: str) -> str | None: ...
    def config_value(self, key: str) -> float | str | None: ...
    def flag_state(self, flag: str, segment: str) -> str: ...
    def has_fact(self, fact: str) -> bool: ...
    def knows(self, finding: str) -> bool: ...
    def metric_value(self, metric: str) -> float: ...
    def metric_samples(self, metric: str, count: int) -> list[float]: ...
    def change_made(self, key: str, applied: bool) -> bool: ...
    def minutes(self) -> float: ...
    def minutes_since_update(self, audience: str | None = None) -> float: ...


def _compare(value: float | str | None, above: Any, below: Any, equals: Any = None) -> bool:
    if value is None:
        return False
    if equals is not None and value != equals:
        return False
    if isinstance(value, str):
        return above is None and below is None
    if above is not None and not value > above:
        return False
    return not (below is not None and not value < below)


def holds(cond: Any, world: WorldView) -> bool:
    """Evaluate a condition against the world; pure and side-effect free."""
    match cond:
        case ServiceVersion():
            return world.service_version(cond.service) == cond.version
        case ConfigCompare():
            return _compare(world.config_value(cond.config), cond.above, cond.below, cond.equals)
        case FlagState():
            return world.flag_state(cond.flag, cond.segment) == cond.state
        case FactSet():
            return world.has_fact(cond.fact)
        case KnownFinding():
            return world.knows(cond.known)
        case MetricCompare():
            if cond.for_minutes is None:
                return _compare(world.metric_value(cond.metric), cond.above, cond.below)
            samples = world.metric_samples(cond.metric, int(cond.for_minutes) + 1)
            return len(samples) > int(cond.for_minutes) and all(
                _compare(v, cond.above, cond.below) for v in samples)
        case ChangeMade():
            key = cond.change if cond.state is None else f"{cond.change}={cond.state}"
            return world.change_made(key, cond.is_ == "applied")
        case AfterMinutes():
            return world.minutes() >= cond.after_minutes
        case SilenceFor():
            return world.minutes_since_update(cond.audience) >= cond.no_update_for_minutes
        case AllOf():
            return all(holds(c, world) for c in cond.all)
        case AnyOf():
            return any(holds(c, world) for c in cond.any)
        case NotCond():
            return not holds(cond.not_, world)
    raise TypeError(f"unknown condition {cond!r}")  # pragma: no cover - the schema prevents it


def walk(cond: Any) -> list[Any]:
    """Every condition node inside ``cond`` (itself included), for cross-reference checks."""
    out = [cond]
    if isinstance(cond, AllOf):
        for c in cond.all:
            out += walk(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            out += walk(c)
    elif isinstance(cond, NotCond):
        out += walk(cond.not_)
    return out
