"""Normalization: characters, line joining, spaces, punctuation, and an exact offset map."""

from pathlib import Path

import pytest

from toolkit.doc import Document
from toolkit.normalize import normalize
from toolkit.read import read

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
CJK_SPACE_CJK = r"[\u4e00-\u9fff] +[\u4e00-\u9fff]"


def norm(text: str) -> Document:
    return normalize(Document(source="t", original=text, text=text, offsets=list(range(len(text)))))


def check_offsets(doc: Document) -> None:
    assert len(doc.offsets) == len(doc.text)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:], strict=False))
    for ch, off in zip(doc.text, doc.offsets, strict=True):
        if "\u4e00" <= ch <= "\u9fff" and not "\u2e80" <= doc.original[off] <= "\u2fdf":  # radicals map
            assert doc.original[off] == ch


def test_fullwidth_to_halfwidth_but_chinese_punctuation_and_circled_digits_stay():
    doc = norm("投入资金１２００万元，覆盖ＡＢＣ农户３５６户：①增收；②就业（试点）！")
    assert doc.text == "投入资金1200万元，覆盖ABC农户356户：①增收；②就业（试点）！"
    check_offsets(doc)


def test_kangxi_radicals_and_supplement_are_mapped():
    doc = norm("⼀⽅⾯加快⻓江⻔户建设")
    assert doc.text == "一方面加快长江门户建设"


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_crlf_and_cr(eol):
    doc = norm(eol.join(["脱贫攻坚简报", "", "第93期", "一、总体要求", "全县贫困人口全部脱贫。"]))
    assert doc.text == "脱贫攻坚简报\n第93期\n一、总体要求\n全县贫困人口全部脱贫。"
    check_offsets(doc)


def test_page_break_mid_word_is_rejoined():
    para1 = "一是全篇谋划，形成整体合力。全市各民主党派开展活动，汇聚起发挥政治优势、聚力民主"
    doc = norm(f"{para1}\n\n监督、助力全面打赢脱贫攻坚战的广泛力量。\n\n二、发挥界别优势")
    assert "聚力民主监督、助力" in doc.text
    assert doc.text.endswith("力量。\n二、发挥界别优势")
    check_offsets(doc)


def test_headings_header_and_short_lines_stay_separate():
    lines = ["脱贫攻坚简报", "第93期", "四川省脱贫攻坚领导小组办公室", "2020年12月21日", "画出最大同心圆",
             "——广安市"]
    doc = norm("\n\n".join(lines) + "\n")
    assert doc.text.split("\n") == lines


def test_spaces_removed_between_cjk_and_figures_but_kept_in_latin():
    doc = norm("引进项目 18 个, 总投资超过 23.4 亿元。三 是多 形式参与 Open Source Software 项目")
    assert doc.text == "引进项目18个，总投资超过23.4亿元。三是多形式参与 Open Source Software 项目"
    check_offsets(doc)


def test_punctuation_and_quotes():
    doc = norm('分送: 致公党中央; 中农办, 各市(州)及有关县(市、区)。打造"金字招牌""同心圆",共1,000元(IOT)')
    assert doc.text == (
        "分送：致公党中央；中农办，各市（州）及有关县（市、区）。打造“金字招牌”“同心圆”，共1,000元（IOT）"
    )
    doc = norm("He said 'hello', 所谓'三农'问题")
    assert doc.text == "He said 'hello'，所谓‘三农’问题"


def test_example_has_no_space_between_cjk_and_keeps_offsets():
    import re

    doc = normalize(read(str(EXAMPLE)))
    assert not re.search(CJK_SPACE_CJK, doc.text)
    assert " " not in doc.text
    assert '"' not in doc.text and "," not in doc.text.replace("1,000", "")
    check_offsets(doc)
    i = doc.text.index("聚力民主监督")
    assert doc.original[doc.offsets[i + 4]] == "监"


def test_traditional_offsets_point_into_the_original(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("鄉村振興簡報\n\n一、強化組織領導\n\n全年投入資金　１２００萬元。\n", encoding="utf-8")
    doc = normalize(read(str(p)))
    assert doc.text == "乡村振兴简报\n一、强化组织领导\n全年投入资金1200万元。"
    i = doc.text.index("1200")
    assert doc.original[doc.offsets[i]] == "１"


def test_linear_rebuild_handles_many_lines():
    text = "\n".join(["全市各民主党派开展活动，汇聚起发挥政治优势、聚力民主监督的广泛力量。"] * 5000)
    doc = norm(text)
    assert doc.text.count("\n") == 4999


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = list("脱贫攻坚监督一二三是、。，,:;()\"' \n\r\t　１２ＡＢ12.%⼀⻓abc——①（）“”")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_offsets_stay_exact_on_arbitrary_text(text):
    doc = norm(text)
    check_offsets(doc)
    assert all(0 <= o < len(text) for o in doc.offsets)
    assert "\r" not in doc.text and "\n\n" not in doc.text
