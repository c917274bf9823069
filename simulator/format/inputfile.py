"""Open a file a user named without trusting what it is.

A path on the command line may name a directory, a device (``/dev/zero`` never ends), a
fifo (reading it waits for a writer that may never come) or a file far too large. We open
without blocking, look at what was opened (fstat, so the answer is about this very file and
not one swapped in after a check), refuse anything but a regular file within the size
limit, and only then read, never more than the limit. Every refusal is an InputError
naming the path, so the CLI exits with status 2 at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from simulator.errors import InputError, Problem


def _refuse(name: str, message: str, hint: str = "") -> InputError:
    return InputError("", [Problem(name, 1, 1, message, hint)])


@contextmanager
def open_regular(path: Path, limit: int, label: str | None = None,
                 what: str = "file") -> Iterator[BinaryIO]:
    """A binary reader on ``path`` once it is known to be a regular file of at most
    ``limit`` bytes; otherwise a located InputError, without reading a byte."""
    name = label or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _refuse(name, f"{what} not found", "check the path") from None
    except IsADirectoryError:
        raise _refuse(name, "is a directory, not a file") from None
    except OSError as exc:
        raise _refuse(name, f"cannot read {what}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(name, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(name, f"is not a regular file ({_kind(info.st_mode)})",
                          f"give the path of a {what} saved on disk")
        if info.st_size > limit:
            raise _refuse(name, f"{what} is {info.st_size:,} bytes; the limit is {limit:,}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_limited(path: Path, limit: int, label: str | None = None, what: str = "file") -> bytes:
    """The whole content of a regular file of at most ``limit`` bytes (checked before and
    while reading, in case it grows in between)."""
    name = label or str(path)
    with open_regular(path, limit, name, what) as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise _refuse(name, f"cannot read {what}: {exc.strerror}") from None
    if len(raw) > limit:
        raise _refuse(name, f"{what} is larger than the limit of {limit:,} bytes")
    return raw


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"
