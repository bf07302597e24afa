from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.io.textfile import (
    ImportProblem,
    decode_bytes,
    normalize_newlines,
    read_text_file,
    title_from_text,
)

SAMPLE = "Attaque près de Ménaka — « 30 » soldats\nDeuxième ligne.\n"


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),  # with BOM
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # without BOM
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_are_recognized(encoded: bytes, encoding: str) -> None:
    text, found = decode_bytes(encoded)
    assert text == SAMPLE
    assert found == encoding


def test_legacy_single_byte_encoding_is_detected() -> None:
    text = (
        "Les forces armées ont déclaré que l'attaque a été menée près de la frontière. "
        "Selon le communiqué, les assaillants se sont repliés vers le nord après l'opération, "
        "et l'état-major a annoncé un bilan provisoire élevé. "
    ) * 3
    decoded, encoding = decode_bytes(text.encode("cp1252"))
    assert decoded == text
    assert encoding.replace("_", "").lower() in {"cp1252", "latin1", "iso88591", "iso885915"}


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff", "binary"),
        (b"text with a bell\x07 in it", "binary"),
    ],
)
def test_bad_input_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        decode_bytes(data)


def test_newlines_are_normalized_once() -> None:
    assert normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert normalize_newlines("no change") == "no change"


def test_title_comes_from_the_first_line_or_the_file_name() -> None:
    assert title_from_text("\n\n# Weekly claim summary\nbody", "f") == "Weekly claim summary"
    assert title_from_text("x" * 500 + "\nbody", "fallback") == "fallback"


def test_read_text_file_names_the_file_on_failure(tmp_path: Path) -> None:
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02\x03binary")
    with pytest.raises(ImportProblem) as info:
        read_text_file(bad)
    assert str(bad) in str(info.value)
    assert "binary" in str(info.value)


def test_read_text_file_normalizes_crlf_and_nfc(tmp_path: Path) -> None:
    f = tmp_path / "r.md"
    f.write_bytes("# Title\r\nMe\u0301naka\r\n".encode())
    doc = read_text_file(f)
    assert doc.text == "# Title\nM\u00e9naka\n"
    assert doc.title == "Title"


def test_dateline_gives_the_published_date() -> None:
    from annotator.core.io.textfile import dateline

    assert dateline("Title\n\nDecember 8, 2023\n\nText on 3 May 2020.") == "2023-12-08"
    assert dateline("Title\n8 Dec. 2023\n") == "2023-12-08"
    assert dateline("Title\nFriday, 2023-12-08\n") == "2023-12-08"
    assert dateline("Title\n2023-12-08\n") == "2023-12-08"
    assert dateline("Title\nOn December 8, 2023 the army said...\n") is None
    assert dateline("Title\nFebruary 30, 2023\n") is None
