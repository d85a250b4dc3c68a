"""`bulletin summarize` and `translate --with-summary` end to end with the tiny model."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runs import run_json

from toolkit.cli import main
from toolkit.doc import Document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"


@pytest.fixture(scope="module")
def summary_json(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("summary") / "summary.json"
    return run_json("summarize", EXAMPLE, tiny_model_dir, out)


def test_one_summary_for_the_lead_and_each_section(summary_json: dict) -> None:
    groups = [g["section"] for g in summary_json["summary"]]
    assert groups == ["lead", "1", "2", "3"]
    assert [g["heading"].split()[0] for g in summary_json["summary"][1:]] == ["I.", "II.", "III."]


def test_every_summary_sentence_is_a_translated_source_sentence(summary_json: dict) -> None:
    source = load_example()
    by_id = {s.id: s for s in source.sentences()}
    for group in summary_json["summary"]:
        assert group["sentences"], group["section"]
        ids = [s["id"] for s in group["sentences"]]
        assert ids == sorted(ids, key=lambda i: by_id[i].start)  # document order
        for s in group["sentences"]:
            assert s["zh"] == by_id[s["id"]].text
            assert s["en"] and s["qa"] == []
            for c in s["constraints"]:
                assert c["en"].lower() in s["en"].lower()
    assert summary_json["qa"]["violations"] == 0


def test_about_a_quarter_of_each_section(summary_json: dict) -> None:
    source = load_example()
    for group, sec in zip(summary_json["summary"][1:], source.sections, strict=True):
        n = len(sec.sentences) + sum(len(p.sentences) for p in sec.points)
        assert 1 <= len(group["sentences"]) <= max(1, round(n / 4) + 1)


def test_summary_is_identical_across_runs(tiny_model_dir: Path, tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out = tmp_path / f"s{i}.md"
        assert (
            main(
                [
                    "summarize",
                    str(EXAMPLE),
                    "--model",
                    str(tiny_model_dir),
                    "-o",
                    str(out),
                    "--quiet",
                    "--show-source",
                    "--sentences",
                    "1",
                ]
            )
            == 0
        )
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    assert "\n  > " in outs[0]  # --show-source puts the Chinese under each English sentence


def test_only_picked_sentences_are_translated(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.translate.document as document

    seen: list[str] = []
    real = document._decode

    def spy(doc, engine, jobs, *a, **kw):
        seen.extend(s.id for s in jobs)
        return real(doc, engine, jobs, *a, **kw)

    monkeypatch.setattr(document, "_decode", spy)
    out = tmp_path / "s.json"
    picked = {
        s["id"]
        for g in run_json("summarize", EXAMPLE, tiny_model_dir, out)["summary"]
        for s in g["sentences"]
    }
    body = [i for i in seen if i.startswith("s")]
    assert set(body) == picked
    assert len(body) < 0.5 * len(load_example().sentences(headings=False))


def test_translate_with_summary_translates_each_sentence_once(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.translate.document as document

    calls: list[list[str]] = []
    real = document._decode

    def spy(doc, engine, jobs, *a, **kw):
        calls.append([s.id for s in jobs])
        return real(doc, engine, jobs, *a, **kw)

    monkeypatch.setattr(document, "_decode", spy)
    out = tmp_path / "t.md"
    assert (
        main(
            [
                "translate",
                str(EXAMPLE),
                "--model",
                str(tiny_model_dir),
                "--with-summary",
                "-o",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    assert len(calls) == 1 and len(calls[0]) == len(set(calls[0]))
    text = out.read_text(encoding="utf-8")
    assert text.count("> **Summary:**") == 4  # the lead and three sections


def test_bad_sizes_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", str(EXAMPLE), "--ratio", "1.5"]) == 2
    assert main(["summarize", str(EXAMPLE), "--sentences", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(e.startswith("bulletin: error:") for e in err)


def load_example() -> Document:
    from toolkit.pipeline import load_document

    return load_document(str(EXAMPLE))
