"""Who may do what: the blind-coding and role rules, once, for the command line and the window.

A *coder* (role ``coder``) codes blind: they see, list and export only their own work, and cannot
compare coders, review, adjudicate or add coders. A *reviewer* may do all of that; so may the
command line run without ``--as`` (``role`` None: the project's owner at the terminal). The gold
layer (role ``gold``) is written by reviewers' decisions and is nobody's identity to code as.

Every function takes the acting identity's role (``None``: no identity) and, where it matters,
their name. The ``refusal`` functions return the message to show, or None when allowed::

    if (why := roles.refusal("review", name, role)) is not None:
        show(why)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, Protocol

from annotator.core.models import GOLD_CODER

__all__ = [
    "Action",
    "RoleError",
    "can_add_coders",
    "can_lead",
    "can_review",
    "can_see_agreement",
    "codes_blind",
    "export_coders",
    "refusal",
    "switch_targets",
    "visible_coders",
    "visible_statuses",
]

Action = Literal["review", "agreement", "adjudicate", "add_coders", "assign"]

_REFUSED: dict[str, str] = {
    "review": "{name} is a coder: review needs a reviewer identity (coders code blind and cannot "
              "see each other's work)",
    "agreement": "{name} is a coder: agreement needs a reviewer identity",
    "adjudicate": "{name} is a coder: adjudicate needs a reviewer identity",
    "add_coders": "{name} is a coder: a coder cannot add coders",
    "assign": "{name} is a coder: a coder cannot assign, move, unassign, lock or unlock "
              "reports (the lead or a reviewer can)",
}


class RoleError(Exception):
    """An action the acting identity's role does not allow; the message says why."""


class _Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


def codes_blind(role: str | None) -> bool:
    """A coder codes blind: only their own work is theirs to see."""
    return role == "coder"


def can_review(role: str | None) -> bool:
    """Open review and adjudication (compare the coders' versions, decide gold)."""
    return not codes_blind(role)


def can_see_agreement(role: str | None) -> bool:
    return not codes_blind(role)


def can_add_coders(role: str | None) -> bool:
    return not codes_blind(role)


def can_lead(role: str | None) -> bool:
    """Assign, move and unassign reports, lock and unlock them (the lead or a reviewer)."""
    return not codes_blind(role)


def refusal(action: Action, name: str | None, role: str | None) -> str | None:
    """The message refusing ``action`` to this identity, or None when it is allowed."""
    allowed = {"review": can_review, "agreement": can_see_agreement, "adjudicate": can_review,
               "add_coders": can_add_coders, "assign": can_lead}[action](role)
    return None if allowed else _REFUSED[action].format(name=name or "this coder")


def export_coders(name: str | None, role: str | None,
                  asked: Sequence[str] | None) -> list[str] | None:
    """Whose annotations an export holds: a coder's own only (RoleError when they ask for
    anyone else's); otherwise ``asked`` (None: everyone's)."""
    if not codes_blind(role):
        return list(asked) if asked is not None else None
    if asked and set(asked) != {name}:
        raise RoleError(f"{name} is a coder and may export only their own work")
    return [name or ""]


def visible_coders(name: str | None, role: str | None, coders: Iterable[str]) -> list[str]:
    """The coders' names this identity may see (a coder: only their own)."""
    return [c for c in coders if not codes_blind(role) or c == name]


def visible_statuses(name: str | None, role: str | None,
                     statuses: Mapping[str, str]) -> dict[str, str]:
    """A report's statuses per coder, as far as this identity may see them."""
    return {c: s for c, s in statuses.items() if not codes_blind(role) or c == name}


def switch_targets(coders: Iterable[_Named]) -> list[str]:
    """The identities one may switch the window to: every coder and reviewer, never gold."""
    return [c.name for c in coders if c.role != GOLD_CODER and c.name != GOLD_CODER]
