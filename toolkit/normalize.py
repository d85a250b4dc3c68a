"""Normalize stage: clean PDF-extraction artifacts while keeping an offset map to the original.

Every pass is linear: it collects edits (start, end, replacement) and rebuilds the text from
slices, with ``array('i')`` offsets, so a 20 MB input costs a few passes over the string.
``doc.offsets[i]`` is always the index in ``doc.original`` of ``doc.text[i]``.

Passes: character map (full-width digits/letters/space -> half-width, Kangxi radicals -> ordinary
characters, zero-width characters dropped, CR/CRLF -> LF); paragraph rebuild (lines broken mid-
sentence or across page breaks are rejoined; headings, header and footer lines, short lines stay
separate; paragraphs are separated by one ``\\n``); punctuation (half-width , : ; ( ) ! ? in
Chinese text -> ，：；（）！？, ASCII quotes -> “…” / ‘…’ alternating within a paragraph); spaces
between Chinese characters, Chinese punctuation and figures removed (spaces in Latin text kept).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable

from .boilerplate import kind as furniture_kind
from .chinese import is_cjk
from .doc import Document
from .header import article_meta, date_line, doc_number
from .lines import is_standalone_line, starts_block

#: full-width forms that are Chinese punctuation and stay as they are
_KEEP_FULLWIDTH = set("！（），：；？［］｛｝")
#: CJK Radicals Supplement characters that PDF fonts use for ordinary characters
_RADICALS_SUPPLEMENT = {
    0x2E81: "厂",
    0x2E8C: "小",
    0x2E9D: "月",
    0x2E9F: "母",
    0x2EA0: "民",
    0x2EA7: "牛",
    0x2EA9: "王",
    0x2EAB: "目",
    0x2EAC: "示",
    0x2EB7: "羊",
    0x2EBC: "月",
    0x2EC1: "虎",
    0x2EC2: "衣",
    0x2EC3: "西",
    0x2EC4: "西",
    0x2EC5: "见",
    0x2EC6: "角",
    0x2EC9: "贝",
    0x2ECA: "足",
    0x2ECB: "车",
    0x2ED1: "長",
    0x2ED2: "长",
    0x2ED3: "长",
    0x2ED4: "门",
    0x2ED7: "雨",
    0x2ED8: "青",
    0x2ED9: "韦",
    0x2EDA: "页",
    0x2EDB: "风",
    0x2EDC: "飞",
    0x2EDD: "食",
    0x2EE2: "马",
    0x2EE3: "骨",
    0x2EE4: "鬼",
    0x2EE5: "鱼",
    0x2EE6: "鸟",
    0x2EE7: "卤",
    0x2EE8: "麦",
    0x2EE9: "黄",
    0x2EEA: "黾",
    0x2EEC: "齐",
    0x2EEE: "齿",
    0x2EF0: "龙",
    0x2EF3: "龟",
}
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SENTENCE_END = set("。！？；!?")
_CLOSERS = set("”’」』）)》\"'")
_DEFAULT_JOIN_WIDTH = 40


def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for o in range(0xFF01, 0xFF5F):
        c = chr(o)
        if c not in _KEEP_FULLWIDTH:
            table[o] = chr(o - 0xFEE0)
    for o in range(0x2F00, 0x2FE0):
        n = unicodedata.normalize("NFKC", chr(o))
        if len(n) == 1 and n != chr(o):
            table[o] = n
    table.update(_RADICALS_SUPPLEMENT)
    table.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ", 0x09: " "})
    table.update({0x0B: "\n", 0x0C: "\n", 0x2028: "\n", 0x2029: "\n", 0x0D: "\n"})
    return table


_TABLE = _char_table()
_DROP_RE = re.compile(f"[{_DROP}]|\r(?=\n)")


def is_cjkish(ch: str) -> bool:
    """A Chinese character or Chinese punctuation (where spaces around it are extraction noise)."""
    if not ch:
        return False
    o = ord(ch)
    return is_cjk(ch) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’—…·•"


def _is_figureish(ch: str) -> bool:
    return ch.isdigit() and ch.isascii() or ch in "%‰"


class _Text:
    """A string and its offset map, rebuilt from edits in one linear pass."""

    def __init__(self, text: str, offsets: array) -> None:
        self.text = text
        self.offsets = offsets

    def apply(self, edits: Iterable[tuple[int, int, str, Iterable[int] | None]]) -> None:
        """Apply sorted, non-overlapping (start, end, replacement, replacement offsets) edits.

        ``None`` as offsets means "same length as the span": the span's offsets are kept.
        """
        parts: list[str] = []
        offs = array("i")
        old, oldoffs = self.text, self.offsets
        pos = 0
        for start, end, repl, repl_offs in edits:
            parts.append(old[pos:start])
            offs.extend(oldoffs[pos:start])
            parts.append(repl)
            offs.extend(oldoffs[start:end] if repl_offs is None else repl_offs)
            pos = end
        parts.append(old[pos:])
        offs.extend(oldoffs[pos:])
        self.text = "".join(parts)
        self.offsets = offs

    def replace_chars(self, subs: dict[int, str]) -> None:
        """Same-length single-character substitutions {index: char}; offsets unchanged."""
        if not subs:
            return
        parts: list[str] = []
        pos = 0
        for i in sorted(subs):
            parts.append(self.text[pos:i])
            parts.append(subs[i])
            pos = i + 1
        parts.append(self.text[pos:])
        self.text = "".join(parts)


# -- pass 1: characters --------------------------------------------------------
def _map_chars(t: _Text) -> None:
    t.apply((m.start(), m.end(), "", ()) for m in _DROP_RE.finditer(t.text))
    t.text = t.text.translate(_TABLE)


# -- pass 2: paragraphs --------------------------------------------------------
def _ends_sentence(line: str) -> bool:
    i = len(line) - 1
    while i > 0 and line[i] in _CLOSERS:
        i -= 1
    if line[i] in _SENTENCE_END or line[i] in "：:":
        return True
    return line[i] == "." and i > 0 and is_cjkish(line[i - 1])


def _join_width(lengths: list[int]) -> int:
    """The wrap width of hard-wrapped text (many lines of one length), else a default."""
    long_lines = [n for n in lengths if n >= 15]
    if len(long_lines) >= 5:
        width, count = Counter(long_lines).most_common(1)[0]
        near = sum(1 for n in long_lines if abs(n - width) <= 1)
        if near >= 0.3 * len(long_lines) and width < _DEFAULT_JOIN_WIDTH:
            return max(15, width - 2)
    return _DEFAULT_JOIN_WIDTH


#: how many lines from the top a wrapped title may start at (after mastheads, 文号, menus one entry a line)
_TITLE_ZONE = 60
_TITLE_OPEN_RE = re.compile(r"(关于|的|和|与|及|、|暨|对|《|“|进一步|加强|做好|印发|转发)$")
_TITLE_TAIL_RE = re.compile(
    r"^(?:[^，。；：]{0,30}的)?(?:通知|意见|实施意见|决定|办法|方案|实施方案|规定|通报|报告|批复|公告|通告|函|纪要|细则|规划|"
    r"工作要点|若干措施|措施|条例|指导意见|决议)$"
)


def _title_continues(prev: str, line: str) -> bool:
    """A notice title wrapped over lines: "…关于" / "印发《…》的" / "通知" is one title."""
    if len(prev) > 40 or len(line) > 40 or any(c in prev + line for c in "。；！？：:"):
        return False
    if (
        starts_block(line)
        or date_line(line)
        or date_line(prev)
        or furniture_kind(prev)
        or furniture_kind(line)
    ):
        return False
    if prev.count("《") > prev.count("》") or prev.count("“") > prev.count("”"):
        return True
    return bool(_TITLE_OPEN_RE.search(prev)) or bool(_TITLE_TAIL_RE.match(line)) and "关于" in prev + line


def _keeps_own_line(line: str) -> bool:
    """Dates of any form, 文号, 来源/发布时间 lines and page furniture stay on their own lines."""
    if len(line) <= 40 and (date_line(line) is not None or doc_number(line) is not None):
        return True
    return furniture_kind(line) is not None or article_meta(line) is not None


def _rebuild_paragraphs(t: _Text) -> None:
    text = t.text
    lines: list[tuple[int, int]] = []  # (start, end) of stripped non-empty lines
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        stripped = raw.strip(" ")
        if stripped:
            s = pos + (len(raw) - len(raw.lstrip(" ")))
            lines.append((s, s + len(stripped)))
        pos = end + 1
    width = _join_width([e - s for s, e in lines])
    edits: list[tuple[int, int, str, Iterable[int] | None]] = []
    prev_end = 0
    for k, (s, e) in enumerate(lines):
        if k == 0:
            edits.append((0, s, "", ()))
        else:
            prev_s = lines[k - 1][0]
            prev = text[prev_s:prev_end]
            line = text[s:e]
            join = (
                len(prev) >= width
                and not _ends_sentence(prev)
                and not is_standalone_line(prev)
                and not starts_block(line)
                and not is_standalone_line(line)
                and not _keeps_own_line(prev)
                and not _keeps_own_line(line)
            ) or (k < _TITLE_ZONE and _title_continues(prev, line))
            gap_off = t.offsets[prev_end]  # the first newline after the previous line
            if join:
                a, b = prev[-1], line[0]
                sep = " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) else ""
            else:
                sep = "\n"
            edits.append((prev_end, s, sep, [gap_off] * len(sep)))
        prev_end = e
    edits.append((prev_end, len(text), "", ()))
    if not lines:
        edits = [(0, len(text), "", ())]
    t.apply(edits)


# -- pass 3: punctuation ----------------------------------------------------------
_PUNCT_RE = re.compile(r"[,:;!?()\"'\n]")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_SKIP_CONTEXT = set(" ()\"'")


def _context(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] in _SKIP_CONTEXT:
        j += step
    return text[j] if 0 <= j < len(text) and text[j] != "\n" else ""


def _convert_punctuation(t: _Text) -> None:
    text = t.text
    subs: dict[int, str] = {}
    double_open = single_open = True
    parens: list[int] = []

    def close_paragraph() -> None:
        for p in parens:  # unmatched "(": Chinese when next to Chinese text
            if is_cjkish(_context(text, p, -1)) or is_cjkish(_context(text, p, 1)):
                subs[p] = "（"
        parens.clear()

    for m in _PUNCT_RE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            close_paragraph()
            double_open = single_open = True
            continue
        if ch == '"':
            subs[i] = "“" if double_open else "”"
            double_open = not double_open
        elif ch == "'":
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if is_cjkish(before) or is_cjkish(after):
                subs[i] = "‘" if single_open else "’"
                single_open = not single_open
        elif ch == "(":
            parens.append(i)
        elif ch == ")":
            if parens:
                p = parens.pop()
                inner = text[p + 1 : i]
                if (
                    any(is_cjk(c) for c in inner)
                    or is_cjkish(_context(text, p, -1))
                    or is_cjkish(_context(text, i, 1))
                ):
                    subs[p], subs[i] = "（", "）"
            elif is_cjkish(_context(text, i, -1)) or is_cjkish(_context(text, i, 1)):
                subs[i] = "）"
        else:
            before, after = _context(text, i, -1), _context(text, i, 1)
            if ch in ",:" and before.isdigit() and after.isdigit():
                continue  # 1,000 / 10:30
            if is_cjkish(before) or (ch in ",:;" and is_cjkish(after)):
                subs[i] = _HALF_TO_FULL[ch]
    close_paragraph()
    t.replace_chars(subs)


# -- pass 4: spaces ----------------------------------------------------------------
_SPACES_RE = re.compile(r" +")


def _remove_spaces(t: _Text) -> None:
    text = t.text
    edits = []
    for m in _SPACES_RE.finditer(text):
        s, e = m.start(), m.end()
        a = text[s - 1] if s else ""
        b = text[e] if e < len(text) else ""
        if (
            (is_cjkish(a) and (is_cjkish(b) or _is_figureish(b)))
            or (_is_figureish(a) and is_cjkish(b))
            or (_is_figureish(a) and b in "%‰")
        ):
            edits.append((s, e, "", ()))
    t.apply(edits)


def normalize(doc: Document) -> Document:
    """Normalize ``doc.text`` in place (keeping ``doc.offsets`` exact) and return ``doc``."""
    offsets = doc.offsets if isinstance(doc.offsets, array) else array("i", doc.offsets)
    if len(offsets) != len(doc.text):
        offsets = array("i", range(len(doc.text)))
    t = _Text(doc.text, offsets)
    _map_chars(t)
    _rebuild_paragraphs(t)
    _convert_punctuation(t)
    _remove_spaces(t)
    doc.text = t.text
    doc.offsets = t.offsets  # an array('i'): 4 bytes a character, not a Python int each
    return doc
