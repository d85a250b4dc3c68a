"""Where command output goes: stdout, or ``-o`` written safely (see ``atomic.write_atomic``)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from .atomic import write_atomic, write_streamed


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


def emit_json(value: object, out: str | None) -> None:
    """Write ``value`` as indented JSON to ``out`` (see ``atomic.write_streamed``) or stdout, streamed in
    chunks: the whole text of a 20 MB bulletin's JSON is never held in memory at once."""
    import json

    chunks = _json_chunks(value, json.JSONEncoder(ensure_ascii=False, indent=2))

    def pump(write: Callable[[str], object]) -> None:
        buf: list[str] = []
        size = 0
        for c in chunks:
            buf.append(c)
            size += len(c)
            if size > 1 << 20:
                write("".join(buf))
                buf, size = [], 0
        buf.append("\n")
        write("".join(buf))

    if not out or out == "-":
        pump(sys.stdout.write)
        sys.stdout.flush()
        return
    write_streamed(out, lambda write: pump(lambda text: write(text.encode("utf-8"))))


def _json_chunks(value: object, enc, depth: int = 0):
    """``enc.iterencode(value)`` with the same text, but dicts and lists at the top two levels encoded one
    item at a time, so a callable ``value`` part (see :meth:`Document.iter_dict`) is converted lazily."""
    if isinstance(value, dict) and depth < 2 and value:
        pad, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1)
        yield "{"
        for k, (key, v) in enumerate(value.items()):
            yield ("," if k else "") + inner + enc.encode(key) + ": "
            yield from _json_chunks(v() if callable(v) else v, enc, depth + 1)
        yield pad + "}"
    elif isinstance(value, list) and depth < 2 and value:
        pad, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1)
        yield "["
        for k, v in enumerate(value):
            yield ("," if k else "") + inner
            text = enc.encode(v() if callable(v) else v)
            yield text.replace("\n", inner) if "\n" in text else text
        yield pad + "]"
    else:
        text = enc.encode(value)
        yield text.replace("\n", "\n" + "  " * depth) if depth and "\n" in text else text
