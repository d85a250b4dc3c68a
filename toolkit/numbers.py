"""The one home for Arabic numbers: digit runs, group separators, exact values, English grouping.

Every module that reads or writes a number in digits uses these (the figure reader, the renderer, QA,
evaluate, the review page), so "1,685.08" is one number everywhere and "2014,2015" two.

- Source side (Chinese text): a number is ``\\d+`` with an optional decimal part, or digits grouped in
  threes by a comma or a (thin / no-break) space: "3 000", "1,685.08", "3\u2009000" are one number each.
- English side (``digit_runs``): ``\\d+`` extended by thousands groups ``,ddd`` and one decimal part
  ``.d+``; "2014,2015" is two runs, "2020-12-21" three, a sentence-final "18." is "18". ``\\d`` is any
  Unicode digit, so a full-width "２" is a run no (ASCII) constraint accounts for.
- Signs: a minus sign counts only where it cannot be a separator (``minus_sign_at``, ``ENGLISH_MINUS``):
  "增长-2.5%" is -2.5, "2014-2020" a range, "2019-02-21" a date, "GB-2020" a code.
- Values are ``decimal.Decimal``, never floats: 1685.08 x 10^4 is exactly 16850800.
- English grouping is babel's (CLDR en): "12,000", "16.8508" (never rounded: no decimal quantization).
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal

#: characters that group digits in threes in a source number
GROUP_SEPARATORS = ",， \u2009\u202f\u00a0"
#: a number as Chinese text writes it (half-width digits; normalize maps full-width ones)
SOURCE_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u2009\u202f\u00a0]\d{3})+(?![\d,])|\d+)(?:\.\d+)?"
#: characters that write a minus sign in a source text: hyphen-minus, full-width hyphen-minus, Unicode minus
MINUS_SIGNS = "-\uff0d\u2212"
#: characters after which a minus-like character joins (a range, date, code or phone number), never signs
_JOINS_AFTER = ".．)）]］】」』}%％/／_#'’" + MINUS_SIGNS
#: an English minus sign: "-" or "−" glued to the digits, after no letter, digit, closing bracket, point,
#: comma, slash, percent or dash ("2014-2020", "COVID-19", "pp. 5-10" have none)
ENGLISH_MINUS = r"(?<![\w.,)\]}%/\-\u2212])[-\u2212](?=\d)"
#: a number as English writes it (see the module docstring)
DIGIT_RUN = re.compile(r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?")


def digit_runs(text: str) -> list[str]:
    """The digit runs of an English text, in order (see the module docstring for the tokenization)."""
    return DIGIT_RUN.findall(text)


def minus_sign_at(text: str, i: int) -> bool:
    """Whether ``text[i]`` is the minus sign of the number right after it in a source text, not a separator.

    A minus-like character signs only where it cannot join two things: at the start of the text or after
    a space, a Chinese character (降至-3℃, 增长-2.5%) or opening / separating punctuation (（-3%）, ，-1.2);
    after a digit, a Latin letter, a closing bracket, a point, a slash or another dash it is a range, date,
    code or phone separator ("2014-2020", "2019-02-21", "GB-2020", "0851-8765432"). The figure reader also
    rejects one that follows a figure (5人-10人, 2014年-2020), which only it can know.
    """
    if not (0 <= i < len(text) - 1) or text[i] not in MINUS_SIGNS or not text[i + 1].isdigit():
        return False
    if i == 0:
        return True
    prev = text[i - 1]
    return not (prev.isdigit() or (prev.isascii() and prev.isalpha()) or prev in _JOINS_AFTER)


def to_decimal(number: str) -> Decimal:
    """The exact value of a written number, its group separators dropped ("3 000" -> 3000)."""
    return Decimal("".join(c for c in number if c not in GROUP_SEPARATORS))


def plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 2.340E+9 -> "2340000000", 16.850800 -> "16.8508"."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def grouped(value: Decimal) -> str:
    """English digits with thousands separators, exact: 12000 -> "12,000", 1823000.5 -> "1,823,000.5"."""
    return format_decimal(value.normalize(), locale="en_US", decimal_quantization=False)
