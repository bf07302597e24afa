"""The codebook as one coder sees it: their colour palette and their own single-letter keys.

A codebook's colours and hotkeys are for display only (the stored data never names them), so a
coder may swap the colours for a colour-blind-safe palette and remap a span type's tag key, a
claim type's key or a slot key. The overrides live in the user's settings
(annotator.core.userconfig) under the action names the window uses: ``tag.<span type id>``,
``claim.<claim type id>`` and ``slot.<the codebook's slot key>`` (a slot key is shared by the
slots of every claim type that use it, so it moves for all of them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from annotator.core.codebook import Codebook
from annotator.core.userconfig import palette_colors

__all__ = [
    "coding_key_defs",
    "coding_key_problem",
    "is_coding_key_name",
    "slot_key_clashes",
    "user_codebook",
]

_PREFIXES = ("tag.", "claim.", "slot.")


def is_coding_key_name(name: str) -> bool:
    """Whether ``name`` is the name of a remappable single-letter key."""
    return name.startswith(_PREFIXES)


def coding_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a tag, claim or slot key (None when it can): one letter or digit,
    without Ctrl/Alt/Shift (Alt+ and Shift+ variants follow the key)."""
    if len(key) == 1 and key.isascii() and key.isalnum():
        return None
    return f"{key or 'nothing'!r} is not a single letter or digit"


def coding_key_defs(codebook: Codebook) -> list[tuple[str, str, str]]:
    """(name, what it does, the codebook's key) of every remappable key, in codebook order."""
    out = [(f"tag.{st.id}", f"Tag as {st.label}", st.hotkey)
           for st in codebook.span_types if st.hotkey]
    out += [(f"claim.{ct.id}", f"New {ct.label} claim", ct.hotkey)
            for ct in codebook.claim_types if ct.hotkey]
    slots: dict[str, list[str]] = {}
    for ct in codebook.claim_types:
        for sd in ct.slots:
            if sd.hotkey and sd.label not in slots.setdefault(sd.hotkey, []):
                slots[sd.hotkey].append(sd.label)
    out += [(f"slot.{key}", f"Fill the slot {' / '.join(labels)}", key)
            for key, labels in slots.items()]
    return out


def _key(keys: Mapping[str, str], name: str, default: str | None) -> str | None:
    if default is None:
        return None
    new = keys.get(name)
    if new is None or coding_key_problem(new) is not None:
        return default  # a damaged override never takes a key away
    return new.lower()


def user_codebook(codebook: Codebook, palette: str = "codebook",
                  keys: Mapping[str, str] | None = None) -> Codebook:
    """``codebook`` with the span colours of ``palette`` and the keys overridden in ``keys``
    (names as in :func:`coding_key_defs`; others are ignored). The same object when nothing
    changes."""
    keys = keys or {}
    colors = palette_colors({t.id: t.color for t in codebook.span_types}, palette)
    span_types = tuple(
        dataclasses.replace(st, color=colors[st.id], hotkey=_key(keys, f"tag.{st.id}", st.hotkey))
        for st in codebook.span_types
    )
    claim_types = tuple(
        dataclasses.replace(
            ct, hotkey=_key(keys, f"claim.{ct.id}", ct.hotkey),
            slots=tuple(dataclasses.replace(sd, hotkey=_key(keys, f"slot.{sd.hotkey}", sd.hotkey))
                        for sd in ct.slots))
        for ct in codebook.claim_types
    )
    if span_types == codebook.span_types and claim_types == codebook.claim_types:
        return codebook
    return dataclasses.replace(codebook, span_types=span_types, claim_types=claim_types)


def slot_key_clashes(codebook: Codebook) -> list[str]:
    """Two slots of one claim type on one key (a slot key names one slot of the open claim)."""
    out = []
    for ct in codebook.claim_types:
        seen: dict[str, str] = {}
        for sd in ct.slots:
            if sd.hotkey is None:
                continue
            key = sd.hotkey.upper()
            if key in seen:
                out.append(f"{key} is used by both {seen[key]} and {sd.label} ({ct.label} slots)")
            seen.setdefault(key, sd.label)
    return out
