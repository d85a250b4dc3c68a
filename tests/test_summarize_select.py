"""Selection: sizes, bounds, document order, nesting, overall picks, picked_ids, MMR."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.doc import Document, Figure, Point, Section, Sentence
from toolkit.errors import UsageError
from toolkit.summarize import picked_ids, summarize
from toolkit.summarize.rank import candidates
from toolkit.summarize.select import mmr, quota

# -- builders ---------------------------------------------------------------------------------------

#: Distinct statements (no two near-duplicates), so every size request can be met in full.
FACTS = [
    "全市新建农村公路1200公里，实现具备条件的建制村全部通硬化路。",
    "累计完成易地扶贫搬迁3.6万人，配套建设安置点85个。",
    "健康扶贫实现贫困人口基本医疗保险参保率100%。",
    "教育扶贫资助贫困家庭学生4.2万人次，发放资助资金5600万元。",
    "新建改建农村饮水安全工程310处，解决2.8万人饮水问题。",
    "培育新型农业经营主体420家，带动贫困户1.1万户。",
    "开展劳务输出培训1.5万人次，实现转移就业9800人。",
    "实施危房改造6700户，全面消除贫困户住房安全隐患。",
    "设立扶贫小额信贷风险补偿金2亿元，发放贷款7.3亿元。",
    "建成村级光伏电站96个，每年为贫困村增加集体收入近900万元。",
    "组织东西部协作帮扶项目64个，引进协作资金1.8亿元。",
    "选派驻村第一书记和工作队员2300名，实现贫困村全覆盖。",
]


def with_figures(sid: str, text: str) -> Sentence:
    import re

    figs = [
        Figure(start=m.start(), end=m.end(), text=m.group(), kind="count", digits=m.group())
        for m in re.finditer(r"\d+(?:\.\d+)?", text)
    ]
    return Sentence(id=sid, text=text, figures=figs)


def sec(
    sid: str, body: list[Sentence] = (), points: list[list[Sentence]] = (), subs: list[Section] = ()
) -> Section:
    level = sid.count(".") + 1
    return Section(
        id=sid,
        marker=f"{sid}、",
        style="cn-dun" if level == 1 else "cn-paren",
        number=int(sid.split(".")[-1]),
        level=level,
        heading=Sentence(id=f"h{sid}", text=f"第{sid}部分标题"),
        sentences=list(body),
        points=[Point(marker="一是", number=i + 1, sentences=list(p)) for i, p in enumerate(points)],
        subsections=list(subs),
    )


def facts(prefix: str, start: int, n: int) -> list[Sentence]:
    return [with_figures(f"{prefix}.{i + 1}", FACTS[(start + i) % len(FACTS)]) for i in range(n)]


def three_sections() -> Document:
    """Lead of 2, section 1 of 8 (body + 2 points), section 2 of 4, section 3 with a heading only."""
    lead = facts("s0.0", 0, 2)
    s1 = sec("1", body=facts("s1.0", 2, 2), points=[facts("s1.1", 4, 3), facts("s1.2", 7, 3)])
    s2 = sec("2", body=facts("s2.0", 10, 4))
    s3 = sec("3")
    return Document(source="t", title=Sentence(id="t1", text="简报"), lead=lead, sections=[s1, s2, s3])


def section_ids(s: Section) -> list[str]:
    out = [x.id for x in s.sentences] + [x.id for p in s.points for x in p.sentences]
    for sub in s.subsections:
        out += section_ids(sub)
    return out


def doc_order(doc: Document) -> list[str]:
    return [s.id for s in doc.sentences(headings=False)]


# -- sizes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "kw", "expected"),
    [
        (0, {}, 0),
        (1, {}, 1),
        (3, {}, 1),  # a quarter of 3 rounds to 1
        (6, {}, 2),  # 1.5 rounds half up
        (8, {}, 2),
        (15, {}, 4),
        (5, {"sentences": 3}, 3),
        (2, {"sentences": 3}, 2),  # capped at the section size
        (10, {"ratio": 0.01}, 1),  # at least one
        (10, {"ratio": 1.0}, 10),
        (10, {"ratio": 0.5}, 5),
    ],
)
def test_quota(n, kw, expected):
    assert quota(n, **kw) == expected


@pytest.mark.parametrize(
    "kw",
    [
        {"sentences": 2, "ratio": 0.5},
        {"sentences": 0},
        {"sentences": -1},
        {"sentences": True},
        {"sentences": 1.5},
        {"ratio": 0},
        {"ratio": 1.5},
        {"ratio": -0.2},
        {"overall": 0},
    ],
)
def test_bad_sizes_are_usage_errors_and_leave_the_document_alone(kw):
    doc = three_sections()
    with pytest.raises(UsageError):
        summarize(doc, **kw)
    assert "summary" not in doc.meta and all(s.summary == [] for s in doc.sections)


def test_default_is_about_a_quarter_and_at_least_one_per_non_empty_section():
    doc = summarize(three_sections())
    assert len(doc.meta["summary"]["lead"]) == 1  # 2 sentences
    assert len(doc.sections[0].summary) == 2  # 8 sentences
    assert len(doc.sections[1].summary) == 1  # 4 sentences
    assert doc.sections[2].summary == []  # heading only: nothing to pick
    assert doc.meta["summary"]["params"]["ratio"] == 0.25


@pytest.mark.parametrize("k", [1, 2, 3, 50])
def test_sentences_per_section(k):
    doc = summarize(three_sections(), sentences=k)
    assert len(doc.meta["summary"]["lead"]) == min(k, 2)
    assert len(doc.sections[0].summary) == min(k, 8)
    assert len(doc.sections[1].summary) == min(k, 4)


def test_ratio_one_keeps_every_distinct_sentence():
    doc = summarize(three_sections(), ratio=1.0)
    assert doc.sections[0].summary == section_ids(doc.sections[0])


# -- order, scope -----------------------------------------------------------------------------------


def test_picks_belong_to_their_section_and_keep_document_order():
    doc = summarize(three_sections(), ratio=0.6)
    order = doc_order(doc)
    for s in doc.sections:
        assert set(s.summary) <= set(section_ids(s))
        assert s.summary == sorted(s.summary, key=order.index)
    lead = doc.meta["summary"]["lead"]
    assert set(lead) <= {x.id for x in doc.lead} and lead == sorted(lead, key=order.index)


def test_subsections_are_pooled_into_their_top_level_section():
    sub1 = sec("1.1", body=facts("s1.1.0", 0, 3))
    sub2 = sec("1.2", body=facts("s1.2.0", 3, 5))
    doc = Document(source="t", sections=[sec("1", body=facts("s1.0", 8, 1), subs=[sub1, sub2])])
    summarize(doc, ratio=0.5)
    top = doc.sections[0]
    assert len(top.summary) == 5  # half of all 9 sentences, not half of each part
    assert sub1.summary == [] and sub2.summary == []
    assert any(i.startswith(("s1.1.0", "s1.2.0")) for i in top.summary)
    assert top.summary == [i for i in section_ids(top) if i in top.summary]


def test_document_order_follows_offsets_when_the_reader_set_them():
    point = [Sentence(id="s1.1.1", text="一是加强组织领导，压实各级责任。", start=10, end=26)]
    # body text that stands after the point in the text
    tail = Sentence(id="s1.0.1", text="此外，各地还开展了督查检查工作。", start=30, end=46)
    doc = Document(source="t", sections=[sec("1", body=[tail], points=[point])])
    assert [c.sentence.id for c in candidates(doc)] == ["s1.1.1", "s1.0.1"]
    summarize(doc, ratio=1.0)
    assert doc.sections[0].summary == ["s1.1.1", "s1.0.1"]


# -- overall ----------------------------------------------------------------------------------------


def test_overall_picks_across_sections_in_document_order():
    doc = summarize(three_sections(), overall=3)
    overall = doc.meta["summary"]["overall"]
    assert len(overall) == 3 and len(set(overall)) == 3
    assert overall == sorted(overall, key=doc_order(doc).index)
    groups = {c.sentence.id: c.group for c in candidates(doc)}
    assert len({groups[i] for i in overall}) >= 2


def test_overall_only_when_asked_capped_and_free_of_cross_section_repeats():
    assert "overall" not in summarize(three_sections()).meta["summary"]
    doc = summarize(three_sections(), overall=100)
    texts = [c.sentence.text for c in candidates(doc)]
    assert len(texts) == 14 and len(set(texts)) == 12  # section 2 repeats the two lead sentences
    picked = [s.text for s in doc.sentences(headings=False) if s.id in doc.meta["summary"]["overall"]]
    assert len(picked) == 12 and len(set(picked)) == 12


# -- picked_ids -------------------------------------------------------------------------------------


def test_picked_ids_are_the_union_once_each_in_document_order():
    doc = summarize(three_sections(), overall=4)
    ids = picked_ids(doc)
    meta = doc.meta["summary"]
    union = set(meta["lead"]) | set(meta["overall"]) | {i for s in doc.sections for i in s.summary}
    assert set(ids) == union and len(ids) == len(set(ids))
    assert ids == sorted(ids, key=doc_order(doc).index)
    assert not {"t1", "h1", "h2", "h3"} & set(ids)


def test_picked_ids_empty_before_summarize_and_for_an_empty_document():
    assert picked_ids(three_sections()) == []
    empty = summarize(Document(source="t", title=Sentence(id="t1", text="简报")))
    assert picked_ids(empty) == [] and empty.meta["summary"]["lead"] == []


# -- MMR --------------------------------------------------------------------------------------------


def test_mmr_skips_a_near_duplicate_even_if_fewer_than_k_remain():
    rel = [0.9, 0.85, 0.2]
    sim = [[0.0, 0.95, 0.1], [0.95, 0.0, 0.1], [0.1, 0.1, 0.0]]
    assert mmr(rel, sim, 2) == [0, 2]
    assert mmr(rel, sim, 3) == [0, 2]  # the duplicate is never taken


def test_mmr_prefers_novelty_over_slightly_higher_relevance():
    rel = [0.9, 0.62, 0.6]
    sim = [[0.0, 0.65, 0.0], [0.65, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert mmr(rel, sim, 2) == [0, 2]


def test_mmr_ties_go_to_the_earlier_sentence_and_picks_come_back_sorted():
    rel = [0.5, 0.5, 0.5, 0.9]
    sim = [[0.0] * 4 for _ in range(4)]
    assert mmr(rel, sim, 2) == [0, 3]
    assert mmr([0.5] * 4, sim, 3) == [0, 1, 2]


# -- invariants on random bulletins -----------------------------------------------------------------

POOL = FACTS + [
    "一是加强组织领导。",
    "现将有关情况报告如下。",
    "各地认真落实各项政策措施，确保取得实效。",
    "全市贫困发生率由2014年的12.3%降至0.3%。",
]


@settings(max_examples=40, deadline=None)
@given(
    pools=st.lists(st.lists(st.integers(0, len(POOL) - 1), max_size=9), min_size=1, max_size=4),
    size=st.one_of(
        st.just({}),
        st.integers(1, 6).map(lambda k: {"sentences": k}),
        st.floats(0.05, 1.0).map(lambda r: {"ratio": r}),
    ),
    overall=st.one_of(st.none(), st.integers(1, 8)),
)
def test_invariants(pools, size, overall):
    sections = [
        sec(str(i + 1), body=[with_figures(f"s{i + 1}.0.{j + 1}", POOL[k]) for j, k in enumerate(ks)])
        for i, ks in enumerate(pools)
    ]
    doc = summarize(Document(source="t", sections=sections), overall=overall, **size)
    order = doc_order(doc)
    for s in doc.sections:
        n = len(section_ids(s))
        assert (len(s.summary) >= 1) == (n >= 1)
        assert len(s.summary) <= quota(n, **size)
        assert set(s.summary) <= set(section_ids(s)) and s.summary == sorted(s.summary, key=order.index)
    if overall is not None:
        assert len(doc.meta["summary"]["overall"]) <= overall
    ids = picked_ids(doc)
    assert ids == sorted(set(ids), key=order.index)
    assert _outcome(summarize(doc, overall=overall, **size)) == _outcome(doc)


def _outcome(doc: Document) -> tuple:
    return doc.meta["summary"], [s.summary for s in doc.sections], [s.score for s in doc.sentences()]


# -- the real example, once the reader stages are in place -----------------------------------------


def test_example_bulletin_one_summary_per_section_stable_across_runs():
    pytest.importorskip("toolkit.figures")
    from toolkit.pipeline import load_document

    example = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
    runs = [summarize(load_document(str(example))) for _ in range(2)]
    doc = runs[0]
    assert _outcome(runs[0]) == _outcome(runs[1])
    assert doc.lead and doc.meta["summary"]["lead"]
    assert all(s.summary for s in doc.sections if section_ids(s))
    every = set(order := doc_order(doc))
    ids = picked_ids(doc)
    assert set(ids) <= every and len(ids) < len(order) / 2  # a fraction of the document
