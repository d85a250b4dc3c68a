"""Where command output goes: stdout, or ``-o`` written safely (see ``atomic.write_atomic``)."""

from __future__ import annotations

import sys

from .atomic import write_atomic


def emit(text: str, out: str | None) -> None:
    """Write ``text`` to ``out`` (atomically for a regular file, through for a FIFO or device), or to
    stdout when ``out`` is None or "-"."""
    if not text.endswith("\n"):
        text += "\n"
    if out and out != "-":
        write_atomic(out, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
