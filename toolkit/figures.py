"""The figure reader: one ``Figure`` per real quantity, date or ordinal of a Chinese sentence.

A figure carries what a translator needs to render it and what QA needs to prove its value: the
qualifier (以上 约 不低于 ...), the number(s) as written, the magnitude(s) (万 亿 ...), the unit, a rate
(元/户, 人均), a time relation (到 以来 截至 底前 ...), and a kind. Patterns are tried in priority order
(mixed magnitudes, lists sharing a unit, dates, decades, ranges, ordinals, fractions, plain quantities,
then Chinese-numeral figures) and a later pattern never overlaps an earlier span.

Reading choices (Chinese legal usage, /work/shared/figures/STYLE.md):
- 以上 / 以下 / 以内 include the number (``ge`` / ``le``); 超过 / 不足 / 不到 exclude it (``gt`` / ``lt``).
- 元 is yuan unless the caller says the text is a Hong Kong one (then HK$).
- A lone 一 is never a figure (一些 统一 一党派一企业); a numeral inside a name is none either (三年行动,
  两个一百年 is a glossary term); a numeral meaning "both / all" after level names (市县两级, 省市县乡村五级)
  is none; a list marker ("1." "1、" at a line start) is none.
- A sign belongs to the figure (its span and ``sign="-"``): a minus sign where it cannot be a separator
  (``numbers.minus_sign_at``: 降至-3℃, 增长-2.5%, but not 2014-2020 / 2019-02-21 / GB-2020 / 5人-10人), 零下
  (below zero), 负 (minus) and 负增长 (negative growth). 正负3% / ±3% / 上下浮动3% is a tolerance, no
  sign: the qualifier ``pm`` ("plus or minus"), so QA can tell when it is lost. A range with a unit and
  a signed end is one range whose ``parts`` carry each end's sign as written (-3-5℃ is -3 to 5, never
  3-5℃; 零下3至5摄氏度 is -3 to -5: 零下 covers both ends); a list keeps each item's minus in its
  ``parts`` and its shared unit (1.2、-3.4和5%).
- "10.17" between quotes is 17 October (扶贫日); a bare run of three or more digits glued to Chinese text
  (以72777工作思路, 奇虎360) is a ``code``; a 2-3 digit year with a month is a Minguo year (107年5月 -> 2018).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from .doc import Figure
from .numbers import MINUS_SIGNS, SOURCE_NUMBER, minus_sign_at, to_decimal
from .numerals import cn_decimal, cn_fraction, cn_int, cn_year

N = SOURCE_NUMBER
#: units and measure words, longest first; the renderer decides which English names (classifiers drop)
UNITS = sorted(
    """美元 港元 港币 新台币 欧元 元 亩 公顷 平方公里 平方千米 平方米 立方米 公里 千米 厘米 毫米 米 吨
    千克 公斤 克 斤 千瓦时 千瓦 兆瓦 瓦 个百分点 百分点 % ‰ 倍 个月 个 户 人次 户次 人 次 场次 场
    件 条 篇 名 份 家 项 所 套 座 处 辆 台 头 只 羽 批 届 周岁 岁 年 天 周 小时 分钟 秒 种 类 间 张
    本 部 支 床 册 期 轮 级 村 镇 乡 县 区 市 省 位 股 栋 幢 棵 株 门 班 艘 架 周年 摄氏度 ℃""".split(),
    key=len,
    reverse=True,
)
_UNIT = "|".join(re.escape(u) for u in dict.fromkeys(UNITS))
_MAG = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千(?![米克瓦亿万])|百(?![分万亿]))"

#: qualifiers before the number -> semantic code (gt ge le lt about nearly); longest first in the regex
QUALIFIER_BEFORE = {
    "超过": "gt",
    "超过了": "gt",
    "超": "gt",
    "逾": "gt",
    "高于": "gt",
    "大于": "gt",
    "多于": "gt",
    "不低于": "ge",
    "不少于": "ge",
    "不小于": "ge",
    "不得低于": "ge",
    "不得少于": "ge",
    "不得小于": "ge",
    "不能低于": "ge",
    "不能少于": "ge",
    "不能小于": "ge",
    "不应低于": "ge",
    "不应少于": "ge",
    "最低为": "ge",
    "最少为": "ge",
    "至少": "ge",
    "最低": "ge",
    "不高于": "le",
    "不大于": "le",
    "不超过": "le",
    "不得超过": "le",
    "不得高于": "le",
    "不能超过": "le",
    "不应超过": "le",
    "最多": "le",
    "最高": "le",
    "最高为": "le",
    "最多为": "le",
    "近": "nearly",
    "将近": "nearly",
    "接近": "nearly",
    "近乎": "nearly",
    "约": "about",
    "大约": "about",
    "大概": "about",
    "不到": "lt",
    "不足": "lt",
    "不满": "lt",
    "低于": "lt",
    "少于": "lt",
    # a tolerance (plus or minus) is a qualifier, not a sign: the number itself stays positive
    "正负": "pm",
    "±": "pm",
    "上下浮动": "pm",
}
#: qualifiers after the number, its magnitude or its unit
QUALIFIER_AFTER = {
    "余": "gt",
    "多": "gt",
    "以上": "ge",
    "规模以上": "ge",
    "及以上": "ge",
    "以下": "le",
    "及以下": "le",
    "以内": "le",
    "之内": "le",
    "左右": "about",
    "上下": "about",
}
_PRE = "|".join(sorted(map(re.escape, QUALIFIER_BEFORE), key=len, reverse=True))
_POST = "|".join(
    sorted(
        map(re.escape, ("以上", "规模以上", "及以上", "以下", "及以下", "以内", "之内", "左右", "上下")),
        key=len,
        reverse=True,
    )
)
#: characters before 近 / 约 / 超 ... that make them part of a word (附近, 节约), not a qualifier
_BAD_PRE = {
    "近": "最附邻亲贴就靠",
    "约": "节制签预公条契特简大",
    "超": "赶",
    "低于": "不",
    "少于": "不",
    "高于": "不",
    "大于": "不",
    "接近": "对连承迎衔交直",
    "超过": "赶",
}
#: time relations before a year or date -> code
TIME_BEFORE = {
    "到": "by",
    "至": "by",
    "截至": "as-of",
    "截止": "as-of",
    "截止到": "as-of",
    "自": "since",
    "从": "from",
    "于": None,
}
_TIME_PRE = r"(?P<rel>截止到|截至|截止|到|至|自|从)?"
#: level names before X级 that make the numeral mean "both / all levels" (市县两级)
_LEVEL_NAMES = set("省市县区乡镇村组州盟旗→")
_MONTHS_OK = range(1, 13)

_MIXED_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?P<n1>{N})亿(?P<n2>{N})万(?P<a>余|多)?(?P<unit>{_UNIT})?(?P<post>{_POST})?"
)
#: a list item: a number, with a minus sign glued to it (after 、 / 和 a minus can only sign)
_ITEM = rf"(?:[{MINUS_SIGNS}](?=\d))?{N}"
_LIST_RE = re.compile(
    rf"(?P<items>(?:{_ITEM})(?:个)?(?:、(?:{_ITEM})(?:个)?)*)(?:、|和|及|与)(?P<last>{_ITEM})(?P<mag>{_MAG})?"
    rf"(?P<unit>个百分点|百分点|%|万元|亿元|元|万人|人|户|亩|公里|吨)"
)
_ISO_RE = re.compile(r"(?<![\d.\-/])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d])")
_MINGUO_ISO_RE = re.compile(r"(?<![\d.\-/])(?P<y>\d{2,3})(?P<s>[-/.])(?P<m>\d{2})(?P=s)(?P<d>\d{2})(?![\d])")
_DATE_PART = r"(?P<part>底前|末前|前|底|末|初|上中旬|中下旬|上旬|中旬|下旬|中|以来|起)?"
_YMD_RE = re.compile(
    _TIME_PRE
    + r"(?P<mg>民国)?(?<![\d.])(?P<y>\d{2,4})年(?P<m>\d{1,2})月(?:份)?(?:(?P<d>\d{1,2})[日号])?"
    + _DATE_PART
)
_CN_YMD_RE = re.compile(
    _TIME_PRE + r"(?P<mg>民国)?(?P<y>[〇零○一二三四五六七八九]{4}|[一二三四五六七八九十百]{2,4})年"
    r"(?P<m>十[一二]?|[一二三四五六七八九])月(?:(?P<d>[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?"
    + _DATE_PART
)
_MD_RE = re.compile(
    _TIME_PRE + r"(?<![\d.])(?<!\d年)(?P<m>\d{1,2})月(?:份)?(?:(?P<d>\d{1,2})[日号])?" + _DATE_PART
)
_MONTH_RANGE_RE = re.compile(
    r"(?:(?<![\d.])(?P<y>\d{4})年)?(?<![\d.])(?<!\d月)(?P<a>\d{1,2})[-至到—–~～](?P<b>\d{1,2})月(?:份)?"
    r"(?!\d|份?\d)(?!\s*\d+[日号])"
)
#: days of one month: 12月8日至10日, 2021年3月1-5日 (the year, where written, belongs to the figure)
_DAY_RANGE_RE = re.compile(
    r"(?:(?<![\d.])(?P<y>\d{4})年)?(?<![\d.])(?P<m>\d{1,2})月(?P<a>\d{1,2})[日号]?[-至到—–~～](?P<b>\d{1,2})[日号]"
)
_CLOCK_RE = re.compile(
    r"(?<![\d.])(?P<h>\d{1,2})(?:时|点(?=\d{1,2}分|半))(?:(?P<mi>\d{1,2})分|(?P<half>半))?"
)
_RATIO_RE = re.compile(r"(?<![\d:.])(?P<a>\d+(?:\.\d+)?)[:：](?P<b>\d+(?:\.\d+)?)(?![\d:])")
_DOCNUM_RE = re.compile(r"[〔\[［【(（](?P<y>\d{4})[〕\]］】)）](?P<n>\d+)号")
_TODAY_RE = re.compile(r"(?P<w>今|昨|明|本月)[（(](?P<d>\d{1,2})[）)]日")
_DAY_CODE_RE = re.compile(r"(?<=[“\"‘'])(?P<m>\d{1,2})[.·•・](?P<d>\d{1,2})(?=[”\"’'])")
_YEAR_RE = re.compile(
    _TIME_PRE
    + r"(?P<mg>民国)?(?<![\d.])(?P<y>\d{2,4})年(?P<fy>度)?"
    + r"(?P<part>底前|末前|前|底|末|初|以来|起|来|上半年|下半年)?"
)
_DECADE_RE = re.compile(
    r"(?P<c>上世纪|上个世纪|20世纪|二十世纪|19世纪|21世纪)?(?<!\d)(?P<d>\d0)年代(?P<part>初期|中期|后期|末期|初|中|末)?"
)
_RANGE_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?<![\d.])(?P<a>{N})(?P<amag>{_MAG})?(?P<u1>%|年)?(?P<sep>[-~～至到—–－])(?P<bs>[{MINUS_SIGNS}](?=\d))?(?P<b>{N})(?![\d.])"
    rf"(?P<mag>{_MAG})?(?P<a2>余|多)?(?P<unit>{_UNIT})?(?P<post>{_POST})?"
)
_ORDINAL_RE = re.compile(
    r"第(?P<num>\d+|[一二三四五六七八九十百]+)"
    r"(?P<unit>期|次|届|号|条|章|节|款|项|批|名|位|季度|轮|代|部分|版|卷|页|阶段|年度)"
)
_FRACTION_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?P<den>[二三四五六七八九十百千]+)分之(?P<num>[〇零一二三四五六七八九十百千]+(?:点[〇零一二三四五六七八九]+)?|\d+(?:\.\d+)?)"
    rf"(?P<post>{_POST})?"
)
_TENTHS_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?<![\d.])(?P<num>\d(?:\.\d+)?|[一两二三四五六七八九])成(?P<post>{_POST})?(?![员为本果效绩立交功])"
)
_GRADE_RE = re.compile(
    r"(?<![每第\d一二三四五六七八九十])(?:(?P<g>[一二三四])级(?=[\u4e00-\u9fff])|(?<![A-Za-z])(?P<l>[A-D])级)"
)
_QUANTITY_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?P<per1>人均)?(?<![\d.])(?P<num>{N})(?![\d])(?P<a1>余|多)?(?P<mag>{_MAG})?(?P<a2>余|多)?"
    rf"(?P<unit>{_UNIT})?(?P<per>/(?:户|人|亩|年|月|天|吨|公斤|千克))?(?P<post>{_POST}|来|以来)?"
)
_CN_NUM = "两二三四五六七八九十百千"
_CN_CONGRESS_RE = re.compile(
    r"(?<![一二三四五六七八九十第])(?P<n>十[一二三四五六七八九]|[二三]十[一二三四五六七八九]?)(?P<u>大|届)"
)
_CN_PLAN_RE = re.compile(r"(?<![一二三四五六七八九十第])(?P<n>十[一二三四五])五(?![个年])")
_CN_MAJOR_RE = re.compile(
    r"(?<![一二三四五六七八九十第\d])(?P<n>[两三四五六七八九])大(?=[\u4e00-\u9fff])(?!会|学|家|于|力|量|多|幅|批|概|致|型|体|约|小|众)"
)
_CN_PRE = r"(?P<pre>" + _PRE + r")?"
_CN_COUNT_RE = re.compile(
    _CN_PRE
    + rf"(?<![第一二三四五六七八九十百千万两零〇每数几])(?P<n>[{_CN_NUM}]{{1,4}}|一[十百千][{_CN_NUM}一]*)"
    r"(?P<a>余|多)?(?P<u>个月|个|项|名|次|条|种|类|批|件|位|家|户|天|年|级|方面|支|所|座|套|场|届|周|倍|人|元|亩|吨)"
    rf"(?P<post>{_POST}|来)?"
)
#: a numeral + 年 that names a plan or campaign (三年行动, 五年规划) is part of a name, not a duration
_NAME_AFTER = re.compile(r"行动|计划|规划|攻坚|工程|方案|纲要|目标|战略")
_IDIOMS = re.compile(
    "五位一体|三支一扶|三番五次|三天两头|三年五载|十年树木|百年树人|三令五申|千年万载|一年半载|千家万户|百家争鸣"
    "|两不愁|三保障|两个一百年|四个全面|四个意识|两个维护|四个自信|五个一批|三农|三权分置"
)
_DURATIONS = {"年", "个月", "天", "周"}
#: words right before a number (or its qualifier) that make it negative: 负增长 (negative growth), 零下
#: (below zero), 负 (minus)
SIGN_WORDS = ("负增长", "零下", "负")
_LIST_MARKER_RE = re.compile(r"[、.．](?!\d)")


def _ascii_minus(number: str) -> str:
    """A list item's number with its minus sign (if any) written "-", so that ``parts`` carry the sign
    of each item in one form (1.2、－3.4和5% -> "1.2", "-3.4", "5") that Decimal and the renderer read."""
    return "-" + number[1:] if number[:1] in MINUS_SIGNS else number


def _lists(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_LIST_RE``, a list whose first minus is a separator (5-1.2、3和4%) read from the
    number after it: the one rule of ``minus_sign_at`` decides, as for any other figure."""
    pos = 0
    while m := _LIST_RE.search(text, pos):
        if text[m.start()] in MINUS_SIGNS and not minus_sign_at(text, m.start()):
            pos = m.start() + 1
            continue
        yield m
        pos = m.end()


def _signed_range(
    text: str, sp: _Spans, m: re.Match[str], signed: tuple[int, str] | None, unit_of: Callable
) -> None:
    """A range with a signed end, one figure whose ``parts`` carry each end's sign in written order.

    零下 before the first number applies to both ends, as Chinese weather reports write it (零下3至5摄氏度
    is -3 to -5, never -3 to +5); a minus sign applies to its own number only (-3~5℃ is -3 to 5, -3至-5℃
    -3 to -5). Order is as written, a fall (-3 to -5) as much as a rise. 负 / 负增长 before a range, a
    magnitude or a year span stay separate signed numbers (the reading is not certain enough to join).
    """
    unit = m.group("unit") or m.group("u1")
    if signed and signed[1] not in ("-", "零下"):
        return
    if m.group("mag") or m.group("amag") or m.group("a2") or unit in (None, "年"):
        return  # a unit makes it a range: 3-5 alone may be a code, a score or prose
    neg_a, neg_b = bool(signed), bool(m.group("bs")) or bool(signed and signed[1] == "零下")
    start, pre = _qual_before(text, sp, signed[0]) if signed else _qual(text, m)
    lo, hi = ("-" if neg_a else "") + m.group("a"), ("-" if neg_b else "") + m.group("b")
    sp.add(
        start,
        m.end(),
        kind="range",
        digits=f"{m.group('a')}-{m.group('b')}",
        value=_float(_dec(lo)),
        unit=unit_of(unit),
        approx=_qualifier(pre, m.group("post")),
        parts=[lo, hi],
        sign="-",
    )


def _dec(s: str) -> Decimal:
    return to_decimal(s)


def _float(d: Decimal | int | Fraction) -> float:
    return float(d)


class _Spans:
    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        self.figures: list[Figure] = []

    def free(self, a: int, b: int) -> bool:
        return not any(self.taken[a:b])

    def add(self, a: int, b: int, **kw) -> bool:
        if a >= b or not self.free(a, b):
            return False
        self.taken[a:b] = b"\x01" * (b - a)
        kw.setdefault("digits", "")
        self.figures.append(Figure(start=a, end=b, text=self.text[a:b], **kw))
        return True


def _qual(text: str, m: re.Match[str], group: str = "pre") -> tuple[int, str | None]:
    """Where the figure starts and its qualifier before the number: the qualifier, or the longest
    qualifier at its end that is no part of a word (对接近100次: 近; 附近 / 节约: none)."""
    pre = m.group(group) if group in m.groupdict() else None
    if not pre:
        return m.start(), None
    i = m.start(group)
    for k in range(len(pre)):
        cand = pre[k:]
        if cand not in QUALIFIER_BEFORE:
            continue
        before = text[i + k - 1] if i + k > 0 else ""
        if before and before in _BAD_PRE.get(cand, ""):
            continue
        return i + k, cand
    return m.end(group), None


def _sign(text: str, sp: _Spans, i: int) -> tuple[int, str] | None:
    """Where the sign of the figure starting at ``i`` starts and its form (a ``SIGN_WORDS`` word or "-"),
    or None when the number is unsigned. A minus sign right after another figure joins the two (5人-10人,
    2014年-2020), so only the figures found so far can tell; 正负 is plus-or-minus, no sign."""
    for word in SIGN_WORDS:
        j = i - len(word)
        if j >= 0 and text[j:i] == word and sp.free(j, i):
            if word == "负" and j > 0 and text[j - 1] == "正":
                return None
            return j, word
    if i > 0 and minus_sign_at(text, i - 1) and sp.free(i - 1, i) and not (i > 1 and sp.taken[i - 2]):
        return i - 1, "-"
    return None


def _qual_before(text: str, sp: _Spans, i: int) -> tuple[int, str | None]:
    """The qualifier right before a sign (低于-5℃, 约零下5℃): where the figure starts and the qualifier."""
    for q in sorted(QUALIFIER_BEFORE, key=len, reverse=True):
        j = i - len(q)
        if j >= 0 and text[j:i] == q and sp.free(j, i):
            if j > 0 and text[j - 1] in _BAD_PRE.get(q, ""):
                continue
            return j, q
    return i, None


def _signed_start(text: str, sp: _Spans, a: int, pre: str | None) -> tuple[int, str | None, bool]:
    """Where a figure that starts at ``a`` (after its qualifier ``pre``) really starts once a sign before
    it is taken in, its qualifier (one before the sign when it had none: 低于-5℃), and whether it is
    signed."""
    signed = _sign(text, sp, a)
    if signed and pre is None:
        a, pre = _qual_before(text, sp, signed[0])
    elif signed:
        a = signed[0]
    return a, pre, signed is not None


def _latin_attached(text: str, a: int, b: int) -> bool:
    before = text[a - 1] if a > 0 else ""
    after = text[b] if b < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def _qualifier(*codes: str | None) -> str | None:
    """The Chinese qualifiers of a figure joined (至少…以上 -> "至少+以上")."""
    got = [c for c in codes if c]
    return "+".join(dict.fromkeys(got)) if got else None


def _year(y: str, minguo: bool) -> int:
    value = int(y)
    return value + 1911 if minguo or value < 1000 else value


def _cn_number(s: str) -> int | None:
    return cn_year(s) or cn_int(s)


def _date(sp: _Spans, m: re.Match[str], y: int | None, mo: int, d: int | None) -> None:
    if (
        mo not in _MONTHS_OK
        or (d is not None and not 1 <= d <= 31)
        or (y is not None and not 1900 <= y <= 2100)
    ):
        return
    iso = (f"{y:04d}" if y else "-") + f"-{mo:02d}" + (f"-{d:02d}" if d else "")
    rel = _rel(sp.text, m)
    part = m.groupdict().get("part")
    start = m.start("y") if "y" in m.groupdict() and m.group("y") else m.start("m")
    if m.groupdict().get("mg"):
        start = min(start, m.start("mg"))
    if rel:
        start = m.start("rel")
    digits = "-".join(re.findall(r"\d+", sp.text[start : m.end()]))  # 2020年12月21日 -> 2020-12-21
    sp.add(
        start,
        m.end(),
        kind="date",
        digits=digits,
        iso=iso,
        value=float(y or mo),
        relation=_relation(rel, part),
        part=_part(part),
    )


def _relation(rel: str | None, part: str | None) -> str | None:
    """since | by | as-of | from | before | past, from the words around a year or date."""
    if part in ("以来",):
        return "since"
    if part == "来":
        return "past"
    if part == "起":
        return "from"
    if part and part.endswith("前"):
        return "by" if part != "前" else "before"
    return TIME_BEFORE.get(rel or "")


def _part(part: str | None) -> str | None:
    """end | start | early | mid | late | early-to-mid | mid-to-late | first-half | second-half, the part of a
    period named (4月中下旬: mid-to-late April)."""
    if not part:
        return None
    p = part.removesuffix("前")
    return {
        "底": "end",
        "末": "end",
        "初": "early",
        "上旬": "early",
        "中旬": "mid",
        "下旬": "late",
        "上中旬": "early-to-mid",
        "中下旬": "mid-to-late",
        "中": "mid",
        "上半年": "first-half",
        "下半年": "second-half",
    }.get(p)


def _rel(text: str, m: re.Match[str]) -> str | None:
    """The time relation word before a year or date, unless it is no relation there: 到 in 达到 / 做到 is
    a verb, and 至 / 到 after a date, period or number joins a range (3月15日至4月15日, 第一季度至2020年:
    "to", not "by")."""
    rel = m.groupdict().get("rel")
    if not rel:
        return None
    i = m.start("rel")
    before = text[i - 1] if i > 0 else ""
    if (
        rel in ("到", "至")
        and before
        and (before in "达做得收看想遇受提直延推截日月年号度底初末旬" or before.isdigit())
    ):
        return None
    return rel


_HONG_KONG_RE = re.compile(r"香港特别行政区|特区政府|香港政府|立法会|港府|政府统计处|行政长官")


_TAIWAN_RE = re.compile(r"行政院|立法院|中华民国|民国\d|台北市政府|新台币")


def local_currency(text: str) -> str | None:
    """What a bare 元 is: "HKD" in a Hong Kong government text (HK$), "TWD" in a Taiwan one (NT$), else
    None (renminbi)."""
    hits = len(_HONG_KONG_RE.findall(text))
    if hits >= 2 or (hits and text.count("香港") >= 2):
        return "HKD"
    return "TWD" if len(_TAIWAN_RE.findall(text)) >= 2 else None


def find_figures(text: str, *, currency: str | None = None) -> list[Figure]:
    """All figures in ``text``, in order of position, as non-overlapping spans.

    ``currency``: what a bare 元 is ("HKD" in a Hong Kong government text); None is renminbi.
    """
    sp = _Spans(text)
    masked = bytearray(len(text))
    for m in _IDIOMS.finditer(text):
        masked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

    def unit_of(u: str | None) -> str | None:
        if currency and u and u.endswith("元") and u not in ("美元", "港元", "欧元"):
            return u[:-1] + {"HKD": "港元", "TWD": "新台币"}.get(currency, "元")
        return u

    for m in _MIXED_RE.finditer(text):
        a, pre, signed = _signed_start(text, sp, *_qual(text, m))
        value = _dec(m.group("n1")) * 10**8 + _dec(m.group("n2")) * 10**4
        sp.add(
            a,
            m.end(),
            kind="amount" if m.group("unit") and "元" in m.group("unit") else "count",
            digits=m.group("n1"),
            magnitude="亿",
            unit=unit_of(m.group("unit")),
            approx=_qualifier(pre, m.group("a"), m.group("post")),
            value=_float(-value if signed else value),
            parts=[m.group("n1"), m.group("n2")],
            sign="-" if signed else None,
        )
    for m in _lists(text):
        items = [_ascii_minus(x) for x in re.findall(_ITEM, m.group("items") + "、" + m.group("last"))]
        if len(items) < 2 or (m.start() > 0 and text[m.start() - 1].isdigit()) or _sign(text, sp, m.start()):
            continue  # 零下 / 负 before the first item: each number is read with its own sign below
        unit = m.group("unit")
        sp.add(
            m.start(),
            m.end(),
            kind="percent" if "百分点" in unit or unit == "%" else "count",
            digits=items[-1],
            magnitude=m.group("mag"),
            unit=unit_of(unit),
            value=_float(_dec(items[-1])),
            parts=items,
        )
    for m in _ISO_RE.finditer(text):
        if sp.free(m.start(), m.end()):
            _date(sp, m, int(m.group("y")), int(m.group("m")), int(m.group("d")))
    for m in _DOCNUM_RE.finditer(text):  # 国发〔2018〕1号: a document number, "[2018] No. 1"
        sp.add(
            m.start(),
            m.end(),
            kind="docnum",
            digits=f"{m.group('y')}-{m.group('n')}",
            value=float(m.group("n")),
            parts=[m.group("y"), m.group("n")],
        )
    for m in _DAY_RANGE_RE.finditer(text):  # 12月8日至10日: December 8-10 (iso: the month, and its year)
        y, mo, a, b = m.group("y"), int(m.group("m")), int(m.group("a")), int(m.group("b"))
        if mo in _MONTHS_OK and 1 <= a < b <= 31 and (y is None or 1900 <= int(y) <= 2100):
            sp.add(
                m.start(),
                m.end(),
                kind="range",
                digits=f"{a}-{b}",
                value=float(a),
                unit="日",
                iso=(y or "-") + f"-{mo:02d}",
                parts=[m.group("a"), m.group("b")],
            )
    for m in _MONTH_RANGE_RE.finditer(text):  # 1至9月, 2022年1-9月: (2022) January to September
        a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
        if not y and re.search(r"\d年$", text[: m.start()]):
            continue  # 107年1-9月: a Minguo year, read as a year of its own
        if 1 <= a < b <= 12 and (y is None or 1900 <= int(y) <= 2100):
            sp.add(
                m.start(),
                m.end(),
                kind="range",
                digits=f"{a}-{b}",
                value=float(a),
                unit="月",
                iso=y,
                parts=[m.group("a"), m.group("b")],
            )
    for m in _CLOCK_RE.finditer(text):  # 9时30分: 9:30
        h, mi = int(m.group("h")), 30 if m.group("half") else int(m.group("mi") or 0)
        if h <= 24 and mi < 60 and not _latin_attached(text, m.start(), m.end()):
            sp.add(
                m.start(),
                m.end(),
                kind="time",
                digits=f"{h}-{mi}",
                value=float(h),
                parts=[str(h), f"{mi:02d}"],
            )
    for m in _RATIO_RE.finditer(text):  # 1:2
        sp.add(
            m.start(),
            m.end(),
            kind="ratio",
            digits=m.group(0),
            value=_float(_dec(m.group("a"))),
            parts=[m.group("a"), m.group("b")],
        )
    for m in _MINGUO_ISO_RE.finditer(text):
        y = int(m.group("y"))
        if 1 <= y <= 150:
            _date(sp, m, y + 1911, int(m.group("m")), int(m.group("d")))
    for m in _YMD_RE.finditer(text):
        y = _year(m.group("y"), bool(m.group("mg")))
        _date(sp, m, y, int(m.group("m")), int(m.group("d")) if m.group("d") else None)
    for m in _CN_YMD_RE.finditer(text):
        yv = _cn_number(m.group("y"))
        mo, d = cn_int(m.group("m")), cn_int(m.group("d")) if m.group("d") else None
        if yv and mo:
            _date(sp, m, _year(str(yv), bool(m.group("mg"))), mo, d)
    for m in _DECADE_RE.finditer(text):
        d = int(m.group("d"))
        c = m.group("c") or ""
        century = 2000 if c.startswith(("21",)) else 1800 if c.startswith("19世") else 1900
        if not c and d < 20:
            century = 2000
        part = {
            "初期": "early",
            "初": "early",
            "中期": "mid",
            "中": "mid",
            "后期": "late",
            "末期": "late",
            "末": "late",
        }.get(m.group("part") or "")
        sp.add(m.start(), m.end(), kind="decade", digits=m.group("d"), value=float(century + d), part=part)
    for m in _RANGE_RE.finditer(text):
        a, pre = _qual(text, m)
        if _latin_attached(text, m.start("a"), m.end("b")) and not m.group("unit"):
            continue
        signed = _sign(text, sp, a)
        if signed or m.group("bs"):
            _signed_range(text, sp, m, signed, unit_of)
            continue
        sep = m.group("sep")
        lo, hi = _dec(m.group("a")), _dec(m.group("b"))
        unit = m.group("unit") or m.group("u1")
        mag = m.group("mag") or m.group("amag")
        years = unit == "年" and len(m.group("a")) == 4 and len(m.group("b")) == 4
        if sep in "至到" and not (years or unit or mag):
            continue  # "1至2" without a unit reads as prose more often than as a range
        if not years and lo >= hi:
            continue  # "2019-02" is no range; an ISO-like run was taken above
        if years and not (1900 <= lo < hi <= 2100):
            continue
        if (m.group("a") + sep + m.group("b")) and len(m.group("a")) == 4 and unit is None and not mag:
            if 1900 <= lo <= 2100 and 1900 <= hi <= 2100 and lo < hi:
                years = True  # 2016-2018 without 年
            elif m.group("u1") is None:
                continue
        sp.add(
            a,
            m.end(),
            kind="range",
            digits=f"{m.group('a')}-{m.group('b')}",
            value=_float(lo),
            magnitude=mag,
            unit=unit_of("年" if years else unit),
            approx=_qualifier(pre, m.group("a2"), m.group("post")),
            parts=[m.group("a"), m.group("b")],
        )
    for m in _YEAR_RE.finditer(text):
        rel = _rel(text, m)
        if len(m.group("y")) < 4 and not m.group("mg"):
            continue
        y = _year(m.group("y"), bool(m.group("mg")))
        if not 1900 <= y <= 2100:
            continue
        part = m.group("part")
        if part == "来":
            continue  # 2014年来 is rare; 5年来 is a duration (below)
        start = m.start("rel") if rel else (m.start("mg") if m.group("mg") else m.start("y"))
        sp.add(
            start,
            m.end(),
            kind="year",
            digits=m.group("y"),
            value=float(y),
            unit="年",
            iso=f"{y:04d}",
            relation=_relation(rel, part),
            part=_part(part),
        )
    for m in _MD_RE.finditer(text):
        if _latin_attached(text, m.start("m"), m.end()):
            continue
        _date(sp, m, None, int(m.group("m")), int(m.group("d")) if m.group("d") else None)
    for m in _TODAY_RE.finditer(text):
        d = int(m.group("d"))
        if 1 <= d <= 31:
            sp.add(
                m.start(),
                m.end(),
                kind="date",
                digits=m.group("d"),
                iso=f"---{d:02d}",
                value=float(d),
                relation="today" if m.group("w") == "今" else None,
            )
    for m in _DAY_CODE_RE.finditer(text):
        mo, d = int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            sp.add(
                m.start(), m.end(), kind="date", digits=m.group(0), value=float(mo), iso=f"--{mo:02d}-{d:02d}"
            )
    for m in _ORDINAL_RE.finditer(text):
        raw = m.group("num")
        v = int(raw) if raw.isdigit() else cn_int(raw)
        if not v or masked[m.start()]:
            continue
        if not raw.isdigit() and m.group("unit") in ("部分", "章", "节"):
            continue  # 第一部分 / 第一章 head a part of the document: structure's marker, not a figure
        sp.add(
            m.start(),
            m.end(),
            kind="ordinal",
            digits=raw if raw.isdigit() else "",
            value=float(v),
            unit=m.group("unit"),
            numeral=None if raw.isdigit() else raw,
        )
    for m in _FRACTION_RE.finditer(text):
        num = m.group("num")
        frac = cn_fraction(m.group("den"), num) if not num[0].isdigit() else None
        per = {"百": 100, "千": 1000}.get(m.group("den"))
        if per:  # 百分之12.5, 百分之二十五点五, 千分之三: a percentage (per mille), decimals kept
            whole = Decimal(num) if num[0].isdigit() else cn_decimal(num)
            frac = None if whole is None else Fraction(whole) / per
        if frac is None:
            continue
        a, pre = _qual(text, m)
        percent = per is not None
        sp.add(
            a,
            m.end(),
            kind="percent" if percent else "fraction",
            digits=num if num[0].isdigit() else "",
            value=_float(frac * per if per else frac),
            unit=("%" if per == 100 else "‰") if percent else None,
            approx=_qualifier(pre, m.group("post")),
            numeral=None if num[0].isdigit() else num,
            parts=None if percent else [m.group("den"), num],  # 百分之十五 is one number, 15%
        )
    for m in _TENTHS_RE.finditer(text):
        num = m.group("num")
        v = _dec(num) if num[0].isdigit() else Decimal(cn_int(num) or 0)
        a, pre = _qual(text, m)
        sp.add(
            a,
            m.end(),
            kind="percent",
            digits=num if num[0].isdigit() else "",
            value=_float(v * 10),
            unit="成",
            approx=_qualifier(pre, m.group("post")),
            numeral=None if num[0].isdigit() else num,
        )
    for m in _GRADE_RE.finditer(text):
        g, letter = m.group("g"), m.group("l")
        if m.start() > 0 and text[m.start() - 1] in _LEVEL_NAMES:
            continue
        v = cn_int(g) if g else "ABCD".index(letter) + 1
        sp.add(
            m.start(), m.end(), kind="grade", digits=letter or "", value=float(v or 0), unit="级", numeral=g
        )
    for m in _QUANTITY_RE.finditer(text):
        a, pre, signed = _signed_start(text, sp, *_qual(text, m))
        num = m.group("num")
        b = m.end()
        unit, mag, post = m.group("unit"), m.group("mag"), m.group("post")
        if post in ("来", "以来") and unit not in ("年", "个月", "天", "周"):
            b, post = m.end("post") - len(post), None  # 来 belongs to a duration only
        if _latin_attached(text, m.start("num"), m.end("num") if not (unit or mag) else b):
            continue
        if (
            not (unit or mag)
            and _LIST_MARKER_RE.match(text, m.end("num"))
            and (m.start("num") == 0 or text[m.start("num") - 1] in "\n ")
        ):
            continue  # "1." / "1、" opening a list item
        if unit == "年" and len(num) == 4 and not mag:
            continue  # a 4-digit year handled above (or out of range)
        past = post in ("来", "以来")
        if pre == "近" and unit in _DURATIONS and not (m.group("a1") or m.group("a2") or post):
            pre, past = None, True  # 近5年: "the past 5 years", not "nearly 5 years"
        approx = _qualifier(pre, m.group("a1"), m.group("a2"), None if past else post)
        if unit == "周年":
            sp.add(a, b, kind="ordinal", digits=num, value=_float(_dec(num)), unit=unit)
            continue
        per = (m.group("per") or "").lstrip("/") or ("人" if m.group("per1") else None)
        kind = _kind_from_unit(unit)
        if not unit and not mag and not approx and not signed:
            after = text[b] if b < len(text) else ""
            if len(num) >= 3 and "." not in num and "," not in num and "\u4e00" <= after <= "\u9fff":
                kind = "code"
        sp.add(
            a,
            b,
            kind=kind,
            digits=num,
            value=_float(-_dec(num) if signed else _dec(num)),
            magnitude=mag,
            unit=unit_of(unit),
            approx=approx,
            per=per,
            relation="past" if past else None,
            sign="-" if signed else None,
        )

    for m in _CN_CONGRESS_RE.finditer(text):
        if not masked[m.start()]:
            sp.add(
                m.start(),
                m.end(),
                kind="ordinal",
                value=float(cn_int(m.group("n")) or 0),
                unit=m.group("u"),
                numeral=m.group("n"),
            )
    for m in _CN_PLAN_RE.finditer(text):
        if not masked[m.start()]:
            sp.add(
                m.start(),
                m.end(),
                kind="ordinal",
                value=float(cn_int(m.group("n")) or 0),
                unit="五",
                numeral=m.group("n"),
            )
    for m in _CN_MAJOR_RE.finditer(text):
        if not masked[m.start()]:
            sp.add(
                m.start(),
                m.end(),
                kind="count",
                value=float(cn_int(m.group("n")) or 0),
                unit="大",
                numeral=m.group("n"),
            )
    for m in _CN_COUNT_RE.finditer(text):
        n, u = m.group("n"), m.group("u")
        a, pre = _qual(text, m)
        if masked[m.start("n")] or (set(n) <= {"百", "千"} and not m.group("a")):
            continue
        value = cn_int(n) or (cn_int("一" + n) if n in ("百", "千") else None)  # 千余人: 1000
        if not value:
            continue
        if u == "年" and _NAME_AFTER.match(text, m.end("u")):
            continue  # 三年行动计划: a name
        if u == "级" and (m.start("n") > 0 and text[m.start("n") - 1] in _LEVEL_NAMES):
            continue  # 市县两级: "both levels"
        if u == "个" and _NAME_AFTER.match(text, m.end()):
            continue
        post = m.group("post")
        past = post == "来"
        if pre == "近" and u in _DURATIONS and not (m.group("a") or post):
            pre, past = None, True  # 近三年: "the past three years"
        approx = _qualifier(pre, m.group("a"), None if past else post)
        sp.add(
            a,
            m.end(),
            kind="count",
            value=float(value),
            unit=u,
            approx=approx,
            numeral=n,
            relation="past" if past else None,
        )
    return sorted(sp.figures, key=lambda f: f.start)


def _kind_from_unit(unit: str | None) -> str:
    if unit and ("元" in unit or unit in ("港币", "新台币")):
        return "amount"
    if unit in ("%", "‰", "个百分点", "百分点"):
        return "percent"
    return "count"


#: semantic code of a Chinese qualifier (or of a ``+``-joined pair: 至少+以上 -> ge)
def qualifier_code(approx: str | None) -> str | None:
    """gt | ge | le | lt | about | nearly | pm (plus or minus): a figure's Chinese qualifier(s), or None."""
    if not approx:
        return None
    codes = [QUALIFIER_BEFORE.get(q) or QUALIFIER_AFTER.get(q) for q in approx.split("+")]
    codes = [c for c in codes if c]
    return codes[0] if codes else None  # the qualifier before the number leads (至少…以上: at least)


#: power of ten of each magnitude character; stacked characters multiply (万亿 = 10^12)
POWERS = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}


def magnitude_power(magnitude: str | None) -> int:
    """亿 -> 8, 千万 -> 7, 万亿 -> 12 (ValueError for anything else)."""
    if not magnitude:
        return 0
    if any(c not in POWERS for c in magnitude):
        raise ValueError(f"not a Chinese magnitude: {magnitude!r}")
    return sum(POWERS[c] for c in magnitude)


def exact_value(fig: Figure) -> Decimal | None:
    """The exact quantity a figure states (its number x its magnitude), the truth QA compares against.

    2亿3,637万 -> 236370000; 1.2万 -> 12000; 3成 -> 30 (percent); a Chinese numeral -> its value; a
    signed figure is negative (零下5摄氏度 -> -5).
    """
    if fig.kind in ("list",):
        return None
    sign = -1 if fig.sign == "-" else 1
    if fig.parts and fig.magnitude == "亿" and len(fig.parts) == 2 and fig.kind in ("amount", "count"):
        return sign * (_dec(fig.parts[0]) * 10**8 + _dec(fig.parts[1]) * 10**4)
    if fig.digits and fig.kind in ("count", "amount", "percent", "code") and fig.unit != "成":
        try:
            return sign * _dec(fig.digits) * Decimal(10) ** magnitude_power(fig.magnitude)
        except ArithmeticError:
            return None
    if fig.value is None:
        return None
    return Decimal(str(fig.value))
