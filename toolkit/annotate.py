"""Annotate stage: header/footer labels as translatable units, figure spans and glossary matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Document, Sentence
from .figures import find_figures, local_currency

if TYPE_CHECKING:
    from .glossary.store import Glossary


def _labels(doc: Document, keep_boilerplate: bool = False) -> dict[str, Sentence]:
    """The header and footer strings that need English, keyed by a stable id (and, when asked, the
    page furniture as ``b.N``)."""
    items: list[tuple[str, str | None]] = [
        ("x.name", doc.header.name),
        ("x.office", doc.header.office),
        ("x.printer", doc.footer.printer),
    ]
    items += [(f"x.dist.{i}", r) for i, r in enumerate(doc.footer.distribution, 1)]
    items += [("x.signer", doc.footer.signer)]
    items += [(f"x.to.{i}", r) for i, r in enumerate(doc.header.addressees, 1)]
    out = {
        key: Sentence(
            id=key,
            text=text,
            original=text,
            role="header" if key in ("x.name", "x.office") or key.startswith("x.to.") else "footer",
        )
        for key, text in items
        if text
    }
    if keep_boilerplate:
        for i, b in enumerate(doc.meta.get("boilerplate", []), 1):
            out[f"b.{i}"] = Sentence(
                id=f"b.{i}",
                text=b["text"],
                original=doc.original[b["orig_start"] : b["orig_end"]],
                start=b["start"],
                end=b["end"],
                orig_start=b["orig_start"],
                orig_end=b["orig_end"],
                role="boilerplate",
            )
    return out


def _table_units(doc: Document) -> None:
    """Figures in table cells take their column's unit where the header gives one (户 / 人 / 万元): a
    post-step over what ``find_figures`` read, so the figure rules keep their one home."""
    for t in doc.all_tables():
        k = len(t.units)
        for row in t.rows[t.header_rows :]:
            numeric = row[-k:] if k and len(row) >= k else []
            for cell, unit in zip(numeric, t.units, strict=False):
                if unit and unit != "%":
                    for f in cell.figures:
                        if f.unit is None and f.start == 0 and f.end == len(cell.text):
                            f.unit = unit


def annotate(doc: Document, glossary: Glossary | None = None, *, keep_boilerplate: bool = False) -> Document:
    """Fill ``figures`` (always) and ``terms`` (when a glossary is given) on every translatable unit."""
    doc.labels = _labels(doc, keep_boilerplate)
    currency = local_currency(doc.text or "")  # a bare 元 in a Hong Kong text is HK$
    for sent in doc.all_sentences():
        sent.figures = find_figures(sent.text, currency=currency)
        sent.terms = glossary.match(sent.text) if glossary is not None else []
    _table_units(doc)
    if glossary is not None:
        doc.meta["glossary"] = glossary.describe()
    return doc
