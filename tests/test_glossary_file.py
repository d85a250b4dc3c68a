"""The shipped glossary: size, order, cleanliness and coverage of the example bulletin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.glossary import Glossary
from toolkit.glossary.store import shipped_glossary_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"

ACCEPTANCE = (
    "脱贫攻坚 民主党派 全面建成小康社会 十八大 多党合作 精准帮扶 统战部 民主监督 社情民意 光彩事业 扶贫日 "
    "致公党 民革 民盟 民建 民进 贫困户 贫困村 广安 武胜 小平故里 领导小组 特邀监督员"
).split()


@pytest.fixture(autouse=True)
def _shipped(monkeypatch):
    monkeypatch.delenv("BULLETIN_GLOSSARY", raising=False)


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary.load()


def test_shipped_glossary_is_where_the_package_says():
    assert shipped_glossary_path() == ROOT / "glossary" / "policy.tsv"


def test_has_at_least_400_entries(shipped):
    assert len(shipped) >= 400


def test_rows_sorted_by_code_point_and_unique():
    lines = shipped_glossary_path().read_text(encoding="utf-8").splitlines()
    # the sixth column marks blocking entries (长江村, 扶贫委员会): the shipped file has some
    assert lines[0] == "zh\ten\tvariants\tcategory\tnote\tblocking"
    terms = [line.split("\t")[0] for line in lines[1:]]
    assert terms == sorted(terms)
    assert len(terms) == len(set(terms))


def test_check_exits_0_on_shipped_glossary(capsys):
    assert main(["glossary", "check"]) == 0
    assert capsys.readouterr().out == ""


def test_example_acceptance_terms_all_match(shipped):
    text = re.sub(r"\s+", "", EXAMPLE.read_text(encoding="utf-8"))
    matches = shipped.match(text)
    found = {m.zh for m in matches} | {m.text for m in matches}
    assert [t for t in ACCEPTANCE if t not in found] == []
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.en == shipped.lookup(m.text).en


@pytest.mark.parametrize(
    "abbr,name,en",
    [
        ("民革", "中国国民党革命委员会", "Revolutionary Committee of the Chinese Kuomintang"),
        ("民盟", "中国民主同盟", "China Democratic League"),
        ("民建", "中国民主建国会", "China National Democratic Construction Association"),
        ("民进", "中国民主促进会", "China Association for Promoting Democracy"),
        ("农工党", "中国农工民主党", "Chinese Peasants and Workers Democratic Party"),
        ("致公党", "中国致公党", "China Zhi Gong Party"),
        ("九三学社", "九三学社", "Jiusan Society"),
        ("台盟", "台湾民主自治同盟", "Taiwan Democratic Self-Government League"),
        ("工商联", "中华全国工商业联合会", "All-China Federation of Industry and Commerce"),
    ],
)
def test_democratic_parties_official_names(shipped, abbr, name, en):
    e = shipped.lookup(abbr)
    assert (e.zh, e.en) == (name, en)


def test_longest_term_wins_in_example_phrases(shipped):
    # the review added 打赢脱贫攻坚战 ("win the battle against poverty"), longer than 脱贫攻坚战
    [m] = shipped.match("全力打赢脱贫攻坚战")[-1:]
    assert m.zh == "打赢脱贫攻坚战"
    assert [m.zh for m in shipped.match("脱贫攻坚战取得全面胜利")][:1] == ["脱贫攻坚战"]
    assert shipped.get("无党派人士").en == "personages without party affiliation"


def test_guard_words_keep_party_abbreviations_out_of_ordinary_words(shipped):
    zh = {m.zh for m in shipped.match("带领人民进行建设，农民建房补助，村民建房")}
    assert not zh & {"中国民主促进会", "中国民主建国会"}
