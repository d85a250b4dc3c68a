"""Long sentences: cut a source that does not fit the model into pieces at ；，、 and say how to join them.

A bulletin sentence can run to hundreds of characters; the model takes at most its ``max_length`` source
tokens, and the decoder needs room for every constraint. A piece ends just after a clause mark that lies
outside every constraint's source span (a term is never cut in two); each constraint goes to the piece
that holds its start. Only when no clause mark gives a fitting piece is the text cut by characters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..doc import Constraint
from ..errors import ModelError

SPLIT_CHARS = "；，、;,"
#: the English put between two pieces' translations, by the clause mark the source was cut after
JOINERS = {"；": "; ", ";": "; ", "，": ", ", ",": ", ", "、": ", "}

#: does (piece text, its constraints' token ids) fit the model?
Fits = Callable[[str, list[list[int]]], bool]


@dataclass(frozen=True)
class Piece:
    """One part of a source sentence, decoded on its own."""

    text: str
    constraints: list[list[int]]  # token ids of the constraints whose source span starts in it
    joiner: str  # the English before this piece's translation ("" for the first)


def split_points(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """Offsets just after each ；，、 in ``text`` that lie outside every constraint span."""
    return [i + 1 for i, ch in enumerate(text) if ch in SPLIT_CHARS and not any(s <= i < e for s, e in spans)]


def within(encoded: Sequence[tuple[Constraint, list[int]]], a: int, b: int) -> list[list[int]]:
    """Constraint ids whose source span starts in [a, b) (unknown spans count as starting at 0)."""
    return [ids for c, ids in encoded if a <= max(c.start, 0) < b]


def split_source(src: str, encoded: Sequence[tuple[Constraint, list[int]]], fits: Fits) -> list[Piece]:
    """The pieces of ``src`` that each fit (the whole sentence when it fits). ``encoded``: the sentence's
    constraints with their target ids. Raises ModelError when even one character's piece does not fit."""
    if fits(src, [ids for _, ids in encoded]):
        return [Piece(src, [ids for _, ids in encoded], "")]
    spans = [(c.start, c.end) for c, _ in encoded if c.start >= 0]
    cuts = split_points(src, spans)
    bounds: list[tuple[int, int]] = []
    a = 0
    while a < len(src):  # greedy: extend a piece up to the furthest cut that still fits
        best = None
        for cut in [x for x in cuts if x > a] + [len(src)]:
            if fits(src[a:cut], within(encoded, a, cut)):
                best = cut
            elif best is not None:
                break
        if best is None:  # no cut fits: hard split by characters (outside constraint spans if possible)
            best = _hard_cut(src, a, spans, encoded, fits)
        bounds.append((a, best))
        a = best
    out = []
    for k, (a, b) in enumerate(bounds):
        text = src[a:b] if k == len(bounds) - 1 else src[a:b].rstrip(SPLIT_CHARS)
        joiner = JOINERS.get(src[a - 1], " ") if k else ""
        out.append(Piece(text, within(encoded, a, b), joiner))
    return out


def _hard_cut(
    src: str,
    a: int,
    spans: list[tuple[int, int]],
    encoded: Sequence[tuple[Constraint, list[int]]],
    fits: Fits,
) -> int:
    """The furthest end of a piece from ``a`` that fits, moved back before a constraint span it would cut."""
    lo, hi = a + 1, len(src)
    while lo < hi:  # largest end that fits
        mid = (lo + hi + 1) // 2
        if fits(src[a:mid], within(encoded, a, mid)):
            lo = mid
        else:
            hi = mid - 1
    end = lo
    for s, e in spans:  # do not cut inside a constraint's source span
        if s < end < e and s > a:
            end = s
    if not fits(src[a:end], within(encoded, a, end)):
        raise ModelError(f"a sentence is too long for the model even after splitting: {src[a:end][:30]}…")
    return end
