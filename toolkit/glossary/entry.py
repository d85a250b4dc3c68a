"""One glossary entry and the validation every reader applies to it."""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ("zh", "en", "variants", "category", "note")
VARIANT_SEP = "|"


@dataclass
class Entry:
    """A policy term: canonical ``zh``, the one rendering ``en``, and where it was read from."""

    zh: str
    en: str
    variants: tuple[str, ...] = ()
    category: str = ""
    note: str = ""
    source: str = ""  # the file it was read from ("" when built in memory)
    line: int = 0  # 1-based line in that file (0 when unknown)
    problems: list[str] = field(default_factory=list, compare=False, repr=False)

    def surfaces(self) -> tuple[str, ...]:
        """The canonical term followed by its variants."""
        return (self.zh, *self.variants)

    def same_content(self, other: Entry) -> bool:
        return (self.zh, self.en, self.variants, self.category, self.note) == (
            other.zh,
            other.en,
            other.variants,
            other.category,
            other.note,
        )

    def to_row(self) -> list[str]:
        return [self.zh, self.en, VARIANT_SEP.join(self.variants), self.category, self.note]

    def to_dict(self) -> dict[str, object]:
        return {
            "zh": self.zh,
            "en": self.en,
            "variants": list(self.variants),
            "category": self.category,
            "note": self.note,
        }

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.source else "<memory>"


def field_problems(name: str, value: str, *, required: bool) -> list[str]:
    """What is wrong with one field value: empty when required, padding, control characters."""
    out: list[str] = []
    if required and not value.strip():
        out.append(f"empty {name}")
    elif value != value.strip():
        out.append(f"whitespace padding in {name} {value!r}")
    if any(c in value for c in "\t\n\r"):
        out.append(f"tab or line break inside {name}")
    return out


def validate(entry: Entry, *, allow_empty_en: bool = False) -> list[str]:
    """All problems with one entry (empty list when it is well formed)."""
    out = field_problems("zh", entry.zh, required=True)
    out += field_problems("en", entry.en, required=not allow_empty_en)
    for v in entry.variants:
        out += field_problems("variant", v, required=True)
        if VARIANT_SEP in v:
            out.append(f"variant {v!r} contains {VARIANT_SEP!r}")
        if v == entry.zh:
            out.append(f"variant {v!r} repeats the term")
    if len(set(entry.variants)) != len(entry.variants):
        out.append("repeated variant")
    out += field_problems("category", entry.category, required=False)
    out += field_problems("note", entry.note, required=False)
    return out


def split_variants(cell: str) -> tuple[str, ...]:
    """``a|b`` -> ("a", "b"); an empty cell has no variants (empty items are kept for validation)."""
    return tuple(cell.split(VARIANT_SEP)) if cell != "" else ()


def sort_key(entry: Entry) -> str:
    """Entries sort by the code points of ``zh`` (Python's str order)."""
    return entry.zh
