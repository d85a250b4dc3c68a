"""Line patterns shared by normalize (which lines stay on their own) and structure (what a line is).

They live here, before both stages, so normalize never imports the later structure stage.
"""

from __future__ import annotations

import re

CN_DIGITS = "〇零一二三四五六七八九十百两"
_CN = "一二三四五六七八九十"
_SPLIT = set("。！？；!?")
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】"}
_CLOSING = {v: k for k, v in _PAIRS.items()}

# -- line patterns (also used by normalize, on lines that may still have spaces and ASCII brackets) --
SECTION_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第\s*([{_CN}百]+|\d+)\s*部分\s*[、.．:：]?\s*")),
    ("cn-dun", re.compile(rf"^([{_CN}]+)\s*(?:、|[.．](?!\d))\s*")),
    ("cn-paren", re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*[、.．]?\s*")),
    ("arabic-dot", re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?![\d.]))\s*")),
)
POINT_START_RE = re.compile(rf"^(?:[{_CN}]+\s*是|首先|[（(]\s*\d{{1,2}}\s*[）)]|[①-⑳])")
_ISSUE_RE = re.compile(r"^(?P<name>.*?)\s*[（(]?\s*(?:总)?第\s*(?P<n>\d+)\s*期\s*[）)]?$")
DATE_LINE_RE = re.compile(r"^[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?$")
PRINT_RE = re.compile(
    r"^(?P<printer>.*?)\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*印发\s*[。.]?$"
)
DIST_RE = re.compile(r"^(?P<label>抄送|分送|报送|发送|主送|报|送)\s*[:：]\s*")
_NAME_RE = re.compile(
    r"(简报|快报|专报|通报|动态|要情|信息|周报|月报|旬报|专刊|增刊|简讯|工作通讯|新闻公报|新闻稿|新闻发布)$"
)
_OFFICE_RE = re.compile(
    r"(办公室|委员会|领导小组|人民政府|政府|办|厅|局|委|部|署|中心|小组|协会|联合会|研究院|研究所|编辑部|党组"
    r"|国务院|中共中央|法院|检察院|常委会)$"
)
_FOOTER_MISC_RE = re.compile(r"^[（(]?\s*(共印|印数|联系人|联系电话|电话|签发|校对)")


def starts_block(line: str) -> bool:
    """A line that starts a new block: a section or point marker, a subtitle dash, a footer label."""
    line = line.lstrip()
    return (
        any(rx.match(line) for _, rx in SECTION_RES)
        or bool(POINT_START_RE.match(line))
        or line.startswith(("——", "--", "－－"))
        or bool(DIST_RE.match(line))
    )


def is_standalone_line(line: str) -> bool:
    """A line that is never joined to its neighbours: header/footer lines, bare headings, subtitles."""
    line = line.strip()
    if len(line) > 60:
        return False
    if DATE_LINE_RE.match(line) or PRINT_RE.match(line) or _ISSUE_RE.match(line):
        return True
    if line.startswith(("——", "--", "－－")):
        return True
    if any(rx.match(line) for _, rx in SECTION_RES) and not any(c in _SPLIT or c == "，" for c in line[:-1]):
        return True
    return len(line) <= 30 and bool(_NAME_RE.search(line) or _OFFICE_RE.search(line))


def cn_value(numeral: str) -> int | None:
    """The value of a Chinese numeral (一 .. 九千九百九十九, 两, 〇); None if it is not one."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    if not numeral:
        return None
    total, cur = 0, None
    for ch in numeral:
        if ch in digits:
            if cur is not None:  # 二〇二〇-style digit string
                cur = cur * 10 + digits[ch]
            else:
                cur = digits[ch]
        elif ch in units:
            total += (1 if cur is None else cur) * units[ch]
            cur = None
        elif ch == "万":
            total = (total + (cur or 0)) * 10000
            cur = None
        else:
            return None
    return total + (cur or 0)


def iso_date(y: str, m: str, d: str | None = None) -> str:
    return f"{int(y):04d}-{int(m):02d}" + (f"-{int(d):02d}" if d else "")
