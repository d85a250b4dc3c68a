"""`bulletin glossary check`: one test per kind of finding, the output format and the model hook."""

from __future__ import annotations

import sys
import types

import pytest

from toolkit.cli import main
from toolkit.glossary.check import check_files, renderings_agree, term_numbers

HEAD = "zh\ten\tvariants\tcategory\tnote\n"


def findings(tmp_path, body: str, *more: str) -> list[str]:
    paths = []
    for i, text in enumerate((body, *more)):
        p = tmp_path / f"g{i}.tsv"
        p.write_text(HEAD + text, encoding="utf-8")
        paths.append(p)
    return [str(f) for f in check_files(paths)]


def test_clean_file_has_no_findings(tmp_path):
    assert (
        findings(
            tmp_path, "十八大\t18th CPC National Congress\t党的十八大\t\t\n扶贫\tpoverty alleviation\t\t\t\n"
        )
        == []
    )


def test_duplicate_entry(tmp_path):
    [f] = findings(tmp_path, "扶贫\tpoverty alleviation\t\t\t\n扶贫\tpoverty alleviation\t\t\t\n")
    assert f.endswith("g0.tsv:3: duplicate term 扶贫 (first at line 2)")


def test_conflicting_renderings_in_one_file(tmp_path):
    out = findings(tmp_path, "扶贫\tpoverty alleviation\t\t\t\n扶贫\tpoverty relief\t\t\t\n")
    assert any(":3: duplicate term 扶贫" in f for f in out)


@pytest.mark.parametrize(
    "row,needle",
    [
        ("扶贫\t\t\t\t\n", ":2: empty en"),
        (" 扶贫\tpoverty alleviation\t\t\t\n", ":2: whitespace padding in zh"),
        ("扶贫\tpoverty alleviation\t\tpoverty \t\n", ":2: whitespace padding in category"),
        ("扶贫\tpoverty alleviation\t\t\n", ":2: expected 5 tab-separated columns"),
    ],
)
def test_empty_padded_and_malformed_fields(tmp_path, row, needle):
    assert any(needle in f for f in findings(tmp_path, row))


def test_traditional_simplified_duplicate(tmp_path):
    out = findings(
        tmp_path, "統戰部\tUnited Front Work Department\t\t\t\n统战部\tUnited Front Work Department\t\t\t\n"
    )
    assert any("traditional/simplified duplicate: 統戰部" in f for f in out)


def test_traditional_canonical_term(tmp_path):
    out = findings(tmp_path, "脫貧攻堅\tpoverty alleviation\t\t\t\n")
    assert any("is in traditional characters; the canonical form is simplified: 脱贫攻坚" in f for f in out)


def test_variant_that_is_another_entrys_term(tmp_path):
    out = findings(tmp_path, "统战\tunited front\t\t\t\n统战部\tUnited Front Work Department\t统战\t\t\n")
    assert any(":3: variant 统战 of 统战部 is also term of 统战" in f for f in out)


def test_nested_terms_whose_renderings_disagree(tmp_path):
    out = findings(
        tmp_path, "民主监督\tdemocratic oversight\t\t\t\n民主监督员\tdemocratic supervisor\t\t\t\n"
    )
    assert any(":3: nested term 民主监督" in f and "disagrees with 民主监督员" in f for f in out)


def test_nested_disagreement_accepted_when_noted(tmp_path):
    assert (
        findings(
            tmp_path,
            "脱贫攻坚\tpoverty alleviation\t\t\t\n"
            "脱贫攻坚战\tbattle against poverty\t\t\tdistinct from 脱贫攻坚: fixed phrase\n",
        )
        == []
    )


def test_nested_agreement_allows_plural_and_case():
    assert renderings_agree("poor household", "registered poor households")
    assert renderings_agree("CPPCC", "provincial committee of the CPPCC")
    assert not renderings_agree("democratic oversight", "democratic supervisor")


def test_rendering_with_chinese_characters(tmp_path):
    assert any("contains Chinese characters" in f for f in findings(tmp_path, "扶贫\tpoverty 扶贫\t\t\t\n"))


def test_rendering_with_foreign_digits(tmp_path):
    out = findings(
        tmp_path, "十八大\t18th CPC National Congress\t\t\t\n十九大\t18th CPC National Congress\t\t\t\n"
    )
    assert [f for f in out if "digits not in the term" in f] and all(":2:" not in f for f in out)
    assert {"18", "13", "5"} <= term_numbers("十八大十三五")


def test_leading_article_and_trailing_punctuation(tmp_path):
    out = findings(tmp_path, "扶贫\tthe poverty alleviation.\t\t\t\n")
    assert any("starts with an article" in f for f in out) and any("ends with punctuation" in f for f in out)


def test_cross_file_variant_clash_is_reported_in_the_later_file(tmp_path):
    out = findings(
        tmp_path, "统战部\tUnited Front Work Department\t\t\t\n", "统一战线\tunited front\t统战部\t\t\n"
    )
    assert any("g1.tsv:2: variant 统战部 of 统一战线 is also term of 统战部" in f for f in out)


def test_cli_prints_file_line_findings_and_exits_1(tmp_path, capsys):
    p = tmp_path / "g.tsv"
    p.write_text(HEAD + "扶贫\tpoverty 扶贫\t\t\t\n", encoding="utf-8")
    assert main(["glossary", "check", "--no-default-glossary", "--glossary", str(p)]) == 1
    assert capsys.readouterr().out.startswith(f"{p}:2: rendering of 扶贫 contains Chinese characters")


def test_check_model_without_engine_is_a_model_error(tmp_path, monkeypatch, capsys):
    p = tmp_path / "g.tsv"
    p.write_text(HEAD + "扶贫\tpoverty alleviation\t\t\t\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "toolkit.translate.codec", None)
    assert main(["glossary", "check", "--no-default-glossary", "--glossary", str(p), "--model", "m"]) == 6
    assert "cannot check renderings against model m" in capsys.readouterr().err


def test_check_model_reports_unencodable_renderings(tmp_path, monkeypatch, capsys):
    p = tmp_path / "g.tsv"
    p.write_text(HEAD + "广安\tGuang'an\t\t\t\n扶贫\tpoverty alleviation\t\t\t\n", encoding="utf-8")
    calls = []
    fake = types.ModuleType("toolkit.translate.codec")
    fake.unencodable_renderings = lambda model, rs: calls.append((model, rs)) or {"Guang'an": ["'"]}
    monkeypatch.setitem(sys.modules, "toolkit.translate.codec", fake)
    assert main(["glossary", "check", "--no-default-glossary", "--glossary", str(p), "--model", "m"]) == 1
    assert calls == [("m", ["Guang'an", "poverty alleviation"])]
    assert f"{p}:2: model m cannot produce the rendering of 广安" in capsys.readouterr().out
