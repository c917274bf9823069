"""Find, read and validate scenarios: built-in ones by id, any other by path."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.errors import InputError, Problem

if TYPE_CHECKING:
    from simulator.format.scenario import Scenario


def builtin_dir() -> Path:
    return Path(str(resources.files("scenarios")))


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def resolve(name: str) -> Path:
    """A scenario id of the built-in set, or a path to a YAML file."""
    candidate = builtin_dir() / f"{name}.yaml"
    if "/" not in name and not name.endswith((".yaml", ".yml")) and candidate.is_file():
        return candidate
    path = Path(name)
    if path.exists() or "/" in name or name.endswith((".yaml", ".yml")):
        return path
    known = ", ".join(builtin_ids())
    raise InputError(f"no scenario '{name}': give a built-in id ({known}) or a path to a "
                     "YAML file")


def parse_scenario(text: str, label: str) -> Scenario:
    """Validate scenario text; raise InputError listing every problem at once.

    The models and checks are imported here, not with the module: finding a scenario
    (``resolve``) is part of starting a drill, before its first prompt, and must stay light.
    """
    from simulator.format.crossref import cross_check
    from simulator.format.scenario import SCHEMA_VERSION, Scenario
    from simulator.format.validation import validate_model
    from simulator.format.yamlsafe import load_yaml

    located = load_yaml(text, label)
    data = located.data
    if not isinstance(data, dict):
        raise InputError("", [located.problem((), "a scenario must be a mapping of keys",
                                              "start with 'schema_version: 1'")])
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        where = ("schema_version",) if "schema_version" in data else ()
        raise InputError("", [located.problem(
            where, f"schema_version must be {SCHEMA_VERSION} (found {version!r})",
            "this tool reads schema_version 1 scenario files")])
    scenario, problems = validate_model(located, Scenario)
    if scenario is None:
        raise InputError("", problems)
    problems = cross_check(scenario, located)
    if problems:
        raise InputError("", problems)
    return scenario


def load_scenario(name: str) -> tuple[Scenario, dict[str, str]]:
    """Load a scenario by id or path; returns it with the reference the journal records.

    The reference carries the scenario's full text, so a journal stays scorable, resumable
    and branchable after the scenario file is edited or the tool is upgraded.
    """
    from simulator.format.yamlsafe import read_text

    path = resolve(name)
    text = read_text(path, str(path))
    scenario = parse_scenario(text, str(path))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    builtin = path.parent.resolve() == builtin_dir().resolve()
    ref = {"id": scenario.id, "sha256": digest,
           "path": f"builtin:{path.name}" if builtin else str(path.resolve()),
           "source": text}
    return scenario, ref


def lint_scenario(name: str) -> list[Problem]:
    """Warnings for a valid scenario (`tabletop validate` prints them; --strict fails)."""
    from simulator.format.lint import lint
    from simulator.format.yamlsafe import load_yaml, read_text

    path = resolve(name)
    text = read_text(path, str(path))
    scenario = parse_scenario(text, str(path))
    return lint(scenario, load_yaml(text, str(path)), text)


@lru_cache(maxsize=16)
def _parse_recorded(text: str, label: str) -> Scenario:
    """Journals of one scenario embed the same text: `history` and the verifier parse it
    once per process (a Scenario is frozen, so sharing it is safe)."""
    return parse_scenario(text, label)


def scenario_for_journal(ref: dict[str, str]) -> Scenario:
    """The exact scenario a journal was played with: its embedded text, or the file if that
    still has the same content (journals written before the text was embedded)."""
    from simulator.format.yamlsafe import read_text

    label = f"{ref.get('path', ref.get('id', 'scenario'))} (as recorded in the journal)"
    embedded = ref.get("source")
    if isinstance(embedded, str):
        if hashlib.sha256(embedded.encode("utf-8")).hexdigest() != ref.get("sha256"):
            raise InputError("", [Problem(label, 1, 1, "the scenario text in the journal does "
                                          "not match its hash: the journal was edited")])
        return _parse_recorded(embedded, label)
    path_text = ref.get("path", "")
    path = builtin_dir() / path_text[8:] if path_text.startswith("builtin:") else Path(path_text)
    if not path.is_file():
        path = builtin_dir() / f"{ref.get('id')}.yaml"
    text = read_text(path, str(path))
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != ref.get("sha256"):
        raise InputError("", [Problem(str(path), 1, 1, "the scenario changed since this journal "
                                      "was written (content hash differs)",
                                      "restore the scenario version the journal was played with")])
    return parse_scenario(text, str(path))
