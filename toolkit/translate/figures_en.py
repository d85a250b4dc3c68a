"""The English of a figure: the target-side constraint the decoder must emit, in one of two modes.

Shape: ``[qualifier] NUMBER [magnitude] [unit] [per ...]`` for quantities; a date, year, decade, ordinal or
grade reads as English writes it ("December 21, 2020", "by the end of 2019", "the 1980s", "Issue 93",
"Grade II"). The house style is /work/shared/figures/STYLE.md.

Modes (``--figures``):
- ``verbatim`` (default): the source's digit strings unchanged, Chinese magnitudes as words: 23.4亿元 ->
  "23.4 hundred million yuan", 1.2万余亩 -> "more than 1.2 ten thousand mu". A reader can check every
  number against the Chinese character for character.
- ``english``: what an English reader expects, by exact decimal arithmetic (never a float, never
  rounded): 23.4亿元 -> "2.34 billion yuan", 22.38万人 -> "223,800 people", 1685.08万元 -> "16.8508 million
  yuan"; thousands separators from 1,000 up (never in years, codes or issue numbers).

In both modes: months are names; Chinese numerals one to nine are words ("two levels"), never a digit the
source does not show; a qualifier keeps its legal meaning (以上 includes the number: "at least";
余 / 超过 exclude it: "more than" / "over"); a classifier (个 件 项 名 ...) is dropped, the counted noun
being in the sentence for the model to translate (项目18个 -> "18").

Signs (``Figure.sign``), the same in both modes, because the sign is no digit and the mode only changes
how the number is written: a minus sign or 负 -> "-" (-2.5%, "about -3 degrees Celsius"), the ASCII
hyphen-minus that every model vocabulary spells and English tables write; 零下 -> "minus" ("minus 5
degrees Celsius", as English weather reports say below zero); 负增长 -> "negative growth of" before the
qualifier ("negative growth of 3.2%"), which carries the word 增长 too, so the model, seeing 负增长 in the
source, has no unforced "negative growth" to add to a bare "-3.2%" (a double negative). A tolerance
(正负 / ± / 上下浮动) is no sign but a qualifier: "plus or minus 3%" in words, which any vocabulary spells
where "±" may be an unknown token. A signed range is joined by "to", each end with its own sign ("minus 3
to minus 5 degrees Celsius", "-3 to 5 degrees Celsius"); a list keeps each item's sign and the shared
unit ("1.2, -3.4 and 5%").
"""

from __future__ import annotations

from decimal import Decimal

from babel.dates import get_month_names
from num2words import num2words

from ..doc import Figure
from ..figures import exact_value, magnitude_power, qualifier_code
from ..numbers import grouped, plain, to_decimal
from ..numerals import cn_int

MODES = ("verbatim", "english")
DEFAULT_MODE = "verbatim"

#: English for 10^n, in words only (verbatim mode: no digit may enter beside the source's)
_POWER_WORDS = {
    1: "ten",
    2: "hundred",
    3: "thousand",
    4: "ten thousand",
    5: "hundred thousand",
    6: "million",
    7: "ten million",
    8: "hundred million",
    9: "billion",
    10: "ten billion",
    11: "hundred billion",
    12: "trillion",
    13: "ten trillion",
    14: "hundred trillion",
    15: "quadrillion",
    16: "ten quadrillion",
}
#: the scales English names a large amount by (english mode)
_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))

#: English of each Chinese qualifier, placed before the number
QUALIFIER_EN = {
    "余": "more than",
    "多": "more than",
    "多于": "more than",
    "大于": "more than",
    "超过": "over",
    "超过了": "over",
    "超": "over",
    "逾": "over",
    "高于": "over",
    "近": "nearly",
    "将近": "nearly",
    "接近": "nearly",
    "近乎": "nearly",
    "约": "about",
    "大约": "about",
    "大概": "about",
    "左右": "about",
    "上下": "about",
    "不到": "less than",
    "不足": "less than",
    "不满": "less than",
    "低于": "less than",
    "少于": "less than",
    "以下": "up to",
    "及以下": "up to",
    "以内": "up to",
    "之内": "up to",
    # words, not "±": every model vocabulary spells them, and the tolerance must never be lost
    "正负": "plus or minus",
    "±": "plus or minus",
    "上下浮动": "plus or minus",
}
_CODE_EN = {
    "ge": "at least",
    "le": "at most",
    "gt": "more than",
    "lt": "less than",
    "about": "about",
    "nearly": "nearly",
    "pm": "plus or minus",
}
_TIME_UNITS = {"年", "个月", "天", "周", "小时", "分钟"}

#: measure units: (singular, plural); a unit absent here is a classifier and is dropped
UNIT_EN: dict[str, tuple[str, str]] = {
    "元": ("yuan", "yuan"),
    "美元": ("US dollar", "US dollars"),
    "港元": ("Hong Kong dollar", "Hong Kong dollars"),
    "港币": ("Hong Kong dollar", "Hong Kong dollars"),
    "新台币": ("New Taiwan dollar", "New Taiwan dollars"),
    "欧元": ("euro", "euros"),
    "亩": ("mu", "mu"),
    "公顷": ("hectare", "hectares"),
    "平方公里": ("square kilometer", "square kilometers"),
    "平方千米": ("square kilometer", "square kilometers"),
    "平方米": ("square meter", "square meters"),
    "立方米": ("cubic meter", "cubic meters"),
    "公里": ("kilometer", "kilometers"),
    "千米": ("kilometer", "kilometers"),
    "厘米": ("centimeter", "centimeters"),
    "毫米": ("millimeter", "millimeters"),
    "米": ("meter", "meters"),
    "吨": ("ton", "tons"),
    "公斤": ("kilogram", "kilograms"),
    "千克": ("kilogram", "kilograms"),
    "克": ("gram", "grams"),
    "斤": ("jin", "jin"),
    "千瓦时": ("kilowatt-hour", "kilowatt-hours"),
    "千瓦": ("kilowatt", "kilowatts"),
    "兆瓦": ("megawatt", "megawatts"),
    "瓦": ("watt", "watts"),
    "人": ("person", "people"),
    "户": ("household", "households"),
    "人次": ("person-time", "person-times"),
    "户次": ("household-time", "household-times"),
    "次": ("time", "times"),
    "倍": ("time", "times"),
    "场次": ("session", "sessions"),
    "场": ("session", "sessions"),
    "年": ("year", "years"),
    "个月": ("month", "months"),
    "天": ("day", "days"),
    "周": ("week", "weeks"),
    "小时": ("hour", "hours"),
    "分钟": ("minute", "minutes"),
    "秒": ("second", "seconds"),
    "百分点": ("percentage point", "percentage points"),
    "个百分点": ("percentage point", "percentage points"),
    "羽": ("bird", "birds"),
    "头": ("head", "head"),
    "镇": ("town", "towns"),
    "乡": ("township", "townships"),
    "村": ("village", "villages"),
    "县": ("county", "counties"),
    "区": ("district", "districts"),
    "市": ("city", "cities"),
    "省": ("province", "provinces"),
    "床": ("bed", "beds"),
    "级": ("level", "levels"),
    "摄氏度": ("degree Celsius", "degrees Celsius"),
    "℃": ("degree Celsius", "degrees Celsius"),
    "大": ("major", "major"),
}
PER_EN = {
    "户": "household",
    "人": "person",
    "亩": "mu",
    "年": "year",
    "月": "month",
    "天": "day",
    "吨": "ton",
    "公斤": "kilogram",
    "千克": "kilogram",
}
_PERCENT = {"%": "%", "％": "%", "‰": "‰"}

#: ordinals that English writes as a label before the number
ORDINAL_LABEL_EN = {
    "期": "Issue",
    "号": "No.",
    "条": "Article",
    "章": "Chapter",
    "节": "Section",
    "款": "Paragraph",
    "卷": "Volume",
    "部分": "Part",
    "页": "Page",
    "版": "Edition",
}
#: ordinals whose noun English keeps after the ordinal word (第四代 -> "fourth generation")
ORDINAL_NOUN_EN = {"代": "generation", "轮": "round", "批": "batch", "季度": "quarter", "阶段": "stage"}
_FRACTION_EN = {2: ("half", "halves"), 4: ("quarter", "quarters")}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
_MONTHS = get_month_names("wide", locale="en")
_RELATION_EN = {"since": "since", "by": "by", "as-of": "as of", "from": "from", "before": "before"}
_PART_EN = {
    "early": "early",
    "mid": "mid-",
    "late": "late",
    "early-to-mid": "early-to-mid",
    "mid-to-late": "mid-to-late",
    "first-half": "the first half of",
    "second-half": "the second half of",
    "end": "the end of",
}


def magnitude_en(magnitude: str) -> str:
    """English words for a Chinese magnitude (亿 -> "hundred million"); ValueError if it is not one."""
    power = magnitude_power(magnitude)
    if not magnitude or power not in _POWER_WORDS:
        raise ValueError(f"not a Chinese magnitude: {magnitude!r}")
    return _POWER_WORDS[power]


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _word(n: int) -> str:
    """One to nine as words, larger numbers as digits (STYLE.md: never a digit the source does not show)."""
    return num2words(n) if 0 < n < 10 else str(n)


def _ordinal(n: int, *, words: bool) -> str:
    if words and 0 < n < 10:
        return num2words(n, to="ordinal")
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _as_written(digits: str) -> str:
    """The source's digits, a space or thin-space group separator written as English's comma."""
    return "".join("," if c in " \u2009\u202f\u00a0，" else c for c in digits)


def _scaled(value: Decimal) -> str:
    """english mode: 2340000000 -> "2.34 billion", 223800 -> "223,800", 16850800 -> "16.8508 million"."""
    for size, word in _SCALES:
        if value >= size:
            return f"{plain(value / size)} {word}"
    return grouped(value)


def _english_number(digits: str, magnitude: str | None) -> str:
    value = to_decimal(digits)
    if magnitude:
        return _scaled(value * Decimal(10) ** magnitude_power(magnitude))
    return grouped(value) if value >= 10000 else _as_written(digits)  # 1,000-9,999 keep their form


def _number(fig: Figure, digits: str, mode: str) -> str:
    """A number with its magnitude, as the mode writes it."""
    if mode == "english":
        return _english_number(digits, fig.magnitude)
    return _join(_as_written(digits), magnitude_en(fig.magnitude) if fig.magnitude else None)


def _signed(fig: Figure) -> tuple[str | None, str]:
    """A figure's sign in English (see the module docstring on signs): the words before its qualifier
    and the prefix glued to its number: (None, "-"), (None, "minus "), ("negative growth of", "") or
    (None, "")."""
    if fig.sign != "-":
        return None, ""
    if "负增长" in fig.text:
        return "negative growth of", ""
    return None, "minus " if "零下" in fig.text else "-"


def _qualifier(fig: Figure) -> str | None:
    if not fig.approx:
        return None
    first = fig.approx.split("+")[0]
    code = qualifier_code(fig.approx)
    if code == "le" and first in ("以内", "之内") and fig.unit in _TIME_UNITS:
        return "within"
    if code in ("ge",):
        return "at least"
    if code == "le" and first not in QUALIFIER_EN:
        return "at most"
    return QUALIFIER_EN.get(first) or _CODE_EN.get(code or "")


def _unit(fig: Figure, one: bool) -> str | None:
    names = UNIT_EN.get(fig.unit or "")
    return None if names is None else names[0 if one else 1]


def _per(fig: Figure) -> str | None:
    return f"per {PER_EN[fig.per]}" if fig.per in PER_EN else None


def _quantity(fig: Figure, mode: str) -> str:
    """[sign words] qualifier + [sign] number + magnitude + unit (+ per ...), for counts, amounts and
    percents."""
    lead, sign = _signed(fig)
    return _join(lead, _unsigned_quantity(fig, mode, sign))


def _unsigned_quantity(fig: Figure, mode: str, sign: str) -> str:
    """A quantity with ``sign`` ("-", "minus " or "") glued before its number."""
    qual = _qualifier(fig)
    if fig.numeral and not fig.digits:
        exact = Decimal(str(fig.value or 0)) / (10 if fig.unit == "成" else 1)  # 三成: value 30 (percent)
        value = int(exact)
        number = _word(value) if exact == value else plain(exact)  # 百分之二十五点五: 25.5%
        one = exact == 1
        if fig.unit in _PERCENT and not number[0].isdigit():  # 百分之五: "five percent", not "five%"
            return _join(qual, sign + number, "percent" if fig.unit != "‰" else "per mille")
    else:
        number = _number(fig, fig.digits, mode)
        one = to_decimal(fig.digits) == 1 and not fig.magnitude
    number = sign + number
    if fig.unit in _PERCENT:
        return _join(qual, number + _PERCENT[fig.unit])
    if fig.unit == "成":  # 3成: three tenths
        if mode == "english":
            return _join(qual, f"{plain(to_decimal(fig.digits or str(int(fig.value or 0) // 10)) * 10)}%")
        return _join(qual, number, "tenth" if one else "tenths")
    if fig.unit in ("岁", "周岁"):
        code = qualifier_code(fig.approx)
        tail = {"ge": "or over", "le": "or under"}.get(code or "")
        return _join("aged", None if tail else qual, number, tail)
    if fig.unit == "次" and one and mode == "english" and not sign:
        return _join(qual, "once")
    if fig.relation == "past":
        return _join("over the past", number, _unit(fig, one))
    return _join(qual, number, _unit(fig, one), _per(fig))


def _items(fig: Figure, mode: str) -> str:
    """A list sharing a unit: "5.9, 19.1 and 43.6 percentage points"."""
    # a signed item keeps its sign and shares the list's unit: "1.2, -3.4 and 5%"
    nums = [("-" if d[:1] == "-" else "") + _number(fig, d.removeprefix("-"), mode) for d in fig.parts or []]
    head = ", ".join(nums[:-1]) + " and " + nums[-1]
    if fig.unit in _PERCENT:
        return head + _PERCENT[fig.unit]
    return _join(head, _unit(fig, False))


def _mixed(fig: Figure, mode: str) -> str:
    """2亿3,637万元: "2 hundred million 3,637 ten thousand yuan" / "236.37 million yuan"."""
    a, b = fig.parts or ["", ""]
    qual = _qualifier(fig)
    if mode == "english":
        number = _scaled(abs(exact_value(fig) or Decimal(0)))
    else:
        number = f"{_as_written(a)} hundred million {_as_written(b)} ten thousand"
    lead, sign = _signed(fig)
    return _join(lead, qual, sign + number, _unit(fig, False), _per(fig))


def _signed_range(fig: Figure, mode: str) -> str:
    """A range with a signed end, each end with its own sign, joined by "to" in written order: 零下3至5摄氏度
    -> "minus 3 to minus 5 degrees Celsius" (零下 applies to both ends, and "minus" is repeated so that
    neither can be read as above zero), -3~5℃ -> "-3 to 5 degrees Celsius", -3%~5% -> "-3% to 5%"."""
    minus = "minus " if "零下" in fig.text else "-"
    pct = _PERCENT.get(fig.unit or "", "")
    parts = fig.parts or []
    ends = [(minus if d[:1] == "-" else "") + _number(fig, d.lstrip("-"), mode) + pct for d in parts]
    return _join(" to ".join(ends), None if pct else _unit(fig, False))


def _range(fig: Figure, mode: str) -> str:
    lo, hi = fig.parts or fig.digits.split("-")
    if fig.unit == "月":  # 1至9月: a span of months ("January-September 2022" with its year)
        return _join(f"{_MONTHS[int(lo)]}-{_MONTHS[int(hi)]}", fig.iso)
    if fig.unit == "日":  # 12月8日至10日: days of one month ("December 8-10, 2021" with its year)
        year, month = (fig.iso or "-").split("-", 1)[0], int((fig.iso or "").rsplit("-", 1)[-1])
        return f"{_MONTHS[month]} {int(lo)}-{int(hi)}" + (f", {year}" if year else "")
    qual = _qualifier(fig)
    if fig.sign == "-":  # a signed end: "to", because "-3--5" cannot be read
        return _join(qual, _signed_range(fig, mode))
    if fig.unit == "年" and len(lo) == 4 and len(hi) == 4:  # 2014—2020年: a span of years
        return _join(qual, f"{lo}-{hi}")
    if mode == "english" and fig.magnitude:
        power = Decimal(10) ** magnitude_power(fig.magnitude)
        top = to_decimal(hi) * power
        size, word = next(((s, w) for s, w in _SCALES if top >= s), (None, None))
        if size is not None:
            number = f"{plain(to_decimal(lo) * power / size)}-{plain(top / size)} {word}"
        else:
            number = f"{grouped(to_decimal(lo) * power)}-{grouped(top)}"
    elif mode == "english":
        number = f"{_english_number(lo, None)}-{_english_number(hi, None)}"
    else:
        number = _join(
            f"{_as_written(lo)}-{_as_written(hi)}", magnitude_en(fig.magnitude) if fig.magnitude else None
        )
    if fig.unit in _PERCENT:
        return _join(qual, number + _PERCENT[fig.unit])
    return _join(qual, number, _unit(fig, False))


def _time(fig: Figure, when: str) -> str:
    """A year or date with its relation and part: "by the end of 2019", "since 2014", "mid-May"."""
    part = _PART_EN.get(fig.part or "")
    if part and part.endswith("-"):
        when = part + when
    elif part:
        when = f"{part} {when}"
    return _join(_RELATION_EN.get(fig.relation or ""), when)


def _date(fig: Figure) -> str:
    iso = fig.iso or ""
    if iso.startswith("---"):
        return f"the {_ordinal(int(iso[3:]), words=False)}"
    parts = iso.lstrip("-").split("-")
    if iso.startswith("--"):
        month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else None
        year = None
    else:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) > 2 else None
    name = _MONTHS[month]
    if day and year:
        when = f"{name} {day}, {year}"
    elif day:
        when = f"{name} {day}"
    elif year:
        when = f"{name} {year}"
    else:
        when = name
    return _time(fig, when)


def _decade(fig: Figure) -> str:
    year = int(fig.value or 0)
    part = {"early": "the early ", "mid": "the mid-", "late": "the late "}.get(fig.part or "", "the ")
    return f"{part}{year}s"


def _ordinal_figure(fig: Figure) -> str:
    n = int(fig.value or 0) if fig.numeral or not fig.digits else int(fig.digits)
    if fig.unit == "周年":  # 25周年: the 25th anniversary
        return f"{_ordinal(n, words=False)} anniversary"
    label = ORDINAL_LABEL_EN.get(fig.unit or "")
    if label:
        return f"{label} {fig.digits or n}"
    noun = ORDINAL_NOUN_EN.get(fig.unit or "")
    return _join(_ordinal(n, words=bool(fig.numeral)), noun)


def _fraction(fig: Figure) -> str:
    den_raw, num_raw = fig.parts or ["", ""]
    den, num = cn_int(den_raw) or 0, cn_int(num_raw) or 0
    names = _FRACTION_EN.get(den) or (num2words(den, to="ordinal"), num2words(den, to="ordinal") + "s")
    return _join(_qualifier(fig), _word(num), names[0 if num == 1 else 1])


def _grade(fig: Figure) -> str:
    if fig.digits:
        return f"Grade {fig.digits.upper()}"
    return f"Grade {_ROMAN.get(int(fig.value or 0), str(int(fig.value or 0)))}"


def english_date(iso: str) -> str:
    """An ISO date (2020-12-21, 2020-12, --05-31) as English writes it ("December 21, 2020")."""
    try:
        return _date(Figure(start=0, end=0, text=iso, kind="date", digits="", iso=iso))
    except (ValueError, IndexError, KeyError):
        return iso


def render_figure(fig: Figure, mode: str = DEFAULT_MODE) -> str:
    """The English constraint for one figure span in ``mode`` (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"unknown figures mode {mode!r} (verbatim or english)")
    if fig.kind in ("count", "amount", "percent") and not fig.digits and fig.value is None:
        raise ValueError(f"figure {fig.text!r} has neither digits nor a value")
    kind = fig.kind
    if kind == "date":  # "10.17" (扶贫日) too: October 17
        return _date(fig)
    if kind == "year":
        return _time(fig, fig.iso or fig.digits)
    if kind == "decade":
        return _decade(fig)
    if kind == "range":
        return _range(fig, mode)
    if kind == "code":
        return fig.digits
    if kind == "docnum":  # 国发〔2018〕1号
        year, number = fig.parts or ["", ""]
        return f"[{year}] No. {number}"
    if kind in ("time", "ratio"):  # 9时30分 -> 9:30; 1:2
        a, b = fig.parts or ["", ""]
        return f"{a}:{b}"
    if kind == "ordinal":
        return _ordinal_figure(fig)
    if kind == "grade":
        return _grade(fig)
    if kind == "fraction":
        return _fraction(fig)
    if (
        fig.parts
        and len(fig.parts) >= 2
        and fig.magnitude == "亿"
        and fig.kind in ("amount", "count")
        and ("亿" in fig.text and "万" in fig.text.split("亿", 1)[1])
    ):
        return _mixed(fig, mode)
    if fig.parts and len(fig.parts) >= 2:
        return _items(fig, mode)
    return _quantity(fig, mode)
