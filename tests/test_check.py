"""QA of translated sentences: each finding on a hand-made sentence where it is known."""

from __future__ import annotations

from toolkit.check import check_document, check_sentence, digit_runs, qa_summary_line
from toolkit.doc import Constraint, Document, Figure, Section, Sentence

TERM_PA = {"kind": "term", "src": "扶贫", "en": "poverty alleviation", "start": 0, "end": 2}


def figure_constraint(src: str, en: str, start: int) -> dict:
    return {"kind": "figure", "src": src, "en": en, "start": start, "end": start + len(src)}


def sentence(text: str, en: str | None, constraints: list[dict], figures: list[Figure] | None = None,
             sid: str = "s1.1.1") -> Sentence:
    cons = [Constraint(**c) for c in constraints]
    return Sentence(id=sid, text=text, en=en, constraints=cons, figures=figures or [])


def test_clean_sentence_has_no_findings() -> None:
    f = Figure(start=9, end=15, text="23.4亿元", kind="amount", digits="23.4", magnitude="亿", unit="元")
    s = sentence(
        "扶贫项目总投资超过23.4亿元",
        "Poverty alleviation projects: poverty alleviation investment of 23.4 hundred million yuan.",
        [TERM_PA, TERM_PA, figure_constraint("23.4亿元", "23.4 hundred million yuan", 9)],
        [f],
    )
    assert check_sentence(s) == []  # the sentence-initial capital still matches "poverty alleviation"


def test_missing_constraint() -> None:
    s = sentence("扶贫", "Helping the poor.", [TERM_PA])
    assert check_sentence(s) == ["missing constraint 'poverty alleviation' (0 of 1)"]


def test_constraint_required_twice_present_once() -> None:
    s = sentence("扶贫与扶贫", "poverty alleviation and relief", [TERM_PA, TERM_PA])
    assert check_sentence(s) == ["missing constraint 'poverty alleviation' (1 of 2)"]


def test_a_shorter_constraint_does_not_count_inside_a_longer_one() -> None:
    longer = {"kind": "term", "src": "精准扶贫", "en": "targeted poverty alleviation", "start": 0, "end": 4}
    s = sentence("精准扶贫和扶贫", "targeted poverty alleviation and aid", [longer, TERM_PA])
    assert check_sentence(s) == ["missing constraint 'poverty alleviation' (0 of 1)"]


def test_a_figure_glued_into_a_longer_number_is_missing_and_foreign() -> None:
    s = sentence("项目18个", "180 projects", [figure_constraint("18个", "18", 2)])
    assert check_sentence(s) == ["missing constraint '18' (0 of 1)", "foreign figure '180'"]
    s = sentence("2018年", "in 2018", [figure_constraint("18", "18", 2)])
    assert "missing constraint '18' (0 of 1)" in check_sentence(s)
    c = figure_constraint("23.4亿元", "23.4 hundred million yuan", 0)
    s = sentence("23.4亿元", "23.45 hundred million yuan", [c])
    assert check_sentence(s)[0] == "missing constraint '23.4 hundred million yuan' (0 of 1)"


def test_foreign_figure() -> None:
    s = sentence("项目18个", "18 projects since 1999", [figure_constraint("18个", "18", 2)])
    assert check_sentence(s) == ["foreign figure 'since 1999'"]


def test_a_figure_restated_in_other_digits_is_the_same_value_used_twice() -> None:
    s = sentence("5000万元", "5000 ten thousand yuan, i.e. 50,000,000 yuan",
                 [figure_constraint("5000万元", "5000 ten thousand yuan", 0)])
    assert check_sentence(s) == ["foreign figure '5000 ten thousand yuan' (2 times, the source has it 1)"]
    s = sentence("5000万元", "5000 ten thousand yuan, i.e. 5,000,000 yuan",
                 [figure_constraint("5000万元", "5000 ten thousand yuan", 0)])
    assert check_sentence(s) == ["foreign figure '5,000,000 yuan'"]  # a magnitude lost on the way


def test_a_source_figure_used_more_often_than_the_source_has_it_is_foreign() -> None:
    s = sentence("项目18个", "18 projects, 18 in all", [figure_constraint("18个", "18", 2)])
    assert check_sentence(s) == ["foreign figure '18' (2 times, the source has it 1)"]


def test_a_figure_inside_a_glossary_rendering_is_not_foreign() -> None:
    term = {"kind": "term", "src": "十八大", "en": "18th CPC National Congress", "start": 2, "end": 5}
    numeral = Figure(start=2, end=4, text="十八", kind="ordinal", digits="", value=18.0, numeral="十八")
    s = sentence("党的十八大以来", "Since the 18th CPC National Congress", [term], [numeral])
    assert check_sentence(s) == []


def test_a_figure_without_a_constraint_is_reported() -> None:
    f = Figure(start=2, end=5, text="18个", kind="count", digits="18", unit="个")
    s = sentence("项目18个", "the projects", [], [f])
    assert check_sentence(s) == ["figure '18个' has no constraint"]


def test_chinese_characters_left() -> None:
    s = sentence("扶贫的工作", "poverty alleviation 的 work 工作", [TERM_PA])
    assert check_sentence(s) == ["Chinese characters left: 的工作"]


def test_empty_translation_of_a_non_empty_sentence() -> None:
    assert check_sentence(sentence("扶贫", "  ", [TERM_PA])) == ["empty translation"]
    assert check_sentence(sentence("", "", [])) == []


def test_digit_runs_tokenization() -> None:
    assert digit_runs("1,685.08 and 10,000 in 2014,2015 on 2020-12-21, 18th, 18.") == [
        "1,685.08", "10,000", "2014", "2015", "2020", "12", "21", "18", "18"]


def test_check_document_fills_qa_and_totals() -> None:
    good = sentence("扶贫", "poverty alleviation", [TERM_PA])
    bad = sentence("项目18个", "1999 projects", [figure_constraint("18个", "18", 2)], sid="s1.0.2")
    untranslated = sentence("扶贫", None, [TERM_PA], sid="s1.0.3")
    doc = Document(source="-", sections=[Section(id="1", marker="一、", style="cn-dun", number=1, level=1,
                                                 sentences=[good, bad, untranslated])])
    totals = check_document(doc)
    assert totals == {"sentences": 2, "violations": 2, "constraints": 2, "satisfied": 1, "foreign_figures": 1,
                      "wrong_values": 0}
    assert doc.meta["qa"] == totals
    assert good.qa == [] and bad.qa == ["missing constraint '18' (0 of 1)", "foreign figure '1999'"]
    assert untranslated.qa == []
    assert qa_summary_line(totals) == "QA: 2 sentences, 1/2 constraints, 1 foreign figure, 2 violations"


def test_a_figure_rendered_wrong_in_value_is_a_finding() -> None:
    f = Figure(start=0, end=8, text="超过23.4亿元", kind="amount", digits="23.4", magnitude="亿", unit="元",
               approx="超过")
    c = figure_constraint("超过23.4亿元", "2.3 billion yuan", 0)
    findings = check_sentence(sentence("超过23.4亿元", "Investment of 2.3 billion yuan.", [c], [f]))
    assert findings == [
        "figure '超过23.4亿元' reads wrong in '2.3 billion yuan': value 2300000000.0 not 2340000000.0, "
        "qualifier None not gt"
    ]
    ok = figure_constraint("超过23.4亿元", "over 2.34 billion yuan", 0)
    assert check_sentence(sentence("超过23.4亿元", "Investment of over 2.34 billion yuan.", [ok], [f])) == []


def test_summary_line_names_wrong_values_only_when_there_are_some() -> None:
    totals = {"sentences": 1, "constraints": 1, "satisfied": 1, "foreign_figures": 0, "wrong_values": 1,
              "violations": 1}
    assert qa_summary_line(totals) == (
        "QA: 1 sentence, 1/1 constraint, 0 foreign figures, 1 wrong figure value, 1 violation"
    )
