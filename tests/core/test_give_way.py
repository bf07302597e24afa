"""Background work gives way to the window's thread (core.give_way): a background thread waits
at its checkpoints while the window is busy, goes on when it is idle, never waits when called on
the window's own thread or while the window waits for it; the warm-up, the read-ahead and the
start threads have a checkpoint between their steps."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from annotator.core import give_way as gw


@pytest.fixture(autouse=True)
def no_loop_after() -> Iterator[None]:
    normal = sys.getswitchinterval()
    yield
    gw._loop = None
    sys.setswitchinterval(normal)


def _checkpoint_in_thread(limit: float) -> tuple[threading.Event, threading.Event, list[bool]]:
    arrived, passed = threading.Event(), threading.Event()
    waited: list[bool] = []

    def work() -> None:
        arrived.set()
        waited.append(gw.give_way(limit))
        passed.set()

    threading.Thread(target=work, daemon=True).start()
    return arrived, passed, waited


def _held(arrived: threading.Event, passed: threading.Event) -> bool:
    """Called from the "window's" code (a frame below the loop's: busy)."""
    assert arrived.wait(30)
    return not passed.wait(0.3)


def test_a_background_thread_waits_while_the_windows_thread_runs_python() -> None:
    gw.watch_event_loop(sys._getframe())  # this frame plays the event loop
    assert sys.getswitchinterval() == pytest.approx(gw.SWITCH_INTERVAL)
    arrived, passed, waited = _checkpoint_in_thread(limit=60)
    assert _held(arrived, passed)  # held while the window's thread runs its own code
    deadline = time.monotonic() + 30
    while not passed.is_set() and time.monotonic() < deadline:
        time.sleep(0.01)  # the "loop" waits in C: no frame below this one runs
    assert passed.is_set() and waited == [True]  # on, once the loop was idle


def test_the_wait_is_bounded_and_never_on_the_windows_thread() -> None:
    gw.watch_event_loop(sys._getframe())

    def busy() -> None:
        arrived, passed, waited = _checkpoint_in_thread(limit=0.05)
        assert arrived.wait(30) and passed.wait(30)  # busy all along: it went on anyway
        assert waited == [True]
        assert gw.give_way(60) is False  # the main thread never waits for itself

    busy()


def test_without_a_window_nothing_waits() -> None:
    _, passed, waited = _checkpoint_in_thread(limit=60)
    assert passed.wait(30) and waited == [False]


def test_a_window_waiting_for_a_thread_lets_it_run() -> None:
    gw.watch_event_loop(sys._getframe())

    def busy() -> None:
        with gw.window_waits():
            _, passed, waited = _checkpoint_in_thread(limit=60)
            assert passed.wait(30) and waited == [False]
        assert gw.window_is_busy()  # busy again after the wait

    busy()


def test_the_warm_up_gives_way_before_every_step(monkeypatch) -> None:
    from annotator.core import warmup

    calls: list[int] = []
    monkeypatch.setattr(warmup, "give_way", lambda **_kw: calls.append(1) or False)
    took = warmup.warm_up(gazetteer=False, project=lambda: None)
    assert len(calls) == len(took)
    from annotator.core.normalize.dates import DATE_LANGUAGES

    assert {f"dateparser {lang}" for lang in DATE_LANGUAGES} <= set(took)  # one step a language


def test_each_languages_warm_phrase_is_read_by_dateparser_as_the_day_before(monkeypatch) -> None:
    """The warm-up's phrase of each language must reach dateparser's relative words (what it
    compiles on first use); a phrase the grammar reads, or read otherwise, would warm nothing."""
    from annotator.core.normalize import dates

    assert set(dates.WARM_PHRASES) == set(dates.DATE_LANGUAGES)
    read: list[str] = []
    real = dates._dateparser_value

    def recording(text: str, *args: object) -> object:
        read.append(text)
        return real(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(dates, "_dateparser_value", recording)
    ref = dt.date(2024, 3, 14)
    for lang, phrase in dates.WARM_PHRASES.items():
        for day_first in (False, True):
            read.clear()
            (value, *_) = dates.normalize_date(phrase, ref, day_first)
            assert read == [phrase], (lang, phrase)
            assert value.value == "2024-03-13" and value.anchor == dates.RELATIVE, (lang, phrase)


def test_the_read_ahead_gives_way_but_not_to_a_window_waiting_for_it(project, tmp_path, monkeypatch) -> None:
    """The read-ahead thread waits at its checkpoints while the window is busy; a window that
    takes the report being read (next report) waits for the read, and the read goes on."""
    from annotator.core import prefetch
    from tests.core.helpers import record, write_jsonl

    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [
        record(f"r{i}", f"Gunmen attacked Gao on Sunday. {i}\n") for i in range(2)])])
    rids = [r.id for r in project.reports()]
    coder = project.coder_id("amina", create=True)
    arrived = threading.Event()
    real = gw.give_way

    def checkpoint() -> bool:
        arrived.set()
        return real(60)  # no bound: only the window's idleness lets the thread go on

    monkeypatch.setattr(prefetch, "give_way", checkpoint)
    ahead = prefetch.SpanPrefetcher(project)
    gw.watch_event_loop(sys._getframe())  # this frame plays the loop: below it, busy
    try:
        ahead.want(rids[1:], coder)
        assert arrived.wait(30)  # the thread waits at its first checkpoint: the window is busy
        assert ahead.peek(rids[1], coder) is None
        taken = ahead.take(rids[1], coder, wait=30)  # the window waits for it: it goes on
        assert taken is not None and taken.detail.external_id == "r1"
    finally:
        ahead.close()


def test_a_background_thread_runs_below_the_windows_priority_on_linux() -> None:
    """The threads a window starts (background_thread) run at a lower scheduling priority: their
    SQLite reads run without the interpreter lock and took a key's core on a two-core machine."""
    import os

    seen: list[tuple[str, int | None, tuple[object, ...]]] = []

    def work(*args: object) -> None:
        me = threading.get_native_id()
        nice = os.getpriority(os.PRIO_PROCESS, me) if hasattr(os, "getpriority") else None
        seen.append((threading.current_thread().name, nice, args))

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) if hasattr(os, "getpriority") else None
    t = gw.background_thread(work, "a read-ahead", (1, "two"))
    assert t.daemon and not t.is_alive()  # made, not started
    t.start()
    t.join(30)
    assert len(seen) == 1 and seen[0][0] == "a read-ahead" and seen[0][2] == (1, "two")
    if sys.platform.startswith("linux"):
        assert before is not None and seen[0][1] == min(19, before + gw.BACKGROUND_NICE)
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # not the caller's


def test_priority_is_left_alone_where_it_belongs_to_the_process(monkeypatch) -> None:
    """Off Linux, setpriority on a thread's id would renice the whole process (or another one)."""
    import os

    called: list[object] = []
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(os, "setpriority", lambda *a: called.append(a), raising=False)
    assert gw.lower_priority() is False and called == []


def test_the_window_threads_are_all_background_threads() -> None:
    """Every thread a window starts goes through background_thread (lower priority): none is
    made with threading.Thread directly."""
    from pathlib import Path

    root = Path(gw.__file__).resolve().parents[1]
    direct = [str(p.relative_to(root)) for p in root.rglob("*.py")
              if "threading.Thread(" in p.read_text(encoding="utf-8") and p.name != "give_way.py"]
    assert direct == []


def _counting_thread(limit: float) -> tuple[list[int], threading.Event, threading.Event]:
    """A background thread whose one long step (a pure-Python loop: no checkpoint of its own)
    counts up until told to stop."""
    count = [0]
    started, stop = threading.Event(), threading.Event()

    def work() -> None:
        assert gw.give_way_within_steps(limit)
        started.set()
        while not stop.is_set():
            count[0] += 1

    threading.Thread(target=work, daemon=True).start()
    assert started.wait(30)
    return count, started, stop


def test_a_long_step_waits_inside_while_the_windows_thread_runs_python() -> None:
    """give_way_within_steps: a step that cannot stop (an import, dateparser's first parse)
    waits in the middle while the window handles a key, and goes on once it is idle."""
    gw.watch_event_loop(sys._getframe())  # this frame plays the event loop

    def busy() -> tuple[int, int]:  # a frame below the loop's: the window handles a key
        time.sleep(0.05)  # (the thread reaches a look at the window)
        before = count[0]
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass  # Python of the window's own
        return before, count[0]

    count, _, stop = _counting_thread(limit=60)
    try:
        before, after = busy()
        assert after - before < 1000, (before, after)  # a look every 128 calls: it stopped
        idle_from = count[0]
        time.sleep(0.2)  # the loop waits in C: idle
        assert count[0] - idle_from > 1000  # on again
    finally:
        stop.set()


def test_a_long_step_waits_for_a_busy_window_only_so_long() -> None:
    """The window may be waiting for a lock the step holds: after ``limit`` the step goes on
    while the window stays busy."""
    gw.watch_event_loop(sys._getframe())

    def busy() -> int:
        time.sleep(0.05)
        start = count[0]
        end = time.monotonic() + 0.4
        while time.monotonic() < end:
            pass
        return count[0] - start

    count, _, stop = _counting_thread(limit=0.05)
    try:
        assert busy() > 1000  # it waited 0.05 s, then went on
    finally:
        stop.set()


def test_the_window_in_the_import_machinery_is_not_busy() -> None:
    """Waiting for a module a background thread imports, the window's thread blocks in the
    import machinery's frame: the importing thread must not wait for it."""
    gw.watch_event_loop(sys._getframe())
    seen: list[bool] = []

    def blocked_in(filename: str) -> None:
        held, ready = threading.Lock(), threading.Event()
        held.acquire()

        def look() -> None:
            ready.wait(30)
            time.sleep(0.05)  # the window's thread is in the lock's acquire by now
            seen.append(gw.window_is_busy())
            held.release()

        threading.Thread(target=look, daemon=True).start()
        # a frame of that file's name waits for a lock, as _ModuleLock.acquire does
        code = compile("ready.set()\nheld.acquire(timeout=30)\n", filename, "exec")
        exec(code, {"ready": ready, "held": held})  # noqa: S102

    blocked_in(gw._IMPORTING)
    blocked_in("annotator/gui/coding.py")  # a key's own code waiting for a lock: busy
    assert seen == [False, True]


def test_not_on_the_windows_thread_nor_over_a_profiler() -> None:
    assert gw.give_way_within_steps() is False  # the main thread plays the window's
    got: list[bool] = []

    def work() -> None:
        sys.setprofile(lambda *_a: None)
        got.append(gw.give_way_within_steps())
        sys.setprofile(None)

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert got == [False]


def test_the_warm_up_compiles_the_keys_first_and_waits_inside_its_steps(monkeypatch) -> None:
    """The keys' statements first, before the hook that waits inside the steps (it would slow
    them down); the thread's warm-up puts the hook in place after them."""
    from annotator.core import warmup

    order: list[str] = []
    monkeypatch.setattr(warmup, "give_way_within_steps", lambda: order.append("hook"))
    took = warmup.warm_up(gazetteer=False, project=lambda: order.append("project"),
                          keys=lambda: order.append("keys"), pause_inside=True)
    assert list(took)[0] == "keys" and order == ["keys", "hook", "project"]
    order.clear()
    warmup.warm_up(gazetteer=False, project=lambda: order.append("project"))
    assert order == ["project"]  # called directly: no hook
    called: list[tuple[str, object]] = []
    monkeypatch.setattr(warmup, "warm_up", lambda **kw: called.append(
        (threading.current_thread().name, kw.get("pause_inside"))) or {})
    t = gw.background_thread(warmup._quiet_warm_up, "annotator-warm-up", (False, None, None))
    t.start()
    t.join(30)
    assert called == [("annotator-warm-up", True)]


def test_one_thread_at_a_time_looks_at_the_frames_with_the_collector_paused(monkeypatch) -> None:
    """sys._current_frames holds the thread list's lock while it allocates; a collection run
    from there (a finalizer lets go of the interpreter lock) and a second thread's look froze
    the window. Each look is alone, with the collector paused, and leaves it as it was."""
    import gc

    real = sys._current_frames
    seen: list[tuple[int, bool]] = []
    inside = [0]

    def looking() -> dict[int, object]:
        inside[0] += 1
        if threading.current_thread() in threads:  # (not a thread an earlier test left)
            seen.append((inside[0], gc.isenabled()))
        time.sleep(0.005)  # lets go of the interpreter lock: another thread could come in
        inside[0] -= 1
        return real()

    monkeypatch.setattr(sys, "_current_frames", looking)
    gw.watch_event_loop(sys._getframe())
    assert gc.isenabled()
    threads = [threading.Thread(target=lambda: [gw.window_is_busy() for _ in range(5)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(seen) == 20
    assert {n for n, _ in seen} == {1}  # never two at once
    assert not any(enabled for _, enabled in seen)  # the collector paused during each look
    with gw._frames_lock:  # (no look under way: a thread an earlier test left may look)
        assert gc.isenabled()  # and back on after


def test_a_long_steps_own_looks_do_not_wait_for_themselves() -> None:
    """The warm-up's own checkpoints look at the frames too: the profile hook, called inside
    that look, must not take the look's lock again (it froze the warm-up, and every other
    thread's checkpoint with it: next report waited 2 s for its read-ahead)."""
    gw.watch_event_loop(sys._getframe())
    done = threading.Event()

    def work() -> None:
        assert gw.give_way_within_steps()
        for _ in range(3000):
            gw.window_is_busy()  # each look makes C calls: the hook runs inside it
        done.set()

    t = threading.Thread(target=work, daemon=True)
    t.start()
    assert done.wait(30)
    assert not gw._frames_lock.locked()


def test_a_long_step_waits_until_the_window_has_been_idle_a_while() -> None:
    """A key's handling leaves the window's Python in between (its paint comes back to Python
    a few ms later; the next key of a burst soon after): a step that met the window busy waits
    until the window has been idle for ``quiet`` before it goes on."""
    gw.watch_event_loop(sys._getframe())
    count = [0]
    started, stop = threading.Event(), threading.Event()

    def work() -> None:
        assert gw.give_way_within_steps(limit=60, quiet=1.0)
        started.set()
        while not stop.is_set():
            count[0] += 1

    threading.Thread(target=work, daemon=True).start()
    assert started.wait(30)

    def busy() -> None:  # a frame below the loop's: the window handles a key
        time.sleep(0.05)
        end = time.monotonic() + 0.2
        while time.monotonic() < end:
            pass

    try:
        busy()
        idle_from = count[0]
        time.sleep(0.3)  # idle, but not for 1 s yet: still waiting
        assert count[0] - idle_from < 1000
        deadline = time.monotonic() + 30
        while count[0] - idle_from < 1000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert count[0] - idle_from >= 1000  # on again once the window was idle long enough
    finally:
        stop.set()


def test_a_span_read_gives_way_between_chunks(project, tmp_path, monkeypatch) -> None:
    """The read-ahead reads a 10,000-span report in chunks, with a checkpoint between two: the
    same rows as one read, in text order."""
    from annotator.core import queries
    from tests.core.helpers import record, span, write_jsonl

    text = "Gunmen attacked Gao and Kidal and Menaka on Sunday.\n"
    words = ["Gunmen", "Gao", "Kidal", "Menaka", "Sunday"]
    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [record("r1", text, [{
        "coder": "amina", "status": "in_progress",
        "spans": [span(f"s{i}", "actor", text, w) for i, w in enumerate(words)], "claims": []}])])])
    rid = project.reports()[0].id
    coder = project.coder_id("amina")
    whole = project.spans(rid, coder)
    assert [s.text for s in whole] == words
    checkpoints: list[str] = []
    monkeypatch.setattr(queries, "give_way", lambda: checkpoints.append("x"))
    monkeypatch.setattr(queries, "_SPAN_CHUNK", 2)
    assert project.spans(rid, coder) == whole
    assert checkpoints == ["x", "x"]  # after rows 2 and 4; the short last chunk ends the read


def test_the_start_checks_give_way_between_reports(project, tmp_path, monkeypatch) -> None:
    from annotator.core import integrity
    from tests.core.helpers import record, write_jsonl

    project.import_paths([write_jsonl(tmp_path / "r.jsonl", [
        record(f"r{i}", f"Gunmen attacked Gao on Sunday. {i}\n") for i in range(3)])])
    checkpoints: list[str] = []
    monkeypatch.setattr(integrity, "give_way", lambda: checkpoints.append("x"))
    project.verify_sample()
    assert len(checkpoints) >= 3  # one before each report's checksum
