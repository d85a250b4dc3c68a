"""The policy term glossary: layered TSV files, a leftmost-longest matcher, formats, checks, suggestions."""

from .store import Entry, Glossary, default_glossary_path

__all__ = ["Entry", "Glossary", "default_glossary_path"]
