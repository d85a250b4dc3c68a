"""The one home for Chinese-character numerals: their value (cn2an) and their characters.

cn2an (a maintained library) converts 十八, 二十三, 一百零五, 两千 and 二〇二〇; we add only what it does not
do: year digits read one by one (二〇一八 -> 2018, which cn2an reads as 2018 too but rejects with 〇 in
some positions), fractions (四分之一 -> 1/4, 百分之三十 -> 30/100) and the small words of this domain.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cache

import cn2an

#: characters that may make up a Chinese numeral (值 below ten thousand plus 万/亿 for amounts)
DIGIT_CHARS = "〇零一二两三四五六七八九"
UNIT_CHARS = "十百千"
NUMERAL_CHARS = DIGIT_CHARS + UNIT_CHARS
_YEAR_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}


@cache
def cn_int(numeral: str) -> int | None:
    """The value of a Chinese numeral (十八 -> 18, 两 -> 2, 一百零五 -> 105); None if it is not one."""
    if not numeral or any(c not in NUMERAL_CHARS for c in numeral):
        return None
    try:
        value = cn2an.cn2an(numeral, "strict" if numeral not in ("两",) else "smart")
    except (ValueError, KeyError):
        try:
            value = cn2an.cn2an(numeral, "smart")
        except (ValueError, KeyError):
            return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value)


def cn_year(numeral: str) -> int | None:
    """A year written digit by digit (二〇二〇 -> 2020); None unless every character is a year digit."""
    if len(numeral) != 4 or any(c not in _YEAR_DIGITS for c in numeral):
        return None
    return int("".join(str(_YEAR_DIGITS[c]) for c in numeral))


def cn_fraction(denominator: str, numerator: str) -> Fraction | None:
    """X分之Y: 四分之一 -> 1/4, 三分之二 -> 2/3, 百分之三十 -> 30/100 (kept unreduced meaning: a ratio)."""
    d = 100 if denominator == "百" else 1000 if denominator == "千" else cn_int(denominator)
    n = cn_int(numerator)
    if not d or n is None:
        return None
    return Fraction(n, d)


def cn_decimal(numeral: str) -> Decimal | None:
    """A numeral with a decimal point (二十五点五 -> 25.5; 十五 -> 15): the whole part as ``cn_int``, the
    digits after 点 one by one (cn2an reads 点 as well, but through a float). None if it is not one."""
    whole, dot, frac = numeral.partition("点")
    n = cn_int(whole)
    if n is None or (dot and (not frac or any(c not in _YEAR_DIGITS for c in frac))):
        return None
    return Decimal(f"{n}.{''.join(str(_YEAR_DIGITS[c]) for c in frac)}" if dot else n)
