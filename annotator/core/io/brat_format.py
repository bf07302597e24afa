"""brat standoff: import brat collections and export a project's annotations as one.

Layout: ``annotation.conf``, ``annotator.json`` (the sidecar) and one folder per coder holding
``<report>.txt`` (the report text, UTF-8, LF) and ``<report>.ann``. What maps to what
(docs/formats.md has the full table):

- spans are ``T`` lines (split into fragments at line breaks, as brat requires);
- claims of an event type are ``E`` lines: the slot ``trigger`` (codebooks made from a brat conf)
  is the trigger, every other slot a role (a second span in a slot is ``Role2``); a slot holding
  another event's trigger names that event (nested events). Codebooks of our own have no trigger,
  so the claim's first evidence span is repeated as a ``T`` line of the claim's type and marked
  as such in the sidecar; relation claims are ``R`` lines, equivalence claims ``*`` lines;
- attribute values brat can hold are ``A`` lines: enum values, true booleans, and for codebooks
  of our own whole numbers, numbers, dates and texts without white space (the conf written with
  the export declares the values used). The others (false booleans, counts, places, texts with
  spaces, values of ``*`` lines) and what brat has no place for (a slot marked "not reported", a
  claim with no evidence, the report's title, published date, source, url, language and
  metadata, the coder's name and status, our ids) are kept in the sidecar, which brat ignores
  and our import reads back;
- ``N`` lines are the span attribute ``brat_norm``, ``#`` AnnotatorNotes the attribute ``note``,
  other ``#`` notes ``brat_notes``.

brat counts offsets in characters of the .txt file, which are Python's code points. A .txt with
CRLF newlines is read both ways (offsets counting the CR, or not); the reading under which every
T line's text is the text at its offsets is taken and mapped onto the stored LF text; if neither
fits, the file is refused with the first T line that does not match.

Reading is in brat_read.py, writing in brat_write.py, the names both use in brat_names.py.
"""

from __future__ import annotations

from annotator.core.io.brat_ann import BratError
from annotator.core.io.brat_conf import codebook_from_brat_conf
from annotator.core.io.brat_names import SIDECAR
from annotator.core.io.brat_read import read_brat
from annotator.core.io.brat_write import write_brat, write_conf

__all__ = ["SIDECAR", "BratError", "codebook_from_brat_conf", "read_brat", "write_brat",
           "write_conf"]
