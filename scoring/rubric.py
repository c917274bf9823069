"""The rubric format, declared once, and how a rubric file is read.

A rubric is the exercise evaluation guide as data: which criteria exist, what each is worth,
the thresholds that separate the ratings, and the advice shown to the trainee. Rubric files
are untrusted YAML, read with the same safe loader and located validation as scenarios, so
a facilitator's typo is reported as ``path:line:col`` with a hint (exit status 2).

A facilitator's file either lists every criterion, or says ``extends: builtin`` and lists
only the criteria it changes (by id): switch one off, change its weight or a threshold.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from scoring import placeholders
from simulator.errors import InputError, Problem
from simulator.format.bounds import Value
from simulator.format.validation import validate_model
from simulator.format.yamlsafe import Located, load_yaml, read_text

SCHEMA_VERSION = 1
Rating = Literal["P", "S", "M", "U", "N/A"]
CapRating = Literal["S", "M", "U"]
Cap = Annotated[float, Field(ge=0, le=100, description="the highest total score, 0-100")]
RATING_ORDER = ("S", "M", "U")  # better to worse; P and N/A never cap


class Model(BaseModel):
    """Every rubric model: unknown keys refused, frozen, numbers finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Factors(Model):
    """Share of a criterion's weight earned at each rating (HSEEP: P, S, M, U)."""

    P: float = Field(1.0, ge=0, le=1)
    S: float = Field(0.75, ge=0, le=1)
    M: float = Field(0.4, ge=0, le=1)
    U: float = Field(0.0, ge=0, le=1)

    def of(self, rating: str) -> float:
        return float(getattr(self, rating))


class Criterion(Model):
    """One gradable principle: what is checked, how, what it is worth, what to advise."""

    id: str = Field(pattern=r"^[a-z]+\.[a-z0-9-]+$", description="e.g. comms.first-update")
    title: str
    section: str = Field(pattern=r"^[a-z0-9-]+$",
                         description="anchor in docs/process.md this criterion checks")
    weight: float = Field(ge=0, le=100)
    enabled: bool = True
    check: str = Field(description="name of the check mechanism (scoring/checks.py)")
    thresholds: dict[str, Value] = Field({}, description="overrides of the check's defaults")
    critical: dict[CapRating, Cap] = Field(
        {}, description="critical failure caps: the total score is at most this when the "
        "criterion is rated so (e.g. {M: 70, U: 55})")
    critical_when: dict[str, Cap] = Field(
        {}, description="critical failure caps keyed on one of the check's facts: the total "
        "score is at most this when the check reports it (non-zero), whatever the rating "
        "(e.g. {lasting_harm: 70})")
    occasional: bool = Field(
        False, description="judged only when its moment happens (a handover): its weight "
        "comes on top and counts only in the runs it applies to, never as unearned")
    personal: bool = Field(
        False, description="team drills: judged for each person on their own decisions (the "
        "changes they ordered), not on the run as a whole, when it is one of their role's")
    advice: str = Field(description="what to do differently; {placeholders} from the check")
    keep: str = Field(description="what to keep doing when the criterion is performed")

    def cap(self, rating: str) -> float | None:
        """The most the total may be when this criterion is rated ``rating`` (None: no cap).

        A cap named for a better rating also holds for every worse one, so a worse rating
        can never leave the total less capped than a better one."""
        caps = [v for r, v in self.critical.items() if RATING_ORDER.index(r) <=
                RATING_ORDER.index(rating)] if rating in RATING_ORDER else []
        return min(caps) if caps else None


class Rubric(Model):
    schema_version: Literal[1]
    title: str = "Incident process rubric"
    ratings: Factors = Factors.model_validate({})
    #: team drills: role -> the criteria a person in that role is graded on
    roles: dict[str, list[str]] = Field({}, description="role (ic, comms, ops) -> criterion "
                                        "ids a person in that role is graded on")
    criteria: list[Criterion] = Field(min_length=1)

    def enabled(self) -> list[Criterion]:
        return [c for c in self.criteria if c.enabled and c.weight > 0]


class CriterionChange(Model):
    """A facilitator's change to one built-in criterion; unset fields keep their value."""

    id: str
    title: str | None = None
    weight: float | None = Field(None, ge=0, le=100)
    enabled: bool | None = None
    occasional: bool | None = None
    personal: bool | None = None
    critical: dict[CapRating, Cap] | None = None
    critical_when: dict[str, Cap] | None = None
    thresholds: dict[str, Value] | None = None
    advice: str | None = None
    keep: str | None = None


class RubricChanges(Model):
    schema_version: Literal[1]
    extends: Literal["builtin"]
    title: str | None = None
    ratings: Factors | None = None
    roles: dict[str, list[str]] | None = None
    criteria: list[CriterionChange] = []


def builtin_path() -> Path:
    return Path(__file__).resolve().parent / "rubric.yaml"  # package data beside the code


def load_rubric(path: Path | None = None) -> Rubric:
    """The built-in rubric, or a facilitator's file validated against it."""
    source = path or builtin_path()
    located = load_yaml(read_text(source, str(source)), str(source))
    return parse_rubric(located)


def parse_rubric(located: Located) -> Rubric:
    data = located.data
    if not isinstance(data, dict):
        raise InputError("", [located.problem((), "a rubric must be a mapping of keys",
                                              "start with 'schema_version: 1'")])
    if data.get("schema_version") != SCHEMA_VERSION:
        where = ("schema_version",) if "schema_version" in data else ()
        raise InputError("", [located.problem(
            where, f"schema_version must be {SCHEMA_VERSION} (found "
            f"{data.get('schema_version')!r})", "this tool reads schema_version 1 rubrics")])
    if "extends" in data:
        changes, problems = validate_model(located, RubricChanges)
        if changes is None:
            raise InputError("", problems)
        rubric = _apply(changes, located)
    else:
        full, problems = validate_model(located, Rubric)
        if full is None:
            raise InputError("", problems)
        rubric = full
    problems = cross_check(rubric, located)
    if problems:
        raise InputError("", problems)
    return rubric


def _apply(changes: RubricChanges, located: Located) -> Rubric:
    base = load_rubric()
    by_id = {c.id: c for c in base.criteria}
    problems: list[Problem] = []
    for i, change in enumerate(changes.criteria):
        if change.id not in by_id:
            close = difflib.get_close_matches(change.id, list(by_id), n=1, cutoff=0.5)
            problems.append(located.problem(
                ("criteria", i, "id"), f"no built-in criterion '{change.id}'",
                f"did you mean '{close[0]}'?" if close else "see 'tabletop rubric' for ids"))
            continue
        current = by_id[change.id]
        update = change.model_dump(exclude_none=True, exclude={"id"})
        if "thresholds" in update:
            update["thresholds"] = {**current.thresholds, **update["thresholds"]}
        # critical caps are replaced whole, so `critical: {}` (or `critical_when: {}`)
        # switches them off
        by_id[change.id] = current.model_copy(update=update)
    if problems:
        raise InputError("", problems)
    roles = base.roles if changes.roles is None else {**base.roles, **changes.roles}
    return Rubric(schema_version=1, title=changes.title or base.title,
                  ratings=changes.ratings or base.ratings, roles=roles,
                  criteria=list(by_id.values()))


def _criterion_loc(located: Located, criterion_id: str, index: int) -> tuple[int | str, ...]:
    """Where a criterion is written: its own index, or its entry in an ``extends`` file."""
    items = located.data.get("criteria") if isinstance(located.data, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") == criterion_id:
                return ("criteria", i)
        if "extends" in located.data:
            return ("extends",)
    return ("criteria", index)


def cross_check(rubric: Rubric, located: Located) -> list[Problem]:
    """What the schema cannot say: known checks, known thresholds, known placeholders."""
    from scoring.checks import CHECKS

    problems: list[Problem] = []
    seen: set[str] = set()
    for i, crit in enumerate(rubric.criteria):
        loc = _criterion_loc(located, crit.id, i)
        if crit.id in seen:
            problems.append(located.problem((*loc, "id"), f"duplicate criterion id '{crit.id}'",
                                            "each id may appear once"))
        seen.add(crit.id)
        spec = CHECKS.get(crit.check)
        if spec is None:
            close = difflib.get_close_matches(crit.check, list(CHECKS), n=1, cutoff=0.5)
            problems.append(located.problem(
                (*loc, "check"), f"unknown check '{crit.check}'",
                f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(CHECKS)))
            continue
        for name in crit.thresholds:
            if name not in spec.defaults:
                close = difflib.get_close_matches(name, list(spec.defaults), n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else (
                    "allowed: " + (", ".join(spec.defaults) or "none for this check"))
                problems.append(located.problem((*loc, "thresholds", name),
                                                f"unknown threshold '{name}' for check "
                                                f"'{crit.check}'", hint))
        caps = [crit.critical[r] for r in RATING_ORDER if r in crit.critical]
        if caps != sorted(caps, reverse=True):
            problems.append(located.problem(
                (*loc, "critical"), "a worse rating has a higher cap than a better one",
                "caps must not rise from S to M to U (e.g. {M: 70, U: 55})"))
        for name in crit.critical_when:
            if name not in spec.facts:
                problems.append(located.problem(
                    (*loc, "critical_when", name), f"unknown fact '{name}' for check "
                    f"'{crit.check}'", "allowed: " + (", ".join(spec.facts) or "none")))
        allowed = set(spec.defaults) | set(spec.facts)
        for field in ("advice", "keep"):
            bad = placeholders.malformed(getattr(crit, field))
            if bad is not None:
                problems.append(located.problem(
                    (*loc, field), f"{bad!r} in {field} is not a placeholder", placeholders.HINT))
                continue
            for name in placeholders.names(getattr(crit, field)):
                if name not in allowed:
                    problems.append(located.problem(
                        (*loc, field), f"unknown placeholder '{{{name}}}' in {field}",
                        "available: " + ", ".join(sorted(allowed))))
    problems += _check_roles(rubric, located, seen)
    if not rubric.enabled():
        problems.append(located.problem(("criteria",), "every criterion is switched off",
                                        "leave at least one enabled with a weight above 0"))
    return problems



def _check_roles(rubric: Rubric, located: Located, ids: set[str]) -> list[Problem]:
    """Each role is one the catalogue knows; each criterion it lists exists."""
    from simulator.engine.team import roles

    known = roles()
    problems: list[Problem] = []
    for role, criteria in rubric.roles.items():
        if role not in known:
            problems.append(located.problem(("roles", role), f"unknown role '{role}'",
                                            "roles: " + ", ".join(known)))
        for i, cid in enumerate(criteria):
            if cid not in ids:
                close = difflib.get_close_matches(cid, sorted(ids), n=1, cutoff=0.5)
                problems.append(located.problem(
                    ("roles", role, i), f"no criterion '{cid}' for role '{role}'",
                    f"did you mean '{close[0]}'?" if close else "list criterion ids"))
    return problems
