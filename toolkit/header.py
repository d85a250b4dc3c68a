"""Header and sign-off shapes beyond the masthead: dates in every written form, a notice's 文号 and 主送,
a news dispatch's dateline, a web article's 来源/发布时间/作者 line, a notice's 落款 (office + date).

Dates: 2020年5月31日, 二〇二〇年五月三十一日 (Hong Kong and official Chinese-numeral style, ○/〇/零),
中华民国107年5月17日 / 民国107年 and 107-05-17 (Taiwan's Minguo years, +1911), 2020-05-31 / 2020/5/31 /
2020.05.31; a (星期日) or a time after them is allowed. Each function returns None when the line is
not of its shape, so structure can try them in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import cn_value, iso_date

_CN_NUM = "〇○零一二三四五六七八九十两"
_WEEKDAY = r"(?:\s*[（(]?\s*(?:星期|周|礼拜)[一二三四五六日天]\s*[）)]?)?"
_TIME = r"(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2})?\s*秒?)?"

_DATE_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "minguo",
        re.compile(
            r"(?:中华民国|中華民國|民国|民國)\s*(\d{2,3}|[" + _CN_NUM + r"]{2,5})\s*年\s*"
            r"(\d{1,2}|[" + _CN_NUM + r"]{1,3})\s*月\s*(\d{1,2}|[" + _CN_NUM + r"]{1,3})\s*日"
        ),
    ),
    ("ymd", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    (
        "cn",
        re.compile(
            r"([" + _CN_NUM + r"]{4})\s*年\s*([" + _CN_NUM + r"]{1,3})\s*月\s*([" + _CN_NUM + r"]{1,3})\s*日"
        ),
    ),
    ("iso", re.compile(r"(?<![\d.])(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?![\d.])")),
    ("minguo-num", re.compile(r"(?<![\d.])(\d{2,3})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?![\d.])")),
)


def _num(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in "〇○零一二三四五六七八九" for c in s):  # 二〇二〇: digit by digit
        return int(
            "".join(str("〇一二三四五六七八九".index(c)) if c in "〇一二三四五六七八九" else "0" for c in s)
        )
    return cn_value(s.replace("○", "〇"))


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first date in ``text`` as (ISO date, match), any written form; None if none is a valid date."""
    best: tuple[str, re.Match[str]] | None = None
    for style, rx in _DATE_RES:
        for m in rx.finditer(text):
            y, mo, d = (_num(g) for g in m.groups())
            if y is None or mo is None or d is None:
                continue
            if style.startswith("minguo"):
                if not 1 <= y <= 200:
                    continue
                y += 1911
            if not (1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
                continue
            if best is None or m.start() < best[1].start():
                best = (iso_date(str(y), str(mo), str(d)), m)
            break
    return best


_DATE_ONLY_RE = re.compile(r"^[（(]?\s*(?P<date>.+?)\s*[）)]?" + _WEEKDAY + _TIME + r"\s*$")


def date_line(line: str) -> tuple[str, str] | None:
    """(ISO date, date as written) when the whole line is a date (with an optional weekday and time)."""
    s = line.strip()
    if len(s) > 40:
        return None
    found = find_date(s)
    if not found:
        return None
    iso, m = found
    rest = (s[: m.start()] + s[m.end() :]).strip()
    rest = re.sub(_WEEKDAY + _TIME, "", rest).strip()
    rest = re.sub(r"^[（(]|[）)]$", "", rest).strip()
    rest = re.sub(r"^(发布日期|发布时间|成文日期|日期|时间)\s*[:：]?", "", rest).strip()
    if rest and not re.fullmatch(r"[（()）\s]*", rest):
        return None
    return iso, m.group(0)


# -- notices -------------------------------------------------------------------------
DOC_NUMBER_RE = re.compile(
    r"^(?P<num>[\u4e00-\u9fff]{1,16}\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*\d{1,4}\s*号)$"
)
_ADDRESSEE_RE = re.compile(r"^(?:主送\s*[:：]\s*)?(?P<list>[^。；！？]{2,120})[:：]$")


def doc_number(line: str) -> str | None:
    """A notice's 文号 line: 渝扶贫办发〔2019〕12号 (brackets of any kind)."""
    m = DOC_NUMBER_RE.match(line.strip())
    return m.group("num") if m else None


def addressees(line: str) -> list[str] | None:
    """A notice's 主送 line (各区县扶贫办，市级有关部门：) as its recipients, else None."""
    s = line.strip()
    m = _ADDRESSEE_RE.match(s)
    if not m:
        return None
    body = m.group("list")
    if not (s.startswith("主送") or body.startswith("各") or "各" in body[:6]):
        return None
    parts = [p.strip() for p in re.split(r"[，,；;]", body) if p.strip()]
    return parts or None


# -- web articles ---------------------------------------------------------------------
_META_LABEL_RE = re.compile(
    r"(?P<label>来源|來源|信息来源|文章来源|稿源|发布时间|發布時間|发布日期|發布日期|成文日期|时间|日期|作者|撰稿|责任编辑|编辑"
    r"|字号|浏览次数|阅读次数|点击数|访问量|索引号|主题分类|发文机关|发布机构|文号|发文字号|标题)\s*[:：]\s*"
)


@dataclass
class ArticleMeta:
    source: str | None = None
    date: str | None = None
    date_text: str | None = None
    author: str | None = None
    doc_number: str | None = None
    office: str | None = None


def article_meta(line: str) -> ArticleMeta | None:
    """A web article's metadata line (来源：… 发布时间：… 作者：…), possibly several labels on one line."""
    s = line.strip()
    if len(s) > 200 or any(c in s for c in "。！？"):
        return None
    labels = list(_META_LABEL_RE.finditer(s))
    if not labels or labels[0].start() > 2:
        return None
    meta = ArticleMeta()
    for k, m in enumerate(labels):
        end = labels[k + 1].start() if k + 1 < len(labels) else len(s)
        value = s[m.end() : end].strip(" 　|｜【】[]")
        label = m.group("label")
        if not value:
            continue
        if label in ("来源", "來源", "信息来源", "文章来源", "稿源"):
            meta.source = value
        elif label in ("作者", "撰稿"):
            meta.author = value
        elif label in ("文号", "发文字号"):
            meta.doc_number = value
        elif label in ("发文机关", "发布机构"):
            meta.office = value
        elif label in ("发布时间", "發布時間", "发布日期", "發布日期", "成文日期", "时间", "日期"):
            found = find_date(value)
            if found:
                meta.date, meta.date_text = found[0], value[found[1].start() : found[1].end()]
    return meta


# -- news dispatches ------------------------------------------------------------------
DATELINE_RE = re.compile(
    r"^\s*[【\[]?\s*(?P<agency>新华社|中新社|中通社|本报|本刊|本网|人民网|新华网|央视网|央广网|中国新闻网|[\u4e00-\u9fff]{2,6}(?:社|报|网|台))?"
    r"\s*(?P<place>[\u4e00-\u9fff]{2,8}?)\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:电|讯|消息|专电)\s*[】\]]?"
    r"\s*(?:[（(](?P<rep>(?:记者|通讯员|特约记者)[^）)]{0,60})[）)])?\s*"
)


@dataclass
class Dateline:
    agency: str | None
    place: str
    month: int
    day: int
    reporter: str | None
    end: int  # where the story starts, relative to the paragraph


def dateline(paragraph: str) -> Dateline | None:
    """新华社北京5月31日电（记者 张三）at the start of a paragraph."""
    m = DATELINE_RE.match(paragraph)
    if not m or not (m.group("agency") or m.group("rep")):
        return None
    if not 1 <= int(m.group("m")) <= 12 or not 1 <= int(m.group("d")) <= 31:
        return None
    return Dateline(
        agency=m.group("agency"),
        place=m.group("place"),
        month=int(m.group("m")),
        day=int(m.group("d")),
        reporter=(m.group("rep") or None),
        end=m.end(),
    )
