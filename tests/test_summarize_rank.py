"""Ranking on bulletins written for the purpose: a person can tell which sentences must win or lose."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest

from toolkit.doc import Document, Figure, Point, Section, Sentence, TermMatch
from toolkit.summarize import summarize
from toolkit.summarize.rank import candidates, centrality, is_boilerplate, relevance
from toolkit.summarize.similarity import TfidfSpace, bigram_tokens, cosine

# -- builders ---------------------------------------------------------------------------------------


def fig(text: str, surface: str, kind: str = "count") -> Figure:
    start = text.index(surface)
    digits = "".join(c for c in surface if c.isdigit() or c == ".")
    return Figure(start=start, end=start + len(surface), text=surface, kind=kind, digits=digits)


def term(text: str, zh: str, en: str) -> TermMatch:
    start = text.index(zh)
    return TermMatch(start=start, end=start + len(zh), text=zh, zh=zh, en=en)


def sent(
    sid: str, text: str, figures: tuple[tuple[str, str], ...] = (), terms: tuple[tuple[str, str], ...] = ()
):
    return Sentence(
        id=sid,
        text=text,
        original=text,
        figures=[fig(text, s, k) for s, k in figures],
        terms=[term(text, z, e) for z, e in terms],
    )


def section(sid: str, heading: str, body=(), points=(), subsections=(), level: int = 1) -> Section:
    return Section(
        id=sid,
        marker=f"{sid}、",
        style="cn-dun",
        number=int(sid.split(".")[-1]),
        level=level,
        heading=Sentence(id=f"h{sid}", text=heading),
        sentences=list(body),
        points=[Point(marker=f"{i + 1}是", number=i + 1, sentences=list(p)) for i, p in enumerate(points)],
        subsections=list(subsections),
    )


def bulletin(lead=(), sections=()) -> Document:
    return Document(
        source="test",
        title=Sentence(id="t1", text="脱贫攻坚简报"),
        subtitle=Sentence(id="t2", text="——某市扎实推进产业扶贫工作"),
        lead=list(lead),
        sections=list(sections),
    )


def industry_section() -> Section:
    """Point one: an opener, a sentence with the key figures, two plain ones; point two likewise smaller."""
    return section(
        "1",
        "做实产业扶贫",
        points=[
            [
                sent("s1.1.1", "一是发展特色产业，带动贫困群众增收。"),
                sent("s1.1.2", "全市各级部门积极引导贫困群众发展特色种养殖产业，推动产业扶贫工作取得实效。"),
                sent(
                    "s1.1.3",
                    "全年共投入产业扶贫资金18.92亿元，建成特色产业基地564个，带动贫困群众1.2万户增收致富。",
                    figures=(("18.92亿元", "amount"), ("564个", "count"), ("1.2万户", "count")),
                ),
                sent("s1.1.4", "各地结合实际发展特色产业，群众参与产业发展的积极性不断提高。"),
            ],
            [
                sent("s1.2.1", "二是加强技能培训，提升就业能力。"),
                sent("s1.2.2", "各地组织开展技能培训，帮助贫困群众掌握实用技术，就业能力明显提升。"),
            ],
        ],
    )


def ranked(doc: Document, **kw) -> dict[str, float]:
    summarize(doc, **kw)
    return {s.id: s.score for s in doc.sentences(headings=False)}


# -- similarity -------------------------------------------------------------------------------------


def test_bigrams_ignore_punctuation_whitespace_and_function_characters():
    toks = bigram_tokens("一是发展的产业，（扶贫）")
    assert "一是" not in toks and not any("的" in t for t in toks)
    assert not any(c in t for t in toks for c in "，（）")
    assert "发展" in toks and "产业" in toks and "扶贫" in toks


def test_words_split_by_pdf_line_breaks_still_match():
    assert bigram_tokens("广 安市脱贫攻 坚") == bigram_tokens("广安市脱贫攻坚")


def test_numbers_are_tokens_so_parallel_sentences_with_other_figures_differ():
    space = TfidfSpace(["2019年减贫100万人。", "2020年减贫80万人。", "2019年减贫100万人。"])
    a, b, c = space.vectors
    assert cosine(a, c) == pytest.approx(1.0)
    assert cosine(a, b) < 0.7


def test_cosine_bounds():
    space = TfidfSpace(["发展特色产业", "加强技能培训", "发展特色产业基地"])
    m = space.matrix()
    assert m[0][1] == 0.0 and m[0][0] == 0.0
    assert 0 < m[0][2] < 1 and m[0][2] == m[2][0]


# -- centrality -------------------------------------------------------------------------------------


def test_centrality_hub_of_a_star_wins_and_scores_sum_to_one():
    n = 5
    sim = [[0.0] * n for _ in range(n)]
    for j in range(1, n):
        sim[0][j] = sim[j][0] = 0.5
    c = centrality(sim)
    assert c[0] == max(c) and all(c[0] > x for x in c[1:])
    assert sum(c) == pytest.approx(1.0)
    assert c[1:] == [c[1]] * (n - 1)  # symmetric leaves get identical scores


def test_centrality_isolated_sentences_and_empty_graph():
    assert centrality([]) == []
    c = centrality([[0.0, 0.0], [0.0, 0.0]])
    assert c == [0.5, 0.5]


# -- features ---------------------------------------------------------------------------------------


def test_sentence_with_the_key_figures_beats_plain_siblings():
    scores = ranked(bulletin(sections=[industry_section()]), sentences=2)
    plain = [scores["s1.1.2"], scores["s1.1.4"], scores["s1.2.2"]]
    assert scores["s1.1.3"] > max(plain)


def test_a_slogan_point_opener_loses_to_what_its_point_states():
    scores = ranked(bulletin(sections=[industry_section()]))
    assert scores["s1.1.3"] > scores["s1.1.2"] > scores["s1.1.1"]  # figures, then a result, then the slogan


def test_two_picks_hold_the_key_figures_and_no_slogan_opener():
    doc = summarize(bulletin(sections=[industry_section()]), sentences=2)
    picks = doc.sections[0].summary
    assert len(picks) == 2 and "s1.1.3" in picks
    assert not {"s1.1.1", "s1.2.1"} & set(picks)


def test_a_slogan_opener_is_picked_when_its_point_has_nothing_better():
    sec = section(
        "1",
        "做实产业扶贫",
        points=[[sent("s1.1.1", "一是发展特色产业。"), sent("s1.1.2", "现将有关情况报告如下。")]],
    )
    doc = summarize(bulletin(sections=[sec]), sentences=1)
    assert doc.sections[0].summary == ["s1.1.1"]


@pytest.mark.parametrize(
    ("fact", "slogan"),
    [
        ("到2020年，乡村振兴取得重要进展，制度框架和政策体系基本形成。", "乡村振兴，产业兴旺是重点。"),
        ("实现社保“跨省通办”。", "全篇谋划，形成整体合力。"),
        ("将2018年作为脱贫攻坚作风建设年。", "坚持农业农村优先发展。"),
        (
            "党政一把手是第一责任人，五级书记抓乡村振兴。",
            "以习近平新时代中国特色社会主义思想为指导，坚持稳中求进工作总基调。",
        ),
    ],
)
def test_facts_without_key_figures_beat_slogans_and_formulas(fact, slogan):
    from toolkit.figures import find_figures

    a, b = Sentence(id="s0.0.2", text=slogan), Sentence(id="s0.0.3", text=fact)
    for s in (a, b):
        s.figures = find_figures(s.text)
    scores = _twins(a, b)
    assert scores[2] > scores[1]


def _twins(first: Sentence, second: Sentence) -> list[float]:
    opening = sent("s0.0.1", "全市累计投入扶贫资金18.92亿元。", figures=(("18.92亿元", "amount"),))
    doc = bulletin(lead=[opening, first, second])  # the twins are neither of them the lead's first statement
    cands = candidates(doc)
    space = TfidfSpace([c.sentence.text for c in cands])
    return relevance(cands, space.matrix())


def test_glossary_terms_raise_relevance():
    text = "坚持精准扶贫精准脱贫基本方略，深入推进脱贫攻坚工作。"
    scores = _twins(
        sent("s0.0.2", text), sent("s0.0.3", text, terms=(("精准扶贫", "targeted poverty alleviation"),))
    )
    assert scores[2] > scores[1]


def test_minor_figures_count_less_than_key_figures():
    text = "2020年全市减贫3万人，比上年增长15%。"
    key = sent("s0.0.3", text, figures=(("3万人", "count"), ("15%", "percent")))
    minor = sent("s0.0.2", text, figures=(("2020年", "year"),))
    scores = _twins(minor, key)
    assert scores[2] > scores[1]


@pytest.mark.parametrize(
    "text",
    [
        "现将有关情况报告如下。",
        "现将有关工作情况通报如下：",
        "主要做法如下：",
        "现就实施乡村振兴战略提出如下意见。",
        "特此通知。",
        "请结合实际认真贯彻执行。",
        "特制定本实施方案。",
        "具体情况如下。",
    ],
)
def test_boilerplate_is_recognised(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "全年共投入产业扶贫资金18.92亿元。",
        "一是发展特色产业，带动贫困群众增收。",
        "各地按照如下标准开展贫困户识别工作，确保识别精准。",
    ],
)
def test_content_is_not_boilerplate(text):
    assert not is_boilerplate(text)


def test_boilerplate_and_short_sentences_are_never_picked_over_content():
    lead = [
        sent(
            "s0.0.1",
            "今年以来，某市坚持把产业扶贫作为脱贫攻坚的根本之策，全市贫困发生率降至0.5%。",
            figures=(("0.5%", "percent"),),
        ),
        sent("s0.0.2", "成效明显。"),
        sent("s0.0.3", "现将有关情况报告如下。"),
    ]
    sec = section(
        "1",
        "主要做法",
        body=[
            sent("s1.0.1", "主要做法如下："),
            sent(
                "s1.0.2",
                "全市建立产业扶贫项目库，入库项目320个，覆盖所有贫困村。",
                figures=(("320个", "count"),),
            ),
            sent("s1.0.3", "效果较好。"),
            sent("s1.0.4", "各县区建立健全利益联结机制，确保贫困群众长期稳定受益。"),
        ],
    )
    doc = summarize(bulletin(lead=lead, sections=[sec]), sentences=2)
    assert doc.meta["summary"]["lead"] == ["s0.0.1", "s0.0.2"]  # even a short sentence beats boilerplate
    assert doc.sections[0].summary == ["s1.0.2", "s1.0.4"]  # not the boilerplate opening, not the short one
    scores = {s.id: s.score for s in doc.sentences(headings=False)}
    assert scores["s0.0.3"] < scores["s0.0.2"] < scores["s0.0.1"]


def test_near_duplicate_of_a_pick_loses_to_a_less_relevant_new_fact():
    body = [
        sent(
            "s1.0.1",
            "全年共投入产业扶贫资金18.92亿元，带动贫困群众1.2万户增收致富。",
            figures=(("18.92亿元", "amount"), ("1.2万户", "count")),
        ),
        sent(
            "s1.0.2",
            "全年累计投入产业扶贫资金18.92亿元，带动贫困群众1.2万户稳定增收致富。",
            figures=(("18.92亿元", "amount"), ("1.2万户", "count")),
        ),
        sent("s1.0.3", "同时，各地组织党员干部结对帮扶，帮助贫困群众解决生产生活困难。"),
        sent("s1.0.4", "村里召开了会议。"),
    ]
    doc = summarize(bulletin(sections=[section("1", "产业扶贫", body=body)]), sentences=2)
    scores = {s.id: s.score for s in doc.sentences(headings=False)}
    assert scores["s1.0.2"] > scores["s1.0.3"]  # by relevance alone the duplicate would come second
    assert doc.sections[0].summary == ["s1.0.1", "s1.0.3"]


def test_title_subtitle_and_headings_are_not_candidates():
    doc = summarize(
        bulletin(lead=[sent("s0.0.1", "某市扎实推进产业扶贫。")], sections=[industry_section()]), ratio=1.0
    )
    ids = {c.sentence.id for c in candidates(doc)}
    assert not ids & {"t1", "t2", "h1"}
    assert doc.title.score is None and doc.sections[0].heading.score is None
    assert all(s.score is not None for s in doc.sentences(headings=False))


# -- determinism ------------------------------------------------------------------------------------


def _outcome(doc: Document) -> dict:
    return {
        "meta": doc.meta["summary"],
        "sections": {s.id: s.summary for s in doc.iter_sections()},
        "scores": {s.id: s.score for s in doc.sentences()},
    }


def test_same_input_twice_gives_identical_output():
    a = summarize(bulletin(sections=[industry_section()]), overall=2)
    b = summarize(bulletin(sections=[industry_section()]), overall=2)
    assert _outcome(a) == _outcome(b)
    # re-summarizing a summarized document changes nothing
    again = _outcome(summarize(copy.deepcopy(a), overall=2))
    assert again == _outcome(a)


def test_output_does_not_depend_on_annotation_list_order():
    doc = bulletin(sections=[industry_section()])
    shuffled = copy.deepcopy(doc)
    for s in shuffled.sentences():
        s.figures.reverse()
        s.terms.reverse()
    assert _outcome(summarize(doc)) == _outcome(summarize(shuffled))


_CHILD = """
import json, sys
from toolkit.doc import Document
from toolkit.summarize import summarize
doc = summarize(Document.from_dict(json.load(sys.stdin)), overall=3)
print(json.dumps([doc.meta["summary"], [s.score for s in doc.sentences()]], sort_keys=True))
"""


def test_output_does_not_depend_on_hash_seed():
    doc = bulletin(
        lead=[sent("s0.0.1", "今年以来，某市坚持把产业扶贫作为脱贫攻坚的根本之策。")],
        sections=[
            industry_section(),
            section("2", "强化保障", body=[sent("s2.0.1", "各地加强资金监管，确保扶贫资金安全。")]),
        ],
    )
    payload = json.dumps(doc.to_dict(), ensure_ascii=False)
    outs = set()
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run(
            [sys.executable, "-c", _CHILD], input=payload, capture_output=True, text=True, env=env, check=True
        )
        outs.add(r.stdout)
    assert len(outs) == 1


# -- headings that state a fact ---------------------------------------------------------------------


def _standards_section() -> Section:
    """A section whose subsections are headed by the standards themselves, explained below each."""
    sub = [
        section(
            f"1.{i + 1}",
            head,
            body=[sent(f"s1.{i + 1}.0.1", body)],
            level=2,
        )
        for i, (head, body) in enumerate(
            [
                ("错退率不大于2%。", "凡出现下列情况之一的，视为错退：住房为危房的、家中有学生因贫辍学的。"),
                ("抽查工作要认真。", "各乡镇组织工作人员开展抽查，及时反馈抽查中发现的问题。"),
                ("群众工作要细致。", "工作中要重点关注贫困户收入有无明显变化，对帮扶干部是否满意。"),
                ("资料要规范。", "各村要规范整理档案资料，做到资料齐全、内容真实。"),
            ]
        )
    ]
    for s_ in sub:
        s_.heading.figures = [fig(s_.heading.text, "2%", "percent")] if "2%" in s_.heading.text else []
    return section("1", "评估验收标准", subsections=sub)


def test_a_subsection_heading_with_a_key_figure_is_quoted_without_lengthening_the_summary():
    doc = summarize(bulletin(sections=[_standards_section()]))
    ids = {c.sentence.id for c in candidates(doc)}
    assert "h1.1" in ids and not {"h1.2", "h1.3", "h1.4"} & ids  # only the heading that states a figure
    assert doc.sections[0].summary == ["h1.1"]  # 4 sentences: one pick, and it is the standard itself


@pytest.mark.parametrize("role", ["boilerplate", "table-cell"])
def test_boilerplate_and_table_cells_are_never_candidates_nor_counted(role):
    cells = [sent(f"s1.0.{i}", f"{1000 + i}", figures=((f"{1000 + i}", "count"),)) for i in range(1, 9)]
    for c in cells:
        c.role = role  # set by structure; a plain attribute until its field exists
    statement = sent("s1.0.9", "全年共投入产业扶贫资金18.92亿元。", figures=(("18.92亿元", "amount"),))
    doc = summarize(bulletin(sections=[section("1", "主要成效", body=[*cells, statement])]))
    assert {c.sentence.id for c in candidates(doc)} == {"s1.0.9"}
    assert doc.sections[0].summary == ["s1.0.9"]  # one sentence: one pick, however many cells
