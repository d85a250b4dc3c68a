"""``bulletin translate``: bulletins into English under the glossary, with guaranteed terms and figures.

Outputs are planned (and every clash refused) before any work (``toolkit.outputs``); documents run through
the keep-going batch runner (``toolkit.batch``) in this process or on a Ray cluster (``toolkit.cluster``),
each by the same per-document callable (``toolkit.docjob``).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UsageError
from ..outputs import EXTENSIONS
from .engine_options import add_engine_options, decode_options_from_args, progress_bar
from .glossary_options import add_glossary_options

FORMATS = EXTENSIONS  # output format -> file extension

#: arguments that do not change a document's output (everything else is in the manifest's settings hash,
#: so an option added later - a figure style, say - invalidates --resume without being listed here)
NOT_OUTPUT_OPTIONS = frozenset({
    "inputs", "output", "format", "strict", "quiet", "threads", "func", "command", "fail_fast", "resume",
    "cluster", "workers", "model", "glossary", "no_default_glossary",
})


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "translate",
        help="translate bulletins into English (terms and figures guaranteed, then checked)",
        description="Translate one or more bulletins. With several inputs (or a directory, searched "
        "recursively for .txt files), the model loads once and -o names an output directory that mirrors "
        "the inputs' relative paths and holds manifest.jsonl. Every input is tried: failures are reported "
        "per file and in a final summary (exit 8 when some failed). QA runs on every sentence; --strict "
        "makes any violation exit 1.",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="FILE", help="bulletin file(s), a directory of .txt files, or -"
    )
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file (one input; its extension picks the format) or directory")
    p.add_argument("--format", choices=sorted(FORMATS), default=None,
                   help="output format (default: from -o's extension, else md)")
    p.add_argument(
        "--with-summary",
        action="store_true",
        help="add per-section English summaries (sentences translated once)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when QA finds any violation")
    b = p.add_argument_group("batches")
    b.add_argument("--fail-fast", action="store_true",
                   help="stop at the first failed document (default: try every input, then exit 8)")
    b.add_argument("--resume", action="store_true",
                   help="skip documents that -o DIR/manifest.jsonl records as done with the same input, "
                   "model, glossary and options")
    b.add_argument("--cluster", metavar="ADDRESS",
                   help="run the batch on a Ray cluster (host:port, or 'local' for one on this machine; "
                   "needs `pip install bulletin[cluster]`)")
    b.add_argument("--workers", type=int, metavar="N",
                   help="with --cluster: model copies (actors); default one per --threads cores")
    add_engine_options(p)
    p.add_argument("--keep-boilerplate", action="store_true",
                   help="also translate the page furniture set aside (navigation, share links, copyright...)")
    add_glossary_options(p)
    p.set_defaults(func=run)
    return p


def output_options(args: argparse.Namespace, fmt: str) -> dict[str, Any]:
    """The options that decide a document's output, for the manifest (and its settings hash)."""
    simple = (str, int, float, bool, type(None))
    opts = {k: v for k, v in sorted(vars(args).items())
            if k not in NOT_OUTPUT_OPTIONS and isinstance(v, simple)}
    opts["format"] = fmt
    return opts


def run(args: argparse.Namespace) -> int:
    from ..batch import BatchOptions, LocalExecutor, run_batch
    from ..docjob import DocumentTranslator, Settings
    from ..manifest import Manifest, glossary_identity, model_identity, settings_hash
    from ..outputs import plan

    options = decode_options_from_args(args)  # usage errors before anything is read
    if args.workers is not None and (args.workers < 1 or not args.cluster):
        raise UsageError("--workers needs --cluster and a count of at least 1")
    if args.cluster:
        from ..cluster import require_ray

        require_ray()  # before anything is read or the manifest touched
    layout = plan(args.inputs, args.output, args.format)
    if args.resume and layout.outdir is None:
        raise UsageError("--resume needs -o DIR (it reads DIR/manifest.jsonl)")
    settings = Settings(
        model=args.model, options=options, fmt=layout.fmt, with_summary=args.with_summary,
        glossary=tuple(args.glossary or ()), default_glossary=not args.no_default_glossary,
        figures=args.figures,
        keep_boilerplate=args.keep_boilerplate,
    )
    manifest = record = None
    if layout.outdir is not None:
        from ..glossary.store import Glossary

        glossary = Glossary.load(list(settings.glossary), default=settings.default_glossary)
        model = model_identity(args.model)
        files = glossary_identity(p for p, _ in glossary.files)
        options = output_options(args, layout.fmt)
        record = {"model": model, "glossary": files, "options": options,
                  "settings_sha256": settings_hash(model, files, options)}
        manifest = Manifest(layout.outdir)
    if args.cluster:
        from ..cluster import RayExecutor

        executor: Any = RayExecutor(args.cluster, settings, workers=args.workers)
    else:
        executor = LocalExecutor(DocumentTranslator(settings, progress=lambda doc: progress_bar(args, doc)))
    opts = BatchOptions(fail_fast=args.fail_fast, resume=args.resume, quiet=args.quiet, strict=args.strict,
                        record=record)
    return run_batch(layout.jobs, executor, manifest=manifest, options=opts)
