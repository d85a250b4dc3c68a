"""Translate stage: every translatable unit of a Document, under its term and figure constraints.

Each glossary match and each figure span of a sentence becomes a target-side constraint (the
glossary rendering; the figure's deterministic English from ``figures_en``). A figure that lies
inside a glossary match is carried by that match's rendering (十八大 -> "18th CPC National
Congress"). Identical units (same Chinese, same constraints) are translated once. After decoding,
the QA stage (``toolkit.check``, a later stage, run by ``toolkit.pipeline.translate_checked``) verifies
every sentence independently of the decoder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..chinese import has_cjk
from ..doc import Constraint, Document, Sentence
from .figures_en import DEFAULT_MODE, MODES, render_figure
from .options import DecodeOptions
from .structure_en import english_furniture

#: roles translated even when only some sentences are asked for (a summary): the document's furniture
#: and headings, which every rendering shows
ALWAYS = frozenset({"title", "subtitle", "heading", "header", "footer"})

if TYPE_CHECKING:
    from .engine import Engine


def figures_mode(figures: bool | str) -> str | None:
    """The figures mode a ``figures`` argument names: "verbatim" (True, the default) or "english"; None
    (False) when figures are not imposed on the decoder. ValueError for anything else."""
    if figures is True:
        return DEFAULT_MODE
    if figures is False:
        return None
    if figures not in MODES:
        raise ValueError(f"unknown figures mode {figures!r} (verbatim or english)")
    return figures


def build_constraints(sent: Sentence, *, figures: bool | str = True) -> list[Constraint]:
    """The constraints of one sentence, in source order (see the translated-document contract).
    ``figures``: the figures mode, "verbatim" (or True) or "english" (see ``figures_en``); False: only
    the glossary terms are imposed (QA still checks the figures)."""
    mode = figures_mode(figures)
    cons = [Constraint(t.en, "term", t.text, t.start, t.end, zh=t.zh, source=t.source, note=t.note)
            for t in sent.terms]
    for f in sent.figures if mode else ():
        if any(t.start <= f.start and f.end <= t.end for t in sent.terms):
            continue  # carried by the enclosing term's rendering
        cons.append(Constraint(render_figure(f, mode), "figure", f.text, f.start, f.end))
    cons.sort(key=lambda c: (c.start, c.end))
    return cons


def sentence_case(en: str) -> str:
    """Capitalise the first letter (a lowercase glossary rendering often opens the sentence)."""
    for i, ch in enumerate(en):
        if ch.isalnum():
            return en[:i] + ch.upper() + en[i + 1 :] if ch.islower() else en
    return en


def translate_document(
    doc: Document,
    engine: Engine,
    options: DecodeOptions | None = None,
    *,
    only: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
    figures: bool | str = True,
) -> Document:
    """Fill ``en`` and ``constraints`` on the translatable units (all, or the ids in ``only`` plus the
    furniture and headings, roles in ``ALWAYS``), decoded with ``options`` (default ``DecodeOptions()``).
    Identical units are decoded once. ``figures``: the figures mode, "verbatim" (or True) or "english",
    recorded in ``meta["figures"]``; False: figures are not imposed on the decoder. QA is not run here
    (see ``toolkit.pipeline.translate_checked``)."""
    options = options or DecodeOptions()
    mode = figures_mode(figures)
    wanted = None if only is None else set(only)
    units = [s for s in doc.all_sentences() if wanted is None or s.id in wanted or s.role in ALWAYS]
    keys: dict[tuple, int] = {}
    jobs: list[Sentence] = []
    owners: list[int] = []
    for s in units:
        s.constraints = build_constraints(s, figures=figures)
        if not has_cjk(s.text):
            s.en = s.text  # nothing to translate (a bare figure or Latin text): keep it verbatim
            continue
        key = (s.text, tuple(c.en for c in s.constraints))
        if key not in keys:
            keys[key] = len(jobs)
            jobs.append(s)
        owners.append(keys[key])
    outputs = _decode(doc, engine, jobs, options, progress)
    it = iter(owners)
    for s in units:
        if has_cjk(s.text):
            s.en = sentence_case(outputs[next(it)])
    doc.meta["model"] = str(engine.path)
    doc.meta["figures"] = mode or "unconstrained"
    doc.meta["decoding"] = {
        "beams": options.beams,
        "batch_size": options.batch_size,
        "length_penalty": options.length_penalty,
        "max_len_ratio": options.max_len_ratio,
        "margin": options.margin,
        "min_len_ratio": options.min_len_ratio,
        "units": len(units),
        "decoded": len(jobs),
    }
    doc.meta["english"] = english_furniture(doc, mode or DEFAULT_MODE)
    doc.meta["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    return doc


def _decode(
    doc: Document,
    engine: Engine,
    jobs: list[Sentence],
    options: DecodeOptions,
    progress: Callable[[int], None] | None,
) -> list[str]:
    """Run the constrained decoder on the unique units; record constraints it cannot express."""
    results = engine.translate_batch([s.text for s in jobs], [s.constraints for s in jobs], options,
                                     progress=progress)
    unencodable = {r: chars for res in results for r, chars in res.unencodable.items()}
    if unencodable:
        doc.meta["unencodable"] = unencodable
    return [res.en for res in results]
