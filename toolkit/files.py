"""Reading a file named on the command line: every way it can fail is one InputError line."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import BadInputError, InputError


def read_input_bytes(path: str | os.PathLike[str], *, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of ``path``; missing, a directory, no permission -> InputError (exit 3), more than
    ``limit`` bytes -> BadInputError (exit 4). ``what`` names the expected kind in the message."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{path}: is a directory, not a {what}")
        if limit is not None and (size := p.stat().st_size) > limit:
            raise BadInputError(f"{path}: {size:,} bytes is larger than the {limit:,}-byte limit")
        with p.open("rb") as fh:
            data = fh.read(-1 if limit is None else limit + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a {what}") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    if limit is not None and len(data) > limit:
        raise BadInputError(f"{path}: input is larger than the {limit:,}-byte limit")
    return data
