"""The casing rule of `glossary check` (README, "Casing") and `check --corpus DIR`'s compounds."""

from __future__ import annotations

import pytest

from toolkit.cli import main
from toolkit.glossary.casing import is_title_case
from toolkit.glossary.check import check_files

HEAD = "zh\ten\tvariants\tcategory\tnote\n"


def findings(tmp_path, body: str) -> list[str]:
    p = tmp_path / "g.tsv"
    p.write_text(HEAD + body, encoding="utf-8")
    return [str(f) for f in check_files([p])]


@pytest.mark.parametrize(
    "en,title",
    [
        ("Office of the Central Leading Group for Rural Affairs", True),
        ("18th CPC National Congress", True),
        ("State-owned Assets Supervision and Administration Commission", True),
        ("general office of the provincial Party committee", False),
        ("Party committee", False),
    ],
)
def test_title_case(en, title):
    assert is_title_case(en) is title


def test_a_consistent_glossary_passes(tmp_path):
    body = (
        "办公厅\tgeneral office\t\t\t\n"
        "省委办公厅\tgeneral office of the provincial Party committee\t\t\t\n"
        "国务院办公厅\tGeneral Office of the State Council\t\t\t\n"
        "中国科学院\tChinese Academy of Sciences\t\t\t\n"
        "中国科学院院士\tacademician of the Chinese Academy of Sciences\t\t\t\n"
        "工业互联网\tindustrial internet\t\t\t\n"
        "互联网+\tInternet Plus\t\t\t\n"
        "四川\tSichuan\t\tplace\t\n"
        "四川人\tpeople of Sichuan\t\t\t\n"
    )
    assert findings(tmp_path, body) == []


def test_mixed_casing_is_a_finding(tmp_path):
    [f] = findings(
        tmp_path,
        "办公厅\tgeneral office\t\t\t\n省委办公厅\tGeneral office of the provincial committee\t\t\t\n",
    )
    assert f.endswith(
        "g.tsv:3: casing: 'General office of the provincial committee' mixes Title Case and "
        "lowercase (General): a proper name capitalises every major word, a generic term only "
        "proper nouns"
    )


def test_generic_term_in_title_case_beside_lowercase_siblings(tmp_path):
    out = findings(
        tmp_path, "宣传部\tpublicity department\t\t\t\n统战部\tUnited Front Work Department\t\t\t\n"
    )
    assert len(out) == 1 and ":3: casing: 'United Front Work Department' is Title Case but 宣传部" in out[0]


def test_qualified_or_noted_names_may_be_title_case(tmp_path):
    body = (
        "宣传部\tpublicity department\t\t\t\n"
        "中央宣传部\tPublicity Department of the CPC Central Committee\t\t\t\n"
        "红十字会\tRed Cross Society\t\t\tproper name\n"
        "小康社会\tmoderately prosperous society\t\t\t\n"
    )
    assert findings(tmp_path, body) == []


def test_internet_and_hyphenation(tmp_path):
    out = findings(
        tmp_path,
        "工业互联网\tindustrial internet\t\t\t\n数字平台\tInternet platform service\t\t\t\n"
        "基层\tprimary-level\t\t\t\n基层组织\tprimary level organization\t\t\t\n",
    )
    assert any(":3: casing: 'Internet platform service'" in f for f in out)
    assert any(":5: hyphenation: 'primary level organization' writes 'primary level'" in f for f in out)


def test_cli_corpus_lists_compounds_without_a_longer_entry(tmp_path, capsys):
    g = tmp_path / "g.tsv"
    g.write_text(
        HEAD + "建言献策\toffer advice and suggestions\t\t\t\n扶贫\tpoverty alleviation\t\t\t\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "bulletins"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "简报\n\n召开建言献策座谈会。\n再次召开建言献策座谈会，做好扶贫工作。\n", encoding="utf-8"
    )
    (corpus / "b.txt").write_text("简报\n\n举行建言献策座谈会。\n", encoding="utf-8")
    args = ["glossary", "check", "--no-default-glossary", "--glossary", str(g), "--corpus", str(corpus)]
    assert main(args) == 0  # advice, not findings
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{corpus / 'a.txt'}:3: compound 建言献策+座谈会 (3x in 2 file(s)) has no longer entry: "
        "'offer advice and suggestions' is forced before 座谈会"
    )
    g.write_text(
        g.read_text(encoding="utf-8") + "建言献策座谈会\tsymposium for advice and suggestions\t\t\t"
        "distinct from 建言献策\n",
        encoding="utf-8",
    )
    assert main(args) == 0
    assert "建言献策+座谈会" not in capsys.readouterr().out


def test_cli_corpus_must_be_a_folder_of_bulletins(tmp_path, capsys):
    assert main(["glossary", "check", "--corpus", str(tmp_path / "none")]) == 3
    assert "not a directory" in capsys.readouterr().err
