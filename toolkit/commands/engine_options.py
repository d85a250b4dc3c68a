"""Options shared by the commands that translate (translate, summarize, evaluate)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..doc import Document
    from ..translate.engine import Engine

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"


def add_engine_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model and decoding")
    g.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        metavar="M",
        help="local model folder or hub id (default: %(default)s, from models/opus-mt-zh-en/)",
    )
    g.add_argument("--beams", type=int, default=4, metavar="N", help="beam size (default 4; 1 = greedy)")
    g.add_argument(
        "--batch-size", type=int, default=8, metavar="N", help="sentences decoded together (default 8)"
    )
    g.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    g.add_argument(
        "--quantize",
        choices=["none", "int8"],
        default="none",
        help="dynamic int8 quantization of the linear layers (CPU)",
    )
    g.add_argument(
        "--shortlist",
        type=int,
        metavar="N",
        help="score only the N most frequent English pieces plus all constraint tokens (faster, approximate)",
    )
    g.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="CPU cores to use (default: all available); batches are decoded N at a time, one per core",
    )
    g.add_argument("--quiet", action="store_true", help="no progress bar and no QA summary line")
    p.add_argument(
        "--figures",
        choices=["verbatim", "english"],
        default="verbatim",
        help="how figures read in English: verbatim (default: the source's digits, 23.4 hundred million "
        "yuan) or english (2.34 billion yuan)",
    )


def load_engine_from_args(args: argparse.Namespace) -> Engine:
    from ..errors import UsageError
    from ..translate.engine import Engine

    if args.beams < 1 or args.batch_size < 1:
        raise UsageError("--beams and --batch-size must be at least 1")
    if args.shortlist is not None and args.shortlist < 1:
        raise UsageError("--shortlist must be at least 1")
    if args.threads is not None and args.threads < 1:
        raise UsageError("--threads must be at least 1")
    quantize = None if args.quantize == "none" else args.quantize
    return Engine.load(args.model, device=args.device, quantize=quantize, shortlist=args.shortlist,
                       threads=args.threads)


@contextlib.contextmanager
def progress_bar(args: argparse.Namespace, doc: Document) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on stderr that appears only after a second, and never when quiet or not a terminal."""
    if args.quiet or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(
        total=len(doc.all_sentences()),
        unit="sent",
        delay=1.0,
        file=sys.stderr,
        desc="translating",
        leave=False,
    ) as bar:
        yield bar.update


def report_qa(doc: Document, args: argparse.Namespace, *, name: str | None = None) -> int:
    """Tell stderr what QA found in a translated document (unencodable constraints are never silent,
    the summary line unless --quiet); return its number of violations."""
    from ..check import qa_summary_line

    bad = doc.meta.get("unencodable") or {}
    if bad:
        items = "; ".join(f"{r!r} ({' '.join(chars)})" for r, chars in sorted(bad.items()))
        print(
            f"bulletin: warning: model {args.model} cannot spell {len(bad)} constraint(s): {items}; "
            f"see `bulletin glossary check --model {args.model}`",
            file=sys.stderr,
        )
    totals = doc.meta["qa"]
    if not args.quiet:
        print(f"{name}: {qa_summary_line(totals)}" if name else qa_summary_line(totals), file=sys.stderr)
    return int(totals["violations"])


def finish_qa(args: argparse.Namespace, violations: int) -> None:
    """Under --strict, any QA violation ends the command with exit code 1 (after the output is written)."""
    from ..errors import FindingsError

    if args.strict and violations:
        raise FindingsError(f"QA found {violations} violation(s) (--strict)")
