"""The glossary options every command that reads a glossary shares."""

from __future__ import annotations

import argparse

from ..glossary.store import ENV_GLOSSARY, Glossary


def add_glossary_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--glossary FILE`` (repeatable; later files win) and ``--no-default-glossary``."""
    parser.add_argument(
        "--glossary",
        metavar="FILE",
        action="append",
        default=[],
        help="a glossary file layered over the default one (repeatable; later files win per term)",
    )
    parser.add_argument(
        "--no-default-glossary",
        action="store_true",
        help=f"do not read the shipped glossary (glossary/policy.tsv, or ${ENV_GLOSSARY})",
    )


def load_glossary_from_args(args: argparse.Namespace) -> Glossary:
    """The glossary that ``--glossary`` / ``--no-default-glossary`` describe."""
    return Glossary.load(
        getattr(args, "glossary", None) or [], default=not getattr(args, "no_default_glossary", False)
    )
