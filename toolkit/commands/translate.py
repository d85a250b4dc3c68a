"""``bulletin translate``: bulletins into English under the glossary, with guaranteed terms and figures."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError
from ..output import emit
from .engine_options import add_engine_options, finish_qa, load_translator_from_args, progress_bar, report_qa
from .glossary_options import add_glossary_options, load_glossary_from_args

if TYPE_CHECKING:
    from ..doc import Document

FORMATS = {"md": ".md", "text": ".txt", "json": ".json", "bilingual": ".md", "html": ".html"}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "translate",
        help="translate bulletins into English (terms and figures guaranteed, then checked)",
        description="Translate one or more bulletins. With several inputs (or a directory), the model "
        "loads once and -o names an output directory. QA runs on every sentence; --strict makes any "
        "violation exit 1.",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="FILE", help="bulletin file(s), a directory of .txt files, or -"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file (one input) or directory (several)")
    p.add_argument("--format", choices=sorted(FORMATS), default="md", help="output format (default md)")
    p.add_argument(
        "--with-summary",
        action="store_true",
        help="add per-section English summaries (sentences translated once)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when QA finds any violation")
    add_engine_options(p)
    add_glossary_options(p)
    p.set_defaults(func=run)
    return p


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given; a directory contributes its *.txt files in name order."""
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            found = sorted(str(p) for p in path.glob("*.txt"))
            if not found:
                raise InputError(f"{item}: directory has no .txt bulletins")
            out += found
        else:
            out.append(item)
    return out


def render(doc: Document, fmt: str, *, with_summary: bool) -> str:
    """The document in the requested output format."""
    from ..render import english

    if fmt == "json":
        return english.to_json(doc)
    if fmt == "bilingual":
        return english.to_bilingual(doc)
    if fmt == "text":
        return english.to_text(doc, with_summary=with_summary)
    if fmt == "html":
        from ..render.html import to_html

        return to_html(doc)
    return english.to_markdown(doc, with_summary=with_summary)


def run(args: argparse.Namespace) -> int:
    from ..api import read_document

    inputs = expand_inputs(args.inputs)
    many = len(inputs) > 1
    if many and not args.output:
        raise UsageError("several inputs need -o DIR for their outputs")
    glossary = load_glossary_from_args(args)
    docs = [
        (src, read_document(src, glossary=glossary)) for src in inputs
    ]  # bad input fails before the model loads
    translator = load_translator_from_args(args, glossary)  # matching is done: the segmenter is freed first
    violations = 0
    with_summary = args.with_summary or args.format == "html"  # the review page shows section summaries
    for src, doc in docs:
        if with_summary:
            from ..summarize import summarize

            summarize(doc)
        with progress_bar(args, doc) as bar:
            translator.translate_document(doc, progress=bar)
        text = render(doc, args.format, with_summary=with_summary)
        if many:
            emit(text, str(Path(args.output) / (Path(src).stem + FORMATS[args.format])))
        else:
            emit(text, args.output)
        violations += report_qa(doc, args, name="stdin" if src == "-" else src)
    finish_qa(args, violations)
    return 0
