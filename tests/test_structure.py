"""Structure: the example's acceptance checks, other shapes, sentence ids and splitting."""

import re
from pathlib import Path

from toolkit.doc import Document
from toolkit.normalize import normalize
from toolkit.pipeline import load_document
from toolkit.read import read
from toolkit.structure import split_sentences, structure

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = DATA.parent.parent / "examples" / "sichuan-poverty-2020-93.txt"


def parse_text(text: str) -> Document:
    doc = Document(source="t", original=text, text=text, offsets=list(range(len(text))))
    return structure(normalize(doc))


def test_example_acceptance():
    doc = load_document(str(EXAMPLE))
    h = doc.header
    assert (h.name, h.issue, h.date) == ("脱贫攻坚简报", 93, "2020-12-21")
    assert h.office == "四川省脱贫攻坚领导小组办公室"
    assert doc.title.text == "画出最大“同心圆”聚力决战脱贫攻坚" and doc.title.id == "t1"
    assert doc.subtitle.text == "广安市各民主党派助力全面建成小康社会" and doc.subtitle.id == "t2"
    assert len(doc.lead) == 1 and doc.lead[0].id == "s0.0.1" and doc.lead[0].text.startswith("党的十八大以来")
    assert [s.heading.text for s in doc.sections] == [
        "围绕中心大局，奏响脱贫攻坚“协奏曲”",
        "发挥界别优势，奔赴脱贫攻坚“主战场”",
        "落实各方责任，绘就民主监督“责任图”",
    ]
    assert [s.marker for s in doc.sections] == ["一、", "二、", "三、"]
    assert [len(s.points) for s in doc.sections] == [3, 4, 3]
    assert [p.marker for p in doc.sections[1].points] == ["一是", "二是", "三是", "四是"]
    p3 = doc.sections[0].points[2]
    assert p3.sentences[0].text == "建言献策，提供决策参考。" and p3.sentences[0].id == "s1.3.1"
    f = doc.footer
    assert f.distribution_label == "分送"
    assert f.distribution[:3] == ["致公党中央", "中农办", "国务院扶贫办"]
    assert "省委办公厅" in f.distribution and "省直有关部门（单位）" in f.distribution
    assert f.distribution[-1] == "各市（州）及有关县（市、区）脱贫攻坚领导小组"
    assert len(f.distribution) == 11
    assert (f.printer, f.print_date) == ("四川省脱贫攻坚领导小组办公室", "2020-12-21")
    for s in doc.sentences():
        assert not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", s.text)
        assert doc.text[s.start : s.end] == s.text
        assert s.original == doc.original[s.orig_start : s.orig_end]
    ids = [s.id for s in doc.sentences()]
    assert len(ids) == len(set(ids))
    assert "h1" in ids and "s2.4.1" in ids


def test_the_mid_word_page_break_is_one_sentence():
    doc = load_document(str(EXAMPLE))
    s = next(s for s in doc.sentences() if "聚力民主监督" in s.text)
    assert s.id == "s1.1.2"
    assert "\n\n" in s.original  # the original slice still spans the page break


def test_traditional_bulletin_keeps_its_original_for_quoting():
    doc = load_document(str(DATA / "shapes" / "traditional.txt"))
    assert doc.traditional and doc.header.issue == 12 and doc.header.date == "2021-03-05"
    assert doc.title.text == "创新发展乡村产业助力农民增收"
    assert doc.title.original.startswith("創新發展鄉村產業")
    assert [len(s.points) for s in doc.sections] == [2, 0]
    s = doc.sections[1].sentences[0]
    assert s.original == "全縣發展茶葉種植2.5萬畝，帶動就業800餘人。"
    assert doc.footer.distribution == ["省委办公厅", "省政府办公厅", "各市（州）乡村振兴局"]
    assert doc.footer.printer == "台湾事务办公室"


def test_paren_headings_arabic_points_and_no_footer():
    doc = load_document(str(DATA / "shapes" / "paren-headings.txt"))
    assert doc.title.text == "关于做好2022年春耕生产工作的通知"
    assert [(s.marker, s.style, s.heading.text) for s in doc.sections] == [
        ("（一）", "cn-paren", "总体要求"), ("（二）", "cn-paren", "保障措施")]  # ASCII brackets normalized
    first, second = doc.sections
    assert [p.marker for p in first.points] == ["1.", "2.", "3."]
    assert [s.id for s in first.sentences] == ["s1.0.1", "s1.0.2"]
    assert first.points[1].sentences[1].text == "化肥储备不少于3万吨。"
    assert [p.marker for p in second.points] == ["（1）", "（2）", "（3）"]
    assert doc.footer.distribution == [] and doc.footer.printer is None


def test_nested_sections():
    doc = parse_text("一、总体要求\n（一）指导思想。坚持稳中求进。\n（二）目标任务。到2025年取得进展。\n"
                     "二、重点任务\n（一）推进基础设施建设。加快建设。\n1.建设网络。扩大覆盖。\n具体措施如下。\n2.建设平台。")
    one, two = doc.sections
    assert [s.id for s in one.subsections] == ["1.1", "1.2"]
    assert one.subsections[0].heading.text == "指导思想。"
    assert one.subsections[0].sentences[0].id == "s1.1.0.1"
    sub = two.subsections[0]
    assert sub.id == "2.1" and [s.id for s in sub.subsections] == ["2.1.1", "2.1.2"]  # 1. heads a block
    assert sub.subsections[0].level == 3 and sub.subsections[0].heading.id == "h2.1.1"


def test_a_flattened_table_becomes_rows_of_cells():
    doc = load_document(str(DATA / "shapes" / "table-list.txt"))
    assert doc.title.text == "某县2019年贫困村基本情况"
    assert doc.lead == [] and len(doc.lead_tables) == 1
    t = doc.lead_tables[0]
    rows = [[c.text for c in row] for row in t.rows]
    assert rows == [["乡镇", "贫困村", "总人口", "贫困发生率"], ["摆所镇", "茅山村", "2929", "27.04%"],
                    ["代化镇", "斗省村", "3850", "44.08%"], ["合计", "6779", "35.56%"]]
    assert t.header_rows == 1
    cells = [s for s in doc.sentences() if s.role == "table-cell"]
    assert len(cells) == 15  # every cell is a unit the translator sees
    assert [f.text for s in cells for f in s.figures][:2] == ["2929", "27.04%"]


def test_only_headers():
    doc = load_document(str(DATA / "shapes" / "only-headers.txt"))
    assert (doc.header.name, doc.header.issue, doc.header.date) == ("脱贫攻坚简报", 5, "2019-06-01")
    assert doc.title is None and doc.sections == [] and doc.lead == []


def test_long_unpunctuated_sentence_is_one_sentence():
    text = "脱贫攻坚" * 1250
    doc = parse_text(text)
    assert [len(s.text) for s in doc.sentences()] == [5000]


def test_inline_points_after_a_colon_and_sequence_checks():
    doc = parse_text("一、主要做法\n发力推动：一是打造生态；二是研究标准；三是营造环境。统一是关键。")
    assert [p.marker for p in doc.sections[0].points] == ["一是", "二是", "三是"]
    assert doc.sections[0].points[2].sentences[-1].text == "统一是关键。"


def test_sentences_do_not_split_inside_quotes_brackets_or_figures():
    text = "他说：“要努力。要奋斗！”随后出台《关于。的方案》，投资23.4亿元（含试点；扩面）。第二句。"
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == [
        "他说：“要努力。要奋斗！”随后出台《关于。的方案》，投资23.4亿元（含试点；扩面）。", "第二句。"]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    text = "十三五”期间完成任务。第二句。"
    assert len(split_sentences(text, 0, len(text))) == 2


def test_other_real_bulletins_parse():
    for path in sorted(DATA.glob("*.txt")):
        doc = load_document(str(path))
        assert doc.sentences(), path
        for s in doc.sentences():
            assert s.text and doc.text[s.start : s.end] == s.text
    doc = load_document(str(DATA / "rural-revitalization-no1-document-2018.txt"))
    assert doc.header.date == "2018-01-02"
    assert len(doc.sections) == 12 and doc.sections[1].subsections[0].heading.text == "指导思想。"


def test_read_normalize_structure_chain_on_gb18030(tmp_path):
    p = tmp_path / "gb.txt"
    p.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    doc = structure(normalize(read(str(p))))
    assert doc.encoding == "gb18030" and [len(s.points) for s in doc.sections] == [3, 4, 3]
