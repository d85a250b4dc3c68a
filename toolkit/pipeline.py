"""The pipeline in one place: read -> normalize -> structure -> annotate (-> translate -> summarize).

Each stage takes the Document and returns it enriched; no stage reaches back into an earlier one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Document

if TYPE_CHECKING:
    from .glossary.store import Glossary


def load_document(source: str, *, glossary: Glossary | None = None, data: bytes | None = None) -> Document:
    """Read ``source`` (a path or "-"; or its bytes ``data``) into a structured, annotated Document."""
    from .annotate import annotate
    from .normalize import normalize
    from .read import read
    from .structure import structure

    return annotate(structure(normalize(read(source, data=data))), glossary)
