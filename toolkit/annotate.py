"""Annotate stage: header/footer labels as translatable units, figure spans and glossary matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Document, Sentence
from .figures import find_figures, local_currency

if TYPE_CHECKING:
    from .glossary.store import Glossary


def _labels(doc: Document) -> dict[str, Sentence]:
    """The header and footer strings that need English, keyed by a stable id."""
    items: list[tuple[str, str | None]] = [
        ("x.name", doc.header.name),
        ("x.office", doc.header.office),
        ("x.printer", doc.footer.printer),
    ]
    items += [(f"x.dist.{i}", r) for i, r in enumerate(doc.footer.distribution, 1)]
    return {key: Sentence(id=key, text=text, original=text) for key, text in items if text}


def annotate(doc: Document, glossary: Glossary | None = None) -> Document:
    """Fill ``figures`` (always) and ``terms`` (when a glossary is given) on every translatable unit."""
    doc.labels = _labels(doc)
    currency = local_currency(doc.text or "")  # a bare 元 in a Hong Kong text is HK$
    for sent in doc.all_sentences():
        sent.figures = find_figures(sent.text, currency=currency)
        sent.terms = glossary.match(sent.text) if glossary is not None else []
    if glossary is not None:
        doc.meta["glossary"] = glossary.describe()
    return doc
