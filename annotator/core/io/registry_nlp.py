"""The other tools' formats in the registry (registry.py): Label Studio, doccano, spaCy, CoNLL,
UIMA CAS XMI, WebAnno TSV and REFI-QDA. Each entry imports its module only when it runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.codebook import Codebook
from annotator.core.io.registry import Exporter, ExportJob, Importer, Option, register
from annotator.core.io.textfile import ImportProblem


def _records(read: Callable[[Path, Codebook], list[dict[str, Any]]]) -> Callable[..., Any]:
    def run(path: Path, codebook: Codebook) -> Iterator[tuple[int | None, Any]]:
        from annotator.core.io.standoff import FormatError

        try:
            records = read(path, codebook)
        except FormatError as exc:
            raise ImportProblem(path, str(exc)) from exc
        for record in records:
            yield None, record  # the record's own ids name the place of a problem

    return run


def _first_json(path: Path) -> Any:
    """The file's JSON object, or the first item of its top-level list (from the first
    megabyte only), or None when that does not parse."""
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            head = fh.read(1 << 20)
    except (OSError, UnicodeDecodeError):
        return None
    body = head.lstrip()
    listed = body.startswith("[")
    if listed:
        body = body[1:].lstrip()
    try:
        value, _end = json.JSONDecoder().raw_decode(body)
    except json.JSONDecodeError:
        return None
    return [value] if listed else value


def _read_labelstudio(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.labelstudio import read_labelstudio

    return read_labelstudio(path, codebook)


def _is_labelstudio(path: Path) -> bool:
    from annotator.core.io.labelstudio import looks_like_labelstudio
    from annotator.core.io.spacy_format import looks_like_spacy_json

    value = _first_json(path)
    # a file that does not parse goes to Label Studio's reader, which says where it breaks
    return value is None or looks_like_labelstudio(value) or not looks_like_spacy_json(value)


def _write_labelstudio(job: ExportJob) -> str:
    from annotator.core.io.labelstudio import write_labelstudio

    assert job.target is not None
    n = write_labelstudio(job.records, job.codebook, job.target)
    config = job.target.with_name(job.target.stem + ".label_config.xml")
    return f"{n} task(s), labeling config in {config.name}"


def _read_doccano(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.doccano import read_doccano

    return read_doccano(path, codebook)


def _is_doccano(path: Path) -> bool:
    from annotator.core.io.doccano import looks_like_doccano

    return looks_like_doccano(path)


def _write_doccano(job: ExportJob) -> str:
    from annotator.core.io.doccano import write_doccano

    assert job.target is not None
    return f"{write_doccano(job.records, job.codebook, job.target)} line(s)"


def _read_spacy(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.spacy_format import read_docbin, read_spacy_json

    if path.suffix.lower() == ".json":
        return read_spacy_json(path, codebook)
    return read_docbin(path, codebook)


def _is_spacy(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return True
    from annotator.core.io.spacy_format import looks_like_spacy_json

    return looks_like_spacy_json(_first_json(path))


def _write_spacy(job: ExportJob) -> str:
    """A DocBin, or Doc.to_json() objects when the target ends in .json."""
    from annotator.core.io.spacy_format import write_docbin, write_spacy_json

    assert job.target is not None
    if job.target.suffix.lower() == ".json":
        return f"{write_spacy_json(job.records, job.codebook, job.target)} Doc(s) as JSON"
    return f"{write_docbin(job.records, job.codebook, job.target)} Doc(s) in a DocBin"


def _read_conll(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.conll import read_conll

    return read_conll(path, codebook)


def _write_conll(job: ExportJob) -> str:
    from annotator.core.io.conll import write_conll

    assert job.target is not None
    n = write_conll(job.records, job.codebook, job.target, job.options.get("tokenizer", "punct"))
    return f"{n} document(s)"


def _read_xmi(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.xmi import read_xmi

    return read_xmi(path, codebook)


def _write_xmi(job: ExportJob) -> str:
    from annotator.core.io.xmi import write_xmi

    assert job.target is not None
    return f"{write_xmi(job.records, job.codebook, job.target)} .xmi file(s) and TypeSystem.xml"


def _read_qdpx(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.qdpx import read_qdpx

    return read_qdpx(path, codebook)


def _write_qdpx(job: ExportJob) -> str:
    from annotator.core.io.qdpx import write_qdpx

    assert job.target is not None
    n = write_qdpx(job.records, job.codebook, job.target)
    return f"{n} code(s)" if job.target.suffix.lower() == ".qdc" else f"{n} text source(s)"


_TOKENIZER = Option("tokenizer", "Tokenizer",
                    "how the text is cut into tokens (punct: words and punctuation marks; spacy "
                    "needs annotator[spacy]); tokens are also cut at span edges",
                    ("punct", "whitespace", "spacy"), "punct")

for _fmt in (
    Exporter("labelstudio", "Label Studio tasks (.json)", _write_labelstudio, (".json",),
             help="Label Studio JSON tasks and a labeling config"),
    Importer("labelstudio", "Label Studio tasks", (".json",), _records(_read_labelstudio),
             sniff=_is_labelstudio),
    Exporter("doccano", "doccano JSONL (.jsonl)", _write_doccano, (".jsonl",),
             help="doccano JSONL, entities and relations"),
    Importer("doccano", "doccano JSONL", (".jsonl",), _records(_read_doccano), sniff=_is_doccano),
    Exporter("spacy", "spaCy DocBin (.spacy; .json: Doc.to_json)", _write_spacy, (".spacy",),
             help="spaCy DocBin, or Doc JSON for a .json target (needs annotator[spacy])"),
    Importer("spacy", "spaCy DocBin or Doc JSON", (".spacy", ".json"), _records(_read_spacy),
             sniff=_is_spacy),
    Exporter("conll", "CoNLL / BIO token tags (.conll)", _write_conll, (".conll",),
             options=(_TOKENIZER,), help="CoNLL 2003 style token tags (IOB2)"),
    Importer("conll", "CoNLL / BIO token tags", (".conll", ".bio", ".iob"), _records(_read_conll)),
    Exporter("xmi", "UIMA CAS XMI for INCEpTION (a new folder)", _write_xmi, (".xmi",),
             target="new_folder", help="UIMA CAS XMI files with TypeSystem.xml (INCEpTION)"),
    Importer("xmi", "UIMA CAS XMI (INCEpTION, DKPro)", (".xmi",), _records(_read_xmi)),
    Exporter("qdpx", "REFI-QDA project (.qdpx; .qdc: the codebook)", _write_qdpx,
             (".qdpx", ".qdc"), help="REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder"),
    Importer("qdpx", "REFI-QDA project", (".qdpx",), _records(_read_qdpx)),
):
    register(_fmt)


# ------------------------------------------------------------------ WebAnno TSV (webanno.py)


def _read_webanno(path: Path, codebook: Codebook) -> list[dict[str, Any]]:
    from annotator.core.io.webanno import read_webanno

    return read_webanno(path, codebook)


def _is_webanno(path: Path) -> bool:
    from annotator.core.io.webanno import looks_like_webanno

    return looks_like_webanno(path)


def _write_webanno(job: ExportJob) -> str:
    from annotator.core.io.webanno_export import write_webanno

    assert job.target is not None
    return f"{write_webanno(job.records, job.codebook, job.target)} .tsv file(s)"


register(Exporter("webanno", "WebAnno TSV 3.3 for INCEpTION (a new folder)", _write_webanno,
                  (".tsv",), target="new_folder",
                  help="WebAnno TSV 3.3 files for INCEpTION, one per report and coder"))
register(Importer("webanno", "WebAnno TSV 3.2/3.3 (INCEpTION)", (".tsv",),
                  _records(_read_webanno), sniff=_is_webanno))
