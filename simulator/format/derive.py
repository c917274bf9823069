"""Metrics derived from other metrics, declared as data with a fixed set of combinators.

A scenario can say "5xx follow CPU saturation" or "queue depth integrates arrivals minus
service" without writing every symptom into every fault. An expression is a number or a
one-key mapping (``{ramp: {...}}``, ``{sum: [...]}``...), validated like conditions and
evaluated by plain Python: nothing in a scenario is ever executed.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from simulator.format.bounds import Value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class MetricRef(_Strict):
    """The metric's value this minute (it is computed first; a cycle is an error)."""

    metric: str


class Previous(_Strict):
    """The metric's value at the previous minute (feedback loops go through this)."""

    previous: str


class Baseline(_Strict):
    """The metric's baseline."""

    baseline: str


class Lag(_Strict):
    """A metric's value ``minutes`` ago (its baseline before the drill had that much history)."""

    class Spec(_Strict):
        metric: str
        minutes: int = Field(ge=1, le=120)

    lag: Spec


class SumOf(_Strict):
    sum: list[Expr] = Field(min_length=1)


class ProductOf(_Strict):
    """Multiply: ``{product: [{metric: errors}, 5]}`` scales a metric by five."""

    product: list[Expr] = Field(min_length=1)


class Minus(_Strict):
    """The first minus the second."""

    minus: list[Expr] = Field(min_length=2, max_length=2)


class MinOf(_Strict):
    min: list[Expr] = Field(min_length=1)


class MaxOf(_Strict):
    max: list[Expr] = Field(min_length=1)


class Clamp(_Strict):
    class Spec(_Strict):
        of: Expr
        min: Value | None = None
        max: Value | None = None

    clamp: Spec


class Threshold(_Strict):
    """``then`` while ``of`` is above ``above``, else ``else`` (0 unless given)."""

    class Spec(_Strict):
        model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                                  allow_inf_nan=False)
        of: Expr
        above: Value
        then: Expr
        else_: Expr = Field(0.0, alias="else")

    threshold: Spec


class Ramp(_Strict):
    """Linear from ``low`` (when ``of`` <= ``from``) to ``high`` (when ``of`` >= ``to``)."""

    class Spec(_Strict):
        model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                                  allow_inf_nan=False)
        of: Expr
        from_: Value = Field(alias="from")
        to: Value
        low: Value = 0.0
        high: Value

    ramp: Spec


class Integrate(_Strict):
    """Adds ``of`` every simulated minute (a queue's depth integrates arrivals - service),
    starting from ``start`` and kept within ``min``/``max``."""

    class Spec(_Strict):
        of: Expr
        start: Value = 0.0
        min: Value | None = 0.0
        max: Value | None = None

    integrate: Spec


_TAGS = ("metric", "previous", "baseline", "lag", "sum", "product", "minus", "min", "max",
         "clamp", "threshold", "ramp", "integrate")


def _tag(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, BaseModel):
        return next((t for t in _TAGS if t in type(value).model_fields), None)
    if isinstance(value, dict):
        return next((t for t in _TAGS if t in value), None)
    return None


Expr = Annotated[
    Annotated[Value, Tag("number")]
    | Annotated[MetricRef, Tag("metric")]
    | Annotated[Previous, Tag("previous")]
    | Annotated[Baseline, Tag("baseline")]
    | Annotated[Lag, Tag("lag")]
    | Annotated[SumOf, Tag("sum")]
    | Annotated[ProductOf, Tag("product")]
    | Annotated[Minus, Tag("minus")]
    | Annotated[MinOf, Tag("min")]
    | Annotated[MaxOf, Tag("max")]
    | Annotated[Clamp, Tag("clamp")]
    | Annotated[Threshold, Tag("threshold")]
    | Annotated[Ramp, Tag("ramp")]
    | Annotated[Integrate, Tag("integrate")],
    Discriminator(_tag, custom_error_type="expression",
                  custom_error_message="an expression is a number or needs one of the keys: "
                  + ", ".join(_TAGS)),
]

for _model in (SumOf, ProductOf, Minus, MinOf, MaxOf, Clamp.Spec, Clamp, Threshold.Spec,
               Threshold, Ramp.Spec, Ramp, Integrate.Spec, Integrate):
    _model.model_rebuild()

class Inputs(Protocol):
    """What an expression may read; the world implements it."""

    def current(self, metric: str) -> float: ...
    def previous(self, metric: str) -> float: ...
    def baseline(self, metric: str) -> float: ...
    def ago(self, metric: str, minutes: int) -> float: ...
    def integrate(self, key: str, start: float, rate: float, low: float | None,
                  high: float | None) -> float: ...


def evaluate(expr: Any, inputs: Inputs, key: str) -> float:
    """The expression's value now. ``key`` names this node, so an integral keeps its state."""
    match expr:
        case float() | int():
            return float(expr)
        case MetricRef():
            return inputs.current(expr.metric)
        case Previous():
            return inputs.previous(expr.previous)
        case Baseline():
            return inputs.baseline(expr.baseline)
        case Lag():
            return inputs.ago(expr.lag.metric, expr.lag.minutes)
        case SumOf():
            return sum(evaluate(e, inputs, f"{key}.{i}") for i, e in enumerate(expr.sum))
        case ProductOf():
            out = 1.0
            for i, e in enumerate(expr.product):
                out *= evaluate(e, inputs, f"{key}.{i}")
            return out
        case Minus():
            return (evaluate(expr.minus[0], inputs, f"{key}.0")
                    - evaluate(expr.minus[1], inputs, f"{key}.1"))
        case MinOf():
            return min(evaluate(e, inputs, f"{key}.{i}") for i, e in enumerate(expr.min))
        case MaxOf():
            return max(evaluate(e, inputs, f"{key}.{i}") for i, e in enumerate(expr.max))
        case Clamp():
            value = evaluate(expr.clamp.of, inputs, f"{key}.of")
            return bound(value, expr.clamp.min, expr.clamp.max)
        case Threshold():
            step = expr.threshold
            if evaluate(step.of, inputs, f"{key}.of") > step.above:
                return evaluate(step.then, inputs, f"{key}.then")
            return evaluate(step.else_, inputs, f"{key}.else")
        case Ramp():
            spec = expr.ramp
            x = evaluate(spec.of, inputs, f"{key}.of")
            if spec.to == spec.from_:
                return spec.high if x >= spec.to else spec.low
            share = min(1.0, max(0.0, (x - spec.from_) / (spec.to - spec.from_)))
            return spec.low + share * (spec.high - spec.low)
        case Integrate():
            acc = expr.integrate
            rate = evaluate(acc.of, inputs, f"{key}.of")
            return inputs.integrate(key, acc.start, rate, acc.min, acc.max)
    raise TypeError(f"unknown expression {expr!r}")  # pragma: no cover - the schema prevents it


def bound(value: float, low: float | None, high: float | None) -> float:
    if low is not None:
        value = max(low, value)
    if high is not None:
        value = min(high, value)
    return value


def references(expr: Any) -> list[tuple[str, bool]]:
    """Every metric an expression names, with True where it needs this minute's value."""
    match expr:
        case MetricRef():
            return [(expr.metric, True)]
        case Previous():
            return [(expr.previous, False)]
        case Baseline():
            return [(expr.baseline, False)]
        case Lag():
            return [(expr.lag.metric, False)]
    out: list[tuple[str, bool]] = []
    if isinstance(expr, BaseModel):
        for name in type(expr).model_fields:
            value = getattr(expr, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, BaseModel):
                    out += references(item)
    return out


def order(derived: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Derived metrics in an order where each comes after those it reads this minute, and
    the metrics caught in a cycle (an error: break it with `previous:` or `lag:`)."""
    needs = {m: {r for r, now in references(e) if now and r in derived}
             for m, e in derived.items()}
    done: list[str] = []
    while True:
        ready = [m for m in derived if m not in done and needs[m] <= set(done)]
        if not ready:
            break
        done += ready
    return done, [m for m in derived if m not in done]
