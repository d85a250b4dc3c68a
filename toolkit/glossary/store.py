"""The layered glossary: the shipped file, then user files; later files win per term."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..doc import TermMatch
from ..paths import shipped_glossary_path, user_glossary_path
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


class Glossary:
    """Entries from one or more files, merged per ``zh`` (a later file's entry replaces an earlier one)."""

    def __init__(self, entries: Sequence[Entry] = (), files: Sequence[tuple[str, int]] = ()) -> None:
        self._by_zh: dict[str, Entry] = {}
        self._shadowed: dict[str, list[Entry]] = {}
        for e in entries:
            self._put(e)
        self.files: list[tuple[str, int]] = list(files)
        self._matcher: Matcher | None = None

    def _put(self, e: Entry) -> None:
        old = self._by_zh.pop(e.zh, None)  # re-insert so the winner keeps its layer's order
        if old is not None:
            self._shadowed.setdefault(e.zh, []).append(old)
        self._by_zh[e.zh] = e

    @classmethod
    def load(cls, files: Sequence[str | os.PathLike[str]] = (), *, default: bool = True) -> Glossary:
        """The default glossary (unless ``default`` is False) layered under ``files`` in order."""
        paths = (default_glossary_paths() if default else []) + [Path(f) for f in files]
        g = cls()
        for p in paths:
            entries = read_entries(p)
            for e in entries:
                g._put(e)
            g.files.append((str(p), len(entries)))
        return g

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
