"""QA by value: a wrong figure is a finding, and the English holds no number the source does not have.

- Over every figure of the shared bulletins (tests/data, the example): with the real renderer QA finds
  nothing in either mode; with a renderer that rounds, drops a qualifier or shifts a month swapped in,
  QA reports every figure whose English it changed.
- The example translated with the tiny model in both modes is QA-clean, and - checked here directly
  against the source figures, not against the constraints - every number of the English is a source
  figure by value (or part of a glossary rendering), never more often than the source has it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from cli_runs import run_json

from toolkit.check import check_sentence, source_reading
from toolkit.doc import Document
from toolkit.figures_read_en import read_english
from toolkit.pipeline import load_document
from toolkit.translate import document as translate_document_module
from toolkit.translate.figures_en import render_figure

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"
BULLETINS = [EXAMPLE, *sorted(DATA.glob("*.txt"))]
MODES = ("verbatim", "english")
_MONTHS = "January February March April May June July August September October November December".split()


def _rounds(fig, mode):
    """Rounds every number with a fraction to a whole one: 2.34 billion -> 2 billion, 16.68% -> 17%."""
    return re.sub(
        r"\d+\.\d*[1-9]\d*", lambda m: str(round(float(m[0].replace(",", "")))), render_figure(fig, mode)
    )


def _drops_qualifier(fig, mode):
    en = render_figure(fig, mode)
    en = re.sub(
        r"^(more than|over(?! the past)|nearly|about|at least|at most|up to|less than|within) ", "", en
    )
    return re.sub(r" or (over|under)$", "", en)


def _shifts_month(fig, mode):
    en = render_figure(fig, mode)
    return re.sub("|".join(_MONTHS), lambda m: _MONTHS[(_MONTHS.index(m[0]) + 1) % 12], en)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return [load_document(str(p)) for p in BULLETINS]


def _constrained(doc: Document, mode: str, monkeypatch: pytest.MonkeyPatch, renderer=None) -> list:
    """Every sentence with its constraints built by ``renderer`` and an English that holds exactly them."""
    if renderer is not None:
        monkeypatch.setattr(translate_document_module, "render_figure", renderer)
    out = []
    for s in doc.all_sentences():
        s.constraints = translate_document_module.build_constraints(s, figures=mode)
        s.en = " ; ".join(c.en for c in s.constraints) or "nothing"
        out.append(s)
    monkeypatch.undo()
    return out


@pytest.mark.parametrize("mode", MODES)
def test_the_real_renderer_is_right_by_value_for_every_shared_figure(documents, mode, monkeypatch) -> None:
    figures = 0
    for doc in documents:
        for s in _constrained(doc, mode, monkeypatch):
            figures += len(s.figures)
            assert check_sentence(s) == [], (s.text, s.en)
    assert figures > 400


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("bad", [_rounds, _drops_qualifier, _shifts_month], ids=lambda f: f.__name__)
def test_qa_catches_every_figure_a_bad_renderer_changes(documents, mode, bad, monkeypatch) -> None:
    changed = 0
    for doc in documents:
        for s in _constrained(doc, mode, monkeypatch, renderer=bad):
            findings = check_sentence(s)
            for f in s.figures:
                if any(
                    c.kind == "term" and c.start <= f.start and f.end <= c.end for c in s.constraints
                ):
                    continue  # carried by a glossary rendering, not by the renderer
                if bad(f, mode) != render_figure(f, mode):
                    changed += 1
                    assert any(f"figure '{f.text}'" in x for x in findings), (f.text, bad(f, mode), findings)
    assert changed >= 3  # the bad renderer did change figures, and each change was caught


@pytest.fixture(scope="module")
def translated(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    out = tmp_path_factory.mktemp("qa")
    return {
        mode: Document.from_dict(
            run_json("translate", EXAMPLE, tiny_model_dir, out / f"{mode}.json", "--figures", mode)
        )
        for mode in MODES
    }


def _key(r) -> tuple:
    return (r.kind, r.value, r.hi, r.items, r.date)


@pytest.mark.parametrize("mode", MODES)
def test_the_example_is_qa_clean_and_holds_no_number_the_source_lacks(translated, mode) -> None:
    doc = translated[mode]
    assert doc.meta["figures"] == mode
    qa = doc.meta["qa"]
    assert qa["violations"] == 0 and qa["foreign_figures"] == 0 and qa["wrong_values"] == 0
    for s in doc.all_sentences():
        source = Counter(_key(source_reading(f)) for f in s.figures)
        source.update(_key(r) for c in s.constraints if c.kind == "term" for r in read_english(c.en))
        english = Counter(_key(r) for r in read_english(s.en or "") if r.has_digits)
        assert not english - source, (s.id, s.en, english - source)
