"""Sentence ranking: what a section states (figures, targets, results, decisions) first, its gist second.

relevance = penalties x (Σ weight_f x feature_f) / Σ weight_f, every feature in [0, 1], so relevance is in
[0, 1] and comparable with a cosine similarity in MMR (``select.py``). Features (weights in ``Weights``):

- ``figures`` (1.0): 1 - 0.5^w, w = key figures (count, amount, percent, range, and a target year: 到2020年,
  至2025年, 将2018年作为…) + 0.25 x other figures (year, date, ordinal, code). Analysts read bulletins for
  their numbers: most of the shared gold's key facts hold a figure, and "the sentences with the most
  figures" alone carries more key facts than LexRank or TextRank.
- ``statement`` (0.7): 1 - 0.5^k, k = kinds of fact the wording states (``FACT_CUES``): a target or plan,
  a total, a threshold, a result reached, a decision taken, a claim of completeness, a named programme or
  document. These carry the facts without a figure (实现社保“跨省通办”, 制定…规划, 贫困县全部摘帽).
- ``lead_statement`` (0.5): the first sentence of its unit (the lead, a section body, a point) that is
  neither a slogan nor boilerplate - after 一是发展脱贫产业。 the sentence that says what was done; a
  heading that states a figure is its subsection's statement.
- ``centrality`` (0.1): LexRank over the group's cosine graph, divided by the group's maximum; and
  ``terms`` (0.1): 1 - 0.5^d, d = distinct glossary terms. Tie-breakers between sentences that state
  nothing measurable: on the shared gold both were worth nothing more (a weight grid scored with each
  document held out in turn chose centrality 0-0.2 and terms 0-0.2; the old weights, centrality 1.0,
  carried 27 of 46 key facts where these carry 40).

Penalties multiply: ``boilerplate`` (x 0.2; x 0.5 for a lead-in that counts what follows, 从三个方面…：)
for transitions and lead-ins that state nothing (现将有关情况报告如下。, 特此通知, …如下：); ``slogan``
(x 0.3) for sentences that state no figure and no fact and are short (under ``SLOGAN_CHARS`` Chinese
characters: 发展脱贫产业。 乡村振兴，产业兴旺是重点。) and for political formulas of any length
(以…思想为指导, 贯彻…精神) - a point or section opener of that kind is picked only when nothing in its
group says more. Openers get no bonus of their own: in policy documents they are headline slogans more
often than facts.

Candidates are the lead, section bodies and points, never a sentence whose ``role`` (set by structure) is
boilerplate or a table cell; and subsection headings that state a fact with a key figure (深度贫困村：24个,
错退率不大于2%。) - such a heading is the fact, and the summary may quote it. Headings do not count in a
group's size (``select.quota``), so quoting one never lengthens a summary.

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
#: A year right after one of these is a target, deadline or designation, a key figure:
#: 到2020年, 至2025年, 将2018年作为….
TARGET_BEFORE = frozenset("到至将")
#: Sentences under this many Chinese characters that state no figure and no fact are slogans.
SLOGAN_CHARS = 20
#: Roles (set by structure) that are never summary sentences.
EXCLUDED_ROLES = frozenset({"boilerplate", "table-cell", "table-caption", "header", "footer", "label"})

#: Wording that states a fact, by kind; each kind counts once per sentence.
FACT_CUES: dict[str, re.Pattern[str]] = {
    # a target, plan or assigned task: 计划实现, 目标任务, 任务为
    "target": re.compile(r"计划|目标|任务为|力争|确保.{0,12}(全部|全面|100)"),
    # a total: 累计, 共募集, 总投资, 合计
    "total": re.compile(
        r"累计|共计|总计|合计|总投资|总任务|总规模|总数|共(募集|投入|筹集|有|完成|培训|帮助|争取|引进)"
    ),
    # a threshold or a measured level: 不大于1%, 90%以上, 最低为7天, 占比
    "threshold": re.compile(
        r"不(低于|高于|大于|小于|少于|超过)|以上|以下|最低|最高|至少|占比|比重|发生率|覆盖率|达到|达\d"
    ),
    # a result reached: 实现, 完成, 超过, 取得…进展, 全覆盖, 下降到
    "result": re.compile(
        r"实现|完成|超过|突破|取得|建成|全覆盖|增长|下降|降至|降到|提高到|提升到|翻番|受惠|惠及|参加了|出列|摘帽"
    ),
    # a decision taken or announced: 制定, 出台, 将…作为, 延长, 聘任, 成立
    "decision": re.compile(
        r"制定|出台|印发|发布了|颁布|成立|设立|启动|作为.{0,10}年|延长|聘任|聘请|批准|解读了|明确(了|至)"
    ),
    # a claim of completeness, checkable as such: 全部摘帽, 所有学校, 全覆盖, 每个行政村
    "universal": re.compile(r"全部|所有|全覆盖|每(个|一个|一级)|一律"),
    # a named programme, plan or document: 《…》, “跨省通办”, 「東數西算」 (four characters or more)
    "named": re.compile(r"《[^》]{2,}》|[“\"][^”\"]{4,}[”\"]|「[^」]{4,}」|『[^』]{4,}』"),
}

#: Political formulas that frame a document without stating anything of it (以…思想为指导, 贯彻…精神):
#: ranked as slogans whatever their length.
FORMULA = re.compile(
    r"思想为指导|为指引|贯彻.{0,16}精神|高举.{0,16}旗帜|团结在.{0,24}周围|工作总基调|以人民为中心的发展思想"
)

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

    figures: float = 1.0
    statement: float = 0.7
    lead_statement: float = 0.5
    centrality: float = 0.1
    terms: float = 0.1
    boilerplate: float = 0.2  # multiplier for boilerplate sentences
    counted_lead_in: float = 0.5  # multiplier for a lead-in that counts what follows (从三个方面…：)
    slogan: float = 0.3  # multiplier for short sentences that state no figure and no fact
    damping: float = 0.85  # LexRank damping factor


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Candidate:
    """A sentence that can be picked, with where it stands in the document."""

    sentence: Sentence
    order: int  # position in document order among all candidates
    group: str  # "lead" or the id of its top-level section
    section: str  # id of the innermost section ("" for the lead)
    heading: bool = False  # a subsection heading that states a fact (not counted in the group's size)
    unit: str = ""  # the paragraph-like unit it belongs to: "<section>/body" or "<section>/p<n>"


def _cjk_len(text: str) -> int:
    return sum(1 for c in text if is_cjk(c))


def _has_offsets(sents: list[Sentence]) -> bool:
    """True when every sentence has a real, distinct span in the document (then offsets give the order)."""
    starts = [s.start for s in sents]
    return all(s.end > s.start for s in sents) and len(set(starts)) == len(starts)


def _rankable(sent: Sentence) -> bool:
    return getattr(sent, "role", None) not in EXCLUDED_ROLES


def _section_sentences(sec: Section) -> list[tuple[Sentence, str]]:
    """A section's own sentences (body and points, not subsections), each with its unit."""
    out = [(s, f"{sec.id}/body") for s in sec.sentences]
    for n, p in enumerate(sec.points):
        out += [(s, f"{sec.id}/p{n}") for s in p.sentences]
    return [(s, u) for s, u in out if _rankable(s)]


def states_a_figure(sent: Sentence) -> bool:
    """A heading that is itself a fact: it holds a key figure (深度贫困村：24个, 错退率不大于2%。)."""
    return key_figures(sent) > 0


def candidates(doc: Document) -> list[Candidate]:
    """Rankable sentences in document order: lead, section bodies and points, and subsection headings
    that state a fact with a key figure; never title, subtitle, top-level headings, boilerplate or cells.

    Document order is the order of the sentences in the text when the reader set offsets, else the order
    of the tree (lead, then each section's heading, body, points, subsections).
    """
    rows: list[tuple[Sentence, str, str, bool, str]] = [
        (s, "lead", "", False, "lead") for s in doc.lead if _rankable(s)
    ]

    def walk(sec: Section, group: str) -> None:
        head = sec.heading
        if sec.level > 1 and head is not None and _rankable(head) and states_a_figure(head):
            rows.append((head, group, sec.id, True, f"{sec.id}/heading"))
        rows.extend((s, group, sec.id, False, u) for s, u in _section_sentences(sec))
        for sub in sec.subsections:
            walk(sub, group)

    for top in doc.sections:
        walk(top, top.id)
    tree_pos = {id(r[0]): i for i, r in enumerate(rows)}
    if _has_offsets([r[0] for r in rows]):
        rows.sort(key=lambda r: (r[0].start, tree_pos[id(r[0])]))
    return [Candidate(s, i, grp, sec, heading, unit) for i, (s, grp, sec, heading, unit) in enumerate(rows)]


def is_boilerplate(text: str) -> bool:
    """A transition or lead-in (现将有关情况报告如下。 / 特此通知 / …如下：) that states nothing itself."""
    t = re.sub(r"\s+", "", text)
    return any(p.search(t) for p in BOILERPLATE_PATTERNS)


def _is_target_year(sent: Sentence, start: int, kind: str) -> bool:
    if kind != "year":
        return False
    before = sent.text[:start].rstrip()
    return bool(before) and before[-1] in TARGET_BEFORE


def key_figures(sent: Sentence) -> int:
    """Figures that carry a quantity (count, amount, percent, range) or a target year (到2020年)."""
    return sum(
        1
        for f in sent.figures
        if f.kind in KEY_FIGURE_KINDS
        or (f.kind in ("year", "date") and f.relation == "by")  # the reader keeps 到 in the figure
        or _is_target_year(sent, f.start, f.kind)
    )


def figure_feature(sent: Sentence) -> float:
    k = key_figures(sent)
    w = k + MINOR_FIGURE_WEIGHT * (len(sent.figures) - k)
    return 1.0 - 0.5**w


def fact_kinds(text: str) -> list[str]:
    """The kinds of fact (``FACT_CUES``) the wording of ``text`` states, in ``FACT_CUES`` order."""
    t = re.sub(r"\s+", "", text)
    return [kind for kind, pat in FACT_CUES.items() if pat.search(t)]


def statement_feature(sent: Sentence) -> float:
    return 1.0 - 0.5 ** len(fact_kinds(sent.text))


def term_feature(sent: Sentence) -> float:
    return 1.0 - 0.5 ** len({t.zh for t in sent.terms})


def is_slogan(sent: Sentence) -> bool:
    """Short and stating nothing checkable (no key figure, no fact wording: 发展脱贫产业。), or a political
    formula (全面贯彻党的十九大精神，以…思想为指导…) of any length."""
    if FORMULA.search(re.sub(r"\s+", "", sent.text)):
        return True
    return _cjk_len(sent.text) < SLOGAN_CHARS and key_figures(sent) == 0 and not fact_kinds(sent.text)


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


def lead_statements(cands: list[Candidate], empty: list[bool]) -> list[bool]:
    """The first sentence of each unit (lead, section body, point) that states something (not ``empty``):
    after a slogan opener (一是发展脱贫产业。) it is the next sentence that says what was done. A heading
    that is a candidate states its subsection's fact (错退率不大于2%。), so it is one too."""
    seen: set[str] = set()
    out: list[bool] = []
    for c, e in zip(cands, empty, strict=True):
        first = c.heading or (not e and c.unit not in seen)
        if first and not c.heading:
            seen.add(c.unit)
        out.append(first)
    return out


def relevance(
    cands: list[Candidate], sim: list[list[float]], weights: Weights = DEFAULT_WEIGHTS
) -> list[float]:
    """Relevance in [0, 1] of each candidate of one group; ``sim`` is the group's cosine matrix."""
    cent = centrality(sim, weights.damping)
    top = max(cent, default=0.0)
    total = weights.figures + weights.statement + weights.centrality + weights.terms + weights.lead_statement
    empty = [(is_boilerplate(c.sentence.text), is_slogan(c.sentence)) for c in cands]
    leads = lead_statements(cands, [b or sl for b, sl in empty])
    out: list[float] = []
    for c, ce, (boiler, slogan), lead in zip(cands, cent, empty, leads, strict=True):
        s = c.sentence
        score = (
            weights.figures * figure_feature(s)
            + weights.statement * statement_feature(s)
            + weights.centrality * (ce / top if top > 0 else 0.0)
            + weights.terms * term_feature(s)
            + weights.lead_statement * lead
        ) / total
        if boiler:
            score *= weights.counted_lead_in if key_figures(s) else weights.boilerplate
        elif slogan:
            score *= weights.slogan
        out.append(round(score, 9))  # rounding makes ties exact, so document order breaks them
    return out
