"""The pipeline in one place: read -> normalize -> structure -> annotate (-> translate -> summarize).

Each stage takes the Document and returns it enriched; no stage reaches back into an earlier one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Document

if TYPE_CHECKING:
    from .glossary.store import Glossary


def load_document(
    source: str, *, glossary: Glossary | None = None, keep_boilerplate: bool = False
) -> Document:
    """Read ``source`` (a path or "-") into a structured, annotated Document; ``keep_boilerplate`` makes
    the page furniture structure set aside translatable units too (labels ``b.N``)."""
    from .annotate import annotate
    from .normalize import normalize
    from .read import read
    from .structure import structure

    return annotate(structure(normalize(read(source))), glossary, keep_boilerplate=keep_boilerplate)
