"""The window's keys with a coder's overrides: the table the Settings dialog checks for clashes.

The coding window's actions come from one table (window_actions) built from the codebook; the
table with a coder's overrides is the same table built from the codebook as that coder would
see it (annotator.core.coding_keys.user_codebook), with the menu actions' own overrides on top.
So a remapped tag key brings its Alt+ variant, a remapped claim key its Shift+ draft key and a
remapped slot key its Shift+ "not reported" key, and every clash among them is found.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence

from annotator.core.codebook import Codebook
from annotator.core.coding_keys import coding_key_defs, slot_key_clashes, user_codebook
from annotator.core.userconfig import UserConfig, load_user_config
from annotator.gui.actions import ActionSpec

if TYPE_CHECKING:
    from annotator.gui.window_host import WindowHost

__all__ = ["KeyTable", "key_clashes", "seen_codebook", "window_key_table"]

_PORTABLE = QKeySequence.SequenceFormat.PortableText


class _Seen:
    """The window as window_action_specs reads it, with another codebook."""

    def __init__(self, window: WindowHost, codebook: Any) -> None:
        self._window = window
        self.codebook = codebook

    def __getattr__(self, name: str) -> Any:
        return getattr(self._window, name)


def _specs_with(window: WindowHost, keys: Mapping[str, str]) -> list[ActionSpec]:
    from annotator.gui.window_actions import window_action_specs

    codebook = user_codebook(window.source_codebook, "codebook", keys)
    specs = window_action_specs(_Seen(window, codebook))  # type: ignore[arg-type]
    return [dataclasses.replace(s, keys=(keys[s.name],))
            if s.name in keys and not s.coding_key and keys[s.name] else s for s in specs]


def key_clashes(specs: list[ActionSpec]) -> list[str]:
    """"Q is used by both Tag as Actor and Next span" for every key two actions share."""
    used: dict[str, ActionSpec] = {}
    out = []
    for spec in specs:
        for key in spec.keys:
            norm = QKeySequence(key).toString(_PORTABLE)
            other = used.get(norm)
            if other is not None and other.name != spec.name:
                out.append(f"{norm} is used by both {other.text.replace('&', '')} and "
                           f"{spec.text.replace('&', '')}")
            used.setdefault(norm, spec)
    return out


@dataclasses.dataclass
class KeyTable:
    """What the Settings dialog lists and checks: the menu actions' keys (any sequence), the
    coding keys (one letter or digit), and the clashes of a set of overrides."""

    window: WindowHost
    menu_keys: list[tuple[str, str, str]]  # (action name, label, default sequence)
    coding_keys: list[tuple[str, str, str]]  # (name, label, the codebook's key)

    def clashes(self, cfg: UserConfig) -> list[str]:
        seen = user_codebook(self.window.source_codebook, "codebook", cfg.keys)
        return slot_key_clashes(seen) + key_clashes(_specs_with(self.window, cfg.keys))


def window_key_table(window: WindowHost) -> KeyTable:
    menu = [(s.name, s.text.replace("&", ""), s.keys[0]) for s in window.action_specs
            if s.keys and not s.coding_key]
    return KeyTable(window, menu, coding_key_defs(window.source_codebook))


def seen_codebook(codebook: Codebook, cfg: UserConfig | None = None) -> Codebook:
    """The project's codebook with the user's palette and keys (what the window shows)."""
    cfg = cfg or load_user_config()
    return user_codebook(codebook, cfg.palette, cfg.keys)
