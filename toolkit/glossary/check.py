"""`bulletin glossary check`: every problem a glossary can have, as ``file:line: message`` findings.

Row level: wrong column count, empty or whitespace-padded fields, a term defined twice in one file
(duplicate, or conflicting renderings). Across the merged glossary: a surface (term or variant) claimed
by two entries, traditional/simplified duplicates, nested terms whose renderings disagree, renderings
with Chinese characters, digits the term does not have, a leading article or trailing punctuation.

A nested pair that legitimately differs is accepted when the longer entry's note says
``distinct from <shorter term>`` (e.g. 脱贫攻坚战 "battle against poverty" vs 脱贫攻坚).
The casing rule (``casing.py``, README "Casing"): each rendering a proper name in Title Case or a
generic term in lowercase, one spelling of "internet", one hyphenation per compound, same-kind terms
alike. Blocking entries: no rendering to check, but one that contains no other term blocks nothing.

``corpus_compounds`` (``check --corpus DIR``) is advice, not a finding: the most frequent
``TERM + next word`` compounds of a bulletin set that no longer entry covers, where a forced
modifier rendering may read badly ("offer advice and suggestions symposium").
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..chinese import has_cjk, looks_traditional, t2s
from .casing import CasingRule, same_kind_findings
from .entry import Entry
from .formats import problems_of, read_entries
from .matcher import Matcher
from .store import Glossary, default_glossary_paths


@dataclass(frozen=True)
class Finding:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


_DIGITS = re.compile(r"[0-9]+")
_CN_DIGIT = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_RUN = re.compile(f"[{''.join(_CN_DIGIT)}{''.join(_CN_UNIT)}]+")
_DISTINCT = re.compile(r"distinct from ([^\s:;,()]+)")


def chinese_numeral_values(run: str) -> set[int]:
    """Readings of a Chinese numeral run: positional (十八 -> 18) and digit by digit (一二三 -> 123)."""
    out: set[int] = set()
    if all(c in _CN_DIGIT for c in run):
        out.add(int("".join(str(_CN_DIGIT[c]) for c in run)))
    total, section, digit = 0, 0, None
    for c in run:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c == "万":  # a bare 万 is ten thousand (万企帮万村)
            total += (section + (digit if digit is not None else 0 if section else 1)) * 10000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _CN_UNIT[c]
            digit = None
    out.add(total + section + (digit or 0))
    return out


def term_numbers(term: str) -> set[str]:
    """Numbers a rendering may contain: the term's Arabic digit runs and its Chinese numerals' values."""
    nums = set(_DIGITS.findall(term))
    for run in _CN_RUN.findall(term):  # every sub-run: 十三五 reads as 十三 (13) and 五 (5) too
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + 8) + 1):
                nums |= {str(v) for v in chinese_numeral_values(run[i:j])}
    return nums


def _norm(en: str) -> str:
    return " ".join(re.sub(r"[-‐–—]", " ", en.lower()).split())


def renderings_agree(short: str, long: str) -> bool:
    """True when the shorter term's rendering stands in the longer one's (case-insensitive, at a word
    start; a plural or possessive ending after it is fine: "poor household" in "poor households")."""
    return re.search(r"(?<![a-z0-9])" + re.escape(_norm(short)), _norm(long)) is not None


def check_entry(e: Entry) -> list[str]:
    """Problems of one entry's rendering on its own."""
    out: list[str] = []
    if e.blocking:
        return out
    if has_cjk(e.en):
        out.append(f"rendering of {e.zh} contains Chinese characters: {e.en!r}")
    allowed = set().union(*(term_numbers(s) for s in e.surfaces()))
    grouped = re.sub(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))", "", e.en)  # "10,000" is one number
    foreign = [d for d in _DIGITS.findall(grouped) if d not in allowed]
    if foreign:
        out.append(f"rendering of {e.zh} has digits not in the term: {', '.join(foreign)} in {e.en!r}")
    if re.match(r"(the|a|an) ", e.en):
        out.append(f"rendering of {e.zh} starts with an article: {e.en!r}")
    if e.en and e.en[-1] in ".,;:!?":
        out.append(f"rendering of {e.zh} ends with punctuation: {e.en!r}")
    return out


def check_files(paths: Sequence[str | os.PathLike[str]]) -> list[Finding]:
    """All findings for the glossary layered from ``paths`` (in order; later files win per term)."""
    findings: list[Finding] = []
    merged: dict[str, Entry] = {}
    for p in paths:
        entries = read_entries(p, strict=False)
        for msg in problems_of(entries):
            src, line, text = _split(msg)
            findings.append(Finding(src, line, text))
        layer: dict[str, Entry] = {}
        for e in entries:  # a malformed row is reported above; a duplicate's first row stands
            if not e.problems:
                layer.setdefault(e.zh, e)
        merged.update(layer)  # a later file wins per term
    findings += check_entries(list(merged.values()))
    return sorted(set(findings), key=lambda f: (f.source, f.line, f.message))


def _split(msg: str) -> tuple[str, int, str]:
    head, _, text = msg.partition(": ")
    src, _, line = head.rpartition(":")
    return src, int(line) if line.isdigit() else 0, text


def check_entries(entries: list[Entry]) -> list[Finding]:
    """Cross-entry findings on the merged (winning) entries."""
    out: list[Finding] = []

    def add(e: Entry, msg: str) -> None:
        out.append(Finding(e.source, e.line, msg))

    owner: dict[str, Entry] = {}
    for e in entries:
        for m in check_entry(e):
            add(e, m)
        for s in e.surfaces():
            if s in owner and owner[s] is not e:
                other = owner[s]
                what = "term" if s == other.zh else "a variant"
                add(
                    e,
                    f"{'variant ' if s != e.zh else 'term '}{s} of {e.zh} is also {what} of {other.zh} "
                    f"({other.where})",
                )
            else:
                owner.setdefault(s, e)
    # traditional / simplified duplicates
    for e in entries:
        for s in e.surfaces():
            if not looks_traditional(s):
                continue
            simple = t2s(s)
            twin = owner.get(simple)
            if twin is e:
                add(
                    e,
                    f"{s} is the traditional form of {simple} in the same entry (matching is already "
                    "script-independent; drop it)",
                )
            elif twin is not None:
                add(
                    e,
                    f"traditional/simplified duplicate: {s} of {e.zh} is {simple} of {twin.zh} "
                    f"({twin.where})",
                )
            elif s == e.zh:
                add(e, f"term {s} is in traditional characters; the canonical form is simplified: {simple}")
    # nested terms whose renderings disagree; blocking entries contain terms by design
    matcher = Matcher(entries)
    seen: set[tuple[int, int]] = set()
    for j, outer in enumerate(matcher.entries):
        exempt = {t for m in _DISTINCT.findall(outer.note) for t in re.split(r"[/、]", m)}
        inside = {i for s in outer.surfaces() for _, _, i in matcher.all_spans(s)} - {j}
        if outer.blocking and not inside:
            add(outer, f"blocking entry {outer.zh} contains no other term: it blocks nothing (drop it)")
        for s in outer.surfaces():
            for _, _, i in matcher.all_spans(s):
                inner = matcher.entries[i]
                if i == j or (i, j) in seen:
                    continue
                seen.add((i, j))
                if outer.blocking or inner.blocking:
                    continue
                if exempt & set(inner.surfaces()) or renderings_agree(inner.en, outer.en):
                    continue
                add(
                    outer,
                    f"nested term {inner.zh} ({inner.where}: {inner.en!r}) disagrees with "
                    f"{outer.zh}: {outer.en!r} (align them, or note 'distinct from {inner.zh}')",
                )
    # the casing rule
    rule = CasingRule(entries)
    for e in entries:
        for m in rule.problems(e):
            add(e, m)
    for e, m in same_kind_findings(entries):
        add(e, m)
    return out


def check_model(glossary: Glossary, model: str) -> list[Finding]:
    """Entries whose rendering the model's target vocabulary cannot produce (translation engine hook)."""
    from ..errors import ModelError

    try:
        from ..translate.codec import unencodable_renderings
    except ImportError as e:
        raise ModelError(
            f"cannot check renderings against model {model}: the translation engine is not available ({e})"
        ) from None
    renderings = sorted({e.en for e in glossary.entries})
    missing = unencodable_renderings(model, renderings)
    out = []
    for e in glossary.entries:
        bad = missing.get(e.en)
        if bad:
            out.append(
                Finding(
                    e.source,
                    e.line,
                    f"model {model} cannot produce the rendering of {e.zh} {e.en!r}: {' '.join(bad)}",
                )
            )
    return out


def default_paths(files: Sequence[str], default: bool) -> list[str]:
    return ([str(p) for p in default_glossary_paths()] if default else []) + list(files)
