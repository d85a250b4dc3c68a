"""An independent reader of the figures in English text, for QA by value.

This is deliberately *not* the renderer run backwards: it knows nothing of Chinese, of the renderer's
tables or of the two modes. It reads English as an English reader would - "over 2.34 billion yuan",
"23.4 hundred million yuan", "December 21, 2020", "by the end of 2019", "the mid-1980s", "at least once",
"5.9, 19.1 and 43.6 percentage points", "Grade II", "one quarter" - into a ``Reading``: a value (exact
Decimal), qualifier, unit, rate, date, relation. QA (``toolkit.check``) compares readings with the source
figures and proves that no number reaches the English that the source does not have.

Signs: "-5", "−5" (a minus glued to the digits where it cannot be a separator: ``numbers.ENGLISH_MINUS``),
"minus 5", "negative 3.2%" and "negative growth of 3.2%" read as negative values; "2014-2020", "5-10
people", "2019-02-21" and "COVID-19" hold no sign. A range, list or mixed amount never starts right after
a sign, so "-3-5" is -3 and 5, not the range 3 to 5 with its sign lost; a range with "to" reads each
end's sign ("minus 3 to minus 5 degrees Celsius", "-3 to 5 degrees Celsius") in written order, and a
list each item's minus ("1.2, -3.4 and 5%").

Qualifier codes: gt (more than, over), ge (at least, or more), le (at most, up to, within, or under),
lt (less than, under), about, nearly, pm (a tolerance: "plus or minus 3%", "±3%"; no sign, the value
stays positive). Units are read into short keys (yuan, person, household, mu, km,
percent, point, time, year, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import DIGIT_RUN, ENGLISH_MINUS, to_decimal

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_SCALE_WORDS = {
    "ten": 10,
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "quadrillion": 10**15,
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": 9}
_FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}

QUALIFIERS_BEFORE = {
    "more than": "gt",
    "over": "gt",
    "above": "gt",
    "exceeding": "gt",
    "in excess of": "gt",
    "at least": "ge",
    "no less than": "ge",
    "not less than": "ge",
    "no fewer than": "ge",
    "not fewer than": "ge",
    "a minimum of": "ge",
    "at most": "le",
    "no more than": "le",
    "not more than": "le",
    "up to": "le",
    "within": "le",
    "a maximum of": "le",
    "no higher than": "le",
    "less than": "lt",
    "under": "lt",
    "below": "lt",
    "fewer than": "lt",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "plus or minus": "pm",
    "plus/minus": "pm",
    "±": "pm",
}
QUALIFIERS_AFTER = {
    "or more": "ge",
    "or above": "ge",
    "and above": "ge",
    "or over": "ge",
    "and over": "ge",
    "or less": "le",
    "or under": "le",
    "or below": "le",
    "and below": "le",
}
#: English unit words -> key (plural and singular, US and British spellings)
UNITS = {
    "yuan": "yuan",
    "us dollars": "usd",
    "us dollar": "usd",
    "hong kong dollars": "hkd",
    "hong kong dollar": "hkd",
    "new taiwan dollars": "twd",
    "new taiwan dollar": "twd",
    "euros": "eur",
    "euro": "eur",
    "mu": "mu",
    "hectares": "hectare",
    "hectare": "hectare",
    "square kilometers": "km2",
    "square kilometres": "km2",
    "square kilometer": "km2",
    "sq km": "km2",
    "square meters": "m2",
    "square metres": "m2",
    "square meter": "m2",
    "sq m": "m2",
    "cubic meters": "m3",
    "cubic metres": "m3",
    "kilometers": "km",
    "kilometres": "km",
    "kilometer": "km",
    "km": "km",
    "centimeters": "cm",
    "centimetres": "cm",
    "centimeter": "cm",
    "cm": "cm",
    "millimeters": "mm",
    "millimetres": "mm",
    "mm": "mm",
    "meters": "m",
    "metres": "m",
    "meter": "m",
    "m": "m",
    "tons": "ton",
    "tonnes": "ton",
    "ton": "ton",
    "kilograms": "kg",
    "kilogram": "kg",
    "kg": "kg",
    "grams": "g",
    "jin": "jin",
    "kilowatt-hours": "kwh",
    "kilowatts": "kw",
    "megawatts": "mw",
    "watts": "w",
    "people": "person",
    "persons": "person",
    "person": "person",
    "households": "household",
    "household": "household",
    "person-times": "person-time",
    "person-time": "person-time",
    "household-times": "household-time",
    "times": "time",
    "time": "time",
    "sessions": "session",
    "session": "session",
    "events": "session",
    "years": "year",
    "year": "year",
    "months": "month",
    "month": "month",
    "days": "day",
    "day": "day",
    "weeks": "week",
    "week": "week",
    "hours": "hour",
    "hour": "hour",
    "minutes": "minute",
    "seconds": "second",
    "percentage points": "point",
    "percentage point": "point",
    "percent": "percent",
    "per cent": "percent",
    "per mille": "permille",
    "birds": "bird",
    "bird": "bird",
    "head": "head",
    "towns": "town",
    "town": "town",
    "townships": "township",
    "township": "township",
    "villages": "village",
    "village": "village",
    "counties": "county",
    "county": "county",
    "districts": "district",
    "district": "district",
    "cities": "city",
    "city": "city",
    "degrees celsius": "celsius",
    "degree celsius": "celsius",
    "provinces": "province",
    "province": "province",
    "beds": "bed",
    "bed": "bed",
    "levels": "level",
    "level": "level",
}
_PER = {
    "household": "household",
    "person": "person",
    "capita": "person",
    "mu": "mu",
    "year": "year",
    "month": "month",
    "day": "day",
    "ton": "ton",
    "kilogram": "kg",
}


@dataclass(frozen=True)
class Reading:
    """What an English figure says. ``kind``: number | date | range | list | ordinal | grade | fraction |
    decade. Dates are (year, month, day) with None where unsaid; ``value`` of a decade is its first year."""

    kind: str
    value: Decimal | None = None
    hi: Decimal | None = None
    items: tuple[Decimal, ...] = ()
    qualifier: str | None = None
    unit: str | None = None
    per: str | None = None
    date: tuple[int | None, int | None, int | None] | None = None
    relation: str | None = None
    part: str | None = None
    text: str = field(default="", compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def has_digits(self) -> bool:
        return any(c.isdigit() for c in self.text)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
_WORD_NUM = r"\b(?:" + _alt(_WORDS) + r")\b"
_SCALES = r"(?:\s+(?:" + _alt(_SCALE_WORDS) + r")\b)*"
_MONTH = (
    r"\b(?P<mon>"
    + _alt([m.capitalize() for m in _MONTHS] + [a.capitalize() + "." for a in _MONTH_ABBR])
    + r")"
)
_REL = (
    r"(?:(?P<rel>since|by|as of|from|before|until)\s+)?(?P<endof>the end of\s+|end-)?"
    r"(?P<half>the\s+(?:first|second)\s+half\s+of\s+)?"
)
_PART = r"(?:(?P<part>early-to-mid|mid-to-late|early|mid-|late)\s*)?"
#: a sign before a number: the minus glued to it, or a word ("minus", "negative"; any case)
_SIGN = r"(?P<sign>" + ENGLISH_MINUS + r"|\b(?i:minus|negative)\s+)?"
#: "negative growth of" before the qualifier: the whole figure is negative
_GROWTH = r"(?:\b(?P<growth>(?i:negative\s+growth\s+of))\s+)?"
#: no sign right before: where a range, list or mixed amount may start
_UNSIGNED = r"(?<!" + ENGLISH_MINUS.removesuffix(r"(?=\d)") + r")(?<!(?i:minus) )(?<!(?i:negative) )"
#: a qualifier before the number: words then a space, or "±" glued to the number ("±3%")
_QB = r"(?:(?P<qb>" + _alt(QUALIFIERS_BEFORE) + r")(?:\s+|(?<=±)))?"
_QA = r"(?:\s+(?P<qa>" + _alt(QUALIFIERS_AFTER) + r"))?"
_UNIT = r"(?:\s*(?P<pct>%|‰)|\s+(?P<unit>(?i:" + _alt(UNITS) + r"))\b)?"
_PER_RE = r"(?:\s+per\s+(?P<per>" + _alt(_PER) + r")\b)?"

_DATE_RES = [
    re.compile(_REL + _PART + _MONTH + r"\s+(?P<d>\d{1,2}),\s+(?P<y>\d{4})\b"),
    re.compile(_REL + _PART + r"\b(?P<d>\d{1,2})\s+" + _MONTH + r"\s+(?P<y>\d{4})\b"),
    re.compile(_REL + r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])"),
    re.compile(_REL + _PART + _MONTH + r"\s+(?P<y>\d{4})\b"),
    re.compile(_REL + _PART + _MONTH + r"\s+(?P<d>\d{1,2})\b(?![,.]?\d)"),
    re.compile(_REL + _PART + r"\b(?P<d>\d{1,2})\s+" + _MONTH + r"(?!\s+\d)"),
    re.compile(r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b(?!\s*[A-Za-z-])"),
]
_MONTH_ONLY_RE = re.compile(_REL + _PART + _MONTH + r"(?!\s+\d)")
_MONTH_RANGE_RE = re.compile(
    _MONTH.replace("mon", "m1") + r"\s*(?:[-–—]|\s+to\s+)\s*" + _MONTH.replace("mon", "m2")
    + r"(?:,?\s+(?:of\s+)?(?P<y>\d{4})\b)?"
)
#: days of one month: "December 8-10", "December 8 to 10, 2021", "8-10 December 2021"
_DAY_RANGE_RE = re.compile(
    r"(?:" + _MONTH + r"\s+(?P<a>\d{1,2})\s*(?:[-–—]|\s+to\s+)\s*(?P<b>\d{1,2})\b(?:,\s+(?P<y>\d{4})\b)?"
    r"|\b(?P<a2>\d{1,2})\s*(?:[-–—]|\s+to\s+)\s*(?P<b2>\d{1,2})\s+" + _MONTH.replace("mon", "mon2")
    + r"(?:\s+(?P<y2>\d{4})\b)?)"
)
_PAIR_RE = re.compile(r"(?<![\d:.,])(?P<a>\d+(?:\.\d+)?):(?P<b>\d+(?:\.\d+)?)(?![\d:])")
_DOCNUM_RE = re.compile(r"\[(?P<y>\d{4})\]\s*No\.\s*(?P<n>\d+)\b")
_DECADE_RE = re.compile(r"\bthe\s+(?P<part>early\s+|mid-|late\s+)?(?P<y>\d{3}0)s\b")
_YEAR_RE = re.compile(
    _REL + _PART + r"(?<![\d.,\-\u2212])(?P<y>(?:19|20)\d{2})(?![\d,]|\.\d|-\d|\s*%)"
    r"(?!\s+(?:" + _alt(list(UNITS) + list(_SCALE_WORDS)) + r")\b)"
)
_PAST_RE = re.compile(
    r"\b(?:over|in|during)?\s*the\s+(?:past|last)\s+(?P<n>"
    + _NUM
    + "|"
    + _WORD_NUM
    + r")\s+(?P<unit>years?|months?|days?)\b"
)
_RANGE_RE = re.compile(
    _QB
    + _UNSIGNED
    + r"(?P<a>"
    + _NUM
    + r")(?P<apct>%)?(?:\s*[-–—]\s*|\s+to\s+)(?P<b>"
    + _NUM
    + r")(?P<mag>"
    + _SCALES
    + r")"
    + _UNIT
)
#: a list item: a number with an optional minus glued to it ("1.2, -3.4 and 5%")
_ITEM = r"(?:" + ENGLISH_MINUS + r")?" + _NUM
#: a range with a signed end, "to" between: "minus 3 to minus 5 degrees Celsius", "-3 to 5 degrees Celsius",
#: "-3% to 5%" (a range written with a hyphen never starts after a sign: see _UNSIGNED)
_END_SIGN = r"(?:" + ENGLISH_MINUS + r"|\b(?i:minus)\s+)"
_SIGNED_RANGE_RE = re.compile(
    _QB
    + r"(?P<sa>"
    + _END_SIGN
    + r")?(?P<a>"
    + _NUM
    + r")(?P<apct>%)?\s+to\s+(?P<sb>"
    + _END_SIGN
    + r")?(?P<b>"
    + _NUM
    + r")"
    + _UNIT
)
_LIST_RE = re.compile(
    _UNSIGNED
    + r"(?P<items>"
    + _ITEM
    + r"(?:,\s+"
    + _ITEM
    + r")*),?\s+and\s+(?P<last>"
    + _ITEM
    + r")(?P<mag>"
    + _SCALES
    + r")"
    + _UNIT
)
_MIXED_RE = re.compile(
    _GROWTH
    + _QB
    + _SIGN
    + r"(?P<a>"
    + _NUM
    + r")(?P<amag>"
    + _SCALES
    + r")\s+(?P<b>"
    + _NUM
    + r")(?P<mag>"
    + _SCALES
    + r")"
    + _UNIT
    + _PER_RE
    + _QA
)
_LABELS = {
    "issue": "issue",
    "no.": "no",
    "article": "article",
    "chapter": "chapter",
    "section": "section",
    "paragraph": "paragraph",
    "part": "part",
    "volume": "volume",
    "page": "page",
    "edition": "edition",
}
_LABEL_RE = re.compile(
    r"\b(?P<label>Issue|No\.|Article|Chapter|Section|Paragraph|Part|Volume|Page|Edition)"
    r"\s+(?P<n>\d+)\b"
)
_ORDINAL_RE = re.compile(
    r"(?<![\d.,])(?P<n>\d+)(?:st|nd|rd|th)\b|\b(?P<w>" + _alt(_ORDINAL_WORDS) + r")\b", re.IGNORECASE
)
_GRADE_RE = re.compile(r"\bGrade\s+(?P<g>IV|V|I{1,3}|[A-D])\b")
_FRACTION_RE = re.compile(
    _QB + r"\b(?P<n>" + _alt(_WORDS) + r"|a|an|\d+)\s+(?P<f>" + _alt(_FRACTIONS) + r")\b"
)
_ONCE_RE = re.compile(_QB + r"\b(?P<w>once|twice)\b" + _QA)
_QUANTITY_RE = re.compile(
    _GROWTH
    + _QB + r"(?P<aged>aged\s+)?(?P<qb2>" + _alt(QUALIFIERS_BEFORE) + r"\s+)?(?:(?P<cur>RMB|US\$|HK\$)\s*)?"
    + _SIGN
    + r"(?P<n>" + _NUM + "|" + _WORD_NUM + r")(?P<mag>" + _SCALES + r")" + _UNIT + _PER_RE + _QA
)


def _scale(words: str) -> int:
    out = 1
    for w in words.split():
        out *= _SCALE_WORDS[w]
    return out


def _number(text: str) -> Decimal:
    return Decimal(_WORDS[text.lower()]) if text.lower() in _WORDS else to_decimal(text)


def _item(text: str) -> Decimal:
    """A list item's value: "-3.4" / "−3.4" -> -3.4, "1,200" -> 1200."""
    return -to_decimal(text[1:]) if text[:1] in "-\u2212" else to_decimal(text)


def _signed(m: re.Match[str], value: Decimal) -> Decimal:
    """``value`` negated when the match has a sign or says "negative growth of"."""
    g = m.groupdict()
    return -value if g.get("sign") or g.get("growth") else value


def _unit(m: re.Match[str]) -> str | None:
    if m.groupdict().get("pct"):
        return "percent" if m.group("pct") == "%" else "permille"
    u = m.groupdict().get("unit")
    if u:
        return UNITS[u.lower()]
    cur = m.groupdict().get("cur")
    return {"RMB": "yuan", "US$": "usd", "HK$": "hkd"}.get(cur or "")


def _qualifier(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    before = g.get("qb") or (g.get("qb2") or "").strip() or None
    after = g.get("qa")
    codes = [
        QUALIFIERS_BEFORE[before.lower()] if before else None,
        QUALIFIERS_AFTER[after] if after else None,
    ]
    codes = [c for c in codes if c]
    return codes[-1] if codes else None


def _relation(m: re.Match[str]) -> tuple[str | None, str | None]:
    g = m.groupdict()
    rel = g.get("rel")
    rel = {"as of": "as-of", "until": "by"}.get(rel or "", rel)
    part = (g.get("part") or "").strip().rstrip("-") or None
    if g.get("endof"):
        part = "end"
    if g.get("half"):
        part = "first-half" if "first" in g["half"] else "second-half"
    return rel, part


class _Scan:
    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        self.out: list[Reading] = []

    def add(self, a: int, b: int, **kw) -> bool:
        if a >= b or any(self.taken[a:b]):
            return False
        self.taken[a:b] = b"\x01" * (b - a)
        self.out.append(Reading(text=self.text[a:b], start=a, end=b, **kw))
        return True


def _month(name: str) -> int:
    n = name.lower().rstrip(".")
    return _MONTHS.get(n) or _MONTH_ABBR[n[:4] if n == "sept" else n[:3]]


def read_english(text: str) -> list[Reading]:
    """Every figure of an English text, in order; any digit run no pattern explains is a bare number."""
    sc = _Scan(text)
    for m in _DOCNUM_RE.finditer(text):
        sc.add(m.start(), m.end(), kind="docnum", items=(Decimal(m.group("y")), Decimal(m.group("n"))))
    for m in _MONTH_RANGE_RE.finditer(text):
        lo, hi = Decimal(_month(m.group("m1"))), Decimal(_month(m.group("m2")))
        year = (int(m.group("y")), None, None) if m.group("y") else None
        sc.add(m.start(), m.end(), kind="range", value=lo, hi=hi, unit="calendar-month", date=year)
    for m in _DAY_RANGE_RE.finditer(text):
        g = {k: v for k, v in m.groupdict().items() if v}
        mon, a, b = g.get("mon") or g["mon2"], g.get("a") or g["a2"], g.get("b") or g["b2"]
        y = g.get("y") or g.get("y2")
        if 1 <= int(a) < int(b) <= 31:
            sc.add(m.start(), m.end(), kind="range", value=Decimal(a), hi=Decimal(b), unit="calendar-day",
                   date=(int(y) if y else None, _month(mon), None))
    for m in _PAIR_RE.finditer(text):
        sc.add(m.start(), m.end(), kind="pair", items=(to_decimal(m.group("a")), to_decimal(m.group("b"))))
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            g = m.groupdict()
            if g.get("mon"):
                month = _month(g["mon"])
            elif g.get("m"):
                month = int(g["m"])
            else:
                month = None
            day = int(g["d"]) if g.get("d") else None
            year = int(g["y"]) if g.get("y") else None
            rel, part = _relation(m)
            if (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31):
                sc.add(m.start(), m.end(), kind="date", date=(year, month, day), relation=rel, part=part)
    for m in _DECADE_RE.finditer(text):
        part = (m.group("part") or "").strip().rstrip("-") or None
        sc.add(m.start(), m.end(), kind="decade", value=Decimal(m.group("y")), part=part)
    for m in _PAST_RE.finditer(text):
        unit = UNITS[m.group("unit").lower()]
        sc.add(m.start(), m.end(), kind="number", value=_number(m.group("n")), unit=unit, relation="past")
    for m in _MIXED_RE.finditer(text):
        a = to_decimal(m.group("a")) * _scale(m.group("amag"))
        value = _signed(m, a + to_decimal(m.group("b")) * _scale(m.group("mag")))
        if m.group("amag").strip() and m.group("mag").strip():
            sc.add(
                m.start(),
                m.end(),
                kind="number",
                value=value,
                unit=_unit(m),
                qualifier=_qualifier(m),
                per=_PER.get((m.group("per") or "").lower()),
            )
    for m in _LIST_RE.finditer(text):
        scale = _scale(m.group("mag"))
        items = tuple(_item(x) * scale for x in re.findall(_ITEM, m.group("items"))) + (
            _item(m.group("last")) * scale,
        )
        if _unit(m):
            sc.add(m.start(), m.end(), kind="list", items=items, unit=_unit(m))
    for m in _SIGNED_RANGE_RE.finditer(text):
        if m.group("sa") or m.group("sb"):  # in written order: a fall (-3 to -5) as much as a rise
            sc.add(
                m.start(),
                m.end(),
                kind="range",
                value=-to_decimal(m.group("a")) if m.group("sa") else to_decimal(m.group("a")),
                hi=-to_decimal(m.group("b")) if m.group("sb") else to_decimal(m.group("b")),
                unit=_unit(m) or ("percent" if m.group("apct") else None),
                qualifier=_qualifier(m),
            )
    for m in _RANGE_RE.finditer(text):
        scale = _scale(m.group("mag"))
        lo, hi = to_decimal(m.group("a")) * scale, to_decimal(m.group("b")) * scale
        if lo < hi or (len(m.group("a")) == 4 and len(m.group("b")) == 4):
            sc.add(
                m.start(),
                m.end(),
                kind="range",
                value=lo,
                hi=hi,
                unit=_unit(m) or ("percent" if m.group("apct") else None),
                qualifier=_qualifier(m),
            )
    for m in _YEAR_RE.finditer(text):
        rel, part = _relation(m)
        a = m.start() if (rel or part) else m.start("y")
        sc.add(a, m.end(), kind="number", value=Decimal(m.group("y")), relation=rel, part=part)
    for m in _LABEL_RE.finditer(text):
        sc.add(
            m.start(),
            m.end(),
            kind="ordinal",
            value=Decimal(m.group("n")),
            unit=_LABELS[m.group("label").lower()],
        )
    for m in _GRADE_RE.finditer(text):
        g = m.group("g")
        value = _ROMAN.get(g) or "ABCD".index(g) + 1
        sc.add(m.start(), m.end(), kind="grade", value=Decimal(value))
    for m in _FRACTION_RE.finditer(text):
        n = m.group("n").lower()
        num = 1 if n in ("a", "an") else _number(n)
        den = _FRACTIONS[m.group("f").lower()]
        if den == 10:  # "3 tenths", "one tenth": tens of percent (3成, 一成, 十分之一)
            sc.add(
                m.start(),
                m.end(),
                kind="number",
                value=Decimal(num) * 10,
                unit="percent",
                qualifier=_qualifier(m),
            )
        else:
            sc.add(
                m.start(),
                m.end(),
                kind="fraction",
                value=Decimal(num) / Decimal(den),
                qualifier=_qualifier(m),
            )
    for m in _ONCE_RE.finditer(text):
        sc.add(
            m.start(),
            m.end(),
            kind="number",
            value=Decimal(1 if m.group("w").lower() == "once" else 2),
            unit="time",
            qualifier=_qualifier(m),
        )
    for m in _MONTH_ONLY_RE.finditer(text):
        rel, part = _relation(m)
        if rel or part or m.start("mon") > 0 or m.end() == len(text):  # "May ..." may open with the verb
            sc.add(
                m.start(),
                m.end(),
                kind="date",
                date=(None, _month(m.group("mon")), None),
                relation=rel,
                part=part,
            )
    for m in _ORDINAL_RE.finditer(text):
        if m.group("n"):
            sc.add(m.start(), m.end(), kind="ordinal", value=Decimal(m.group("n")))
    for m in _QUANTITY_RE.finditer(text):
        n = m.group("n")
        value = _signed(m, _number(n) * _scale(m.group("mag")))
        unit = "age" if m.group("aged") else _unit(m)
        sc.add(
            m.start(),
            m.end(),
            kind="number",
            value=value,
            unit=unit,
            qualifier=_qualifier(m),
            per=_PER.get((m.group("per") or "").lower()),
        )
    for m in _ORDINAL_RE.finditer(text):
        value = int(m.group("n")) if m.group("n") else _ORDINAL_WORDS[m.group("w").lower()]
        sc.add(m.start(), m.end(), kind="ordinal", value=Decimal(value))
    for m in DIGIT_RUN.finditer(text):  # anything left: a bare number, so that no digit escapes QA
        sc.add(m.start(), m.end(), kind="number", value=to_decimal(m.group()))
    return sorted(sc.out, key=lambda r: r.start)
