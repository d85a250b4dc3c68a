"""The public Python API; the ``bulletin`` commands are a thin layer over it.

    from toolkit import Translator, read_document

    translator = Translator.load("Helsinki-NLP/opus-mt-zh-en", glossary="my-terms.tsv", beams=4)
    doc = translator.translate_text("四川省脱贫攻坚领导小组召开会议。")
    print(doc.title.en, doc.meta["qa"])

A Translator loads the model once and translates any number of documents (each one read, matched
against the glossary, decoded under its term and figure constraints, then checked by QA).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .doc import Document
from .glossary.store import Glossary
from .pipeline import load_document, translate_checked
from .translate.model_store import DEFAULT_MODEL
from .translate.options import DecodeOptions

#: A glossary argument: a Glossary; a file or files layered over the default glossary; None for the
#: default glossary (shipped + the user's layer, see ``toolkit.paths``); False for no glossary at all.
GlossaryLike: TypeAlias = (
    Glossary | str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None | Literal[False]
)
Progress: TypeAlias = Callable[[int], None]


def load_glossary(glossary: GlossaryLike = None) -> Glossary:
    """The Glossary that a ``glossary=`` argument names (see ``GlossaryLike``)."""
    if isinstance(glossary, Glossary):
        return glossary
    if glossary is False:
        return Glossary()
    if glossary is None:
        return Glossary.load()
    files = [glossary] if isinstance(glossary, str | os.PathLike) else list(glossary)
    return Glossary.load(files)


def read_document(
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    glossary: GlossaryLike = None,
    keep_boilerplate: bool = False,
) -> Document:
    """Read a bulletin from a path ("-" for stdin) or from ``text`` into its structured document:
    header, sections, points, sentences with figures and glossary matches (``keep_boilerplate``: page
    furniture becomes translatable labels too)."""
    return load_document(None if source is None else os.fspath(source), text=text,
                         glossary=load_glossary(glossary), keep_boilerplate=keep_boilerplate)


class Translator:
    """A model and a glossary, loaded once; translates strings, files and Documents."""

    def __init__(
        self, engine: Any, glossary: Glossary, options: DecodeOptions, *, figures: bool | str = True
    ):
        self.engine = engine
        self.glossary = glossary
        self.options = options
        self.figures = figures

    @classmethod
    def load(
        cls,
        model: str | os.PathLike[str] = DEFAULT_MODEL,
        *,
        glossary: GlossaryLike = None,
        quantize: str | None = None,
        beams: int | None = None,
        figures: bool | str = True,
        threads: int | None = None,
        device: str | None = None,
        batch_size: int | None = None,
        options: DecodeOptions | None = None,
        verify: bool = False,
    ) -> Translator:
        """Load ``model`` (a folder, or a hub id installed by ``bulletin model fetch``) and the glossary.

        ``options`` gives every decoding setting at once; ``quantize``, ``beams``, ``threads``,
        ``device`` and ``batch_size`` override it (``quantize``: "auto", the default, is int8 on the CPU and
        fp32 elsewhere, as on the command line; "none" is fp32). ``figures``: "verbatim" (True, the
        default) or "english" (how figures read in English, see README "Figures"); False leaves figures
        unconstrained (QA still checks them). ``verify`` checks the model files against their
        manifest's sha256."""
        from .translate.engine import Engine

        given = {"quantize": quantize, "beams": beams, "threads": threads, "device": device,
                 "batch_size": batch_size}
        options = (options or DecodeOptions()).with_(**{k: v for k, v in given.items() if v is not None})
        g = load_glossary(glossary)
        g.release_word_boundaries()  # the segmenter's memory goes before the model's; reloaded on demand
        engine = Engine.load(model, verify=verify, **options.load_kwargs())
        return cls(engine, g, options, figures=figures)

    @property
    def model_path(self) -> Path:
        return Path(self.engine.path)

    def read(self, source: str | os.PathLike[str] | None = None, *, text: str | None = None) -> Document:
        """A document read and matched against this translator's glossary, not yet translated."""
        return read_document(source, text=text, glossary=self.glossary)

    def translate_document(
        self, doc: Document, *, only: Iterable[str] | None = None, progress: Progress | None = None
    ) -> Document:
        """Translate an annotated Document in place (all units, or the ids in ``only`` plus headings and
        labels) and run QA; ``progress(n)`` is called as n more sentences finish."""
        return translate_checked(doc, self.engine, self.options, figures=self.figures, only=only,
                                 progress=progress)

    def translate_text(self, text: str, *, progress: Progress | None = None) -> Document:
        """Translate a bulletin given as a string."""
        return self.translate_document(self.read(text=text), progress=progress)

    def translate_file(self, path: str | os.PathLike[str], *, progress: Progress | None = None) -> Document:
        """Translate a bulletin file (any supported encoding, simplified or traditional)."""
        return self.translate_document(self.read(path), progress=progress)

    def translate_many(
        self, paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None
    ) -> Iterable[Document]:
        """Translate files one after another with the model loaded once (a generator: each Document
        is yielded as soon as it is done)."""
        for path in paths:
            yield self.translate_file(path, progress=progress)

    def summarize(
        self,
        doc_or_text: Document | str,
        *,
        sentences: int | None = None,
        ratio: float | None = None,
        overall: int | None = None,
        progress: Progress | None = None,
    ) -> Document:
        """Extractive English summaries: rank each section's sentences (in Chinese), then translate only
        the picked ones (plus headings and labels) and check them. ``doc_or_text``: an annotated
        Document, or the bulletin as a string. Sizes as in ``toolkit.summarize.summarize``."""
        from .summarize import picked_ids, summarize

        doc = self.read(text=doc_or_text) if isinstance(doc_or_text, str) else doc_or_text
        summarize(doc, sentences=sentences, ratio=ratio, overall=overall)
        return self.translate_document(doc, only=picked_ids(doc), progress=progress)
