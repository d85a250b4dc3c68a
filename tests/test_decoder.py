"""The constrained decoder's guarantees on the tiny model: constraints present with their counts,
no digit outside a constraint, termination, any beam size and batch size."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.doc import Constraint
from toolkit.translate.decoder import constrained_beam_search
from toolkit.translate.engine import Engine

SRC = "党的十八大以来,广安市各民主党派广泛凝聚思想共识,多形式参与脱贫攻坚工作"
RENDERINGS = [
    "poverty alleviation", "poverty", "democratic parties", "18th National Congress", "Guang'an City",
    "targeted poverty alleviation", "rural revitalization", "the Communist Party of China", "more than",
]
ZH_WORDS = ["脱贫攻坚", "民主党派", "广安市", "乡村振兴", "项目", "总投资", "亿元", "全面建成小康社会",
            "工作", "群众"]


def whole_count(en: str, c: str) -> int:
    """Non-overlapping occurrences of ``c`` in ``en`` that stand alone: a figure is not the start or end
    of a longer number (10 in 100, 4 in 4.8, 12 in 12,000) and a word not part of a longer word."""

    def joins(ch: str, beyond: str) -> bool:
        return ch.isalnum() or (ch != "" and ch in ".," and beyond.isdigit())

    n, at = 0, en.find(c)
    while at >= 0:
        end = at + len(c)
        ok = not (c[0].isalnum() and joins(en[at - 1 : at], en[at - 2 : at - 1])) and not (
            c[-1].isalnum() and joins(en[end : end + 1], en[end + 1 : end + 2]))
        n += ok
        at = en.find(c, end if ok else at + 1)
    return n


def count_ok(en: str, cons: list[str]) -> bool:
    """Every constraint stands in ``en`` at least as often as it is listed (the decoder's guarantee)."""
    return all(whole_count(en, c) >= cons.count(c) for c in set(cons))


def test_whole_count_is_stricter_than_str_count() -> None:
    assert whole_count("100 households, 10 times", "10") == 1
    assert whole_count("1000 and 4.8 and 12,000", "10") == whole_count("4.8", "4") == 0
    assert whole_count("12,000", "12") == whole_count("12,000", "000") == 0
    assert whole_count("poverty alleviation and povertyless poverty", "poverty") == 2
    assert whole_count("18th, 18", "18") == 1 and whole_count("x 18.", "18") == 1


def foreign_digits(en: str, cons: list[str]) -> str:
    rest = en
    for c in sorted(set(cons), key=len, reverse=True):
        rest = rest.replace(c, " ")
    return "".join(re.findall(r"\d", rest))


def sub_count(seq: list[int], sub: list[int]) -> int:
    n, i = 0, 0
    while i + len(sub) <= len(seq):
        if seq[i:i + len(sub)] == sub:
            n, i = n + 1, i + len(sub)
        else:
            i += 1
    return n


def run(engine: Engine, cons_ids: list[list[int]], *, beams: int, max_new: int, src: str = SRC) -> list[int]:
    return constrained_beam_search(engine.model, [engine.codec.encode_source(src)], [cons_ids], engine.vocab,
                                   beams=beams, max_new=[max_new])[0]


@pytest.mark.parametrize("beams", [1, 4])
def test_constraint_longer_than_the_ratio_limit_is_forced_in(tiny_engine: Engine, beams: int) -> None:
    long = "the Communist Party of China targeted poverty alleviation rural revitalization"
    c = tiny_engine.codec.encode_constraint(long)
    out = run(tiny_engine, [c], beams=beams, max_new=len(c) + 1, src="工作")
    assert out == c  # the budget leaves no room for anything else
    out = tiny_engine.translate(["工作"], [["the Communist Party of China targeted poverty alleviation"]],
                                beams=beams, max_len_ratio=0.1, min_len_ratio=0.0, margin=1)[0]
    assert "the Communist Party of China targeted poverty alleviation" in out


@pytest.mark.parametrize("beams", [1, 3])
def test_two_constraints_sharing_tokens(tiny_engine: Engine, beams: int) -> None:
    a = tiny_engine.codec.encode_constraint("poverty alleviation")
    b = tiny_engine.codec.encode_constraint("targeted poverty alleviation")
    assert set(a) & set(b)
    out = run(tiny_engine, [a, b], beams=beams, max_new=40)
    assert sub_count(out, b) >= 1 and sub_count(out, a) >= 2  # a inside b does not count for a twice over


@pytest.mark.parametrize("beams", [1, 4])
def test_constraint_that_is_a_prefix_of_another(tiny_engine: Engine, beams: int) -> None:
    cons = ["poverty", "poverty alleviation"]
    en = tiny_engine.translate([SRC], [cons], beams=beams)[0]
    assert en.count("poverty alleviation") >= 1 and en.count("poverty") >= 2


@pytest.mark.parametrize("beams", [1, 2, 5])
def test_same_constraint_twice_appears_twice(tiny_engine: Engine, beams: int) -> None:
    cons = ["democratic parties", "democratic parties", "18"]
    en = tiny_engine.translate([SRC], [cons], beams=beams)[0]
    assert en.count("democratic parties") >= 2 and en.count("18") >= 1
    ids = tiny_engine.codec.encode_constraint("democratic parties")
    out = run(tiny_engine, [ids, ids], beams=beams, max_new=2 * len(ids) + 1)
    assert out == ids + ids


def test_constraint_starts_with_a_word_initial_piece(tiny_engine: Engine) -> None:
    texts = ("poverty alleviation", "2020-12-21", "Issue 93", "more than 1.2 ten thousand mu",
             "Guang'an City")
    for text in texts:
        ids = tiny_engine.codec.encode_constraint(text)
        assert tiny_engine.codec.id_to_piece[ids[0]].startswith("\u2581")
        assert tiny_engine.codec.decode(ids) == text  # sentence-initially
        of = tiny_engine.codec.encode_constraint("of")
        assert tiny_engine.codec.decode(of + ids) == "of " + text  # mid-sentence
    en = tiny_engine.translate([SRC], [["2020-12-21", "Issue 93"]], beams=2)[0]
    assert "2020-12-21" in en and "Issue 93" in en


def test_digits_only_inside_constraints(tiny_engine: Engine) -> None:
    srcs = ["赴京汇报10余次,赴省对接近100次", "总投资超过23.4亿元", "2020年12月21日"]
    for beams in (1, 4):
        outs = tiny_engine.translate(srcs, [[], ["over 23.4 hundred million yuan"], []], beams=beams)
        assert not re.search(r"\d", outs[0] + outs[2])
        assert foreign_digits(outs[1], ["over 23.4 hundred million yuan"]) == ""


def test_free_vocabulary_has_no_digits_bytes_or_specials(tiny_engine: Engine) -> None:
    v = tiny_engine.vocab
    pieces = tiny_engine.codec.id_to_piece
    free = [pieces[i] for i in v.free.nonzero().flatten().tolist()]
    assert free and not any(re.search(r"\d", p) or p.startswith("<") for p in free)
    assert not v.free[v.eos_id] and not v.free[v.pad_id]
    assert v.digit[tiny_engine.codec.tvocab["<0x35>"]]


def test_batched_equals_single(tiny_engine: Engine) -> None:
    srcs = [SRC, "总投资超过23.4亿元", "广安市各民主党派"]
    cons = [["democratic parties"], ["over 23.4 hundred million yuan"], []]
    batched = tiny_engine.translate(srcs, cons, beams=3, batch_size=3)
    single = [tiny_engine.translate([s], [c], beams=3)[0] for s, c in zip(srcs, cons, strict=True)]
    assert batched == single


def test_long_sentence_is_split_and_constraints_follow_their_span(tiny_engine: Engine) -> None:
    part = "广安市各民主党派广泛凝聚思想共识"
    src = "，".join([part] * 40) + "。"
    assert len(tiny_engine.codec.encode_source(src)) > tiny_engine.max_source
    start = src.rindex("广安市")
    res = tiny_engine.translate_batch([src], [[Constraint("Guang'an City", start=start, end=start + 3),
                                               Constraint("democratic parties", start=3, end=7)]], beams=1)[0]
    assert res.pieces > 1
    assert "Guang'an City" in res.en and "democratic parties" in res.en
    assert res.en.index("democratic parties") < res.en.index("Guang'an City")


def test_unencodable_constraint_is_reported_not_dropped(tiny_engine: Engine, tiny_model_dir) -> None:
    from toolkit.translate.codec import unencodable_renderings

    # the tiny target spm has byte fallback: everything encodes
    assert unencodable_renderings(tiny_model_dir, ["café", "2020-12-21"]) == {}
    res = tiny_engine.translate_batch(["工作"], [["a\ufb01b"]])[0]  # NFKC turns the ligature into "fi"
    assert res.unencodable == {"a\ufb01b": ["\ufb01"]}


zh_sentence = st.lists(
    st.one_of(st.sampled_from(ZH_WORDS), st.integers(0, 99999).map(str),
              st.decimals(0, 999, places=1).map(lambda d: f"{d}亿元")),
    min_size=1, max_size=6,
).map("，".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batch=st.lists(st.tuples(zh_sentence, st.lists(st.sampled_from(RENDERINGS), max_size=4)), min_size=1,
                   max_size=16),
    beams=st.integers(1, 8),
    batch_size=st.integers(1, 16),
)
def test_property_every_constraint_present_no_foreign_digits(tiny_engine: Engine, batch, beams, batch_size):
    srcs = [s for s, _ in batch]
    cons = []
    for s, picked in batch:
        figures = re.findall(r"\d+(?:\.\d+)?", s)  # every figure of the source becomes a constraint
        cons.append(list(picked) + figures)
    outs = tiny_engine.translate(srcs, cons, beams=beams, batch_size=batch_size)
    for en, cs in zip(outs, cons, strict=True):
        assert count_ok(en, cs), (en, cs)
        assert foreign_digits(en, cs) == "", (en, cs)
