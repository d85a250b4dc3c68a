"""Render the English summary of a translated, summarized Document (Markdown, text, JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..doc import Document, Sentence


def _picked(doc: Document) -> list[tuple[str, str, list[Sentence]]]:
    """(key, English heading, picked sentences) for the overall summary, the lead and each section."""
    by_id = {s.id: s for s in doc.sentences()}
    eng = doc.meta.get("english", {})
    summary = doc.meta.get("summary", {})
    groups: list[tuple[str, str, list[Sentence]]] = []
    if summary.get("overall"):
        groups.append(("overall", "Overall summary", [by_id[i] for i in summary["overall"] if i in by_id]))
    if summary.get("lead"):
        groups.append(("lead", "Lead", [by_id[i] for i in summary["lead"] if i in by_id]))
    for sec in doc.iter_sections():
        if sec.summary:
            heading = eng.get("headings", {}).get(sec.id, sec.id)
            groups.append((sec.id, heading, [by_id[i] for i in sec.summary if i in by_id]))
    return groups


def _title(doc: Document) -> str:
    head = doc.meta.get("english", {}).get("header", {})
    parts = [x for x in (head.get("name"), head.get("issue"), head.get("date")) if x]
    title = doc.title.en if doc.title is not None and doc.title.en else ""
    return " · ".join(parts) + (f": {title}" if title else "")


def to_markdown(doc: Document, *, show_source: bool = False) -> str:
    out = [f"# Summary — {_title(doc)}"]
    for _key, heading, sents in _picked(doc):
        out.append(f"## {heading}")
        for s in sents:
            out.append(f"- {s.en} `[{s.id}]`")
            if show_source:
                out.append(f"  > {doc.quote(s)}")
    return "\n\n".join(out) + "\n"


def to_text(doc: Document, *, show_source: bool = False) -> str:
    out = [f"SUMMARY — {_title(doc)}"]
    for _key, heading, sents in _picked(doc):
        lines = [heading]
        for s in sents:
            lines.append(f"  * {s.en} [{s.id}]")
            if show_source:
                lines.append(f"    {doc.quote(s)}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def to_json(doc: Document) -> str:
    """``zh`` is the picked sentence as the reader knows it (``Document.quote``: traditional input stays
    traditional), so a fact quoted from the source is found in it; ``original`` is the raw input span."""
    groups: list[dict[str, Any]] = [
        {
            "section": key,
            "heading": heading,
            "sentences": [
                {"id": s.id, "score": s.score, "zh": doc.quote(s), "original": s.original, "en": s.en,
                 "constraints": [asdict(c) for c in s.constraints], "qa": s.qa}
                for s in sents
            ],
        }
        for key, heading, sents in _picked(doc)
    ]
    payload = {"source": doc.source, "title": _title(doc), "summary": groups,
               "params": doc.meta.get("summary", {}).get("params", {}), "qa": doc.meta.get("qa", {}),
               "model": doc.meta.get("model")}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
