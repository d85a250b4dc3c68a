"""QA of a translated document, independent of the decoder.

Per sentence (one that has been translated: ``en`` is not None):
- every constraint's ``en`` is present as many times as constraints require it. An occurrence counts only
  as a whole: not glued to a letter or digit on a side where the constraint itself ends in one, and a
  constraint that starts/ends with a digit must start/end a digit run ("18" is not in "2018", "180" or
  "18.5"); only the sentence's first letter may differ in case. Longer constraints claim their
  occurrences first, so "poverty alleviation" inside a claimed "targeted poverty alleviation" does not
  count twice;
- no foreign figure: every digit run of ``en`` is accounted for by the digit runs of the constraints'
  English, counted with multiplicity (a figure from the source used more often than the source has it
  is foreign too);
- every figure span of the source is covered by a constraint (a figure constraint, or a term whose span
  contains it, 十八大 -> "18th CPC National Congress");
- no Chinese characters left; no empty translation of a non-empty sentence.

A digit run (``digit_runs``) is ``\\d+`` extended by thousands groups ``,ddd`` and one decimal part
``.d+``: "1,685.08", "23.4" and "10,000" are one run each; "2014,2015" is two, "2020-12-21" three, and
a sentence-final "18." is "18". ``\\d`` is any Unicode digit, so a full-width "２" is a run that no
(ASCII) constraint accounts for.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .chinese import is_cjk
from .doc import Document, Sentence

DIGIT_RUN = re.compile(r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?")
_CJK_SHOWN = 10  # distinct leftover characters quoted in a finding


def digit_runs(text: str) -> list[str]:
    """The figures of an English text, in order (see the module docstring for the tokenization)."""
    return DIGIT_RUN.findall(text)


@dataclass
class _Audit:
    findings: list[str] = field(default_factory=list)
    constraints: int = 0
    satisfied: int = 0
    foreign: int = 0


def _occurrences(en: str, text: str, run_starts: set[int], run_ends: set[int]) -> list[tuple[int, int]]:
    """Non-overlapping whole occurrences of ``en`` in ``text``, left to right."""
    if text[:1] != en[:1] and text[:1].lower() == en[:1].lower():
        text = en[0] + text[1:]  # "Poverty alleviation ..." opens a sentence with "poverty alleviation"
    out: list[tuple[int, int]] = []
    i = text.find(en)
    while i != -1:
        j = i + len(en)
        ok = not (
            (en[0].isalnum() and i > 0 and text[i - 1].isalnum())
            or (en[-1].isalnum() and j < len(text) and text[j].isalnum())
            or (en[0].isdigit() and i not in run_starts)
            or (en[-1].isdigit() and j not in run_ends)
        )
        if ok:
            out.append((i, j))
            i = text.find(en, j)
        else:
            i = text.find(en, i + 1)
    return out


def _check_constraints(sent: Sentence, en: str, audit: _Audit) -> None:
    required = Counter(c.get("en") or "" for c in sent.constraints)
    audit.constraints += sum(required.values())
    if "" in required:
        for c in sent.constraints:
            if not c.get("en"):
                audit.findings.append(f"empty constraint for '{c.get('src', '')}'")
        del required[""]
    runs = [m.span() for m in DIGIT_RUN.finditer(en)]
    starts, ends = {a for a, _ in runs}, {b for _, b in runs}
    claimed: list[tuple[int, int]] = []
    for target in sorted(required, key=lambda t: (-len(t), t)):
        free = [
            (a, b) for a, b in _occurrences(target, en, starts, ends)
            if all(b <= x or a >= y for x, y in claimed)
        ]
        need = required[target]
        claimed += free[:need]
        audit.satisfied += min(len(free), need)
        if len(free) < need:
            audit.findings.append(f"missing constraint '{target}' ({len(free)} of {need})")


def _check_foreign(sent: Sentence, en: str, audit: _Audit) -> None:
    allowed = Counter(r for c in sent.constraints for r in digit_runs(c.get("en") or ""))
    seen = Counter(digit_runs(en))
    for run, n in seen.items():
        extra = n - allowed[run]
        if extra <= 0:
            continue
        audit.foreign += extra
        if allowed[run]:
            audit.findings.append(f"foreign figure '{run}' ({n} times, the source has it {allowed[run]})")
        else:
            audit.findings.append(f"foreign figure '{run}'" + (f" ({n} times)" if n > 1 else ""))


def _check_coverage(sent: Sentence, audit: _Audit) -> None:
    spans = [(c.get("start"), c.get("end")) for c in sent.constraints]
    for f in sent.figures:
        if not any(a is not None and b is not None and a <= f.start and f.end <= b for a, b in spans):
            audit.findings.append(f"figure '{f.text}' has no constraint")


def _audit(sent: Sentence) -> _Audit:
    audit = _Audit()
    en = sent.en or ""
    if not en.strip():
        if sent.text.strip():
            audit.findings.append("empty translation")
        audit.constraints = len(sent.constraints)
        return audit
    _check_constraints(sent, en, audit)
    _check_foreign(sent, en, audit)
    _check_coverage(sent, audit)
    left = list(dict.fromkeys(c for c in en if is_cjk(c)))
    if left:
        more = "…" if len(left) > _CJK_SHOWN else ""
        audit.findings.append(f"Chinese characters left: {''.join(left[:_CJK_SHOWN])}{more}")
    return audit


def check_sentence(sent: Sentence) -> list[str]:
    """The QA findings of one translated sentence (empty list = clean); does not modify ``sent``."""
    return _audit(sent).findings


def check_document(doc: Document) -> dict[str, int]:
    """QA every translated unit: fills each ``qa`` list, stores and returns the totals.

    Units whose ``en`` is None (not translated, e.g. outside a summary) are skipped and keep their ``qa``.
    ``violations`` is the number of findings, ``foreign_figures`` the number of foreign digit runs.
    """
    units = doc.all_sentences() if hasattr(doc, "all_sentences") else doc.sentences()
    totals = {"sentences": 0, "violations": 0, "constraints": 0, "satisfied": 0, "foreign_figures": 0}
    for sent in units:
        if sent.en is None:
            continue
        audit = _audit(sent)
        sent.qa = audit.findings
        totals["sentences"] += 1
        totals["violations"] += len(audit.findings)
        totals["constraints"] += audit.constraints
        totals["satisfied"] += audit.satisfied
        totals["foreign_figures"] += audit.foreign
    doc.meta["qa"] = totals
    return totals


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def qa_summary_line(totals: dict[str, Any]) -> str:
    """One line for stderr: "QA: 37 sentences, 142/142 constraints, 0 foreign figures, 0 violations"."""
    cons = totals.get("constraints", 0)
    return (
        f"QA: {_n(totals.get('sentences', 0), 'sentence')}, "
        f"{totals.get('satisfied', 0)}/{cons} constraint{'' if cons == 1 else 's'}, "
        f"{_n(totals.get('foreign_figures', 0), 'foreign figure')}, "
        f"{_n(totals.get('violations', 0), 'violation')}"
    )
