"""The user's own settings (not the project's): one JSON file in the user config folder.

``~/.config/annotator/settings.json`` on Linux (platformdirs). Project settings (day-first, the
vague-number table, ...) live in the project database instead; see annotator.core.assist.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from annotator.core.backup import DEFAULT_EVERY_MINUTES, DEFAULT_KEEP

__all__ = [
    "PALETTES",
    "UserConfig",
    "config_path",
    "load_user_config",
    "palette_colors",
    "save_user_config",
]

#: span colour palettes: the codebook's own colours, or Okabe-Ito (safe for the common forms of
#: colour blindness)
PALETTES = ("codebook", "okabe-ito")
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
MAX_RECENT = 10


@dataclass
class UserConfig:
    font_size: int = 0  # points for the report text; 0 = the system's
    palette: str = "codebook"
    keys: dict[str, str] = field(default_factory=dict)  # action name -> key sequence override
    backup_keep: int = DEFAULT_KEEP
    backup_every_minutes: int = DEFAULT_EVERY_MINUTES  # 0 = only when a project is opened
    recent: list[str] = field(default_factory=list)  # project locations, most recent first

    def add_recent(self, location: str) -> None:
        self.recent = [location] + [r for r in self.recent if r != location]
        del self.recent[MAX_RECENT:]

    def problems(self) -> list[str]:
        out = []
        if not 0 <= self.font_size <= 72:
            out.append(f"font size {self.font_size} is not between 0 and 72 points")
        if self.palette not in PALETTES:
            out.append(f"palette {self.palette!r} is not one of {', '.join(PALETTES)}")
        if not 1 <= self.backup_keep <= 1000:
            out.append(f"backups to keep {self.backup_keep} is not between 1 and 1000")
        if not 0 <= self.backup_every_minutes <= 24 * 60:
            out.append(f"backup interval {self.backup_every_minutes} is not 0 to 1440 minutes")
        return out


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("annotator", appauthor=False)) / "settings.json"


def load_user_config(path: Path | None = None) -> UserConfig:
    """The user's settings; a missing, unreadable or damaged file gives the defaults (the
    settings are preferences: a bad file must never keep the application from starting)."""
    path = path or config_path()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UserConfig()
    if not isinstance(data, dict):
        return UserConfig()
    cfg = UserConfig()
    defaults = asdict(cfg)
    for f in fields(UserConfig):
        value = data.get(f.name)
        if value is not None and type(value) is type(defaults[f.name]):
            setattr(cfg, f.name, value)
    cfg.keys = {str(k): str(v) for k, v in cfg.keys.items()}
    cfg.recent = [str(r) for r in cfg.recent][:MAX_RECENT]
    if cfg.problems():
        good = UserConfig()
        for f in fields(UserConfig):
            trial = UserConfig(**{**asdict(good), f.name: getattr(cfg, f.name)})
            if not trial.problems():
                setattr(good, f.name, getattr(cfg, f.name))
        cfg = good
    return cfg


def save_user_config(cfg: UserConfig, path: Path | None = None) -> Path:
    """Write the settings (atomically); ValueError when a value is out of range."""
    bad = cfg.problems()
    if bad:
        raise ValueError("; ".join(bad))
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings.", suffix=".part", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(cfg), fh, indent=2, sort_keys=True)
    os.replace(tmp, path)
    return path


def palette_colors(codebook_colors: dict[str, str], palette: str) -> dict[str, str]:
    """Span type -> colour for the chosen palette: the codebook's own colours, or the
    colour-blind-safe Okabe-Ito set given out in codebook order."""
    if palette != "okabe-ito":
        return dict(codebook_colors)
    return {t: OKABE_ITO[i % len(OKABE_ITO)] for i, t in enumerate(codebook_colors)}
