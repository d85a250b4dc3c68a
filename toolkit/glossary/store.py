"""The layered glossary: the shipped file, then user files; later files win per term."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..doc import TermMatch
from ..errors import GlossaryError
from ..paths import shipped_glossary_path, user_glossary_path
from . import edits
from .edits import Change, read_target
from .entry import Entry, sort_key
from .formats import read_entries
from .matcher import Matcher

#: Environment variable naming a file that replaces the default layers (and takes the default writes).
ENV_GLOSSARY = "BULLETIN_GLOSSARY"


def default_glossary_path() -> Path:
    """The file that writes go to when no file is named: ``$BULLETIN_GLOSSARY`` when set, else the
    user's glossary (``$XDG_DATA_HOME/bulletin/glossary.tsv``) - never the shipped one, which may sit
    inside the installed package."""
    env = os.environ.get(ENV_GLOSSARY)
    return Path(env) if env else user_glossary_path()


def default_glossary_paths() -> list[Path]:
    """The default layers, lowest first: ``$BULLETIN_GLOSSARY`` alone when set; else the shipped
    glossary, then the user's glossary when it exists. The last one is where default writes go."""
    env = os.environ.get(ENV_GLOSSARY)
    if env:
        return [Path(env)]
    user = user_glossary_path()
    return [shipped_glossary_path()] + ([user] if user.is_file() else [])


def write_target(files: Sequence[str | os.PathLike[str]], default: bool) -> Path | None:
    """The file that writes go to when none is named: the last layer file, else the default glossary."""
    if files:
        return Path(files[-1])
    return default_glossary_path() if default else None


class Glossary:
    """Entries from one or more files, merged per ``zh`` (a later file's entry replaces an earlier one).

    Changes (``add``/``edit``/``remove``/``import_entries``) go to ONE file, ``target`` (the last layer
    file by default, else the default glossary): they apply at once to this object's view when the
    target is one of its layers, and reach the file on ``save()``, which locks it, re-reads it, replays
    the changes and replaces it atomically (``edits.apply_changes``) - so a change made meanwhile by
    another process is kept, and a change that no longer fits raises GlossaryError with nothing written.
    """

    def __init__(self, entries: Sequence[Entry] = (), files: Sequence[tuple[str, int]] = ()) -> None:
        self._by_zh: dict[str, Entry] = {}
        self._shadowed: dict[str, list[Entry]] = {}
        self.files: list[tuple[str, int]] = list(files)
        self._matcher: Matcher | None = None
        # (file, its entries by zh) in layer order; None for entries given in memory
        self._layers: list[tuple[Path | None, dict[str, Entry]]] = []
        if entries:
            self._layers.append((None, {e.zh: e for e in entries}))
        self._rebuild()
        self.target: Path | None = None
        self._target_on_top = False
        self._pending: list[Change] = []
        self._draft: dict[str, Entry] | None = None  # the target's entries with the pending changes

    def _put(self, e: Entry) -> None:
        old = self._by_zh.pop(e.zh, None)  # re-insert so the winner keeps its layer's order
        if old is not None:
            self._shadowed.setdefault(e.zh, []).append(old)
        self._by_zh[e.zh] = e

    @classmethod
    def load(
        cls,
        files: Sequence[str | os.PathLike[str]] = (),
        *,
        default: bool = True,
        target: str | os.PathLike[str] | None = None,
    ) -> Glossary:
        """The default glossary (unless ``default`` is False) layered under ``files`` in order.

        ``target``: the file changes are saved to (default: the last of ``files``, else the default
        write file ``default_glossary_path()``, the top layer once changed even before it exists)."""
        paths = (default_glossary_paths() if default else []) + [Path(f) for f in files]
        g = cls()
        g.target = Path(target) if target is not None else write_target(files, default)
        # the default write file (the user's glossary) is the top layer even before it exists
        g._target_on_top = target is None and default and not files
        for p in paths:
            missing_target = g.target is not None and p == g.target and not p.exists()
            entries = [] if missing_target else read_entries(p)  # the target is created on save()
            g._layers.append((p, {e.zh: e for e in entries}))
            g.files.append((str(p), len(entries)))
        g._rebuild()
        return g

    @classmethod
    def loads(cls, text: str, fmt: str = "tsv", *, name: str = "<string>") -> Glossary:
        """A glossary read from ``text`` in ``fmt`` (tsv, csv, tbx, json); malformed rows raise."""
        from .formats import parse, problems_of, raise_problems

        entries = parse(text, fmt, name)
        raise_problems(problems_of(entries))
        return cls(entries, files=[(name, len(entries))])

    def _rebuild(self) -> None:
        self._by_zh, self._shadowed, self._matcher = {}, {}, None
        for _, layer in self._layers:
            for e in layer.values():
                self._put(e)

    # -- changes ---------------------------------------------------------------------------------
    def _target(self) -> Path:
        if self.target is None:
            raise GlossaryError("no file to write: give a target file (or a glossary file to layer)")
        return self.target

    def below(self) -> Glossary:
        """The layers other than the target (the entries the target overrides)."""
        target = self._target().resolve()
        g = Glossary()
        g._layers = [(p, d) for p, d in self._layers if p is None or p.resolve() != target]
        g.files = [(str(p or "<memory>"), len(d)) for p, d in g._layers]
        g._rebuild()
        return g

    def _change(self, change: Change) -> str:
        """Apply ``change`` to the draft of the target file (raising leaves everything as it was),
        then queue it for ``save()`` and refresh the view."""
        path = self._target()
        if self._draft is None:
            self._draft = dict(read_target(path))
        draft = dict(self._draft)
        message = change(draft)
        self._draft = draft
        self._pending.append(change)
        target = path.resolve()
        if self._target_on_top and all(p is None or p.resolve() != target for p, _ in self._layers):
            self._layers.append((path, {}))
            self.files.append((str(path), 0))
        for i, (p, _) in enumerate(self._layers):
            if p is not None and p.resolve() == target:
                self._layers[i] = (p, dict(draft))
        self._rebuild()
        return message

    def add(self, entry: Entry) -> str:
        """Add a new entry to the target file (a term it already has, or a clash, raises)."""
        return self._change(edits.add(entry, self._target()))

    def edit(self, zh: str, **fields: object) -> str:
        """Change fields of ``zh`` (en, variants, add_variants, clear_variants, category, note, blocking);
        an entry of a lower layer is copied into the target file first."""
        return self._change(edits.edit(zh, self._target(), self.below(), **fields))  # type: ignore[arg-type]

    def remove(self, zh: str) -> str:
        """Remove ``zh`` from the target file (a lower layer's entry then shows through)."""
        return self._change(edits.remove(zh, self._target()))

    def import_entries(self, rows: Sequence[Entry], on_conflict: str = "keep") -> dict[str, list[str]]:
        """Merge ``rows`` into the target file; what was added/changed/unchanged/conflicting.
        ``on_conflict``: ``keep`` the existing entry, ``replace`` it (blank fields keep the old
        values), or ``fail`` (GlossaryError, nothing changed)."""
        report: dict[str, list[str]] = {"added": [], "changed": [], "unchanged": [], "conflicting": []}
        change = edits.import_rows(rows, self._target(), on_conflict, report)
        self._change(change)
        return {k: list(v) for k, v in report.items()}

    @property
    def unsaved(self) -> int:
        """How many changes ``save()`` has still to write."""
        return len(self._pending)

    def save(self) -> list[str]:
        """Write the pending changes to the target file (locked read-modify-write, atomic replace).

        The changes are replayed on the file as it is now; a change that no longer fits raises
        GlossaryError and nothing is written (the changes stay pending)."""
        if not self._pending:
            return []
        path = self._target()
        messages = edits.apply_changes(path, self._pending)
        self._pending, self._draft = [], None
        target = path.resolve()
        for i, (p, _) in enumerate(self._layers):
            if p is not None and p.resolve() == target:
                self._layers[i] = (p, {e.zh: e for e in read_entries(p)})
        self._rebuild()
        return messages

    # -- access ----------------------------------------------------------------------------------
    @property
    def entries(self) -> list[Entry]:
        """The winning entries, sorted by zh."""
        return sorted(self._by_zh.values(), key=sort_key)

    def __len__(self) -> int:
        return len(self._by_zh)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, zh: object) -> bool:
        return zh in self._by_zh

    def get(self, zh: str) -> Entry | None:
        """The entry whose canonical term is ``zh``."""
        return self._by_zh.get(zh)

    def lookup(self, surface: str) -> Entry | None:
        """The entry that ``surface`` (canonical term or variant, any script) resolves to."""
        if surface in self._by_zh:
            return self._by_zh[surface]
        spans = self.matcher.spans(surface)
        if len(spans) == 1 and spans[0][:2] == (0, len(surface)):
            return self.matcher.entries[spans[0][2]]
        return None

    def shadowed(self, zh: str) -> list[Entry]:
        """Entries for ``zh`` from earlier layers that the winning entry replaces."""
        return list(self._shadowed.get(zh, []))

    # -- matching --------------------------------------------------------------------------------
    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self._by_zh.values())
        return self._matcher

    def match(self, text: str) -> list[TermMatch]:
        """Leftmost-longest glossary matches in ``text`` (offsets into ``text``)."""
        return self.matcher.match(text)

    def release_word_boundaries(self) -> None:
        """Hand back the word segmenter's memory when matching is done (reloaded if matching again)."""
        if self._matcher is not None:
            self._matcher.release_segmenter()

    def describe(self) -> dict[str, object]:
        """For document meta: the files read (in layer order) with their entry counts, and the total."""
        return {"files": [{"path": p, "entries": n} for p, n in self.files], "total": len(self)}
