"""Leftmost-longest matching of every glossary term and variant with one trie, on word boundaries.

``match`` keeps only candidates whose start and end are word boundaries (``boundaries.Segmenter``:
jieba with the glossary's surfaces in its dictionary), so 政协 never matches inside 行政协调 nor
民进 inside 人民进行; the leftmost-longest resolution then runs over the surviving candidates.
``spans``/``all_spans`` are the raw trie (for lookups, checks and coverage, which need no segmenter).
Trie cost: at each text position a walk down the trie that stops at the first character no surface
continues with - at most the longest surface's length - so linear in the text and independent of
the number of entries (each step is one dict lookup in the current node). pyahocorasick was
measured first: its lookups slowed down ~10x on a 100,000-term automaton, this trie's do not
(scripts/bench_glossary.py).
Resolution of overlapping candidates is deterministic: the leftmost start wins, then the longest
surface (脱贫攻坚战 over the 脱贫攻坚 inside it); a match never overlaps a chosen one.
The word filter adds jieba's segmentation of the blocks holding candidates: linear in the text.
When one surface belongs to several entries, a canonical term beats a variant, then the later
entry (later glossary layer) wins.
A blocking entry (``Entry.blocking``) takes part in all of this - its span wins over the shorter
terms inside it - and then yields no TermMatch: nothing is forced there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..chinese import looks_traditional, t2s
from ..doc import TermMatch
from .entry import Entry

if TYPE_CHECKING:
    from .boundaries import Segmenter


def simplified_forms(terms: Sequence[str]) -> list[str]:
    """Each term in simplified characters: converted only when it is detected as traditional.

    One OpenCC call over all terms finds the few that change at all; only those are tested.
    """
    if not terms:
        return []
    joined = "\n".join(terms)
    converted = t2s(joined).split("\n")
    if len(converted) != len(terms):  # conversion never adds or drops line breaks; stay safe anyway
        converted = [t2s(t) for t in terms]
    return [c if c != t and looks_traditional(t) else t for t, c in zip(terms, converted, strict=True)]


_END = ""  # key of the entry index in a trie node (never a character)


class Matcher:
    """A trie (nested dicts, one per node) over the simplified surfaces of ``entries``."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        surfaces: list[tuple[str, int, bool]] = []  # (surface, entry index, is canonical)
        for i, e in enumerate(self.entries):
            surfaces += [(s, i, j == 0) for j, s in enumerate(e.surfaces())]
        simple = simplified_forms([s for s, _, _ in surfaces])
        best: dict[str, tuple[int, int]] = {}  # surface -> (is canonical, entry index); higher wins
        for (_, i, canonical), s in zip(surfaces, simple, strict=True):
            if s and (s not in best or (int(canonical), i) > best[s]):
                best[s] = (int(canonical), i)
        self._root: dict = {}
        for s, (_, i) in best.items():
            node = self._root
            for ch in s:
                node = node.setdefault(ch, {})
            node[_END] = i
        self._count = len(best)
        self._surfaces = tuple(sorted(best))
        self._segmenter: Segmenter | None = None

    def __len__(self) -> int:
        """The number of distinct surfaces."""
        return self._count

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """Chosen ``(start, end, entry index)`` spans, leftmost-longest, non-overlapping, in order."""
        root, out, i, n = self._root, [], 0, len(text)
        while i < n:
            node, j, end, idx = root.get(text[i]), i + 1, 0, -1
            while node is not None:
                if _END in node:
                    end, idx = j, node[_END]
                if j == n:
                    break
                node, j = node.get(text[j]), j + 1
            if end:
                out.append((i, end, idx))
                i = end
            else:
                i += 1
        return out

    def all_spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every ``(start, end, entry index)`` occurrence, nested and overlapping ones included."""
        root, out, n = self._root, [], len(text)
        for i in range(n):
            node, j = root.get(text[i]), i + 1
            while node is not None:
                if _END in node:
                    out.append((i, j, node[_END]))
                if j == n:
                    break
                node, j = node.get(text[j]), j + 1
        return out

    @property
    def segmenter(self) -> Segmenter:
        """The word segmenter with these surfaces as dictionary words (built on first use)."""
        if self._segmenter is None:
            from .boundaries import segmenter

            self._segmenter = segmenter(self._surfaces)
        return self._segmenter

    def release_segmenter(self) -> None:
        """Forget the word segmenter (rebuilt on the next ``match``) and the shared dictionary."""
        from .boundaries import release

        self._segmenter = None
        release()

    def word_spans(self, text: str) -> list[tuple[int, int, int]]:
        """Like ``spans``, over the candidates that start and end on word boundaries only."""
        candidates = self.all_spans(text)
        if not candidates:
            return []
        ok = self.segmenter.boundaries(text, [p for a, b, _ in candidates for p in (a, b)])
        longest: dict[int, tuple[int, int]] = {}  # start -> (end, entry); candidates come by start, end
        for start, end, i in candidates:
            if start in ok and end in ok:
                longest[start] = (end, i)
        out, pos = [], 0
        for start, (end, i) in longest.items():
            if start >= pos:
                out.append((start, end, i))
                pos = end
        return out

    def match(self, text: str) -> list[TermMatch]:
        """TermMatches on word boundaries in ``text``; offsets index into ``text`` exactly as given.

        Blocking entries claim their span and yield nothing."""
        out = []
        for start, end, i in self.word_spans(text):
            e = self.entries[i]
            if e.blocking:
                continue
            out.append(
                TermMatch(
                    start=start,
                    end=end,
                    text=text[start:end],
                    zh=e.zh,
                    en=e.en,
                    category=e.category,
                    note=e.note,
                    source=e.source,
                )
            )
        return out
