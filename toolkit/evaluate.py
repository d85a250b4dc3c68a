"""Score translated bulletins against reference translations (``bulletin evaluate``).

Inputs
  hypothesis  a translated-document JSON (``Document.to_dict()`` after translate) or a flat
              ``{"sentences": [{"id", "zh", "en", "terms", "figures", "constraints"}]}``; the sentences
              scored are every sentence carrying an ``en`` (title, subtitle, lead, headings, bodies,
              points), in document order.
  reference   plain text: one reference sentence per line, aligned to those sentences by order
              (trailing blank lines ignored; the counts must agree); or JSON, aligned by id:
              ``{"sentences": [{"id", "en"}]}``, a list of such objects, or a translated-document JSON.

Metrics (all corpus level, over the aligned sentences)
  bleu, chrf      sacrebleu's ``BLEU()`` and ``CHRF()`` defaults, with their signatures.
  length_ratio    BLEU's ``sys_len / ref_len`` (13a tokens), the ratio behind its brevity penalty.
  terms           WMT23 terminology success rate: of the glossary term occurrences in the source
                  sentences, the share whose rendering appears in the hypothesis. Counted per sentence
                  and per occurrence: a rendering needed twice must appear twice; renderings claim
                  non-overlapping spans, longest first, so "targeted poverty alleviation" does not also
                  count as "poverty alleviation". Case-insensitive by default (a rendering at the start
                  of a sentence may be capitalised); ``case_sensitive=True`` for exact matching.
  figures         figure accuracy: of the source figures written with digits, the share kept verbatim:
                  every number of the figure's digit string (``1.2``, ``2020``) appears as a whole number
                  in the hypothesis (not inside a longer number; leading zeros ignored, so ISO ``12-01``
                  keeps ``1``), each hypothesis number used once. Figures written only in Chinese numerals
                  are not counted.
  foreign         numbers in the hypothesis that the source does not have: not among the digits of the
                  sentence's Chinese text, its figures (and the values of Chinese-numeral figures) or its
                  term renderings (十八大 -> "18th ..."); every occurrence counts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any

from .doc import Document, Figure
from .errors import BadInputError
from .files import read_input_bytes
from .numbers import DIGIT_RUN
from .occurrences import claim

#: A number as the evaluator sees it: a digit run of ``toolkit.numbers`` ("1.2", "2020", "1,685.08").
NUMBER = DIGIT_RUN


@dataclass
class HypSentence:
    """One translated sentence with what the metrics need from its source side."""

    id: str
    zh: str
    en: str
    terms: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    constraints: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Hypothesis:
    """A hypothesis file: its translated sentences and the model that produced them."""

    label: str
    sentences: list[HypSentence]
    model: str | None = None


@dataclass
class Reference:
    """Reference translations: by order (plain text) or by sentence id (JSON)."""

    label: str
    lines: list[str] | None = None
    by_id: dict[str, str] | None = None

    @property
    def alignment(self) -> str:
        return "order" if self.lines is not None else "id"


@dataclass
class Rate:
    """``hits`` of ``total``; ``value`` is None when there is nothing to count."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass
class Scores:
    """Every metric for one hypothesis file."""

    label: str
    model: str | None
    sentences: int
    bleu: float
    chrf: float
    length_ratio: float
    sys_len: int
    ref_len: int
    terms: Rate
    terms_from: str | None
    figures: Rate
    foreign_figures: int


@dataclass
class Evaluation:
    """The scores of several hypothesis files against one reference."""

    reference: str
    alignment: str
    bleu_signature: str
    chrf_signature: str
    case_sensitive_terms: bool
    results: list[Scores]


# -- reading ---------------------------------------------------------------------------------------


def _read_text(path: str) -> str:
    data = read_input_bytes(path, what="translation or reference file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInputError(f"{path}: not UTF-8 text (byte {e.start})") from None


def _read_json(path: str) -> Any:
    text = _read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInputError(f"{path}: malformed JSON (line {e.lineno} column {e.colno}: {e.msg})") from None


def _is_document(d: Any) -> bool:
    return isinstance(d, dict) and any(k in d for k in ("sections", "title", "lead", "header"))


def sentences_from_json(data: Any, label: str) -> list[HypSentence]:
    """The translated sentences (those with an ``en``) of a document or flat sentence-list JSON, in order."""
    if _is_document(data):
        try:
            doc = Document.from_dict(data)
            sents = doc.sentences()
        except (TypeError, KeyError, AttributeError, ValueError) as e:
            raise BadInputError(
                f"{label}: not a translated bulletin JSON ({type(e).__name__}: {e})"
            ) from None
        return [
            HypSentence(
                id=s.id,
                zh=s.text,
                en=s.en,
                terms=[asdict(t) for t in s.terms],
                figures=[asdict(f) for f in s.figures],
                constraints=[asdict(c) for c in s.constraints],
            )
            for s in sents
            if isinstance(s.en, str)
        ]
    items = data.get("sentences") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BadInputError(f'{label}: expected a translated bulletin or {{"sentences": [...]}} JSON')
    out: list[HypSentence] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise BadInputError(f'{label}: sentence {i} is not an object with a string "id"')
        en = item.get("en")
        if en is None:
            continue
        if not isinstance(en, str):
            raise BadInputError(f'{label}: sentence {item["id"]}: "en" is not a string')
        out.append(
            HypSentence(
                id=item["id"],
                zh=str(item.get("zh", item.get("text", ""))),
                en=en,
                terms=_dicts(item.get("terms"), label, item["id"], "terms"),
                figures=_dicts(item.get("figures"), label, item["id"], "figures"),
                constraints=_dicts(item.get("constraints"), label, item["id"], "constraints"),
            )
        )
    return out


def _dicts(value: Any, label: str, sid: str, key: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadInputError(f'{label}: sentence {sid}: "{key}" is not a list of objects')
    return value


def load_hypothesis(path: str) -> Hypothesis:
    """Read a hypothesis JSON file; BadInputError when it has no translated sentence."""
    data = _read_json(path)
    return hypothesis_from_dict(data, path)


def hypothesis_from_dict(data: Any, label: str) -> Hypothesis:
    """A Hypothesis from an already parsed translated-document (or flat sentence-list) JSON."""
    sents = sentences_from_json(data, label)
    if not sents:
        raise BadInputError(f'{label}: no translated sentences (no sentence has "en")')
    ids = Counter(s.id for s in sents)
    dup = [i for i, n in ids.items() if n > 1]
    if dup:
        raise BadInputError(f"{label}: duplicate sentence id {dup[0]}")
    meta = data.get("meta") if isinstance(data, dict) else None
    model = meta.get("model") if isinstance(meta, dict) else None
    return Hypothesis(label=label, sentences=sents, model=model if isinstance(model, str) else None)


def load_reference(path: str) -> Reference:
    """Read a reference: ``*.json`` by sentence id, anything else one sentence per line."""
    if path.lower().endswith(".json"):
        data = _read_json(path)
        by_id: dict[str, str] = {}
        for s in sentences_from_json(data, path):
            if s.id in by_id:
                raise BadInputError(f"{path}: duplicate sentence id {s.id}")
            by_id[s.id] = s.en
        if not by_id:
            raise BadInputError(f'{path}: no reference sentences (no sentence has "en")')
        return Reference(label=path, by_id=by_id)
    lines = _read_text(path).splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise BadInputError(f"{path}: empty reference")
    return Reference(label=path, lines=lines)


def align(hyp: Hypothesis, ref: Reference) -> list[str]:
    """The reference sentence for each hypothesis sentence, in hypothesis order."""
    if ref.lines is not None:
        if len(ref.lines) != len(hyp.sentences):
            raise BadInputError(
                f"{ref.label} has {len(ref.lines)} reference lines but {hyp.label} has "
                f"{len(hyp.sentences)} translated sentences (one line per sentence, title and headings "
                "included, in document order)"
            )
        return list(ref.lines)
    assert ref.by_id is not None
    missing = [s.id for s in hyp.sentences if s.id not in ref.by_id]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise BadInputError(
            f"{ref.label} lacks {len(missing)} of the {len(hyp.sentences)} sentence ids of "
            f"{hyp.label}: {shown}"
        )
    return [ref.by_id[s.id] for s in hyp.sentences]


# -- metrics ---------------------------------------------------------------------------------------


def count_claimed(text: str, needed: dict[str, int], *, case_sensitive: bool = False) -> dict[str, int]:
    """How many of the ``needed`` occurrences of each string ``text`` holds, without reusing any span.

    Strings claim non-overlapping spans longest first, so a rendering inside a longer one that was
    already claimed is not counted twice (``toolkit.occurrences.claim``; substrings count, as in WMT's
    terminology success).
    """
    claimed = claim(text, needed, case_sensitive=case_sensitive, whole=False)
    return {n: len(spans) for n, spans in claimed.items()}


def term_success(
    sentences: list[HypSentence],
    terms: dict[str, list[dict[str, Any]]] | None = None,
    *,
    case_sensitive: bool = False,
) -> Rate:
    """Term occurrences of the source whose rendering the hypothesis contains.

    ``terms`` maps sentence id -> term matches to use instead of each sentence's own (to score
    several hypotheses of one source on the same terms).
    """
    hits = total = 0
    for s in sentences:
        matches = terms.get(s.id, []) if terms is not None else s.terms
        needed = Counter(str(t.get("en") or "") for t in matches)
        needed.pop("", None)
        found = count_claimed(s.en, needed, case_sensitive=case_sensitive)
        hits += sum(found.values())
        total += sum(needed.values())
    return Rate(hits, total)


def _canon(number: str) -> str:
    """A number for comparison: leading zeros of the integer part dropped ("01" == "1")."""
    whole, dot, frac = number.partition(".")
    return (whole.lstrip("0") or "0") + dot + frac


def numbers(text: str) -> list[str]:
    """The numbers written in ``text``, canonical, in order."""
    return [_canon(m.replace(",", "")) for m in NUMBER.findall(text)]


def _source_numbers(s: HypSentence) -> set[str]:
    allowed = set(numbers(s.zh))
    for f in s.figures:
        allowed.update(numbers(str(f.get("digits") or "")))
        value = f.get("value")
        if not f.get("digits") and isinstance(value, int | float) and float(value).is_integer():
            allowed.add(str(int(value)))
    for t in s.terms:
        allowed.update(numbers(str(t.get("en") or "")))
    return allowed


def _figure(f: dict[str, Any]) -> Figure | None:
    """A figure of the hypothesis JSON as the reader made it; None when the JSON lacks its reading."""
    try:
        return Figure(**{k: v for k, v in f.items() if k in _FIGURE_FIELDS})
    except TypeError:
        return None


_FIGURE_FIELDS = {f.name for f in fields(Figure)}


def _by_value(s: HypSentence) -> tuple[int, int, int] | None:
    """(kept, total, foreign) read by value (``toolkit.check``'s independent English reader), the way QA
    reads them: a month name keeps 5月's 5, "2.34 billion" keeps 23.4亿. None if a figure lacks its
    reading."""
    from .check import figure_key, source_reading
    from .figures_read_en import read_english

    figs = [_figure(f) for f in s.figures]
    if any(f is None for f in figs):
        return None
    hyp = [r for r in read_english(s.en) if r.has_digits]
    pool = Counter(figure_key(r) for r in hyp)
    kept = total = 0
    allowed: Counter = Counter()
    for f in figs:
        key = figure_key(source_reading(f))
        allowed[key] += 1
        if not f.digits:
            continue  # figures written only in Chinese numerals are not counted
        total += 1
        if pool[key] > 0:
            kept += 1
            pool[key] -= 1
    for t in s.terms:
        allowed.update(figure_key(r) for r in read_english(str(t.get("en") or "")))
    for n in numbers(s.zh):  # a digit of the Chinese no figure took (a list marker)
        allowed[("number", Decimal(n), None, (), None)] += 1
    seen = Counter(figure_key(r) for r in hyp)
    foreign = sum(max(0, n - allowed[k]) for k, n in seen.items())
    return kept, total, foreign


def figure_accuracy(sentences: list[HypSentence]) -> tuple[Rate, int]:
    """(source figures written with digits that are kept, foreign numbers in the hypothesis): by value when
    the figures carry their reading (translated-document JSON), else by digit strings."""
    kept = total = foreign = 0
    for s in sentences:
        counted = _by_value(s)
        if counted is not None:
            kept, total, foreign = kept + counted[0], total + counted[1], foreign + counted[2]
            continue
        hyp = numbers(s.en)
        pool = Counter(hyp)
        for f in s.figures:
            wanted = Counter(numbers(str(f.get("digits") or "")))
            if not wanted:
                continue
            total += 1
            if all(pool[n] >= k for n, k in wanted.items()):
                kept += 1
                pool.subtract(wanted)
        allowed = _source_numbers(s)
        foreign += sum(1 for n in hyp if n not in allowed)
    return Rate(kept, total), foreign


def _terms_by_id(hyps: list[Hypothesis], terms_from: Hypothesis | None) -> tuple[dict, str] | None:
    """The term matches that every hypothesis is scored on: ``terms_from``'s, else the first file with any."""
    source = terms_from or next((h for h in hyps if any(s.terms for s in h.sentences)), None)
    if source is None:
        return None
    return {s.id: s.terms for s in source.sentences}, source.label


def _check_same_source(hyps: list[Hypothesis], other: Hypothesis) -> None:
    zh = {s.id: s.zh for s in other.sentences}
    for h in hyps:
        for s in h.sentences:
            if s.id in zh and s.zh and zh[s.id] and s.zh != zh[s.id]:
                raise BadInputError(
                    f"{h.label} and {other.label} translate different sources (sentence {s.id})"
                )


def evaluate(
    hyps: list[Hypothesis],
    ref: Reference,
    *,
    terms_from: Hypothesis | None = None,
    case_sensitive: bool = False,
) -> Evaluation:
    """Score each hypothesis against ``ref``; term success on one shared set of term matches."""
    from sacrebleu.metrics import BLEU, CHRF

    shared = _terms_by_id(hyps, terms_from)
    if shared is not None:
        source = terms_from or next(h for h in hyps if h.label == shared[1])
        _check_same_source(hyps, source)
    bleu, chrf = BLEU(), CHRF()
    results: list[Scores] = []
    for h in hyps:
        refs = align(h, ref)
        en = [s.en for s in h.sentences]
        b = bleu.corpus_score(en, [refs])
        c = chrf.corpus_score(en, [refs])
        figures, foreign = figure_accuracy(h.sentences)
        results.append(
            Scores(
                label=h.label,
                model=h.model,
                sentences=len(en),
                bleu=b.score,
                chrf=c.score,
                length_ratio=b.sys_len / b.ref_len if b.ref_len else 0.0,
                sys_len=b.sys_len,
                ref_len=b.ref_len,
                terms=term_success(h.sentences, shared[0] if shared else {}, case_sensitive=case_sensitive),
                terms_from=shared[1] if shared else None,
                figures=figures,
                foreign_figures=foreign,
            )
        )
    return Evaluation(
        reference=ref.label,
        alignment=ref.alignment,
        bleu_signature=str(bleu.get_signature()),
        chrf_signature=str(chrf.get_signature()),
        case_sensitive_terms=case_sensitive,
        results=results,
    )


def evaluate_files(
    hyp_paths: list[str], ref_path: str, *, terms_from: str | None = None, case_sensitive: bool = False
) -> Evaluation:
    """Read the hypothesis files and the reference, then :func:`evaluate`."""
    hyps = [load_hypothesis(p) for p in hyp_paths]
    ref = load_reference(ref_path)
    tf = load_hypothesis(terms_from) if terms_from else None
    return evaluate(hyps, ref, terms_from=tf, case_sensitive=case_sensitive)


# -- output ----------------------------------------------------------------------------------------


def _rate(r: Rate) -> str:
    return "n/a (0/0)" if r.value is None else f"{r.value:.3f} ({r.hits}/{r.total})"


def format_table(ev: Evaluation) -> str:
    """Aligned plain-text columns, one row per hypothesis file, then the metric signatures."""
    head = ["hypothesis", "sents", "BLEU", "chrF", "terms", "figures", "foreign", "len ratio"]
    rows = [
        [
            r.label,
            str(r.sentences),
            f"{r.bleu:.2f}",
            f"{r.chrf:.2f}",
            _rate(r.terms),
            _rate(r.figures),
            str(r.foreign_figures),
            f"{r.length_ratio:.3f}",
        ]
        for r in ev.results
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows), ""]
    out.append(f"reference: {ev.reference} (aligned by {ev.alignment})")
    out.append(f"BLEU: {ev.bleu_signature}")
    out.append(f"chrF: {ev.chrf_signature}")
    terms_from = {r.terms_from for r in ev.results if r.terms_from}
    case = "case-sensitive" if ev.case_sensitive_terms else "case-insensitive"
    out.append(
        f"terms: glossary matches from {', '.join(sorted(terms_from)) or 'none'} ({case}); "
        "len ratio: BLEU sys_len/ref_len (13a tokens)"
    )
    return "\n".join(out) + "\n"


def to_json_dict(ev: Evaluation) -> dict[str, Any]:
    """The evaluation as a JSON-ready dict."""

    def rate(r: Rate) -> dict[str, Any]:
        return {"rate": r.value, "hits": r.hits, "total": r.total}

    return {
        "reference": ev.reference,
        "alignment": ev.alignment,
        "signatures": {"bleu": ev.bleu_signature, "chrf": ev.chrf_signature},
        "terms_case_sensitive": ev.case_sensitive_terms,
        "length_ratio": "BLEU sys_len / ref_len (13a tokens)",
        "hypotheses": [
            {
                "file": r.label,
                "model": r.model,
                "sentences": r.sentences,
                "bleu": r.bleu,
                "chrf": r.chrf,
                "length_ratio": r.length_ratio,
                "sys_len": r.sys_len,
                "ref_len": r.ref_len,
                "terms": {**rate(r.terms), "from": r.terms_from},
                "figures": {**rate(r.figures), "foreign": r.foreign_figures},
            }
            for r in ev.results
        ],
    }


def format_json(ev: Evaluation) -> str:
    return json.dumps(to_json_dict(ev), ensure_ascii=False, indent=2) + "\n"
