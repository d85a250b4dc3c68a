"""The deterministic English of a figure span: the target-side constraint the decoder must emit verbatim.

Shape: ``[approximator] NUMBER [magnitude] [unit]``, e.g. 23.4亿元 -> "23.4 hundred million yuan",
1.2万余亩 -> "more than 1.2 ten thousand mu", 22.38万人 -> "22.38 ten thousand people".

Why this English:
- The source's digit string is kept exactly (never regrouped, rescaled or reformatted), and the rendering
  holds no other digit: a reader can check every number against the Chinese, and QA can prove that no
  figure was invented. So 万/亿 are *translated as words*, not folded into the number: "2.34 billion" or
  "10,000" would be clearer but would change or add digits. "1.2 ten thousand mu" reads awkwardly but is
  exact and unambiguous; a romanised "1.2 wan (ten thousand)" would be longer and no clearer.
- Magnitude words follow from the power of ten (十 1, 百 2, 千 3, 万 4, 亿 8, multiplied when stacked:
  百万 6 -> "million", 千万 7 -> "ten million", 万亿 12 -> "trillion").
- The approximator goes before the number as English puts it (3000元以上 -> "more than 3000 yuan").
- A unit is rendered only when it is a measure (yuan, mu, people, households, person-times, %...). A bare
  classifier (个 件 条 名 项 家 ...) is dropped: the counted noun is in the source and the model translates
  it (项目18个 -> "18"), so the constraint stays the minimal exact phrase.
- Years are the bare year ("2014"); the surrounding 以来/自 is left to the model unless the reader put it
  in ``approx``. Dates are ISO 8601 ("2020-12-21"). Ranges join their ends with "-" ("10-20", "2014-2020").
  Ordinals: a label where English has one (第93期 -> "Issue 93", 第3条 -> "Article 3"), else "93rd".
  Codes are their digits. Chinese numerals render their value in Arabic digits (十八 -> "18"; ordinal
  十八大/第十八届 -> "18th"); those digits count as the source's.
"""

from __future__ import annotations

import re

from ..check import digit_runs
from ..doc import Figure

#: power of ten of each magnitude character; stacked characters multiply (万亿 = 10^12)
_POWERS = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}
#: English for 10^n, in words only (no digits may enter the constraint)
_POWER_WORDS = {
    1: "ten", 2: "hundred", 3: "thousand", 4: "ten thousand", 5: "hundred thousand", 6: "million",
    7: "ten million", 8: "hundred million", 9: "billion", 10: "ten billion", 11: "hundred billion",
    12: "trillion", 13: "ten trillion", 14: "hundred trillion", 15: "quadrillion", 16: "ten quadrillion",
}

#: approximators (and the few relational words a reader may put in ``approx``), rendered before the number
APPROX_EN = {
    "余": "more than", "多": "more than", "以上": "more than", "超": "over", "超过": "over", "逾": "over",
    "近": "nearly", "将近": "nearly", "接近": "nearly",
    "约": "about", "大约": "about", "左右": "about", "上下": "about", "大概": "about",
    "不到": "less than", "不足": "less than", "以下": "at most", "至少": "at least", "不少于": "at least",
    "以来": "since", "起": "from", "以前": "before", "之前": "before", "以后": "after", "之后": "after",
}

#: measure units rendered after the number; anything else (个 件 条 名 项 家 ...) is a classifier and dropped
UNIT_EN = {
    "元": "yuan", "人民币": "yuan", "美元": "US dollars", "欧元": "euros",
    "亩": "mu", "公顷": "hectares", "平方米": "square meters", "平方公里": "square kilometers",
    "米": "meters", "公里": "kilometers", "千米": "kilometers", "立方米": "cubic meters",
    "吨": "tons", "公斤": "kilograms", "千克": "kilograms", "斤": "jin",
    "千瓦": "kilowatts", "千瓦时": "kilowatt-hours",
    "人": "people", "户": "households", "人次": "person-times", "户次": "household-times",
    "次": "times", "倍": "times", "场次": "sessions", "场": "sessions",
    "年": "years", "个月": "months", "天": "days", "小时": "hours", "分钟": "minutes", "岁": "years old",
    "百分点": "percentage points", "个百分点": "percentage points",
}
_PERCENT_SIGNS = {"%": "%", "％": "%", "‰": "‰"}

#: ordinals that English writes as a label before the number
ORDINAL_LABEL_EN = {
    "期": "Issue", "号": "No.", "条": "Article", "章": "Chapter", "节": "Section", "款": "Paragraph",
    "卷": "Volume", "部分": "Part", "页": "Page",
}

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LEADING_MAGNITUDE = re.compile(f"[{''.join(_POWERS)}]*")


def magnitude_en(magnitude: str) -> str:
    """English words for a Chinese magnitude (亿 -> "hundred million"); ValueError if it is not one."""
    if not magnitude or any(c not in _POWERS for c in magnitude):
        raise ValueError(f"not a Chinese magnitude: {magnitude!r}")
    power = sum(_POWERS[c] for c in magnitude)
    if power not in _POWER_WORDS:
        raise ValueError(f"magnitude out of range: {magnitude!r}")
    return _POWER_WORDS[power]


def _number(fig: Figure) -> str:
    """The number as the source wrote it: its digits, or a Chinese numeral's value in Arabic digits."""
    if fig.digits:
        return fig.digits
    if fig.value is None:
        raise ValueError(f"figure {fig.text!r} has neither digits nor a value")
    v = float(fig.value)
    return str(int(v)) if v.is_integer() else repr(v)


def _ordinal(n: str) -> str:
    if not n.isdigit():
        return n
    k = int(n)
    suffix = "th" if k % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return n + suffix


def _split_unit(fig: Figure) -> tuple[str | None, str | None]:
    """(magnitude, unit), peeling a magnitude off a unit like "万元" when the reader left it there."""
    mag, unit = fig.magnitude, fig.unit
    if unit and unit not in UNIT_EN and not mag:
        head = _LEADING_MAGNITUDE.match(unit).group()
        rest = unit[len(head):]
        if head and (rest in UNIT_EN or not rest):
            return head, rest or None
    return mag, unit


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _quantity(number: str, fig: Figure) -> str:
    """approx + number + magnitude + unit, the shape of counts, amounts, percents and ranges."""
    mag, unit = _split_unit(fig)
    approx = APPROX_EN.get(fig.approx or "")
    if unit in _PERCENT_SIGNS or (fig.kind == "percent" and not unit):
        return _join(approx, number + _PERCENT_SIGNS[unit or "%"])
    return _join(approx, number, magnitude_en(mag) if mag else None, UNIT_EN.get(unit or ""))


def _range(fig: Figure) -> str:
    ends = _NUMBER.findall(fig.digits) or _NUMBER.findall(fig.text)
    number = "-".join(ends) if ends else _number(fig)
    if fig.unit == "年" and ends and all(len(e) == 4 for e in ends):  # 2014—2020年: a span of years
        return _join(APPROX_EN.get(fig.approx or ""), number)
    return _quantity(number, fig)


def render_figure(fig: Figure) -> str:
    """The English constraint for one figure span (see the module docstring for the choices)."""
    if fig.kind == "date":
        if fig.iso and not fig.iso.startswith("--"):
            return fig.iso
        if "." in fig.digits:  # a month.day without a year ("10.17" Poverty Alleviation Day): as written
            return fig.digits
        return "-".join(_NUMBER.findall(fig.text)) or _number(fig)
    if fig.kind == "range":
        return _range(fig)
    number = _number(fig)
    if fig.kind == "code":
        return number
    if fig.kind == "year":
        return _join(APPROX_EN.get(fig.approx or ""), number)
    ordinal = fig.kind == "ordinal" or fig.text.startswith("第") or fig.unit in ("届", "大")
    if ordinal:
        unit = fig.unit or next((u for u in ORDINAL_LABEL_EN if fig.text.endswith(u)), None)
        label = ORDINAL_LABEL_EN.get(unit or "")
        return f"{label} {number}" if label else _ordinal(number)
    return _quantity(number, fig)


def figure_digits(fig: Figure) -> list[str]:
    """The digit runs this figure adds to the English, tokenized as QA does (``toolkit.check.digit_runs``)."""
    return digit_runs(render_figure(fig))
