"""The library's Glossary API: add/edit/remove/import_entries/save with the locking, the re-read and
the clash checks; blocking entries through every format; the import fixes (stdin, fail names the
import file's line, replace keeps blank fields)."""

from __future__ import annotations

import io
import sys

import pytest

from toolkit.cli import main
from toolkit.errors import GlossaryError
from toolkit.glossary import Entry, Glossary
from toolkit.glossary.formats import dumps, parse, read_entries, write_entries

HEAD = "zh\ten\tvariants\tcategory\tnote\n"
BASE = HEAD + "扶贫\tpoverty alleviation\t\tpoverty\tSCIO\n民主监督\tdemocratic oversight\t\tunited-front\t\n"


@pytest.fixture
def base(tmp_path, monkeypatch):
    p = tmp_path / "base.tsv"
    p.write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("BULLETIN_GLOSSARY", str(p))
    return p


def test_add_edit_remove_apply_at_once_and_reach_the_file_on_save(base):
    g = Glossary.load()
    assert g.target == base
    g.add(Entry("党委", "Party committee", category="cpc"))
    g.edit("扶贫", en="poverty relief", add_variants=["扶贫工作"])
    g.remove("民主监督")
    assert g.get("党委").en == "Party committee" and g.lookup("扶贫工作").en == "poverty relief"
    assert "民主监督" not in g and g.unsaved == 3
    assert base.read_text(encoding="utf-8") == BASE  # nothing written before save()
    messages = g.save()
    assert len(messages) == 3 and g.unsaved == 0
    assert {(e.zh, e.en, e.variants) for e in read_entries(base)} == {
        ("党委", "Party committee", ()),
        ("扶贫", "poverty relief", ("扶贫工作",)),
    }


def test_save_replays_on_the_file_as_it_is_now(base):
    """Another writer's entry, added between load and save, survives (read-modify-write under the lock)."""
    mine, theirs = Glossary.load(), Glossary.load()
    mine.add(Entry("党委", "Party committee"))
    theirs.add(Entry("政协", "CPPCC"))
    theirs.save()
    mine.save()
    assert {e.zh for e in read_entries(base)} == {"扶贫", "民主监督", "党委", "政协"}


def test_a_change_that_no_longer_fits_raises_and_writes_nothing(base):
    mine, theirs = Glossary.load(), Glossary.load()
    mine.add(Entry("党委", "Party committee"))
    theirs.add(Entry("党委", "Party Committee of X"))
    theirs.save()
    before = base.read_bytes()
    with pytest.raises(GlossaryError, match="already in"):
        mine.save()
    assert base.read_bytes() == before and mine.unsaved == 1


def test_clash_checks_refuse_at_once(base):
    g = Glossary.load()
    with pytest.raises(GlossaryError, match="already a term or variant of 扶贫"):
        g.add(Entry("扶贫工作", "poverty alleviation work", variants=("扶贫",)))
    with pytest.raises(GlossaryError, match="whitespace padding"):
        g.add(Entry("党委", " Party committee"))
    with pytest.raises(GlossaryError, match="not in the glossary"):
        g.edit("不存在", en="x")
    assert g.unsaved == 0 and g.save() == []


def test_edit_copies_a_lower_layer_entry_into_the_target(base, tmp_path):
    user = tmp_path / "user.tsv"
    g = Glossary.load([user])
    assert g.target == user
    g.edit("扶贫", en="poverty relief")
    g.save()
    [e] = read_entries(user)
    assert (e.zh, e.en, e.category, e.note) == ("扶贫", "poverty relief", "poverty", "SCIO")
    assert base.read_text(encoding="utf-8") == BASE


def test_loads_reads_a_string():
    g = Glossary.loads("zh,en\n扶贫,poverty alleviation\n", "csv")
    assert g.get("扶贫").en == "poverty alleviation"


# -- blocking entries --------------------------------------------------------------------------------

ENTRIES = [
    Entry("长江", "Yangtze River", category="place"),
    Entry("长江村", "", ("長江村村",), "place", "a village, not the river", blocking=True),
]


@pytest.mark.parametrize("fmt", ["tsv", "tbx", "json"])
def test_blocking_round_trips(tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    write_entries(path, ENTRIES)
    assert [e.key() for e in read_entries(path)] == [e.key() for e in ENTRIES]


def test_tsv_has_the_sixth_column_only_when_needed():
    assert dumps(ENTRIES[:1], "tsv").splitlines()[0] == HEAD.strip()
    lines = dumps(ENTRIES, "tsv").splitlines()
    assert lines[0] == HEAD.strip() + "\tblocking" and lines[2].endswith("\tyes")
    assert lines[1] == "长江\tYangtze River\t\tplace\t\t"


def test_csv_leaves_blocking_entries_out():
    assert dumps(ENTRIES, "csv") == "长江,Yangtze River\n"


@pytest.mark.parametrize(
    "text,needle",
    [
        (HEAD.strip() + "\tblocking\n长江村\t\t\tplace\t\tmaybe\n", "blocking must be 'yes' or empty"),
        (HEAD.strip() + "\tblocking\n长江村\tChangjiang Village\t\tplace\t\tyes\n", "forces none"),
        (HEAD.strip() + "\tblocking\n长江村\t\t\tplace\t\n", "expected 6 tab-separated columns"),
    ],
)
def test_malformed_blocking_rows(text, needle):
    [e] = parse(text, "tsv", "x.tsv")
    assert any(needle in p for p in e.problems)


def test_blocking_entry_suppresses_the_shorter_term_and_yields_no_match():
    g = Glossary(ENTRIES)
    assert g.match("长江村村民") == []
    assert [m.en for m in g.match("保护长江")] == ["Yangtze River"]


def test_cli_add_and_edit_blocking(base, capsys):
    assert main(["glossary", "add", "扶贫委员会", "--blocking", "--note", "HK"]) == 0
    [e] = [e for e in read_entries(base) if e.zh == "扶贫委员会"]
    assert e.blocking and e.en == ""
    assert main(["glossary", "add", "长江村", "Changjiang Village", "--blocking"]) == 2
    assert main(["glossary", "add", "长江村"]) == 2
    assert main(["glossary", "edit", "扶贫委员会", "--not-blocking", "--en", "Commission on Poverty"]) == 0
    assert [e.blocking for e in read_entries(base) if e.zh == "扶贫委员会"] == [False]


def test_check_reports_a_blocking_entry_that_blocks_nothing(tmp_path, capsys):
    p = tmp_path / "g.tsv"
    p.write_text(
        HEAD.strip() + "\tblocking\n扶贫\tpoverty alleviation\t\t\t\t\n长江村\t\t\t\t\tyes\n",
        encoding="utf-8",
    )
    assert main(["glossary", "check", "--no-default-glossary", "--glossary", str(p)]) == 1
    assert f"{p}:3: blocking entry 长江村 contains no other term" in capsys.readouterr().out


# -- import ------------------------------------------------------------------------------------------


def test_import_fail_names_the_import_files_line(base, tmp_path, capsys):
    src = tmp_path / "in.tsv"
    src.write_text(HEAD + "党委\tParty committee\t\t\t\n扶贫\tpoverty relief\t\t\t\n", encoding="utf-8")
    assert main(["glossary", "import", str(src), "--on-conflict", "fail"]) == 5
    err = capsys.readouterr().err
    assert f"{src}:3: 扶贫 conflicts with {base}:2" in err
    assert base.read_text(encoding="utf-8") == BASE


def test_import_replace_keeps_fields_the_import_leaves_blank(base, tmp_path, capsys):
    src = tmp_path / "in.csv"  # CSV carries zh and en only
    src.write_text("扶贫,poverty relief\n", encoding="utf-8")
    assert main(["glossary", "import", str(src), "--on-conflict", "replace"]) == 0
    [e] = [e for e in read_entries(base) if e.zh == "扶贫"]
    assert (e.en, e.category, e.note) == ("poverty relief", "poverty", "SCIO")


def test_import_reads_stdin(base, monkeypatch, capsys):
    data = (HEAD + "党委\tParty committee\t\tcpc\t\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert main(["glossary", "import", "-"]) == 0
    assert "imported <stdin>" in capsys.readouterr().out
    assert "党委" in {e.zh for e in read_entries(base)}


def test_import_from_stdin_names_stdin_in_errors(base, monkeypatch, capsys):
    data = (HEAD + "党委\tonly two\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert main(["glossary", "import", "-"]) == 5
    assert "<stdin>:2: expected 5 tab-separated columns" in capsys.readouterr().err


def test_readme_glossary_example_runs(tmp_path, monkeypatch):
    """The README's Python example of the glossary API, run as written (in a scratch folder)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    tail = readme.split("The same operations from Python", 1)[1]
    code = tail.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.delenv("BULLETIN_GLOSSARY", raising=False)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    got = {e.zh: e for e in read_entries(tmp_path / "my-terms.tsv")}
    assert got["过渡期"].en == "transition period" and got["长江村"].blocking
    assert got["扶贫"].note == "SCIO 2021" and got["扶贫"].en == "poverty alleviation"
