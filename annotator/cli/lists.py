"""The actor list, and the scan that suggests spans (actors, places, dates) for a text file."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import fail
from annotator.core.project import Project


def actors(project: Project, args: argparse.Namespace) -> int:
    from annotator.core.normalize import ActorCsvError

    if args.actors_command == "import":
        try:
            added, updated = project.import_actors(args.file)
        except (ActorCsvError, OSError) as exc:
            return fail(f"{exc}; no actor was imported")
        print(f"{args.file}: {added} actor(s) added, {updated} updated")
    elif args.actors_command == "export":
        n = project.export_actors(args.file)
        print(f"{args.file}: {n} actor(s) written")
    else:
        entries = project.actors()
        for e in entries:
            print(f"{e.canonical:<40} {e.type or '-':<28} {e.country or '-':<3} {' | '.join(e.aliases)}")
        print(f"{len(entries)} actor(s)")
    return 0


def suggest(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from annotator.core import values
    from annotator.core.codebook import load_default_codebook
    from annotator.core.io.textfile import ImportProblem, read_text_file
    from annotator.core.normalize import (
        ActorCsvError,
        ActorList,
        Gazetteer,
        read_actors_csv,
        suggest_spans,
    )

    try:
        doc = read_text_file(args.file)
    except ImportProblem as exc:
        return fail(str(exc))
    published = None
    if args.published:
        try:
            published = dt.date.fromisoformat(args.published)
        except ValueError:
            return fail(f"--published {args.published!r} is not a date (YYYY-MM-DD)")
    actors = None
    if args.actors:
        try:
            actors = ActorList(read_actors_csv(args.actors))
        except (ActorCsvError, OSError) as exc:
            return fail(str(exc))
    gazetteer = Gazetteer.default() if Gazetteer.available() else None
    found = suggest_spans(doc.text, published, actors, gazetteer, None, args.day_first)
    codebook = load_default_codebook() if not args.json else None
    for s in found:
        assert doc.text[s.start : s.end] == s.text
        if args.json:
            print(json.dumps({"type": s.type, "start": s.start, "end": s.end, "text": s.text,
                              "attributes": s.attributes}, ensure_ascii=False))
        else:  # the codebook's labels and values as people read them
            st = codebook.span_type(s.type) if codebook else None
            shown = []
            for k, v in s.attributes.items():
                ad = st.attribute(k) if st else None
                shown.append(f"{ad.label}: {values.text_of(ad, v)}" if ad else f"{k}: {v}")
            print(f"{s.start:>7}-{s.end:<7} {st.label if st else s.type:<15} {'“' + s.text + '”':<40} "
                  + "; ".join(shown))
    if not args.json:
        print(f"{len(found)} suggestion(s) in {args.file}", file=sys.stderr)
    return 0
