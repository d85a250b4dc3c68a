"""Sentence ranking: graph centrality (continuous LexRank) combined with bulletin features.

relevance = penalties x (Σ weight_f x feature_f) / Σ weight_f, every feature in [0, 1], so relevance is in
[0, 1] and comparable with a cosine similarity in MMR (``select.py``). Features (weights in ``Weights``):

- ``centrality`` (1.0): LexRank score over the group's cosine graph, divided by the group's maximum.
  It says "this sentence shares most with the rest of its section" - the gist.
- ``figures`` (0.6): 1 - 0.5^w, w = key figures (count, amount, percent, range) + 0.25 x other figures
  (year, date, ordinal, code): bulletins report results in figures; the first figure matters most.
- ``terms`` (0.3): 1 - 0.5^d, d = distinct glossary terms: policy vocabulary marks policy content.
- ``point_opening`` (0.5): first sentence of a numbered point (一是…): the point's own topic sentence.
- ``section_opening`` (0.8): first sentence under a heading (and of the lead): its topic sentence. The
  strongest bonus: a short opener (全篇谋划，形成整体合力。) has little centrality, and on the example a
  section's summary reads well as its topic sentence followed by the sentences with its key figures.

Penalties multiply: ``boilerplate`` (x 0.2) for transitions and lead-ins (现将有关情况报告如下。, 特此通知,
…如下：); ``short`` (x 0.5) for sentences under ``SHORT_CHARS`` Chinese characters that open nothing.

Everything is deterministic: no randomness, fixed iteration order, ties broken by document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..chinese import is_cjk
from ..doc import Document, Section, Sentence

#: Figure kinds that carry results; the others (year, date, ordinal, code) count a quarter.
KEY_FIGURE_KINDS = frozenset({"count", "amount", "percent", "range"})
MINOR_FIGURE_WEIGHT = 0.25
#: Sentences with fewer Chinese characters than this (and opening nothing) are penalised.
SHORT_CHARS = 10

#: Transitions and lead-ins that announce content instead of stating it.
BOILERPLATE_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"如下(意见|要求|建议|通知|事项|几点)?[。：:；;！!]?$",  # 现将有关情况报告如下。 提出如下意见。
        r"^现将.{0,20}(报告|通报|通知|印发|汇报|说明)",
        r"特此(通知|报告|通报|函告|说明)",
        r"^请.{0,12}(执行|落实)。?$",  # 请结合实际认真贯彻执行。
        r"特制定本.{0,12}(方案|意见|办法|规划|细则|计划)。?$",
        r"[：:]$",  # a lead-in ending in a colon
    )
)


@dataclass(frozen=True)
class Weights:
    """Feature weights and penalty factors of the relevance score (see the module docstring)."""

    centrality: float = 1.0
    figures: float = 0.6
    terms: float = 0.3
    point_opening: float = 0.5
    section_opening: float = 0.8
    boilerplate: float = 0.2  # multiplier for boilerplate sentences
    short: float = 0.5  # multiplier for short sentences that open nothing
    damping: float = 0.85  # LexRank damping factor


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Candidate:
    """A sentence that can be picked, with where it stands in the document."""

    sentence: Sentence
    order: int  # position in document order among all candidates
    group: str  # "lead" or the id of its top-level section
    section: str  # id of the innermost section ("" for the lead)
    point_opening: bool
    section_opening: bool


def _cjk_len(text: str) -> int:
    return sum(1 for c in text if is_cjk(c))


def _has_offsets(sents: list[Sentence]) -> bool:
    """True when every sentence has a real, distinct span in the document (then offsets give the order)."""
    starts = [s.start for s in sents]
    return all(s.end > s.start for s in sents) and len(set(starts)) == len(starts)


def _section_sentences(sec: Section) -> list[tuple[Sentence, bool]]:
    """A section's own sentences (body and points, not subsections) with a point-opening flag."""
    out = [(s, False) for s in sec.sentences]
    for p in sec.points:
        out += [(s, i == 0) for i, s in enumerate(p.sentences)]
    return out


def candidates(doc: Document) -> list[Candidate]:
    """Rankable sentences (lead, section bodies, points; not title, subtitle, headings) in document order.

    Document order is the order of the sentences in the text when the reader set offsets, else the order
    of the tree (lead, then each section's body, its points, its subsections).
    """
    rows: list[tuple[Sentence, str, str, bool]] = [(s, "lead", "", False) for s in doc.lead]

    def walk(sec: Section, group: str) -> None:
        rows.extend((s, group, sec.id, po) for s, po in _section_sentences(sec))
        for sub in sec.subsections:
            walk(sub, group)

    for top in doc.sections:
        walk(top, top.id)
    tree_pos = {id(r[0]): i for i, r in enumerate(rows)}
    if _has_offsets([r[0] for r in rows]):
        rows.sort(key=lambda r: (r[0].start, tree_pos[id(r[0])]))
    seen_sections: set[str] = set()
    out: list[Candidate] = []
    for i, (sent, group, section, po) in enumerate(rows):
        key = f"{group}/{section}"
        opening = key not in seen_sections
        seen_sections.add(key)
        out.append(Candidate(sent, i, group, section, po, opening))
    return out


def is_boilerplate(text: str) -> bool:
    """A transition or lead-in (现将有关情况报告如下。 / 特此通知 / …如下：) that states nothing itself."""
    t = re.sub(r"\s+", "", text)
    return any(p.search(t) for p in BOILERPLATE_PATTERNS)


def figure_feature(sent: Sentence) -> float:
    w = sum(1.0 if f.kind in KEY_FIGURE_KINDS else MINOR_FIGURE_WEIGHT for f in sent.figures)
    return 1.0 - 0.5**w


def term_feature(sent: Sentence) -> float:
    return 1.0 - 0.5 ** len({t.zh for t in sent.terms})


def centrality(
    sim: list[list[float]], damping: float = 0.85, tol: float = 1e-12, max_iter: int = 1000
) -> list[float]:
    """Continuous LexRank: PageRank by power iteration over the row-normalised similarity graph.

    A sentence similar to nothing spreads its weight evenly. Scores sum to 1; uniform start, fixed
    summation order, so the result is a pure function of ``sim``.
    """
    n = len(sim)
    if n == 0:
        return []
    rows: list[list[tuple[int, float]]] = []
    for i in range(n):
        total = sum(sim[i][j] for j in range(n) if j != i and sim[i][j] > 0)
        rows.append(
            [(j, sim[i][j] / total) for j in range(n) if j != i and sim[i][j] > 0] if total > 0 else []
        )
    p = [1.0 / n] * n
    for _ in range(max_iter):
        dangling = sum(p[i] for i in range(n) if not rows[i])
        base = (1.0 - damping) / n + damping * dangling / n
        q = [base] * n
        for i in range(n):
            pi = damping * p[i]
            for j, w in rows[i]:
                q[j] += pi * w
        delta = sum(abs(q[i] - p[i]) for i in range(n))
        p = q
        if delta < tol:
            break
    return p


def relevance(
    cands: list[Candidate], sim: list[list[float]], weights: Weights = DEFAULT_WEIGHTS
) -> list[float]:
    """Relevance in [0, 1] of each candidate of one group; ``sim`` is the group's cosine matrix."""
    cent = centrality(sim, weights.damping)
    top = max(cent, default=0.0)
    total = (
        weights.centrality + weights.figures + weights.terms + weights.point_opening + weights.section_opening
    )
    out: list[float] = []
    for c, ce in zip(cands, cent, strict=True):
        s = c.sentence
        score = (
            weights.centrality * (ce / top if top > 0 else 0.0)
            + weights.figures * figure_feature(s)
            + weights.terms * term_feature(s)
            + weights.point_opening * c.point_opening
            + weights.section_opening * c.section_opening
        ) / total
        if is_boilerplate(s.text):
            score *= weights.boilerplate
        elif _cjk_len(s.text) < SHORT_CHARS and not (c.point_opening or c.section_opening):
            score *= weights.short
        out.append(round(score, 9))  # rounding makes ties exact, so document order breaks them
    return out
