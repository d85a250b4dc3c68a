"""``bulletin evaluate``: BLEU, chrF, term success, figure accuracy and length ratio against a reference.

Imports nothing heavy at module level: sacrebleu and the translator load only when the command runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from .engine_options import add_engine_options, load_translator_from_args
from .glossary_options import add_glossary_options, load_glossary_from_args

DESCRIPTION = """\
Score translations against a reference translation.

  bulletin evaluate --hyp OUT.json [--hyp OTHER.json ...] --ref REF.txt|REF.json
  bulletin evaluate FILE --ref REF --model M [--glossary G ...] [--beams N]

Hypotheses are translated-bulletin JSON files (`bulletin translate --format json`); FILE is a
bulletin translated here first. The sentences scored are all translated sentences (title, subtitle,
headings, bodies) in document order. A plain-text reference has one sentence per line in that order;
a JSON reference ({"sentences": [{"id", "en"}]} or a translated bulletin) is aligned by sentence id.
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "evaluate",
        help="score translations: BLEU, chrF, term success, figure accuracy",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="a bulletin to translate with --model, then score")
    p.add_argument(
        "--hyp",
        action="append",
        default=[],
        metavar="OUT.json",
        help="a translated-bulletin JSON to score (repeat to compare several)",
    )
    p.add_argument(
        "--ref",
        required=True,
        metavar="REF",
        help="reference: plain text (one sentence per line) or JSON with sentence ids",
    )
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default table)"
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of stdout")
    p.add_argument(
        "--terms-from",
        metavar="JSON",
        help="score term success on this translated bulletin's glossary matches "
        "(default: the first hypothesis that has any)",
    )
    p.add_argument(
        "--case-sensitive-terms",
        action="store_true",
        help="match term renderings case-sensitively (default: case-insensitive)",
    )
    g = p.add_argument_group("translating FILE")
    add_engine_options(g, model_default=None, progress=False)
    add_glossary_options(g)
    p.set_defaults(func=run)
    return p


def _translated(args: argparse.Namespace) -> Any:
    """Translate ``args.file`` with the requested model and glossary; a Hypothesis for it."""
    from ..evaluate import hypothesis_from_dict

    if not args.model:
        raise UsageError("evaluate FILE needs --model M (the model to translate FILE with)")
    from ..api import read_document

    glossary = load_glossary_from_args(args)
    doc = read_document(args.file, glossary=glossary)  # bad input fails before the model loads
    doc = load_translator_from_args(args, glossary).translate_document(doc)
    return hypothesis_from_dict(doc.to_dict(), f"{args.file} [{args.model}]")

def run(args: argparse.Namespace) -> int:
    from ..evaluate import evaluate, format_json, format_table, load_hypothesis, load_reference
    from ..output import emit

    if not args.file and not args.hyp:
        raise UsageError("nothing to score: give FILE (with --model) or --hyp OUT.json")
    if not args.file and (args.model or args.glossary or args.no_default_glossary):
        raise UsageError("--model, --glossary and --no-default-glossary apply only with FILE")
    ref = load_reference(args.ref)
    hyps = [load_hypothesis(p) for p in args.hyp]
    terms_from = load_hypothesis(args.terms_from) if args.terms_from else None
    if args.file:
        hyps.insert(0, _translated(args))
    ev = evaluate(hyps, ref, terms_from=terms_from, case_sensitive=args.case_sensitive_terms)
    emit(format_json(ev) if args.format == "json" else format_table(ev), args.output)
    return 0
