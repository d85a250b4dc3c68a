"""Candidate glossary terms that a bulletin uses and the glossary does not cover.

Sources: quoted names (“…”, "…", 「…」), titles (《…》), organisation and activity names (noun
sequences ending in 办公室, 委员会, 部, 厅, 局, 会, 活动, 工程, 行动, 基地 …), frequent character
n-grams on word boundaries and frequent segmented words (jieba). Ranked by count and kind; each with the
sentence it first occurs in. Output is a glossary TSV with an empty ``en`` column to fill in and import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chinese import is_cjk
from .entry import Entry
from .store import Glossary

SUFFIXES = (
    "领导小组",
    "办公室",
    "委员会",
    "工作队",
    "联合会",
    "协会",
    "学会",
    "商会",
    "中心",
    "集团",
    "公司",
    "基地",
    "工程",
    "行动",
    "活动",
    "计划",
    "品牌",
    "机制",
    "制度",
    "战略",
    "部门",
    "部",
    "厅",
    "局",
    "办",
    "会",
    "社",
    "站",
    "院",
    "所",
)
KIND_WEIGHT = {"title": 4.0, "quoted": 3.0, "name": 2.5, "ngram": 0.8, "word": 0.6}
_NOUNISH = ("n", "j", "vn", "nz", "nt", "ns", "l", "an")
_QUOTED = re.compile(r"“([^“”]{2,24})”|\"([^\"]{2,24})\"|「([^「」]{2,24})」|『([^『』]{2,24})』")
_TITLE = re.compile(r"《([^《》]{2,60})》")
_STOP = set(
    "我们 他们 进一步 开展 工作 推进 加强 实现 提供 组织 积极 相关 有关 全面 发展 建设 以来 主动 "
    "通过 其中 以及 各类 各级 全市 全县 全省 方面 情况 问题 要求 坚持 推动 加快 进行 形成 完善 确保 "
    "支持 引导 参与 服务 能力 水平 体系 重要 重点 作用 方式 力度 成效 部署 落实 实施 提升 提高 促进 "
    "强化 健全 深化 继续 充分 不断 持续 同时 以上 左右 余人 单位".split()
)


@dataclass
class Candidate:
    zh: str
    count: int = 0
    kinds: set[str] = field(default_factory=set)
    first: str = ""  # the sentence it first occurs in
    order: int = 0  # index of that sentence

    @property
    def score(self) -> float:
        return self.count * max(KIND_WEIGHT[k] for k in self.kinds) * (1 + 0.1 * len(self.zh))


def bulletin_sentences(source: str) -> list[str]:
    """The bulletin's sentences (normalized, simplified), through the reader when it is available."""
    try:
        from ..pipeline import load_document

        return [s.text for s in load_document(source).sentences()]
    except ImportError:  # the reader is not installed yet: a plain fallback
        from ..chinese import to_simplified
        from .formats import read_text

        text = re.sub(r"\s+", "", to_simplified(read_text(source)))
        return [s for s in re.split(r"(?<=[。！？；])", text) if s]


def _cjk_only(s: str) -> bool:
    return bool(s) and all(is_cjk(c) for c in s)


def suggest(
    sentences: list[str], glossary: Glossary, *, top: int = 100, min_ngram: int = 3, min_word: int = 2
) -> list[Candidate]:
    """Ranked candidates not covered by ``glossary``."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    found: dict[str, Candidate] = {}

    def note(zh: str, kind: str, order: int, sent: str) -> None:
        zh = zh.strip()
        if len(zh) < 2 or not any(is_cjk(c) for c in zh) or re.search(r"[0-9]", zh):
            return
        c = found.setdefault(zh, Candidate(zh, first=sent, order=order))
        c.kinds.add(kind)

    words_per_sentence: list[list[tuple[str, str]]] = []
    for k, sent in enumerate(sentences):
        for m in _QUOTED.finditer(sent):
            note(next(g for g in m.groups() if g), "quoted", k, sent)
        for m in _TITLE.finditer(sent):
            note(m.group(1), "title", k, sent)
        words = [(w.word, w.flag) for w in pseg.lcut(sent)]
        words_per_sentence.append(words)
        for i, (w, _) in enumerate(words):
            if not _cjk_only(w) or not w.endswith(SUFFIXES):
                continue
            j = i
            while j > 0 and i - j < 3 and _cjk_only(words[j - 1][0]) and words[j - 1][1].startswith(_NOUNISH):
                j -= 1
            name = "".join(x for x, _ in words[j : i + 1])
            if 3 <= len(name) <= 16 and j < i:
                note(name, "name", k, sent)
    # frequent words and n-grams on word boundaries
    word_count: dict[str, int] = {}
    gram_count: dict[str, int] = {}
    for k, (sent, words) in enumerate(zip(sentences, words_per_sentence, strict=True)):
        bounds, pos = {0}, 0
        for w, flag in words:
            pos += len(w)
            bounds.add(pos)
            if len(w) >= 2 and _cjk_only(w) and flag.startswith(_NOUNISH) and w not in _STOP:
                word_count[w] = word_count.get(w, 0) + 1
                if word_count[w] == min_word:
                    note(w, "word", k, sent)
        for a in sorted(bounds):
            for b in sorted(bounds):
                if 3 <= b - a <= 8 and _cjk_only(sent[a:b]):
                    g = sent[a:b]
                    gram_count[g] = gram_count.get(g, 0) + 1
                    if gram_count[g] == min_ngram:
                        note(g, "ngram", k, sent)
    # counts over the whole bulletin; drop what the glossary already covers
    spans = [glossary.matcher.spans(s) for s in sentences]
    out = []
    for c in found.values():
        if glossary.lookup(c.zh) is not None:
            continue
        occurrences, covered, overlaps = 0, 0, 0
        for s, sp in zip(sentences, spans, strict=True):
            for m in re.finditer(re.escape(c.zh), s):
                occurrences += 1
                covered += any(a <= m.start() and m.end() <= b for a, b, _ in sp)
                overlaps += any(a < m.end() and m.start() < b for a, b, _ in sp)
        if occurrences == 0 or covered == occurrences or c.zh in _STOP:
            continue
        if not c.kinds - {"ngram", "word"} and overlaps:  # built from glossary terms: compositional
            continue
        c.count = occurrences
        out.append(c)
    # an n-gram or word that only ever occurs inside a longer candidate adds nothing
    longer = sorted(out, key=lambda c: -len(c.zh))
    out = [
        c
        for c in out
        if c.kinds - {"ngram", "word"}
        or not any(len(o.zh) > len(c.zh) and c.zh in o.zh and o.count >= c.count for o in longer)
    ]
    out.sort(key=lambda c: (-c.score, c.order, c.zh))
    return out[:top]


def as_entries(cands: list[Candidate]) -> list[Entry]:
    """Glossary rows with an empty rendering; the note says how often and where the term occurs."""
    out = []
    for c in cands:
        first = " ".join(c.first.split()).replace("\t", " ")
        if len(first) > 80:
            first = first[:79] + "…"
        out.append(Entry(zh=c.zh, en="", note=f"{c.count}x {'+'.join(sorted(c.kinds))}; first: {first}"))
    return out


# -- compounds: TERM + the word after it, where a longer entry may be needed ------------------------

#: jieba part-of-speech tags of a word a term can modify (nouns, verbal nouns, abbreviations, idioms).
_HEAD_TAGS = ("n", "vn", "j", "l")
_NAME_TAGS = ("nr",)  # a person's name after a title is no compound


@dataclass
class Compound:
    """A glossary term followed by a noun-like word, with no longer entry covering both."""

    term: str  # the matched surface
    head: str  # the word after it
    en: str  # the term's forced rendering
    count: int = 0
    files: set[str] = field(default_factory=set)
    first: tuple[str, int] = ("", 0)  # (file, line) of the first occurrence

    @property
    def zh(self) -> str:
        return self.term + self.head


def _line_of(raw: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in ``raw``, line breaks and spaces allowed
    between its characters (bulletins wrap mid-word); 0 when not found."""
    m = re.search(r"\s*".join(map(re.escape, needle)), raw)
    return raw.count("\n", 0, m.start()) + 1 if m else 0


def compounds(files: list[str], glossary: Glossary, *, top: int = 30, min_count: int = 2) -> list[Compound]:
    """The most frequent ``TERM + next word`` compounds in ``files`` (bulletins) with no longer entry.

    The next word comes from the matcher's own segmentation (jieba with the glossary's surfaces); it
    counts when jieba tags it as a noun, verbal noun, abbreviation or idiom (工作, 项目, 座谈会,
    办公室): the places where the term's rendering is used as a modifier.
    """
    import jieba
    import jieba.posseg as pseg

    from ..chinese import to_simplified
    from .formats import read_text

    jieba.setLogLevel(60)
    tags = pseg.dt.word_tag_tab if pseg.dt.initialized else None
    if tags is None:
        pseg.dt.initialize()
        tags = pseg.dt.word_tag_tab
    found: dict[tuple[str, str], Compound] = {}
    seg = glossary.matcher.segmenter
    for path in files:
        raw = to_simplified(read_text(path))
        for sent in bulletin_sentences(path):
            matches = glossary.match(sent)
            if not matches:
                continue
            starts, pos = {}, 0
            for w in seg.words(sent):
                starts[pos] = w
                pos += len(w)
            for m in matches:
                head = starts.get(m.end)
                if not head or len(head) < 2 or not _cjk_only(head):
                    continue
                tag = str(tags.get(head, ""))
                if not tag.startswith(_HEAD_TAGS) or tag.startswith(_NAME_TAGS):
                    continue
                c = found.get((m.text, head))
                if c is None:
                    c = found[(m.text, head)] = Compound(
                        m.text, head, m.en, first=(path, _line_of(raw, m.text + head))
                    )
                c.count += 1
                c.files.add(path)
    out = [c for c in found.values() if c.count >= min_count]
    out.sort(key=lambda c: (-c.count, -len(c.files), c.zh))
    return out[:top]
