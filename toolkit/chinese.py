"""Character-level facts about Chinese text shared by the reader and the glossary.

OpenCC's t2s is not a no-op on simplified text (乾安县 -> 干安县), so text is converted only when
it is detected as traditional: more of its characters change under t2s than under s2t.
"""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def is_cjk(ch: str) -> bool:
    """A CJK ideograph (unified, extension A, compatibility)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def _changed(a: str, b: str) -> int:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True))
    return sum(1 for c in set(a) if c not in b)


def looks_traditional(text: str) -> bool:
    """True when ``text`` reads as traditional Chinese (more t2s changes than s2t changes)."""
    han = "".join(c for c in text if is_cjk(c))
    if not han:
        return False
    t2s = _changed(han, _converter("t2s").convert(han))
    s2t = _changed(han, _converter("s2t").convert(han))
    return t2s > s2t


def t2s(text: str) -> str:
    """Unconditional OpenCC traditional -> simplified conversion (call only on detected traditional)."""
    return _converter("t2s").convert(text)


def to_simplified(text: str) -> str:
    """Convert ``text`` to simplified only when it is detected as traditional; else return it unchanged."""
    return t2s(text) if looks_traditional(text) else text
