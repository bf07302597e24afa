"""REFI-QDA: the project exchange (``.qdpx``) and the codebook (``.qdc``), as NVivo, ATLAS.ti,
MAXQDA and QualCoder exchange them (namespace ``urn:QDA-XML:project:1.0``).

Export ``.qdpx``: a zip with ``project.qde`` and ``Sources/<guid>.txt`` (the report texts,
UTF-8). Users are the coders; the CodeBook has a code per span type (its colour, its definition
as the description) with a child code per value of each enum attribute; each report is a
``TextSource`` whose ``PlainTextSelection``s are the coders' spans (``creatingUser`` is the
coder), each with a ``Coding`` of its span type's code and one per enum value it has. A ``Note``
per report and coder (named ``annotator:<coder>``, linked from the source) holds what REFI-QDA
cannot (the report's fields, statuses, the other attribute values, the claims) as JSON.
Positions count characters (code points) of the plain text. Export ``.qdc``: the CodeBook
alone.

Import ``.qdpx``: every text source with its selections; the CodeBook is read and checked by the
same reader as a ``.qdc`` (io/qdc.py), so a coding's code names the span type a ``.qdc`` import
makes of it (else its own name, then its parents'), and an ``attribute=value`` code sets that
enum attribute. The coder is the coding's (or the selection's) creating user, else ``qda``.
Selections of codes that are no span type are refused by name. ``init --codebook P.qdpx``
starts a project with the project's codebook.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from annotator.core.codebook import Codebook
from annotator.core.io.atomic import atomic_binary_file
from annotator.core.io.standoff import (
    EXTENSION,
    FormatError,
    apply_extension,
    extension,
    span_type_id,
)
from annotator.core.io.textfile import ImportProblem

__all__ = ["NS", "read_qdpx", "write_qdc", "write_qdpx"]

NS = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_NOTE_PREFIX = f"{EXTENSION}:"
_SEED = uuid.UUID("6f1d3a52-6c35-4d0b-9a8e-2a9c7e0f4b11")


def _guid(*parts: str) -> str:
    """Stable GUIDs: the same project exports the same file."""
    return str(uuid.uuid5(_SEED, "\x1f".join(parts)))


def _q(tag: str, ns: str = NS) -> str:
    return f"{{{ns}}}{tag}"


def _code_guid(codebook: Codebook, type_id: str) -> str:
    """A span type's code GUID: the one a codebook read from a .qdc kept (so the other tool
    recognises its codes), else one made from the id."""
    for st in codebook.raw.get("span_types", []):
        if isinstance(st, dict) and st.get("id") == type_id and isinstance(st.get("refi_qda"), dict):
            guid = st["refi_qda"].get("guid")
            if isinstance(guid, str) and guid:
                return guid
    return _guid("code", type_id)


def _codebook_element(codebook: Codebook, ns: str) -> ET.Element:
    book = ET.Element(_q("CodeBook", ns))
    codes = ET.SubElement(book, _q("Codes", ns))
    for st in codebook.span_types:
        code = ET.SubElement(codes, _q("Code", ns), {"guid": _code_guid(codebook, st.id),
                                                     "name": st.id,
                                                     "isCodable": "true", "color": st.color.upper()})
        if st.definition or st.label != st.id:
            ET.SubElement(code, _q("Description", ns)).text = st.definition or st.label
        for ad in st.attributes:
            if ad.type != "enum":
                continue
            for value in ad.values or ():
                ET.SubElement(code, _q("Code", ns), {"guid": _guid("code", st.id, ad.id, value),
                                                     "name": f"{ad.id}={value}", "isCodable": "true"})
    return book


def _tostring(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def write_qdc(codebook: Codebook, out: Path) -> int:
    """The codebook alone as a REFI-QDA .qdc file; returns the number of codes."""
    root = _codebook_element(codebook, NS_CODEBOOK)
    root.set("origin", "Annotator")
    _write_bytes(out, _tostring(root, NS_CODEBOOK))
    return sum(1 for _ in root.iter(_q("Code", NS_CODEBOOK)))


def _write_bytes(out: Path, data: bytes) -> None:
    with atomic_binary_file(out) as fh:
        fh.write(data)


def write_qdpx(records: Iterable[Mapping[str, Any]], codebook: Codebook, out: Path) -> int:
    """Write a .qdpx project (or, for a .qdc target, the codebook); returns the number of
    text sources (codes for .qdc)."""
    if out.suffix.lower() == ".qdc":
        return write_qdc(codebook, out)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    project = ET.Element(_q("Project"), {"name": codebook.title or codebook.id,
                                         "origin": "Annotator", "creationDateTime": now})
    users = ET.SubElement(project, _q("Users"))
    project.append(_codebook_element(codebook, NS))
    sources = ET.SubElement(project, _q("Sources"))
    notes = ET.Element(_q("Notes"))
    texts: dict[str, str] = {}
    seen_users: set[str] = set()
    n = 0
    for record in records:
        rep = record["report"]
        sid = _guid("source", rep["id"])
        texts[sid] = rep["text"]
        source = ET.SubElement(sources, _q("TextSource"), {
            "guid": sid, "name": rep.get("title") or rep["id"],
            "plainTextPath": f"internal://{sid}.txt", "creationDateTime": now})
        ET.SubElement(source, _q("Description")).text = f"report {rep['id']}"
        refs: list[str] = []
        exts: list[dict[str, Any]] = [extension(record)]
        for ann in record.get("annotations", []):
            coder = ann["coder"]
            user = _guid("user", coder)
            if coder not in seen_users:
                seen_users.add(coder)
                ET.SubElement(users, _q("User"), {"guid": user, "name": coder})
            for s in ann.get("spans", []):
                sel = ET.SubElement(source, _q("PlainTextSelection"), {
                    "guid": _guid("span", rep["id"], coder, s["id"]), "name": s["text"][:100],
                    "startPosition": str(s["start"]), "endPosition": str(s["end"]),
                    "creatingUser": user, "creationDateTime": now})
                codes = [_code_guid(codebook, s["type"])]
                st = codebook.span_type(s["type"])
                for aid, v in (s.get("attributes") or {}).items():
                    ad = st.attribute(aid) if st else None
                    if ad is not None and ad.type == "enum" and v in (ad.values or ()):
                        codes.append(_guid("code", s["type"], aid, v))
                for code in codes:
                    coding = ET.SubElement(sel, _q("Coding"), {
                        "guid": _guid("coding", rep["id"], coder, s["id"], code),
                        "creatingUser": user, "creationDateTime": now})
                    ET.SubElement(coding, _q("CodeRef"), {"targetGUID": code})
            exts.append(extension(record, ann, native_ids={
                s["id"]: _guid("span", rep["id"], coder, s["id"]) for s in ann.get("spans", [])},
                keep_order=True))
        for ext in exts:
            coder = ext.get("coder", "")
            note_id = _guid("note", rep["id"], coder)
            note = ET.SubElement(notes, _q("Note"), {"guid": note_id, "name": _NOTE_PREFIX + coder,
                                                     "creationDateTime": now})
            ET.SubElement(note, _q("PlainTextContent")).text = json.dumps(ext, ensure_ascii=False)
            refs.append(note_id)
        for ref in refs:
            ET.SubElement(source, _q("NoteRef"), {"targetGUID": ref})
        n += 1
    if not len(users):
        project.remove(users)
    project.append(notes)
    data = _tostring(project, NS)
    with atomic_binary_file(out) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", data)
        for sid, text in texts.items():
            zf.writestr(f"Sources/{sid}.txt", text.encode("utf-8"))
    return n


# ------------------------------------------------------------------ import


def _codes(path: Path, project: Any) -> dict[str, tuple[str, str | None, str | None, list[str]]]:
    """What a coding with each code means, read as a .qdc codebook is (io/qdc.py): code guid ->
    (span type id, attribute, value, the names from the code up)."""
    from annotator.core.codebook import CodebookError
    from annotator.core.io.qdc import NS_PROJECT, Problems, code_targets, read_codes

    book = project.find(_q("CodeBook"))
    if book is None:
        return {}
    problems = Problems()
    codes = read_codes(book, NS_PROJECT, problems, {})
    if problems.issues:
        raise ImportProblem(path, "project.qde: " + str(CodebookError("the CodeBook",
                                                                      problems.issues)))
    return code_targets(codes)


def _span_type(codebook: Codebook, target: tuple[str, str | None, str | None, list[str]],
               where: str) -> str:
    """The project's span type for a code: the id a .qdc import gives it, else its own name,
    else a parent's (a child code under a span type's code)."""
    type_id, attr, _, names = target
    candidates = [type_id, *(names[1:] if attr is not None else names)]
    first: FormatError | None = None
    for name in candidates:
        try:
            return span_type_id(codebook, name, where)
        except FormatError as exc:
            first = first or exc
    assert first is not None
    raise first


def _source_text(zf: zipfile.ZipFile, source: Any, where: str) -> str:
    content = source.find(_q("PlainTextContent"))
    if content is not None and content.text:
        return str(content.text)
    path = source.get("plainTextPath", "")
    if not path.startswith("internal://"):
        raise FormatError(where, f"plainTextPath {path!r}: only internal:// sources can be read")
    name = path[len("internal://"):]
    for candidate in (f"Sources/{name}", f"sources/{name}", name):
        try:
            data = zf.read(candidate)
        except KeyError:
            continue
        return data.decode("utf-8-sig")
    raise FormatError(where, f"{path} is not in the archive")


def read_qdpx(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportProblem(path, f"not a .qdpx archive: {exc}") from exc
    with zf:
        from annotator.core.codebook import CodebookError
        from annotator.core.io.qdc import parse_xml

        try:
            project = parse_xml(zf.read("project.qde"), "project.qde")
        except KeyError as exc:
            raise ImportProblem(path, "no project.qde in the archive") from exc
        except CodebookError as exc:
            raise ImportProblem(path, "; ".join(f"project.qde: {i}" for i in exc.issues)) from exc
        if project.tag != _q("Project"):
            raise ImportProblem(path, f"project.qde: the root is {project.tag}, not a REFI-QDA Project")
        codes = _codes(path, project)
        try:
            return _records(zf, project, codebook, codes)
        except FormatError as exc:
            raise ImportProblem(path, f"project.qde: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ImportProblem(path, f"a source is not UTF-8: {exc.reason}") from exc


def _records(zf: zipfile.ZipFile, project: Any, codebook: Codebook,
             codes: Mapping[str, tuple[str, str | None, str | None, list[str]]],
             ) -> list[dict[str, Any]]:
    users = {u.get("guid", ""): u.get("name", "") for u in project.iter(_q("User"))}
    notes = {}
    for note in project.iter(_q("Note")):
        content = note.find(_q("PlainTextContent"))
        if (note.get("name") or "").startswith(_NOTE_PREFIX) and content is not None:
            try:
                notes[note.get("guid", "")] = json.loads(content.text or "null")
            except json.JSONDecodeError as exc:
                raise FormatError(f"Note {note.get('guid')}", f"not JSON: {exc.msg}") from exc
    records = []
    sources = project.find(_q("Sources"))
    for k, source in enumerate(sources.findall(_q("TextSource")) if sources is not None else [], 1):
        where = f"TextSource {source.get('name') or source.get('guid')}"
        text = _source_text(zf, source, where)
        anns: dict[str, dict[str, Any]] = {}
        for sel in source.findall(_q("PlainTextSelection")):
            at = f"{where}, selection {sel.get('guid')}"
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                raise FormatError(at, "startPosition and endPosition must be whole numbers") from None
            if not 0 <= start < end <= len(text):
                raise FormatError(at, f"positions {start}-{end} are outside the text (0-{len(text)})")
            by_coder: dict[str, list[tuple[str, str | None, str | None]]] = {}
            for coding in sel.findall(_q("Coding")):
                ref = coding.find(_q("CodeRef"))
                target = codes.get(ref.get("targetGUID", "") if ref is not None else "")
                if not target:
                    raise FormatError(at, "a coding without a known code")
                user = coding.get("creatingUser") or sel.get("creatingUser") or ""
                type_id = _span_type(codebook, target, at)
                by_coder.setdefault(users.get(user) or "qda", []).append(
                    (type_id, target[1], target[2]))
            for coder, coded in by_coder.items():
                ann = anns.setdefault(coder, {"coder": coder, "status": "done", "spans": [],
                                              "claims": []})
                types = list(dict.fromkeys(t for t, _, _ in coded))
                for type_id in types:
                    # "attribute=value" codes under this type's code
                    attrs = {a: v for t, a, v in coded if a is not None and t == type_id}
                    sid = sel.get("guid", "")
                    ann["spans"].append({"id": sid if len(types) == 1 else f"{sid}-{type_id}",
                                         "type": type_id, "start": start, "end": end,
                                         "text": text[start:end], "attributes": attrs})
        report: dict[str, Any] = {"id": source.get("name") or f"qdpx-{k}", "text": text}
        refs = [r.get("targetGUID", "") for r in source.findall(_q("NoteRef"))]
        exts = [notes[r] for r in refs if isinstance(notes.get(r), dict)]
        for ext in exts:
            coder = ext.get("coder")
            if coder is None:
                apply_extension(report, {"spans": []}, ext, where)
            elif coder in anns:
                apply_extension(report, anns[coder], ext, where)
            else:  # a coder whose spans were all removed in the other tool
                anns[coder] = {"coder": coder, "status": "done", "spans": [], "claims": []}
                apply_extension(report, anns[coder], ext, where)
        order = [e.get("coder") for e in exts]
        ranked = sorted(anns.values(), key=lambda a: order.index(a["coder"])
                        if a["coder"] in order else len(order))
        records.append({"report": report, "annotations": ranked})
    return records
