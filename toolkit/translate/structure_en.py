"""English for the bulletin's furniture: section and point markers, header and footer lines.

Markers are not translated by the model: they are rendered here so that the English keeps the
bulletin's structure exactly (一、 -> "I.", （一） -> "(1)", 1. -> "1.", 一是 -> "First,").
"""

from __future__ import annotations

from ..doc import Document, Point, Section

_ORDINALS = (
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
    "Twentieth",
)
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_WORD_MARKERS = {"首先": "First,", "其次": "Second,", "再次": "Next,", "然后": "Then,", "最后": "Finally,"}


def roman(n: int) -> str:
    """1 -> I, 4 -> IV, 12 -> XII."""
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def section_label(sec: Section) -> str:
    """The English marker of a section heading: I. / (1) / 1. / Part I."""
    if sec.style == "cn-dun":
        return f"{roman(sec.number)}."
    if sec.style == "cn-paren":
        return f"({sec.number})"
    if sec.style == "part":
        return f"Part {roman(sec.number)}"
    if sec.style == "item":
        return ""  # an item of a multi-item document is headed by its own title, unnumbered
    return f"{sec.number}."


def point_label(point: Point) -> str:
    """The English opener of a point: First, / Second, / Finally, / (1)."""
    marker = point.marker.strip()
    if marker in _WORD_MARKERS:
        return _WORD_MARKERS[marker]
    if (marker.endswith(("是", "要")) or marker.startswith("第")) and 1 <= point.number <= len(_ORDINALS):
        return f"{_ORDINALS[point.number - 1]},"  # 一是 / 一要 / 第一
    if marker.startswith(("—", "-", "－")):
        return "—"
    return f"({point.number})"


def _en(doc: Document, key: str) -> str | None:
    sent = doc.labels.get(key)
    return sent.en if sent is not None and sent.en else None


def english_furniture(doc: Document, figures: str = "verbatim") -> dict:
    """Header, section headings and footer in English, from the translated labels and markers; in the
    ``english`` figures mode dates read "December 21, 2020" (verbatim keeps the ISO date)."""
    from .figures_en import english_date

    h, f = doc.header, doc.footer
    date = english_date(h.date) if figures == "english" and h.date else h.date
    print_date = english_date(f.print_date) if figures == "english" and f.print_date else f.print_date
    headings = {}
    for sec in doc.iter_sections():
        text = sec.heading.en if sec.heading is not None and sec.heading.en else ""
        headings[sec.id] = f"{section_label(sec)} {text}".strip()
    recipients = [_en(doc, f"x.dist.{i}") or r for i, r in enumerate(f.distribution, 1)]
    printed = None
    if f.printer or f.print_date:
        printer = _en(doc, "x.printer") or f.printer
        printed = f"Printed and issued by {printer}" if printer else "Printed and issued"
        if print_date:
            printed += f" on {print_date}"
    signed = None
    if f.signer or f.sign_date:
        signer = _en(doc, "x.signer") or f.signer
        signed = ", ".join(x for x in (signer, f.sign_date) if x)
    to = [_en(doc, f"x.to.{i}") or r for i, r in enumerate(h.addressees, 1)]
    return {
        "header": {
            "name": _en(doc, "x.name") or h.name,
            "issue": f"Issue {h.issue}" if h.issue is not None else None,
            "office": _en(doc, "x.office") or h.office,
            "date": date,
        },
        "headings": headings,
        "points": {f"{sec.id}.{p.number}": point_label(p) for sec in doc.iter_sections() for p in sec.points},
        "footer": {
            "distribution": f"Distribution: {'; '.join(recipients)}" if recipients else None,
            "printed": printed,
            "signed": signed,
        },
        "addressees": f"To: {'; '.join(to)}" if to else None,
    }
