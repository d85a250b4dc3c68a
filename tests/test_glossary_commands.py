"""`bulletin glossary` actions, target-file resolution, locking and atomic writes."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.glossary.formats import read_entries

HEAD = "zh\ten\tvariants\tcategory\tnote\n"
BASE = HEAD + "扶贫\tpoverty alleviation\t\tpoverty\t\n民主监督\tdemocratic oversight\t\tunited-front\tSCIO\n"


@pytest.fixture
def base(tmp_path, monkeypatch) -> Path:
    """A small default glossary in place of the shipped one (tests never write the shipped file)."""
    p = tmp_path / "base.tsv"
    p.write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("BULLETIN_GLOSSARY", str(p))
    return p


def run(*argv: str) -> int:
    return main(["glossary", *argv])


def test_list_merges_layers_later_wins(base, tmp_path, capsys):
    user = tmp_path / "user.tsv"
    user.write_text(HEAD + "民主监督\tdemocratic supervision\t\t\t\n", encoding="utf-8")
    assert run("list", "--glossary", str(user)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "zh\ten\tvariants\tcategory\tnote",
        "扶贫\tpoverty alleviation\t\tpoverty\t",
        "民主监督\tdemocratic supervision\t\t\t",
    ]
    assert run("list", "--category", "poverty") == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["扶贫\tpoverty alleviation\t\tpoverty\t"]


def test_no_default_glossary(base, tmp_path, capsys):
    user = tmp_path / "user.tsv"
    user.write_text(HEAD + "统战部\tUnited Front Work Department\t\t\t\n", encoding="utf-8")
    assert run("list", "--no-default-glossary", "--glossary", str(user)) == 0
    assert [ln.split("\t")[0] for ln in capsys.readouterr().out.splitlines()[1:]] == ["统战部"]


def test_search_zh_en_and_traditional(base, capsys):
    assert run("search", "监督") == 0
    assert "民主监督" in capsys.readouterr().out
    assert run("search", "OVERSIGHT") == 0
    assert "民主监督" in capsys.readouterr().out
    assert run("search", "民主監督") == 0
    assert "民主监督" in capsys.readouterr().out
    assert run("search", "nothing-like-this") == 0
    assert capsys.readouterr().out == ""


def test_add_writes_the_default_glossary_sorted(base, capsys):
    assert (
        run(
            "add",
            "统战部",
            "United Front Work Department",
            "--variant",
            "中央统战部",
            "--category",
            "united-front",
            "--note",
            "CPC",
        )
        == 0
    )
    assert "added 统战部" in capsys.readouterr().out
    lines = base.read_text(encoding="utf-8").splitlines()
    assert "统战部\tUnited Front Work Department\t中央统战部\tunited-front\tCPC" in lines
    assert [ln.split("\t")[0] for ln in lines[1:]] == sorted(ln.split("\t")[0] for ln in lines[1:])


def test_add_target_is_file_then_last_glossary(base, tmp_path):
    first, last, explicit = tmp_path / "a.tsv", tmp_path / "b.tsv", tmp_path / "sub" / "c.tsv"
    first.write_text(HEAD, encoding="utf-8")
    assert run("add", "党委", "Party committee", "--glossary", str(first), "--glossary", str(last)) == 0
    assert [e.zh for e in read_entries(last)] == ["党委"] and read_entries(first) == []
    assert run("add", "政协", "CPPCC", "--glossary", str(last), "--file", str(explicit)) == 0
    assert [e.zh for e in read_entries(explicit)] == ["政协"]
    assert base.read_text(encoding="utf-8") == BASE


def test_add_refuses_existing_term_bad_fields_and_variant_clash(base, capsys):
    assert run("add", "扶贫", "poverty relief") == 5
    assert "already in" in capsys.readouterr().err
    assert run("add", "精准扶贫", " targeted poverty alleviation") == 5
    assert "whitespace padding in en" in capsys.readouterr().err
    assert run("add", "扶贫工作", "poverty alleviation work", "--variant", "扶贫") == 5
    assert "扶贫 is already a term or variant of 扶贫" in capsys.readouterr().err
    assert base.read_text(encoding="utf-8") == BASE


def test_no_target_with_no_default_glossary_is_usage_error(base, capsys):
    assert run("add", "党委", "Party committee", "--no-default-glossary") == 2


def test_edit_in_place_and_copy_from_lower_layer(base, tmp_path, capsys):
    assert run("edit", "扶贫", "--en", "poverty relief", "--add-variant", "扶贫工作") == 0
    [e] = [e for e in read_entries(base) if e.zh == "扶贫"]
    assert (e.en, e.variants, e.category) == ("poverty relief", ("扶贫工作",), "poverty")
    user = tmp_path / "user.tsv"
    assert run("edit", "民主监督", "--en", "democratic supervision", "--glossary", str(user)) == 0
    assert "copied" in capsys.readouterr().out
    [u] = read_entries(user)
    assert (u.zh, u.en, u.note) == ("民主监督", "democratic supervision", "SCIO")
    assert run("edit", "不存在", "--en", "x") == 5
    assert run("edit", "扶贫", "--clear-variants") == 0
    assert [e.variants for e in read_entries(base) if e.zh == "扶贫"] == [()]


def test_remove(base, tmp_path, capsys):
    assert run("remove", "扶贫") == 0
    assert [e.zh for e in read_entries(base)] == ["民主监督"]
    assert run("remove", "扶贫") == 5
    user = tmp_path / "user.tsv"
    user.write_text(HEAD + "民主监督\tdemocratic supervision\t\t\t\n", encoding="utf-8")
    assert run("remove", "民主监督", "--glossary", str(user)) == 0
    assert "still defined in" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["tsv", "csv", "tbx", "json"])
def test_export_then_import_round_trip(base, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert run("export", "--format", fmt, "-o", str(out)) == 0
    target = tmp_path / "copy.tsv"
    assert run("import", str(out), "--file", str(target)) == 0
    got = [(e.zh, e.en, e.variants, e.category, e.note) for e in read_entries(target)]
    want = [(e.zh, e.en, e.variants, e.category, e.note) for e in read_entries(base)]
    if fmt == "csv":  # the DeepL/Google layout carries zh and en only
        got, want = [g[:2] for g in got], [w[:2] for w in want]
    assert got == want


def test_import_on_conflict_keep_replace_fail(base, tmp_path, capsys):
    src = tmp_path / "in.json"
    src.write_text(
        json.dumps(
            {
                "entries": [
                    {"zh": "扶贫", "en": "poverty relief"},
                    {"zh": "统战部", "en": "United Front Work Department"},
                    {
                        "zh": "民主监督",
                        "en": "democratic oversight",
                        "category": "united-front",
                        "note": "SCIO",
                    },
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert run("import", str(src), "--on-conflict", "fail") == 5
    assert "nothing imported" in capsys.readouterr().err and base.read_text(encoding="utf-8") == BASE
    assert run("import", str(src)) == 0
    out = capsys.readouterr()
    assert "1 added, 0 changed, 1 unchanged, 1 skipped as conflicting" in out.out
    assert {e.zh: e.en for e in read_entries(base)}["扶贫"] == "poverty alleviation"
    assert run("import", str(src), "--on-conflict", "replace") == 0
    assert "0 added, 1 changed, 2 unchanged" in capsys.readouterr().out
    assert {e.zh: e.en for e in read_entries(base)}["扶贫"] == "poverty relief"


def test_import_skips_rows_with_empty_en_clearly(base, tmp_path, capsys):
    src = tmp_path / "suggested.tsv"
    src.write_text(HEAD + "光彩事业\t\t\t\t3x quoted\n同心圆\tconcentric circle\t\t\t\n", encoding="utf-8")
    assert run("import", str(src)) == 0
    out = capsys.readouterr()
    assert f"{src}:2: skipped 光彩事业: empty en" in out.err and "1 skipped with empty en" in out.out
    assert "同心圆" in {e.zh for e in read_entries(base)} and "光彩事业" not in {
        e.zh for e in read_entries(base)
    }


def test_malformed_target_is_reported_and_not_written(base, capsys):
    bad = BASE + "坏行\tonly two\n"
    base.write_text(bad, encoding="utf-8")
    assert run("add", "党委", "Party committee") == 5
    assert f"{base}:4: expected 5 tab-separated columns" in capsys.readouterr().err
    assert base.read_text(encoding="utf-8") == bad


def test_interrupted_write_leaves_old_file_and_no_temp(base, monkeypatch, capsys):
    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    assert run("add", "党委", "Party committee") == 7
    assert base.read_text(encoding="utf-8") == BASE
    assert sorted(p.name for p in base.parent.iterdir() if p.name.endswith(".tmp")) == []


def test_stats(base, capsys):
    assert run("stats") == 0
    out = capsys.readouterr().out
    assert "2  entries in total" in out and "category poverty" in out


def _add_many(path: str, prefix: str, n: int) -> None:
    for i in range(n):
        code = main(
            [
                "glossary",
                "add",
                f"{prefix}{i:02d}词",
                f"{prefix} term",
                "--no-default-glossary",
                "--file",
                path,
            ]
        )
        assert code == 0


def test_concurrent_adds_from_two_processes_lose_nothing(tmp_path):
    path = tmp_path / "shared.tsv"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_add_many, args=(str(path), p, 20)) for p in ("甲", "乙")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    zh = [e.zh for e in read_entries(path)]
    assert len(zh) == 40 and zh == sorted(zh)
