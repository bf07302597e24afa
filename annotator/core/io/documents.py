"""Reports that arrive as web pages, PDFs or Word files: their text, title and published date.

HTML: the main text by trafilatura, without navigation, teasers, boilerplate and comments, and
the page's title, date and author (nothing is run or fetched). PDF: the text layer (pypdf); a PDF
without one (a scan) is refused with a clear message. DOCX: the paragraphs (python-docx).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from annotator.core.io import limits
from annotator.core.io.textfile import ImportProblem, TextDocument, dateline, normalize_newlines
from annotator.core.io.textrules import clean_extracted, one_line

__all__ = ["read_document", "read_report_table"]

def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in normalize_newlines(text).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    # extracted text, not typed by anyone: drop what the rule at the door forbids (NUL, other
    # controls, lone surrogates) rather than refuse the whole document
    return clean_extracted(unicodedata.normalize("NFC", "\n".join(out).strip() + "\n"))


def _plain_body(source: str) -> str:
    """The text of a page trafilatura finds no main text in (a very short page), without
    scripts, styles, navigation, headers, footers, asides and forms."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(source)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return ""
    for el in root.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript|//title"):
        el.drop_tree()
    for el in root.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//tr"):
        el.tail = "\n" + (el.tail or "")
    return str(root.text_content())


def _html(path: Path) -> TextDocument:
    """The page's main text by trafilatura (its own rules for boilerplate, teasers and
    navigation); the title, the date (YYYY-MM-DD, by htmldate from the page itself) and the author
    from the page's metadata. Only the file is read: nothing is run or fetched."""
    raw = path.read_bytes()
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4000], re.I)
    encoding = m.group(1).decode("ascii") if m else "utf-8"
    try:
        source = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        source = raw.decode("utf-8", errors="replace")
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(source, with_metadata=True, include_comments=False,
                                          include_tables=True, favor_precision=True, fast=True)
    except Exception as exc:  # noqa: BLE001 - lxml and trafilatura raise several kinds
        raise ImportProblem(path, f"not a readable web page: {exc}") from exc
    if isinstance(doc, dict):  # older trafilatura gives a dict
        from types import SimpleNamespace

        doc = SimpleNamespace(**doc)
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not body.strip():  # too short for trafilatura's rules: the body without page furniture
        body = _plain_body(source)
    text = _tidy(body) if body.strip() else ""
    if not text.strip():
        raise ImportProblem(path, "no text in the page (only scripts, navigation or images)")
    title = one_line((getattr(doc, "title", None) or "").strip() or text.split("\n", 1)[0])[:200] or path.stem
    published = None
    date = getattr(doc, "date", None)
    if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        published = date
    meta: dict[str, Any] = {}
    for key in ("author", "sitename", "url", "description"):
        value = getattr(doc, key, None)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
    return TextDocument(title[:200], text, encoding, published or dateline(text), meta)


def _pdf(path: Path) -> TextDocument:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportProblem(path, f"reading PDFs needs pypdf ({exc})") from exc
    lim = limits.current()
    try:
        reader = PdfReader(str(path))
        n_pages = len(reader.pages)
        if n_pages > lim.pages:
            raise ImportProblem(
                path, f"the PDF has {n_pages:,} pages, over the limit of {lim.pages:,}; refused "
                "without reading them (raise it with annotator import --max-pages)")
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            limits.check_length(path, chars)  # stop reading pages once over the limit
    except ImportProblem:
        raise
    except (PdfReadError, ValueError, OSError) as exc:
        raise ImportProblem(path, f"not a readable PDF: {' '.join(str(exc).split())}") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken files
        raise ImportProblem(path, f"not a readable PDF ({type(exc).__name__}: "
                            f"{' '.join(str(exc).split())[:200]})") from exc
    text = _tidy("\n\n".join(pages))
    if not text.strip():
        raise ImportProblem(
            path, f"the PDF has no text layer ({len(pages)} page(s), a scan?): run OCR first"
        )
    meta_title = (reader.metadata.title if reader.metadata else None) or ""
    first = text.split("\n", 1)[0]
    title = one_line(meta_title.strip() or first or path.stem)[:200] or path.stem
    return TextDocument(title, text, "pdf", dateline(text))


def _docx(path: Path) -> TextDocument:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportProblem(path, f"reading Word files needs python-docx ({exc})") from exc
    limits.check_zip(path)  # a damaged zip, or one that expands too far, before python-docx
    try:
        document = docx.Document(str(path))
        paragraphs = [p.text for p in document.paragraphs]
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for broken files
        raise ImportProblem(path, f"not a readable Word (.docx) file: "
                            f"{' '.join(str(exc).split())[:200]}") from exc
    limits.check_length(path, sum(len(p) + 2 for p in paragraphs))
    text = _tidy("\n\n".join(paragraphs))
    if not text.strip():
        raise ImportProblem(path, "the document has no text")
    title = one_line(document.core_properties.title or text.split("\n", 1)[0] or path.stem)[:200]
    title = title or path.stem
    return TextDocument(title, text, "docx", dateline(text))


def read_document(path: Path) -> TextDocument:
    """Read an HTML, PDF or DOCX report; ImportProblem names the file and the reason."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return _html(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix == ".docx":
        return _docx(path)
    raise ImportProblem(path, f"not a document type Annotator reads ({suffix})")


# reports from tables live in tables.py; the name stays importable from here
from annotator.core.io.tables import read_report_table  # noqa: E402
