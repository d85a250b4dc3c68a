"""Where command output goes: stdout, or a file written atomically with ``-o``."""

from __future__ import annotations

import sys

from .atomic import write_atomic


def emit(text: str, out: str | None) -> None:
    """Write ``text`` to ``out`` atomically, or to stdout when ``out`` is None or "-"."""
    if not text.endswith("\n"):
        text += "\n"
    if out and out != "-":
        write_atomic(out, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
