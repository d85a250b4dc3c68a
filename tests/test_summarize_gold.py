"""Summaries carry the key facts of the shared gold (tests/data/structure_gold.json, a verbatim copy), at
today's length: about a quarter of each section's sentences, at least one.

Oracle: the gold's ``key_facts``, source substrings a person chose as what a good summary of each document
contains; a fact counts when it is a substring of the picked sentences' Chinese, compared without
whitespace, punctuation or width (as the shared scorer does). The length bound is recomputed here from the
document tree (lead; each top-level section's bodies and points, subsections included; never headings,
tables or boilerplate), not taken from the summarizer's own quota.
"""

from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path

import pytest

from toolkit.doc import Document, Section
from toolkit.glossary.store import Glossary
from toolkit.pipeline import load_document
from toolkit.summarize import summarize

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLD = json.loads((DATA / "structure_gold.json").read_text(encoding="utf-8"))
NOT_SENTENCES = {"boilerplate", "table-cell", "table-caption", "heading"}


def key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZC" and not c.isspace()).lower()


def source(name: str) -> Path:
    path = DATA / name
    return path if path.exists() else ROOT / "examples" / name


@pytest.fixture(scope="module")
def summaries() -> dict[str, Document]:
    glossary = Glossary.load([], default=True)
    return {g["doc"]: summarize(load_document(str(source(g["doc"])), glossary=glossary)) for g in GOLD}


def picked_text(doc: Document) -> str:
    by_id = {s.id: s for s in doc.sentences()}
    ids = list(doc.meta["summary"]["lead"]) + [i for sec in doc.sections for i in sec.summary]
    return key(" ".join(by_id[i].text for i in ids))


def carried(doc: Document, facts: list[str]) -> int:
    text = picked_text(doc)
    return sum(key(f) in text for f in facts)


def _sentence_count(sec: Section) -> int:
    own = list(sec.sentences) + [s for p in sec.points for s in p.sentences]
    n = sum(getattr(s, "role", None) not in NOT_SENTENCES for s in own)
    return n + sum(_sentence_count(sub) for sub in sec.subsections)


def quarter(n: int) -> int:
    return max(1, math.floor(n / 4 + 0.5)) if n else 0


def test_at_least_four_fifths_of_all_key_facts(summaries: dict[str, Document]) -> None:
    got = sum(carried(summaries[g["doc"]], g["key_facts"]) for g in GOLD)
    want = sum(len(g["key_facts"]) for g in GOLD)
    assert got / want >= 0.8, f"{got}/{want} key facts"


@pytest.mark.parametrize("gold", GOLD, ids=[g["doc"] for g in GOLD])
def test_each_document_keeps_three_fifths_of_its_key_facts(summaries: dict[str, Document], gold: dict):
    doc = summaries[gold["doc"]]
    facts = gold["key_facts"]
    text = picked_text(doc)
    missing = [f for f in facts if key(f) not in text]
    assert (len(facts) - len(missing)) / len(facts) >= 0.6, f"missing {missing}"


@pytest.mark.parametrize("gold", GOLD, ids=[g["doc"] for g in GOLD])
def test_summary_is_no_longer_than_a_quarter_of_each_section(summaries: dict[str, Document], gold: dict):
    doc = summaries[gold["doc"]]
    lead = sum(getattr(s, "role", None) not in NOT_SENTENCES for s in doc.lead)
    assert len(doc.meta["summary"]["lead"]) <= quarter(lead)
    for sec in doc.sections:
        n = _sentence_count(sec)
        assert len(sec.summary) <= quarter(n), f"section {sec.id}: {len(sec.summary)} picks of {n} sentences"
        if n:
            assert sec.summary, f"section {sec.id} has sentences but no summary"
