"""``bulletin summarize``: English extractive summaries per section; only picked sentences are translated."""

from __future__ import annotations

import argparse

from ..output import emit
from ..outputs import choose_format
from .engine_options import add_engine_options, finish_qa, load_translator_from_args, progress_bar, report_qa
from .glossary_options import add_glossary_options, load_glossary_from_args

FORMATS = ("md", "text", "json", "html")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "summarize",
        help="English extractive summary of the lead and each section",
        description="Rank each section's sentences in Chinese (key figures and target "
        "years, fact wording, each unit's first statement; slogans and boilerplate penalised, redundancy "
        "too), then translate only the picked sentences under the same guarantees.",
    )
    p.add_argument("input", metavar="FILE", help="bulletin file, or - for stdin")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default stdout)")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from -o's extension, else md)")
    p.add_argument("--show-source", action="store_true", help="put the Chinese under each English sentence")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--sentences", type=int, metavar="K", help="sentences per section")
    size.add_argument("--ratio", type=float, metavar="R", help="share of each section's sentences (0-1]")
    p.add_argument("--overall", type=int, metavar="N", help="also an overall summary of N sentences")
    p.add_argument("--strict", action="store_true", help="exit 1 when QA finds any violation")
    add_engine_options(p)
    p.add_argument("--keep-boilerplate", action="store_true",
                   help="also translate the page furniture set aside (navigation, share links, copyright...)")
    add_glossary_options(p)
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from ..api import read_document
    from ..render import summary as render_summary
    from ..summarize.select import check_params

    check_params(args.sentences, args.ratio, args.overall)  # before any reading
    args.format = choose_format(args.format, args.output, default="md", allowed=FORMATS)
    glossary = load_glossary_from_args(args)
    # bad input fails before the model loads
    doc = read_document(args.input, glossary=glossary, keep_boilerplate=args.keep_boilerplate)
    translator = load_translator_from_args(args, glossary)
    with progress_bar(args, doc) as bar:
        translator.summarize(doc, sentences=args.sentences, ratio=args.ratio, overall=args.overall,
                             progress=bar)
    if args.format == "json":
        text = render_summary.to_json(doc)
    elif args.format == "text":
        text = render_summary.to_text(doc, show_source=args.show_source)
    elif args.format == "html":
        from ..render.html import to_html

        text = to_html(doc)
    else:
        text = render_summary.to_markdown(doc, show_source=args.show_source)
    emit(text, args.output)
    finish_qa(args, report_qa(doc, args, name="stdin" if args.input == "-" else args.input))
    return 0
