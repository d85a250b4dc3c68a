"""The leftmost-longest matcher: resolution, variants, scripts, offsets, layering, word boundaries."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.glossary import Entry, Glossary
from toolkit.glossary.boundaries import segmenter
from toolkit.glossary.matcher import Matcher
from toolkit.glossary.store import shipped_glossary_path
from toolkit.pipeline import load_document


def g(*rows: tuple) -> Glossary:
    return Glossary([Entry(r[0], r[1], tuple(r[2:])) for r in rows])


def test_longer_nested_term_wins():
    gl = g(("脱贫攻坚", "poverty alleviation"), ("脱贫攻坚战", "battle against poverty"))
    ms = gl.match("打赢脱贫攻坚战，推进脱贫攻坚")
    assert [(m.zh, m.start, m.end) for m in ms] == [("脱贫攻坚战", 2, 7), ("脱贫攻坚", 10, 14)]


def test_overlapping_terms_leftmost_wins_deterministically():
    gl = g(("民主监督", "democratic oversight"), ("监督员", "supervisor"))
    assert [m.zh for m in gl.match("民主监督员")] == ["民主监督"]
    assert [m.zh for m in gl.match("特邀监督员")] == ["监督员"]


def test_variant_maps_to_entry_with_surface_text():
    gl = g(("中国民主促进会", "China Association for Promoting Democracy", "民进"))
    [m] = gl.match("民进广安市支部")
    assert (m.zh, m.text, m.en, m.start, m.end) == (
        "中国民主促进会",
        "民进",
        "China Association for Promoting Democracy",
        0,
        2,
    )


def test_traditional_entry_matches_simplified_text():
    gl = g(("統戰部", "United Front Work Department"))
    [m] = gl.match("市委统战部定期汇报")
    assert (m.text, m.zh) == ("统战部", "統戰部")


def test_simplified_entry_is_not_converted():
    # 乾 must stay 乾: OpenCC t2s would make it 干
    gl = g(("乾安县", "Qian'an County"))
    assert [m.text for m in gl.match("吉林省乾安县")] == ["乾安县"]


def test_offsets_index_the_given_text_and_en_is_exact():
    gl = g(("广安", "Guang'an"), ("武胜", "Wusheng"))
    text = "以广安（武胜）基地建设为依托"
    for m in gl.match(text):
        assert text[m.start : m.end] == m.text
    assert [m.en for m in gl.match(text)] == ["Guang'an", "Wusheng"]


def test_canonical_term_beats_a_variant_with_the_same_surface():
    gl = g(("统战", "united front"), ("统战部", "United Front Work Department", "统战"))
    assert gl.match("统战")[0].zh == "统战"


def test_later_layer_wins(tmp_path):
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    head = "zh\ten\tvariants\tcategory\tnote\n"
    a.write_text(head + "民主监督\tdemocratic supervision\t\t\t\n", encoding="utf-8")
    b.write_text(head + "民主监督\tdemocratic oversight\t\t\t\n", encoding="utf-8")
    gl = Glossary.load([a, b], default=False)
    [m] = gl.match("开展民主监督")
    assert (m.en, m.source) == ("democratic oversight", str(b))
    assert gl.describe() == {
        "files": [{"path": str(a), "entries": 1}, {"path": str(b), "entries": 1}],
        "total": 1,
    }
    assert [e.en for e in gl.shadowed("民主监督")] == ["democratic supervision"]


def test_empty_glossary_and_empty_text():
    assert Glossary().match("脱贫攻坚") == []
    assert g(("扶贫", "poverty alleviation")).match("") == []


def _reference(terms: list[str], text: str, cut: set[int] | None = None) -> list[tuple[int, int]]:
    """Brute force leftmost-longest (over the occurrences whose ends are both in ``cut``, when given)."""
    out, i = [], 0
    while i < len(text):
        best = max(
            (
                len(t)
                for t in terms
                if text.startswith(t, i) and (cut is None or (i in cut and i + len(t) in cut))
            ),
            default=0,
        )
        if best:
            out.append((i, i + best))
            i += best
        else:
            i += 1
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text("甲乙丙丁", min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
    st.text("甲乙丙丁戊", max_size=40),
)
def test_matches_brute_force_leftmost_longest(terms, text):
    m = Matcher([Entry(t, f"t{i}") for i, t in enumerate(terms)])
    assert [(a, b) for a, b, _ in m.spans(text)] == _reference(terms, text)


# -- word boundaries: a term never matches across two words ---------------------------------------
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"

ACCEPTANCE = (
    "脱贫攻坚 民主党派 全面建成小康社会 十八大 多党合作 精准帮扶 统战部 民主监督 社情民意 光彩事业 扶贫日 "
    "致公党 民革 民盟 民建 民进 贫困户 贫困村 广安 武胜 小平故里 领导小组 特邀监督员"
).split()


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary.load([shipped_glossary_path()], default=False)  # not $BULLETIN_GLOSSARY


def surfaces(gl: Glossary, text: str) -> list[str]:
    return [m.text for m in gl.match(text)]


@pytest.mark.parametrize(
    "text,term",
    [
        ("加强行政协调", "政协"),  # 行政|协调
        ("推广安全生产经验", "广安"),  # 推广|安全
        ("带领人民进行建设", "民进"),  # 人民|进行
        ("农民建房补助", "民建"),
        ("村民建房", "民建"),
        ("农民革命", "民革"),
        ("城市长期发展", "市长"),
        ("政党组织", "党组织"),
        ("贫困村民就业", "贫困村"),  # 贫困|村民: poor villagers, not a poor village
    ],
)
def test_term_straddling_two_words_is_rejected(shipped, text, term):
    assert term in text and shipped.matcher.spans(text)  # the raw trie finds it...
    assert term not in surfaces(shipped, text)  # ...the word-boundary filter does not


@pytest.mark.parametrize(
    "text,expected",
    [
        ("民进广安市支部", ["民进", "广安市"]),
        # the review added 民革四川省委 and 省委/市委 (updated): the boundary still falls at 四川|省委
        ("民革四川省委", ["民革四川省委"]),
        ("民盟四川省委", ["民盟", "四川", "省委"]),  # 四川|省委: not 四川省 (Sichuan Province)
        ("其中民革广安市委协调", ["民革", "广安", "市委"]),  # 广安|市委: not 广安市
        ("民建会员黄志标", ["民建"]),
        ("民盟盟员熊维应", ["民盟"]),
        ("市委统战部定期汇报", ["市委", "统战部"]),
        ("县政协主席", ["政协"]),  # a term may be the head of a compound jieba keeps whole
        ("各级党委和政府", ["党委", "政府"]),
        ("中共中央国务院关于实施乡村振兴战略的意见", ["中共中央", "国务院", "乡村振兴战略"]),
        ("聘请特邀监督员", ["特邀监督员"]),
        ("利用小平故里的优势", ["小平故里"]),
    ],
)
def test_terms_on_word_boundaries_are_kept(shipped, text, expected):
    assert surfaces(shipped, text) == expected


def test_ordinary_words_force_no_rendering(shipped):
    # no entry exists only to block matches (guard words like 人民 'people' or 农民 'farmer')
    assert shipped.match("带领人民进行建设，农民建房补助，村民建房，居民建房，公民进行监督，人民币") == []


def test_small_glossary_needs_no_guards():
    gl = g(("政协", "CPPCC"), ("中国民主促进会", "China Association for Promoting Democracy", "民进"))
    assert gl.match("加强行政协调，带领人民进行建设") == []
    assert [m.text for m in gl.match("全国政协委员，民进会员")] == ["政协", "民进"]


def test_example_acceptance_terms_match_in_its_sentences(shipped):
    doc = load_document(str(EXAMPLE), glossary=shipped)
    found = {m.text for s in doc.all_sentences() for m in s.terms} | {
        m.zh for s in doc.all_sentences() for m in s.terms
    }
    assert [t for t in ACCEPTANCE if t not in found] == []
    for s in doc.all_sentences():
        for m in s.terms:
            assert s.text[m.start : m.end] == m.text


def test_matches_are_deterministic_and_independent_of_entry_order():
    text = EXAMPLE.read_text(encoding="utf-8").replace("\n", "")
    entries = Glossary.load([shipped_glossary_path()], default=False).entries
    first = [(m.start, m.end, m.zh) for m in Glossary(entries).match(text)]
    shuffled = entries[:]
    random.Random(1).shuffle(shuffled)
    segmenter.cache_clear()  # a fresh jieba dictionary, words added from another order
    assert [(m.start, m.end, m.zh) for m in Glossary(shuffled).match(text)] == first
    assert len(first) > 50


def test_global_jieba_dictionary_is_untouched():
    import jieba

    g(("甲乙丙丁戊己", "a made-up term")).match("甲乙丙丁戊己庚")
    assert not jieba.dt.initialized or "甲乙丙丁戊己" not in jieba.dt.FREQ


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text("人民进行政协调广安全", min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
    st.text("人民进行政协调广安全，", max_size=30),
)
def test_word_spans_are_leftmost_longest_over_word_aligned_occurrences(terms, text):
    m = Matcher([Entry(t, f"t{i}") for i, t in enumerate(terms)])
    cut = m.segmenter.boundaries(text)  # every offset of the text, all blocks segmented
    assert [(a, b) for a, b, _ in m.word_spans(text)] == _reference(terms, text, cut)


def test_released_word_boundaries_are_rebuilt_and_match_alike() -> None:
    """translate hands the segmenter's memory back before loading the model; matching afterwards
    loads it again and finds the same terms."""
    from toolkit.glossary import boundaries
    from toolkit.glossary.store import Glossary

    g = Glossary.load()
    text = "全面推进乡村振兴，巩固拓展脱贫攻坚成果，行政协调"
    boundaries.release()  # whatever earlier tests left
    before = g.match(text)
    assert boundaries._base_tokenizer is not None and boundaries.segmenter.cache_info().currsize == 1
    g.release_word_boundaries()
    assert boundaries._base_tokenizer is None and boundaries.segmenter.cache_info().currsize == 0
    assert g.matcher._segmenter is None
    assert g.match(text) == before and before
