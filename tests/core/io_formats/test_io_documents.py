"""Issue 7 audit: reports from HTML, PDF, DOCX and report tables (annotator.core.io.documents).

Every page, paragraph and row here is invented for the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from annotator.core.io.documents import read_document, read_report_table
from annotator.core.io.textfile import ImportProblem
from tests.core.helpers import minimal_pdf

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Sahel Wire | Convoy hit</title>
<script>var leak = "SCRIPT-MUST-NOT-APPEAR"; if (1 < 2) { document.write("</p>"); }</script>
<style>.x{content:"STYLE-MUST-NOT-APPEAR"}</style></head>
<body><nav><a href="/">Home</a> NAV-MUST-NOT-APPEAR</nav><header>HEADER-MUST-NOT-APPEAR</header>
<h1>Convoy hit near Ansongo</h1><p>Fighters fired on a supply convoy near Ansongo &amp; burned two trucks.</p>
<p>Nobody has claimed the attack.</p>
<form><label>Email</label> FORM-MUST-NOT-APPEAR</form><aside>ASIDE-MUST-NOT-APPEAR</aside>
<footer>FOOTER-MUST-NOT-APPEAR</footer></body></html>"""


def test_html_main_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, "utf-8")
    doc = read_document(path)
    assert doc.title == "Convoy hit near Ansongo"
    assert "Fighters fired on a supply convoy near Ansongo & burned two trucks." in doc.text
    assert "Nobody has claimed the attack." in doc.text
    assert "MUST-NOT-APPEAR" not in doc.text
    assert "<" not in doc.text and "\r" not in doc.text


def test_html_title_from_title_tag_without_h1(tmp_path: Path) -> None:
    path = tmp_path / "t.htm"
    path.write_text(
        "<html><head><title>Market blast in Gao</title></head><body><p>A blast hit the market."
        "</p></body></html>",
        "utf-8",
    )
    doc = read_document(path)
    assert doc.title == "Market blast in Gao" and doc.text == "A blast hit the market.\n"


def test_html_with_only_scripts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>x()</script><nav>menu</nav></body></html>", "utf-8")
    with pytest.raises(ImportProblem, match="empty.html"):
        read_document(path)


def test_html_article_ends_after_void_elements(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><body><article><h1>Ambush</h1><p>One.<br>Two.</p><img src='x.png'></article>"
        "<div>Related stories elsewhere</div></body></html>",
        "utf-8",
    )
    assert "Related stories" not in read_document(path).text


def test_html_h1_with_inline_markup(tmp_path: Path) -> None:
    path = tmp_path / "h.html"
    path.write_text(
        "<html><body><h1>Gunmen <em>attack</em> a post</h1><p>Body.</p></body></html>", "utf-8"
    )
    assert read_document(path).title == "Gunmen attack a post"


def test_html_svg_title_is_not_the_page_title(tmp_path: Path) -> None:
    path = tmp_path / "s.html"
    path.write_text(
        "<html><head><title>Page title</title></head><body><svg><title>menu icon</title></svg>"
        "<p>Body text.</p></body></html>",
        "utf-8",
    )
    assert read_document(path).title == "Page title"


def test_docx_paragraphs(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.core_properties.title = "Weekly brief"
    d.add_paragraph("Checkpoint attacked near Menaka")
    d.add_paragraph("Two guards were wounded on Tuesday, officials said. 🔥")
    path = tmp_path / "brief.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.title == "Weekly brief"
    assert (
        doc.text
        == "Checkpoint attacked near Menaka\n\nTwo guards were wounded on Tuesday, officials said. 🔥\n"
    )


def test_pdf_text_layer(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "r.pdf"
    path.write_bytes(minimal_pdf(["Raiders looted a clinic in Boni", "Three staff are missing"]))
    doc = read_document(path)
    assert "Raiders looted a clinic in Boni" in doc.text and "Three staff are missing" in doc.text
    assert doc.title == "Raiders looted a clinic in Boni"


def test_blank_pdf_asks_for_ocr(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    w = pypdf.PdfWriter()
    w.add_blank_page(width=612, height=792)
    w.add_blank_page(width=612, height=792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        w.write(fh)
    with pytest.raises(ImportProblem) as info:
        read_document(path)
    message = str(info.value)
    assert "scan.pdf" in message and "no text layer" in message and "OCR" in message


def test_unknown_suffix_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "r.odt"
    path.write_bytes(b"PK")
    with pytest.raises(ImportProblem, match=r"r\.odt"):
        read_document(path)


def test_report_table_csv_auto_mapping_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(
        "ID,Headline,Body,pub_date,Link,Outlet,desk\n"
        'w-1,Post attacked,"Gunmen attacked a post, killing 3; the army said so.",2023-12-08,'
        "http://example.invalid/1,Sahel Wire,north\n"
        "w-2,Empty one,,2023-12-09,,,\n"
        "w-3,Odd date,Rebels took a town.,08/12/2023,,,\n"
        'w-4,,"A fourth report.\r\nOn two lines.",,,,\n',
        encoding="utf-8-sig",
    )
    got = list(read_report_table(path))
    assert [n for n, _ in got][:3] == [2, 3, 4]
    first = got[0][1]
    assert isinstance(first, dict)
    assert first == {
        "id": "w-1",
        "title": "Post attacked",
        "text": "Gunmen attacked a post, killing 3; the army said so.",
        "published": "2023-12-08",
        "url": "http://example.invalid/1",
        "source": "Sahel Wire",
        "language": None,
        "metadata": {"desk": "north"},
    }
    assert got[1][1] == "column Body: no text"
    assert isinstance(got[2][1], str) and "08/12/2023" in got[2][1]
    fourth = got[3][1]
    assert (
        isinstance(fourth, dict)
        and fourth["title"] == "A fourth report."
        and fourth["published"] is None
    )
    assert fourth["text"] == "A fourth report.\nOn two lines."


def test_report_table_row_number_is_where_the_row_starts(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('id,text,date\na,"Two\nlines",2023-13-01\n', encoding="utf-8")
    ((n, problem),) = list(read_report_table(path))
    assert isinstance(problem, str) and n == 2


def test_report_table_explicit_mapping_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("key;story;when\nk1;A patrol was ambushed.;2023-12-01\n", encoding="utf-8")
    ((n, rec),) = list(read_report_table(path, {"id": "key", "text": "story", "published": "when"}))
    assert (
        n == 2 and isinstance(rec, dict) and (rec["id"], rec["published"]) == ("k1", "2023-12-01")
    )
    ((_, problem),) = list(read_report_table(path, {"text": "article_body"}))
    assert isinstance(problem, str) and "article_body" in problem


def test_report_table_xlsx_with_date_cells(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["report_id", "title", "content", "date", "region"])
    ws.append(
        ["x1", "Bridge blown up", "Saboteurs blew up a bridge.", dt.date(2023, 11, 30), "east"]
    )
    ws.append(["x2", "Nothing", None, dt.datetime(2023, 12, 1, 9, 30), None])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    got = list(read_report_table(path))
    assert got[0][0] == 2 and isinstance(got[0][1], dict)
    assert got[0][1]["published"] == "2023-11-30" and got[0][1]["metadata"] == {"region": "east"}
    assert got[1] == (3, "column content: no text")
