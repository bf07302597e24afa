"""Print requirement lists from pyproject.toml for the Makefile (stdlib only).

python tools/requirements.py core       # runtime dependencies without Qt
python tools/requirements.py test-core  # test extras without the Qt test plugin
"""

from __future__ import annotations

import sys
from pathlib import Path

import tomllib

_QT = ("pyside6", "shiboken6", "pytest-qt")


def _without_qt(reqs: list[str]) -> list[str]:
    return [r for r in reqs if not r.lower().replace("_", "-").startswith(_QT)]


def main(which: str) -> None:
    data = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    project = data["project"]
    if which == "core":
        reqs = _without_qt(project["dependencies"])
    elif which == "test-core":
        reqs = _without_qt(project["optional-dependencies"]["test"])
    else:
        raise SystemExit(f"unknown list {which!r}: use core or test-core")
    print("\n".join(reqs))  # a requirements file: one per line


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "core")
