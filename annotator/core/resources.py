"""Where the bundled schemas and example project live, and the user cache folder.

In a source checkout they are ``schemas/`` and ``resources/`` at the top of the repository; an
installed wheel carries them as ``annotator/_data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_REPO = _PACKAGE.parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _REPO / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled '{name}' folder is missing (looked in {_PACKAGE})")


def schemas_dir() -> Path:
    return _find("schemas")


def resources_dir() -> Path:
    return _find("resources")


def cache_dir() -> Path:
    """The folder for what this machine may rebuild at will (the gazetteer index, the codebooks
    already checked): ``$ANNOTATOR_CACHE_DIR`` or the user cache directory."""
    base = os.environ.get("ANNOTATOR_CACHE_DIR")
    if base:
        return Path(base)
    import platformdirs

    return Path(platformdirs.user_cache_dir("annotator", appauthor=False))
