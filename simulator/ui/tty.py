"""Is there a person at a terminal? Checked before any prompt, without importing rich."""

from __future__ import annotations

import sys

from simulator.errors import InputError


def has_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def need_terminal() -> None:
    if not has_terminal():
        raise InputError("an interactive drill needs a terminal on stdin and stdout; "
                         "to play without one use --decisions FILE or --bot expert")
