"""Figures: every figure of the example bulletin exactly once with its unit, and the hard cases."""

from pathlib import Path

import pytest

from toolkit.figures import find_figures
from toolkit.normalize import normalize
from toolkit.pipeline import load_document
from toolkit.read import read

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"

# (text, kind, digits, magnitude, unit, approx) in document order, read by hand from the example
EXPECTED = [
    ("第93期", "ordinal", "93", None, "期", None),
    ("2020年12月21日", "date", "2020-12-21", None, None, None),
    ("十八大", "ordinal", "", None, "大", None),
    ("10余次", "count", "10", None, "次", "余"),
    ("近100次", "count", "100", None, "次", "近"),
    ("18个", "count", "18", None, "个", None),
    ("超过23.4亿元", "amount", "23.4", "亿", "元", "超过"),
    ("60余次", "count", "60", None, "次", "余"),
    ("2014年以来", "year", "2014", None, "年", None),
    ("150余件", "count", "150", None, "件", "余"),
    ("400余条", "count", "400", None, "条", "余"),
    ("30余篇", "count", "30", None, "篇", "余"),
    ("88个", "count", "88", None, "个", None),
    ("954户", "count", "954", None, "户", None),
    ("564个", "count", "564", None, "个", None),
    ("约18.92亿元", "amount", "18.92", "亿", "元", "约"),
    ("5000万元", "amount", "5000", "万", "元", None),
    ("100余名", "count", "100", None, "名", "余"),
    ("9000万元", "amount", "9000", "万", "元", None),
    ("800余人", "count", "800", None, "人", "余"),
    ("9个", "count", "9", None, "个", None),
    ("约10.2亿元", "amount", "10.2", "亿", "元", "约"),
    ("近10000人", "count", "10000", None, "人", "近"),
    ("4.8亿元", "amount", "4.8", "亿", "元", None),
    ("200余亩", "count", "200", None, "亩", "余"),
    ("4个", "count", "4", None, "个", None),
    ("900余名", "count", "900", None, "名", "余"),
    ("100余个", "count", "100", None, "个", "余"),
    ("6000余户", "count", "6000", None, "户", "余"),
    ("1.2万余亩", "count", "1.2", "万", "亩", "余"),
    ("1000余个", "count", "1000", None, "个", "余"),
    ("3000元以上", "amount", "3000", None, "元", "以上"),
    ("900余场次", "count", "900", None, "场次", "余"),
    ("近1700万元", "amount", "1700", "万", "元", "近"),
    ("22.38万人", "count", "22.38", "万", "人", None),
    ("304次", "count", "304", None, "次", None),
    ("100余场次", "count", "100", None, "场次", "余"),
    ("约3万人", "count", "3", "万", "人", "约"),
    ("90余次", "count", "90", None, "次", "余"),
    ("10000余人次", "count", "10000", None, "人次", "余"),
    ("75000余份", "count", "75000", None, "份", "余"),
    ("32.8万余元", "amount", "32.8", "万", "元", "余"),
    ("140余次", "count", "140", None, "次", "余"),
    ("4800余人", "count", "4800", None, "人", "余"),
    ("200余场次", "count", "200", None, "场次", "余"),
    ("500余万元", "amount", "500", "万", "元", "余"),
    ("约6万人", "count", "6", "万", "人", "约"),
    ("240余次", "count", "240", None, "次", "余"),
    ("182.3万余元", "amount", "182.3", "万", "元", "余"),
    ("1685.08万元", "amount", "1685.08", "万", "元", None),
    ("300万元", "amount", "300", "万", "元", None),
    ("20多个", "count", "20", None, "个", "多"),
    ("10.17", "date", "10.17", None, None, None),
    ("自2015年以来", "year", "2015", None, "年", None),
    ("1.53亿元", "amount", "1.53", "亿", "元", None),
    ("72777", "code", "72777", None, None, None),
    ("7个", "count", "7", None, "个", None),
    ("7个", "count", "7", None, "个", None),
    ("7个", "count", "7", None, "个", None),
    ("2项", "count", "2", None, "项", None),
    ("7个", "count", "7", None, "个", None),
    ("7", "count", "7", None, None, None),  # 7大特色品牌: "7 major brands"
    ("7个", "count", "7", None, "个", None),
    ("45名", "count", "45", None, "名", None),
    ("2020年12月21日", "date", "2020-12-21", None, None, None),
]


def _tuple(f):
    return (f.text, f.kind, f.digits, f.magnitude, f.unit, f.approx)


def test_every_figure_of_the_example_exactly_once():
    text = normalize(read(str(EXAMPLE))).text
    assert [_tuple(f) for f in find_figures(text)] == EXPECTED


def test_sentence_figures_are_the_body_figures():
    doc = load_document(str(EXAMPLE))
    found = [_tuple(f) for s in doc.sentences() for f in s.figures]
    assert found == EXPECTED[2:-1]  # header issue/date and the printing date are not sentences
    for s in doc.sentences():
        for f in s.figures:
            assert s.text[f.start : f.end] == f.text


def test_values_iso_and_numerals():
    text = "2020年12月21日，党的十八大以来，“10.17”扶贫日，1,000元，投资约18.92亿元"
    figs = {f.text: f for f in find_figures(text)}
    assert figs["2020年12月21日"].iso == "2020-12-21"
    assert figs["十八大"].value == 18 and figs["十八大"].numeral == "十八"
    assert figs["10.17"].iso == "--10-17"
    assert figs["1,000元"].value == 1000 and figs["1,000元"].digits == "1,000"
    assert figs["约18.92亿元"].value == 18.92


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014年以来", [("2014年以来", "year")]),
        ("2015年3月", [("2015年3月", "date")]),
        ("要有1-2个主导产业", [("1-2个", "range")]),
        ("规划（2018-2022年）", [("2018-2022年", "range")]),
        ("组成5～7人", [("5～7人", "range")]),
        ("下降3%左右", [("3%左右", "percent")]),
        ("下降4.3个百分点", [("4.3个百分点", "percent")]),
        ("以72777工作思路", [("72777", "code")]),
        ("落实两项制度，七个部门，三年行动", [("两项", "count"), ("七个", "count")]),  # 三年行动: a name
        ("二十多个县", [("二十多个", "count")]),
        ("十三五期间", [("十三五", "ordinal")]),
        ("第1名", [("第1名", "ordinal")]),
        ("九月底前完成，9月底前", [("9月底前", "date")]),
    ],
)
def test_kinds(text, expected):
    assert [(f.text, f.kind) for f in find_figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "一是加强领导，二是统一思想",
        "一些地方一起推进，统一部署，一体推进，一批项目，一样重要，一定要，一直坚持，进一步，唯一",
        "建立“一党派一企业一产业一结对”和“一组长一主任一专家组一贴心人”机制",
        "第一部分，第一书记，一、总体要求",
        "三番五次，千家万户，百家争鸣，开展“六一”慰问",
        "移动应用与HTML5产业峰会",
    ],
)
def test_not_figures(text):
    assert find_figures(text) == []


def test_list_marker_is_not_a_figure():
    assert [f.text for f in find_figures("1.根据贫困发生率下降到3%；")] == ["3%"]
