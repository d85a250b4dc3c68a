"""The leftmost-longest matcher: resolution, variants, scripts, offsets, layering."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.glossary import Entry, Glossary
from toolkit.glossary.matcher import Matcher


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


def _reference(terms: list[str], text: str) -> list[tuple[int, int]]:
    """Brute force leftmost-longest."""
    out, i = [], 0
    while i < len(text):
        best = max((len(t) for t in terms if text.startswith(t, i)), default=0)
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
