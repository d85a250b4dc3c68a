"""Annotate stage: figure spans and glossary matches on every sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Document
from .figures import find_figures

if TYPE_CHECKING:
    from .glossary.store import Glossary


def annotate(doc: Document, glossary: Glossary | None = None) -> Document:
    """Fill ``figures`` (always) and ``terms`` (when a glossary is given) on every sentence."""
    for sent in doc.sentences():
        sent.figures = find_figures(sent.text)
        sent.terms = glossary.match(sent.text) if glossary is not None else []
    if glossary is not None:
        doc.meta["glossary"] = glossary.describe()
    return doc
