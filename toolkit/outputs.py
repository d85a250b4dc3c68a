"""Where each input's output goes, decided (and every clash refused) before any work is done.

A batch must never lose a document to a name clash or destroy its own input: ``a/x.txt b/x.txt -o out``
gives ``out/a/x.md`` and ``out/b/x.md`` (relative paths mirrored under the output folder), two inputs that
would still land on one output are a usage error, and so is an output that is one of the inputs (also
through a symlink or a hard link). The output format follows ``-o``'s extension unless ``--format`` says
otherwise; the two disagreeing is a usage error, not Markdown in a ``.html`` file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, UsageError

#: output format -> file extension
EXTENSIONS = {"md": ".md", "text": ".txt", "json": ".json", "bilingual": ".md", "html": ".html"}
#: file extension -> the format it implies (bilingual is Markdown too, so ``.md`` accepts it)
FORMAT_OF_EXTENSION = {".md": "md", ".markdown": "md", ".txt": "text", ".json": "json", ".html": "html",
                       ".htm": "html"}
DEFAULT_FORMAT = "md"
STDIN = "-"


@dataclass(frozen=True)
class Job:
    """One document of a batch: its source (a path or "-"), its output (None: stdout), its name for
    messages and the manifest (the input path as given, "stdin" for "-")."""

    source: str
    output: str | None
    name: str


@dataclass(frozen=True)
class Plan:
    fmt: str
    jobs: list[Job]
    outdir: Path | None  # the output folder of a batch (where the manifest goes); None: -o FILE or stdout


def _ext_format(path: str) -> str | None:
    return FORMAT_OF_EXTENSION.get(Path(path).suffix.lower())


def choose_format(
    requested: str | None, output: str | None, *, default: str = DEFAULT_FORMAT, allowed: tuple[str, ...] = ()
) -> str:
    """``--format`` if given, else the format ``output``'s extension implies, else ``default``; a clash
    between ``--format`` and a known extension is a usage error, and so is an extension implying a format
    the command cannot write (``allowed``, when given)."""
    implied = _ext_format(output) if output else None
    if requested is None:
        if implied is not None and allowed and implied not in allowed:
            raise UsageError(
                f"-o {output}: this command writes {', '.join(allowed)}, not {implied} "
                f"(give --format, or change the extension)"
            )
        return implied or default
    if implied is not None and EXTENSIONS[requested] != EXTENSIONS[implied]:
        raise UsageError(
            f"--format {requested} writes {EXTENSIONS[requested]} files but -o {output} is "
            f"{Path(output).suffix} (drop --format, or change the extension)"
        )
    return requested


def expand(inputs: list[str], *, exclude: Path | None = None) -> list[tuple[str, str]]:
    """(source, relative name) per input file: a directory contributes its ``*.txt`` files (recursively, in
    name order) named relative to that directory; a file is named relative to the deepest folder that
    holds every file argument. Files under ``exclude`` (the output folder) are left out."""
    found: list[tuple[str, Path | None]] = []  # (path, the directory argument it came from)
    for item in inputs:
        path = Path(item)
        if item != STDIN and path.is_dir():
            # an output folder inside this one holds earlier outputs, not inputs (the folder itself
            # as output is left to the collision check, which refuses to overwrite an input)
            skip = exclude if exclude is not None and not _under(path, exclude) else None
            files = sorted(p for p in path.rglob("*.txt") if p.is_file() and not _under(p, skip))
            if not files:
                raise InputError(f"{item}: directory has no .txt bulletins")
            found += [(str(p), path) for p in files]
        else:
            found.append((item, None))
    loose = [os.path.dirname(os.path.abspath(p)) for p, d in found if d is None and p != STDIN]
    base = os.path.commonpath(loose) if loose else None
    out: list[tuple[str, str]] = []
    for src, folder in found:
        if src == STDIN:
            out.append((src, "stdin"))
        elif folder is not None:
            out.append((src, str(Path(src).relative_to(folder))))
        else:
            out.append((src, os.path.relpath(os.path.abspath(src), base)))
    return out


def _under(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _is_dir_target(output: str, n_inputs: int) -> bool:
    p = Path(output)
    if p.is_dir() or output.endswith(os.sep):
        return True
    if n_inputs <= 1:
        return False
    if p.exists() or p.is_symlink():
        raise UsageError(f"several inputs need -o DIR, but {output} is a file")
    if _ext_format(output):
        raise UsageError(f"several inputs need -o DIR, but {output} names a {Path(output).suffix} file")
    return True


def plan(inputs: list[str], output: str | None, requested_format: str | None) -> Plan:
    """Every job of the batch, or a UsageError before anything is read or written."""
    if output == STDIN:
        output = None
    named = expand(inputs, exclude=Path(output) if output else None)
    if len(named) > 1 and output is None:
        raise UsageError("several inputs need -o DIR for their outputs")
    dir_mode = output is not None and _is_dir_target(output, len(named))
    outdir = Path(output) if dir_mode and output else None
    if len(named) != len({s for s, _ in named}):
        dup = next(s for s, _ in named if [x for x, _ in named].count(s) > 1)
        raise UsageError(f"{dup} is given twice")
    fmt = choose_format(requested_format, None if dir_mode else output)
    jobs: list[Job] = []
    for src, rel in named:
        name = "stdin" if src == STDIN else src
        if outdir is not None:
            target = str(outdir / Path(rel).with_suffix(EXTENSIONS[fmt]))
        else:
            target = output
        jobs.append(Job(src, target, name))
    _refuse_collisions(jobs)
    return Plan(fmt, jobs, outdir)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _refuse_collisions(jobs: list[Job]) -> None:
    """Two jobs on one output, or an output that is an input (same file, by any name): a usage error."""
    inputs = {ident: j.source for j in jobs if j.source != STDIN and (ident := _identity(j.source))}
    seen: dict[str, str] = {}
    for j in jobs:
        if j.output is None:
            continue
        key = os.path.normcase(os.path.abspath(j.output))
        if key in seen:
            raise UsageError(f"{seen[key]} and {j.name} would both be written to {j.output}; "
                             "rename one, or translate them in separate runs")
        seen[key] = j.name
        ident = _identity(j.output)
        if ident is not None and ident in inputs:
            raise UsageError(f"-o {j.output} would overwrite the input {inputs[ident]}")
