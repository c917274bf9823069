"""Output files that never destroy anything: exclusive creation, locks, atomic replacement.

A journal is the only record of a drill and a trainee's work, so the tool never writes one
over another file by accident: journals are created exclusively (a second run that picks
the same name gets its own), a journal being written is locked so a second process cannot
interleave lines into it, and reports are written to a temporary file that replaces the
old one in one rename. Outputs that would land on an input (the scenario being played, the
decisions file, the journal being scored) are refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from simulator.errors import InputError, OutputError

try:  # POSIX; elsewhere a journal is still created exclusively, only not locked
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


def describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def lock(fd: int, path: Path) -> None:
    """Take the journal's exclusive lock, or say at once that someone else holds it."""
    if fcntl is None:  # pragma: no cover
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise InputError(f"{path}: another tabletop process (a drill or a resume) is "
                             "writing this journal; wait until it ends") from None
        raise OutputError(f"cannot lock the journal {path}: {describe(exc)}") from None


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_inputs(output: Path, inputs: Iterable[tuple[str, Path | None]], option: str) -> None:
    """An output must never be one of the command's inputs (it would destroy it)."""
    for what, path in inputs:
        if path is not None and same_file(output, path):
            raise InputError(f"{option} {output} is the {what} this command reads; "
                             f"writing there would destroy it: choose another file")


def check_output(path: Path, option: str) -> None:
    """Fail before any work when an output path cannot possibly be written."""
    if path.is_dir():
        raise OutputError(f"{option} {path} is a directory: give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{option} {path}: the folder {parent} does not exist")
    if path.exists() and not path.is_file() and not path.is_char_device():
        raise OutputError(f"{option} {path} is not a regular file")
    if not os.access(parent, os.W_OK) and not (path.exists() and os.access(path, os.W_OK)):
        raise OutputError(f"{option} {path}: the folder {parent} is not writable")


def create_journal(path: Path, force: bool = False, option: str = "--journal") -> int:
    """Open a new journal for writing, exclusively, and lock it; returns the descriptor.

    An existing file is refused unless ``force``; even then a journal that another process
    is writing (it holds the lock) is never truncated.
    """
    if path.is_dir():
        raise OutputError(f"{option} {path} is a directory: give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        if not force:
            raise InputError(f"{path} already exists; choose another {option}, or add "
                             "--force to replace it") from None
        return _replace(path)
    except OSError as exc:
        raise OutputError(f"cannot write the journal {path}: {describe(exc)}") from None
    lock(fd, path)
    return fd


def _replace(path: Path) -> int:
    if path.is_dir() or not (path.is_file() or path.is_char_device()):
        raise OutputError(f"cannot write the journal {path}: not a regular file")
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as exc:
        raise OutputError(f"cannot write the journal {path}: {describe(exc)}") from None
    lock(fd, path)
    try:
        if path.is_file():
            os.ftruncate(fd, 0)
    except OSError as exc:
        os.close(fd)
        raise OutputError(f"cannot write the journal {path}: {describe(exc)}") from None
    return fd


def create_unique(path: Path) -> tuple[int, Path]:
    """Create `path`, or `stem-2.jsonl`, `stem-3.jsonl`... if it exists: never lose a run."""
    for n in range(1, 10_000):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            return create_journal(candidate), candidate
        except InputError:
            if candidate.exists():
                continue
            raise
    raise OutputError(f"cannot find a free journal name next to {path}")  # pragma: no cover


def open_locked(path: Path) -> int:
    """Open an existing journal to continue it (resume), holding its lock."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        raise InputError(f"{path}: journal not found") from None
    except OSError as exc:
        raise OutputError(f"cannot open the journal {path} for writing: {describe(exc)}"
                          ) from None
    lock(fd, path)
    return fd


def write_all(fd: int, data: bytes, path: Path | None) -> None:
    """os.write until everything is written; a failure names the file (exit 2)."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except OSError as exc:
            raise OutputError(
                f"cannot write the journal {path}: {describe(exc)}; it is kept up to its "
                f"last complete line, and 'tabletop resume {path}' continues it") from None
        view = view[written:]


def keep_copy(path: Path, suffix: str) -> Path:
    """Copy a file to `path.SUFFIX-N` (the first free N), exclusively; returns the copy."""
    for n in range(1, 10_000):
        copy = path.with_name(f"{path.name}.{suffix}-{n}")
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot keep a copy of {path} at {copy}: {describe(exc)}"
                              ) from None
        try:
            with path.open("rb") as src:
                while chunk := src.read(1 << 20):
                    write_all(fd, chunk, copy)
            os.fsync(fd)
        except OSError as exc:
            raise OutputError(f"cannot keep a copy of {path} at {copy}: {describe(exc)}"
                              ) from None
        finally:
            os.close(fd)
        return copy
    raise OutputError(f"cannot find a free name for a copy of {path}")  # pragma: no cover


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or the usual ones for a new file (mkstemp's are 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def deliver_text(text: str, output: Path | None,
                 inputs: Iterable[tuple[str, Path | None]] = (), option: str = "--output") -> None:
    """A command's text to --output (never onto one of its inputs, replaced atomically) or,
    without one, to standard output. One place, so no command writes an output by hand."""
    if output is None:
        sys.stdout.write(text)
        return
    check_output(output, option)
    refuse_inputs(output, inputs, option)
    write_atomic(output, text, option)
    print(f"wrote {output}")


def write_atomic(path: Path, text: str, option: str = "output") -> None:
    """Write a whole file through a temporary file in the same folder and one rename.

    A reader (or a crash) sees either the old file or the new one, never half of one.
    Character devices such as /dev/stdout are written directly.
    """
    if path.is_char_device():
        try:
            with path.open("w", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write {option} {path}: {describe(exc)}") from None
        return
    if path.is_dir():
        raise OutputError(f"cannot write {option} {path}: it is a directory")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        where = exc.filename if exc.filename and not str(exc.filename).endswith(".tmp") else path
        raise OutputError(f"cannot write {option} {where}: {describe(exc)}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
