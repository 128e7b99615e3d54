"""Mistakes a user can fix (a missing folder, a bad param): the CLI prints the message as one line and exits
with status 2; `corpus --debug …` shows the traceback instead."""

from __future__ import annotations


class UsageError(ValueError):
    """What the user asked for cannot be done as asked; the message says what to change."""


class ParamsError(UsageError):
    """A key or value in params.yaml is not one the stage knows."""
