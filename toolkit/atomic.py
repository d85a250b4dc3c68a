"""Safe file writes: a regular file is replaced atomically (temp file in its folder, fsync, rename); a FIFO,
a character device or ``/dev/stdout`` is written through, never replaced by a file; a symlink is followed
and its target replaced, so the link stays a link."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

#: paths that name a stream (a terminal, a pipe, the process's own descriptors): written through
_STREAM_PREFIXES = ("/dev/", "/proc/")


#: a writer of one chunk of bytes, handed to a pump that produces the content chunk by chunk
Write = Callable[[bytes], object]


def _write_through(path: str, pump: Callable[[Write], None]) -> None:
    """Write into an existing non-regular file (FIFO, device, descriptor) without creating or renaming."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:

            def write(raw: bytes) -> None:
                view = memoryview(raw)
                while view:
                    view = view[os.write(fd, view):]

            pump(write)
        finally:
            os.close(fd)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is not a regular file (after symlinks), or names /dev or /proc."""
    p = os.fspath(path)
    if p.startswith(_STREAM_PREFIXES):
        return True
    try:
        return not stat.S_ISREG(os.stat(p).st_mode)
    except OSError:
        return False


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of it
    (the rules of :func:`write_streamed`)."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    write_streamed(path, lambda write: write(raw))


def write_streamed(path: str | os.PathLike[str], pump: Callable[[Write], None]) -> None:
    """Write what ``pump`` produces (it calls ``write(chunk)`` for each chunk of bytes) to ``path`` safely,
    so content too large to hold as one string can be written too.

    A FIFO, a device or a /dev, /proc path is written through (a rename would replace the node); a
    symlink's target is replaced (the link stays); a directory is refused; so is a path inside the
    installed package (its files are replaced on every upgrade). A regular file is replaced atomically:
    temp file in its folder, fsync, rename; on any failure the temp file goes and the old file stays."""
    from .paths import refuse_package_write

    refuse_package_write(Path(os.path.realpath(path)))
    name = os.fspath(path)
    if Path(name).is_dir():
        raise OutputError(f"cannot write {name}: is a directory")
    if is_stream(name):
        _write_through(name, pump)
        return
    target = Path(os.path.realpath(name)) if os.path.islink(name) else Path(name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise OutputError(f"cannot write {name}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            pump(fh.write)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {name}: {e.strerror or e}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
