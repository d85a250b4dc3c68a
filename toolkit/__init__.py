"""bulletin: offline, glossary-constrained English translation of Chinese policy bulletins.

The public API (see the README's "Python API")::

    from toolkit import DecodeOptions, Document, Glossary, Translator, read_document

Names are imported on first use, so ``import toolkit`` (and ``bulletin --help``) stay light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS = {
    "Translator": "toolkit.api",
    "read_document": "toolkit.api",
    "load_glossary": "toolkit.api",
    "Glossary": "toolkit.glossary.store",
    "Entry": "toolkit.glossary.entry",
    "Document": "toolkit.doc",
    "Sentence": "toolkit.doc",
    "DecodeOptions": "toolkit.translate.options",
    "DEFAULT_MODEL": "toolkit.translate.model_store",
    "qa_summary_line": "toolkit.check",
}

__all__ = [
    "DEFAULT_MODEL",
    "DecodeOptions",
    "Document",
    "Entry",
    "Glossary",
    "Sentence",
    "Translator",
    "__version__",
    "load_glossary",
    "qa_summary_line",
    "read_document",
]

if TYPE_CHECKING:
    from .api import Translator, load_glossary, read_document
    from .check import qa_summary_line
    from .doc import Document, Sentence
    from .glossary.entry import Entry
    from .glossary.store import Glossary
    from .translate.model_store import DEFAULT_MODEL
    from .translate.options import DecodeOptions


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
