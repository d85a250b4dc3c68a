"""QA of a translated document, independent of the decoder.

Per sentence (one that has been translated: ``en`` is not None):
- every constraint's ``en`` is present as many times as constraints require it. An occurrence counts only
  as a whole: not glued to a letter or digit on a side where the constraint itself ends in one, and a
  constraint that starts/ends with a digit must start/end a digit run ("18" is not in "2018", "180" or
  "18.5"); only the sentence's first letter may differ in case. Longer constraints claim their
  occurrences first, so "poverty alleviation" inside a claimed "targeted poverty alleviation" does not
  count twice;
- every figure is right by value: an independent reader of English (``toolkit.figures_read_en``, not the
  renderer run backwards) reads each figure constraint's English back into value, qualifier, unit, rate,
  date and relation, and it must equal what the source figure says (``source_reading``): a renderer that
  rounds, drops a qualifier or shifts a month is caught, and so is a lost or added sign (a negative
  source figure - 零下5摄氏度, -2.5%, 负增长3.2% - is a negative value, "5 degrees Celsius" is not it);
- no foreign figure, by value: every figure of ``en`` that shows a digit must be one of the figures read
  from the constraints' English (each proven equal to its source above, or a glossary rendering), counted
  with multiplicity (a figure used more often than the source has it is foreign too); a digit run that no
  pattern explains is read as a bare number, so no digit escapes; a sign is part of the value, so "-5"
  where the source has 5 (or "5" where it has -5) is foreign;
- every figure span of the source is covered by a constraint (a figure constraint, or a term whose span
  contains it, 十八大 -> "18th CPC National Congress");
- no Chinese characters left; no empty translation of a non-empty sentence.

Digit runs are ``toolkit.numbers.digit_runs`` (the one home for numbers): "1,685.08", "23.4" and "10,000"
are one run each; "2014,2015" is two, "2020-12-21" three, a sentence-final "18." is "18".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .chinese import is_cjk
from .doc import Document, Figure, Sentence
from .figures import exact_value, qualifier_code
from .figures_read_en import Reading, read_english
from .numbers import digit_runs, to_decimal
from .numerals import cn_int
from .occurrences import claim

__all__ = [
    "check_document",
    "check_sentence",
    "digit_runs",
    "figure_key",
    "qa_summary_line",
    "source_reading",
]

_CJK_SHOWN = 10  # distinct leftover characters quoted in a finding

#: what each Chinese unit measures, as the English reader names it (classifiers: absent, no unit to check)
SOURCE_UNITS = {
    "元": "yuan",
    "人民币": "yuan",
    "美元": "usd",
    "港元": "hkd",
    "港币": "hkd",
    "新台币": "twd",
    "欧元": "eur",
    "亩": "mu",
    "公顷": "hectare",
    "平方公里": "km2",
    "平方千米": "km2",
    "平方米": "m2",
    "立方米": "m3",
    "公里": "km",
    "千米": "km",
    "厘米": "cm",
    "毫米": "mm",
    "米": "m",
    "吨": "ton",
    "公斤": "kg",
    "千克": "kg",
    "克": "g",
    "斤": "jin",
    "千瓦时": "kwh",
    "千瓦": "kw",
    "兆瓦": "mw",
    "瓦": "w",
    "人": "person",
    "户": "household",
    "人次": "person-time",
    "户次": "household-time",
    "次": "time",
    "倍": "time",
    "场次": "session",
    "场": "session",
    "年": "year",
    "个月": "month",
    "天": "day",
    "周": "week",
    "小时": "hour",
    "分钟": "minute",
    "秒": "second",
    "百分点": "point",
    "个百分点": "point",
    "%": "percent",
    "‰": "permille",
    "成": "percent",
    "羽": "bird",
    "头": "head",
    "镇": "town",
    "乡": "township",
    "村": "village",
    "县": "county",
    "区": "district",
    "市": "city",
    "省": "province",
    "床": "bed",
    "级": "level",
    "岁": "age",
    "周岁": "age",
    "摄氏度": "celsius",
    "℃": "celsius",
}
_SOURCE_PER = {
    "户": "household",
    "人": "person",
    "亩": "mu",
    "年": "year",
    "月": "month",
    "天": "day",
    "吨": "ton",
    "公斤": "kg",
    "千克": "kg",
}
_LABELS = {
    "期": "issue",
    "号": "no",
    "条": "article",
    "章": "chapter",
    "节": "section",
    "款": "paragraph",
    "部分": "part",
    "卷": "volume",
    "页": "page",
    "版": "edition",
}
_PARTS = {"end": "end", "early": "early", "mid": "mid", "late": "late"}


def _iso_date(iso: str) -> tuple[int | None, int | None, int | None]:
    if iso.startswith("---"):
        return None, None, int(iso[3:])
    if iso.startswith("--"):
        bits = [int(x) for x in iso[2:].split("-")]
        return None, bits[0], bits[1] if len(bits) > 1 else None
    bits = [int(x) for x in iso.split("-")]
    return bits[0], bits[1] if len(bits) > 1 else None, bits[2] if len(bits) > 2 else None


def source_reading(fig: Figure) -> Reading:
    """What a source figure says, in the terms of the English reader (the truth QA compares against)."""
    unit = SOURCE_UNITS.get(fig.unit or "")
    qual = qualifier_code(fig.approx)
    if fig.kind == "date":
        return Reading("date", date=_iso_date(fig.iso or ""), relation=fig.relation, part=fig.part)
    if fig.kind == "year":
        return Reading(
            "number", value=to_decimal(fig.iso or fig.digits), relation=fig.relation, part=fig.part
        )
    if fig.kind == "decade":
        return Reading("decade", value=to_decimal(str(int(fig.value or 0))), part=fig.part)
    if fig.kind == "ordinal":
        return Reading(
            "ordinal", value=to_decimal(str(int(fig.value or 0))), unit=_LABELS.get(fig.unit or "")
        )
    if fig.kind == "grade":
        return Reading("grade", value=to_decimal(str(int(fig.value or 0))))
    if fig.kind == "fraction":
        den, num = fig.parts or ["", ""]
        d = cn_int(den) or 1
        n = to_decimal(num) if num[:1].isdigit() else to_decimal(str(cn_int(num) or 0))
        if d == 10:  # tenths are tens of percent however they are written (one tenth, 3成, 30%)
            return Reading("number", value=n * 10, qualifier=qual, unit="percent")
        return Reading("fraction", value=n / to_decimal(str(d)), qualifier=qual)
    if fig.kind in ("docnum", "time", "ratio"):
        items = tuple(to_decimal(x) for x in fig.parts or [])
        return Reading("docnum" if fig.kind == "docnum" else "pair", items=items)
    if fig.kind == "range" and fig.unit in ("月", "日"):  # months of a year, days of a month
        lo, hi = fig.parts or ["0", "0"]
        y, _, mo = (fig.iso or "").partition("-")
        if fig.unit == "月":
            return Reading("range", value=to_decimal(lo), hi=to_decimal(hi), unit="calendar-month",
                           date=(int(y), None, None) if y else None)
        return Reading("range", value=to_decimal(lo), hi=to_decimal(hi), unit="calendar-day",
                       date=(int(y) if y else None, int(mo.lstrip("-")), None))
    if fig.kind == "code":
        return Reading("number", value=to_decimal(fig.digits))
    scale = to_decimal("1E" + str(_power(fig.magnitude)))
    if fig.kind == "range":
        lo, hi = fig.parts or fig.digits.split("-")
        years = fig.unit == "年" and len(lo) == 4 and len(hi) == 4
        return Reading(
            "range",
            value=to_decimal(lo) * scale,
            hi=to_decimal(hi) * scale,
            unit=None if years else unit,
            qualifier=qual,
        )
    if fig.parts and len(fig.parts) >= 2 and not ("亿" in fig.text and "万" in fig.text.split("亿", 1)[1]):
        return Reading("list", items=tuple(to_decimal(x) * scale for x in fig.parts), unit=unit)
    value = exact_value(fig)
    if fig.unit == "成":
        value = to_decimal(str(fig.value))
    rel = "past" if fig.relation == "past" else None
    return Reading(
        "number", value=value, qualifier=qual, unit=unit, per=_SOURCE_PER.get(fig.per or ""), relation=rel
    )


def _power(magnitude: str | None) -> int:
    from .figures import magnitude_power

    return magnitude_power(magnitude)


_FIELDS = ("kind", "value", "hi", "items", "qualifier", "unit", "per", "date", "relation", "part")


def _differences(want: Reading, got: Reading) -> str:
    """What differs, field by field; a value that differs only in sign says so first ("sign lost")."""
    found = [
        f"{k} {getattr(got, k)!s} not {getattr(want, k)!s}"
        for k in _FIELDS
        if getattr(want, k) != getattr(got, k)
    ]
    if want.value and got.value == -want.value:
        found.insert(0, "sign lost" if want.value < 0 else "sign added")
    return ", ".join(found)


def figure_key(r: Reading) -> tuple:
    """What must not be invented: the number(s) or date, whatever the words around them."""
    return (r.kind, r.value, r.hi, r.items, r.date)


@dataclass
class _Audit:
    findings: list[str] = field(default_factory=list)
    constraints: int = 0
    satisfied: int = 0
    foreign: int = 0
    wrong_values: int = 0


def _check_constraints(sent: Sentence, en: str, audit: _Audit) -> None:
    required = Counter(c.en for c in sent.constraints)
    audit.constraints += sum(required.values())
    if "" in required:
        for c in sent.constraints:
            if not c.en:
                audit.findings.append(f"empty constraint for '{c.src}'")
        del required[""]
    claimed = claim(en, dict(required), case_sensitive=True, whole=True, first_letter_free=True)
    for target in sorted(required, key=lambda t: (-len(t), t)):
        got, need = len(claimed[target]), required[target]
        audit.satisfied += min(got, need)
        if got < need:
            audit.findings.append(f"missing constraint '{target}' ({got} of {need})")


def _check_values(sent: Sentence, audit: _Audit) -> None:
    """Each figure constraint's English, read back independently, says what its source figure says."""
    figures = {(f.start, f.end): f for f in sent.figures}
    for c in sent.constraints:
        fig = figures.get((c.start, c.end))
        if c.kind != "figure" or fig is None or not c.en:
            continue
        got = read_english(c.en)
        want = source_reading(fig)
        if len(got) != 1:
            audit.wrong_values += 1
            audit.findings.append(f"figure '{fig.text}' does not read as one figure: '{c.en}'")
        elif got[0] != want:
            audit.wrong_values += 1
            audit.findings.append(
                f"figure '{fig.text}' reads wrong in '{c.en}': {_differences(want, got[0])}"
            )


def _check_foreign(sent: Sentence, en: str, audit: _Audit) -> None:
    """Every figure of the English that shows a digit is one the constraints carry (by value)."""
    allowed = Counter(figure_key(r) for c in sent.constraints for r in read_english(c.en))
    seen: dict[tuple, list[Reading]] = {}
    for r in read_english(en):
        if r.has_digits:
            seen.setdefault(figure_key(r), []).append(r)
    for key, readings in seen.items():
        n = len(readings)
        extra = n - allowed[key]
        if extra <= 0:
            continue
        audit.foreign += extra
        text = readings[0].text
        if allowed[key]:
            audit.findings.append(f"foreign figure '{text}' ({n} times, the source has it {allowed[key]})")
        else:
            audit.findings.append(f"foreign figure '{text}'" + (f" ({n} times)" if n > 1 else ""))


def _check_coverage(sent: Sentence, audit: _Audit) -> None:
    spans = [(c.start, c.end) for c in sent.constraints if c.start >= 0]
    for f in sent.figures:
        if not any(a <= f.start and f.end <= b for a, b in spans):
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
    _check_values(sent, audit)
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
    totals = {
        "sentences": 0,
        "violations": 0,
        "constraints": 0,
        "satisfied": 0,
        "foreign_figures": 0,
        "wrong_values": 0,
    }
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
        totals["wrong_values"] += audit.wrong_values
    doc.meta["qa"] = totals
    return totals


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def unencodable_warning(doc: Document, model: object) -> str | None:
    """The warning for constraints ``model``'s vocabulary cannot spell (never silent), or None."""
    bad = doc.meta.get("unencodable") or {}
    if not bad:
        return None
    items = "; ".join(f"{r!r} ({' '.join(chars)})" for r, chars in sorted(bad.items()))
    return (f"model {model} cannot spell {len(bad)} constraint(s): {items}; "
            f"see `bulletin glossary check --model {model}`")


def qa_summary_line(totals: dict[str, Any]) -> str:
    """One line for stderr: "QA: 37 sentences, 142/142 constraints, 0 foreign figures, 0 violations"."""
    cons = totals.get("constraints", 0)
    return (
        f"QA: {_n(totals.get('sentences', 0), 'sentence')}, "
        f"{totals.get('satisfied', 0)}/{cons} constraint{'' if cons == 1 else 's'}, "
        f"{_n(totals.get('foreign_figures', 0), 'foreign figure')}, "
        + (f"{_n(totals['wrong_values'], 'wrong figure value')}, " if totals.get("wrong_values") else "")
        + f"{_n(totals.get('violations', 0), 'violation')}"
    )
