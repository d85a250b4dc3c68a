"""One document's work in a batch, as a picklable callable: bytes in, rendered English and QA totals out.

The batch runner (``toolkit.batch``) drives it in this process, or a Ray actor per worker drives it on a
cluster (``toolkit.cluster``); both get the same ``DocResult``, so outputs are byte for byte the same.
The work itself is the public API's (``toolkit.api.Translator``): the glossary loads once per worker,
the model on the first document that reads cleanly (so a run of bad inputs never loads it).
Per-document failures come back as results (the batch keeps going); a failure that dooms every
document (the model will not load) comes back ``fatal`` and ends the batch.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import BulletinError, ModelError
from .translate.options import DecodeOptions

if TYPE_CHECKING:
    from .doc import Document

EXIT_INTERNAL = 70

#: a progress factory: given the document, a context manager yielding a per-sentence callback (or None)
ProgressFactory = Callable[["Document"], contextlib.AbstractContextManager[Callable[[int], None] | None]]


@dataclass(frozen=True)
class Settings:
    """Everything that decides a document's output (and the engine's speed), picklable for a cluster."""

    model: str
    options: DecodeOptions = field(default_factory=DecodeOptions)
    fmt: str = "md"
    with_summary: bool = False
    glossary: tuple[str, ...] = ()
    default_glossary: bool = True
    figures: str = "verbatim"  # how figures read in English: verbatim | english (README "Figures")
    keep_boilerplate: bool = False  # translate the page furniture structure set aside, too


@dataclass
class DocResult:
    """What one document's work produced; ``text`` is None when it failed."""

    text: str | None = None
    qa: dict[str, Any] | None = None
    qa_line: str = ""
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0
    error: str | None = None
    exit_code: int = 0
    fatal: bool = False
    worker: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the process's CPU time (all threads) on it: robust on a busy host

    @property
    def ok(self) -> bool:
        return self.error is None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def render(doc: Document, fmt: str, *, with_summary: bool) -> str:
    """The document in the requested output format."""
    from .render import english

    if fmt == "json":
        return english.to_json(doc)
    if fmt == "bilingual":
        return english.to_bilingual(doc, with_summary=with_summary)
    if fmt == "text":
        return english.to_text(doc, with_summary=with_summary)
    if fmt == "html":
        from .render.html import to_html

        return to_html(doc)
    return english.to_markdown(doc, with_summary=with_summary)


@contextlib.contextmanager
def _no_progress(doc: Document) -> Iterator[None]:
    yield None


class DocumentTranslator:
    """``(source, data) -> DocResult``: load -> (summarize) -> translate -> render, never raising for one
    document's fault. ``progress(doc)`` gives a per-sentence callback for a progress bar."""

    def __init__(self, settings: Settings, *, progress: ProgressFactory | None = None) -> None:
        self.settings = settings
        self.progress = progress or _no_progress
        self._glossary: Any = None
        self._translator: Any = None

    def glossary(self) -> Any:
        if self._glossary is None:
            from .glossary.store import Glossary

            s = self.settings
            self._glossary = Glossary.load(list(s.glossary), default=s.default_glossary)
        return self._glossary

    def translator(self) -> Any:
        """The API's Translator (model loaded once), made on the first document that reads cleanly."""
        if self._translator is None:
            from .api import Translator

            self._translator = Translator.load(self.settings.model, glossary=self.glossary(),
                                               options=self.settings.options, figures=self.settings.figures)
        return self._translator

    def __call__(self, source: str, data: bytes | None = None) -> DocResult:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            result = self._translate(source, data)
        except ModelError as e:
            result = DocResult(error=str(e), exit_code=e.exit_code, fatal=True)
        except BulletinError as e:
            result = DocResult(error=str(e), exit_code=e.exit_code)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as e:  # noqa: BLE001 - one document's bug must not cost the batch
            if os.environ.get("BULLETIN_DEBUG"):
                raise
            name = "stdin" if source == "-" else source
            result = DocResult(error=f"{name}: internal error: {type(e).__name__}: {e}",
                               exit_code=EXIT_INTERNAL)
        result.worker = worker_name()
        result.seconds = time.perf_counter() - start
        result.cpu_seconds = time.process_time() - cpu
        return result

    def _translate(self, source: str, data: bytes | None) -> DocResult:
        from .check import qa_summary_line, unencodable_warning
        from .pipeline import load_document

        s = self.settings
        doc = load_document(source, glossary=self.glossary(), data=data,
                            keep_boilerplate=self.settings.keep_boilerplate)
        with_summary = s.with_summary or s.fmt == "html"  # the review page shows section summaries
        if with_summary:
            from .summarize import summarize

            summarize(doc)
        translator = self.translator()
        with self.progress(doc) as bar:
            translator.translate_document(doc, progress=bar)
        text = render(doc, s.fmt, with_summary=with_summary)
        warning = unencodable_warning(doc, s.model)
        warnings = [warning] if warning else []
        totals = dict(doc.meta["qa"])
        return DocResult(text=text, qa=totals, qa_line=qa_summary_line(totals), warnings=warnings,
                         sentences=len(doc.all_sentences()))
