"""The shipped glossary after the review (/work/shared/glossary-review.md): corrected entries, two
different phrases for 精准扶贫、精准脱贫, names that block a shorter term, longer entries that win.

The expected renderings are the review's (official sources: party congress reports, SCIO white
papers, Xinhua, the NPC's law translations), written here by hand - not read from the glossary.
"""

from __future__ import annotations

import pytest

from toolkit.glossary import Glossary


@pytest.fixture(autouse=True)
def _shipped(monkeypatch):
    monkeypatch.delenv("BULLETIN_GLOSSARY", raising=False)


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary.load()


CORRECTED = [
    # wrong before
    ("全面建成小康社会", "completing the building of a moderately prosperous society in all respects"),
    ("全面建设小康社会", "building a moderately prosperous society in all respects"),
    ("精准脱贫", "targeted poverty elimination"),
    # more official
    ("一带一路", "Belt and Road"),
    ("一带一路倡议", "Belt and Road Initiative"),
    ("民主党派", "non-CPC political parties"),
    ("民主党派中央", "central committees of the non-CPC political parties"),
    ("八项规定", "eight-point decision on improving conduct"),
    ("中央八项规定", "central Party leadership's eight-point decision on improving conduct"),
    ("村民小组", "villagers' group"),
    ("三农", "agriculture, rural areas and rural people"),
    ("区域性整体贫困", "overall regional poverty"),
    ("扶贫日", "National Poverty Relief Day"),
    ("新发展格局", "new pattern of development"),
    ("中央农村工作领导小组", "Central Leading Group for Rural Affairs"),
    ("中央纪委", "CPC Central Commission for Discipline Inspection"),
    ("第一书记", "first Party secretary"),
    ("黔南布依族苗族自治州", "Qiannan Bouyei and Miao Autonomous Prefecture"),
    ("社会扶贫", "social involvement in poverty alleviation"),
    ("新的社会阶层人士", "people from the new social strata"),
    # one casing rule: generic functions lowercase, the pair of strategies alike
    ("统战部", "united front work department"),
    ("省委办公厅", "general office of the provincial Party committee"),
    ("省政府办公厅", "general office of the provincial government"),
    ("四个全面", "Four-Pronged Comprehensive Strategy"),
    ("五位一体", "Five-Sphere Integrated Plan"),
    ("物联网", "internet of things"),
]


@pytest.mark.parametrize("zh,en", CORRECTED)
def test_corrected_entry(shipped, zh, en):
    assert shipped.get(zh).en == en


@pytest.mark.parametrize(
    "zh,old",
    [
        ("民主党派", "democratic parties"),
        ("三农", "farmers"),
        ("中央农村工作领导小组", "Central Rural Work Leading Group"),
        ("新发展格局", "new development paradigm"),
    ],
)
def test_previous_rendering_kept_in_the_note_where_still_common(shipped, zh, old):
    assert old in shipped.get(zh).note


def test_every_entry_the_review_added_names_a_source(shipped):
    added = [e for e in shipped.entries if e.zh in {z for z, _ in CORRECTED} | MISSING]
    assert added and all(e.note.strip() for e in added)


MISSING = {
    "打赢脱贫攻坚战",
    "决战决胜脱贫攻坚",
    "决战脱贫攻坚",
    "全面胜利",
    "三大攻坚战",
    "六个精准",
    "五个一批",
    "防止规模性返贫",
    "过渡期",
    "特困人员",
    "低保户",
    "万企帮万村",
    "治理有效",
    "生活富裕",
    "三农工作",
    "党派成员",
    "民革四川省委",
    "专题协商会",
    "全过程人民民主",
    "铸牢中华民族共同体意识",
    "省委",
    "市委",
    "县委",
    "省政协办公厅",
    "省人大常委会办公厅",
    "省直有关部门",
    "中国式现代化",
    "人类命运共同体",
    "两个维护",
    "新质生产力",
}


@pytest.mark.parametrize("zh", sorted(MISSING))
def test_missing_term_added(shipped, zh):
    assert shipped.get(zh) is not None and shipped.get(zh).en


def test_two_phrases_for_targeted_alleviation_and_elimination(shipped):
    ms = shipped.match("坚持精准扶贫、精准脱贫基本方略")
    assert [(m.text, m.en) for m in ms] == [
        ("精准扶贫", "targeted poverty alleviation"),
        ("精准脱贫", "targeted poverty elimination"),
    ]


@pytest.mark.parametrize(
    "text,name,forbidden",
    [
        ("江苏长江村党委书记", "长江村", "Yangtze River"),
        ("香港特区政府扶贫委员会召开会议", "扶贫委员会", "poverty alleviation"),
        ("香港特區政府扶貧委員會召開會議", "扶贫委员会", "poverty alleviation"),  # traditional input
        ("政府统计处公布数据", "政府统计处", "government"),
    ],
)
def test_blocking_names_force_nothing(shipped, text, name, forbidden):
    assert shipped.get(name).blocking and shipped.get(name).en == ""
    assert forbidden not in {m.en for m in shipped.match(text)}


def test_blocking_names_leave_the_short_term_alone_elsewhere(shipped):
    assert [m.en for m in shipped.match("长江经济带")][:1] == ["Yangtze River"]
    assert "poverty alleviation" in {m.en for m in shipped.match("扶贫工作取得成效")}


def test_blocking_works_through_the_pipeline(shipped, tmp_path):
    from toolkit.pipeline import load_document

    src = tmp_path / "b.txt"
    src.write_text("长江村和扶贫委员会的代表参加了长江保护座谈会。\n", encoding="utf-8")
    doc = load_document(str(src), glossary=shipped)
    ens = [t.en for s in doc.all_sentences() for t in s.terms]
    assert ens.count("Yangtze River") == 1 and "poverty alleviation" not in ens


@pytest.mark.parametrize(
    "text,zh,en",
    [
        ("召开建言献策座谈会", "建言献策座谈会", "symposium for advice and suggestions"),
        ("省政协办公厅", "省政协办公厅", "general office of the provincial committee of the CPPCC"),
        ("全市民主党派成员还结合岗位特点", "民主党派成员", "members of non-CPC political parties"),
        ("推进一带一路倡议", "一带一路倡议", "Belt and Road Initiative"),
        ("做好三农工作", "三农工作", "work related to agriculture, rural areas and rural people"),
    ],
)
def test_longer_entry_wins(shipped, text, zh, en):
    assert [(m.zh, m.en) for m in shipped.match(text) if m.zh == zh] == [(zh, en)]
    assert all(
        not (m.zh != zh and m.start >= text.index(zh) and m.end <= text.index(zh) + len(zh))
        for m in shipped.match(text)
    )
