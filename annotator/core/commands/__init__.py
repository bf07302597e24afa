"""Every change a user can make, as a Command with do/undo (pure Python, SQLAlchemy Core).

``Project.run(cmd)`` runs ``cmd.do`` inside one transaction, pushes it on the undo stack and tells
listeners the returned :class:`Changes`. ``undo`` runs in its own transaction too. ``do`` is also
the redo: a command remembers the rows it created so that redo restores them under the same ids.
Offsets are code points into the report text, end exclusive.

Several windows and commands may work on one project at once (optimistic concurrency). A command
reads the rows it changes locked (``FOR UPDATE`` on PostgreSQL; SQLite transactions that write
hold the write lock from their start), so a read-modify-write never loses another process's
commit. An edit may carry what its window showed (``expected=`` for an attribute,
``expected_version=`` for a row); it is refused when the row has changed since. Undo and redo
compare-and-set the columns the command changed: they are refused, with a plain message, when
someone else changed those since, and never touch the other columns.

One module per group: ``base`` (Command, Changes, Context, Batch and the row helpers), ``spans``,
``claims``, ``slots``, ``status``, ``adjudication`` (gold decisions) and ``lists`` (the project's
actors, places, rejected suggestions, reference dates). Import any command from here (the
last two groups load on first use).
"""

from typing import TYPE_CHECKING

from annotator.core.commands.base import (
    NOT_REPORTED,
    Batch,
    Changes,
    Command,
    CommandError,
    Context,
)
from annotator.core.commands.claims import CreateClaim, DeleteClaim, SetClaimAttribute
from annotator.core.commands.slots import AcceptIntoSlot, AddToSlot, RemoveFromSlot, SetNotReported
from annotator.core.commands.spans import (
    AddSpan,
    DeleteSpan,
    SetSpanAttribute,
    SetSpanBounds,
    SetSpanType,
)
from annotator.core.commands.status import SetStatus
from annotator.core.lazy import lazy_names

if TYPE_CHECKING:  # loaded when first used: the window's start needs neither group
    from annotator.core.commands.adjudication import AcceptUnanimous, Decide
    from annotator.core.commands.lists import (
        AddActor,
        AddPlace,
        ImportActors,
        RejectSuggestions,
        SetReferenceDate,
    )

# the gold decisions load the alignment code (agreement); the list commands load rapidfuzz
_HOME = {
    "AcceptUnanimous": ".adjudication",
    "Decide": ".adjudication",
    "AddActor": ".lists",
    "AddPlace": ".lists",
    "ImportActors": ".lists",
    "RejectSuggestions": ".lists",
    "SetReferenceDate": ".lists",
}
__getattr__, __dir__ = lazy_names(__name__, _HOME, globals())

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
