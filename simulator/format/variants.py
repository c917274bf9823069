"""Seeded variants: one scenario file, several incidents, picked by the seed.

A scenario may declare choice points (`variants:`): a range for a number (the onset, the
traffic level) or a choice among values or among sets of overrides (which red herring
appears, which segment is hit, which responder is away). The seed picks one of each, with
its own random stream so the simulation's draws are untouched; the drill journals the
picks in its header, and the scorer re-derives the same scenario from the same seed.
"""

from __future__ import annotations

import random
from typing import Any

from pydantic import ValidationError

from simulator.errors import InputError, Problem
from simulator.format.scenario import Scenario


class PathError(ValueError):
    """An override path that names nothing in the scenario."""


def _step(node: Any, part: str) -> tuple[Any, Any]:
    """The container and key/index of ``part`` under ``node`` (list items by id or key)."""
    if isinstance(node, dict):
        if part not in node:
            raise PathError(f"no key '{part}'")
        return node, part
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict) and part in (item.get("id"), item.get("key")):
                return node, index
        if part.isdigit() and int(part) < len(node):
            return node, int(part)
        raise PathError(f"no item '{part}'")
    raise PathError(f"'{part}' is inside a value")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``a.b.c`` in plain scenario data; a null value removes a list item."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        container, key = _step(node, part)
        node = container[key]
    last = parts[-1]
    if isinstance(node, dict) and value is not None:
        node[last] = value  # a new key is fine: model validation judges it
        return
    container, key = _step(node, last)
    if value is None and isinstance(container, list):
        del container[key]
    else:
        container[key] = value


def options(variant: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every option of a choice point as (label, overrides); a range gives its two ends."""
    if variant.range is not None:
        return [(f"{end:g}", {variant.path: end}) for end in variant.range]
    if variant.values:
        return [(_label(v), {variant.path: v}) for v in variant.values]
    return [(o.label, dict(o.set)) for o in variant.options]


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def invalid(exc: ValidationError) -> str:
    """The first problem of a varied scenario, in a line."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}"


def pick(scenario: Scenario, seed: int) -> dict[str, Any]:
    """The seed's pick at each choice point: label (or number) by variant id."""
    rng = random.Random(f"variants:{scenario.id}:{seed}")
    picks: dict[str, Any] = {}
    for variant in scenario.variants:
        if variant.range is not None:
            low, high = variant.range
            if float(low).is_integer() and float(high).is_integer():
                picks[variant.id] = rng.randint(int(low), int(high))
            else:
                picks[variant.id] = round(rng.uniform(low, high), 1)
        elif variant.values:
            value = variant.values[rng.randrange(len(variant.values))]
            picks[variant.id] = int(value) if isinstance(value, float) and value.is_integer() \
                else value
        else:
            choices = options(variant)
            picks[variant.id] = choices[rng.randrange(len(choices))][0]
    return picks


def overrides(scenario: Scenario, picks: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for variant in scenario.variants:
        if variant.range is not None or variant.values:
            out[str(variant.path)] = picks[variant.id]
            continue
        chosen = next(o for label, o in options(variant) if label == str(picks[variant.id]))
        out.update(chosen)
    return out


def apply(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """The scenario with these overrides, validated again (variants dropped: applied)."""
    data = scenario.model_dump(by_alias=True)
    data["variants"] = []
    for path, value in changes.items():
        set_path(data, path, value)
    return Scenario.model_validate(data)


def vary(scenario: Scenario, seed: int) -> tuple[Scenario, dict[str, Any]]:
    """The incident this seed plays, and the picks to journal ({} without variants)."""
    if not scenario.variants:
        return scenario, {}
    picks = pick(scenario, seed)
    try:
        return apply(scenario, overrides(scenario, picks)), picks
    except (PathError, ValidationError) as exc:  # each option is checked alone already
        why = invalid(exc) if isinstance(exc, ValidationError) else str(exc)
        raise InputError("", [Problem(scenario.id, 1, 1, f"variants {picks} combine into an "
                                      f"invalid scenario: {why}",
                                      "make the choice points independent")]) from None
