"""The English of figures in both modes: hand-written expectations from STYLE.md, and properties.

The property tests read the Chinese with the figure reader, render it, and read the English back with the
independent English reader (``toolkit.figures_read_en``): value, qualifier, unit and date must survive
exactly, in both modes, for random Decimal amounts x every magnitude x every qualifier.
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.check import source_reading
from toolkit.chinese import has_cjk
from toolkit.figures import QUALIFIER_AFTER, QUALIFIER_BEFORE, find_figures
from toolkit.figures_read_en import read_english
from toolkit.numbers import digit_runs
from toolkit.translate.figures_en import (
    ORDINAL_LABEL_EN,
    QUALIFIER_EN,
    UNIT_EN,
    magnitude_en,
    render_figure,
)


def one(text: str):
    figs = find_figures(text)
    assert len(figs) == 1, [f.text for f in figs]
    return figs[0]


# (Chinese, verbatim, english): written by hand from STYLE.md and the issue, not from the code
CASES = [
    ("超过23.4亿元", "over 23.4 hundred million yuan", "over 2.34 billion yuan"),
    ("1.2万余亩", "more than 1.2 ten thousand mu", "more than 12,000 mu"),
    ("22.38万人", "22.38 ten thousand people", "223,800 people"),
    ("3000万左右", "about 3000 ten thousand", "about 30 million"),
    ("1685.08万元", "1685.08 ten thousand yuan", "16.8508 million yuan"),
    ("2亿3,637万元", "2 hundred million 3,637 ten thousand yuan", "236.37 million yuan"),
    ("约3 000名", "about 3,000", "about 3,000"),
    ("18万亿元", "18 trillion yuan", "18 trillion yuan"),
    ("0.6万", "0.6 ten thousand", "6,000"),
    ("1000万羽", "1000 ten thousand birds", "10 million birds"),
    ("3.5万元/户", "3.5 ten thousand yuan per household", "35,000 yuan per household"),
    ("3000元以上", "at least 3000 yuan", "at least 3000 yuan"),  # 1,000-9,999 keep their form
    ("5万元以下", "up to 5 ten thousand yuan", "up to 50,000 yuan"),
    ("不低于7天", "at least 7 days", "at least 7 days"),
    ("不大于1%", "at most 1%", "at most 1%"),
    ("不能低于人均13平方米", "at least 13 square meters per person", "at least 13 square meters per person"),
    ("至少1次以上", "at least 1 time", "at least once"),
    ("60岁以下", "aged 60 or under", "aged 60 or under"),
    ("15厘米", "15 centimeters", "15 centimeters"),
    (
        "提高5.9个、19.1个、43.6个百分点",
        "5.9, 19.1 and 43.6 percentage points",
        "5.9, 19.1 and 43.6 percentage points",
    ),
    ("4.3个百分点以上", "at least 4.3 percentage points", "at least 4.3 percentage points"),
    ("3成", "3 tenths", "30%"),
    ("5-7人", "5-7 people", "5-7 people"),
    ("3—5万元", "3-5 ten thousand yuan", "30,000-50,000 yuan"),
    ("2017-2019年", "2017-2019", "2017-2019"),
    ("20402人", "20402 people", "20,402 people"),
    ("以72777工作思路", "72777", "72777"),
    ("2020年12月21日", "December 21, 2020", "December 21, 2020"),
    ("5月31日", "May 31", "May 31"),
    ("2015年10月", "October 2015", "October 2015"),
    ("5月份", "May", "May"),
    ("9月底前", "by the end of September", "by the end of September"),
    ("5月中旬", "mid-May", "mid-May"),
    ("2019-02-21", "February 21, 2019", "February 21, 2019"),
    ("“10.17”扶贫日", "October 17", "October 17"),
    ("民国107年5月17日", "May 17, 2018", "May 17, 2018"),
    ("107-05-17", "May 17, 2018", "May 17, 2018"),
    ("二〇二〇年十二月二十一日", "December 21, 2020", "December 21, 2020"),
    ("2014年以来", "since 2014", "since 2014"),
    ("到2020年", "by 2020", "by 2020"),
    ("截至2015年10月", "as of October 2015", "as of October 2015"),
    ("到2015年末", "by the end of 2015", "by the end of 2015"),
    ("5年来", "over the past 5 years", "over the past 5 years"),
    ("上世纪80年代", "the 1980s", "the 1980s"),
    ("80年代中期", "the mid-1980s", "the mid-1980s"),
    ("三年以内", "within three years", "within three years"),
    ("两天", "two days", "two days"),
    ("七种", "seven", "seven"),
    ("三大粮食", "three major", "three major"),
    ("十二个", "12", "12"),
    ("第93期", "Issue 93", "Issue 93"),
    ("第3条", "Article 3", "Article 3"),
    ("第十三届", "13th", "13th"),
    ("第四代移动", "fourth generation", "fourth generation"),
    ("二级综合医院", "Grade II", "Grade II"),
    ("C级危房", "Grade C", "Grade C"),
    ("超过了四分之一", "over one quarter", "over one quarter"),
    ("今年1至9月", "January-September", "January-September"),
    ("2023年上半年", "the first half of 2023", "the first half of 2023"),
    ("近5年", "over the past 5 years", "over the past 5 years"),
    ("香港回归25周年", "25th anniversary", "25th anniversary"),
    ("9时30分", "9:30", "9:30"),
    ("国发〔2018〕1号", "[2018] No. 1", "[2018] No. 1"),
    ("千余人", "more than 1000 people", "more than 1000 people"),
    ("3月15日至", "March 15", "March 15"),
    ("三分之二", "two thirds", "two thirds"),
]


@pytest.mark.parametrize(("zh", "verbatim", "english"), CASES, ids=[c[0] for c in CASES])
def test_rendering_in_both_modes(zh: str, verbatim: str, english: str) -> None:
    f = one(zh)
    assert render_figure(f, "verbatim") == verbatim
    assert render_figure(f, "english") == english


@pytest.mark.parametrize(("zh", "verbatim", "english"), CASES, ids=[c[0] for c in CASES])
def test_every_case_reads_back_to_its_source_value(zh: str, verbatim: str, english: str) -> None:
    f = one(zh)
    for en in (verbatim, english):
        assert read_english(en) == [source_reading(f)], en


@pytest.mark.parametrize(
    "zh",
    [
        "三年行动计划",
        "市县两级",
        "省市县乡村五级",
        "四个全面",
        "五个一批",
        "两不愁三保障",
        "一党派一企业",
        "第一部分",
        "数十个",
    ],
)
def test_names_and_both_are_no_figures(zh: str) -> None:
    assert find_figures(zh) == []


def test_unknown_mode_and_magnitude_are_errors() -> None:
    with pytest.raises(ValueError, match="mode"):
        render_figure(one("18个"), "british")
    with pytest.raises(ValueError, match="magnitude"):
        magnitude_en("兆x")


def test_tables_hold_no_digits_and_no_chinese() -> None:
    words = [
        *QUALIFIER_EN.values(),
        *(w for pair in UNIT_EN.values() for w in pair),
        *ORDINAL_LABEL_EN.values(),
    ]
    words += [magnitude_en(m) for m in ("十", "百", "千", "万", "十万", "百万", "千万", "亿", "十亿", "万亿")]
    for w in words:
        assert not re.search(r"\d", w) and not has_cjk(w), w


_MAGNITUDES = ["", "万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿", "万亿"]
_UNITS = ["", "个", "名", "元", "美元", "亩", "公顷", "人", "户", "人次", "吨", "公里", "%", "个百分点"]
_BEFORE = ["", *sorted(QUALIFIER_BEFORE)]
_AFTER = ["", *sorted(set(QUALIFIER_AFTER) - {"余", "多", "规模以上"})]
_AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2, allow_nan=False).map(
    lambda d: d.normalize()
)


def _written(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@settings(max_examples=300, deadline=None)
@given(
    amount=_AMOUNTS,
    magnitude=st.sampled_from(_MAGNITUDES),
    unit=st.sampled_from(_UNITS),
    before=st.sampled_from(_BEFORE),
    after=st.sampled_from(_AFTER),
    mode=st.sampled_from(["verbatim", "english"]),
)
def test_amounts_render_and_read_back_exactly(amount, magnitude, unit, before, after, mode) -> None:
    if unit in ("%", "个百分点") and magnitude:
        magnitude = ""
    digits = _written(amount)
    zh = f"，{before}{digits}{magnitude}{unit}{after}，"
    f = one(zh)
    assert f.text == zh.strip("，")
    en = render_figure(f, mode)
    assert not has_cjk(en)
    assert read_english(en) == [source_reading(f)], en
    if mode == "verbatim":
        assert digit_runs(en) == [digits.replace(" ", ",")]  # the source's digits, exactly once, and no other
    value = Decimal(digits)
    if mode == "english" and magnitude:  # english mode states the exact product, never rounded
        (r,) = read_english(en)
        assert (
            r.value
            == value
            * Decimal(10)
            ** {
                "万": 4,
                "十万": 5,
                "百万": 6,
                "千万": 7,
                "亿": 8,
                "十亿": 9,
                "百亿": 10,
                "千亿": 11,
                "万亿": 12,
            }[magnitude]
        )


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(1949, 2099),
    month=st.integers(1, 12),
    data=st.data(),
    form=st.sampled_from(["ymd", "ym", "md", "iso"]),
    mode=st.sampled_from(["verbatim", "english"]),
)
def test_dates_round_trip(year, month, data, form, mode) -> None:
    day = data.draw(st.integers(1, calendar.monthrange(year, month)[1]))
    zh = {
        "ymd": f"于{year}年{month}月{day}日召开",
        "ym": f"于{year}年{month}月召开",
        "md": f"于{month}月{day}日召开",
        "iso": f"于{year}-{month:02d}-{day:02d}召开",
    }[form]
    want = {
        "ymd": (year, month, day),
        "ym": (year, month, None),
        "md": (None, month, day),
        "iso": (year, month, day),
    }[form]
    (r,) = read_english(render_figure(one(zh), mode))
    assert r.kind == "date" and r.date == want


def test_a_bare_yuan_in_a_hong_kong_text_is_hong_kong_dollars() -> None:
    from toolkit.figures import local_currency

    hk = "香港特别行政区政府今日公布，立法会通过拨款5000万元。"
    assert local_currency(hk) == "HKD" and local_currency("四川省投入资金5000万元。") is None
    (f,) = find_figures(hk, currency=local_currency(hk))
    assert render_figure(f, "english") == "50 million Hong Kong dollars"
    assert read_english(render_figure(f, "verbatim")) == [source_reading(f)]


def test_a_bare_yuan_in_a_taiwan_text_is_new_taiwan_dollars() -> None:
    from toolkit.figures import local_currency

    tw = "行政院今日通过，立法院审议预算3000万元，民国107年5月17日起实施。"
    assert local_currency(tw) == "TWD"
    f = find_figures(tw, currency="TWD")[0]
    assert render_figure(f, "english") == "30 million New Taiwan dollars"
    assert read_english(render_figure(f, "verbatim")) == [source_reading(f)]
