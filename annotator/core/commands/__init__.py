"""Every change a user can make, as a Command with do/undo (pure Python, SQLAlchemy Core).

``Project.run(cmd)`` runs ``cmd.do`` inside one transaction, pushes it on the undo stack and tells
listeners the returned :class:`Changes`. ``undo`` runs in its own transaction too. ``do`` is also
the redo: a command remembers the rows it created so that redo restores them under the same ids.
Offsets are code points into the report text, end exclusive.

One module per group: ``base`` (Command, Changes, Context, Batch and the row helpers), ``spans``,
``claims``, ``slots``, ``status``, ``adjudication`` (gold decisions) and ``lists`` (the project's
actors, places, rejected suggestions, reference dates). Import any command from here.
"""

from annotator.core.commands.adjudication import AcceptUnanimous, Decide
from annotator.core.commands.base import (
    NOT_REPORTED,
    Batch,
    Changes,
    Command,
    CommandError,
    Context,
)
from annotator.core.commands.claims import CreateClaim, DeleteClaim, SetClaimAttribute
from annotator.core.commands.lists import (
    AddActor,
    AddPlace,
    ImportActors,
    RejectSuggestions,
    SetReferenceDate,
)
from annotator.core.commands.slots import AcceptIntoSlot, AddToSlot, RemoveFromSlot, SetNotReported
from annotator.core.commands.spans import (
    AddSpan,
    DeleteSpan,
    SetSpanAttribute,
    SetSpanBounds,
    SetSpanType,
)
from annotator.core.commands.status import SetStatus

__all__ = [
    "NOT_REPORTED",
    "AcceptIntoSlot",
    "AcceptUnanimous",
    "AddActor",
    "AddPlace",
    "AddSpan",
    "AddToSlot",
    "Batch",
    "Changes",
    "Command",
    "CommandError",
    "Context",
    "CreateClaim",
    "Decide",
    "DeleteClaim",
    "DeleteSpan",
    "ImportActors",
    "RejectSuggestions",
    "RemoveFromSlot",
    "SetClaimAttribute",
    "SetNotReported",
    "SetReferenceDate",
    "SetSpanAttribute",
    "SetSpanBounds",
    "SetSpanType",
    "SetStatus",
]
