"""The pipeline in one place: read -> normalize -> structure -> annotate (-> translate -> summarize -> check).

Each stage takes the Document and returns it enriched; no stage reaches back into an earlier one, so
the sequence lives only here (and the public API in ``toolkit.api`` is built on these two functions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .doc import Document

if TYPE_CHECKING:
    from .glossary.store import Glossary
    from .translate.engine import Engine
    from .translate.options import DecodeOptions


def load_document(
    source: str | None = None,
    *,
    text: str | None = None,
    glossary: Glossary | None = None,
    data: bytes | None = None,
    keep_boilerplate: bool = False,
) -> Document:
    """Read ``source`` (a path or "-"; ``data``: its bytes, already read) - or ``text``, a str already
    in memory - into a structured, annotated Document (glossary matches only when a glossary is given);
    ``keep_boilerplate`` makes the page furniture structure set aside translatable units too (``b.N``)."""
    from .annotate import annotate
    from .normalize import normalize
    from .read import read, read_text
    from .structure import structure

    if (source is None) == (text is None):
        raise TypeError("give exactly one of source (a path or '-') and text")
    doc = read(source, data=data) if text is None else read_text(text)
    return annotate(structure(normalize(doc)), glossary, keep_boilerplate=keep_boilerplate)


def translate_checked(
    doc: Document,
    engine: Engine,
    options: DecodeOptions,
    *,
    figures: bool | str = True,
    only: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Document:
    """Translate an annotated Document under its constraints, then run QA on every translated unit
    (``doc.meta["qa"]`` holds the totals); QA is a later stage than translation, so it is called here."""
    from .check import check_document
    from .translate.document import translate_document

    translate_document(doc, engine, options, figures=figures, only=only, progress=progress)
    check_document(doc)
    return doc
