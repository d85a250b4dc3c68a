"""The ``bulletin`` command: one parser, one sub-command module each under ``toolkit.commands``.

Sub-command modules are imported here, so they must not import torch or transformers at module
level: ``bulletin --help`` and ``bulletin parse`` never load them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import BulletinError

#: Sub-commands in the order ``--help`` lists them; each is ``toolkit.commands.<name>`` with
#: ``add_parser(subparsers) -> argparse.ArgumentParser`` that sets ``func`` on its parser.
COMMANDS = ("parse", "translate", "summarize", "glossary", "model", "evaluate")

EXIT_INTERNAL = 70


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> Parser:
    parser = Parser(
        prog="bulletin",
        description="Translate Chinese policy bulletins into faithful English under a policy glossary.",
        epilog="Exit codes: 0 ok, 1 findings/QA, 2 usage, 3 unreadable input, 4 bad input, "
        "5 glossary error, 6 model error, 7 cannot write output, 8 some documents of a batch failed "
        "(the others were written), 70 internal error (a bug), 130 interrupted (Ctrl-C).",
    )
    parser.add_argument("--version", action="version", version=f"bulletin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"toolkit.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (never raise, never print a traceback)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except BulletinError as e:
        print(f"bulletin: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("bulletin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); stay quiet like other Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        print(f"bulletin: internal error: {type(e).__name__}: {e} (set BULLETIN_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL
