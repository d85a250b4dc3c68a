"""``OUTDIR/manifest.jsonl``: one JSON line per document of the output folder, the record a resume trusts.

Each line: input path and sha256, output path and sha256, status, error and exit code, QA totals, model id
and hash, glossary files and hashes, the options that decide the output (decoding, format, summary, and
any figure options), the worker, seconds and finish time. ``settings_sha256`` hashes the model, glossary
and options together: ``--resume`` skips a document whose last line is ``ok``, whose input and settings
hashes are unchanged and whose output still has the recorded hash.

Never corrupt, whenever the process dies (SIGKILL included): a run first rewrites the manifest atomically
(keeping the lines of the documents it will skip and of documents it does not touch, dropping those it
redoes), then appends one line per finished document with a single write, flush and fsync. A line torn
by a crash mid-write can only be the last one; it is dropped on the next start. So every document of
the folder has exactly one line, however often the run was killed and resumed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .errors import OutputError

NAME = "manifest.jsonl"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_path(path: str | os.PathLike[str]) -> str | None:
    """The file's sha256, or None if it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def model_identity(model: str) -> dict[str, Any]:
    """The model as given, its folder and one sha256 over its files (name and content, sorted)."""
    from .translate.model_store import resolve

    folder = resolve(model)
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            h.update(p.name.encode() + b"\0" + (sha256_path(p) or "").encode() + b"\n")
    return {"id": model, "path": str(folder), "sha256": h.hexdigest()}


def glossary_identity(files: Iterable[str]) -> list[dict[str, Any]]:
    """Each glossary file read (the shipped one included) with its sha256."""
    return [{"path": str(f), "sha256": sha256_path(f)} for f in files]


def settings_hash(model: dict[str, Any], glossary: list[dict[str, Any]], options: dict[str, Any]) -> str:
    blob = json.dumps({"model": model["sha256"], "glossary": [g["sha256"] for g in glossary],
                       "options": options}, sort_keys=True)
    return sha256_bytes(blob.encode())


class Manifest:
    """The manifest of one output folder; records are keyed by output path relative to the folder."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.path = outdir / NAME
        self._fd: int | None = None

    def key(self, output: str) -> str:
        return os.path.relpath(os.path.abspath(output), os.path.abspath(self.outdir))

    def load(self) -> dict[str, dict[str, Any]]:
        """The last record per output; a torn or unparsable line is ignored."""
        records: dict[str, dict[str, Any]] = {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return records
        except (OSError, UnicodeDecodeError) as e:
            raise OutputError(f"cannot read {self.path}: {e}") from None
        for line in text.splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("output"), str):
                records[self.key(rec["output"])] = rec
        return records

    def unchanged(self, rec: dict[str, Any] | None, input_sha: str | None, settings_sha: str) -> bool:
        """Whether ``rec`` says this document is done with these inputs and settings, and its output is
        still the one written then."""
        return bool(
            rec
            and rec.get("status") == "ok"
            and input_sha is not None
            and rec.get("input_sha256") == input_sha
            and rec.get("settings_sha256") == settings_sha
            and rec.get("output_sha256")
            and sha256_path(rec["output"]) == rec["output_sha256"]
        )

    def start(self, keep: Iterable[dict[str, Any]]) -> None:
        """Atomically rewrite the manifest to ``keep``, then open it for appending."""
        self.outdir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, "".join(_line(r) for r in keep))
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
        except OSError as e:
            raise OutputError(f"cannot write {self.path}: {e.strerror or e}") from None

    def append(self, record: dict[str, Any]) -> None:
        """One line, one write, then fsync: after this returns the line survives a crash."""
        if self._fd is None:
            raise RuntimeError("Manifest.start() first")
        data = _line(record).encode("utf-8")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view):]
            os.fsync(self._fd)
        except OSError as e:
            raise OutputError(f"cannot write {self.path}: {e.strerror or e}") from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
