"""`bulletin translate` end to end with the tiny model: structure kept, every guarantee checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_runs import run_json
from test_decoder import whole_count

from toolkit.chinese import t2s
from toolkit.cli import main
from toolkit.doc import Document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"


@pytest.fixture(scope="module")
def translated(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Document:
    out = tmp_path_factory.mktemp("translate") / "example.json"
    return Document.from_dict(run_json("translate", EXAMPLE, tiny_model_dir, out))


def test_every_sentence_translated_and_qa_clean(translated: Document) -> None:
    qa = translated.meta["qa"]
    assert qa["violations"] == 0 and qa["foreign_figures"] == 0
    assert qa["constraints"] == qa["satisfied"] > 150
    for sent in translated.all_sentences():
        assert sent.en and sent.en.strip(), sent.id
        assert sent.qa == [], (sent.id, sent.qa)


def test_every_constraint_is_in_the_english_as_often_as_required(translated: Document) -> None:
    for sent in translated.all_sentences():
        need: dict[str, int] = {}
        for c in sent.constraints:
            need[c.en] = need.get(c.en, 0) + 1
        en = sent.en
        lowered = en[:1].lower() + en[1:]  # the sentence-initial capital is the one case change allowed
        for text, n in need.items():
            assert max(whole_count(en, text), whole_count(lowered, text)) >= n, (sent.id, text)


def test_figures_and_terms_become_constraints(translated: Document) -> None:
    cons = [c for s in translated.all_sentences() for c in s.constraints]
    figures = {c.src: c.en for c in cons if c.kind == "figure"}
    assert figures["超过23.4亿元"] == "over 23.4 hundred million yuan"
    assert figures["1.2万余亩"] == "more than 1.2 ten thousand mu"
    terms = {c.zh for c in cons if c.kind == "term"}
    assert {"脱贫攻坚", "民主监督", "统战部", "光彩事业", "扶贫日"} <= terms
    # 十八大 is both a figure (18) and a glossary term: the term's rendering carries it, once
    lead = translated.lead[0]
    assert [c.kind for c in lead.constraints if "十八大" in c.src] == ["term"]
    assert any(f.text == "十八大" for f in lead.figures)


def test_structure_is_kept_in_english(translated: Document) -> None:
    eng = translated.meta["english"]
    assert eng["header"]["issue"] == "Issue 93" and eng["header"]["date"] == "2020-12-21"
    assert [eng["headings"][s.id].split()[0] for s in translated.sections] == ["I.", "II.", "III."]
    labels = [eng["points"][f"{s.id}.{p.number}"] for s in translated.sections for p in s.points]
    assert labels == [
        "First,",
        "Second,",
        "Third,",
        "First,",
        "Second,",
        "Third,",
        "Fourth,",
        "First,",
        "Second,",
        "Third,",
    ]
    assert eng["footer"]["distribution"].startswith("Distribution: ")
    assert eng["footer"]["printed"].endswith("on 2020-12-21")


def test_markdown_output_shows_the_structure(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["translate", str(EXAMPLE), "--model", str(tiny_model_dir), "--beams", "1"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert "Issue 93" in out and "2020-12-21" in out
    assert [line.split()[1] for line in out.splitlines() if line.startswith("## ")] == ["I.", "II.", "III."]
    assert out.count("**First,**") == 3 and out.count("**Fourth,**") == 1
    assert "Distribution: " in out
    assert "0 violations" in err.strip().splitlines()[-1]


def test_traditional_input_translates_like_its_simplified_form(
    translated: Document, tiny_model_dir: Path, tmp_path: Path
) -> None:
    import opencc

    trad = tmp_path / "trad.txt"
    trad.write_text(opencc.OpenCC("s2t").convert(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "trad.json"
    doc = Document.from_dict(run_json("translate", trad, tiny_model_dir, out))
    assert doc.traditional
    simp = {s.id: s for s in translated.sentences()}
    same = [s for s in doc.sentences() if s.id in simp and s.text == simp[s.id].text]
    assert len(same) >= 0.9 * len(simp)
    for s in same:
        assert s.en == simp[s.id].en, s.id
        assert t2s(s.original) == s.text or s.original != s.text  # the original keeps its traditional form
    assert any(s.original != s.text for s in doc.sentences())


def test_identical_sentences_are_decoded_once(tiny_model_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "repeat.txt"
    body = "一、基本情况\n\n全市开展脱贫攻坚工作，帮扶贫困户954户。全市开展脱贫攻坚工作，帮扶贫困户954户。\n"
    src.write_text("脱贫攻坚简报\n\n第1期\n\n" + body, encoding="utf-8")
    out = tmp_path / "repeat.json"
    doc = Document.from_dict(run_json("translate", src, tiny_model_dir, out))
    body_sents = doc.sections[0].sentences
    assert len(body_sents) == 2 and body_sents[0].en == body_sents[1].en
    assert doc.meta["decoding"]["decoded"] < doc.meta["decoding"]["units"]


def test_strict_fails_on_a_qa_violation(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import toolkit.translate.document as document

    # a decoder that forgets its constraints: QA, which does not trust the decoder, must catch it
    monkeypatch.setattr(document, "_decode", lambda doc, engine, jobs, *a, **kw: ["some words"] * len(jobs))
    out = tmp_path / "out.md"
    rc = main(["translate", str(EXAMPLE), "--model", str(tiny_model_dir), "-o", str(out), "--strict"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1
    assert err[-1].startswith("bulletin: error: QA found") and "Traceback" not in "".join(err)
    assert out.exists()  # the output is still written, for review


def test_missing_model_names_the_fetch_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULLETIN_MODELS", str(tmp_path / "no-models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rc = main(["translate", str(EXAMPLE)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 6 and len(err) == 1
    assert "bulletin model fetch" in err[0]


def test_bad_input_fails_before_the_model_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    rc = main(["translate", str(empty), "--model", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 4 and len(err) == 1


def test_several_inputs_go_to_a_directory(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = tmp_path / "in" / "a.txt"
    a.parent.mkdir()
    a.write_text("一、总体要求\n\n推进乡村振兴，巩固脱贫攻坚成果。\n", encoding="utf-8")
    b = tmp_path / "in" / "b.txt"
    b.write_text("一、主要成效\n\n帮助贫困户88户增收。\n", encoding="utf-8")
    assert main(["translate", str(a), str(b), "--model", str(tiny_model_dir)]) == 2
    capsys.readouterr()
    out = tmp_path / "out"
    assert (
        main(
            [
                "translate",
                str(a.parent),
                "--model",
                str(tiny_model_dir),
                "-o",
                str(out),
                "--quiet",
                "--format",
                "text",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "manifest.jsonl"]
    assert "88 households" in (out / "b.txt").read_text(encoding="utf-8")


def test_bilingual_and_html_formats(translated: Document, tiny_model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bi.md"
    assert (
        main(
            [
                "translate",
                str(EXAMPLE),
                "--model",
                str(tiny_model_dir),
                "--format",
                "bilingual",
                "-o",
                str(out),
                "--quiet",
                "--beams",
                "1",
            ]
        )
        == 0
    )
    rows = [r for r in out.read_text(encoding="utf-8").splitlines() if r.startswith("| s")]
    assert len(rows) == len([s for s in translated.all_sentences() if s.id.startswith("s")])
    assert any("23.4 hundred million yuan" in r and "23.4亿元" in r for r in rows)


def test_help_and_parse_do_not_import_torch() -> None:
    code = (
        "import sys; from toolkit.cli import build_parser; build_parser(); "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_sentences_start_with_a_capital_and_qa_accepts_it(translated: Document) -> None:
    from toolkit.translate.document import sentence_case

    assert sentence_case("poverty alleviation work") == "Poverty alleviation work"
    assert sentence_case("“poverty” work") == "“Poverty” work" and sentence_case("18th CPC") == "18th CPC"
    opened = [
        s
        for s in translated.all_sentences()
        if s.constraints and s.en.lower().startswith(s.constraints[0].en.lower())
    ]
    assert opened  # the tiny model often opens with a constraint
    assert all(not s.en[0].islower() for s in translated.all_sentences())
    assert all(s.qa == [] for s in opened)


@pytest.mark.parametrize("option", ["--threads", "--beams", "--batch-size", "--shortlist"])
def test_a_count_below_one_is_a_usage_error(
    tiny_model_dir: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["translate", str(EXAMPLE), "--model", str(tiny_model_dir), option, "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and option in err[0]


def test_threads_option_sets_the_engines_cores(tiny_model_dir: Path, tmp_path: Path, monkeypatch) -> None:
    from toolkit.translate import engine as engine_module

    seen: list[int] = []
    load = engine_module.Engine.load

    def spy(*a, **kw):
        eng = load(*a, **kw)
        seen.append(eng.threads)
        return eng

    monkeypatch.setattr(engine_module.Engine, "load", spy)
    out = tmp_path / "one.md"
    assert main(["translate", str(EXAMPLE), "--model", str(tiny_model_dir), "--beams", "1", "--threads", "1",
                 "--quiet", "-o", str(out)]) == 0
    assert seen == [1] and out.stat().st_size > 0


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [("--min-len-ratio", "3", "--min-len-ratio must lie in [0, max_len_ratio)"),
     ("--max-len-ratio", "0", "--max-len-ratio must be positive"),
     ("--margin", "-1", "--margin must not be negative")],
)
def test_bad_length_flags_are_one_usage_line_before_any_model_loads(tmp_path, capsys, flag, value, message):
    out = tmp_path / "out.md"
    rc = main(["translate", str(EXAMPLE), "--model", str(tmp_path / "no-model"), flag, value, "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith(f"bulletin: error: {message}") and err.count("\n") == 1
    assert not out.exists()
