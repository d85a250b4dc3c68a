"""Render a translated Document as English Markdown, plain text, JSON or a bilingual table."""

from __future__ import annotations

import json

from ..doc import Document, Section, Sentence, Table


def _join(sents: list[Sentence]) -> str:
    return " ".join(s.en.strip() for s in sents if s.en and s.en.strip())


def _summary_lines(doc: Document, ids: list[str]) -> list[str]:
    by_id = {s.id: s for s in doc.sentences()}
    return [by_id[i].en or "" for i in ids if i in by_id and by_id[i].en]


def _blocks(doc: Document, *, markdown: bool, with_summary: bool) -> list[str]:
    """Paragraph blocks of the English document, in order."""
    eng = doc.meta.get("english", {})
    head = eng.get("header", {})
    out: list[str] = []
    line = " · ".join(
        x for x in (head.get("name"), head.get("issue"), head.get("office"), head.get("date")) if x
    )
    if line:
        out.append(f"**{line}**" if markdown else line)
    if doc.title is not None and doc.title.en:
        out.append(f"# {doc.title.en}" if markdown else doc.title.en.upper())
    if doc.subtitle is not None and doc.subtitle.en:
        out.append(f"*— {doc.subtitle.en}*" if markdown else f"— {doc.subtitle.en}")
    if eng.get("addressees"):
        out.append(eng["addressees"])
    summary = doc.meta.get("summary", {})
    if with_summary and summary.get("overall"):
        out.append(_summary_block(doc, "Overall summary", summary["overall"], markdown))
    if doc.lead:
        if with_summary and summary.get("lead"):
            out.append(_summary_block(doc, "Summary", summary["lead"], markdown))
        out.append(_join(doc.lead))
    headings = eng.get("headings", {})
    points = eng.get("points", {})

    def section(sec: Section) -> None:
        title = headings.get(sec.id) or (sec.heading.en if sec.heading else "") or ""
        if markdown:
            out.append(f"{'#' * min(sec.level + 1, 6)} {title}")
        else:
            out.append(title)
        if with_summary and sec.summary:
            out.append(_summary_block(doc, "Summary", sec.summary, markdown))
        if sec.sentences:
            out.append(_join(sec.sentences))
        for p in sec.points:
            label = points.get(f"{sec.id}.{p.number}", "")
            body = _join(p.sentences)
            out.append(f"{'**' + label + '**' if markdown and label else label} {body}".strip())
        for sub in sec.subsections:
            section(sub)
        for t in sec.tables:
            out.append(_table(t, markdown))

    for t in doc.lead_tables:
        out.append(_table(t, markdown))
    for sec in doc.sections:
        section(sec)
    foot = eng.get("footer", {})
    tail = [x for x in (foot.get("signed"), foot.get("distribution"), foot.get("printed")) if x]
    if tail:
        out.append("---" if markdown else "-" * 40)
        out.extend(tail)
    return [b for b in out if b]


def _table(t: Table, markdown: bool) -> str:
    """A table of translated cells: a Markdown table (header rows first), or tab-separated rows."""

    def en(s: Sentence) -> str:
        return (s.en or s.text).strip()

    lines = [f"*{en(t.caption)}*" if markdown else en(t.caption)] if t.caption is not None else []
    if not t.rows:
        return "\n".join(lines)
    width = max(len(r) for r in t.rows)
    if not markdown:
        return "\n".join(lines + ["\t".join(en(c) for c in row) for row in t.rows])
    rows = [[""] * (width - len(row)) + [_cell(en(c)) for c in row] for row in t.rows]  # merged cells: left
    head = rows[0] if t.header_rows else [""] * width
    body = rows[1:] if t.header_rows else rows
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * width] + [
        "| " + " | ".join(r) + " |" for r in body
    ]
    return "\n".join(lines)


def _summary_block(doc: Document, label: str, ids: list[str], markdown: bool) -> str:
    lines = _summary_lines(doc, ids)
    if markdown:
        return "\n".join([f"> **{label}:**"] + [f"> - {x}" for x in lines])
    return "\n".join([f"[{label}]"] + [f"  * {x}" for x in lines])


def to_markdown(doc: Document, *, with_summary: bool = False) -> str:
    return "\n\n".join(_blocks(doc, markdown=True, with_summary=with_summary)) + "\n"


def to_text(doc: Document, *, with_summary: bool = False) -> str:
    return "\n\n".join(_blocks(doc, markdown=False, with_summary=with_summary)) + "\n"


def to_json(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_bilingual(doc: Document, *, with_summary: bool = False) -> str:
    """A Markdown table, one row per sentence: id, Chinese, English; ``with_summary``: then a second
    table of the summaries (overall, lead, each section), one row per picked sentence."""
    eng = doc.meta.get("english", {})
    rows = ["| id | 中文 | English |", "|---|---|---|"]
    for s in doc.all_sentences():
        en = s.en or ""
        if s.role == "heading":
            en = eng.get("headings", {}).get(s.id[1:], en)
        rows.append(f"| {s.id} | {_cell(doc.quote(s))} | {_cell(en)} |")
    if with_summary:
        rows += _bilingual_summary(doc)
    return "\n".join(rows) + "\n"


def _bilingual_summary(doc: Document) -> list[str]:
    by_id = {s.id: s for s in doc.sentences()}
    summary = doc.meta.get("summary", {})
    parts: list[tuple[str, list[str]]] = [("overall", summary.get("overall") or []),
                                          ("lead", summary.get("lead") or [])]
    parts += [(sec.id, sec.summary) for sec in doc.iter_sections()]
    rows = [f"| {label} | {_cell(doc.quote(by_id[i]))} | {_cell(by_id[i].en or '')} |"
            for label, ids in parts for i in ids if i in by_id]
    if not rows:
        return []
    return ["", "**Summary**", "", "| summary of | 中文 | English |", "|---|---|---|", *rows]
