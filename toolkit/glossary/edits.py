"""Changing one glossary file safely: the read-modify-write behind ``Glossary.add/edit/remove/save``.

A change is a function of the file's entries by zh (it mutates the dict and returns a message, or
raises GlossaryError). ``apply_changes`` takes an exclusive lock (``.NAME.lock`` beside the file, via
filelock) for the whole read-modify-write, reads the file strictly (a malformed file is refused with
``file:line: message``), applies the changes in order and replaces the file atomically - so two writers
never lose each other's entries, and a failed change writes nothing. CSV files are never written: they
cannot hold variants, category, note or the blocking flag.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GlossaryError
from ..paths import refuse_package_write
from .entry import Entry, validate
from .formats import detect_format, read_entries, write_entries

if TYPE_CHECKING:
    from .store import Glossary

LOCK_TIMEOUT_S = 30.0

#: One change to a file's entries (keyed by zh): mutates them and says what it did.
Change = Callable[[dict[str, Entry]], str]


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """An exclusive lock on ``path`` (``.NAME.lock`` beside it) for a read-modify-write."""
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=timeout)
        lock.acquire()
    except Timeout:
        raise GlossaryError(f"{path}: locked by another process for over {timeout:.0f}s") from None
    except OSError as e:
        raise GlossaryError(f"{path}: cannot lock: {e.strerror or e}") from None
    try:
        yield
    finally:
        lock.release()


def writable_format(path: Path) -> str:
    """The format ``path`` is written in; CSV is refused (it would drop fields)."""
    fmt = detect_format(path)
    if fmt == "csv":
        raise GlossaryError(
            f"{path}: will not write a CSV glossary (it cannot hold variants, category, note and "
            "the blocking flag); use a .tsv file"
        )
    return fmt


def read_target(path: Path) -> dict[str, Entry]:
    """The entries of the file to change, by zh (strict: a malformed file raises); {} when missing."""
    writable_format(path)
    return {e.zh: e for e in read_entries(path)} if path.exists() else {}


def apply_changes(path: str | os.PathLike[str], changes: Sequence[Change]) -> list[str]:
    """Lock ``path``, read it strictly, apply ``changes`` in order, write it atomically; the messages."""
    path = Path(path)
    fmt = writable_format(path)
    refuse_package_write(path)  # not even a lock file inside the installed package
    with locked(path):
        by_zh = read_target(path)
        messages = [change(by_zh) for change in changes]
        write_entries(path, list(by_zh.values()), fmt)
    return messages


def check_new(entry: Entry, by_zh: dict[str, Entry], path: Path) -> None:
    """Refuse a malformed entry, or one whose term or variant is already another entry's."""
    problems = validate(entry)
    if problems:
        raise GlossaryError(f"{entry.zh}: {problems[0]}")
    for other in by_zh.values():
        if other.zh == entry.zh:
            continue
        clash = set(entry.surfaces()) & set(other.surfaces())
        if clash:
            raise GlossaryError(
                f"{entry.zh}: {sorted(clash)[0]} is already a term or variant of {other.zh} "
                f"({path}:{other.line})"
            )


# -- the changes ----------------------------------------------------------------------------------------


def add(entry: Entry, path: Path) -> Change:
    new = replace(entry, source=str(path), line=0, problems=[])

    def change(by_zh: dict[str, Entry]) -> str:
        if new.zh in by_zh:
            raise GlossaryError(
                f"{new.zh} is already in {path}:{by_zh[new.zh].line} (use `bulletin glossary edit`)"
            )
        check_new(new, by_zh, path)
        by_zh[new.zh] = new
        what = "a blocking entry" if new.blocking else new.en
        return f"added {new.zh} -> {what} to {path}"

    return change


def edit(
    zh: str,
    path: Path,
    below: Glossary | None,
    *,
    en: str | None = None,
    variants: Sequence[str] | None = None,
    add_variants: Sequence[str] = (),
    clear_variants: bool = False,
    category: str | None = None,
    note: str | None = None,
    blocking: bool | None = None,
) -> Change:
    """Change the fields given (None = keep); an entry found only in ``below`` is copied into ``path``."""

    def change(by_zh: dict[str, Entry]) -> str:
        old = by_zh.get(zh) or (below.get(zh) if below is not None else None)
        if old is None:
            raise GlossaryError(f"{zh} is not in the glossary (use `bulletin glossary add`)")
        vs = () if clear_variants else old.variants
        if variants is not None:
            vs = tuple(variants)
        vs += tuple(v for v in add_variants if v not in vs)
        flag = old.blocking if blocking is None else blocking
        new = Entry(
            zh=old.zh,
            en=en if en is not None else ("" if flag else old.en),
            variants=vs,
            category=category if category is not None else old.category,
            note=note if note is not None else old.note,
            blocking=flag,
            source=str(path),
        )
        check_new(new, by_zh, path)
        copied = zh not in by_zh
        by_zh[zh] = new
        return f"{'copied ' + old.where + ' and ' if copied else ''}changed {zh} in {path}"

    return change


def remove(zh: str, path: Path) -> Change:
    def change(by_zh: dict[str, Entry]) -> str:
        if zh not in by_zh:
            raise GlossaryError(f"{zh} is not in {path}")
        del by_zh[zh]
        return f"removed {zh} from {path}"

    return change


def merged_import(old: Entry, new: Entry) -> Entry:
    """``new`` over ``old`` where the import gives a value: a field it leaves blank keeps ``old``'s
    (a CSV import carries zh and en only; it must not wipe variants, category and note)."""
    return replace(
        old,
        en=new.en if (new.en or new.blocking) else old.en,
        variants=new.variants or old.variants,
        category=new.category or old.category,
        note=new.note or old.note,
        blocking=new.blocking,
    )


def import_rows(rows: Sequence[Entry], path: Path, on_conflict: str, report: dict[str, list[str]]) -> Change:
    """Merge ``rows`` (read from an import file) into ``path``: new terms are added; a term that
    differs is kept (``keep``), merged over (``replace``) or stops the whole import (``fail``)."""
    if on_conflict not in ("keep", "replace", "fail"):
        raise GlossaryError(f"unknown --on-conflict {on_conflict!r} (keep, replace or fail)")

    def change(by_zh: dict[str, Entry]) -> str:
        for e in rows:
            old = by_zh.get(e.zh)
            mine = replace(e, source=str(path), problems=[])
            if old is not None:
                mine = merged_import(old, mine)
            if old is None:
                check_new(mine, by_zh, path)
                by_zh[e.zh] = mine
                report["added"].append(e.zh)
            elif old.same_content(mine):
                report["unchanged"].append(e.zh)
            elif on_conflict == "replace":
                check_new(mine, by_zh, path)
                by_zh[e.zh] = mine
                report["changed"].append(e.zh)
            elif on_conflict == "fail":  # e.where: the import file's line, where the user must look
                raise GlossaryError(
                    f"{e.where}: {e.zh} conflicts with {path}:{old.line} ({old.en!r} vs {mine.en!r}); "
                    "nothing imported (use --on-conflict keep or replace)"
                )
            else:
                report["conflicting"].append(e.zh)
        return (
            f"{len(report['added'])} added, {len(report['changed'])} changed, {len(report['unchanged'])} "
            f"unchanged, {len(report['conflicting'])} skipped as conflicting"
        )

    return change
