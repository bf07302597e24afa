"""Pre-loading what the first tag of a session needs, off the window's thread.

The first location prefill needs the gazetteer (a prebuilt SQLite index in the user cache, built
once in a subprocess: see ``annotator.core.normalize.places.ensure_index``), the first date
prefill needs dateparser and the compiled grammars, the first scan all the normalizers. Without
a warm-up each costs the coder up to seconds on the first key of that kind.

The window calls :func:`start_warm_up` once after it is shown; it returns at once. Nothing here
needs a display; the project is only read, through its facade (:func:`warm_up_project`: the
project's actor list and places, built once and cached by their rows, and each span type's
prefill run once on the open report, so the first actor tag does not build the list).
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core.give_way import background_thread, give_way, give_way_within_steps

if TYPE_CHECKING:
    from annotator.core.project import Project

__all__ = ["start_warm_up", "warm_up", "warm_up_done", "warm_up_keys", "warm_up_project", "warming"]

_done = threading.Event()
_thread: threading.Thread | None = None
_lock = threading.Lock()


def warm_up_keys(project: Project) -> None:
    """Compile the coding keys' own statements (nothing is read) and fill the connection pool
    they take from: the warm-up's first step, as every key needs both."""
    try:
        project.warm_statements()
    except Exception:  # noqa: BLE001, S110 - then the first keys compile them
        pass
    try:
        project.warm_connections()
    except Exception:  # noqa: BLE001, S110 - a busy database: a key opens its own
        pass


def warm_up_project(project: Project, report_id: int) -> None:
    """Run each span type's prefill once on ``report_id`` (read only: nothing is stored), so the
    project's lists are built and the prefill's statements compiled before the first tag."""
    for st in project.codebook.span_types:
        give_way()  # while the window handles a key, wait
        try:
            project.prefill(report_id, st.id, 0, 1)
        except Exception:  # noqa: BLE001, S112 - a warm-up that fails leaves the work to the tag
            continue


def warm_up(gazetteer: bool = True, dates: bool = True,
            project: Callable[[], object] | None = None,
            keys: Callable[[], object] | None = None,
            pause_inside: bool = False) -> dict[str, float]:
    """Load the gazetteer index and the normalizers now; returns the seconds each step took.

    Blocking: run it in a background thread (:func:`start_warm_up`). The steps are small and
    give way between them to the window's thread while it handles a key
    (:func:`annotator.core.give_way.give_way`): the gazetteer is opened (or built in a
    subprocess, which this thread waits for without the GIL), dateparser is imported and run
    once, then once per language on a relative phrase (:data:`normalize.dates.WARM_PHRASES`), and
    each normalizer runs once on a short sentence. ``pause_inside``: after the keys' step
    (short steps of its own), the steps that follow also wait inside themselves while the
    window handles a key (:func:`annotator.core.give_way.give_way_within_steps`).
    """
    took: dict[str, float] = {}

    def step(name: str, fn: object, quiet: float = 0.0) -> None:
        # while the window handles a key, wait (annotator.core.give_way); a long step waits for
        # a pause in the coder's keys
        give_way(limit=3.0 if quiet else 0.25, quiet=quiet)
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        took[name] = time.perf_counter() - t0

    if keys is not None:  # what every key needs (warm_up_keys), before the normalizers' imports
        step("keys", keys)
    if pause_inside:
        # not before: the keys' statements are small steps that give way between them, and
        # the hook would slow them down (2-3x) until a key made at 0.3 s compiled its own
        give_way_within_steps()
    from annotator.core.normalize import (
        Gazetteer,
        find_counts,
        normalize_count,
        normalize_date,
        suggest_attributes,
        suggest_spans,
    )

    ref = dt.date(2024, 1, 10)
    if gazetteer and Gazetteer.available():
        step("gazetteer", lambda: Gazetteer.default().suggest("Gao"))
    if project is not None:  # the open project's lists, before the slow dateparser import
        step("project", project)
    if dates:
        step("dateparser", lambda: normalize_date("3 d\u00e9cembre 2023", ref), quiet=0.4)
        step("dates", lambda: normalize_date("last Sunday", ref))
        # a phrase that is no date in any language loads every language dateparser reads
        step("dateparser languages", lambda: normalize_date("les combattants", ref), quiet=0.4)
        # each language's relative words ("gestern", "вчера") are compiled on their first use:
        # one language a step, both day orders
        from annotator.core.normalize.dates import WARM_PHRASES

        for lang, phrase in WARM_PHRASES.items():
            step(f"dateparser {lang}", lambda phrase=phrase: (
                normalize_date(phrase, ref), normalize_date(phrase, ref, True)))
    step("counts", lambda: (find_counts("gunmen killed 12 soldiers"),
                            normalize_count("at least 20", "at least 20 were killed")))
    step("prefill", lambda: suggest_attributes("actor", "ISIS operatives"))
    step("drafts", lambda: importlib.import_module("annotator.core.drafts"))  # Shift+claim key
    step("scan", lambda: suggest_spans(
        "On Sunday, gunmen killed 12 soldiers near Gao in Mali.", ref,
        gazetteer=Gazetteer.default() if gazetteer and Gazetteer.available() else None))
    _done.set()
    return took


def start_warm_up(gazetteer: bool = True,
                  project: Callable[[], object] | None = None,
                  keys: Callable[[], object] | None = None) -> threading.Thread:
    """Run :func:`warm_up` in a daemon thread (once per process); returns that thread.
    ``project``: a step for the open project (:func:`warm_up_project` bound to it); ``keys``:
    the first step (:func:`warm_up_keys` bound to it)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = background_thread(_quiet_warm_up, "annotator-warm-up", (gazetteer, project, keys))
            _thread.start()
        return _thread


def _quiet_warm_up(gazetteer: bool, project: Callable[[], object] | None = None,
                   keys: Callable[[], object] | None = None) -> None:
    # its imports and dateparser's first parses run for up to a few hundred milliseconds each:
    # they also wait while the window handles a key, every few hundred calls
    try:
        warm_up(gazetteer=gazetteer, project=project, keys=keys, pause_inside=True)
    except Exception:  # a warm-up that fails leaves the work to the first lookup
        _done.set()


def warm_up_done() -> bool:
    """Whether a warm-up has finished (successfully or not)."""
    return _done.is_set()


def warming() -> bool:
    """Whether a warm-up is running: started and not finished. Until it ends a window leaves the
    normalizers alone (their first use would import and compile on its own thread, or wait for
    the warm-up's import)."""
    return _thread is not None and not _done.is_set()
