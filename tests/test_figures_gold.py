"""Every row of the shared figures gold (tests/data/figures_gold.tsv, a verbatim copy) in both modes.

Measured exactly as ``score-gold figures MODE MODEL`` measures it: each bulletin is translated with the
tiny model through the CLI (``--format json --figures MODE``), and the gold checker's own functions
(tests/data/gold_check.py, a verbatim copy of the shared tool) locate each gold span in the sentences and
join the English of the figure constraints that overlap it; the result must be an accepted rendering
(case-insensitive), and an optional row also passes when no figure is forced. A masthead or footer span
passes when an accepted form is in the document's English furniture.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from cli_runs import run_json

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MODES = ("verbatim", "english")


def _checker():
    spec = importlib.util.spec_from_file_location("gold_check", DATA / "gold_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOLD = _checker()
ROWS = GOLD.read_tsv(str(DATA / "figures_gold.tsv"))


def _source(doc: str) -> Path:
    return DATA / doc if (DATA / doc).exists() else EXAMPLES / doc


@pytest.fixture(scope="module")
def translations(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """(mode, doc) -> the translated JSON, every gold bulletin in both modes."""
    out = tmp_path_factory.mktemp("gold")
    got = {}
    for mode in MODES:
        for doc in sorted({r["doc"] for r in ROWS}):
            path = out / f"{mode}-{doc}.json"
            got[mode, doc] = run_json(
                "translate", _source(doc), tiny_model_dir, path, "--figures", mode, "--beams", "1"
            )
    return got


def _rendered(translated: dict, row: dict) -> str | None:
    """The joined English of the figure constraints over the row's span (None: none forced), as the checker
    reads it; "<furniture>" when the span is in the header or footer and an accepted form is there."""
    sents = GOLD.doc_sentences(translated)
    pos = GOLD.locate(sents, row["context"], row["span"])
    if pos is None:
        return "<not in a sentence>"
    parts = []
    for i in sorted(pos):
        d = sents[i][0]
        for c in sorted(d.get("constraints") or [], key=lambda c: c.get("start", 0)):
            if c.get("kind") == "figure" and set(range(c["start"], c["end"])) & pos[i]:
                parts.append(c.get("en", ""))
    return GOLD.norm_en(" ".join(parts)) if parts else None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("row", ROWS, ids=[f"{r['doc'][:12]}-{i}-{r['span']}" for i, r in enumerate(ROWS)])
def test_gold_row(translations: dict, mode: str, row: dict) -> None:
    translated = translations[mode, row["doc"]]
    assert translated["meta"]["figures"] == mode
    accept = [GOLD.norm_en(x) for x in row[mode].split(" || ") if x.strip() and x.strip() != "-"]
    got = _rendered(translated, row)
    if got == "<not in a sentence>":  # masthead and footer figures live in the English furniture
        furniture = [GOLD.norm_en(x) for x in GOLD._texts(translated["meta"].get("english") or {})]
        assert any(a and a in f for a in accept for f in furniture), (row["span"], furniture)
        return
    assert (got is None and row["optional"] == "yes") or got in accept, (row["span"], got, accept[:3])
