"""What people add to a drill after it ended: evaluator observations, hot-wash answers.

An evaluator often writes their ratings down after the drill, in the hot wash or the next
day, and the group's lessons come after the end by nature. Both go into the journal, the
run's one record, without touching what is already there: the lines are appended after the
end record, under the journal's lock (a second evaluator appending at the same moment
waits its turn instead of interleaving bytes), and only to a journal that has ended (a
running drill's observations go through the facilitator's console, which journals them at
a decision point). Nothing earlier is rewritten, so the journal still verifies: the
re-simulation ignores observations and hot-wash answers (simulator/players/verify.py), and replay
never plays what came after the end (facilitation.recorded_acts).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from simulator.engine.facilitation import MAX_TEXT, RATINGS, check_by
from simulator.errors import InputError
from simulator.format.textsafe import strip_controls
from simulator.runs.files import lock, write_all
from simulator.runs.journal import Journal, dumps, read_journal

#: how long an append waits for another process that holds the journal's lock
LOCK_WAIT = 10.0


def observation(journal: Journal, criterion: str, rating: str, note: str, by: str
                ) -> dict[str, Any]:
    """An evaluator's observation of an ended drill, checked like one sent live.

    It is dated at the end of the drill and marked ``after`` so that the reports say it
    was recorded afterwards.
    """
    from simulator.format.crossref import criterion_ids

    end = journal.end
    if end is None:
        raise InputError(f"{journal.path}: the drill has not ended yet; record observations "
                         "of a running drill in its facilitator's console "
                         "(tabletop facilitate SESSION --observe ...)")
    known = criterion_ids()
    if criterion not in known:
        close = sorted(c for c in known if c.split(".")[0] == criterion.split(".")[0])
        raise InputError(f"unknown criterion {criterion!r} (one of: "
                         f"{', '.join(close or sorted(known))})")
    rating = rating.strip().upper()
    if rating not in RATINGS:
        raise InputError(f"rating {rating!r}: one of {', '.join(RATINGS)} (performed, "
                         "some challenges, major challenges, unable to perform)")
    note = strip_controls(note).strip()
    if len(note) > MAX_TEXT:
        raise InputError(f"the note has {len(note)} characters; at most {MAX_TEXT}")
    problem = check_by(by)
    if problem:
        raise InputError(f"--by: {problem}")
    return {"type": "observation", "criterion": criterion, "rating": rating, "note": note,
            "by": by.strip(), "t": int(end.get("t", 0)), "after": True}


def append_after_end(path: Path, build: Any) -> list[dict[str, Any]]:
    """Append the records ``build(journal)`` returns to an ended journal, under its lock.

    The journal is read again once the lock is held, so what ``build`` checks (that the
    drill has ended) is what the file says at the moment of writing. Returns the records.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND)
    except FileNotFoundError:
        raise InputError(f"{path}: journal not found") from None
    except OSError as exc:
        raise InputError(f"cannot open the journal {path}: {exc.strerror}") from None
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        held = os.dup(fd)
        try:
            lock(held, path)  # closes ``held`` when it refuses
            break
        except InputError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise
            time.sleep(0.1)
    os.close(held)  # the lock belongs to the open file, which ``fd`` still holds
    try:
        journal = read_journal(path)
        records: list[dict[str, Any]] = build(journal)
        if journal.end is None:
            raise InputError(f"{path}: the drill has not ended yet")
        data = "".join(dumps(r) + "\n" for r in records).encode()
        if journal.torn is not None and journal.torn.fragment:
            raise InputError(f"{path}:{journal.torn.line}: the last line is cut off; nothing "
                             "is appended after it (the journal was damaged)")
        if journal.torn is not None:  # a whole last line without its newline
            data = b"\n" + data
        write_all(fd, data, path)
        os.fsync(fd)
    finally:
        os.close(fd)
    return records
