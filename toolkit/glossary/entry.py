"""One glossary entry and the validation every reader applies to it."""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ("zh", "en", "variants", "category", "note")
#: The optional sixth TSV column: ``yes`` marks a blocking entry (see ``Entry.blocking``).
BLOCKING_COLUMN = "blocking"
BLOCKING_YES = "yes"
VARIANT_SEP = "|"


@dataclass
class Entry:
    """A policy term: canonical ``zh``, the one rendering ``en``, and where it was read from.

    A *blocking* entry is a longer name that contains a shorter term but means something else
    (长江村 is a village, not the Yangtze River; 扶贫委员会 is Hong Kong's Commission on Poverty).
    It takes part in leftmost-longest matching like any entry - so the shorter term inside it never
    matches there - but forces no rendering of its own: its ``en`` is empty and it yields no match.
    """

    zh: str
    en: str
    variants: tuple[str, ...] = ()
    category: str = ""
    note: str = ""
    blocking: bool = False
    source: str = ""  # the file it was read from ("" when built in memory)
    line: int = 0  # 1-based line in that file (0 when unknown)
    problems: list[str] = field(default_factory=list, compare=False, repr=False)

    def surfaces(self) -> tuple[str, ...]:
        """The canonical term followed by its variants."""
        return (self.zh, *self.variants)

    def same_content(self, other: Entry) -> bool:
        return self.key() == other.key()

    def key(self) -> tuple[str, str, tuple[str, ...], str, str, bool]:
        """Every field that a file stores (not where it was read from)."""
        return (self.zh, self.en, self.variants, self.category, self.note, self.blocking)

    def to_row(self, *, blocking_column: bool = False) -> list[str]:
        row = [self.zh, self.en, VARIANT_SEP.join(self.variants), self.category, self.note]
        return [*row, BLOCKING_YES if self.blocking else ""] if blocking_column else row

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "zh": self.zh,
            "en": self.en,
            "variants": list(self.variants),
            "category": self.category,
            "note": self.note,
        }
        if self.blocking:  # written only when set: most entries are not blocking
            out["blocking"] = True
        return out

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
    if entry.blocking:
        if entry.en:
            out.append(f"blocking entry {entry.zh} has a rendering {entry.en!r} (it forces none)")
    else:
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
