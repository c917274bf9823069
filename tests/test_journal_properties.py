"""Properties over journals: whatever happens to one, the outcome is the documented one.

A journal read back and verified (read_journal + verify, what score, branch and history
do) is either refused with located problems (``path:LINE:COL: ...``, exit 2 from the CLI)
or accepted because the simulation reproduces it. Truncated at any byte, a field replaced
by any JSON value (huge numbers included), two lines swapped: nothing else may happen, in
particular no other exception (a traceback for the user).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import InputError
from simulator.format.loader import load_scenario
from simulator.players.bots import make_bot
from simulator.players.play import run_drill
from simulator.players.verify import verify
from simulator.runs.journal import read_journal

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
WORK = Path(tempfile.mkdtemp(prefix="journal-properties-"))


def _played() -> bytes:
    path = WORK / "source.jsonl"
    scenario, ref = load_scenario("bad-deploy")
    run_drill(scenario, ref, make_bot("hero"), 5, path, {"bot": "hero"})
    return path.read_bytes()


SOURCE = _played()
LINES = SOURCE.decode("utf-8").splitlines()
RECORDS = [json.loads(line) for line in LINES]
HEADER_END = SOURCE.index(b"\n")
PATH = WORK / "j.jsonl"
LOCATED = re.compile(re.escape(str(PATH)) + r":\d+:\d+: ")


def outcome(data: bytes) -> str:
    """'accepted' or 'refused' (with every problem located); anything else fails."""
    PATH.write_bytes(data)
    try:
        verify(read_journal(PATH))
    except InputError as exc:
        assert exc.problems, str(exc)
        for problem in exc.problems:
            assert LOCATED.match(str(problem)), str(problem)
        return "refused"
    return "accepted"


def dump(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8) | st.sampled_from([10**400, -1, 2**64, 1e308, "", "P1", "ic"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=3),
    max_leaves=6)


@SETTINGS
@given(cut=st.integers(0, len(SOURCE)) | st.integers(HEADER_END, len(SOURCE)))
def test_a_journal_cut_at_any_byte_is_a_prefix_or_refused(cut: int) -> None:
    """After a crash: accepted (a verified start of the run) once the header is whole."""
    result = outcome(SOURCE[:cut])
    assert result == ("accepted" if cut >= HEADER_END else "refused")


def test_every_byte_of_the_last_records_reads_as_a_prefix() -> None:
    """Cut at every byte of the last 600 bytes: the reader keeps the whole lines."""
    for cut in range(len(SOURCE) - 600, len(SOURCE) + 1):
        PATH.write_bytes(SOURCE[:cut])
        journal = read_journal(PATH)
        whole = SOURCE[:cut].count(b"\n")
        assert len(journal.records) + 1 in (whole, whole + 1)


@SETTINGS
@given(data=st.data())
def test_a_mutated_field_is_refused_unless_it_changes_nothing(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(RECORDS) - 1), label="line")
    record = json.loads(LINES[index])
    key = data.draw(st.sampled_from(sorted(record)), label="key")
    path = [key]
    if isinstance(record[key], dict) and record[key] and data.draw(st.booleans()):
        path.append(data.draw(st.sampled_from(sorted(record[key]))))
    holder = record if len(path) == 1 else record[path[0]]
    old = holder[path[-1]]
    new = data.draw(JSON_VALUES, label="value")
    holder[path[-1]] = new
    lines = list(LINES)
    lines[index] = dump(record)
    result = outcome(("\n".join(lines) + "\n").encode("utf-8"))
    harmless = (new == old and type(new) is type(old)) or (
        path == ["version"] and isinstance(new, str))
    if result == "accepted":
        assert new == old or path == ["version"], (path, old, new)
    elif harmless:
        raise AssertionError(f"an unchanged journal was refused ({path})")


@SETTINGS
@given(i=st.integers(0, len(LINES) - 1), j=st.integers(0, len(LINES) - 1))
def test_swapped_lines_are_refused_unless_identical(i: int, j: int) -> None:
    lines = list(LINES)
    lines[i], lines[j] = lines[j], lines[i]
    result = outcome(("\n".join(lines) + "\n").encode("utf-8"))
    assert result == ("accepted" if LINES[i] == LINES[j] else "refused")


@SETTINGS
@given(n=st.integers(1, len(LINES) - 1), line=st.sampled_from(LINES[1:]))
def test_a_duplicated_line_is_refused(n: int, line: str) -> None:
    lines = [*LINES[:n], line, *LINES[n:]]
    assert outcome(("\n".join(lines) + "\n").encode("utf-8")) == "refused"
