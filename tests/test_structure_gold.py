"""Every shared document against the structure gold (tests/data/structure_gold.json, a verbatim copy of the
hand-made oracle): title, date and office where given, top-level headings in order, points per section
where given, and no not_content string in any title or sentence."""

import json
import unicodedata
from pathlib import Path

import pytest

from toolkit.pipeline import load_document

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = DATA.parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
GOLD = json.loads((DATA / "structure_gold.json").read_text(encoding="utf-8"))


def key(t: str | None) -> str:
    """Punctuation-, width- and space-insensitive form (the gold writes ASCII commas and quotes)."""
    t = unicodedata.normalize("NFKC", t or "")
    return "".join(c for c in t if unicodedata.category(c)[0] not in "PZC" and not c.isspace())


def path_of(name: str) -> Path:
    return EXAMPLE if name == EXAMPLE.name else DATA / name


@pytest.mark.parametrize("gold", GOLD, ids=[g["doc"] for g in GOLD])
def test_document_matches_the_gold(gold):
    doc = load_document(str(path_of(gold["doc"])))
    assert key(doc.title.text if doc.title else None) == key(gold["title"])
    if gold.get("subtitle"):
        assert doc.subtitle is not None and key(doc.subtitle.text) == key(gold["subtitle"])
    if gold.get("date"):
        assert doc.header.date == gold["date"]
    if gold.get("office"):
        assert key(doc.header.office) == key(gold["office"])
    assert [key(s.heading.text if s.heading else "") for s in doc.sections] == [
        key(h) for h in gold["headings"]
    ]
    if gold.get("points") is not None:
        assert [len(s.points) or len(s.subsections) for s in doc.sections] == gold["points"]
    texts = [key(s.text) for s in doc.sentences()]
    for nc in gold.get("not_content") or []:
        assert not any(key(nc) in t for t in texts), nc


def test_the_handbook_tables_are_tables_not_sentences():
    doc = load_document(str(DATA / "changshun-poverty-handbook-2017.txt"))
    tables = doc.all_tables()
    assert [t.caption.text for t in tables] == [
        "长顺县2017-2019年出列村基本情况",
        "长顺县2017年深度贫困村、极贫乡镇基本情况",
    ]
    first, second = tables
    assert [c.text for c in first.rows[0]] == [
        "出列年度",
        "乡镇",
        "贫困村",
        "总人口数",
        "贫困人口",
        "贫困发生率",
    ]
    assert [c.text for c in first.rows[1]] == [
        "2017",
        "（5个）",
        "长寨街道",
        "板沟村",
        "3180",
        "1050",
        "33.02",
    ]
    assert [c.text for c in second.rows[1]] == ["户", "人", "%"] and second.header_rows == 2
    assert [c.text for c in second.rows[-1]] == ["合计", "6303", "25039", "31.81%"]
    assert second.units == ["户", "人", "%"]
    # the page-break repetition of caption and header is set aside, not a row
    assert sum(1 for row in first.rows if row[0].text == "出列年度") == 1
    repeated = [b for b in doc.meta["boilerplate"] if b["kind"] == "repeated-table-header"]
    assert [b["text"] for b in repeated][:2] == ["长顺县2017-2019年出列村基本情况", "出列年度"]
    bodies = [s for s in doc.sentences() if s.role in ("body", "point", "lead")]
    assert not any(s.text in ("3180", "乡镇", "贫困发生率") for s in bodies)


def test_tables_and_roles_survive_a_json_round_trip():
    from toolkit.doc import Document

    doc = load_document(str(DATA / "changshun-poverty-handbook-2017.txt"))
    back = Document.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False)))
    assert [(s.id, s.role, s.text) for s in back.sentences()] == [
        (s.id, s.role, s.text) for s in doc.sentences()
    ]
    assert [t.units for t in back.all_tables()] == [t.units for t in doc.all_tables()]
