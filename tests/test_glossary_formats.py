"""Glossary formats: lossless round trips, strict TSV rows, safe TBX parsing."""

from __future__ import annotations

import pytest

from toolkit.errors import GlossaryError, InputError
from toolkit.glossary.entry import Entry
from toolkit.glossary.formats import dumps, parse, read_entries, write_entries

ENTRIES = [
    Entry(
        "中国民主促进会",
        "China Association for Promoting Democracy",
        ("民进",),
        "united-front",
        "CAPD <own> & name",
    ),
    Entry("脱贫攻坚", "poverty alleviation", (), "poverty", 'also "fight against poverty"'),
    Entry("十八大", "18th CPC National Congress", ("党的十八大", "中共十八大"), "cpc", ""),
    Entry("逗号,词", "comma, term", (), "", ""),
]
KEY = [(e.zh, e.en, e.variants, e.category, e.note) for e in sorted(ENTRIES, key=lambda e: e.zh)]


@pytest.mark.parametrize("fmt", ["tsv", "tbx", "json"])
def test_round_trip_keeps_every_field(tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    write_entries(path, ENTRIES)
    back = read_entries(path)
    assert [(e.zh, e.en, e.variants, e.category, e.note) for e in back] == KEY
    assert all(e.line > 0 and e.source == str(path) for e in back)


def test_csv_round_trips_zh_and_en_in_deepl_layout(tmp_path):
    path = tmp_path / "g.csv"
    write_entries(path, ENTRIES)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "中国民主促进会,China Association for Promoting Democracy"
    assert '"逗号,词","comma, term"' in text
    assert [(e.zh, e.en) for e in read_entries(path)] == [(k[0], k[1]) for k in KEY]


def test_csv_variants_as_rows_and_header_skipped():
    text = dumps(ENTRIES, "csv", variants_as_rows=True)
    assert "民进,China Association for Promoting Democracy" in text
    entries = parse("zh,en\n扶贫,poverty alleviation\n", "csv", "x.csv")
    assert [(e.zh, e.en) for e in entries] == [("扶贫", "poverty alleviation")]


def test_tsv_is_sorted_by_code_point():
    lines = dumps(ENTRIES, "tsv").splitlines()
    assert lines[0] == "zh\ten\tvariants\tcategory\tnote"
    assert [ln.split("\t")[0] for ln in lines[1:]] == sorted(e.zh for e in ENTRIES)
    assert "十八大\t18th CPC National Congress\t党的十八大|中共十八大\tcpc\t" in lines


@pytest.mark.parametrize(
    "row,message",
    [
        ("扶贫\tpoverty alleviation\t\t\n", "expected 5 tab-separated columns, found 4"),
        ("\tpoverty alleviation\t\t\t\n", "empty zh"),
        ("扶贫\t\t\t\t\n", "empty en"),
        ("扶贫\tpoverty alleviation \t\t\t\n", "whitespace padding in en"),
        ("扶贫\tpoverty alleviation\t脱贫|\t\t\n", "empty variant"),
    ],
)
def test_malformed_row_names_file_and_line(tmp_path, row, message):
    path = tmp_path / "bad.tsv"
    path.write_text(
        "zh\ten\tvariants\tcategory\tnote\n脱贫\tpoverty elimination\t\t\t\n" + row, encoding="utf-8"
    )
    with pytest.raises(GlossaryError, match=f"^{path}:3: {message}"):
        read_entries(path)


def test_duplicate_term_in_one_file_is_an_error(tmp_path):
    path = tmp_path / "dup.tsv"
    path.write_text("zh\ten\tvariants\tcategory\tnote\n扶贫\ta\t\t\t\n扶贫\tb\t\t\t\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r":3: duplicate term 扶贫 \(first at line 2\)"):
        read_entries(path)


def test_missing_header_undecodable_and_missing_file(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text("扶贫\tpoverty alleviation\t\t\t\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=":1: expected the header"):
        read_entries(p)
    p.write_bytes("zh\ten\tvariants\tcategory\tnote\n扶贫".encode("gbk"))
    with pytest.raises(GlossaryError, match=":2: not UTF-8"):
        read_entries(p)
    with pytest.raises(InputError, match="no such file"):
        read_entries(tmp_path / "none.tsv")


def test_bom_and_crlf_are_tolerated(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_bytes("\ufeffzh\ten\tvariants\tcategory\tnote\r\n扶贫\tpoverty alleviation\t\t\t\r\n".encode())
    assert [(e.zh, e.en) for e in read_entries(p)] == [("扶贫", "poverty alleviation")]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="zh"><tig><term>&d;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry></body></text></martif>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="zh"><tig><term>&xxe;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry></body></text></martif>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_tbx_refuses_entities(tmp_path, xml):
    p = tmp_path / "evil.tbx"
    p.write_text(xml, encoding="utf-8")
    with pytest.raises(GlossaryError, match="unsafe XML refused"):
        read_entries(p)


def test_tbx_v3_and_broken_xml(tmp_path):
    p = tmp_path / "v3.tbx"
    p.write_text(
        """<?xml version="1.0"?><tbx type="TBX-Basic" style="dca" xml:lang="en"><text><body>
<conceptEntry id="c1"><descrip type="subjectField">poverty</descrip>
<langSec xml:lang="zh-CN"><termSec><term>扶贫</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>poverty alleviation</term></termSec></langSec></conceptEntry>
</body></text></tbx>""",
        encoding="utf-8",
    )
    [e] = read_entries(p)
    assert (e.zh, e.en, e.category, e.line) == ("扶贫", "poverty alleviation", "poverty", 2)
    p.write_text("<martif><text><body><termEntry></body></martif>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not well-formed TBX"):
        read_entries(p)


def test_tbx_entry_without_english_is_reported_with_its_line(tmp_path):
    p = tmp_path / "g.tbx"
    p.write_text(
        '<martif type="TBX-Basic"><text><body>\n<termEntry>\n<langSet xml:lang="zh"><tig><term>扶贫</term>'
        "</tig></langSet></termEntry></body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match=r"g.tbx:2: termEntry needs exactly one en term"):
        read_entries(p)


def test_json_errors_carry_lines(tmp_path):
    p = tmp_path / "g.json"
    p.write_text(
        '{"entries": [\n {"zh": "扶贫", "en": "poverty alleviation"},\n {"zh": "脱贫", "en": ""}\n]}',
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match=r"g.json:3: empty en"):
        read_entries(p)
    p.write_text('{"entries": [', encoding="utf-8")
    with pytest.raises(GlossaryError, match="not valid JSON"):
        read_entries(p)
