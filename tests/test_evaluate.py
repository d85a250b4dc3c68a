"""``bulletin evaluate`` on hand-made hypothesis/reference pairs whose scores are known."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

from toolkit.cli import main
from toolkit.doc import Document, Figure, Section, Sentence, TermMatch
from toolkit.evaluate import (
    Hypothesis,
    HypSentence,
    Reference,
    evaluate,
    evaluate_files,
    figure_accuracy,
    numbers,
    term_success,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"


def term(zh: str, en: str) -> TermMatch:
    return TermMatch(start=0, end=len(zh), text=zh, zh=zh, en=en, category="policy", source="test.tsv")


def fig(digits: str, kind: str = "count", value: float | None = None) -> Figure:
    v = value if value is not None else (float(digits) if digits.replace(".", "").isdigit() else None)
    return Figure(start=0, end=len(digits), text=digits, kind=kind, digits=digits, value=v)


def make_doc(
    en: list[str],
    *,
    terms: dict[int, list[TermMatch]] | None = None,
    figures: dict[int, list[Figure]] | None = None,
    zh: dict[int, str] | None = None,
    model: str = "tiny",
) -> Document:
    """A translated document: title, one lead sentence, a section heading, then body sentences.

    ``en[i]`` is the English of the i-th sentence in document order (None = untranslated).
    """
    terms, figures, zh = terms or {}, figures or {}, zh or {}
    ids = ["t1", "s0.0.1", "h1"] + [f"s1.0.{n}" for n in range(1, len(en) - 2)]
    sents = [
        Sentence(
            id=i, text=zh.get(k, f"中文句子{k}。"), en=e, terms=terms.get(k, []), figures=figures.get(k, [])
        )
        for k, (i, e) in enumerate(zip(ids, en, strict=False))
    ]
    sec = Section(
        id="1", marker="一、", style="cn-dun", number=1, level=1, heading=sents[2], sentences=sents[3:]
    )
    return Document(source="x.txt", title=sents[0], lead=[sents[1]], sections=[sec], meta={"model": model})


def write_doc(path: Path, doc: Document) -> str:
    path.write_text(json.dumps(doc.to_dict(), ensure_ascii=False), encoding="utf-8")
    return str(path)


HYP = [
    "Poverty Alleviation Bulletin",
    "The county lifted 1,200 poor households out of poverty in 2020.",
    "I. Main measures",
    "First, the party committee led the work on poverty alleviation.",
    "Second, cadres visited every village twice a month.",
]
REF = [
    "Poverty Alleviation Bulletin",
    "In 2020 the county lifted 1,200 households out of poverty.",
    "Main measures",
    "First, the Party committee led the poverty alleviation work.",
    "Second, officials visited all the villages twice a month.",
]


def hyp_of(en: list[str], **kw) -> Hypothesis:
    from toolkit.evaluate import hypothesis_from_dict

    return hypothesis_from_dict(make_doc(en, **kw).to_dict(), "h.json")


# -- BLEU, chrF, length ratio ------------------------------------------------------------------------


def test_identical_hypothesis_and_reference_score_100():
    ev = evaluate([hyp_of(REF)], Reference("r.txt", lines=list(REF)))
    r = ev.results[0]
    assert r.bleu == pytest.approx(100.0)
    assert r.chrf == pytest.approx(100.0)
    assert r.length_ratio == 1.0


def test_bleu_and_chrf_equal_sacrebleus_own_with_signatures():
    ev = evaluate([hyp_of(HYP)], Reference("r.txt", lines=list(REF)))
    r = ev.results[0]
    assert r.bleu == sacrebleu.corpus_bleu(HYP, [REF]).score
    assert r.chrf == sacrebleu.corpus_chrf(HYP, [REF]).score
    bleu, chrf = BLEU(), CHRF()
    bleu.corpus_score(HYP, [REF])
    chrf.corpus_score(HYP, [REF])
    assert ev.bleu_signature == str(bleu.get_signature())
    assert ev.chrf_signature == str(chrf.get_signature())
    assert 0 < r.bleu < 100


def test_length_ratio_is_bleu_sys_len_over_ref_len():
    hyp = ["a b c", "d", "e f"]
    ref = ["a b c d e f", "g h", "i j k l"]  # 6 hypothesis tokens, 12 reference tokens
    r = evaluate([hyp_of(hyp)], Reference("r.txt", lines=ref)).results[0]
    assert (r.sys_len, r.ref_len) == (6, 12)
    assert r.length_ratio == 0.5


def test_only_translated_sentences_count_in_document_order():
    h = hyp_of(["Title", None, "Heading", "Body one.", "Body two."])
    assert [s.id for s in h.sentences] == ["t1", "h1", "s1.0.1", "s1.0.2"]
    assert [s.en for s in h.sentences] == ["Title", "Heading", "Body one.", "Body two."]


# -- term success ----------------------------------------------------------------------------------


def test_term_success_counts_each_occurrence():
    s1 = HypSentence(
        "s1",
        "扶贫扶贫",
        "Poverty alleviation matters.",
        terms=[asdict_term("扶贫", "poverty alleviation")] * 2,
    )  # needed twice, present once
    s2 = HypSentence(
        "s2",
        "统一战线精准扶贫",
        "The United Front supports targeted poverty alleviation.",
        terms=[
            asdict_term("统一战线", "united front"),
            asdict_term("精准扶贫", "targeted poverty alleviation"),
        ],
    )
    rate = term_success([s1, s2])
    assert (rate.hits, rate.total, rate.value) == (3, 4, 0.75)
    strict = term_success([s1, s2], case_sensitive=True)  # "Poverty alleviation", "United Front" now miss
    assert (strict.hits, strict.total) == (1, 4)


def test_a_rendering_inside_a_longer_one_is_not_counted_twice():
    s = HypSentence(
        "s1",
        "精准扶贫扶贫",
        "We pursue targeted poverty alleviation.",
        terms=[
            asdict_term("精准扶贫", "targeted poverty alleviation"),
            asdict_term("扶贫", "poverty alleviation"),
        ],
    )
    rate = term_success([s])
    assert (rate.hits, rate.total) == (1, 2)


def asdict_term(zh: str, en: str) -> dict:
    from dataclasses import asdict

    return asdict(term(zh, en))


# -- figures ---------------------------------------------------------------------------------------


def test_figure_accuracy_and_foreign_figures():
    from dataclasses import asdict

    s1 = HypSentence(
        "s1",
        "2020年减贫1.2万人，占35%，涉及十八大精神。",
        "In 2020 poverty fell by 1.25 ten thousand people, 35 percent, in 19 villages, "
        "per the 18th Congress.",
        figures=[
            asdict(fig("2020", "year")),
            asdict(fig("1.2")),
            asdict(fig("35", "percent")),
            asdict(Figure(0, 2, "十八", "ordinal", "", 18.0, numeral="十八")),
        ],
        terms=[asdict_term("十八大", "18th National Congress")],
    )
    # "5" is needed twice but written once; "2020" twice is no foreign figure
    s2 = HypSentence(
        "s2",
        "5个村5个组。",
        "5 villages and five groups since 2020 and 2020.",
        figures=[asdict(fig("5")), asdict(fig("5"))],
    )
    rate, foreign = figure_accuracy([s1, s2])
    # kept: 2020, 35 (s1; 1.25 is not 1.2, the Chinese numeral is not counted) and one 5 (s2)
    assert (rate.hits, rate.total) == (3, 5)
    # foreign: 1.25 and 19 in s1 ("18" comes from the source's 十八 and the term rendering); 2020 twice in s2
    assert foreign == 4


def test_numbers_are_whole_and_ignore_leading_zeros():
    assert numbers("on 2020-12-01, 1.2 and 1.25; 10,000.") == ["2020", "12", "1", "1.2", "1.25", "10000"]
    s = HypSentence(
        "s1", "2020年12月1日", "On 2020-12-01, 7 times.", figures=[{"digits": "2020"}, {"digits": "1"}]
    )
    rate, foreign = figure_accuracy([s])
    assert (rate.hits, rate.total, foreign) == (2, 2, 1)  # "12" is in the Chinese text, "7" is not


# -- files and the CLI -----------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """A glossary run and a no-glossary run of the same source, and a plain-text reference."""
    terms = {3: [term("扶贫", "poverty alleviation")], 1: [term("贫困户", "poor households")]}
    figures = {1: [fig("1,200"), fig("2020", "year")]}
    zh = {1: "2020年全县1,200户贫困户脱贫。", 3: "一是党委领导扶贫工作。"}
    with_g = make_doc(HYP, terms=terms, figures=figures, zh=zh, model="opus")
    no_g = make_doc(
        [
            "Bulletin",
            "The county lifted 1,200 families out of poverty in 2021.",
            "Measures",
            "First, the party committee led the work.",
            "Second, cadres visited villages.",
        ],
        figures=figures,
        zh=zh,
        model="opus",
    )
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(REF) + "\n\n", encoding="utf-8")  # trailing blank lines do not count
    return {
        "with": write_doc(tmp_path / "with-glossary.json", with_g),
        "without": write_doc(tmp_path / "no-glossary.json", no_g),
        "ref": str(ref),
    }


def test_cli_compares_two_hypotheses_in_one_table(files, capsys):
    assert main(["evaluate", "--hyp", files["with"], "--hyp", files["without"], "--ref", files["ref"]]) == 0
    out = capsys.readouterr().out.splitlines()
    header, rule, row1, row2 = out[:4]
    assert header.split() == [
        "hypothesis",
        "sents",
        "BLEU",
        "chrF",
        "terms",
        "figures",
        "foreign",
        "len",
        "ratio",
    ]
    assert row1.startswith(files["with"]) and row2.startswith(files["without"])
    assert len(header) == len(rule) == len(row1) == len(row2)  # aligned columns
    # both are scored on the glossary run's term matches: 2 of 2 with the glossary, 0 of 2 without
    cells1, cells2 = (re.split(r"\s{2,}", row) for row in (row1, row2))
    assert cells1[4] == "1.000 (2/2)" and cells2[4] == "0.000 (0/2)"
    # figures: 1,200 and 2020 kept by the first; the second wrote 2021 (2020 missing, 2021 foreign)
    assert (cells1[5], cells1[6]) == ("1.000 (2/2)", "0")
    assert (cells2[5], cells2[6]) == ("0.500 (1/2)", "1")
    bleu, chrf = BLEU(), CHRF()
    bleu.corpus_score(HYP, [REF])
    chrf.corpus_score(HYP, [REF])
    assert f"BLEU: {bleu.get_signature()}" in out and f"chrF: {chrf.get_signature()}" in out


def test_cli_json_output_to_file(files, tmp_path):
    out = tmp_path / "scores.json"
    rc = main(
        [
            "evaluate",
            "--hyp",
            files["with"],
            "--hyp",
            files["without"],
            "--ref",
            files["ref"],
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )
    assert rc == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    first, second = data["hypotheses"]
    assert first["bleu"] == sacrebleu.corpus_bleu(HYP, [REF]).score
    assert first["chrf"] == sacrebleu.corpus_chrf(HYP, [REF]).score
    assert first["terms"] == {"rate": 1.0, "hits": 2, "total": 2, "from": files["with"]}
    assert second["terms"]["rate"] == 0.0
    assert first["figures"] == {"rate": 1.0, "hits": 2, "total": 2, "foreign": 0}
    assert second["figures"] == {"rate": 0.5, "hits": 1, "total": 2, "foreign": 1}
    assert first["model"] == "opus" and first["sentences"] == 5
    assert data["signatures"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert data["alignment"] == "order"


def test_plain_text_reference_count_mismatch_exits_4_with_one_line(files, tmp_path, capsys):
    ref = tmp_path / "short.txt"
    ref.write_text("\n".join(REF[:4]), encoding="utf-8")
    assert main(["evaluate", "--hyp", files["with"], "--ref", str(ref)]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "4 reference lines" in err and "5 translated sentences" in err


def test_json_reference_is_aligned_by_id(files, tmp_path):
    ids = ["t1", "s0.0.1", "h1", "s1.0.1", "s1.0.2"]
    pairs = list(zip(ids, REF, strict=True))
    ref = tmp_path / "ref.json"  # shuffled, with an extra sentence the hypothesis does not have
    ref.write_text(
        json.dumps(
            {
                "sentences": [{"id": i, "en": e} for i, e in reversed(pairs)]
                + [{"id": "s9.0.1", "en": "Extra."}]
            }
        ),
        encoding="utf-8",
    )
    by_id = evaluate_files([files["with"]], str(ref))
    by_order = evaluate_files([files["with"]], files["ref"])
    assert by_id.alignment == "id"
    assert by_id.results[0].bleu == by_order.results[0].bleu == sacrebleu.corpus_bleu(HYP, [REF]).score
    assert by_id.results[0].chrf == by_order.results[0].chrf


def test_json_reference_can_be_a_translated_bulletin(files):
    ev = evaluate_files([files["without"]], files["with"])  # the glossary run as the reference
    assert ev.alignment == "id"
    expected = sacrebleu.corpus_bleu(json_en(files["without"]), [json_en(files["with"])])
    assert ev.results[0].bleu == expected.score


def json_en(path: str) -> list[str]:
    doc = Document.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    return [s.en for s in doc.sentences() if s.en is not None]


def test_json_reference_missing_ids_exits_4(files, tmp_path, capsys):
    ref = tmp_path / "ref.json"
    ref.write_text(
        json.dumps({"sentences": [{"id": "t1", "en": "Title"}, {"id": "h1", "en": "Heading"}]}),
        encoding="utf-8",
    )
    assert main(["evaluate", "--hyp", files["with"], "--ref", str(ref)]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lacks 3 of the 5 sentence ids" in err and "s0.0.1" in err


@pytest.mark.parametrize(
    ("content", "code", "needle"),
    [
        (None, 3, "no such file"),
        ("{not json", 4, "malformed JSON"),
        ('{"title": 5}', 4, "not a translated"),
        ('{"sentences": []}', 4, "no translated sentences"),
    ],
)
def test_bad_hypothesis_files_exit_with_one_line(files, tmp_path, capsys, content, code, needle):
    hyp = tmp_path / "bad.json"
    if content is not None:
        hyp.write_text(content, encoding="utf-8")
    assert main(["evaluate", "--hyp", str(hyp), "--ref", files["ref"]]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_missing_reference_exits_3(files, tmp_path, capsys):
    assert main(["evaluate", "--hyp", files["with"], "--ref", str(tmp_path / "nope.txt")]) == 3
    assert "no such file" in capsys.readouterr().err


def test_nothing_to_score_is_a_usage_error(files, capsys):
    assert main(["evaluate", "--ref", files["ref"]]) == 2
    assert "nothing to score" in capsys.readouterr().err


def test_hypotheses_of_different_sources_are_refused(files, tmp_path, capsys):
    other = make_doc(HYP, zh={3: "二是别的句子。"}, terms={3: [term("扶贫", "poverty alleviation")]})
    path = write_doc(tmp_path / "other.json", other)
    assert main(["evaluate", "--hyp", files["with"], "--hyp", path, "--ref", files["ref"]]) == 4
    assert "different sources" in capsys.readouterr().err


# -- translating FILE first ------------------------------------------------------------------------


def test_cli_translates_file_then_scores_it(files, monkeypatch, tmp_path, capsys):
    """The wiring of ``evaluate FILE --model M``: the file, glossary flags and decoding flags reach the
    API (a stand-in reader and translator), and the translated document is scored."""
    import toolkit.api

    calls: dict = {}

    class StandIn:
        @classmethod
        def load(cls, model, *, glossary, options, figures):
            calls.update(model=model, glossary=glossary, options=options, figures=figures)
            return cls()

        def translate_document(self, doc):
            calls["doc"] = doc
            return Document.from_dict(json.loads(Path(files["with"]).read_text(encoding="utf-8")))

    def read_document(source, *, glossary):
        calls.update(source=source, read_glossary=glossary)
        return "the read document"

    def load(paths, *, default=True):
        return ("glossary", tuple(paths), default)

    monkeypatch.setattr(toolkit.api, "Translator", StandIn)
    monkeypatch.setattr(toolkit.api, "read_document", read_document)
    from toolkit.glossary.store import Glossary

    monkeypatch.setattr(Glossary, "load", staticmethod(load))
    src = tmp_path / "b.txt"
    src.write_text("简报", encoding="utf-8")
    rc = main(
        [
            "evaluate", str(src), "--ref", files["ref"], "--model", "m", "--glossary", "g.tsv",
            "--no-default-glossary", "--beams", "2", "--quantize", "int8", "--threads", "1",
            "--hyp", files["without"], "--format", "json",
        ]
    )
    assert rc == 0
    glossary = ("glossary", ("g.tsv",), False)
    assert (calls["source"], calls["read_glossary"], calls["model"], calls["glossary"]) == (
        str(src), glossary, "m", glossary)
    assert calls["doc"] == "the read document"
    o = calls["options"]
    assert (o.beams, o.quantize, o.threads, o.device) == (2, "int8", 1, "cpu")
    assert calls["figures"] == "verbatim"  # the default figures mode reaches the translator
    data = json.loads(capsys.readouterr().out)
    assert [h["file"] for h in data["hypotheses"]] == [f"{src} [m]", files["without"]]
    assert data["hypotheses"][0]["bleu"] == sacrebleu.corpus_bleu(HYP, [REF]).score


def test_cli_translate_flags_are_checked_before_any_model_loads(files, tmp_path, capsys):
    rc = main(["evaluate", str(EXAMPLE), "--ref", files["ref"], "--model", str(tmp_path / "no-model"),
               "--threads", "0"])
    assert rc == 2 and "--threads must be at least 1" in capsys.readouterr().err


def test_file_without_model_is_a_usage_error(files, capsys):
    assert main(["evaluate", str(EXAMPLE), "--ref", files["ref"]]) == 2
    assert "--model" in capsys.readouterr().err


def test_tiny_model_output_of_the_example_keeps_every_term_and_figure(tiny_model_dir, tmp_path):
    """Acceptance: term success 1.0 and figure accuracy 1.0, no foreign figure, on the tiny model's
    translation of the example. The reference is the Chinese itself, aligned by id: only the term and
    figure columns are checked here (BLEU and chrF are checked on hand-made pairs above)."""
    from toolkit.api import read_document

    source = read_document(EXAMPLE, glossary=False)
    ref = tmp_path / "ref.json"
    ref.write_text(json.dumps({"sentences": [{"id": s.id, "en": s.text} for s in source.all_sentences()]},
                              ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "scores.json"
    rc = main(["evaluate", str(EXAMPLE), "--model", str(tiny_model_dir), "--beams", "2", "--ref", str(ref),
               "--format", "json", "-o", str(out)])
    assert rc == 0
    (h,) = json.loads(out.read_text(encoding="utf-8"))["hypotheses"]
    assert h["terms"]["total"] > 0 and h["terms"]["rate"] == 1.0
    assert h["figures"]["total"] > 0 and h["figures"]["rate"] == 1.0
    assert h["figures"]["foreign"] == 0
