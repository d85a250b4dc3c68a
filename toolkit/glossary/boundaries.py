"""Word boundaries from jieba, so that a glossary term never matches across two words.

Chinese has no spaces: 政协 occurs inside 行政协调 (行政|协调), 广安 inside 推广安全 (推广|安全),
民进 inside 人民进行 (人民|进行). A candidate match is kept only when its start and end are word
boundaries of the sentence's segmentation, made by a private ``jieba.Tokenizer`` (the global one is
never touched) whose dictionary also holds the glossary's surfaces, so that terms segment as words.

A word of three or more characters also has the boundaries of its best split into shorter dictionary
words (jieba's own unigram model with the whole word excluded), recursively: a term may be the part
of a compound that jieba keeps whole (广安市 = 广安|市, 四川省委 = 四川|省委, 各级党委 = 各级|党委),
but never straddles two words (四川省委 does not give 四川省, 贫困村民 does not give 贫困村).

Segmentation is exact and deterministic: jieba's default dictionary plus the surfaces added in
sorted order, no HMM (which guesses new words from character statistics). Cost: linear in the text;
only the blocks (runs between punctuation, jieba's unit) that hold a candidate are segmented. jieba
and its dictionary (~0.8 s) are loaded on the first use, once per process; each distinct set of
surfaces copies that dictionary and adds its words (~25 µs a word).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

_MIN_SPLIT = 3  # words this long or longer also expose the boundaries of their best split
_SPLIT_CACHE_MAX = 100_000
_lock = threading.Lock()
_base_tokenizer: Any = None


def cache_dir() -> Path:
    """Where jieba keeps its prefix-dictionary cache: the user's cache folder ($XDG_CACHE_HOME or
    ~/.cache, then bulletin/), not the shared /tmp. Made here if it can be; if not, jieba's cache write
    fails quietly and it rebuilds the dictionary next time (~1 s): the cache is only a speed-up."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "bulletin"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return folder


def _base() -> Any:
    """jieba's default dictionary in a private Tokenizer, loaded once per process without log lines."""
    global _base_tokenizer
    with _lock:
        if _base_tokenizer is None:
            import jieba

            log = logging.getLogger("jieba")
            level = log.level
            # initialize() announces itself at DEBUG level, and prints a traceback when it cannot write its
            # cache: neither reaches the user
            log.setLevel(logging.CRITICAL + 1)
            try:
                tk = jieba.Tokenizer()
                tk.tmp_dir = str(cache_dir())
                tk.initialize()
            finally:
                log.setLevel(level)
            _base_tokenizer = tk
        return _base_tokenizer


def release() -> None:
    """Drop the loaded dictionary and the shared Segmenters (~70 MB resident): callers whose matching is
    done (translate, once its documents are annotated) hand the memory back before loading a model. The
    next segmentation loads the dictionary again; a Segmenter still referenced elsewhere keeps working."""
    global _base_tokenizer
    with _lock:
        _base_tokenizer = None
    segmenter.cache_clear()


@lru_cache(maxsize=2)
def segmenter(words: tuple[str, ...]) -> Segmenter:
    """The Segmenter for one (sorted) tuple of dictionary additions; shared while it is in use."""
    return Segmenter(words)


class Segmenter:
    """jieba segmentation with extra dictionary words, reporting word boundaries."""

    def __init__(self, words: Sequence[str] = ()) -> None:
        import jieba

        base = _base()
        tk = jieba.Tokenizer()
        # a copy of the loaded dictionary, not a second load from disk (FREQ/total are what
        # initialize() fills; the words added below must not leak into other Segmenters)
        tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
        for w in sorted(set(words)):  # sorted: each suggested frequency depends on the total so far
            if w:
                tk.add_word(w)  # frequency just high enough for the word, alone, to stay whole
        self._tk = tk
        self._block = jieba.re_han_default  # jieba segments each such block independently
        self._splits: dict[str, tuple[int, ...]] = {}

    def words(self, text: str) -> list[str]:
        """The segmentation of ``text`` (for inspection and tests)."""
        return list(self._tk.cut(text, HMM=False))

    def boundaries(self, text: str, positions: Iterable[int] | None = None) -> set[int]:
        """Those of ``positions`` (default: every offset of ``text``) where no word of ``text`` continues.

        A position inside a block is a boundary when the block's segmentation (or the best split of
        a long word there) puts one there; outside blocks (punctuation, spaces) every position is.
        Only the blocks that hold a position are segmented.
        """
        want = range(len(text) + 1) if positions is None else sorted(set(positions))
        blocks = [(m.start(), m.end()) for m in self._block.finditer(text)]
        out: set[int] = set()
        inside: dict[int, list[int]] = {}
        i = 0
        for p in want:
            while i < len(blocks) and blocks[i][1] <= p:
                i += 1
            if i < len(blocks) and blocks[i][0] < p:
                inside.setdefault(i, []).append(p)
            else:
                out.add(p)
        for i, ps in inside.items():
            start, end = blocks[i]
            cuts = self._block_boundaries(text[start:end])
            out.update(p for p in ps if p - start in cuts)
        return out

    def _block_boundaries(self, block: str) -> set[int]:
        """Offsets in one block where its words (and the parts of its long words) end."""
        out = set()
        for w, start, end in self._tk.tokenize(block, HMM=False):
            out.add(end)
            if len(w) >= _MIN_SPLIT:
                out.update(start + b for b in self._inner(w))
        return out

    def _inner(self, word: str) -> tuple[int, ...]:
        """Offsets inside ``word`` of its recursive best splits (cached per word)."""
        hit = self._splits.get(word)
        if hit is not None:
            return hit
        found: set[int] = set()
        todo = [(0, word)]
        while todo:
            start, w = todo.pop()
            pos = start
            for part in self._best_split(w):
                if pos != start:
                    found.add(pos)
                if len(part) >= _MIN_SPLIT:
                    todo.append((pos, part))
                pos += len(part)
        if len(self._splits) >= _SPLIT_CACHE_MAX:
            self._splits.clear()
        self._splits[word] = out = tuple(sorted(found))
        return out

    def _best_split(self, word: str) -> list[str]:
        """``word`` cut into two or more dictionary words by jieba's model (the whole word barred)."""
        tk, n = self._tk, len(word)
        dag = tk.get_DAG(word)
        dag[0] = [x for x in dag[0] if x < n - 1] or [0]
        route: dict[int, tuple[float, int]] = {}
        tk.calc(word, dag, route)
        parts, x = [], 0
        while x < n:
            y = route[x][1] + 1
            parts.append(word[x:y])
            x = y
        return parts
