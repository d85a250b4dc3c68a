"""Web-page and document furniture: lines that are not the bulletin's content.

Text copied from a government web page brings its navigation, menus, login/share/print links, "skip
to content", breadcrumbs, tables of contents, copyright and contact footers and visit counters. Each
line is classified on its own by what such furniture is made of (short link words, separators,
fixed phrases); a line of real prose - long, with sentence punctuation - is never furniture unless it
is one of the fixed phrases (您好，欢迎访问…, 按此，跳至主要内容). Structure sets these lines aside,
keeping their text and offsets in ``doc.meta["boilerplate"]``.
"""

from __future__ import annotations

import re

#: words that on a short line mean a link or a menu entry, not prose
_LINK_WORDS = (
    "首页",
    "登录",
    "注册",
    "退出",
    "无障碍",
    "关怀版",
    "长者版",
    "适老化",
    "繁体",
    "简体",
    "繁體",
    "English",
    "ENGLISH",
    "搜索",
    "网站地图",
    "网站导航",
    "设为首页",
    "加入收藏",
    "收藏本站",
    "联系我们",
    "手机版",
    "移动版",
    "返回顶部",
    "打印",
    "关闭",
    "分享",
    "分享到",
    "微信",
    "微博",
    "扫一扫",
    "字号",
    "字体",
    "纠错",
    "我要纠错",
    "RSS",
    "订阅",
    "上一篇",
    "下一篇",
    "返回",
    "更多",
    "专题",
    "政务公开",
    "政务服务",
    "互动交流",
    "信息公开",
    "新闻中心",
    "政策",
    "解读",
    "机构",
    "服务",
    "互动",
    "数据",
    "国务院",
    "总理",
    "新闻",
    "政策文件",
    "办事服务",
)
_SEPARATORS = "|｜/／>＞›»·•丨┃ \u00a0\t"

_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "skip-link",
        re.compile(r"(跳[至到转过]\S{0,4}(主要)?内容|跳过导航|按此.{0,4}跳|skip to (main )?content)", re.I),
    ),
    ("welcome", re.compile(r"^[\s【\[]*(您好|你好)?[，,！!\s]*欢迎您?(访问|来到|光临|登录|浏览|进入)")),
    (
        "page-number",
        re.compile(
            r"^([-—－–]\s*\d{1,4}\s*[-—－–]|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
            r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)$"
        ),
    ),
    (
        "contact",
        re.compile(
            r"^[（(]?\s*(新闻联络人|联络人|联系人|联系电话|咨询电话|监督电话|传真|邮箱|电子邮箱|E-?mail)\s*[:：]",
            re.I,
        ),
    ),
    ("today", re.compile(r"^今天是\s*\d{4}\s*年.{0,20}星期")),
    ("breadcrumb", re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]")),
    ("breadcrumb", re.compile(r"^首页\s*(>|＞|›|»|/|／|-)")),
    (
        "copyright",
        re.compile(
            r"(版权所有|版权归|Copyright|©|\(c\)\s*\d{4}|ICP\s*备|ICP证|公网安备|网站标识码|网站识别码"
            r"|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]|网站维护|建议使用.{0,20}浏览器"
            r"|\d{3,4}\s*[x×*]\s*\d{3,4}\s*分辨率|分辨率\s*\d{3,4})",
            re.I,
        ),
    ),
    ("contact", re.compile(r"^(地址|联系地址|通讯地址)\s*[:：].{0,40}(邮编|电话|邮政编码)")),
    (
        "counter",
        re.compile(
            r"(访问量|访问次数|浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|访问人数|浏览人次|访客数)"
            r"\s*(?:[:：]\s*\d*|\d+\s*次?\s*$|$)"
        ),
    ),
    (
        "share",
        re.compile(r"^[【\[]?\s*(分享到|分享|打印本页|打印|关闭窗口|关闭|收藏|字号|字体|背景色)\s*[:：】\]]"),
    ),
    ("share", re.compile(r"[【\[]\s*(打印|关闭|关闭窗口|打印本页|字体|字号|收藏|纠错)\s*[】\]]")),
    (
        "related",
        re.compile(
            r"^(相关链接|相关新闻|相关文章|相关阅读|相关稿件|延伸阅读|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面)\s*[:：]?\s*$"
        ),
    ),
    ("credit", re.compile(r"^[【\[（(]?\s*(责任编辑|责编|编辑|审核|校对)\s*[:：][^。]{0,20}[】\]）)]?$")),
    ("pager", re.compile(r"^(上一篇|下一篇|上一页|下一页)\s*[:：]")),
    ("time-stamp", re.compile(r"^(香港|澳门|北京|台北)?(时间|時間)\s*\d{1,2}\s*[时時:：]\s*\d{1,2}\s*分?$")),
    ("end-mark", re.compile(r"^[（(]?\s*(完|全文完)\s*[）)]?$")),
)

#: furniture lines are short; longer text with one of these phrases is prose that mentions them
_MAX_LEN = {"counter": 80, "share": 80, "credit": 40, "pager": 80, "contact": 80, "breadcrumb": 160}
#: a line that is only one of these words is a link
_LONE_LINKS = {
    "首页",
    "登录",
    "注册",
    "退出",
    "无障碍",
    "关怀版",
    "长者版",
    "打印",
    "关闭",
    "分享",
    "分享到",
    "返回顶部",
    "网站地图",
    "设为首页",
    "加入收藏",
    "联系我们",
    "手机版",
    "搜索",
    "我要纠错",
    "纠错",
    "返回",
    "更多",
    "English",
    "繁体",
    "简体",
    "繁體",
    "扫一扫",
}
_LONE_LINKS |= {
    "简",
    "繁",
    "EN",
    "个人中心",
    "邮箱",
    "打印本页",
    "关闭窗口",
    "我要打印",
    "收藏",
    "留言",
    "智能问答",
    "无障碍浏览",
    "长者模式",
    "适老版",
}

_TOC_RE = re.compile(r"^目\s*录$")
_LEADER_PAGE_RE = re.compile(r"(\.{3,}|…{2,}|·{3,}|-{3,})\s*\d+\s*$")


def kind(line: str) -> str | None:
    """What kind of furniture ``line`` is, or None for content."""
    s = line.strip()
    if not s:
        return None
    for name, rx in _PHRASES:
        if rx.search(s):
            if name == "skip-link" or len(s) <= _MAX_LEN.get(name, 120):
                return name
    if _is_menu(s):
        return "navigation"
    return None


def _is_menu(s: str) -> bool:
    """A row of short link words and separators: 首页 | 政策 | 解读 … or 登录 注册 无障碍."""
    if all(c in _SEPARATORS or c in "-—_=*~·" for c in s):
        return True  # a line of separators only
    if len(s) > 160 or any(c in s for c in "。；;！？"):
        return False
    tokens = [t for t in re.split(f"[{re.escape(_SEPARATORS)}]+", s) if t]
    if len(tokens) < 3:
        return len(tokens) >= 1 and all(t in _LONE_LINKS for t in tokens) and len(s) <= 12
    if max(len(t) for t in tokens) > 10:
        return False
    links = sum(
        1 for t in tokens if t in _LINK_WORDS or any(w in t for w in ("登录", "注册", "首页", "无障碍"))
    )
    separated = any(c in s for c in "|｜›»丨┃>＞")
    return links >= 2 or (separated and links >= 1) or (separated and len(tokens) >= 4)


def menu_runs(lines: list[str]) -> set[int]:
    """Menus copied one entry a line: a run of at least four very short lines (no sentence punctuation, no
    digits) of which at least two are link words - the whole run is navigation."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _menu_entry(lines[j]):
            j += 1
        links = sum(1 for k in range(i, j) if lines[k].strip() in _LONE_LINKS | set(_LINK_WORDS))
        if j - i >= 4 and links >= 2:
            out.update(range(i, j))
        i = max(j, i + 1)
    return out


def _menu_entry(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 8 and not any(c.isdigit() or c in "。；;！？：:，," for c in s)


def toc_lines(lines: list[str]) -> set[int]:
    """Indexes of a table of contents: a 目录 line and the entries after it (dot leaders with page numbers,
    or lines that reappear later in the text as headings)."""
    out: set[int] = set()
    for i, s in enumerate(lines):
        if not _TOC_RE.match(s.replace(" ", "")):
            continue
        later = {x.strip() for x in lines[i + 1 :]}
        j = i + 1
        entries = []
        while j < len(lines):
            t = lines[j].strip()
            bare = _LEADER_PAGE_RE.sub("", t).strip()
            if _LEADER_PAGE_RE.search(t) or (
                len(t) <= 40 and sum(1 for x in lines[j + 1 :] if x.strip() == t) >= 1
            ):
                entries.append(j)
                j += 1
            elif bare and bare in later and len(t) <= 40:
                entries.append(j)
                j += 1
            else:
                break
        if entries:
            out.add(i)
            out.update(entries)
    return out
