"""Structure stage: header, title, subtitle, lead, nested sections with points, tables, sentences, footer.

Works on ``doc.text`` after normalization (paragraphs separated by one ``\\n``). Sentence ids:
title ``t1``, subtitle ``t2``, lead ``s0.0.N``, a section's heading ``h<id>``, its body outside
points ``s<id>.0.N`` and point j ``s<id>.j.N`` (``<id>`` is the section path, e.g. ``2`` or ``1.2``).

Choices: ``1.``/``1、`` items nested in a section are points when none of them is followed by an
unmarked paragraph (a list), and subsections when they head blocks of text; at top level they
are sections. A point runs to the next point of its series or the end of its section.

Before that: page furniture (``boilerplate.py``) is set aside into ``doc.meta["boilerplate"]``; flattened
tables (``tables.py``) become ``Table`` rows of cells; header lines of any shape (``header.py``: masthead,
文号, 来源/发布时间, dateline, 主送) fill ``doc.header``; a notice's closing 落款 (office, date) fills the
footer. Documents made of several titled items (an unmarked short title line followed by its text,
again and again) get one top-level section per item, headed by its title. Every Sentence gets a
``role`` so later stages need not parse ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import boilerplate
from .doc import Document, Footer, Header, Point, Section, Sentence, Table
from .header import addressees, article_meta, date_line, dateline, doc_number
from .lines import (  # noqa: F401  (re-exported: the patterns were defined here before)
    _CN,
    _FOOTER_MISC_RE,
    _ISSUE_RE,
    _NAME_RE,
    _OFFICE_RE,
    _SPLIT,
    CN_DIGITS,
    DATE_LINE_RE,
    DIST_RE,
    POINT_START_RE,
    PRINT_RE,
    SECTION_RES,
    cn_value,
    is_standalone_line,
    iso_date,
    starts_block,
)
from .tables import TableBlock, column_units, find_tables

_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】"}
_CLOSING = {v: k for k, v in _PAIRS.items()}


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
            if out and _is_orphan(text[a:b]):  # "；及" leaves "及": it belongs to the sentence before
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return out


_CONNECTIVES = {"及", "和", "以及", "与", "或", "或者", "并", "且", "并且", "等", "同时"}


def _is_orphan(fragment: str) -> bool:
    """A fragment that cannot stand as a sentence: a lone connective or one or two characters."""
    core = fragment.strip().strip("。；;，,：:！？!? ")
    return core in _CONNECTIVES or (0 < len(core) <= 2 and fragment.strip()[-1] not in "。！？!?")


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
        self.mapped = bool(self.offsets) and len(self.offsets) == len(self.text)

    def orig(self, a: int, b: int) -> tuple[int, int]:
        if self.mapped and b > a:
            oa, ob = self.offsets[a], self.offsets[b - 1] + 1
        else:
            oa, ob = a, b
        return oa, min(max(ob, oa), self.n_orig)

    def sentence(self, sid: str, a: int, b: int, role: str = "body") -> Sentence:
        oa, ob = self.orig(a, b)
        return Sentence(
            id=sid,
            text=self.text[a:b],
            original=self.doc.original[oa:ob],
            start=a,
            end=b,
            orig_start=oa,
            orig_end=ob,
            role=role,
        )

    def sentences(
        self, prefix: str, spans: list[tuple[int, int]], first: int = 1, role: str = "body"
    ) -> list[Sentence]:
        out = []
        for a, b in spans:
            for s, e in split_sentences(self.text, a, b):
                out.append(self.sentence(f"{prefix}{first + len(out)}", s, e, role))
        return out

    def set_aside(self, kind: str, a: int, b: int) -> None:
        """Record furniture (or a header line kept out of the sentences) with its offsets."""
        oa, ob = self.orig(a, b)
        self.doc.meta.setdefault("boilerplate", []).append(
            {"kind": kind, "text": self.text[a:b], "start": a, "end": b, "orig_start": oa, "orig_end": ob}
        )


def _section_match(line: str) -> tuple[str, re.Match[str]] | None:
    for style, rx in SECTION_RES:
        m = rx.match(line)
        if m and m.end() < len(line):
            return style, m
    return None


def _marker_number(raw: str) -> int:
    return int(raw) if raw.isdigit() else (cn_value(raw) or 0)


_INLINE_POINT_RE = re.compile(
    rf"(?:(?<=^)|(?<=[。；！？：;!?:]))\s*(?P<m>(?P<cn>[{_CN}]+)是|(?P<cny>[{_CN}]+)要(?=[^求点素件闻]|$)"
    rf"|第(?P<di>[{_CN}]+)(?=[，、,])|首先|其次|再次|最后"
    rf"|[（(](?P<ar>\d{{1,2}})[）)]|(?P<ci>[①-⑳]))"
)
_SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": None}
_DASH_RE = re.compile(r"^(?:——|--|－－)\s*")


def _point_style(m: re.Match[str]) -> str:
    for group, style in (
        ("cn", "cn-shi"),
        ("cny", "cn-yao"),
        ("di", "cn-di"),
        ("ar", "arabic-paren"),
        ("ci", "circled"),
    ):
        if m.group(group):
            return style
    return "sequence"


def _point_number(m: re.Match[str], last: int) -> int | None:
    for group in ("cn", "cny", "di"):
        if m.group(group):
            return cn_value(m.group(group))
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
        if self.style == "dash":  # a paragraph after a dash list closes it
            self.style, self.last = None, 0
        for m in _INLINE_POINT_RE.finditer(para):
            style = _point_style(m)
            if self.style not in (None, style):
                continue
            if style in ("sequence", "cn-di") and m.end() < len(para) and para[m.end()] not in "，,：:、":
                continue
            n = _point_number(m, self.last)
            if n is None:
                continue
            at_start = m.start("m") == len(para) - len(para.lstrip())
            if n != self.last + 1 and not (at_start and n == 1):
                continue
            self.style = style
            self.last = n
            length = len(m.group("m"))
            if style in ("sequence", "cn-di") and m.end() < len(para) and para[m.end()] in "，,、":
                length += 1  # 首先，… : the comma belongs to the marker, not to the point's text
            cuts.append((a + m.start("m"), m.group("m"), n, length))
        self.add_cuts(a, b, cuts)

    def add_item(
        self, a: int, b: int, marker: str, number: int, length: int, style: str = "arabic-dot"
    ) -> None:
        self.style = self.style if self.style not in (None, "dash") or style != "arabic-dot" else style
        if style != "arabic-dot":
            self.style = style
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
            point.sentences = builder.sentences(f"s{sid}.{j}.", spans, role="point")


# -- the document ----------------------------------------------------------------------
_DOC_TYPE_RE = re.compile(
    r"(通知|意见|决定|办法|方案|规定|通报|报告|批复|公告|通告|函|纪要|细则|规划|要点|措施|条例|指引|公报|决议|计划|讲话|说明|声明)$"
)


def _bare(s: str) -> bool:
    """A short line with no sentence punctuation: a title, item title, caption or masthead line."""
    return (
        2 <= len(s) <= 40
        and not any(c in "。；;！？!?：:" for c in s)
        and s[-1] not in "，,、"
        and sum(1 for c in s if "\u4e00" <= c <= "\u9fff") >= 4
    )


def _is_item_title(lines: list[str], k: int) -> bool:
    """An unmarked title line inside the body: bare, not a marker/date/office line, not before a list."""
    s = lines[k]
    if not _bare(s) or starts_block(s) or date_line(s) or doc_number(s) or DATE_LINE_RE.match(s):
        return False
    if _OFFICE_RE.search(s) and len(s) <= 20 or s.startswith(("附件", "附表", "附:")):
        return False
    if k > 0 and lines[k - 1].rstrip().endswith(("：", ":")):
        return False
    nxt = lines[k + 1] if k + 1 < len(lines) else ""
    return bool(nxt) and not (_bare(nxt) and not starts_block(nxt))


def structure(doc: Document) -> Document:
    """Fill header, title, subtitle, lead, sections (points, tables, sentences) and footer of ``doc``."""
    text = doc.text
    all_paras: list[_Para] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lstrip = len(raw) - len(raw.lstrip())
            all_paras.append(_Para(pos + lstrip, pos + len(raw.rstrip())))
        pos += len(raw) + 1
    b = _Builder(doc)
    doc.header, doc.footer = Header(), Footer()
    doc.title = doc.subtitle = None
    doc.lead, doc.sections, doc.lead_tables = [], [], []
    doc.meta.pop("boilerplate", None)

    # page furniture, set aside with offsets
    all_lines = [text[p.start : p.end] for p in all_paras]
    furniture = {k: kd for k, s in enumerate(all_lines) if (kd := boilerplate.kind(s))}
    for k in boilerplate.toc_lines(all_lines):
        furniture.setdefault(k, "contents")
    for k in boilerplate.menu_runs(all_lines):
        furniture.setdefault(k, "navigation")
    for k in sorted(furniture):
        b.set_aside(furniture[k], all_paras[k].start, all_paras[k].end)
    paras = [p for k, p in enumerate(all_paras) if k not in furniture]
    lines = [all_lines[k] for k in range(len(all_paras)) if k not in furniture]

    # footer and sign-off, from the end
    end = len(paras)
    fstart = _footer_start(lines)
    if fstart is not None:
        doc.footer = _parse_footer(lines[fstart:])
        end = fstart
    signoff = _parse_signoff(doc, lines, end)
    for k in range(signoff, end):  # 落款 office and date, （此件公开发布）: kept with offsets
        b.set_aside("sign-off", paras[k].start, paras[k].end)
    end = signoff
    # header, from the start
    i = _parse_header(doc.header, lines, end)
    i = _header_extras(doc, b, paras, lines, i, end)
    # title and subtitle
    if i < end:
        first = lines[i]
        titled = len(first) <= 60 and first[-1] not in _SPLIT and first[-1] not in "，：:"
        if titled and not starts_block(first) and not date_line(first):
            doc.title = b.sentence("t1", paras[i].start, paras[i].end, "title")
            i += 1
            i = _header_extras(doc, b, paras, lines, i, end)
    if i < end and lines[i].startswith(("——", "--", "－－", "—")):
        p = paras[i]
        a = p.start
        while a < p.end and text[a] in "—-－ ":
            a += 1
        if a < p.end:
            doc.subtitle = b.sentence("t2", a, p.end, "subtitle")
        i += 1
        i = _header_extras(doc, b, paras, lines, i, end)
    if i < end and (names := addressees(lines[i])):
        doc.header.addressees = names
        b.set_aside("addressees", paras[i].start, paras[i].end)
        i += 1
    _parse_body(doc, b, paras[i:end], lines[i:end])
    if doc.header.date is None and doc.footer.sign_date:
        doc.header.date = doc.footer.sign_date
    if doc.header.office is None and doc.footer.signer:
        doc.header.office = doc.footer.signer
    if doc.header.office is None and doc.title is not None and (m := _ISSUER_RE.match(doc.title.text)):
        doc.header.office = m.group(1).strip()
    return doc


#: "中共中央 国务院关于…的意见", "XX市人民政府办公厅关于…": the issuer named before 关于
_ISSUER_RE = re.compile(
    r"^([^，。；：:、“《]{2,30}?(?:院|中央|厅|部|委|局|办|办公室|政府|委员会|小组|会|署|中心))\s*关于"
)


def _header_extras(doc: Document, b: _Builder, paras: list[_Para], lines: list[str], i: int, end: int) -> int:
    """Header lines around the title: a date line, a 文号, a web article's 来源/发布时间 line."""
    h = doc.header
    while i < end:
        s = lines[i]
        if (d := date_line(s)) and len(s) <= 30:
            if h.date is None:
                h.date, h.date_text = d
            b.set_aside("date", paras[i].start, paras[i].end)
        elif num := doc_number(s):
            h.doc_number = h.doc_number or num
            b.set_aside("doc-number", paras[i].start, paras[i].end)
        elif (meta := article_meta(s)) is not None:
            h.source = h.source or meta.source
            h.author = h.author or meta.author
            h.doc_number = h.doc_number or meta.doc_number
            h.office = h.office or meta.office
            if meta.date and h.date is None:
                h.date, h.date_text = meta.date, meta.date_text
            b.set_aside("article-meta", paras[i].start, paras[i].end)
        else:
            break
        i += 1
    return i


def _footer_start(lines: list[str]) -> int | None:
    k = len(lines) - 1
    found = False
    while k >= 0:
        s = lines[k]
        if PRINT_RE.match(s) or DIST_RE.match(s):
            found = True
        elif _FOOTER_MISC_RE.match(s):
            pass
        elif (
            k + 1 < len(lines)
            and PRINT_RE.match(lines[k + 1])
            and len(s) <= 30
            and not any(c in _SPLIT for c in s)
        ):
            pass  # the printer's name above the printing line
        else:
            break
        k -= 1
    return k + 1 if found else None


def _parse_signoff(doc: Document, lines: list[str], end: int) -> int:
    """A notice's 落款 at the end: the issuing office(s), then the date (any form); （此件公开发布） after."""
    k = end
    while k > 0 and re.fullmatch(r"[（(][^）)]{1,20}[）)]", lines[k - 1]) and not date_line(lines[k - 1]):
        k -= 1  # （此件公开发布）, （联系人：…）
    if k == 0 or not (d := date_line(lines[k - 1])):
        return end
    j = k - 1
    offices = []
    while (
        j > 0
        and len(lines[j - 1]) <= 30
        and not any(c in "。；;！？，,：:" for c in lines[j - 1])
        and (_OFFICE_RE.search(lines[j - 1]) or (offices and _bare(lines[j - 1])))
        and not starts_block(lines[j - 1])
    ):
        offices.insert(0, lines[j - 1])
        j -= 1
    if not offices and j < 3:
        return end  # a date line at the very top is the header's, not a sign-off
    doc.footer.sign_date = d[0]
    doc.footer.signer = " ".join(offices) or None
    return j


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


def _parse_header(h: Header, lines: list[str], end: int) -> int:
    i = 0
    while i < min(end, 8):
        s = lines[i]
        if len(s) > 40:
            break
        if (m := _ISSUE_RE.match(s)) and h.issue is None:
            h.issue = int(m.group("n"))
            h.issue_text = s[len(m.group("name")) :].strip().strip("（）()")
            if m.group("name").strip() and h.name is None:
                h.name = m.group("name").strip()
        elif (m := DATE_LINE_RE.match(s)) and h.date is None:
            h.date, h.date_text = iso_date(*m.groups()), s.strip("（）()")
        elif (d := date_line(s)) and h.date is None:
            h.date, h.date_text = d
        elif _NAME_RE.search(s) and h.name is None and len(s) <= 20 and not starts_block(s):
            h.name = s
        elif h.name is None and i == 0 and re.fullmatch(r"[\u4e00-\u9fff]{2,8}(?:网|网站|门户网站)", s):
            h.name = s  # the site's name above an article
        elif (
            _OFFICE_RE.search(s)
            and h.office is None
            and len(s) <= 30
            and not starts_block(s)
            and "关于" not in s
            and (i > 0 or (i + 1 < end and len(lines[i + 1]) <= 60 and lines[i + 1][-1] not in _SPLIT))
        ):
            h.office = s  # at the very top only above a title-like line (an issuer's letterhead)
        else:
            break
        i += 1
    return i


def _list_runs(lines: list[str], kinds: list) -> set[int]:
    """Marked lines that are list items, not sections: a run of same-style items numbered from 1 right
    after a paragraph that introduces them (ends with ：), each item a sentence (ends with ；/。/及)."""
    out: set[int] = set()
    for k, kind in enumerate(kinds):
        if not kind or k == 0 or kinds[k - 1] or not lines[k - 1].rstrip().endswith(("：", ":")):
            continue
        style, m = kind
        if _marker_number(m.group(1)) != 1:
            continue
        run, j, n = [], k, 1
        while (
            j < len(lines) and kinds[j] and kinds[j][0] == style and _marker_number(kinds[j][1].group(1)) == n
        ):
            run.append(j)
            j, n = j + 1, n + 1
        if len(run) >= 2 and all(re.search(r"([；;。]|；及|；或|及)$", lines[x].rstrip()) for x in run):
            out.update(run)
    return out


def _table(b: _Builder, block: TableBlock, paras: list[_Para], lines: list[str], tid: str) -> Table:
    t = Table(id=tid, start=paras[block.start].start, end=paras[block.end - 1].end)
    if block.caption is not None:
        p = paras[block.caption]
        t.caption = b.sentence(f"{tid}.0", p.start, p.end, "table-caption")
    rows = block.header + block.rows
    t.header_rows = len(block.header)
    for r, row in enumerate(rows, start=1):
        t.rows.append(
            [
                b.sentence(f"{tid}.{r}.{c}", paras[x].start, paras[x].end, "table-cell")
                for c, x in enumerate(row, start=1)
            ]
        )
    header = [lines[x] for x in block.header[0]] if block.header else []
    unit_row = [lines[x] for x in block.header[1]] if len(block.header) > 1 else None
    t.columns = max((len(row) for row in rows), default=0)
    t.units = column_units(header, unit_row, block.numeric_columns)
    for x in block.repeated:
        b.set_aside("repeated-table-header", paras[x].start, paras[x].end)
    return t


def _parse_body(doc: Document, b: _Builder, paras: list[_Para], lines: list[str]) -> None:
    text = doc.text
    # tables first: their lines are cells, not paragraphs
    blocks = find_tables(lines)
    table_at: dict[int, TableBlock] = {blk.start: blk for blk in blocks}
    in_table = {k for blk in blocks for k in range(blk.start, blk.end)}
    kinds: list[tuple[str, re.Match[str]] | None] = [
        None if k in in_table else _section_match(s) for k, s in enumerate(lines)
    ]
    # several titled items: the title and unmarked title lines further down each head a part
    items: set[int] = set()
    if doc.title is not None:
        items = {
            k for k in range(len(lines)) if k not in in_table and not kinds[k] and _is_item_title(lines, k)
        }
        items = _restarting(items, kinds)
    lead_spans: list[tuple[int, int]] = []
    stack: list[tuple[str, Section, _SectionBody]] = []
    bodies: list[_SectionBody] = []
    as_points: set[int] = set(_list_runs(lines, kinds))
    list_items = set(as_points)
    # decide, per run of arabic-dot items inside a section, whether they are points or subsections
    k = 0
    while k < len(paras):
        kind = kinds[k]
        if kind and kind[0] == "arabic-dot" and k > 0 and any(kinds[j] for j in range(max(0, k - 200), k)):
            run, heads_block, j = [], False, k
            while j < len(paras) and (kinds[j] is None or kinds[j][0] == "arabic-dot") and j not in items:
                if kinds[j] is None and run:
                    heads_block = True
                if kinds[j]:
                    run.append(j)
                j += 1
            if not heads_block and any(
                kinds[x] and kinds[x][0] != "arabic-dot" for x in range(max(0, k - 200), k)
            ):
                as_points.update(run)
            k = j
        else:
            k += 1
    if items:  # the document's title heads the first item
        first = Section(
            id="1",
            marker="",
            style="item",
            number=1,
            level=1,
            heading=b.sentence("h1", doc.title.start, doc.title.end, "heading"),
        )
        doc.sections.append(first)
        body = _SectionBody(first)
        stack.append(("item", first, body))
        bodies.append(body)
    ntables = 0
    for k, p in enumerate(paras):
        if k in table_at:
            ntables += 1
            t = _table(b, table_at[k], paras, lines, f"T{ntables}")
            (stack[-1][1].tables if stack else doc.lead_tables).append(t)
        if k in in_table:
            continue
        kind = kinds[k]
        a = p.start
        if k in items:
            stack.clear()
            sid = str(len(doc.sections) + 1)
            sec = Section(
                id=sid,
                marker="",
                style="item",
                number=len(doc.sections) + 1,
                level=1,
                heading=b.sentence(f"h{sid}", a, p.end, "heading"),
            )
            doc.sections.append(sec)
            body = _SectionBody(sec)
            stack.append(("item", sec, body))
            bodies.append(body)
            continue
        if stack and k > 0 and (k - 1) in items or (stack and not stack[-1][1].sentences and k > 0):
            if (dl := dateline(text[a : p.end])) is not None:
                _record_dateline(doc, b, a, dl)
                a += dl.end
        elif not stack and not lead_spans and (dl := dateline(text[a : p.end])) is not None:
            _record_dateline(doc, b, a, dl)
            a += dl.end
        if stack and not kind and date_line(lines[k]) and len(lines[k]) <= 30:
            b.set_aside("date", a, p.end)  # an item's own date line
            continue
        if stack and not kind and article_meta(lines[k]) is not None:
            b.set_aside("article-meta", a, p.end)
            continue
        if kind and k in list_items and not stack:
            lead_spans.append((a, p.end))  # a list under a lead paragraph stays in the lead
            continue
        if kind and k in as_points and stack:
            style, m = kind
            marker = text[a : a + m.end()].rstrip()
            stack[-1][2].add_item(
                a,
                p.end,
                marker,
                _marker_number(m.group(1)),
                m.end(),
                "list-" + style if k in list_items else "arabic-dot",
            )
            continue
        if not kind and stack and (dm := _DASH_RE.match(lines[k])) and _dash_run(lines, kinds, k):
            body = stack[-1][2]
            n = body.last + 1 if body.style == "dash" else 1
            body.add_item(a, p.end, lines[k][: dm.end()].rstrip(), n, dm.end(), "dash")
            continue
        if kind:
            style, m = kind
            styles = [s for s, _, _ in stack]
            if style in styles:
                del stack[styles.index(style) :]
            siblings = stack[-1][1].subsections if stack else doc.sections
            sid = f"{stack[-1][1].id}.{len(siblings) + 1}" if stack else str(len(siblings) + 1)
            marker = text[a : a + m.end()].rstrip()
            sec = Section(
                id=sid, marker=marker, style=style, number=_marker_number(m.group(1)), level=len(stack) + 1
            )
            siblings.append(sec)
            body = _SectionBody(sec)
            stack.append((style, sec, body))
            bodies.append(body)
            rest = a + m.end()
            spans = split_sentences(text, rest, p.end)
            if spans:
                hs, he = spans[0]
                sec.heading = b.sentence(f"h{sid}", hs, he, "heading")
                if he < p.end:
                    body.add_paragraph(text, he, p.end)
            continue
        if stack:
            stack[-1][2].add_paragraph(text, a, p.end)
        else:
            lead_spans.append((a, p.end))
    doc.lead = b.sentences("s0.0.", lead_spans, role="lead")
    for body in bodies:
        body.finish(b)


def _restarting(items: set[int], kinds: list) -> set[int]:
    """Item titles that open a new numbering: the first marked line after each (before the next item) is
    numbered 1, or there is none. A bare line followed by 三、 is an unmarked sub-headline inside the
    series, not the start of another item."""
    keep: set[int] = set()
    order = sorted(items)
    for n, k in enumerate(order):
        stop = order[n + 1] if n + 1 < len(order) else len(kinds)
        nxt = next((kinds[j] for j in range(k + 1, stop) if kinds[j]), None)
        if nxt is None or _marker_number(nxt[1].group(1)) == 1:
            keep.add(k)
    return keep


def _dash_run(lines: list[str], kinds: list, k: int) -> bool:
    """A "——" line that belongs to a list of at least two dash lines."""

    def dash(j: int) -> bool:
        return 0 <= j < len(lines) and not kinds[j] and bool(_DASH_RE.match(lines[j])) and len(lines[j]) > 3

    return dash(k) and (dash(k - 1) or dash(k + 1))


def _record_dateline(doc: Document, b: _Builder, a: int, dl) -> None:
    h = doc.header
    if h.agency is None and h.place is None:
        h.agency, h.place, h.reporter = dl.agency, dl.place, dl.reporter
        if h.date_text is None:
            h.date_text = f"{dl.month}月{dl.day}日"
    b.set_aside("dateline", a, a + dl.end)
