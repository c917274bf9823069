"""The journal's records, declared as models: a hand-edited journal is a located error.

Journals travel: trainees hand them to facilitators, who score, branch and resume them. So
every line is validated when it is read, like a scenario is: a missing field, a wrong
type, a number out of range or an action that is not in the catalogue gives
``path:LINE:COL: field: problem`` and exit 2, never a traceback. The models check shape
and ranges only; whether the records are *true* (what the simulation would write for this
scenario, seed and decisions) is the job of simulator.players.verify, which re-simulates the run.

Action names are checked against the catalogue (catalogue.yaml), so actions added there
are accepted without touching this module; their arguments are checked by the actions
themselves when the run is re-simulated.
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from simulator.errors import Problem

#: simulated seconds: a drill lasts hours at most; this bound only keeps numbers sane
MAX_T = 10 * 24 * 3600
MAX_SEED = 2**63 - 1
#: argument keys a decisions file uses for itself; a journal's args never hold them
RESERVED_ARGS = ("action", "at_minutes", "who")

Seconds = Annotated[StrictInt, Field(ge=0, le=MAX_T)]
Finite = Annotated[float, Field(strict=False, allow_inf_nan=False, ge=-1e15, le=1e15)]
#: argument values are plain JSON (postmortem action items are lists of mappings); the
#: action checks them when the run is re-simulated
ArgValue = Any


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ScenarioRef(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    id: StrictStr
    sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    path: StrictStr = ""
    source: StrictStr | None = None


class Options(BaseModel):
    """The run's options; tools may add their own keys, the known ones are typed."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    decider: StrictStr = "?"
    bot: StrictStr | None = None
    coach: Literal["full", "light", "off"] | None = None
    pressure: Annotated[float, Field(ge=0, le=600, allow_inf_nan=False)] | None = None
    branch_of: StrictStr | None = None
    branch_at: Annotated[StrictInt, Field(ge=0)] | None = None


class Header(_Record):
    type: Literal["header"]
    format: Literal[1]
    tool: Literal["incident-tabletop"]
    version: StrictStr
    scenario: ScenarioRef
    seed: Annotated[StrictInt, Field(ge=0, le=MAX_SEED)]
    options: Options
    #: the seeded variants' picks (simulator/format/variants.py), when the scenario has variants
    variant: dict[StrictStr, Any] | None = None
    #: the people of a team drill (simulator/engine/team.py); absent in solo runs
    team: list[dict[StrictStr, Any]] | None = None


class Event(_Record):
    type: Literal["event"]
    t: Seconds
    actor: StrictStr
    kind: StrictStr
    text: StrictStr | None = None
    data: dict[StrictStr, Any] | None = None
    #: a facilitator's act (simulator/engine/facilitation.py): who acted
    source: StrictStr | None = None
    by: StrictStr | None = None


class Metrics(_Record):
    type: Literal["metrics"]
    t: Seconds
    values: dict[StrictStr, Finite]
    failed: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0


class Decision(_Record):
    type: Literal["decision"]
    t: Seconds
    n: Annotated[StrictInt, Field(ge=0)]
    action: StrictStr
    args: dict[StrictStr, ArgValue] | None = None
    think: Annotated[float, Field(ge=0, le=MAX_T, allow_inf_nan=False)] | None = None
    #: who decided, in a team drill
    who: StrictStr | None = None

    @field_validator("action")
    @classmethod
    def _known_action(cls, value: str) -> str:
        from simulator.texts import catalogue

        actions = catalogue()
        if value not in actions:
            close = difflib.get_close_matches(value, list(actions), n=1)
            raise ValueError(f"unknown action {value!r}" + (
                f" (did you mean {close[0]!r}?)" if close else
                " (not in the action catalogue)"))
        return value

    @field_validator("args")
    @classmethod
    def _no_reserved(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for key in RESERVED_ARGS:
            if value and key in value:
                raise ValueError(f"{key!r} is not an argument of an action")
        return value


class Outcome(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    status: Literal["resolved", "reopened", "unresolved", "timeout", "abandoned"]


class End(_Record):
    type: Literal["end"]
    t: Seconds
    outcome: Outcome


class Observation(_Record):
    """An evaluator's rating beside the automatic one (tabletop facilitate)."""

    type: Literal["observation"]
    t: Seconds
    criterion: StrictStr
    rating: StrictStr
    note: StrictStr = ""
    by: StrictStr = ""
    #: recorded after the drill ended (tabletop observe), appended after the end record
    after: StrictBool = False


class Hotwash(_Record):
    """One answer of the hot wash, appended after the end record."""

    type: Literal["hotwash"]
    question: StrictStr
    answer: StrictStr
    by: StrictStr = ""


Record = Annotated[Header | Event | Metrics | Decision | End | Observation | Hotwash,
                   Field(discriminator="type")]
KINDS = ("header", "event", "metrics", "decision", "end", "observation", "hotwash")


@cache
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Record)


def _column(raw: str, loc: tuple[Any, ...]) -> int:
    """Best effort: the column of the innermost key named in ``loc`` on the raw line."""
    for part in reversed(loc):
        if isinstance(part, str):
            found = raw.find(f'"{part}":')
            if found >= 0:
                return found + 1
    return 1


def _problem_text(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown field (the journal was edited)"
    if kind == "literal_error":
        return f"{_short(err.get('input'))} is not allowed; expected " \
               f"{err.get('ctx', {}).get('expected', '')}"
    if kind == "missing":
        return "missing (add it)"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return f"{msg[0].lower()}{msg[1:]} (found {_short(err.get('input'))})"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_record(record: dict[str, Any], path: str, line: int, raw: str) -> None:
    """Validate one parsed line; raises InputError with every problem located on it."""
    from simulator.errors import InputError

    if record.get("type") not in KINDS:
        raise InputError("", [Problem(path, line, _column(raw, ("type",)),
                                      f"type: {_short(record.get('type'))} is not a journal "
                                      f"record type (one of {', '.join(KINDS)})",
                                      "the journal was edited or damaged")])
    try:
        _adapter().validate_python(record)
    except ValidationError as exc:
        from simulator.format.validation import data_loc

        by_loc: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for err in exc.errors():
            loc = data_loc(record, tuple(err["loc"][1:]))
            if err["type"] in ("missing", "extra_forbidden"):
                loc = tuple(err["loc"][1:])
            by_loc.setdefault(loc, []).append(dict(err))
        problems = []
        for loc, errs in by_loc.items():
            if any(loc[:n] in by_loc for n in range(len(loc))):
                continue  # a value inside one already reported
            field = ".".join(str(p) for p in loc) or "record"
            text = (_problem_text(errs[0]) if len(errs) == 1 else
                    f"not a value this field can hold (found {_short(errs[0].get('input'))})")
            problems.append(Problem(path, line, _column(raw, loc), f"{field}: {text}"))
        raise InputError("", problems[:5]) from None
