"""The glossary's one casing rule, as far as a program can check it (README, "Casing").

Every rendering has one of two shapes:

* **a proper name** of a specific body, programme, document or place - Title Case: every major word
  capitalised, the minor words (articles, coordinating conjunctions, short prepositions) lowercase
  unless first: "Office of the Central Leading Group for Rural Affairs", "Rain and Dew Program".
  Official names keep their own hyphen casing ("State-owned Assets ...", "Urban-Rural").
* **a generic term or function** - lowercase, except proper nouns inside it: acronyms (CPC, CPPCC),
  "Party" (meaning the CPC, Xinhua style), words the glossary never writes in lowercase (Sichuan,
  Chinese), and whole names that are themselves glossary renderings in Title Case ("academician of
  the Chinese Academy of Sciences", "... under the leadership of the Communist Party of China").

Anything in between ("General office of the provincial Party committee") is a finding. So are
"Internet" outside a proper name (the generic word is "internet", AP and Chicago style since 2016)
and a compound written with a hyphen in one rendering and open or closed in another
("primary-level" vs "primary level").

Whether a term names a specific body or a generic function is the maintainer's judgement (统战部 is
any Party committee's united front work department, so lowercase; 中共中央统战部 is one body, so
Title Case). One part of it is checked: terms of the same kind - the same last Chinese character and
the same English head noun (办公厅 "general office", 省委办公厅 "... office of the provincial Party
committee") - share one shape, unless the Title Case one says which body it is: a national qualifier
(中央, 中共, 国家, 国务院, 全国, 中国, 中华, 最高), a number (十八大), a place in the glossary (四川省...),
or a note saying it is an "official name", a "proper name" or the "title of" something.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .entry import Entry

MINOR = frozenset("a an the and or but nor of for to in on at by with from as into via per".split())
#: Capitalised with a meaning of its own: "Party" is the CPC ("party system" is generic).
ALWAYS_CAPITALISED = frozenset({"Party"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*")
SPECIFIC_PREFIXES = ("中央", "中共", "国家", "国务院", "全国", "中国", "中华", "最高")
_NUMERAL_START = re.compile(r"^[0-9一二三四五六七八九十]")
NAME_NOTES = ("official name", "proper name", "title of")


def _words(text: str) -> list[str]:
    """The words of ``text``, hyphenated compounds split into their parts ("18th" is no word)."""
    return [m.group() for m in _WORD.finditer(text) if m.start() == 0 or not text[m.start() - 1].isdigit()]


def _is_acronym(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2 or word.isupper()


def _major(words: list[str]) -> list[str]:
    return [w for i, w in enumerate(words) if i == 0 or w.lower() not in MINOR]


def is_title_case(en: str) -> bool:
    """Every major word capitalised (the parts of a hyphenated compound after the first are free;
    words that start with a digit, "18th", count as neither)."""
    words = [w.split("-")[0].strip("\"'“”‘(,") for w in en.split()]
    major = _major([w for w in words if w and w[0].isalpha()])
    return bool(major) and all(w[0].isupper() or _is_acronym(w) for w in major)


class CasingRule:
    """The checks of the module docstring over one glossary's renderings."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = [e for e in entries if e.en and not e.blocking]
        lower = {w for e in self.entries for w in _words(e.en) if w[0].islower()}
        self.proper = {
            w for e in self.entries for w in _words(e.en) if w[0].isupper() and w.lower() not in lower
        } | ALWAYS_CAPITALISED
        names = {e.en for e in self.entries if is_title_case(e.en)}
        # longest first, so "Chinese Academy of Sciences" is masked before "Chinese"
        self._names = sorted(names, key=len, reverse=True)
        # each hyphenated compound's open ("primary level") and closed ("primarylevel") spellings
        self._spelled: dict[str, tuple[str, Entry]] = {}
        for e in self.entries:
            for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)+", e.en):
                parts = w.lower().split("-")
                for form in (" ".join(parts), "".join(parts)):
                    self._spelled.setdefault(form, (w.lower(), e))

    def _mask_names(self, en: str) -> str:
        for name in self._names:
            if name != en and name in en:
                en = re.sub(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", " ", en)
        return en

    def problems(self, e: Entry) -> list[str]:
        """Casing and hyphenation findings for one entry's rendering."""
        out: list[str] = []
        en = e.en
        if not en or e.blocking:
            return out
        if not is_title_case(en):
            rest = en
            bad = self._not_proper(rest)
            if bad:  # only then look for whole names inside it (a scan over all the names)
                rest = self._mask_names(en)
                bad = self._not_proper(rest)
            if bad:
                out.append(
                    f"casing: {en!r} mixes Title Case and lowercase ({', '.join(dict.fromkeys(bad))}): "
                    "a proper name capitalises every major word, a generic term only proper nouns"
                )
            if re.search(r"(?<![A-Za-z])Internet(?![A-Za-z])", rest):
                out.append(
                    f"casing: {en!r}: the generic word is 'internet' (lowercase) outside a proper name"
                )
        # open or closed spellings of a compound hyphenated elsewhere (hyphenated words stay whole here)
        words = re.findall(r"[a-z]+(?:-[a-z]+)*", en.lower())
        grams = {" ".join(words[i : i + n]) for n in (1, 2, 3, 4) for i in range(len(words) - n + 1)}
        for form in sorted(grams & self._spelled.keys()):
            compound, other = self._spelled[form]
            out.append(
                f"hyphenation: {en!r} writes {form!r} but {other.zh} ({other.where}) writes "
                f"{compound!r}: write the compound one way"
            )
        return out

    def _not_proper(self, text: str) -> list[str]:
        """Capitalised words of ``text`` that are neither acronyms nor proper nouns."""
        return [w for w in _words(text) if w[0].isupper() and not _is_acronym(w) and w not in self.proper]


def english_head(en: str) -> str:
    """The head noun of a rendering: the last word before " of ", else the last word (lowercase)."""
    words = en.split(" of ")[0].split()
    return words[-1].lower().strip(",.") if words else ""


def same_kind_findings(entries: Iterable[Entry]) -> list[tuple[Entry, str]]:
    """Title Case entries without a qualifier whose same-kind siblings are lowercase (module docstring)."""
    entries = [e for e in entries if e.en and not e.blocking]
    places = sorted({e.zh for e in entries if e.category == "place"}, key=len, reverse=True)

    def qualified(e: Entry) -> bool:
        return (
            e.zh.startswith(SPECIFIC_PREFIXES)
            or bool(_NUMERAL_START.match(e.zh))
            or e.category == "place"
            or any(p in e.zh and e.zh != p for p in places)
            or any(n in e.note for n in NAME_NOTES)
        )

    kinds: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        kinds[(e.zh[-1], english_head(e.en))].append(e)
    out = []
    for (_, head), group in kinds.items():
        lower = [e for e in group if not is_title_case(e.en)]
        if not lower:
            continue
        sibling = lower[0]
        for e in group:
            if is_title_case(e.en) and not qualified(e):
                out.append(
                    (
                        e,
                        f"casing: {e.en!r} is Title Case but {sibling.zh} {sibling.en!r} ({sibling.where}), "
                        f"the same kind of term (…{e.zh[-1]} '{head}'), is lowercase: lowercase a generic "
                        "function, or note why this one is a proper name ('official name: ...')",
                    )
                )
    return out
