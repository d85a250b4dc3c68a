"""The document model that every pipeline stage takes and returns enriched.

read -> normalize -> structure -> annotate -> translate -> summarize -> render/check.
Offsets: ``start``/``end`` on a Sentence are into ``Document.text`` (normalized);
``orig_start``/``orig_end`` are into ``Document.original`` (the decoded input, before
OpenCC and normalization). Figure and term spans are offsets into ``Sentence.text``.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Figure:
    """An Arabic (or unambiguous Chinese-numeral) figure in a sentence."""

    start: int  # offset into Sentence.text
    end: int
    text: str  # the whole span as it stands in the sentence, e.g. "1.2万余亩"
    kind: str  # count | amount | percent | year | date | ordinal | code | range | decade | grade | fraction
    digits: str  # the digit string exactly as written (half-width), e.g. "1.2"; "" for Chinese numerals
    value: float | None = (
        None  # numeric value of the digits (without magnitude); for Chinese numerals their value
    )
    magnitude: str | None = None  # 万 | 亿 | 千 | 万亿 | 百
    unit: str | None = None  # measure word / unit after it: 元, 亩, 个, 户, 人次, %, 年 ...
    approx: str | None = None  # 余 | 多 | 近 | 约 | 超过 | 以上 | 左右 ...
    iso: str | None = None  # for dates: "2020-12-21" (or "2020-12" / "2020")
    numeral: str | None = None  # the Chinese numeral as written (十八大 -> "十八"), when not Arabic
    per: str | None = None  # the unit of a rate: 户 in 3.5万元/户, 人 in 人均13平方米
    relation: str | None = None  # a year's or date's relation: since | by | as-of | from | before | past
    part: str | None = None  # the part of a period: end | early | mid | late | first-half | second-half
    parts: list[str] | None = None  # several numbers: range ends, list items, 2亿3,637万's two numbers
    sign: str | None = None  # "-" when the number is negative (-3℃, 零下5摄氏度, 负增长3.2%); None otherwise


@dataclass
class TermMatch:
    """A glossary entry found in a sentence."""

    start: int  # offset into Sentence.text
    end: int
    text: str  # the matched surface form (simplified)
    zh: str  # the entry's canonical term
    en: str  # the rendering the translation must contain
    category: str = ""
    note: str = ""
    source: str = ""  # which glossary file the entry came from


@dataclass(frozen=True)
class Constraint:
    """An English string the translation must contain (listing one twice requires it twice), and the
    source span it renders. Made by the translate stage from a sentence's glossary matches and figures;
    the decoder enforces it, QA verifies it, the review page highlights it."""

    en: str  # the rendering that must appear in the English
    kind: str = "term"  # term | figure
    src: str = ""  # the source text it renders, as matched in Sentence.text
    start: int = -1  # offset into Sentence.text; -1 when unknown (a long sentence's first piece gets it)
    end: int = -1
    zh: str = ""  # term: the glossary entry's canonical Chinese
    source: str = ""  # term: the glossary file the entry came from
    note: str = ""  # term: the entry's note


@dataclass
class Sentence:
    """One sentence: the unit of translation, QA and summarization."""

    id: str  # stable id, e.g. "s2.3.1" (section 2, point 3, sentence 1); lead: "s0.0.N"
    text: str  # normalized, simplified Chinese
    original: str = ""  # the same sentence as in the input (traditional kept)
    start: int = 0
    end: int = 0
    orig_start: int = 0
    orig_end: int = 0
    figures: list[Figure] = field(default_factory=list)
    terms: list[TermMatch] = field(default_factory=list)
    en: str | None = None  # filled by translate
    constraints: list[Constraint] = field(default_factory=list)  # filled by translate
    qa: list[str] = field(default_factory=list)  # QA findings, empty when clean
    score: float | None = None  # filled by summarize
    #: what the sentence is, set by structure so later stages need not parse ids: title | subtitle | lead |
    #: heading | body | point | table-caption | table-cell | boilerplate | header | footer | label
    role: str = "body"


@dataclass
class Point:
    """A numbered point inside a section: 一是…, 首先…, （1）…, ①…"""

    marker: str  # as written: "一是", "（1）", "①", "首先"
    number: int  # 1-based ordinal
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Table:
    """A table (often flattened by PDF/Word extraction, one cell a line) kept as rows of cells.

    Cells are Sentences (role ``table-cell``) so the translator handles them one by one; ``header_rows``
    counts the leading rows that name the columns; ``units`` holds, per column, the unit its header gives
    (``人``, ``%``, ``万元``) or None. ``start``/``end`` are offsets into ``Document.text``.
    """

    id: str  # "T1", "T2" in document order
    caption: Sentence | None = None  # the title line above the table, role ``table-caption``
    rows: list[list[Sentence]] = field(default_factory=list)
    header_rows: int = 0
    columns: int = 0
    units: list[str | None] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class Section:
    """A headed section; sections nest (一、 > （一） > 1.)."""

    id: str  # "1", "2", "1.2" for the second subsection of section 1
    marker: str  # as written: "一、", "（一）", "1.", "第一部分"
    style: str  # cn-dun (一、) | cn-paren (（一）) | arabic-dot (1. / 1、) | part (第一部分)
    number: int
    level: int  # 1 for top-level
    heading: Sentence | None = None  # the heading text without its marker
    sentences: list[Sentence] = field(default_factory=list)  # body text outside points
    points: list[Point] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # tables inside the section, after its text
    summary: list[str] = field(default_factory=list)  # ids of picked sentences (summarize)


@dataclass
class Header:
    name: str | None = None  # 脱贫攻坚简报
    issue: int | None = None  # 第93期 -> 93
    issue_text: str | None = None  # "第93期"
    office: str | None = None  # issuing office
    date: str | None = None  # ISO 8601, "2020-12-21"
    date_text: str | None = None  # "2020年12月21日"
    doc_number: str | None = None  # 文号 of a notice: "渝扶贫办发〔2019〕12号"
    addressees: list[str] = field(default_factory=list)  # 主送 of a notice: "各区县（自治县）扶贫办"
    place: str | None = None  # dateline place of a news dispatch: "北京"
    agency: str | None = None  # news agency of a dispatch: "新华社"
    reporter: str | None = None  # "记者 张三 李四"
    source: str | None = None  # web article's 来源
    author: str | None = None  # web article's 作者 / 责任编辑


@dataclass
class Footer:
    distribution_label: str | None = None  # 分送 | 报 | 送 | 抄送
    distribution: list[str] = field(default_factory=list)  # recipients
    printer: str | None = None  # the office on the printing line
    print_date: str | None = None  # ISO 8601
    print_text: str | None = None  # "2020年12月21日印发"
    signer: str | None = None  # a notice's 落款 office at the end
    sign_date: str | None = None  # ISO 8601 date of the 落款


@dataclass
class Document:
    source: str  # path or "-"
    encoding: str = "utf-8"
    traditional: bool = False  # input detected as traditional and converted with OpenCC
    original: str = ""  # decoded input text
    text: str = ""  # normalized simplified text
    offsets: list[int] | array = field(default_factory=list)  # offsets[i] = index in original of text[i]
    header: Header = field(default_factory=Header)
    title: Sentence | None = None
    subtitle: Sentence | None = None
    lead: list[Sentence] = field(default_factory=list)
    lead_tables: list[Table] = field(default_factory=list)  # tables before the first section
    sections: list[Section] = field(default_factory=list)
    footer: Footer = field(default_factory=Footer)
    #: header/footer strings as translatable units, made by annotate: "x.name", "x.office",
    #: "x.printer", "x.dist.N" (N = 1-based recipient index)
    labels: dict[str, Sentence] = field(default_factory=dict)
    #: stage notes: glossary files, model, qa totals... and ``boilerplate``: the page furniture structure set
    #: aside (navigation, share/print links, copyright, counters), as {kind, text, start, end, orig_start,
    #: orig_end} - kept with offsets so nothing is lost, never a title, sentence or summary pick
    meta: dict[str, Any] = field(default_factory=dict)

    # -- traversal -------------------------------------------------------
    def iter_sections(self) -> list[Section]:
        """All sections, depth first, in document order."""
        out: list[Section] = []

        def walk(secs: list[Section]) -> None:
            for s in secs:
                out.append(s)
                walk(s.subsections)

        walk(self.sections)
        return out

    def sentences(self, *, headings: bool = True, tables: bool = True) -> list[Sentence]:
        """Every sentence in document order (title, subtitle, lead, headings, bodies, points, table
        captions and cells - ``role`` tells them apart)."""
        out: list[Sentence] = []
        if headings:
            out += [s for s in (self.title, self.subtitle) if s is not None]
        out += self.lead
        if tables:
            out += _table_sentences(self.lead_tables)
        for sec in self.iter_sections():
            if headings and sec.heading is not None:
                out.append(sec.heading)
            out += sec.sentences
            for p in sec.points:
                out += p.sentences
            if tables:
                out += _table_sentences(sec.tables)
        return out

    def all_tables(self) -> list[Table]:
        return self.lead_tables + [t for sec in self.iter_sections() for t in sec.tables]

    def all_sentences(self) -> list[Sentence]:
        """Header/footer labels followed by every sentence: everything the translator handles."""
        return list(self.labels.values()) + self.sentences()

    def quote(self, sent: Sentence) -> str:
        """The Chinese to show beside a translation: the normalized text, or for traditional input the
        sentence as written (line breaks from extraction collapsed)."""
        if self.traditional and sent.original:
            return " ".join(sent.original.split())
        return sent.text

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        """JSON-ready dict; the full original/normalized text and offset map only on request."""
        skip = () if with_text else ("original", "text", "offsets")
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skip}

    def lazy_dict(self) -> dict[str, Any]:
        """Like :meth:`to_dict`, but each section a callable converted on demand (for streamed JSON output:
        only one section's plain dict exists at a time)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("original", "text", "offsets"):
                continue
            v = getattr(self, f.name)
            out[f.name] = [(lambda s=s: _plain(s)) for s in v] if f.name == "sections" else _plain(v)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        def sent(x: dict | None) -> Sentence | None:
            if x is None:
                return None
            x = dict(x)
            x["figures"] = [Figure(**f) for f in x.get("figures", [])]
            x["terms"] = [TermMatch(**t) for t in x.get("terms", [])]
            x["constraints"] = [Constraint(**_known(Constraint, c)) for c in x.get("constraints", [])]
            return Sentence(**_known(Sentence, x))

        def sec(x: dict) -> Section:
            x = dict(x)
            x["heading"] = sent(x.get("heading"))
            x["sentences"] = [sent(s) for s in x.get("sentences", [])]
            x["points"] = [
                Point(marker=p["marker"], number=p["number"], sentences=[sent(s) for s in p["sentences"]])
                for p in x.get("points", [])
            ]
            x["subsections"] = [sec(s) for s in x.get("subsections", [])]
            x["tables"] = [table(t) for t in x.get("tables", [])]
            return Section(**_known(Section, x))

        def table(x: dict) -> Table:
            x = dict(x)
            x["caption"] = sent(x.get("caption"))
            x["rows"] = [[sent(c) for c in row] for row in x.get("rows", [])]
            return Table(**_known(Table, x))

        d = dict(d)
        d["header"] = Header(**_known(Header, d.get("header", {})))
        d["footer"] = Footer(**_known(Footer, d.get("footer", {})))
        d["title"] = sent(d.get("title"))
        d["subtitle"] = sent(d.get("subtitle"))
        d["lead"] = [sent(s) for s in d.get("lead", [])]
        d["lead_tables"] = [table(t) for t in d.get("lead_tables", [])]
        d["labels"] = {k: sent(v) for k, v in d.get("labels", {}).items()}
        d["sections"] = [sec(s) for s in d.get("sections", [])]
        return cls(**_known(cls, d))


def _table_sentences(tables: list[Table]) -> list[Sentence]:
    out: list[Sentence] = []
    for t in tables:
        if t.caption is not None:
            out.append(t.caption)
        for row in t.rows:
            out += row
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """Dataclasses, dicts and lists as plain JSON-ready values (without copying what is skipped).

    Hand-rolled rather than ``dataclasses.asdict``, which deep-copies every leaf: on a 20 MB bulletin
    (hundreds of thousands of sentences) that copy dominated the time of ``parse --format json``."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None and hasattr(value, "__dataclass_fields__"):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(value))
    if names is not None:
        return {n: _plain(getattr(value, n)) for n in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, array):
        return value.tolist()
    return value


def _known(cls: type, d: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k in names}
