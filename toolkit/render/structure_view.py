"""The parsed structure of a bulletin as Markdown or plain text, for a person to check."""

from __future__ import annotations

from ..doc import Document, Section, Sentence, Table


def _sent(s: Sentence) -> str:
    return f"[{s.id}] {s.text}"


def _header_lines(doc: Document) -> list[str]:
    h = doc.header
    items = [("name", h.name), ("issue", h.issue), ("office", h.office), ("date", h.date)]
    return [f"{k}: {v}" for k, v in items if v is not None]


def _footer_lines(doc: Document) -> list[str]:
    f = doc.footer
    out = []
    if f.distribution:
        out.append(f"{f.distribution_label or 'distribution'}: " + " | ".join(f.distribution))
    if f.printer or f.print_date:
        out.append(f"printed: {f.printer or '?'}, {f.print_date or '?'}")
    return out


def _section_md(sec: Section, out: list[str]) -> None:
    heading = sec.heading.text if sec.heading else ""
    hid = f" `{sec.heading.id}`" if sec.heading else ""
    out += [f"{'#' * min(sec.level + 1, 6)} {sec.marker} {heading}{hid}", ""]
    out += [f"- `{s.id}` {s.text}" for s in sec.sentences]
    for p in sec.points:
        out.append(f"- **{p.marker}** (point {p.number})")
        out += [f"  - `{s.id}` {s.text}" for s in p.sentences]
    if sec.sentences or sec.points:
        out.append("")
    for sub in sec.subsections:
        _section_md(sub, out)
    for t in sec.tables:
        _table_md(t, out)


def _table_md(t: Table, out: list[str]) -> None:
    if t.caption is not None:
        out += [f"*{t.caption.text}* `{t.caption.id}`", ""]
    width = max((len(r) for r in t.rows), default=0)
    for k, row in enumerate(t.rows):
        cells = [""] * (width - len(row)) + [c.text.replace("|", "\\|") for c in row]  # merged cells: left
        out.append("| " + " | ".join(cells) + " |")
        if k == 0:
            out.append("|" + "---|" * width)
    out.append("")


def to_markdown(doc: Document) -> str:
    """Header, title/subtitle, lead, sections with points and sentence ids, footer, as Markdown."""
    out: list[str] = []
    meta = _header_lines(doc)
    if meta:
        out += ["> " + line for line in meta] + [""]
    if doc.title:
        out += [f"# {doc.title.text} `{doc.title.id}`", ""]
    if doc.subtitle:
        out += [f"*——{doc.subtitle.text}* `{doc.subtitle.id}`", ""]
    if doc.lead:
        out += [f"- `{s.id}` {s.text}" for s in doc.lead] + [""]
    for t in doc.lead_tables:
        _table_md(t, out)
    for sec in doc.sections:
        _section_md(sec, out)
    foot = _footer_lines(doc)
    if foot:
        out += ["---", ""] + [line + "  " for line in foot]
    return "\n".join(out).rstrip() + "\n"


def _section_text(sec: Section, out: list[str]) -> None:
    pad = "  " * (sec.level - 1)
    heading = _sent(sec.heading) if sec.heading else ""
    out.append(f"{pad}{sec.marker} {heading}".rstrip())
    out += [f"{pad}  {_sent(s)}" for s in sec.sentences]
    for p in sec.points:
        out.append(f"{pad}  {p.marker}")
        out += [f"{pad}    {_sent(s)}" for s in p.sentences]
    for sub in sec.subsections:
        _section_text(sub, out)
    for t in sec.tables:
        _table_text(t, out, pad + "  ")


def _table_text(t: Table, out: list[str], pad: str) -> None:
    out.append(f"{pad}TABLE {t.id}" + (f" {_sent(t.caption)}" if t.caption is not None else ""))
    out += [f"{pad}  " + " | ".join(c.text for c in row) for row in t.rows]


def to_text(doc: Document) -> str:
    """The same view as :func:`to_markdown`, as indented plain text."""
    out: list[str] = []
    out += _header_lines(doc)
    if out:
        out.append("")
    if doc.title:
        out.append(f"TITLE {_sent(doc.title)}")
    if doc.subtitle:
        out.append(f"SUBTITLE ——{doc.subtitle.text} [{doc.subtitle.id}]")
    if doc.lead:
        out += ["", "LEAD"] + [f"  {_sent(s)}" for s in doc.lead]
    for t in doc.lead_tables:
        _table_text(t, out, "")
    for sec in doc.sections:
        out.append("")
        _section_text(sec, out)
    foot = _footer_lines(doc)
    if foot:
        out += ["", "FOOTER"] + [f"  {line}" for line in foot]
    return "\n".join(out).strip() + "\n"
