"""``bulletin parse``: read a bulletin into its structured, normalized document (JSON, Markdown, text)."""

from __future__ import annotations

import argparse
import sys

from ..output import emit, emit_json
from .glossary_options import add_glossary_options, load_glossary_from_args

FORMATS = ("json", "md", "text")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "parse",
        help="read a bulletin into a structured document (header, sections, points, sentences, figures)",
        description="Read a bulletin (UTF-8, UTF-16, GB18030 or Big5; traditional or simplified) and print "
        "its structure: header, title, lead, sections, points, sentences with ids and offsets, figures, "
        "footer. Use - to read stdin.",
    )
    p.add_argument("file", metavar="FILE", help="bulletin text file, or - for stdin")
    p.add_argument(
        "--format", choices=FORMATS, help="output format (default: from -o's extension, else json)"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write here (atomically) instead of stdout")
    p.add_argument("--verbose", action="store_true", help="report encoding, script and counts on stderr")
    p.add_argument("--keep-boilerplate", action="store_true",
                   help="also translate the page furniture set aside (navigation, share links, copyright...)")
    add_glossary_options(p)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..api import read_document
    from ..outputs import choose_format
    from ..render.structure_view import to_markdown, to_text

    args.format = choose_format(args.format, args.output, default="json", allowed=FORMATS)
    glossary = load_glossary_from_args(args)
    doc = read_document(args.file, glossary=glossary, keep_boilerplate=args.keep_boilerplate)
    if args.verbose:
        sents = doc.sentences()
        trad = "yes" if doc.traditional else "no"
        print(
            f"bulletin: {doc.source}: encoding {doc.encoding}, traditional {trad}, "
            f"{len(doc.iter_sections())} sections, {sum(len(s.points) for s in doc.iter_sections())} points, "
            f"{len(sents)} sentences, {sum(len(s.figures) for s in sents)} figures",
            file=sys.stderr,
        )
    if args.format == "json":
        emit_json(doc.lazy_dict(), args.output)  # streamed: a 20 MB bulletin's JSON is never one string
        return 0
    if args.format == "md":
        out = to_markdown(doc)
    else:
        out = to_text(doc)
    emit(out, args.output)
    return 0
