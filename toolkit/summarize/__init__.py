"""Summarize stage: extractive summaries of the lead and of each top-level section, ranked on the Chinese.

``summarize(doc)`` scores every candidate sentence (``rank.py``), picks per group by MMR (``select.py``)
and records the picks; the translator then needs only ``picked_ids(doc)``.

Groups: the lead, and each top-level section over all its sentences - body, points and every
subsection below it. Subsections are not summarised on their own: they are often one to three
sentences long, so "a quarter, at least one" per subsection would keep nearly everything; pooled at
the top level, the ranker chooses between subsections and redundancy is judged across them.
Subsections' ``summary`` is left empty; their picks appear in their top-level section's ``summary``.

Similarity is TF-IDF cosine over character bigrams (see ``similarity.py`` for why); idf is learned
over all candidates of the document, so small sections get the same term weights as large ones.
"""

from __future__ import annotations

from dataclasses import asdict

from ..doc import Document
from . import select
from .rank import DEFAULT_WEIGHTS, Candidate, Weights, candidates, relevance
from .similarity import TfidfSpace

__all__ = ["summarize", "picked_ids", "Weights", "DEFAULT_WEIGHTS"]

ANALYZER = "bigram"


def _submatrix(m: list[list[float]], idx: list[int]) -> list[list[float]]:
    return [[m[i][j] for j in idx] for i in idx]


def _pick(
    cands: list[Candidate], idx: list[int], sim: list[list[float]], k: int, weights: Weights
) -> tuple[list[float], list[int]]:
    """Relevance of the candidates ``idx`` and the positions (into ``idx``) picked among them."""
    sub = _submatrix(sim, idx)
    rel = relevance([cands[i] for i in idx], sub, weights)
    return rel, select.mmr(rel, sub, k)


def summarize(
    doc: Document,
    *,
    sentences: int | None = None,
    ratio: float | None = None,
    overall: int | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Document:
    """Pick the summary sentences of the lead and of each top-level section (and overall, when asked).

    ``sentences``: K per group; ``ratio``: that share of each group (default 0.25); at least one per
    non-empty group. ``overall``: also pick that many across the whole document. Sets ``Sentence.score``
    (relevance within its group, 0..1) on every candidate, ``Section.summary`` on top-level sections
    and ``doc.meta["summary"]``; all ids in document order. Raises UsageError on bad sizes.
    """
    select.check_params(sentences, ratio, overall)
    cands = candidates(doc)
    space = TfidfSpace([c.sentence.text for c in cands], ANALYZER)
    sim = space.matrix()

    groups: dict[str, list[int]] = {"lead": []}
    for i, c in enumerate(cands):
        groups.setdefault(c.group, []).append(i)

    for sent in doc.sentences():
        sent.score = None
    for sec in doc.iter_sections():
        sec.summary = []

    picks: dict[str, list[str]] = {}
    for group, idx in groups.items():
        # the size is that of the group's sentences: a quoted heading never lengthens a summary
        k = select.quota(sum(not cands[i].heading for i in idx), sentences=sentences, ratio=ratio)
        rel, chosen = _pick(cands, idx, sim, k, weights)
        for i, r in zip(idx, rel, strict=True):
            cands[i].sentence.score = round(r, 6)
        picks[group] = [cands[idx[p]].sentence.id for p in chosen]
    for sec in doc.sections:
        sec.summary = picks.get(sec.id, [])

    summary: dict = {"lead": picks["lead"]}
    if overall is not None:
        idx = list(range(len(cands)))
        _, chosen = _pick(cands, idx, sim, min(overall, len(cands)), weights)
        summary["overall"] = [cands[p].sentence.id for p in chosen]
    summary["params"] = {
        "sentences": sentences,
        "ratio": None if sentences is not None else (select.DEFAULT_RATIO if ratio is None else ratio),
        "overall": overall,
        "scope": "top-level sections (subsections pooled)",
        "similarity": f"tf-idf cosine, {ANALYZER}",
        "mmr_lambda": select.LAMBDA,
        "duplicate": select.DUPLICATE,
        "weights": asdict(weights),
        "headings": "subsection headings that state a key figure may be quoted (not counted in the size)",
    }
    doc.meta["summary"] = summary
    return doc


def picked_ids(doc: Document) -> list[str]:
    """Ids of every sentence a summary needs translated (lead, sections, overall), once, in document order."""
    wanted: set[str] = set()
    meta = doc.meta.get("summary") or {}
    wanted.update(meta.get("lead", []))
    wanted.update(meta.get("overall", []))
    for sec in doc.iter_sections():
        wanted.update(sec.summary)
    return [c.sentence.id for c in candidates(doc) if c.sentence.id in wanted]
