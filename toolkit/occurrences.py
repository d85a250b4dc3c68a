"""The one home for "where does a rendering occur in the English": used by QA, evaluate and the review page.

``occurrences(needle, text)`` finds the non-overlapping occurrences of a string, left to right. Flags say
where the callers must differ, instead of three functions that differ silently:

- ``case_sensitive``: QA is exact (the glossary's capitals are part of the rendering) except that the
  sentence's first letter may be capitalised (``first_letter_free``); evaluate and the highlighter fold case.
- ``whole``: an occurrence counts only as a whole: not glued to a letter or digit on a side where the needle
  itself ends in one, and a needle that starts / ends with a digit must start / end a number ("18" is not in
  "2018", "180", "18.5" or "1,018"). evaluate's WMT-style term success counts substrings (``whole=False``).

``claim`` lets several needles take non-overlapping spans, longest first (so "poverty alleviation" inside
a claimed "targeted poverty alleviation" is not counted twice), up to the number each is needed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .numbers import DIGIT_RUN


@lru_cache(maxsize=4096)
def _pattern(needle: str, case_sensitive: bool, whole: bool) -> re.Pattern[str]:
    pat = re.escape(needle)
    if whole and needle[:1].isalnum():
        pat = r"(?<![^\W_])(?<!\d[.,])" + pat
    if whole and needle[-1:].isalnum():
        pat += r"(?![^\W_])(?![.,]\d)"
    return re.compile(pat, 0 if case_sensitive else re.IGNORECASE)


def occurrences(
    needle: str,
    text: str,
    *,
    case_sensitive: bool = False,
    whole: bool = True,
    first_letter_free: bool = False,
) -> list[tuple[int, int]]:
    """Non-overlapping ``(start, end)`` occurrences of ``needle`` in ``text``, left to right."""
    if not needle or not needle.strip():
        return []
    if first_letter_free and text[:1] != needle[:1] and text[:1].lower() == needle[:1].lower():
        text = needle[0] + text[1:]  # "Poverty alleviation ..." opens a sentence with "poverty alleviation"
    out = [m.span() for m in _pattern(needle, case_sensitive, whole).finditer(text)]
    if whole and (needle[:1].isdigit() or needle[-1:].isdigit()):  # a number starts / ends a digit run
        runs = [m.span() for m in DIGIT_RUN.finditer(text)]
        starts, ends = {a for a, _ in runs}, {b for _, b in runs}
        out = [
            (a, b)
            for a, b in out
            if (not needle[:1].isdigit() or a in starts) and (not needle[-1:].isdigit() or b in ends)
        ]
    return out


def claim(
    text: str,
    needed: dict[str, int],
    *,
    case_sensitive: bool = False,
    whole: bool = True,
    first_letter_free: bool = False,
) -> dict[str, list[tuple[int, int]]]:
    """The spans each needle claims (at most as many as it is needed), longest needles first."""
    taken: list[tuple[int, int]] = []
    got: dict[str, list[tuple[int, int]]] = {}
    for needle in sorted(needed, key=lambda n: (-len(n), n)):
        free = [
            (a, b)
            for a, b in occurrences(
                needle, text, case_sensitive=case_sensitive, whole=whole, first_letter_free=first_letter_free
            )
            if all(b <= x or a >= y for x, y in taken)
        ][: needed[needle]]
        taken += free
        got[needle] = free
    return got


def leftmost_longest(text: str, needles, *, case_sensitive: bool = False) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, needle)`` whole occurrences of any of ``needles``, leftmost-longest."""
    found = []
    for n in dict.fromkeys(x for x in needles if x and x.strip()):
        found += [(a, b, n) for a, b in occurrences(n, text, case_sensitive=case_sensitive)]
    found.sort(key=lambda x: (x[0], x[0] - x[1]))
    out, last = [], 0
    for start, end, n in found:
        if start >= last:
            out.append((start, end, n))
            last = end
    return out
