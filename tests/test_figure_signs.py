"""Signs of figures: a negative source figure stays negative in the English, and QA notices a lost sign.

Every expectation here is written by hand from the Chinese (what the sentence means), not derived from
the code: 零下5摄氏度 is -5, 增长-2.5% is -2.5%, 负增长3.2% is -3.2%, while the hyphen of 2014-2020,
2019-02-21, 5-10人, 3-5%, 第2-3条, GB-2020 or a phone number is a separator and signs nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.api import read_document
from toolkit.check import check_sentence, source_reading
from toolkit.doc import Constraint, Document, Figure, Sentence
from toolkit.figures import exact_value, find_figures
from toolkit.figures_read_en import read_english
from toolkit.numbers import minus_sign_at
from toolkit.translate.document import build_constraints
from toolkit.translate.figures_en import render_figure

# (sentence, the figure's span, its exact value) - the sign is part of the span and of the value
SIGNED = [
    ("当天最低气温零下5摄氏度。", "零下5摄氏度", Decimal(-5)),
    ("气温降至-3℃左右。", "-3℃左右", Decimal(-3)),
    ("增长-2.5%。", "-2.5%", Decimal("-2.5")),
    ("同比负增长3.2%。", "负增长3.2%", Decimal("-3.2")),
    ("气温降至－3℃。", "－3℃", Decimal(-3)),  # full-width minus
    ("气温降至\u22123℃。", "\u22123℃", Decimal(-3)),  # Unicode minus
    ("差值为负3。", "负3", Decimal(-3)),
    ("利润为-1.2万元。", "-1.2万元", Decimal(-12000)),
    ("最低温度低于-5℃。", "低于-5℃", Decimal(-5)),
    ("夜间约零下5℃。", "约零下5℃", Decimal(-5)),
    ("增速（-3%）回落。", "-3%", Decimal(-3)),
]


@pytest.mark.parametrize(("text", "span", "value"), SIGNED)
def test_a_signed_figure_keeps_its_sign(text: str, span: str, value: Decimal) -> None:
    (fig,) = find_figures(text)
    assert fig.text == span
    assert fig.sign == "-"
    assert exact_value(fig) == value
    assert text[fig.start : fig.end] == span


# (sentence, the figures' spans) - none of these hyphens is a sign
UNSIGNED = [
    ("2014-2020年", ["2014-2020年"]),
    ("2019-02-21召开", ["2019-02-21"]),
    ("每组5-10人", ["5-10人"]),
    ("提高3-5%", ["3-5%"]),
    ("依照第2-3条", ["2-3条"]),
    ("标准GB-2020", ["2020"]),
    ("电话0851-8765432", ["0851", "8765432"]),
    ("规模5人-10人", ["5人", "10人"]),
    ("增长3-5%", ["3-5%"]),
    ("误差正负3%", ["正负3%"]),  # 正负: plus or minus, a tolerance, not a negative number
]


@pytest.mark.parametrize(("text", "spans"), UNSIGNED)
def test_a_separator_is_no_sign(text: str, spans: list[str]) -> None:
    figs = find_figures(text)
    assert [f.text for f in figs] == spans
    assert all(f.sign is None for f in figs)
    assert all((exact_value(f) or 0) >= 0 for f in figs)


def test_a_signed_range_is_one_range_that_keeps_each_ends_sign() -> None:
    # -3-5℃ is "from -3 to 5 degrees": reading it as the range 3-5℃ would drop the sign, and two figures
    # (-3, 5℃) would lose the range; one range keeps both ends as written
    (fig,) = find_figures("气温-3-5℃")
    assert (fig.text, fig.kind, fig.parts) == ("-3-5℃", "range", ["-3", "5"])
    (fig,) = find_figures("气温-5~-3℃")
    assert (fig.text, fig.kind, fig.parts) == ("-5~-3℃", "range", ["-5", "-3"])
    # 零下 before the first number applies to both ends (weather reports: from -3 to -5)
    (fig,) = find_figures("夜间零下3至5摄氏度。")
    assert (fig.text, fig.parts, fig.unit) == ("零下3至5摄氏度", ["-3", "-5"], "摄氏度")
    (fig,) = find_figures("气温-3至-5℃。")
    assert (fig.text, fig.parts) == ("-3至-5℃", ["-3", "-5"])
    (fig,) = find_figures("气温-3~5℃。")
    assert (fig.text, fig.parts) == ("-3~5℃", ["-3", "5"])


@pytest.mark.parametrize(
    ("text", "i", "sign"),
    [
        ("-3", 0, True),
        ("增长-2.5%", 2, True),
        ("（-3%）", 1, True),
        ("2014-2020", 4, False),
        ("GB-2020", 2, False),
        ("0851-8765432", 4, False),
        ("（1）-3", 3, False),  # after a closing bracket: a separator
        ("降至- 3", 2, False),  # not glued to the digits
    ],
)
def test_minus_sign_at(text: str, i: int, sign: bool) -> None:
    assert minus_sign_at(text, i) is sign


# (sentence, verbatim English, english-mode English)
RENDERINGS = [
    ("当天最低气温零下5摄氏度。", "minus 5 degrees Celsius", "minus 5 degrees Celsius"),
    ("气温降至-3℃左右。", "about -3 degrees Celsius", "about -3 degrees Celsius"),
    ("增长-2.5%。", "-2.5%", "-2.5%"),
    ("同比负增长3.2%。", "negative growth of 3.2%", "negative growth of 3.2%"),
    ("差值为负3。", "-3", "-3"),
    ("利润为-1.2万元。", "-1.2 ten thousand yuan", "-12,000 yuan"),
    ("亏损-23.4亿元。", "-23.4 hundred million yuan", "-2.34 billion yuan"),
    ("最低温度低于-5℃。", "less than -5 degrees Celsius", "less than -5 degrees Celsius"),
]


@pytest.mark.parametrize(("text", "verbatim", "english"), RENDERINGS)
def test_both_modes_render_the_sign(text: str, verbatim: str, english: str) -> None:
    (fig,) = find_figures(text)
    assert render_figure(fig, "verbatim") == verbatim
    assert render_figure(fig, "english") == english


@pytest.mark.parametrize(("text", "verbatim", "english"), RENDERINGS)
def test_each_rendering_reads_back_as_the_source_says(text: str, verbatim: str, english: str) -> None:
    (fig,) = find_figures(text)
    want = source_reading(fig)
    assert want.value is not None and want.value < 0
    for en in (verbatim, english):
        assert read_english(en) == [want]


@pytest.mark.parametrize(
    ("en", "value"),
    [
        ("minus 5 degrees Celsius", Decimal(-5)),
        ("-5 degrees Celsius", Decimal(-5)),
        ("\u22125 degrees Celsius", Decimal(-5)),
        ("negative 3.2%", Decimal("-3.2")),
        ("negative growth of 3.2%", Decimal("-3.2")),
        ("a fall (-3%)", Decimal(-3)),
    ],
)
def test_the_english_reader_reads_signs(en: str, value: Decimal) -> None:
    (r,) = [r for r in read_english(en) if r.value is not None]
    assert r.value == value


@pytest.mark.parametrize(
    ("en", "kind", "values"),
    [
        ("2014-2020", "range", (Decimal(2014), Decimal(2020))),
        ("5-10 people", "range", (Decimal(5), Decimal(10))),
        ("3-5%", "range", (Decimal(3), Decimal(5))),
    ],
)
def test_the_english_reader_keeps_ranges(en: str, kind: str, values: tuple[Decimal, Decimal]) -> None:
    (r,) = read_english(en)
    assert (r.kind, r.value, r.hi) == (kind, *values)


def test_the_english_reader_never_signs_a_hyphen_after_a_word_or_number() -> None:
    assert all(r.value is None or r.value > 0 for r in read_english("COVID-19 cases, GB-2020, pp. 5-10"))
    assert read_english("2019-02-21")[0].date == (2019, 2, 21)


def test_a_range_after_a_sign_is_no_unsigned_range() -> None:
    # the sign is read with the range ("-3 to 5"), never dropped from it (the range 3 to 5)
    (r,) = read_english("from -3 to 5 degrees Celsius")
    assert (r.kind, r.value, r.hi, r.unit) == ("range", Decimal(-3), Decimal(5), "celsius")
    assert [r.value for r in read_english("-3-5 degrees Celsius")] == [Decimal(-3), Decimal(5)]


def _sentence(text: str, en: str, constraint_en: str) -> Sentence:
    (fig,) = find_figures(text)
    c = Constraint(constraint_en, "figure", fig.text, fig.start, fig.end)
    return Sentence(id="s1.1.1", text=text, en=en, constraints=[c], figures=[fig])


def test_qa_finds_a_dropped_sign() -> None:
    s = _sentence("当天最低气温零下5摄氏度。", "The lowest temperature was 5 degrees Celsius.",
                  "5 degrees Celsius")
    assert s.figures[0].text == "零下5摄氏度"
    assert check_sentence(s) == [
        "figure '零下5摄氏度' reads wrong in '5 degrees Celsius': sign lost, value 5 not -5"
    ]


def test_qa_finds_an_added_sign() -> None:
    s = _sentence("增长2.5%。", "Growth was -2.5%.", "-2.5%")
    assert check_sentence(s) == ["figure '2.5%' reads wrong in '-2.5%': sign added, value -2.5 not 2.5"]


def test_qa_finds_a_negative_number_the_source_does_not_have() -> None:
    # the constraint is right, but the English also says -3, a figure the source lacks
    s = _sentence("增长2.5%。", "Growth was 2.5%, after -3 last year.", "2.5%")
    assert check_sentence(s) == ["foreign figure '-3'"]
    # and a model that drops the sign of a right constraint's number is caught as well
    s = _sentence("增长-2.5%。", "Growth was 2.5%.", "-2.5%")
    assert check_sentence(s) == ["missing constraint '-2.5%' (0 of 1)", "foreign figure '2.5%'"]


def test_a_year_range_is_no_negative_year_in_qa() -> None:
    s = _sentence("2014-2020年", "During 2014-2020 the county grew.", "2014-2020")
    assert check_sentence(s) == []


@pytest.mark.parametrize("mode", ["verbatim", "english"])
def test_end_to_end_through_the_document_pipeline(mode: str) -> None:
    doc = read_document(text="当天最低气温零下5摄氏度，平均气温-3℃左右，工业增加值负增长3.2%。")
    (sent,) = [s for s in doc.sentences() if s.figures]
    assert [(f.text, f.sign) for f in sent.figures] == [
        ("零下5摄氏度", "-"),
        ("-3℃左右", "-"),
        ("负增长3.2%", "-"),
    ]
    sent.constraints = build_constraints(sent, figures=mode)
    assert [c.en for c in sent.constraints if c.kind == "figure"] == [
        "minus 5 degrees Celsius",
        "about -3 degrees Celsius",
        "negative growth of 3.2%",
    ]
    sent.en = (
        "The lowest temperature of the day was minus 5 degrees Celsius, the average about -3 degrees "
        "Celsius, and industrial value added saw negative growth of 3.2%."
    )
    assert check_sentence(sent) == []
    sent.en = (  # the model wrote the forced strings' numbers but dropped every sign
        "The lowest temperature of the day was 5 degrees Celsius, the average about 3 degrees "
        "Celsius, and industrial value added grew 3.2%."
    )
    findings = check_sentence(sent)
    assert "missing constraint 'minus 5 degrees Celsius' (0 of 1)" in findings
    assert "foreign figure '5 degrees Celsius'" in findings
    assert "foreign figure 'about 3 degrees Celsius'" in findings
    assert "foreign figure '3.2%'" in findings


def test_the_sign_survives_a_json_round_trip() -> None:
    doc = read_document(text="增长-2.5%。")
    back = Document.from_dict(doc.to_dict(with_text=True))
    (fig,) = [f for s in back.sentences() for f in s.figures]
    assert (fig.text, fig.sign) == ("-2.5%", "-")
    assert Figure(start=0, end=1, text="5", kind="count", digits="5").sign is None


# (sentence, the figure's span, verbatim English, english-mode English): a tolerance is a qualifier
# ("plus or minus"), the same in both modes, in words every model vocabulary spells; the value stays 3
TOLERANCES = [
    ("误差正负3%。", "正负3%", "plus or minus 3%", "plus or minus 3%"),
    ("误差±3%。", "±3%", "plus or minus 3%", "plus or minus 3%"),
    ("价格上下浮动3%。", "上下浮动3%", "plus or minus 3%", "plus or minus 3%"),
    ("偏差正负0.5万元。", "正负0.5万元", "plus or minus 0.5 ten thousand yuan", "plus or minus 5,000 yuan"),
]


@pytest.mark.parametrize(("text", "span", "verbatim", "english"), TOLERANCES)
def test_plus_or_minus_is_kept_in_both_modes(text: str, span: str, verbatim: str, english: str) -> None:
    (fig,) = find_figures(text)
    assert (fig.text, fig.sign) == (span, None)
    assert exact_value(fig) is not None and exact_value(fig) > 0
    assert render_figure(fig, "verbatim") == verbatim
    assert render_figure(fig, "english") == english


@pytest.mark.parametrize("en", ["plus or minus 3%", "±3%", "± 3%"])
def test_the_english_reader_reads_plus_or_minus_as_one_figure(en: str) -> None:
    (r,) = read_english(en)
    assert (r.value, r.qualifier, r.unit) == (Decimal(3), "pm", "percent")


def test_qa_accepts_plus_or_minus_and_finds_it_dropped() -> None:
    s = _sentence("误差正负3%。", "The error is plus or minus 3%.", "plus or minus 3%")
    assert check_sentence(s) == []
    s = _sentence("误差正负3%。", "The error is 3%.", "3%")
    assert check_sentence(s) == ["figure '正负3%' reads wrong in '3%': qualifier None not pm"]


# (sentence, verbatim English, english-mode English): a signed item keeps both its sign and the unit the
# list shares ("A unit shared by a list stays with the list")
SIGNED_LISTS = [
    ("分别为1.2、-3.4和5%。", "1.2, -3.4 and 5%", "1.2, -3.4 and 5%"),
    ("分别为-1.2、3.4和5%。", "-1.2, 3.4 and 5%", "-1.2, 3.4 and 5%"),
    (
        "分别为1.2、－3.4和－5个百分点。",
        "1.2, -3.4 and -5 percentage points",
        "1.2, -3.4 and -5 percentage points",
    ),
]


@pytest.mark.parametrize(("text", "verbatim", "english"), SIGNED_LISTS)
def test_a_signed_list_item_keeps_the_shared_unit(text: str, verbatim: str, english: str) -> None:
    (fig,) = find_figures(text)
    assert render_figure(fig, "verbatim") == verbatim
    assert render_figure(fig, "english") == english
    for en in (verbatim, english):
        assert read_english(en) == [source_reading(fig)]


def test_a_signed_list_reads_back_with_each_items_sign() -> None:
    (fig,) = find_figures("分别为1.2、-3.4和5%。")
    assert source_reading(fig).items == (Decimal("1.2"), Decimal("-3.4"), Decimal(5))
    (r,) = read_english("1.2, -3.4 and 5%")
    assert (r.kind, r.items, r.unit) == ("list", (Decimal("1.2"), Decimal("-3.4"), Decimal(5)), "percent")


def test_a_minus_that_joins_is_no_list_item_sign() -> None:
    # 5-1.2: the hyphen after a digit is a separator, so the list starts at 1.2, unsigned
    assert [f.text for f in find_figures("5-1.2、3和4%")][-1] == "1.2、3和4%"
    assert all(not p.startswith("-") for p in find_figures("5-1.2、3和4%")[-1].parts or [])


def test_qa_finds_a_list_item_that_lost_its_sign() -> None:
    s = _sentence("分别为1.2、-3.4和5%。", "They were 1.2, 3.4 and 5%.", "1.2, 3.4 and 5%")
    (finding,) = check_sentence(s)
    assert finding.startswith("figure '1.2、-3.4和5%' reads wrong in '1.2, 3.4 and 5%': items")


# (sentence, verbatim English, english-mode English, (low, high) as written): a signed range is one figure
SIGNED_RANGES = [
    ("零下3至5摄氏度", "minus 3 to minus 5 degrees Celsius", "minus 3 to minus 5 degrees Celsius", (-3, -5)),
    ("气温-3至-5℃。", "-3 to -5 degrees Celsius", "-3 to -5 degrees Celsius", (-3, -5)),
    ("气温-3~5℃。", "-3 to 5 degrees Celsius", "-3 to 5 degrees Celsius", (-3, 5)),
    (
        "约零下3至5摄氏度。",
        "about minus 3 to minus 5 degrees Celsius",
        "about minus 3 to minus 5 degrees Celsius",
        (-3, -5),
    ),
    ("增速-3%~5%。", "-3% to 5%", "-3% to 5%", (-3, 5)),
]


@pytest.mark.parametrize(("text", "verbatim", "english", "ends"), SIGNED_RANGES)
def test_a_signed_range_renders_and_reads_back_as_one_range(
    text: str, verbatim: str, english: str, ends: tuple[int, int]
) -> None:
    (fig,) = find_figures(text)
    assert render_figure(fig, "verbatim") == verbatim
    assert render_figure(fig, "english") == english
    want = source_reading(fig)
    assert (want.kind, want.value, want.hi) == ("range", Decimal(ends[0]), Decimal(ends[1]))
    for en in (verbatim, english):
        assert read_english(en) == [want]


def test_qa_accepts_a_below_zero_range_and_finds_an_end_that_lost_its_sign() -> None:
    text = "夜间零下3至5摄氏度。"
    s = _sentence(text, "At night minus 3 to minus 5 degrees Celsius.", "minus 3 to minus 5 degrees Celsius")
    assert check_sentence(s) == []
    s = _sentence(text, "At night minus 3 to 5 degrees Celsius.", "minus 3 to 5 degrees Celsius")
    assert check_sentence(s) == [
        "figure '零下3至5摄氏度' reads wrong in 'minus 3 to 5 degrees Celsius': hi 5 not -5"
    ]
