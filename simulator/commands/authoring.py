"""Help facilitators start a scenario: copy a built-in one under a new id.

Copying a complete, proven scenario teaches the format faster than a blank template,
and the copy validates from the first minute, so every edit can be checked as it is made.
"""

from __future__ import annotations

import re
from pathlib import Path

from simulator.errors import InputError
from simulator.format.loader import builtin_dir, builtin_ids, parse_scenario
from simulator.format.scenario import schema_text

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HEADER = ("# yaml-language-server: $schema=scenario.schema.json\n"
          "# (editors read that schema for completion; `tabletop schema` regenerates it)\n"
          "# Started from the built-in scenario '{template}'. Guide: docs/scenario-format.md\n"
          "# Check as you edit:  tabletop validate {name}   and   tabletop prove {name}\n")


def new_scenario(scenario_id: str, template: str, output: Path | None) -> Path:
    if not ID.match(scenario_id):
        raise InputError(f"'{scenario_id}' is not a valid id: use lowercase letters, digits "
                         "and dashes, starting with a letter or digit")
    if template not in builtin_ids():
        raise InputError(f"no built-in scenario '{template}' (built-in: "
                         f"{', '.join(builtin_ids())})")
    path = output or Path(f"{scenario_id}.yaml")
    if path.exists():
        raise InputError(f"{path} already exists; choose another --output")
    text = (builtin_dir() / f"{template}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", f"id: {scenario_id}", text, count=1)
    text = HEADER.format(template=template, name=path.name) + text
    write_new_scenario(path, text)
    return path


def write_new_scenario(path: Path, text: str) -> None:
    """Write a started scenario, valid before anyone edits it, with the JSON Schema beside
    it for editors (kept if one is already there)."""
    parse_scenario(text, str(path))
    try:
        path.write_text(text, encoding="utf-8")
        schema = path.parent / "scenario.schema.json"
        if not schema.exists():
            schema.write_text(schema_text(), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
