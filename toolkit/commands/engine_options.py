"""Options shared by the commands that translate (translate, summarize, evaluate): one DecodeOptions."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..translate.model_store import DEFAULT_MODEL

if TYPE_CHECKING:
    from ..api import Translator
    from ..doc import Document
    from ..glossary.store import Glossary
    from ..translate.options import DecodeOptions


def add_engine_options(
    p: argparse.ArgumentParser | argparse._ArgumentGroup,
    *,
    model_default: str | None = DEFAULT_MODEL,
    progress: bool = True,
) -> None:
    """``--model`` and the decoding flags; ``model_default=None`` makes --model optional without a
    default (evaluate translates only when given a FILE); ``progress=False`` drops ``--quiet``."""
    g = p.add_argument_group("model and decoding") if isinstance(p, argparse.ArgumentParser) else p
    where = "(default: %(default)s, from the models folder)" if model_default else "to translate FILE with"
    g.add_argument(
        "--model", default=model_default, metavar="M", help=f"local model folder or hub id {where}"
    )
    g.add_argument("--beams", type=int, default=4, metavar="N", help="beam size (default 4; 1 = greedy)")
    g.add_argument(
        "--batch-size", type=int, default=8, metavar="N", help="sentences decoded together (default 8)"
    )
    g.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N or mps")
    g.add_argument(
        "--quantize",
        choices=["none", "int8"],
        default=None,
        help="int8: per-channel int8 linears and embedding, the default on the CPU (on the trained reference "
        "model 85%% of outputs identical to fp32, BLEU +0.06; see README); none: fp32, the default on cuda",
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
    g.add_argument(
        "--length-penalty",
        type=float,
        default=1.0,
        metavar="X",
        help="finished translations are ranked by log-probability / length ** X (default 1.0; lower favours "
        "shorter output)",
    )
    g.add_argument(
        "--max-len-ratio",
        type=float,
        default=2.0,
        metavar="X",
        help="at most X target tokens per source token, plus --margin (default 2.0)",
    )
    g.add_argument("--margin", type=int, default=10, metavar="N", help="see --max-len-ratio (default 10)")
    g.add_argument(
        "--min-len-ratio",
        type=float,
        default=0.3,
        metavar="X",
        help="no end of sentence before X target tokens per source token (default 0.3)",
    )
    g.add_argument(
        "--figures",
        choices=["verbatim", "english"],
        default="verbatim",
        help="how figures read in English: verbatim (default: the source's digits, 23.4 hundred million "
        "yuan) or english (2.34 billion yuan)",
    )
    if progress:
        g.add_argument("--quiet", action="store_true", help="no progress bar and no QA summary line")


#: --device values: the CPU, CUDA (optionally numbered) or Apple's MPS
DEVICE = re.compile(r"cpu|cuda(:\d+)?|mps")


def decode_options_from_args(args: argparse.Namespace) -> DecodeOptions:
    """The DecodeOptions the flags describe (UsageError, exit 2, naming the flag, for bad values)."""
    from ..errors import UsageError
    from ..translate.options import DecodeOptions, check

    values = {
        "beams": args.beams,
        "batch_size": args.batch_size,
        "threads": args.threads,
        "length_penalty": args.length_penalty,
        "max_len_ratio": args.max_len_ratio,
        "margin": args.margin,
        "min_len_ratio": args.min_len_ratio,
        "quantize": args.quantize or "auto",  # DecodeOptions: int8 on the CPU, fp32 elsewhere
        "device": args.device,
        "shortlist": args.shortlist,
    }
    problems = check(values)
    if not DEVICE.fullmatch(args.device or ""):
        problems.append(("device", f"{args.device!r} is not a device (use cpu, cuda, cuda:N or mps)"))
    if problems:
        raise UsageError("; ".join(f"--{name.replace('_', '-')} {why}" for name, why in problems))
    return DecodeOptions(**values)


def load_translator_from_args(args: argparse.Namespace, glossary: Glossary) -> Translator:
    """A Translator for ``--model`` and the decoding flags, with the glossary already loaded."""
    from ..api import Translator

    options = decode_options_from_args(args)  # bad values fail before the model loads
    return Translator.load(args.model, glossary=glossary, options=options,
                           figures=getattr(args, "figures", "verbatim"))


@contextlib.contextmanager
def progress_bar(args: argparse.Namespace, doc: Document) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on stderr that appears only after a second, and never when quiet or not a terminal."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
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
    from ..check import qa_summary_line, unencodable_warning

    warning = unencodable_warning(doc, args.model)
    if warning:
        print(f"bulletin: warning: {warning}", file=sys.stderr)
    totals = doc.meta["qa"]
    if not getattr(args, "quiet", False):
        print(f"{name}: {qa_summary_line(totals)}" if name else qa_summary_line(totals), file=sys.stderr)
    return int(totals["violations"])


def finish_qa(args: argparse.Namespace, violations: int) -> None:
    """Under --strict, any QA violation ends the command with exit code 1 (after the output is written)."""
    from ..errors import FindingsError

    if args.strict and violations:
        raise FindingsError(f"QA found {violations} violation(s) (--strict)")
