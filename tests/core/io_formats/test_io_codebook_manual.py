"""Issue 7 audit: the codebook as a coder's manual (annotator.core.io.codebook_manual)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from annotator.core.codebook import load_default_codebook, parse_codebook
from annotator.core.io.codebook_manual import codebook_manual

HOSTILE = {
    "id": "hostile",
    "version": 1,
    "title": "Hostile <script>alert(1)</script> & co",
    "span_types": [
        {
            "id": "actor",
            "label": "Actor <b>",
            "color": "#123456",
            "hotkey": "1",
            "definition": "Who acts; never <img src=x onerror=alert(1)>",
            "examples": ['"the <army>"'],
            "attributes": [
                {
                    "id": "kind",
                    "type": "enum",
                    "values": ["a", "b"],
                    "value_labels": {"a": "Alpha <i>", "b": "Beta"},
                }
            ],
        }
    ],
    "claim_types": [
        {
            "id": "attack",
            "label": "Attack",
            "hotkey": "a",
            "slots": [
                {"id": "perpetrator", "accepts": ["actor"], "min": 1, "max": None, "hotkey": "p"},
                {"id": "claimant", "accepts": ["actor"], "min": 0, "max": 1},
            ],
        }
    ],
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_markdown_manual_of_the_default_codebook() -> None:
    cb = load_default_codebook()
    md = codebook_manual(cb, "md")
    for st in cb.span_types:
        assert st.id in md and st.label in md
    assert "state_forces" in md and "killed_or_wounded" in md
    assert "1..n" in md and "0..1" in md and "0..n" in md
    assert "ordinal" in md and "nominal" in md


def test_html_manual_is_self_contained_and_escaped() -> None:
    cb = parse_codebook(HOSTILE, "hostile.json")
    page = codebook_manual(cb, "html")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    assert "&lt;script&gt;" in page and "&lt;img" in page
    assert "#123456" in page  # the colour swatch
    assert "<kbd>1</kbd>" in page and "<kbd>a</kbd>" in page
    assert "1..n" in page and "0..1" in page
    assert "Alpha &lt;i&gt;" in page
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from elsewhere


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="pdf"):
        codebook_manual(load_default_codebook(), "pdf")
