"""A facilitator breaks a copy of a built-in scenario in five everyday ways and validates it.

Each mistake must come back as `path:line:col: what is wrong (how to fix it)` at the line
to edit, exit 2, no traceback. The two syntax slips used to fall short: an unclosed quote
was reported lines later as "did not find expected key" with no advice (YAML lets a quoted
value run on until the next quote), and a tab gave the parser's words with no fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import tabletop

SOURCE = Path(__file__).resolve().parents[1] / "scenarios" / "poison-message.yaml"
LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<what>.+) \((?P<fix>.+)\)$")


def _break(old: str, new: str) -> tuple[str, int]:
    """The scenario with the first ``old`` line replaced, and that line's number."""
    rows = SOURCE.read_text(encoding="utf-8").splitlines()
    number = next(i for i, row in enumerate(rows) if row == old)
    rows[number] = new
    return "\n".join(rows) + "\n", number + 1


CASES = {
    "typo in a key": ("    minutes: 2.5", "    minuets: 2.5", "unknown key 'minuets'",
                      "did you mean 'minutes'"),
    "wrong type": ("    minutes: 2.5", '    minutes: "soon"', "'soon' is not a number",
                   "write digits"),
    "bad reference": ("    available_when: {known: poison-subscription}",
                      "    available_when: {known: poison-subscriptoin}",
                      "unknown finding 'poison-subscriptoin'",
                      "did you mean 'poison-subscription'"),
    "a tab": ("    minutes: 2.5", "\tminutes: 2.5", "tab character", "indent with spaces"),
    "an unclosed quote": ("    title: Platform events and instance states",
                          '    title: "Platform events and instance states',
                          "quoted value is not closed on its line", "end the value with"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_is_located_explained_and_exits_2(case: str, tmp_path: Path) -> None:
    old, new, what, fix = CASES[case]
    text, number = _break(old, new)
    broken = tmp_path / "mine.yaml"
    broken.write_text(text, encoding="utf-8")
    done = tabletop("validate", str(broken))
    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    lines = [m for m in map(LOCATED.match, (done.stdout + done.stderr).splitlines()) if m]
    hit = next((m for m in lines if what in m["what"]), None)
    assert hit is not None, done.stdout + done.stderr
    assert hit["path"] == str(broken) and fix in hit["fix"]
    if case != "bad reference":  # a reference is reported at its mapping's key
        assert int(hit["line"]) == number, (hit.group(0), number)
