"""A self-contained bilingual review page: Chinese and English side by side, per sentence.

``to_html(doc)`` renders a translated Document as one HTML5 file with inline CSS and no script:
glossary terms and figures highlighted in both languages (the same colour per glossary entry, a
tooltip with the entry), QA findings on the sentence they concern, each section's summary at its
top, and a header with the source, model, glossary files, date and QA totals.

Queryable markup: every sentence is an element with ``data-sid`` holding ``.zh`` and ``.en``
children; terms are ``<mark class="term" data-term=ZH>``, figures ``<mark class="figure">``, QA
findings ``.qa-flag`` inside the sentence's element.
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import PurePath
from typing import Any

from .. import __version__
from ..doc import Document, Figure, Point, Section, Sentence, Table
from ..occurrences import leftmost_longest

ZH = "zh-Hans"
TEXT = "#1b1b1b"  # body text; highlight backgrounds keep at least 7:1 against it
PAPER = "#ffffff"
MUTED = "#575757"  # secondary text, 7:1 on white
QA_FG = "#8f0019"
QA_BG = "#fdeef0"
FIGURE_BG = "#e3ecf9"
FIGURE_LINE = "#1f4e8c"
LINK = "#0b4f9c"
#: (foreground, background, minimum ratio) pairs of the fixed palette, checked by the tests
PALETTE_PAIRS = (
    (TEXT, PAPER, 7.0), (MUTED, PAPER, 4.5), (QA_FG, QA_BG, 4.5), (QA_FG, PAPER, 4.5),
    (TEXT, FIGURE_BG, 7.0), (FIGURE_LINE, PAPER, 3.0), (LINK, PAPER, 4.5), (TEXT, QA_BG, 7.0),
)


# -- colour -------------------------------------------------------------------


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""

    def chan(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * chan(r) + 0.7152 * chan(g) + 0.0722 * chan(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1..21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def entry_colours(zh: str, en: str, source: str = "") -> tuple[str, str]:
    """Deterministic (background, underline) colours of a glossary entry.

    The hue comes from a hash of the entry; the background keeps 7:1 (WCAG AAA) against the text
    colour and the underline 3:1 (non-text contrast) against white, so highlights print legibly.
    """
    digest = hashlib.sha1(f"{zh}\x1f{en}\x1f{source}".encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360 / 360
    sat = 0.55 + digest[2] % 35 / 100
    light = 0.84
    bg = _hex(colorsys.hls_to_rgb(hue, light, sat))
    while contrast_ratio(TEXT, bg) < 7.0 and light < 0.97:
        light += 0.02
        bg = _hex(colorsys.hls_to_rgb(hue, light, sat))
    dark = 0.34
    line = _hex(colorsys.hls_to_rgb(hue, dark, sat))
    while contrast_ratio(line, PAPER) < 4.5 and dark > 0.1:
        dark -= 0.03
        line = _hex(colorsys.hls_to_rgb(hue, dark, sat))
    return bg, line


# -- highlight spans ------------------------------------------------------------


@dataclass
class _Entry:
    """A glossary entry seen in the document (key = zh, en, source)."""

    zh: str
    en: str
    note: str
    source: str
    key: str = ""
    zh_count: int = 0
    en_count: int = 0

    def __post_init__(self) -> None:
        self.key = hashlib.sha1(f"{self.zh}\x1f{self.en}\x1f{self.source}".encode()).hexdigest()[:10]

    def tooltip(self) -> str:
        lines = [f"Glossary term: {self.zh} → {self.en}"]
        if self.note:
            lines.append(f"Note: {self.note}")
        if self.source:
            lines.append(f"Glossary file: {self.source}")
        return "\n".join(lines)


@dataclass
class _Span:
    start: int
    end: int
    kind: str  # term | figure
    attrs: dict[str, str] = field(default_factory=dict)


class _Entries:
    """Every glossary entry of the page, in order of first appearance."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str, str], _Entry] = {}

    def get(self, zh: str, en: str, note: str, source: str) -> _Entry:
        k = (zh, en, source)
        if k not in self.by_key:
            self.by_key[k] = _Entry(zh, en, note, source)
        elif note and not self.by_key[k].note:
            self.by_key[k].note = note
        return self.by_key[k]

    def __iter__(self) -> Iterator[_Entry]:
        return iter(self.by_key.values())


def _term_attrs(e: _Entry) -> dict[str, str]:
    return {
        "class": f"term e-{e.key}",
        "data-term": e.zh,
        "data-entry": e.key,
        "title": e.tooltip(),
        "aria-describedby": f"entry-{e.key}",
    }


def _figure_title(f: Figure) -> str:
    parts = [f"Figure: {f.text}", f"kind: {f.kind}"]
    if f.digits or f.numeral:
        parts.append(f"digits: {f.digits or f.numeral}")
    details = (("magnitude", f.magnitude), ("unit", f.unit), ("approx.", f.approx), ("date", f.iso))
    for label, value in details:
        if value:
            parts.append(f"{label}: {value}")
    return "\n".join(parts)


def _zh_spans(sent: Sentence, entries: _Entries) -> list[_Span]:
    """Term and figure spans of the Chinese, from the annotations' offsets."""
    spans = []
    for t in sent.terms:
        e = entries.get(t.zh or t.text, t.en, t.note, t.source)
        e.zh_count += 1
        spans.append(_Span(t.start, t.end, "term", _term_attrs(e)))
    for f in sent.figures:
        attrs = {"class": "figure", "data-kind": f.kind, "title": _figure_title(f)}
        spans.append(_Span(f.start, f.end, "figure", attrs))
    return spans


def find_occurrences(text: str, needles: Iterable[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, needle) occurrences of ``needles`` in ``text``, leftmost-longest,
    whole words/numbers, case-insensitive (``toolkit.occurrences``, shared with QA and evaluate)."""
    return leftmost_longest(text, needles)


def _en_spans(en: str, sent: Sentence, entries: _Entries) -> list[_Span]:
    """Occurrences in the English of each term rendering and each figure the translation had to keep."""
    terms: dict[str, _Entry] = {}
    figures: dict[str, str] = {}
    for c in sent.constraints:
        target = c.en
        if not target.strip():
            continue
        if c.kind == "term":
            terms.setdefault(target, entries.get(c.zh or c.src, target, c.note, c.source))
        elif c.kind == "figure":
            figures.setdefault(target, c.src)
    spans = []
    for start, end, n in find_occurrences(en, terms):
        e = terms[n]
        e.en_count += 1
        spans.append(_Span(start, end, "term", _term_attrs(e)))
    for start, end, n in find_occurrences(en, figures):
        title = f"Figure: {figures[n]} → {n}" if figures[n] else f"Figure: {n}"
        spans.append(_Span(start, end, "figure", {"class": "figure", "title": title}))
    return spans


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())


def _markup(text: str, spans: list[_Span]) -> str:
    """Escaped ``text`` with one ``<mark>`` per valid span; contained spans nest, overlaps are clipped."""
    seen, valid = set(), []
    for s in spans:
        start, end = max(0, s.start), min(len(text), s.end)
        if start < end and (start, end, s.kind) not in seen:
            seen.add((start, end, s.kind))
            valid.append(_Span(start, end, s.kind, s.attrs))
    valid.sort(key=lambda s: (s.start, -s.end, s.kind != "term"))
    out: list[str] = []
    pos = 0
    stack: list[_Span] = []

    def close() -> None:
        nonlocal pos
        top = stack.pop()
        out.append(escape(text[pos : top.end]) + "</mark>")
        pos = top.end

    for s in valid:
        while stack and stack[-1].end <= s.start:
            close()
        out.append(escape(text[pos : s.start]))
        pos = s.start
        if stack:
            s.end = min(s.end, stack[-1].end)
        out.append(f"<mark{_attrs(s.attrs)}>")
        stack.append(s)
    while stack:
        close()
    out.append(escape(text[pos:]))
    return "".join(out)


# -- page parts ------------------------------------------------------------------


class _Page:
    """State shared while rendering one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.entries = _Entries()
        eng = doc.meta.get("english") or {}
        self.english: dict[str, Any] = eng if isinstance(eng, dict) else {}
        self.by_id = {s.id: s for s in doc.all_sentences()}
        self.flagged: list[Sentence] = []

    def eng(self, part: str) -> dict[str, Any]:
        d = self.english.get(part)
        return d if isinstance(d, dict) else {}

    # a sentence pair ----------------------------------------------------------
    def columns(
        self,
        sent: Sentence,
        *,
        en: str | None = None,
        zh_prefix: str = "",
        en_prefix: str = "",
        tag: str = "p",
    ) -> str:
        """The .zh and .en children (and the QA flag) of a sentence pair."""
        en_text = sent.en if en is None else en
        zh_html = _markup(sent.text, _zh_spans(sent, self.entries))
        if zh_prefix:
            zh_html = f'<span class="marker">{escape(zh_prefix)}</span>{zh_html}'
        if en_text is None or not en_text.strip():
            en_html, en_cls = '<span class="untranslated">(not translated)</span>', "en missing"
        else:
            en_html, en_cls = _markup(en_text, _en_spans(en_text, sent, self.entries)), "en"
            if en_prefix:
                en_html = f'<span class="marker">{escape(en_prefix)}</span> {en_html}'
        parts = [
            f'<{tag} class="zh" lang="{ZH}">{zh_html}</{tag}>',
            f'<{tag} class="{en_cls}" lang="en">{en_html}</{tag}>',
        ]
        if sent.qa:
            self.flagged.append(sent)
            parts.append(_qa_flag(sent.qa, inline=tag == "span"))
        return "".join(parts)

    def pair(self, sent: Sentence, *, cls: str = "", **kw: Any) -> str:
        classes = " ".join(x for x in ("pair", cls, "has-qa" if sent.qa else "") if x)
        sid = escape(sent.id)
        return (
            f'<div class="{classes}" id="{sid}" data-sid="{sid}">'
            f'<a class="sid" href="#{sid}" aria-label="sentence {sid}">{sid}</a>'
            f"{self.columns(sent, **kw)}</div>\n"
        )

    def heading(
        self, level: int, sent: Sentence | None, *, en: str | None, marker: str, cls: str = ""
    ) -> str:
        """A heading holding both languages; a pair (data-sid) when it has a sentence."""
        h = f"h{min(level, 6)}"
        if sent is None:
            return (
                f'<{h} class="pair {cls}"><span class="sid"></span><span class="zh" lang="{ZH}">'
                f'{escape(marker)}</span><span class="en" lang="en">{escape(en or "")}</span></{h}>\n'
            )
        sid = escape(sent.id)
        classes = " ".join(x for x in ("pair", cls, "has-qa" if sent.qa else "") if x)
        return (
            f'<{h} class="{classes}" id="{sid}" data-sid="{sid}">'
            f'<a class="sid" href="#{sid}" aria-label="sentence {sid}">{sid}</a>'
            f"{self.columns(sent, en=en, zh_prefix=marker, tag='span')}</{h}>\n"
        )

    def summary(self, ids: list[str], label: str, *, described: str = "") -> str:
        """A block of the picked sentences' English, each linking to its pair; ``described``: aria-label."""
        items = []
        for i in ids:
            s = self.by_id.get(i)
            if s is None:
                continue
            ref = escape(i)
            if s.en and s.en.strip():
                text = f'<span lang="en">{escape(s.en)}</span>'
            else:
                text = f'<span lang="{ZH}">{escape(s.text)}</span>'
            items.append(f'<li><a href="#{ref}" data-ref="{ref}">{text}</a></li>')
        if not items:
            return ""
        return (
            f'<aside class="summary" aria-label="{escape(described or label)}">'
            f'<p class="summary-label">{escape(label)}</p>'
            f'<ul>{"".join(items)}</ul></aside>\n'
        )

    # document parts -------------------------------------------------------------
    def section(self, sec: Section) -> str:
        heading_en = self.eng("headings").get(sec.id)
        if not heading_en and sec.heading is not None:
            heading_en = sec.heading.en
        out = [f'<section class="sec level-{sec.level}" id="sec-{escape(sec.id)}">\n']
        out.append(self.heading(sec.level + 1, sec.heading, en=heading_en, marker=sec.marker))
        described = f"Summary of section {heading_en or sec.marker}".strip()
        out.append(self.summary(sec.summary, "Section summary", described=described))
        out += [self.pair(s) for s in sec.sentences]
        if sec.points:
            out.append('<ol class="points">\n')
            out += [self.point(sec, p) for p in sec.points]
            out.append("</ol>\n")
        out += [self.section(sub) for sub in sec.subsections]
        out += [self.table(t) for t in sec.tables]
        out.append("</section>\n")
        return "".join(out)

    def table(self, t: Table) -> str:
        """A table kept as rows of cells, each cell a pair (Chinese and English); header rows as <th>."""
        out = [f'<table class="data-table" id="{escape(t.id)}">\n']
        if t.caption is not None:
            out.append(f"<caption>{self.pair(t.caption, cls='table-caption')}</caption>\n")
        width = max((len(r) for r in t.rows), default=0)
        for k, row in enumerate(t.rows):
            tag = "th" if k < t.header_rows else "td"
            pad = f'<{tag} colspan="{width - len(row)}"></{tag}>' if len(row) < width else ""  # merged cells
            cells = "".join(f"<{tag}>{self.pair(c)}</{tag}>" for c in row)
            out.append(f"<tr>{pad}{cells}</tr>\n")
        out.append("</table>\n")
        return "".join(out)

    def point(self, sec: Section, p: Point) -> str:
        label = str(self.eng("points").get(f"{sec.id}.{p.number}") or "")
        out = [f'<li class="point" value="{p.number}" data-marker="{escape(p.marker)}">\n']
        for i, s in enumerate(p.sentences):
            zh_prefix = p.marker if i == 0 and p.marker and not s.text.startswith(p.marker) else ""
            en_prefix = label if i == 0 and label and not (s.en or "").lstrip().startswith(label) else ""
            out.append(self.pair(s, zh_prefix=zh_prefix, en_prefix=en_prefix))
        out.append("</li>\n")
        return "".join(out)

    def masthead(self, used: set[str]) -> str:
        """The bulletin's own header: name, issue, office, date (translated labels as pairs)."""
        h, eh = self.doc.header, self.eng("header")
        rows = []
        for key, zh in (("name", h.name), ("issue", h.issue_text or h.issue), ("office", h.office),
                        ("date", h.date_text or h.date)):
            label = self.doc.labels.get(f"x.{key}")
            if label is not None:
                used.add(f"x.{key}")
                rows.append(self.pair(label, cls=f"masthead-{key}", en=eh.get(key) or label.en))
            elif zh not in (None, "") or eh.get(key):
                rows.append(_plain_pair(str(zh or ""), str(eh.get(key) or ""), f"masthead-{key}"))
        return f'<div class="masthead">\n{"".join(rows)}</div>\n' if rows else ""

    def footer(self, used: set[str]) -> str:
        """The bulletin's own footer: distribution list and printing line."""
        f, ef = self.doc.footer, self.eng("footer")
        out = []
        if f.distribution or f.distribution_label:
            head = f"{f.distribution_label}：" if f.distribution_label else ""
            zh = head + "；".join(f.distribution)
            out.append(_plain_pair(zh, str(ef.get("distribution") or ""), "distribution"))
            recips = []
            for i, _r in enumerate(f.distribution, 1):
                s = self.doc.labels.get(f"x.dist.{i}")
                if s is not None:
                    used.add(f"x.dist.{i}")
                    recips.append(f"<li>{self.pair(s)}</li>")
            if recips:
                out.append(f'<ul class="recipients" aria-label="Recipients">{"".join(recips)}</ul>\n')
        printer = self.doc.labels.get("x.printer")
        if printer is not None:
            used.add("x.printer")
            out.append(self.pair(printer, cls="printer"))
        if f.print_text or f.printer or ef.get("printed"):
            zh = f"{f.printer or ''} {f.print_text or ''}".strip()
            out.append(_plain_pair(zh, str(ef.get("printed") or ""), "printed"))
        return "".join(out)


def _plain_pair(zh: str, en: str, cls: str) -> str:
    """A row of two languages that is not a translated sentence (no data-sid)."""
    return (
        f'<div class="pair {cls}"><span class="sid"></span><p class="zh" lang="{ZH}">{escape(zh)}</p>'
        f'<p class="en" lang="en">{escape(en)}</p></div>\n'
    )


def _qa_flag(findings: list[str], *, inline: bool) -> str:
    n = len(findings)
    badge = f'<span class="qa-badge">⚠ QA: {n} finding{"s" if n != 1 else ""}</span>'
    if inline:
        items = "".join(f'<span class="qa-finding">{escape(x)}</span>' for x in findings)
        return f'<span class="qa-flag" role="note">{badge} {items}</span>'
    items = "".join(f"<li>{escape(x)}</li>" for x in findings)
    return f'<div class="qa-flag" role="note">{badge}<ul>{items}</ul></div>'


def _path(p: object) -> str:
    """An escaped file path that may wrap after each "/" (long temporary paths in the header)."""
    return escape(str(p)).replace("/", "/<wbr>")


def _glossary_meta(meta: dict[str, Any]) -> str:
    g = meta.get("glossary") or {}
    files = (g.get("files") or []) if isinstance(g, dict) else []
    if not files:
        return "none"
    items = "".join(
        f'<li><code>{_path(f.get("path", "?"))}</code> — '
        f'{escape(str(f.get("entries", "?")))} entries</li>'
        for f in files
        if isinstance(f, dict)
    )
    total = g.get("entries", g.get("total"))  # annotate writes "total", the translator "entries"
    tail = f'<li class="total">{escape(str(total))} entries in all</li>' if total is not None else ""
    return f"<ul>{items}{tail}</ul>"


def _figures_meta(meta: dict) -> str:
    """The figures mode the English was made in (verbatim | english), when the document records one."""
    mode = meta.get("figures")
    if not mode:
        return ""
    mode = escape(str(mode))
    return f"<div><dt>Figures</dt><dd>{mode} (<code>--figures {mode}</code>)</dd></div>"


def _qa_meta(doc: Document, flagged: list[Sentence]) -> str:
    qa = doc.meta.get("qa") or {}
    sents = doc.all_sentences()
    n = qa.get("sentences", len(sents))
    violations = qa.get("violations", len(flagged))
    constraints = qa.get("constraints", sum(len(s.constraints) for s in sents))
    parts = [f"{n} sentences checked", f"{violations} with findings"]
    if "satisfied" in qa:
        parts.append(f"{qa['satisfied']} of {constraints} constraints satisfied")
    else:
        parts.append(f"{constraints} constraints")
    if "foreign_figures" in qa:
        parts.append(f"{qa['foreign_figures']} foreign figures")
    if "wrong_values" in qa:
        parts.append(f"{qa['wrong_values']} figures wrong in value")
    text = " · ".join(escape(str(p)) for p in parts)
    if flagged:
        links = ", ".join(f'<a href="#{escape(s.id)}">{escape(s.id)}</a>' for s in flagged)
        text += f'<br><span class="flagged">Flagged: {links}</span>'
    return text


def _legend(entries: _Entries) -> str:
    rows = []
    for e in entries:
        rows.append(
            f'<tr id="entry-{e.key}"><td><span class="swatch e-{e.key}" aria-hidden="true"></span>'
            f'<span lang="{ZH}">{escape(e.zh)}</span></td><td lang="en">{escape(e.en)}</td>'
            f"<td>{escape(e.note)}</td><td><code>{escape(e.source)}</code></td>"
            f'<td class="num">{e.zh_count}</td><td class="num">{e.en_count}</td></tr>'
        )
    if not rows:
        return ""
    return (
        '<section class="legend" aria-labelledby="legend-h">'
        '<h2 id="legend-h">Glossary entries on this page</h2>\n<table><thead><tr>'
        + "".join(f'<th scope="col">{h}</th>' for h in _LEGEND_COLUMNS)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>\n"
    )


_LEGEND_COLUMNS = ("Term", "Rendering", "Note", "Glossary file", "in Chinese", "in English")


def _entry_css(entries: _Entries) -> str:
    rules = []
    for e in entries:
        bg, line = entry_colours(e.zh, e.en, e.source)
        rules.append(f".e-{e.key}{{--bg:{bg};--line:{line}}}")
    return "\n".join(rules)


def _page_title(doc: Document, title: str | None) -> str:
    if title:
        return title
    t = doc.title
    name = (t.en or t.text) if t is not None else PurePath(doc.source).name
    return f"{name} — bilingual review"


def to_html(doc: Document, *, title: str | None = None) -> str:
    """The review page of a translated ``doc`` as one self-contained HTML5 document."""
    page = _Page(doc)
    used: set[str] = set()
    body: list[str] = [page.masthead(used)]
    body.append(
        '<div class="pair colheads" aria-hidden="true"><span class="sid">id</span>'
        f'<span class="zh" lang="{ZH}">中文原文</span><span class="en">English translation</span></div>\n'
    )
    if doc.title is not None:
        body.append(page.heading(1, doc.title, en=None, marker="", cls="title"))
    if doc.subtitle is not None:
        body.append(page.pair(doc.subtitle, cls="subtitle"))
    summary = doc.meta.get("summary") or {}
    if isinstance(summary, dict) and summary.get("overall"):
        body.append(page.summary(list(summary["overall"]), "Overall summary"))
    if doc.lead:
        body.append('<section class="lead" aria-label="Lead">\n')
        if isinstance(summary, dict) and summary.get("lead"):
            body.append(page.summary(list(summary["lead"]), "Lead summary"))
        body += [page.pair(s) for s in doc.lead]
        body.append("</section>\n")
    body += [page.table(t) for t in doc.lead_tables]
    body += [page.section(sec) for sec in doc.sections]
    foot = page.footer(used)
    extra = [s for k, s in doc.labels.items() if k not in used]
    if extra:  # labels this renderer does not place: shown so that no translated unit is hidden
        body.insert(1, '<div class="labels">' + "".join(page.pair(s) for s in extra) + "</div>\n")
    body.append(_legend(page.entries))

    meta = doc.meta
    created = str(meta.get("created") or datetime.now(UTC).isoformat(timespec="seconds"))
    model = meta.get("model")
    header = (
        '<header class="report">\n'
        '<p class="report-title">Bilingual review · <span class="tool">bulletin</span></p>\n'
        "<dl>"
        f"<div><dt>Source file</dt><dd><code>{_path(doc.source)}</code></dd></div>"
        f"<div><dt>Model</dt><dd><code>{_path(model) if model else 'none'}</code></dd></div>"
        f"<div><dt>Glossary</dt><dd>{_glossary_meta(meta)}</dd></div>"
        + _figures_meta(meta)
        + f"<div><dt>Date</dt><dd><time>{escape(created)}</time></dd></div>"
        f'<div class="qa-totals"><dt>QA</dt><dd>{_qa_meta(doc, page.flagged)}</dd></div>'
        "</dl>\n"
        '<p class="key">Key: <span class="sample sample-term">glossary term</span> '
        '<span class="sample sample-figure">figure</span> <span class="qa-badge">⚠ QA finding</span> '
        "— hover a highlight for its glossary entry.</p>\n</header>\n"
    )
    footer = (
        f'<footer>\n{foot}<p class="generator">Generated by bulletin {escape(__version__)} '
        f"on {escape(created)} — machine translation for review; check it before use.</p>\n</footer>\n"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="bulletin {escape(__version__)}">\n'
        f"<title>{escape(_page_title(doc, title))}</title>\n"
        f"<style>\n{_CSS}\n{_entry_css(page.entries)}\n</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the bulletin</a>\n'
        f"{header}<main id=\"main\">\n{''.join(body)}</main>\n{footer}</body>\n</html>\n"
    )


_CSS = f"""
:root {{ color-scheme: light; --text: {TEXT}; --muted: {MUTED}; --rule: #d9d9d9; }}
* {{ box-sizing: border-box; }}
html {{ background: {PAPER}; color: var(--text); }}
body {{ margin: 0 auto; max-width: 78rem; padding: 0 1rem 2rem;
  font: 16px/1.65 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
[lang|="zh"] {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Zen Hei", "Noto Sans SC", sans-serif; }}
a {{ color: {LINK}; }}
code {{ font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em;
  overflow-wrap: anywhere; }}
.skip {{ position: absolute; left: -999px; }}
.skip:focus {{ left: 1rem; top: .5rem; background: {PAPER}; padding: .25rem .5rem; }}
header.report {{ border-bottom: 3px solid var(--text); padding: 1rem 0 .5rem; }}
.report-title {{ margin: 0 0 .5rem; font-weight: 700; letter-spacing: .02em; }}
header.report dl {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
  gap: .25rem 1.5rem; margin: 0; }}
header.report dt {{ font-size: .8rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }}
header.report dd {{ margin: 0; }}
header.report .qa-totals {{ grid-column: 1 / -1; }}
header.report ul {{ margin: 0; padding-left: 1.1rem; }}
.key {{ font-size: .9rem; color: var(--muted); }}
.masthead, .labels {{ margin: 1rem 0; color: var(--text); }}
.masthead .pair {{ padding: .1rem .5rem; border: 0; }}
.masthead-name {{ font-weight: 700; font-size: 1.1rem; }}
.pair {{ display: grid; grid-template-columns: 4.5rem minmax(0, 1fr) minmax(0, 1fr); gap: 0 1.25rem;
  padding: .45rem .5rem; border-bottom: 1px solid var(--rule); margin: 0; }}
.pair > .zh, .pair > .en {{ margin: 0; min-width: 0; overflow-wrap: break-word; }}
.pair > .qa-flag {{ grid-column: 2 / -1; }}
.sid {{ font: .72rem/2.2 ui-monospace, "DejaVu Sans Mono", monospace; color: var(--muted);
  text-decoration: none; }}
.pair:target {{ outline: 3px solid {LINK}; outline-offset: 2px; }}
.colheads {{ position: sticky; top: 0; z-index: 1; background: {PAPER}; font-size: .8rem; font-weight: 700;
  text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  border-bottom: 2px solid var(--text); }}
h1.pair, h2.pair, h3.pair, h4.pair, h5.pair, h6.pair {{ line-height: 1.35; border-bottom-width: 2px; }}
h1.pair {{ font-size: 1.6rem; margin-top: .5rem; }}
h2.pair {{ font-size: 1.3rem; margin-top: 1.5rem; }}
h3.pair {{ font-size: 1.12rem; margin-top: 1rem; }}
h4.pair, h5.pair, h6.pair {{ font-size: 1rem; }}
.subtitle {{ font-style: italic; }}
.subtitle > .zh {{ font-style: normal; }}
.marker {{ font-weight: 700; margin-right: .15em; }}
.lead {{ margin-top: .5rem; }}
section.level-2, section.level-3 {{ margin-left: 1rem; }}
ol.points {{ list-style: none; margin: 0; padding: 0; }}
li.point {{ border-left: 3px solid var(--rule); margin: .35rem 0; }}
.en.missing .untranslated {{ color: var(--muted); font-style: italic; }}
mark {{ color: var(--text); background: none; border-radius: 2px; padding: 0 .05em; }}
mark.term, .sample-term {{ background: var(--bg, #eeeeee); border-bottom: 2px solid var(--line, #555555); }}
mark.figure, .sample-figure {{ background: {FIGURE_BG}; outline: 1px dashed {FIGURE_LINE};
  outline-offset: -1px; font-variant-numeric: tabular-nums; }}
mark.term, mark.figure {{ cursor: help; }}
mark.term mark.figure, mark.figure mark.term {{ outline-offset: 1px; }}
.sample {{ color: var(--text); padding: 0 .2em; }}
.sample-term {{ --bg: #f3e3a8; --line: #6b5300; }}
.has-qa {{ background: {QA_BG}; border-left: 4px solid {QA_FG}; }}
.qa-flag {{ display: block; color: {QA_FG}; font-size: .9rem; margin-top: .25rem; font-weight: 400;
  font-style: normal; }}
.qa-badge {{ display: inline-block; font-weight: 700; color: {QA_FG}; border: 1px solid {QA_FG};
  border-radius: 3px; padding: 0 .35em; font-size: .85rem; }}
.qa-flag ul {{ margin: .15rem 0 0; padding-left: 1.2rem; }}
.qa-finding + .qa-finding::before {{ content: " · "; }}
.flagged {{ font-size: .9rem; }}
aside.summary {{ margin: .5rem 0 .75rem 5.75rem; padding: .5rem .75rem; border: 1px solid var(--rule);
  border-left: 4px solid {LINK}; background: #f6f8fb; }}
.summary-label {{ margin: 0; font-size: .8rem; font-weight: 700; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted); }}
aside.summary ul {{ margin: .2rem 0 0; padding-left: 1.2rem; }}
aside.summary li {{ margin: .1rem 0; }}
aside.summary a {{ color: var(--text); text-decoration: none; }}
aside.summary a:hover, aside.summary a:focus {{ text-decoration: underline; }}
aside.summary a::after {{ content: " → " attr(data-ref); font: .72rem ui-monospace, "DejaVu Sans Mono",
  monospace; color: {LINK}; text-decoration: underline; white-space: nowrap; }}
.recipients {{ list-style: none; margin: 0; padding: 0; }}
section.legend {{ margin-top: 2rem; }}
section.legend h2 {{ font-size: 1.15rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ text-align: left; border-bottom: 1px solid var(--rule); padding: .25rem .5rem;
  vertical-align: top; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.swatch {{ display: inline-block; width: 1.1em; height: 1.1em; margin-right: .4em; vertical-align: -.15em;
  background: var(--bg); border-bottom: 3px solid var(--line); }}
footer {{ margin-top: 2rem; border-top: 3px solid var(--text); padding-top: .5rem; }}
.generator {{ color: var(--muted); font-size: .85rem; }}
@media screen and (max-width: 44rem) {{
  body {{ padding: 0 .5rem 1rem; }}
  .pair {{ grid-template-columns: minmax(0, 1fr); }}
  .pair > .sid {{ line-height: 1.2; }}
  .pair > .en {{ border-top: 1px dotted var(--rule); padding-top: .15rem; margin-top: .15rem; }}
  .pair > .qa-flag {{ grid-column: 1; }}
  .colheads {{ display: none; }}
  aside.summary {{ margin-left: 0; }}
  section.level-2, section.level-3 {{ margin-left: .25rem; }}
}}
@media print {{
  @page {{ margin: 15mm 12mm; }}
  html, body {{ background: #fff; color: #000; }}
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  .skip {{ display: none; }}
  .colheads {{ position: static; }}
  .pair {{ grid-template-columns: 3.2rem minmax(0, 1fr) minmax(0, 1fr); break-inside: avoid; }}
  .pair > .qa-flag {{ grid-column: 2 / -1; }}
  h1.pair, h2.pair, h3.pair, h4.pair {{ break-after: avoid; }}
  /* highlights must read without background colours: underlines and outlines carry them */
  mark.term, .sample-term {{ background: none; border-bottom: 2px solid var(--line, #000); }}
  mark.figure, .sample-figure {{ background: none; outline: 1px dashed #000; }}
  .has-qa {{ background: none; border-left: 4px double #000; }}
  aside.summary {{ background: none; break-inside: avoid; }}
  aside.summary a::after {{ content: " [" attr(data-ref) "]"; font-size: .85em; color: #333; }}
  a {{ color: #000; }}
  a.sid {{ text-decoration: none; }}
  header.report a[href^="#"]::after {{ content: ""; }}
}}
""".strip()


__all__ = ["to_html", "entry_colours", "contrast_ratio", "find_occurrences"]
