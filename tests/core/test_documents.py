"""Reports from HTML, PDF and Word files, and the codebook manual."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.io.documents import read_document
from annotator.core.io.textfile import ImportProblem
from annotator.core.project import Project
from tests.core.helpers import minimal_pdf

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Site | Attack near Gao</title>
<script>document.write("SECRET-SCRIPT")</script><style>p{color:red}</style></head>
<body><nav>Home | World | Sahel</nav><header>Breaking</header>
<article><h1>Gunmen attack a post near Gao</h1><p>December 8, 2023</p>
<p>Gunmen attacked an army post near Gao on Sunday, killing 12 soldiers &amp; wounding 3.</p>
<p>The group has not claimed the attack.</p></article>
<aside>Related: other news</aside><footer>© a site</footer></body></html>"""


def test_html_main_text_without_scripts_or_navigation(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    doc = read_document(page)
    assert doc.title == "Gunmen attack a post near Gao"
    assert "killing 12 soldiers & wounding 3." in doc.text
    for absent in ("SECRET-SCRIPT", "color:red", "Home | World", "Related", "© a site", "Breaking"):
        assert absent not in doc.text
    assert doc.published == "2023-12-08"


def test_docx_paragraphs(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("Convoy ambushed near Tessit")
    d.add_paragraph("Five soldiers were killed on Monday, the army said.")
    path = tmp_path / "r.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.title == "Convoy ambushed near Tessit"
    assert "Five soldiers were killed on Monday" in doc.text


def test_pdf_text_layer_and_scanned_pdf(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    path = tmp_path / "r.pdf"
    path.write_bytes(minimal_pdf(["Militants seized Djibo on Friday"]))
    assert "Militants seized Djibo on Friday" in read_document(path).text
    from pypdf import PdfWriter

    blank = tmp_path / "scan.pdf"
    w = PdfWriter()
    w.add_blank_page(width=612, height=792)
    with blank.open("wb") as fh:
        w.write(fh)
    with pytest.raises(ImportProblem, match="no text layer"):
        read_document(blank)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(ImportProblem, match="broken.pdf"):
        read_document(broken)


def test_import_folder_of_documents(tmp_path: Path, capsys, new_db) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, "utf-8")
    (folder / "r.pdf").write_bytes(minimal_pdf(["Militants seized Djibo on Friday"]))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 garbage")
    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(folder)]) == 1  # one bad file
    out = capsys.readouterr()
    assert "scan.pdf" in out.err and "2 report(s) added" in out.out
    p = Project.open(db)
    assert {r.title for r in p.reports()} == {"Gunmen attack a post near Gao", "Militants seized Djibo on Friday"}
    p.close()


def test_codebook_manual(tmp_path: Path, capsys, new_db) -> None:
    from annotator.core.resources import schemas_dir

    assert main(["codebook", "doc", str(schemas_dir() / "conflict-events.json")]) == 0
    assert "# Conflict events" in capsys.readouterr().out
    from annotator.core.codebook import load_default_codebook
    from annotator.core.io.codebook_manual import codebook_manual

    md = codebook_manual(load_default_codebook(), "md")
    assert "### Actor (`actor`), key `1`" in md and "| Perpetrator (`perpetrator`) | p | actor | 1..n |" in md
    html = codebook_manual(load_default_codebook(), "html")
    assert "<kbd>a</kbd>" in html and "claimed_responsibility" in html and "<script" not in html
    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0
    out = tmp_path / "manual.html"
    assert main(["--db", db, "codebook", "doc", "--format", "html", "--out", str(out)]) == 0
    assert out.read_text("utf-8").startswith("<!doctype html>")


def test_report_tables_csv_and_xlsx(tmp_path: Path, capsys, new_db) -> None:
    good = tmp_path / "reports.csv"
    good.write_text("report_id,headline,body,date,link,desk\n"
                    "a1,Post attacked,\"Gunmen attacked a post near Gao, killing 3.\",2023-12-05,http://x/1,Sahel\n"
                    "a2,,Second report text.,,,\n", "utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text,published\nb1,Fine text.,2023-12-01\nb2,Other text.,5 Dec\n", "utf-8")
    db = new_db("p.db")
    assert main(["--db", db, "init"]) == 0  # only init makes a project
    assert main(["--db", db, "import", str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err and "row 3" in err and "'5 Dec' is not a date" in err
    p = Project.open(db)
    reps = {r.external_id: r for r in p.reports()}
    assert set(reps) == {"a1", "a2"}  # nothing of bad.csv
    detail = p.report(reps["a1"].id)
    assert detail.title == "Post attacked" and detail.published == "2023-12-05"
    assert detail.url == "http://x/1" and detail.meta == {"desk": "Sahel"}
    assert p.report(reps["a2"].id).title == "Second report text."
    p.close()
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "title", "text", "published"])
    import datetime as dt

    ws.append(["x1", "From Excel", "Text from a spreadsheet about Kidal.", dt.datetime(2023, 11, 2)])
    xlsx = tmp_path / "r.xlsx"
    wb.save(xlsx)
    assert main(["--db", db, "import", str(xlsx)]) == 0
    p = Project.open(db)
    x1 = next(r for r in p.reports() if r.external_id == "x1")
    assert x1.published == "2023-11-02"
    p.close()
