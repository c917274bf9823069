"""Turn pydantic validation errors into located, actionable problems.

Shared by every YAML input (scenarios, decisions, rubrics): a pydantic error's ``loc`` is
mapped back to the YAML node's line and column, and an unknown key gets a "did you mean"
hint computed from the fields the model accepts at that spot.
"""

from __future__ import annotations

import difflib
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag, TypeAdapter, ValidationError

from simulator.errors import Problem
from simulator.format.conditions import CONDITION_KEYS
from simulator.format.scenario import TIME_PATTERN
from simulator.format.yamlsafe import Loc, Located

T = TypeVar("T")


def data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep only the parts of a pydantic ``loc`` that exist in the data (drops union tags)."""
    out: list[int | str] = []
    cur = data
    for i, part in enumerate(loc):
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if (isinstance(cur, dict) and part in cur and nxt is not None and nxt in cur
                and not (isinstance(cur[part], dict) and nxt in cur[part])):
            continue  # a union tag that happens to be a key of this mapping (a condition's)
        if (isinstance(cur, dict) and part in cur) or (
                isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)):
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and isinstance(part, str) and part.rstrip("_") in cur:
            out.append(part.rstrip("_"))
            cur = cur[part.rstrip("_")]
    return tuple(out)


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """Best-effort: the accepted keys of the model that owns ``loc``'s last key.

    ``loc`` is pydantic's, with union tags in it, so a key inside a condition or an
    expression is looked up in that kind of condition or expression, not the first one.
    """
    current: Any = model
    for part in loc[:-1]:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and plain Annotated wrappers (keep tagged unions)."""
    while True:
        if get_origin(annotation) is Annotated:
            inner, *meta = get_args(annotation)
            if any(isinstance(m, Discriminator) for m in meta):
                return annotation
            annotation = inner
        elif get_origin(annotation) in (Union, UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _step(annotation: Any, part: Any) -> Any:
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    if origin is list and isinstance(part, int):
        return get_args(annotation)[0]
    if origin is dict and isinstance(part, str):
        return get_args(annotation)[1]
    if origin is Annotated:  # a tagged union: the part is the tag
        union = get_args(annotation)[0]
        for member in get_args(union):
            if get_origin(member) is Annotated:
                inner, *meta = get_args(member)
                if any(isinstance(m, Tag) and m.tag == part for m in meta):
                    return inner
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
    return None


def _unknown_key_hint(data: Any, owner: Any, err_loc: tuple[Any, ...],
                      loc: Loc) -> str:
    """A key that would fix it: close to the unknown one, accepted here, not already used."""
    accepted = _fields_at(owner, err_loc)
    mapping = data
    for part in loc[:-1] if loc and loc[-1] == err_loc[-1] else loc:
        if isinstance(mapping, dict):
            mapping = mapping.get(part)
        elif isinstance(mapping, list) and isinstance(part, int):
            mapping = mapping[part]
    present = set(mapping) if isinstance(mapping, dict) else set()
    close = difflib.get_close_matches(str(err_loc[-1]), accepted, n=1, cutoff=0.6)
    if close and close[0] in present:  # renaming it would only duplicate that key
        return f"did you mean '{close[0]}'? it is already set here, so remove this one"
    if close:
        return f"did you mean '{close[0]}'?"
    return "allowed keys: " + ", ".join(accepted) if accepted else "remove it"


def _condition_hint(value: Any) -> str:
    """For a mapping with no condition key: the condition key its keys were meant to be."""
    if not isinstance(value, dict):
        return "write a mapping such as {metric: error_rate, above: 3}"
    for key in value:
        close = difflib.get_close_matches(str(key), CONDITION_KEYS, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
    return "see 'Conditions' in docs/scenario-format.md"


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"missing required key '{err['loc'][-1]}'"
    if kind == "extra_forbidden":
        return f"unknown key '{err['loc'][-1]}'"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err['input']!r} is not allowed here; expected {expected}"
    value = err.get("input")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == TIME_PATTERN:
        return f"{value!r} is not a time of day (write HH:MM, from 00:00 to 23:59)"
    if kind in ("int_parsing", "float_parsing") and isinstance(value, str):
        whole = kind == "int_parsing"
        exponent = "e" in value.lower() and value.lower().lstrip("+-").replace(
            "e", "", 1).replace(".", "", 1).lstrip("+-").isdigit()
        return (f"{value!r} is not {'a whole number' if whole else 'a number'} (write "
                f"{'digits only, such as 80' if whole else 'digits, such as 7 or 2.5'}"
                f"{'; YAML reads 1e9 as text' if exponent else ''})")
    return f"{err['msg'][0].lower()}{err['msg'][1:]}"


def validate_model(
    located: Located, model: type[T] | Any, owner: type[BaseModel] | None = None
) -> tuple[T | None, list[Problem]]:
    """Validate located data against a model or type; return it or located problems."""
    adapter = TypeAdapter(model)
    try:
        return adapter.validate_python(located.data), []
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[Loc, str]] = set()
        owner = owner or (model if isinstance(model, type) and issubclass(model, BaseModel)
                          else None)
        for err in exc.errors():
            loc = data_loc(located.data, err["loc"])
            message = _message(dict(err))
            hint = ""
            if err["type"] == "missing":
                hint = "add it"
            elif err["type"] == "string_type" and isinstance(err.get("input"), dict):
                hint = "quote the text: an unquoted ': ' makes YAML read a key and a value"
            elif err["type"] == "extra_forbidden":
                hint = _unknown_key_hint(located.data, owner or model, err["loc"], loc)
            elif err["type"] == "condition":
                hint = _condition_hint(err.get("input"))
            if (loc, message) in seen:
                continue
            seen.add((loc, message))
            problems.append(located.problem(loc, message, hint))
        return None, problems
