"""The public Python API: Translator, read_document, DecodeOptions (tiny model)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import toolkit
from toolkit import DecodeOptions, Glossary, Translator, read_document
from toolkit.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"
HEAD = "zh\ten\tvariants\tcategory\tnote\n"
TEXT = "四川省脱贫攻坚领导小组召开会议。\n全省贫困人口减少625万人，贫困村退出11501个。\n"


@pytest.fixture(scope="module")
def translator(tiny_model_dir, tmp_path_factory) -> Translator:
    terms = tmp_path_factory.mktemp("gl") / "terms.tsv"
    terms.write_text(HEAD + "贫困村\tpoverty-stricken village\t\t\t\n", encoding="utf-8")
    return Translator.load(tiny_model_dir, glossary=terms, beams=2)


def test_every_public_name_resolves():
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name
    assert set(toolkit._EXPORTS) | {"__version__"} == set(toolkit.__all__)


def test_read_document_from_text_equals_from_file():
    from_file = read_document(EXAMPLE)
    from_text = read_document(text=EXAMPLE.read_text(encoding="utf-8"))
    assert from_text.source == "<text>"
    assert [s.text for s in from_text.all_sentences()] == [s.text for s in from_file.all_sentences()]
    assert len(from_text.sections) == len(from_file.sections) > 0


def test_read_document_needs_exactly_one_source():
    with pytest.raises(TypeError):
        read_document()
    with pytest.raises(TypeError):
        read_document(EXAMPLE, text="四川")


def test_read_document_text_rejects_text_without_chinese():
    from toolkit.errors import BadInputError

    with pytest.raises(BadInputError, match="no Chinese"):
        read_document(text="only English here")


def test_glossary_file_is_layered_over_the_default(translator):
    assert translator.glossary.get("贫困村").en == "poverty-stricken village"  # the file wins
    assert translator.glossary.get("脱贫攻坚") is not None  # the shipped layer is below it


def test_translate_text_keeps_terms_and_figures(translator):
    doc = translator.translate_text(TEXT)
    sents = doc.all_sentences()
    assert len(sents) == 2 and all(s.en for s in sents)
    english = " ".join(s.en for s in sents)
    assert "poverty-stricken village" in english
    assert "11501" in english
    qa = doc.meta["qa"]
    assert qa["sentences"] == 2 and qa["violations"] == 0 and qa["satisfied"] == qa["constraints"] >= 3
    assert doc.meta["decoding"]["beams"] == 2


def test_translate_file_and_text_agree(translator, tmp_path):
    path = tmp_path / "bulletin.txt"
    path.write_text(TEXT, encoding="gb18030")  # the file route decodes; the text route does not need to
    by_file = translator.translate_file(path)
    by_text = translator.translate_text(TEXT)
    assert by_file.encoding == "gb18030"
    assert [s.en for s in by_file.all_sentences()] == [s.en for s in by_text.all_sentences()]


def test_translate_many_reports_progress(translator, tmp_path):
    paths = []
    for i, line in enumerate(TEXT.splitlines()):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(line + "\n", encoding="utf-8")
    ticks: list[int] = []
    docs = list(translator.translate_many(paths, progress=ticks.append))
    assert len(docs) == 2 and all(d.meta["qa"]["sentences"] == 1 for d in docs)
    assert sum(ticks) == sum(d.meta["decoding"]["decoded"] for d in docs) == 2


def test_summarize_translates_only_the_picked_sentences(translator):
    doc = translator.summarize(read_document(EXAMPLE, glossary=translator.glossary), sentences=1)
    picked = set(doc.meta["summary"]["lead"]) | {i for s in doc.iter_sections() for i in s.summary}
    body = [s for s in doc.sentences(headings=False)]
    assert picked and all(s.en for s in body if s.id in picked)
    assert all(s.en is None for s in body if s.id not in picked)
    assert doc.meta["qa"]["violations"] == 0


def test_figures_false_imposes_only_terms(tiny_model_dir):
    t = Translator.load(tiny_model_dir, glossary=False, figures=False, beams=1)
    doc = t.translate_text(TEXT)
    assert all(not s.constraints for s in doc.all_sentences())  # no glossary, no figures
    t.figures = True
    doc = t.translate_text(TEXT)
    kinds = {c.kind for s in doc.all_sentences() for c in s.constraints}
    assert kinds == {"figure"}


def test_load_overrides_the_given_options(tiny_model_dir):
    t = Translator.load(tiny_model_dir, glossary=False, options=DecodeOptions(beams=3, batch_size=2), beams=1)
    assert (t.options.beams, t.options.batch_size) == (1, 2)
    assert isinstance(t.glossary, Glossary) and len(t.glossary) == 0


@pytest.mark.parametrize(
    "bad",
    [{"beams": 0}, {"batch_size": 0}, {"threads": 0}, {"quantize": "int4"}, {"max_len_ratio": 0},
     {"min_len_ratio": 3.0}, {"shortlist": 0}],
)
def test_decode_options_refuse_bad_values(bad):
    with pytest.raises(UsageError):
        DecodeOptions(**bad)


def test_decode_options_defaults():
    d = DecodeOptions()
    assert (d.beams, d.batch_size, d.max_len_ratio, d.margin, d.min_len_ratio, d.length_penalty) == (
        4, 8, 2.0, 10, 0.3, 1.0)
    assert DecodeOptions(quantize="none").quantize is None


def test_int8_is_the_default_on_the_cpu_only_for_the_api_and_the_cli_alike():
    import argparse

    from toolkit.commands.engine_options import add_engine_options, decode_options_from_args

    assert DecodeOptions().load_kwargs()["quantize"] == "int8"
    assert DecodeOptions(device="cuda").load_kwargs()["quantize"] is None
    assert DecodeOptions().with_(device="cuda").load_kwargs()["quantize"] is None  # resolved late
    assert DecodeOptions(quantize="none").load_kwargs()["quantize"] is None
    parser = argparse.ArgumentParser()
    add_engine_options(parser)
    for argv, want in (([], "int8"), (["--device", "cuda"], None), (["--quantize", "none"], None)):
        assert decode_options_from_args(parser.parse_args(argv)).load_kwargs()["quantize"] == want, argv


def test_every_decode_option_reaches_the_search(tiny_model_dir, monkeypatch):
    """Length penalty, length limits and beams given to the API arrive in the decoder (none is fixed
    inside the engine)."""
    from toolkit.translate import decoder

    seen = []
    real = decoder.constrained_beam_search

    def spy(model, src, cons, vocab, **kw):
        seen.append((src, kw))
        return real(model, src, cons, vocab, **kw)

    monkeypatch.setattr(decoder, "constrained_beam_search", spy)
    opts = DecodeOptions(beams=2, length_penalty=0.6, max_len_ratio=1.5, margin=3, min_len_ratio=0.5)
    t = Translator.load(tiny_model_dir, glossary=False, options=opts, figures=False)
    doc = t.translate_text(TEXT)
    assert {k: doc.meta["decoding"][k] for k in ("beams", "length_penalty", "max_len_ratio", "margin",
                                                 "min_len_ratio")} == {
        "beams": 2, "length_penalty": 0.6, "max_len_ratio": 1.5, "margin": 3, "min_len_ratio": 0.5}
    assert seen
    for src, kw in seen:
        assert kw["beams"] == 2 and kw["length_penalty"] == 0.6
        for s, lo, hi in zip(src, kw["min_new"], kw["max_new"], strict=True):
            assert hi == math.ceil(1.5 * len(s)) + 3  # no constraints: the ratio and margin alone
            assert lo == min(hi - 1, math.ceil(0.5 * len(s)))


def test_summarize_command_names_its_file_on_the_qa_line(tiny_model_dir, capsys):
    from toolkit.cli import main

    assert main(["summarize", str(EXAMPLE), "--model", str(tiny_model_dir), "--beams", "1"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"{EXAMPLE}: QA: ")
