"""``bulletin model``: fetch a model from the hub, list installed models, build the tiny demo model."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import ModelError, UsageError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "model",
        help="fetch, list or build translation models",
        description="Manage the MarianMT models under models/ (or $BULLETIN_MODELS).",
    )
    msub = p.add_subparsers(dest="model_command", metavar="ACTION", parser_class=type(p))
    f = msub.add_parser(
        "fetch",
        help="download a model from the Hugging Face hub (honours HF_ENDPOINT, HF_HOME, HF_HUB_OFFLINE)",
    )
    f.add_argument("id", nargs="?", default=None, help="hub id (default: Helsinki-NLP/opus-mt-zh-en)")
    f.add_argument("--revision", default=None, help="branch, tag or commit")
    f.set_defaults(func=run_fetch)
    ls = msub.add_parser("list", help="show installed models")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)
    t = msub.add_parser("tiny", help="build the tiny random-weight model (tests, demos)")
    t.add_argument("out", help="output folder")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--force", action="store_true", help="build into a folder that already holds files")
    t.set_defaults(func=run_tiny)
    p.set_defaults(func=lambda args: _usage(p))
    return p


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def run_fetch(args: argparse.Namespace) -> int:
    from ..translate.model_store import DEFAULT_MODEL, fetch

    path = fetch(args.id or DEFAULT_MODEL, revision=args.revision)
    print(path)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from ..translate.model_store import DEFAULT_MODEL, list_models, models_dir

    models = list_models()
    if args.json:
        print(json.dumps(models, indent=2))
        return 0
    if not models:
        print(f"no models in {models_dir()}; run `bulletin model fetch` to install {DEFAULT_MODEL}")
        return 0
    print(f"{'NAME':24s} {'ID':32s} {'REVISION':12s} {'SIZE':>11s}  FETCHED")
    for m in models:
        rev = (m["revision"] or "-")[:12]
        print(f"{m['name']:24s} {m['id']:32s} {rev:12s} {m['size'] / 1e6:8.1f} MB  {m['architecture']:18s} "
              f"{m['fetched_at'] or '-'}")
    return 0


def run_tiny(args: argparse.Namespace) -> int:
    from ..translate.tiny import build_tiny_model

    try:
        print(build_tiny_model(Path(args.out), seed=args.seed, force=args.force))
    except FileExistsError:
        raise UsageError(f"{args.out} is not empty; use --force to build the tiny model over it") from None
    except OSError as e:
        raise ModelError(f"cannot build the tiny model in {args.out}: {e.strerror or e}") from None
    return 0
