"""`bulletin glossary suggest`: candidates, coverage, and an output that imports after filling in."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.glossary import Entry, Glossary
from toolkit.glossary.formats import read_entries
from toolkit.glossary.suggest import suggest

SENTENCES = [
    "全市开展“烛光行动”和“送健康下基层”活动。",
    "出台《关于支持民主党派开展民主监督的实施方案》。",
    "四川省脱贫攻坚领导小组办公室召开会议。",
    "扶贫车间带动就业，扶贫车间覆盖全县，扶贫车间成效明显。",
]


@pytest.fixture
def gl() -> Glossary:
    return Glossary([Entry("烛光行动", "Candlelight Action"), Entry("民主监督", "democratic oversight")])


def test_finds_quoted_titles_names_and_frequent_terms(gl):
    got = {c.zh: c for c in suggest(SENTENCES, gl)}
    assert "送健康下基层" in got and "quoted" in got["送健康下基层"].kinds
    assert "关于支持民主党派开展民主监督的实施方案" in got
    assert any(z.endswith("办公室") and "name" in got[z].kinds for z in got)
    assert got["扶贫车间"].count == 3
    assert got["送健康下基层"].first == SENTENCES[0]


def test_covered_terms_are_not_suggested(gl):
    got = {c.zh for c in suggest(SENTENCES, gl)}
    assert "烛光行动" not in got and "民主监督" not in got


def test_ranked_quoted_before_frequent_words(gl):
    ranked = [c.zh for c in suggest(SENTENCES, gl)]
    assert ranked.index("送健康下基层") < ranked.index("扶贫车间") or "扶贫车间" not in ranked


def test_cli_output_imports_after_filling_in(tmp_path, monkeypatch, capsys):
    bulletin = tmp_path / "b.txt"
    bulletin.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    monkeypatch.setenv("BULLETIN_GLOSSARY", str(tmp_path / "none.tsv"))
    out = tmp_path / "suggest.tsv"
    assert main(["glossary", "suggest", str(bulletin), "--no-default-glossary", "-o", str(out)]) == 0
    rows = read_entries(out, allow_empty_en=True)
    assert rows and all(e.en == "" and "first:" in e.note for e in rows)
    text = out.read_text(encoding="utf-8").replace("扶贫车间\t\t", "扶贫车间\tpoverty alleviation workshop\t")
    out.write_text(text, encoding="utf-8")
    target = tmp_path / "user.tsv"
    assert main(["glossary", "import", str(out), "--file", str(target)]) == 0
    assert [(e.zh, e.en) for e in read_entries(target)] == [("扶贫车间", "poverty alleviation workshop")]
    assert "skipped" in capsys.readouterr().err


def test_example_bulletin_suggestions_exclude_glossary_terms(monkeypatch, capsys):
    monkeypatch.delenv("BULLETIN_GLOSSARY", raising=False)
    example = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
    assert main(["glossary", "suggest", str(example), "--top", "30"]) == 0
    zh = [ln.split("\t")[0] for ln in capsys.readouterr().out.splitlines()[1:]]
    assert len(zh) == 30 and "脱贫攻坚" not in zh and "民主党派" not in zh
