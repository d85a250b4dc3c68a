"""Structure stage: header, title, subtitle, lead, nested sections with points, sentences, footer.

Works on ``doc.text`` after normalization (paragraphs separated by one ``\\n``). Sentence ids:
title ``t1``, subtitle ``t2``, lead ``s0.0.N``, a section's heading ``h<id>``, its body outside
points ``s<id>.0.N`` and point j ``s<id>.j.N`` (``<id>`` is the section path, e.g. ``2`` or ``1.2``).

Choices: ``1.``/``1、`` items nested in a section are points when none of them is followed by an
unmarked paragraph (a list), and subsections when they head blocks of text; at top level they
are sections. A point runs to the next point of its series or the end of its section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Document, Footer, Header, Point, Section, Sentence

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
_NAME_RE = re.compile(r"(简报|快报|专报|通报|动态|要情|信息|周报|月报|旬报|专刊|增刊|简讯|工作通讯)$")
_OFFICE_RE = re.compile(
    r"(办公室|委员会|领导小组|人民政府|政府|办|厅|局|委|部|署|中心|小组|协会|联合会|研究院|研究所|编辑部|党组)$"
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


# -- sentences ------------------------------------------------------------------------
def _protected(text: str, start: int, end: int) -> bytearray:
    """1 at every index (relative to start) inside a matched quote or bracket pair."""
    stacks: dict[str, list[int]] = {}
    marks = [0] * (end - start + 1)
    for i in range(start, end):
        ch = text[i]
        if ch in _PAIRS:
            stacks.setdefault(ch, []).append(i)
        elif ch in _CLOSING:
            st = stacks.get(_CLOSING[ch])
            if st:
                o = st.pop()
                marks[o - start + 1] += 1
                marks[i - start] -= 1
    out = bytearray(end - start)
    depth = 0
    for k in range(end - start):
        depth += marks[k]
        out[k] = 1 if depth > 0 else 0
    return out


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``: split after 。！？；, never inside quotes or brackets."""
    if start >= end:
        return []
    inside = _protected(text, start, end)
    spans: list[tuple[int, int]] = []
    s = start
    for i in range(start, end):
        if text[i] in _SPLIT and not inside[i - start]:
            spans.append((s, i + 1))
            s = i + 1
    spans.append((s, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


@dataclass
class _Para:
    start: int
    end: int


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.offsets = doc.offsets
        self.n_orig = len(doc.original)

    def sentence(self, sid: str, a: int, b: int) -> Sentence:
        if self.offsets and len(self.offsets) == len(self.text) and b > a:
            oa, ob = self.offsets[a], self.offsets[b - 1] + 1
        else:
            oa, ob = a, b
        ob = min(max(ob, oa), self.n_orig)
        return Sentence(id=sid, text=self.text[a:b], original=self.doc.original[oa:ob], start=a, end=b,
                        orig_start=oa, orig_end=ob)

    def sentences(self, prefix: str, spans: list[tuple[int, int]], first: int = 1) -> list[Sentence]:
        out = []
        for a, b in spans:
            for s, e in split_sentences(self.text, a, b):
                out.append(self.sentence(f"{prefix}{first + len(out)}", s, e))
        return out


def _section_match(line: str) -> tuple[str, re.Match[str]] | None:
    for style, rx in SECTION_RES:
        m = rx.match(line)
        if m and m.end() < len(line):
            return style, m
    return None


def _marker_number(raw: str) -> int:
    return int(raw) if raw.isdigit() else (cn_value(raw) or 0)


_INLINE_POINT_RE = re.compile(
    rf"(?:(?<=^)|(?<=[。；！？：;!?:]))\s*(?P<m>(?P<cn>[{_CN}]+)是|首先|其次|再次|最后|[（(](?P<ar>\d{{1,2}})[）)]|(?P<ci>[①-⑳]))"
)
_SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": None}


def _point_style(m: re.Match[str]) -> str:
    if m.group("cn"):
        return "cn-shi"
    if m.group("ar"):
        return "arabic-paren"
    if m.group("ci"):
        return "circled"
    return "sequence"


def _point_number(m: re.Match[str], last: int) -> int | None:
    if m.group("cn"):
        return cn_value(m.group("cn"))
    if m.group("ar"):
        return int(m.group("ar"))
    if m.group("ci"):
        return ord(m.group("ci")) - ord("①") + 1
    word = m.group("m")
    n = _SEQ_WORDS.get(word)
    return n if n is not None else (last + 1 if last >= 1 else None)


class _SectionBody:
    """Collects a section's body paragraphs, splitting them into points."""

    def __init__(self, sec: Section) -> None:
        self.sec = sec
        self.chunks: list[tuple[int | None, str | None, int, int]] = []  # (point idx, marker, start, end)
        self.style: str | None = None
        self.last = 0
        self.npoints = 0

    def add_paragraph(self, text: str, a: int, b: int) -> None:
        cuts: list[tuple[int, str, int, int]] = []  # (position, marker, number, marker length)
        para = text[a:b]
        for m in _INLINE_POINT_RE.finditer(para):
            style = _point_style(m)
            if self.style not in (None, style):
                continue
            if style == "sequence" and m.end() < len(para) and para[m.end()] not in "，,：:":
                continue
            n = _point_number(m, self.last)
            if n is None:
                continue
            at_start = m.start("m") == len(para) - len(para.lstrip())
            if n != self.last + 1 and not (at_start and n == 1):
                continue
            self.style = style
            self.last = n
            cuts.append((a + m.start("m"), m.group("m"), n, len(m.group("m"))))
        self.add_cuts(a, b, cuts)

    def add_item(self, a: int, b: int, marker: str, number: int, length: int) -> None:
        self.style = self.style or "arabic-dot"
        self.last = number
        self.add_cuts(a, b, [(a, marker, number, length)])

    def add_cuts(self, a: int, b: int, cuts: list[tuple[int, str, int, int]]) -> None:
        pos = a
        for at, marker, n, length in cuts:
            if at > pos:
                self.chunks.append((self.npoints or None, None, pos, at))
            self.npoints += 1
            self.sec.points.append(Point(marker=marker, number=n))
            pos = at + length
        if b > pos:
            self.chunks.append((self.npoints or None, None, pos, b))

    def finish(self, builder: _Builder) -> None:
        sid = self.sec.id
        body: list[tuple[int, int]] = []
        per_point: dict[int, list[tuple[int, int]]] = {}
        for idx, _marker, a, b in self.chunks:
            if idx is None:
                body.append((a, b))
            else:
                per_point.setdefault(idx, []).append((a, b))
        self.sec.sentences = builder.sentences(f"s{sid}.0.", body)
        for j, point in enumerate(self.sec.points, start=1):
            spans = per_point.get(j, [])
            point.sentences = builder.sentences(f"s{sid}.{j}.", spans)


def structure(doc: Document) -> Document:
    """Fill header, title, subtitle, lead, sections (with points and sentences) and footer of ``doc``."""
    text = doc.text
    paras: list[_Para] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paras.append(_Para(pos, pos + len(line)))
        pos += len(line) + 1
    b = _Builder(doc)
    doc.header, doc.footer = Header(), Footer()
    doc.title = doc.subtitle = None
    doc.lead, doc.sections = [], []

    def line(p: _Para) -> str:
        return text[p.start : p.end].strip()

    # footer, from the end
    end = len(paras)
    fstart = _footer_start(paras, line)
    if fstart is not None:
        doc.footer = _parse_footer([line(p) for p in paras[fstart:]])
        end = fstart
    # header, from the start
    i = _parse_header(doc.header, paras, line, end)
    # title and subtitle
    if i < end:
        first = line(paras[i])
        titled = len(first) <= 60 and first[-1] not in _SPLIT and first[-1] not in "，："
        if titled and not starts_block(first):
            doc.title = b.sentence("t1", paras[i].start, paras[i].end)
            i += 1
            if i < end and doc.header.date is None and (m := DATE_LINE_RE.match(line(paras[i]))):
                doc.header.date, doc.header.date_text = iso_date(*m.groups()), line(paras[i]).strip("（）()")
                i += 1
    if i < end and line(paras[i]).startswith(("——", "--", "－－", "—")):
        p = paras[i]
        a = p.start
        while a < p.end and text[a] in "—-－ ":
            a += 1
        if a < p.end:
            doc.subtitle = b.sentence("t2", a, p.end)
        i += 1
    _parse_body(doc, b, paras[i:end], line)
    return doc


def _footer_start(paras: list[_Para], line) -> int | None:
    k = len(paras) - 1
    found = False
    while k >= 0:
        s = line(paras[k])
        if PRINT_RE.match(s) or DIST_RE.match(s):
            found = True
        elif _FOOTER_MISC_RE.match(s):
            pass
        elif (
            k + 1 < len(paras) and PRINT_RE.match(line(paras[k + 1])) and len(s) <= 30
            and not any(c in _SPLIT for c in s)
        ):
            pass  # the printer's name above the printing line
        else:
            break
        k -= 1
    return k + 1 if found else None


def _split_recipients(s: str) -> list[str]:
    out, cur, depth = [], [], 0
    for ch in s:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "；;，,":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [r.strip().rstrip("。.").strip() for r in out if r.strip().rstrip("。.").strip()]


def _parse_footer(lines: list[str]) -> Footer:
    f = Footer()
    for k, s in enumerate(lines):
        if m := DIST_RE.match(s):
            f.distribution_label = f.distribution_label or m.group("label")
            f.distribution += _split_recipients(s[m.end() :])
        elif m := PRINT_RE.match(s):
            f.print_date = iso_date(m.group("y"), m.group("m"), m.group("d"))
            f.print_text = s[len(m.group("printer")) :].strip()
            printer = m.group("printer").strip()
            above = lines[k - 1] if k > 0 else ""
            if not printer and above and not DIST_RE.match(above) and not _FOOTER_MISC_RE.match(above):
                printer = above
            f.printer = printer or None
    return f


def _parse_header(h: Header, paras: list[_Para], line, end: int) -> int:
    i = 0
    while i < min(end, 8):
        s = line(paras[i])
        if len(s) > 40:
            break
        if (m := _ISSUE_RE.match(s)) and h.issue is None:
            h.issue = int(m.group("n"))
            h.issue_text = s[len(m.group("name")) :].strip().strip("（）()")
            if m.group("name").strip() and h.name is None:
                h.name = m.group("name").strip()
        elif (m := DATE_LINE_RE.match(s)) and h.date is None:
            h.date, h.date_text = iso_date(*m.groups()), s.strip("（）()")
        elif _NAME_RE.search(s) and h.name is None and len(s) <= 20 and not starts_block(s):
            h.name = s
        elif _OFFICE_RE.search(s) and h.office is None and len(s) <= 30 and i > 0 and not starts_block(s):
            h.office = s
        else:
            break
        i += 1
    return i


def _parse_body(doc: Document, b: _Builder, paras: list[_Para], line) -> None:
    text = doc.text
    kinds: list[tuple[str, re.Match[str]] | None] = [_section_match(line(p)) for p in paras]
    lead_spans: list[tuple[int, int]] = []
    stack: list[tuple[str, Section, _SectionBody]] = []
    bodies: list[_SectionBody] = []
    as_points: set[int] = set()
    # decide, per run of arabic-dot items inside a section, whether they are points or subsections
    k = 0
    while k < len(paras):
        kind = kinds[k]
        if kind and kind[0] == "arabic-dot" and k > 0 and any(kinds[j] for j in range(k)):
            run, heads_block, j = [], False, k
            while j < len(paras) and (kinds[j] is None or kinds[j][0] == "arabic-dot"):
                if kinds[j] is None and run:
                    heads_block = True
                if kinds[j]:
                    run.append(j)
                j += 1
            if not heads_block and any(kinds[x] and kinds[x][0] != "arabic-dot" for x in range(k)):
                as_points.update(run)
            k = j
        else:
            k += 1

    for k, p in enumerate(paras):
        kind = kinds[k]
        lstrip = len(text[p.start : p.end]) - len(text[p.start : p.end].lstrip())
        a = p.start + lstrip
        if kind and k in as_points and stack:
            style, m = kind
            marker = text[a : a + m.end()].rstrip()
            stack[-1][2].add_item(a, p.end, marker, _marker_number(m.group(1)), m.end())
            continue
        if kind:
            style, m = kind
            styles = [s for s, _, _ in stack]
            if style in styles:
                del stack[styles.index(style) :]
            siblings = stack[-1][1].subsections if stack else doc.sections
            sid = f"{stack[-1][1].id}.{len(siblings) + 1}" if stack else str(len(siblings) + 1)
            marker = text[a : a + m.end()].rstrip()
            sec = Section(id=sid, marker=marker, style=style, number=_marker_number(m.group(1)),
                          level=len(stack) + 1)
            siblings.append(sec)
            body = _SectionBody(sec)
            stack.append((style, sec, body))
            bodies.append(body)
            rest = a + m.end()
            spans = split_sentences(text, rest, p.end)
            if spans:
                hs, he = spans[0]
                sec.heading = b.sentence(f"h{sid}", hs, he)
                if he < p.end:
                    body.add_paragraph(text, he, p.end)
            continue
        if stack:
            stack[-1][2].add_paragraph(text, a, p.end)
        else:
            lead_spans.append((a, p.end))
    doc.lead = b.sentences("s0.0.", lead_spans)
    for body in bodies:
        body.finish(b)
