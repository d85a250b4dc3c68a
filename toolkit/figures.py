"""Figures: every Arabic figure (and unambiguous Chinese-numeral figure) in a text, as one span.

A span holds the approximator before it (近 约 超过 逾 不到 近乎), the digits, the magnitude (万 亿 千
万亿 百), an approximator after the digits or the unit (余 多 / 以上 左右) and the unit or measure word
(元 亩 个 户 人次 场次 % 年 ...). Patterns are tried in priority order (dates, quoted M.DD day codes,
ranges, ordinals, then plain figures) and a later pattern never overlaps an earlier span.

Choices: "10.17" between quotes is the name-date of 17 October (扶贫日), so it is a ``date``
(iso ``--10-17``), not the decimal 10.17. A bare number of three or more digits run into Chinese
text (以72777工作思路, 奇虎360等) is a ``code``. A lone Chinese 一 is never a figure: it is an
article or part of a word or slogan (一些 统一 一党派一企业 一组长一主任), and a numeral after 第 is a
list ordinal, not a figure. Chinese numerals count only before a measure word (两项 七个 三年 两级),
or as a congress / five-year-plan number (十八大, 十三五).
"""

from __future__ import annotations

import re

from .doc import Figure
from .structure import cn_value

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_UNITS = sorted(
    """亿元 万元 千元 美元 元 亩 公顷 平方公里 平方米 立方米 公里 千米 厘米 毫米 米 吨 千克 公斤 克
    千瓦时 千瓦 瓦 个百分点 百分点 % ‰ 倍 个月 个 户 人次 人 次 场次 场 件 条 篇 名 份 家 项 所 套 座
    处 辆 台 头 只 批 届 岁 年 天 周 小时 分钟 秒 种 类 间 张 本 部 支 元/人 元/亩 亿千瓦时 万千瓦
    床 册 册次 期 轮 级 村 镇 乡 县""".split(),
    key=len,
    reverse=True,
)
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_PRE = r"(?:近乎|超过|不到|近|约|逾)"
_MAG = r"(?:万亿|亿|万|千(?![米克瓦])|百(?!分))"

_DATE_RE = re.compile(r"(?<![\d.])(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?")
_MONTH_DAY_RE = re.compile(r"(?<![\d.年])(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?")
_DAY_CODE_RE = re.compile(r"(?<=[“\"‘'])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?=[”\"’'])")
_RANGE_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?<![\d.])(?P<a>{NUM})(?P<u1>%|年)?(?P<sep>[-~～至到—–])(?P<b>{NUM})(?![\d.])"
    rf"(?P<mag>{_MAG})?(?P<a2>余|多)?(?P<unit>{_UNIT})?(?P<post>以上|左右)?"
)
_ORDINAL_RE = re.compile(
    r"第(?P<num>\d+)(?P<unit>期|次|届|号|条|章|节|款|项|批|名|位|个|季度|年|天|轮|部分|版)?"
)
_FIGURE_RE = re.compile(
    rf"(?P<pre>{_PRE})?(?<![\d.])(?P<num>{NUM})(?![\d])(?P<a1>余|多)?(?P<mag>{_MAG})?(?P<a2>余|多)?"
    rf"(?P<unit>{_UNIT})?(?P<post>以上|左右)?"
)
_CN_NUM = "两二三四五六七八九十百千"
_CN_CONGRESS_RE = re.compile(
    r"(?<![一二三四五六七八九十第])(?P<n>十[一二三四五六七八九]|[二三]十[一二三四五六七八九]?)(?P<u>大|届)"
)
_CN_PLAN_RE = re.compile(r"(?<![一二三四五六七八九十第])(?P<n>十[一二三四五])五(?![个年])")
_CN_COUNT_RE = re.compile(
    rf"(?<![第一二三四五六七八九十百千万两零〇])(?P<n>[{_CN_NUM}]{{1,4}}|一[十百千][{_CN_NUM}一]*)"
    r"(?P<a>余|多)?(?P<u>个月|个|项|名|次|条|种|类|批|件|位|家|户|天|年|级|方面|支|所|座|套|场|届|周)"
)
_IDIOMS = re.compile(
    "五位一体|三支一扶|三番五次|三天两头|三年五载|十年树木|百年树人|三令五申|千年万载|一年半载"
)
_LIST_MARKER_RE = re.compile(r"[、.．](?!\d)")
#: characters before 近 / 约 that make them part of a word (附近, 节约), not an approximator
_BAD_PRE = {"近": "最附邻亲贴就", "约": "节制签预公条契特简"}


def _num_value(s: str) -> float:
    return float(s.replace(",", ""))


def _kind_from_unit(unit: str | None, magnitude: str | None) -> str:
    if unit and "元" in unit:
        return "amount"
    if unit in ("%", "‰", "个百分点", "百分点"):
        return "percent"
    return "count"


class _Spans:
    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = bytearray(len(text))
        self.figures: list[Figure] = []

    def free(self, a: int, b: int) -> bool:
        return not any(self.taken[a:b])

    def add(self, a: int, b: int, **kw) -> None:
        if a >= b or not self.free(a, b):
            return
        self.taken[a:b] = b"\x01" * (b - a)
        self.figures.append(Figure(start=a, end=b, text=self.text[a:b], **kw))


def _pre_ok(text: str, m: re.Match[str]) -> bool:
    pre = m.group("pre")
    if not pre or pre not in _BAD_PRE:
        return True
    i = m.start("pre")
    return not (i > 0 and text[i - 1] in _BAD_PRE[pre])


def _latin_attached(text: str, a: int, b: int) -> bool:
    before = text[a - 1] if a > 0 else ""
    after = text[b] if b < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def find_figures(text: str) -> list[Figure]:
    """All figures in ``text``, in order of position, as non-overlapping spans."""
    sp = _Spans(text)
    masked = bytearray(len(text))
    for m in _IDIOMS.finditer(text):
        masked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

    for m in _RANGE_RE.finditer(text):
        a = m.start() if _pre_ok(text, m) else m.start("a")
        if _latin_attached(text, m.start("a"), m.end("b")) and not m.group("unit"):
            continue
        unit = m.group("unit") or m.group("u1")
        approx = (m.group("pre") if a == m.start() else None) or m.group("a2") or m.group("post")
        sp.add(a, m.end(), kind="range", digits=text[m.start("a") : m.end("b")],
               value=_num_value(m.group("a")), magnitude=m.group("mag"), unit=unit, approx=approx)
    for m in _DATE_RE.finditer(text):
        y = int(m.group("y"))
        if not 1900 <= y <= 2100 or (m.group("m") and not 1 <= int(m.group("m")) <= 12):
            continue
        if m.group("m"):
            iso = f"{y:04d}-{int(m.group('m')):02d}" + (f"-{int(m.group('d')):02d}" if m.group("d") else "")
            sp.add(m.start(), m.end(), kind="date", digits=m.group(0).rstrip("日月年"), iso=iso,
                   value=float(y))
        else:
            sp.add(m.start(), m.end(), kind="year", digits=m.group("y"), value=float(y), unit="年",
                   iso=m.group("y"))
    for m in _MONTH_DAY_RE.finditer(text):
        mo = int(m.group("m"))
        if 1 <= mo <= 12 and not _latin_attached(text, m.start(), m.end()):
            iso = f"--{mo:02d}" + (f"-{int(m.group('d')):02d}" if m.group("d") else "")
            sp.add(m.start(), m.end(), kind="date", digits=m.group(0).rstrip("日号月"), iso=iso,
                   value=float(mo))
    for m in _DAY_CODE_RE.finditer(text):
        mo, d = int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            sp.add(m.start(), m.end(), kind="date", digits=m.group(0), value=_num_value(m.group(0)),
                   iso=f"--{mo:02d}-{d:02d}")
    for m in _ORDINAL_RE.finditer(text):
        sp.add(m.start(), m.end(), kind="ordinal", digits=m.group("num"), value=_num_value(m.group("num")),
               unit=m.group("unit"))
    for m in _FIGURE_RE.finditer(text):
        a = m.start() if _pre_ok(text, m) else m.start("num")
        num = m.group("num")
        b = m.end()
        unit, mag = m.group("unit"), m.group("mag")
        if _latin_attached(text, m.start("num"), m.end("num") if not (unit or mag) else b):
            continue
        if not (unit or mag) and _LIST_MARKER_RE.match(text, m.end("num")) and (
            m.start("num") == 0 or text[m.start("num") - 1] in "\n "
        ):
            continue  # "1." / "1、" opening a list item
        approx = (m.group("pre") if a == m.start() else None) or m.group("a1") or m.group("a2")
        approx = approx or m.group("post")
        if unit == "年" and len(num) == 4 and not mag:
            continue  # 4-digit year handled above (or out of range)
        kind = _kind_from_unit(unit, mag)
        if not unit and not mag and not approx:
            after = text[b] if b < len(text) else ""
            if len(num) >= 3 and "." not in num and "," not in num and "\u4e00" <= after <= "\u9fff":
                kind = "code"
        sp.add(a, b, kind=kind, digits=num, value=_num_value(num), magnitude=mag, unit=unit, approx=approx)

    for m in _CN_CONGRESS_RE.finditer(text):
        if not masked[m.start()]:
            sp.add(m.start(), m.end(), kind="ordinal", digits="", value=float(cn_value(m.group("n")) or 0),
                   unit=m.group("u"), numeral=m.group("n"))
    for m in _CN_PLAN_RE.finditer(text):
        if not masked[m.start()]:
            sp.add(m.start(), m.end(), kind="ordinal", digits="", value=float(cn_value(m.group("n")) or 0),
                   unit="五", numeral=m.group("n"))
    for m in _CN_COUNT_RE.finditer(text):
        n = m.group("n")
        if masked[m.start()] or n in ("百", "千") or set(n) <= {"百", "千"}:
            continue
        value = cn_value(n)
        if not value:
            continue
        sp.add(m.start(), m.end(), kind="count", digits="", value=float(value), unit=m.group("u"),
               approx=m.group("a"), numeral=n)
    return sorted(sp.figures, key=lambda f: f.start)
