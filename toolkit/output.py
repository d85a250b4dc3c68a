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


def emit_json(value: object, out: str | None) -> None:
    """Write ``value`` as indented JSON to ``out`` (atomically) or stdout, streamed in chunks: the whole
    text of a 20 MB bulletin's JSON is never held in memory at once."""
    import json
    import os
    import tempfile
    from pathlib import Path

    from .errors import OutputError

    chunks = _json_chunks(value, json.JSONEncoder(ensure_ascii=False, indent=2))

    def pump(write) -> None:
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
    # the same rules as atomic.write_atomic, streamed: no package writes, no directories, streams
    # written through, a symlink's target replaced (the link stays), a regular file replaced atomically
    from .atomic import is_stream
    from .paths import refuse_package_write

    refuse_package_write(Path(os.path.realpath(out)))
    if Path(out).is_dir():
        raise OutputError(f"cannot write {out}: is a directory")
    if is_stream(out):
        try:
            with os.fdopen(
                os.open(out, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)), "w", encoding="utf-8"
            ) as fh:
                pump(fh.write)
        except OSError as e:
            raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
        return
    target = Path(os.path.realpath(out)) if os.path.islink(out) else Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            pump(fh.write)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
