"""Spans of months and days, and percentages written in Chinese numerals, read as what they mean.

Every expectation is written by hand from the Chinese and the house style (STYLE.md: months are names, a
figure that is wrong in meaning is wrong even when every digit is there, the qualifier survives):

- 2022年1—9月 is "January-September 2022" - it was read as the year 2022 and a bare "1-9";
- 2023年1至11月 is "January-November 2023" - it was read as 2023, a bare "1" and "November";
- 12月8日至10日 is "December 8-10" - it was "December 8" and a bare "10";
- 第一季度至2020年 joins a span: "to 2020", never "by 2020";
- 百分之二十五点五 is 25.5% - it was 25% (the decimals dropped); 百分之五十以上 is "at least 50%" - the
  qualifier was dropped; 百分之一百 is 100% - it was "one percent"; 百分之十五 made the English mode crash;
  千分之三 is three per mille - it was "three zeroths".
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.check import check_sentence, source_reading
from toolkit.doc import Constraint, Sentence
from toolkit.figures import exact_value, find_figures
from toolkit.figures_read_en import read_english
from toolkit.translate.figures_en import render_figure

# (sentence, the figure's span, its rendering - the same in both modes)
PERIODS = [
    ("2022年1—9月，规模以上工业增加值增长5.1%。", "2022年1—9月", "January-September 2022"),
    ("2023年1至11月，全国固定资产投资增长2.9%。", "2023年1至11月", "January-November 2023"),
    ("1-6月全市实现地区生产总值1200亿元。", "1-6月", "January-June"),
    ("今年1-2月份，外贸进出口增长8%。", "1-2月份", "January-February"),
    ("会议于12月8日至10日在北京举行。", "12月8日至10日", "December 8-10"),
    ("2021年3月1-5日，开展集中培训。", "2021年3月1-5日", "March 1-5, 2021"),
]


@pytest.mark.parametrize(("text", "span", "english"), PERIODS)
@pytest.mark.parametrize("mode", ["verbatim", "english"])
def test_a_span_of_months_or_days_is_one_figure_with_its_year(text: str, span: str, english: str,
                                                              mode: str) -> None:
    figs = {f.text: f for f in find_figures(text)}
    assert span in figs, sorted(figs)
    assert render_figure(figs[span], mode) == english
    # no digit of the span is left over as a figure of its own
    assert not [f.text for f in figs.values() if f.text != span and f.start < figs[span].end
                and figs[span].start < f.end]


def test_a_span_of_months_reads_back_with_its_year_and_qa_sees_a_wrong_year() -> None:
    text = "2022年1—9月，规模以上工业增加值增长5.1%。"
    fig = next(f for f in find_figures(text) if f.text == "2022年1—9月")
    (r,) = read_english("January-September 2022")
    assert (r.kind, r.value, r.hi, r.unit, r.date) == ("range", Decimal(1), Decimal(9), "calendar-month",
                                                       (2022, None, None))
    assert read_english("from January to September 2022") == [r]
    assert source_reading(fig) == r
    wrong = Constraint("January-September 2021", "figure", fig.text, fig.start, fig.end)
    s = Sentence(id="s1.1.1", text=text, en="From January to September 2021, output grew.",
                 constraints=[wrong], figures=[fig])
    assert any("reads wrong" in f and "2021" in f for f in check_sentence(s))


def test_a_span_of_days_reads_back_in_either_order() -> None:
    (a,) = read_english("December 8-10, 2021")
    (b,) = read_english("8-10 December 2021")
    assert a == b
    assert (a.kind, a.value, a.hi, a.unit, a.date) == ("range", Decimal(8), Decimal(10), "calendar-day",
                                                       (2021, 12, None))
    fig = next(f for f in find_figures("2021年12月8日至10日召开。") if f.kind == "range")
    assert source_reading(fig) == a


def test_to_between_a_period_and_a_year_joins_a_span() -> None:
    figs = find_figures("2019年第一季度至2020年第二季度共计投入5亿元。")
    years = [render_figure(f) for f in figs if f.kind == "year"]
    assert years == ["2019", "2020"]  # not "by 2020": 至 joins the two quarters
    # where 至 does mean a deadline it still does
    assert [render_figure(f) for f in find_figures("至2020年，全面建成小康社会。")] == ["by 2020"]


# (sentence, the figure's span, its exact value, its rendering in both modes)
NUMERAL_PERCENTS = [
    ("同比增长百分之十五。", "百分之十五", Decimal(15), "15%"),
    ("占比为百分之二十五点五。", "百分之二十五点五", Decimal("25.5"), "25.5%"),
    ("下降百分之零点五。", "百分之零点五", Decimal("0.5"), "0.5%"),
    ("覆盖率达到百分之一百。", "百分之一百", Decimal(100), "100%"),
    ("提高百分之五。", "百分之五", Decimal(5), "five percent"),
    ("贫困发生率降至百分之12.5。", "百分之12.5", Decimal("12.5"), "12.5%"),
    ("参保率达到百分之五十以上。", "百分之五十以上", Decimal(50), "at least 50%"),
    ("不低于百分之九十。", "不低于百分之九十", Decimal(90), "at least 90%"),
    ("误差控制在千分之三。", "千分之三", Decimal(3), "three per mille"),
    ("三分之二以上的村完成改造。", "三分之二以上", None, "at least two thirds"),
]


@pytest.mark.parametrize(("text", "span", "value", "english"), NUMERAL_PERCENTS)
@pytest.mark.parametrize("mode", ["verbatim", "english"])
def test_a_percentage_in_chinese_numerals_keeps_its_value_and_qualifier(
    text: str, span: str, value: Decimal | None, english: str, mode: str
) -> None:
    (fig,) = [f for f in find_figures(text) if f.text == span]
    if value is not None:
        assert exact_value(fig) == value
    assert render_figure(fig, mode) == english
    (r,) = read_english(english)
    assert r == source_reading(fig)  # QA reads the rendering back as the source figure


# tenths (成) in Chinese numerals: 三成 is three tenths, never "30 tenths"; 两成 was no figure at all
TENTHS = [
    ("三成以上的企业已复工。", "三成以上", {"verbatim": "at least three tenths", "english": "at least 30%"}),
    ("约两成的村庄完成改造。", "两成", {"verbatim": "two tenths", "english": "20%"}),
    ("仅一成的企业受影响。", "一成", {"verbatim": "one tenth", "english": "10%"}),
]


@pytest.mark.parametrize(("text", "span", "english"), TENTHS)
@pytest.mark.parametrize("mode", ["verbatim", "english"])
def test_tenths_in_chinese_numerals(text: str, span: str, english: dict[str, str], mode: str) -> None:
    (fig,) = [f for f in find_figures(text) if span in f.text]
    assert render_figure(fig, mode).endswith(english[mode])
    (r,) = read_english(render_figure(fig, mode))
    assert r == source_reading(fig)


def test_one_tenth_reads_the_same_however_it_is_written() -> None:
    """一成, 1成 and 十分之一 are all ten percent, so QA reads "one tenth" and "10%" as the same value."""
    readings = {source_reading(f) for t in ("一成", "1成", "十分之一") for f in find_figures(t)}
    assert len(readings) == 1
    r = readings.pop()
    assert (r.kind, r.value, r.unit) == ("number", Decimal(10), "percent")
    assert read_english("one tenth") == [r]
    assert read_english("10%") == [r]


@pytest.mark.parametrize(("text", "english"), [
    ("4月中下旬开展检查。", "mid-to-late April"),
    ("2020年3月上中旬完成。", "early-to-mid March 2020"),
])
def test_a_part_of_a_month_that_spans_two_thirds(text: str, english: str) -> None:
    """中下旬 is the middle and last ten days: the figure was "mid-April", with 下旬 left outside it."""
    (fig,) = find_figures(text)
    assert fig.text == text[: len(fig.text)] and "旬" in fig.text
    assert render_figure(fig) == english
    (r,) = read_english(english)
    assert r == source_reading(fig)


@pytest.mark.parametrize("text", ["每年举办“10·17”扶贫日活动。", "每年举办“10.17”扶贫日活动。"])
def test_the_poverty_relief_day_with_a_middle_dot_is_a_date(text: str) -> None:
    """“10·17” (a middle dot, as often written) is October 17 like “10.17”, not a bare 10 and 17."""
    (fig,) = find_figures(text)
    assert render_figure(fig) == "October 17"
