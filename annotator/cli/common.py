"""What every subcommand's handler shares: the one-line failure, a closed stdout, the --as role."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the facade loads SQLAlchemy: `annotator --version` does without it
    from annotator.core.project import Project


def fail(message: str) -> int:
    print(f"annotator: {message}", file=sys.stderr)
    return 1


def quiet_stdout() -> None:
    """The reader of our output went away (``| head``): send the rest nowhere, so that neither
    our prints nor the interpreter's last flush raise BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def identity_role(project: Project, args: argparse.Namespace) -> str | None:
    if not args.identity:
        return None
    from annotator.core.coders import name_key
    from annotator.core.project import ProjectError

    for c in project.coders():
        if name_key(c.name) == name_key(args.identity):
            return c.role
    raise ProjectError(f"no coder named '{args.identity}' in {project.location}")
