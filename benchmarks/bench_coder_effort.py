"""How many inputs a coder needs to code one whole claim from the keyboard (issue 13).

    .venv/bin/python benchmarks/bench_coder_effort.py [--report FILE --published YYYY-MM-DD]

Opens a report of the seed's shape (written here: several actors, two places, a relative date,
"killing or wounding N", a claimant) in the real window offscreen and codes its attack claim by
sending key events only, as a coder who reads the screen would: jump labels are read off the
overlay, drafts and suggestions are checked against the answer and only what is wrong is fixed.
Every key press (a chord such as Shift+J counts once, each typed character once) is counted.
The stored claim is then checked field by field. The same run is repeated with suggestions and
drafts turned off (everything tagged and typed by hand). Last line:
``inputs: N (without suggestions and drafts: M)``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

REPORT = """Militants claim raid on army and Russian fighters near Tinzawat

A statement carried by the group's news outlet on Tuesday said that fighters of the Islamic State Sahel Province attacked Malian soldiers and Wagner Group fighters near Tinzawat, in the Kidal region, on Sunday, killing or wounding 30 of them.

The army did not comment on the claim. Residents of Kidal reported gunfire late on Sunday.
"""
PUBLISHED = "2025-03-11"

K = Qt.Key
SHIFT = Qt.KeyboardModifier.ShiftModifier


@dataclass
class Answer:
    perpetrator: str = "Islamic State Sahel Province"
    targets: tuple[str, ...] = ("Malian soldiers", "Wagner Group")
    location: str = "Tinzawat"
    place_name: str = "Tinzawat"
    date: str = "Sunday"
    date_value: str = "2025-03-09"
    casualties: str = "30"
    best: int = 30
    status: str = "killed_or_wounded"
    claimant: str = "Islamic State Sahel Province"
    stance: str = "claimed_responsibility"


_TYPE = {"perpetrator": "actor", "target": "actor", "claimant": "actor", "location": "location",
         "date": "date", "casualties": "casualty_count"}


class Coder:
    """Sends key events to whatever has the focus, counting each."""

    def __init__(self, app: QApplication, window) -> None:
        self.app, self.w, self.inputs = app, window, 0

        self.step = "start"
        self.breakdown: dict[str, int] = {}

    def key(self, k, mods=Qt.KeyboardModifier.NoModifier, why: str = "") -> None:
        target = QApplication.focusWidget() or self.w.text
        QTest.keyClick(target, k, mods)
        self.app.processEvents()
        self._count(1)

    def _count(self, n: int) -> None:
        self.inputs += n
        self.breakdown[self.step] = self.breakdown.get(self.step, 0) + n

    def type(self, text: str) -> None:
        for ch in text:
            target = QApplication.focusWidget() or self.w.text
            QTest.keyClicks(target, ch)
            self._count(1)
        self.app.processEvents()

    def jump_to(self, phrase: str, within: str | None = None) -> None:
        """Select ``phrase`` with jumps: J + first word's label, Shift+J + last word's label
        (``within``: the phrase is the start of this longer one, which locates it)."""
        words = phrase.split()
        start = self.w.report_text.index(within or phrase)
        self._jump(start, extend=False)
        if len(words) > 1:
            last = start + len(phrase) - len(words[-1])
            self._jump(last, extend=True)

    def _jump(self, cp: int, extend: bool) -> None:
        self.key(K.Key_J, SHIFT if extend else Qt.KeyboardModifier.NoModifier)
        utf16 = len(self.w.report_text[:cp].encode("utf-16-le")) // 2
        label = next(t.label for t in self.w.jumper.overlay.targets if t.start == utf16)
        self.type(label)

    def slot(self, key) -> None:
        self.key(key)


def _span_text(project, w, span_id: int) -> str:
    return next(s.text for s in project.spans(w.report_id, w.coder_id) if s.id == span_id)


def code_claim(
    use_help: bool, report: str, published: str, answer: Answer
) -> tuple[int, list[str], dict[str, int]]:
    from annotator.core.project import Project
    from annotator.gui.main_window import MainWindow
    from tests.core.helpers import record, write_jsonl  # the fixtures' record builder

    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    project = Project.open(tmp / "effort.db")
    project.import_paths([write_jsonl(tmp / "r.jsonl", [record("r1", report, published=published)])])
    w = MainWindow(project, project.coder_id("bench", create=True))
    w.resize(1400, 900)
    w.show()
    w.activateWindow()
    for _ in range(50):
        app.processEvents()
    w.text.setFocus()
    app.processEvents()
    c = Coder(app, w)
    problems: list[str] = []

    def claim():
        return project.claims(w.report_id, w.coder_id)[0] if project.claims(w.report_id, w.coder_id) else None

    def in_slot(slot: str) -> list[str]:
        cl = claim()
        fill = cl.slots.get(slot) if cl else None
        return [_span_text(project, w, i) for i in fill] if isinstance(fill, list) else []

    expected = {
        "perpetrator": [answer.perpetrator], "target": list(answer.targets),
        "location": [answer.location], "date": [answer.date],
        "casualties": [answer.casualties], "claimant": [answer.claimant],
    }
    tag_key = {"perpetrator": K.Key_1, "target": K.Key_1, "claimant": K.Key_1,
               "location": K.Key_2, "date": K.Key_3, "casualties": K.Key_4}
    slot_key = {"perpetrator": K.Key_P, "target": K.Key_T, "location": K.Key_L, "date": K.Key_D,
                "casualties": K.Key_K, "claimant": K.Key_C}

    if use_help:
        c.step = "caret into the sentence, draft"
        c.jump_to("attacked")  # the caret into the claim's sentence
        c.key(K.Key_A, SHIFT, "draft")
        draft = w._draft
        if draft is not None:
            offered = {(s.type, s.text) for s in w.project.suggestions(w.report_id, w.coder_id)}
            for slot, texts in expected.items():  # fix what the draft got wrong
                got = [s.text for s in draft.slots.get(slot, [])]
                if got == texts:
                    continue
                c.step = f"fix the draft's {slot}"
                if len(texts) == 1 and (_TYPE[slot], texts[0]) in offered:
                    # the right one is suggested: the caret into it (its first word) and the key
                    c.jump_to(texts[0].split()[0], within=texts[0])
                    c.key(slot_key[slot], why=f"draft {slot}")
                elif got:
                    c.key(slot_key[slot], SHIFT, f"clear {slot}")
            c.step = "accept the draft"
            c.key(K.Key_Return, why="accept the draft")
        if claim() is None:
            c.step = "new claim"
            c.key(K.Key_A, why="new claim")
    else:
        c.step = "new claim"
        c.key(K.Key_A, why="new claim")
    # add what is missing: tag by hand (accepting suggested values), then the slot key
    for slot, texts in expected.items():
        for text in texts:
            if text in in_slot(slot):
                continue
            c.step = f"{slot}: {text}"
            existing = [s for s in project.spans(w.report_id, w.coder_id) if s.text == text]
            if existing:  # a span already: the caret into its first word is enough
                c.jump_to(text.split()[0], within=text)
            else:
                c.jump_to(text)
            if not existing:
                c.key(tag_key[slot], why=f"tag {text}")
                if use_help and w.current_span_id in w._prefill:
                    c.key(K.Key_Return, why="accept suggested values")
            c.slot(slot_key[slot])

    # values the claim's fields need: place name, date value, count, stance
    def span_of(text: str):
        return next(s for s in project.spans(w.report_id, w.coder_id) if s.text == text)

    def edit_span(text: str, attribute: str, field: int, typed: str) -> None:
        c.step = f"value {attribute} of {text!r}"
        c.jump_to(text)  # the selection is the span: F2 edits its values
        c.key(K.Key_F2)
        fields = w.span_form.editor_fields(attribute)
        for _ in range(field):
            c.key(K.Key_Tab)
        if QApplication.focusWidget() is not fields[field]:
            raise RuntimeError(f"the {attribute} field did not get the keyboard")
        c.type(typed)
        c.key(K.Key_Escape)

    place = span_of(answer.location).attributes.get("place") or {}
    if place.get("name") != answer.place_name:
        edit_span(answer.location, "place", 0, answer.place_name)
    if span_of(answer.date).attributes.get("value") != answer.date_value:
        edit_span(answer.date, "value", 0, answer.date_value)
    count = span_of(answer.casualties).attributes
    if (count.get("count") or {}).get("best") != answer.best:
        edit_span(answer.casualties, "count", 1, str(answer.best))
    if span_of(answer.casualties).attributes.get("status") != answer.status:
        c.step = "value status of the casualties"
        c.jump_to(answer.casualties)
        c.key(K.Key_F2)
        order = [ad.id for ad in w.codebook.span_type("casualty_count").attributes]
        for _ in range(3 + order.index("status") - 1):  # count has three fields
            c.key(K.Key_Tab)
        c.type("killed o")
        c.key(K.Key_Escape)
    cl = claim()
    if cl is not None and cl.attributes.get("stance") != answer.stance:
        c.step = "stance"
        c.key(K.Key_4, Qt.KeyboardModifier.ControlModifier)  # the claims list: the form shows the claim
        c.key(K.Key_F2, why="claim form")
        order = [ad.id for ad in w.codebook.claim_type("attack").attributes]
        for _ in range(order.index("stance")):
            c.key(K.Key_Tab)
        c.type("cl")
        c.key(K.Key_Escape)
    w.form.flush()

    # check the stored claim field by field
    cl = claim()
    for slot, texts in expected.items():
        if sorted(in_slot(slot)) != sorted(texts):
            problems.append(f"{slot}: {in_slot(slot)} != {texts}")
    if (span_of(answer.location).attributes.get("place") or {}).get("name") != answer.place_name:
        problems.append("place name")
    if span_of(answer.date).attributes.get("value") != answer.date_value:
        problems.append(f"date value {span_of(answer.date).attributes.get('value')}")
    a = span_of(answer.casualties).attributes
    if (a.get("count") or {}).get("best") != answer.best or a.get("status") != answer.status:
        problems.append(f"casualties {a}")
    if cl is None or cl.attributes.get("stance") != answer.stance:
        problems.append(f"stance {cl.attributes if cl else None}")
    w.close()
    project.close()
    return c.inputs, problems, c.breakdown


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", type=Path, help="a report file to code instead of the built-in one")
    ap.add_argument("--published", default=PUBLISHED)
    args = ap.parse_args()
    report = args.report.read_text("utf-8") if args.report else REPORT
    answer = Answer()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    QApplication.instance() or QApplication(sys.argv)
    with_help, p1, b1 = code_claim(True, report, args.published, answer)
    by_hand, p2, b2 = code_claim(False, report, args.published, answer)
    for name, n, problems, breakdown in (
        ("with suggestions and drafts", with_help, p1, b1), ("by hand", by_hand, p2, b2)
    ):
        print(f"{name}: {n} inputs; stored claim " + ("checked field by field: all right" if not problems
                                                     else "WRONG: " + "; ".join(problems)))
        for step, count in breakdown.items():
            print(f"    {count:3d}  {step}")
    print(f"inputs: {with_help} (without suggestions and drafts: {by_hand})")
    return 0 if not (p1 or p2) else 1


if __name__ == "__main__":
    raise SystemExit(main())
