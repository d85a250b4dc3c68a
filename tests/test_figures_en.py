"""The deterministic English of figure spans: exact digits, translated magnitudes, no other digits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.check import digit_runs
from toolkit.chinese import has_cjk
from toolkit.doc import Figure
from toolkit.translate.figures_en import (
    APPROX_EN,
    ORDINAL_LABEL_EN,
    UNIT_EN,
    figure_digits,
    magnitude_en,
    render_figure,
)


def fig(text: str, kind: str, digits: str, magnitude: str | None = None, unit: str | None = None,
        approx: str | None = None, **kw) -> Figure:
    return Figure(start=0, end=len(text), text=text, kind=kind, digits=digits, magnitude=magnitude, unit=unit,
                  approx=approx, **kw)


@pytest.mark.parametrize(
    ("figure", "english"),
    [
        (fig("23.4亿元", "amount", "23.4", "亿", "元"), "23.4 hundred million yuan"),
        (fig("1.2万余亩", "amount", "1.2", "万", "亩", "余"), "more than 1.2 ten thousand mu"),
        (fig("22.38万人", "count", "22.38", "万", "人"), "22.38 ten thousand people"),
        (fig("1685.08万元", "amount", "1685.08", "万", "元"), "1685.08 ten thousand yuan"),
        (fig("3千元", "amount", "3", "千", "元"), "3 thousand yuan"),
        (fig("5百万元", "amount", "5", "百万", "元"), "5 million yuan"),
        (fig("2千万元", "amount", "2", "千万", "元"), "2 ten million yuan"),
        (fig("1.5万亿元", "amount", "1.5", "万亿", "元"), "1.5 trillion yuan"),
        (fig("10000余人次", "count", "10000", unit="人次", approx="余"), "more than 10000 person-times"),
        (fig("954户", "count", "954", unit="户"), "954 households"),
        (fig("900余场次", "count", "900", unit="场次", approx="余"), "more than 900 sessions"),
        (fig("10余次", "count", "10", unit="次", approx="余"), "more than 10 times"),
        (fig("18个", "count", "18", unit="个"), "18"),
        (fig("150余件", "count", "150", unit="件", approx="余"), "more than 150"),
        (fig("20多个", "count", "20", unit="个", approx="多"), "more than 20"),
        (fig("3000元以上", "amount", "3000", unit="元", approx="以上"), "more than 3000 yuan"),
        (fig("近1700万元", "amount", "1700", "万", "元", "近"), "nearly 1700 ten thousand yuan"),
        (fig("约3万人", "count", "3", "万", "人", "约"), "about 3 ten thousand people"),
        (fig("45人左右", "count", "45", unit="人", approx="左右"), "about 45 people"),
        (fig("超过23.4亿元", "amount", "23.4", "亿", "元", "超过"), "over 23.4 hundred million yuan"),
        (fig("逾200亩", "amount", "200", unit="亩", approx="逾"), "over 200 mu"),
        (fig("不到5%", "percent", "5", unit="%", approx="不到"), "less than 5%"),
        (fig("30%", "percent", "30", unit="%"), "30%"),
        (fig("百分之三十", "percent", "", value=30.0, numeral="三十"), "30%"),
        (fig("2020年12月21日", "date", "20201221", iso="2020-12-21"), "2020-12-21"),
        (fig("2014年", "year", "2014", unit="年"), "2014"),
        (fig("2014年以来", "year", "2014", unit="年", approx="以来"), "since 2014"),
        (fig("12月21日", "date", "1221"), "12-21"),
        (fig("第93期", "ordinal", "93", unit="期"), "Issue 93"),
        (fig("第3条", "ordinal", "3", unit="条"), "Article 3"),
        (fig("第1", "ordinal", "1"), "1st"),
        (fig("第22届", "ordinal", "22", unit="届"), "22nd"),
        (fig("第13届", "ordinal", "13", unit="届"), "13th"),
        (fig("十八大", "ordinal", "", value=18.0, unit="大", numeral="十八"), "18th"),
        (fig("十八", "count", "", value=18.0, numeral="十八"), "18"),
        (fig("10-20个", "range", "10-20", unit="个"), "10-20"),
        (fig("3—5万元", "range", "3—5", "万", "元"), "3-5 ten thousand yuan"),
        (fig("2014—2020年", "range", "2014—2020", unit="年"), "2014-2020"),
        (fig("3-5年", "range", "3-5", unit="年"), "3-5 years"),
        (fig("72777", "code", "72777"), "72777"),
        (fig("10.17", "code", "10.17"), "10.17"),
    ],
    ids=lambda x: x.text if isinstance(x, Figure) else "",
)
def test_render_figure(figure: Figure, english: str) -> None:
    assert render_figure(figure) == english


def test_source_digits_are_never_reformatted_or_scaled() -> None:
    f = fig("10000人", "count", "10000", unit="人")
    assert render_figure(f) == "10000 people"  # not "10,000 people"
    assert figure_digits(fig("5000万元", "amount", "5000", "万", "元")) == ["5000"]  # no "10,000"
    assert render_figure(fig("1,685.08万元", "amount", "1,685.08", "万", "元")).startswith("1,685.08 ")


def test_magnitude_left_in_the_unit_is_still_translated() -> None:
    assert render_figure(fig("5000万元", "amount", "5000", unit="万元")) == "5000 ten thousand yuan"
    assert render_figure(fig("5千米", "count", "5", unit="千米")) == "5 kilometers"  # 千米 is a unit, not 千


def test_figure_digits_of_dates_and_numerals() -> None:
    assert figure_digits(fig("2020年12月21日", "date", "20201221", iso="2020-12-21")) == ["2020", "12", "21"]
    assert figure_digits(fig("十八大", "ordinal", "", value=18.0, unit="大", numeral="十八")) == ["18"]
    assert figure_digits(fig("23.4亿元", "amount", "23.4", "亿", "元")) == ["23.4"]


def test_unknown_magnitude_and_missing_number_are_errors() -> None:
    with pytest.raises(ValueError, match="magnitude"):
        magnitude_en("兆x")
    with pytest.raises(ValueError, match="neither digits nor a value"):
        render_figure(fig("几个", "count", ""))


def test_tables_hold_no_digits_and_no_chinese() -> None:
    words = [*APPROX_EN.values(), *UNIT_EN.values(), *ORDINAL_LABEL_EN.values()]
    words += [magnitude_en(m) for m in ("十", "百", "千", "万", "十万", "百万", "千万", "亿", "十亿", "万亿")]
    for w in words:
        assert not re.search(r"\d", w) and not has_cjk(w), w


_MAGNITUDES = [None, "十", "百", "千", "万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿", "万亿"]
_UNITS = [None, "个", "件", "名", "%", "‰", *UNIT_EN]


@given(
    digits=st.from_regex(r"\A[1-9][0-9]{0,8}(\.[0-9]{1,4})?\Z"),
    magnitude=st.sampled_from(_MAGNITUDES),
    unit=st.sampled_from(_UNITS),
    approx=st.sampled_from([None, *APPROX_EN]),
    kind=st.sampled_from(["count", "amount", "percent"]),
)
def test_rendering_keeps_the_digits_exactly_once_and_adds_none(digits, magnitude, unit, approx, kind) -> None:
    f = fig(f"{digits}{magnitude or ''}{unit or ''}", kind, digits, magnitude, unit, approx)
    english = render_figure(f)
    assert digit_runs(english) == [digits]
    assert english.count(digits) == 1
    assert figure_digits(f) == [digits]
    assert not has_cjk(english)


def test_month_day_without_year_keeps_its_digits_as_written() -> None:
    # "10.17" names 17 October (Poverty Alleviation Day); ISO's "--10-17" would change the digit string
    fig = Figure(start=0, end=5, text="10.17", kind="date", digits="10.17", iso="--10-17")
    assert render_figure(fig) == "10.17"
