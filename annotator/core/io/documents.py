"""Reports that arrive as web pages, PDFs or Word files: their text, title and published date.

HTML: the main text without scripts, styles, navigation, headers, footers, asides and forms
(the standard library's parser; nothing is run or fetched). PDF: the text layer (pypdf); a PDF
without one (a scan) is refused with a clear message. DOCX: the paragraphs (python-docx).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from annotator.core.io import limits
from annotator.core.io.textfile import ImportProblem, TextDocument, dateline, normalize_newlines
from annotator.core.io.textrules import clean_extracted, one_line

__all__ = ["read_document", "read_report_table"]

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
         "svg", "button", "iframe"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
          "blockquote", "pre", "figcaption", "td", "th", "dd", "dt"}
# elements that never have an end tag: they must not stay on the stack of open elements
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self._h1_parts: list[str] | None = None  # the first <h1>'s text, markup inside included
        self._in: list[str] = []
        self.article: list[str] | None = None
        self._article_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._emit("\n")
        if tag in _VOID:
            return
        if tag in _SKIP:
            self.skip += 1
        self._in.append(tag)
        if tag == "h1" and self._h1_parts is None and not self.skip:
            self._h1_parts = []
        if tag == "article" and self.article is None:
            self.article = []
            self._article_depth = len(self._in)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:  # <br/>; other self-closed elements (<path/>) hold no text
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK:
            self._emit("\n")
        if tag not in self._in:
            return  # a stray end tag
        # close it and whatever was left open inside it (</p> and </li> may be omitted)
        while self._in:
            open_tag = self._in.pop()
            if open_tag in _SKIP and self.skip:
                self.skip -= 1
            if open_tag == "h1" and self._h1_parts is not None and not self.h1:
                self.h1 = re.sub(r"\s+", " ", "".join(self._h1_parts)).strip()
            if open_tag == "article" and len(self._in) + 1 == self._article_depth:
                self._article_depth = -1  # the first article is closed
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        current = self._in[-1] if self._in else ""
        if self.skip:
            return  # an <svg><title> too: it names an icon, not the page
        if current == "title":
            self.title += data
            return
        if self._h1_parts is not None and not self.h1:
            self._h1_parts.append(data)
        self._emit(data)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self.article is not None and self._article_depth > 0:
            self.article.append(text)


def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in normalize_newlines(text).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    # extracted text, not typed by anyone: drop what the rule at the door forbids (NUL, other
    # controls, lone surrogates) rather than refuse the whole document
    return clean_extracted(unicodedata.normalize("NFC", "\n".join(out).strip() + "\n"))


def _html(path: Path) -> TextDocument:
    raw = path.read_bytes()
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4000], re.I)
    encoding = m.group(1).decode("ascii") if m else "utf-8"
    try:
        source = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        source = raw.decode("utf-8", errors="replace")
    parser = _MainText()
    parser.feed(source)
    parser.close()
    body = "".join(parser.article if parser.article and "".join(parser.article).strip() else parser.parts)
    text = _tidy(body)
    if not text.strip():
        raise ImportProblem(path, "no text in the page (only scripts, navigation or images)")
    title = one_line(parser.h1 or parser.title.strip() or path.stem)[:200] or path.stem
    return TextDocument(title, text, encoding, dateline(text))


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
