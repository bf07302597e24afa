"""Where the bundled schemas and example project live.

In a source checkout they are ``schemas/`` and ``resources/`` at the top of the repository; an
installed wheel carries them as ``annotator/_data/``.
"""

from __future__ import annotations

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
