"""Run a batch of documents so that one bad file never costs the rest.

Every input is tried; each failure is one ``bulletin: error: ...`` line as it happens and is named again in
the final summary; finished outputs are kept; the exit code is the failed document's own code for a
single input and ``EXIT_PARTIAL`` (8) when some of several failed. ``fail_fast`` stops at the first
failure with that document's exit code. Work is a per-document callable behind an ``Executor`` (this
process, or a Ray cluster: ``toolkit.cluster``); this module reads inputs, writes outputs and the
manifest, and reports progress (documents, sentences, rate and ETA) on stderr.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from .docjob import DocResult, worker_name
from .errors import BulletinError, FindingsError
from .manifest import Manifest, sha256_bytes, sha256_path
from .output import emit
from .outputs import STDIN, Job

EXIT_PARTIAL = 8
#: failed documents the final summary names (all of them are in the manifest and were reported as they failed)
SUMMARY_NAMES = 20


@dataclass
class WorkItem:
    """A job whose input has been read: what an executor ships to a worker."""

    job: Job
    data: bytes
    input_sha256: str


class Executor(Protocol):
    def run(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, DocResult]]:
        """Results as they finish (any order); pulls items only as workers free up."""
        ...


class LocalExecutor:
    """Documents one after another in this process."""

    def __init__(self, work: Callable[[str, bytes | None], DocResult]) -> None:
        self.work = work

    def run(self, items: Iterable[WorkItem]) -> Iterator[tuple[WorkItem, DocResult]]:
        for item in items:
            yield item, self.work(item.job.source, item.data)


def _error_of(code: int, message: str) -> BulletinError:
    err = BulletinError(message)
    err.exit_code = code
    return err


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Progress:
    """One stderr line per finished document: counts, sentences, rate and an ETA from the input bytes
    still to do (sentences follow bytes far better than document counts do)."""

    def __init__(self, total_docs: int, total_bytes: int, *, stream: TextIO, quiet: bool) -> None:
        self.total_docs = total_docs
        self.remaining_bytes = total_bytes
        self.done_bytes = 0
        self.docs = 0
        self.sentences = 0
        self.stream = stream
        self.quiet = quiet
        self.start = time.monotonic()
        self.here = worker_name()

    def skipped(self, size: int) -> None:
        self.docs += 1
        self.remaining_bytes -= size

    def finished(self, job: Job, size: int, result: DocResult) -> None:
        self.docs += 1
        self.sentences += result.sentences
        self.done_bytes += size
        self.remaining_bytes -= size
        if self.quiet or self.total_docs < 2:
            return
        elapsed = time.monotonic() - self.start
        rate = self.docs and 60 * self.docs / elapsed if elapsed > 0 else 0.0
        eta = elapsed / self.done_bytes * max(self.remaining_bytes, 0) if self.done_bytes else 0.0
        state = f"-> {job.output}" if result.ok else "failed"
        if result.worker and result.worker != self.here:
            state += f" (worker {result.worker})"
        print(
            f"bulletin: [{self.docs}/{self.total_docs}] {job.name} {state}; {self.sentences} sentences, "
            f"{rate:.1f} docs/min, elapsed {_clock(elapsed)}, ETA {_clock(eta)}",
            file=self.stream,
            flush=True,
        )


@dataclass
class BatchOptions:
    fail_fast: bool = False
    resume: bool = False
    quiet: bool = False
    strict: bool = False
    record: dict[str, Any] | None = None  # model, glossary, options, settings_sha256: in every manifest line


def _size(job: Job) -> int:
    if job.source == STDIN:
        return 0
    try:
        return os.stat(job.source).st_size
    except OSError:
        return 0


def _read(job: Job) -> bytes:
    from .read import read_bytes

    return read_bytes(job.source)


def run_batch(jobs: list[Job], executor: Executor, *, manifest: Manifest | None, options: BatchOptions,
              stream: TextIO | None = None) -> int:
    """Run every job; return the exit code (see the module docstring). Raises for a fatal failure (the
    model will not load, the manifest cannot be written) and on Ctrl-C (lines written so far stay)."""
    stream = stream or sys.stderr
    record = options.record or {}
    settings_sha = record.get("settings_sha256", "")
    sizes = {j.source: _size(j) for j in jobs}
    todo = jobs
    skipped: list[Job] = []
    if manifest is not None:
        previous = manifest.load()
        mine = {manifest.key(j.output or ""): j for j in jobs}
        if options.resume:
            skip = {k for k, j in mine.items()
                    if manifest.unchanged(previous.get(k), sha256_path(j.source), settings_sha)}
        else:
            skip = set()
        skipped = [j for k, j in mine.items() if k in skip]
        todo = [j for k, j in mine.items() if k not in skip]
        manifest.start(r for k, r in previous.items() if k not in mine or k in skip)
    progress = Progress(len(jobs), sum(sizes.values()), stream=stream, quiet=options.quiet)
    for j in skipped:
        progress.skipped(sizes[j.source])
    failed: list[tuple[Job, DocResult]] = []
    violations = 0
    ok = 0

    def note(job: Job, input_sha: str | None, result: DocResult, output_sha: str | None) -> None:
        if manifest is not None:
            manifest.append({
                "input": job.name,
                "input_sha256": input_sha,
                "output": job.output,
                "output_sha256": output_sha,
                "status": "ok" if result.ok else "failed",
                "error": result.error,
                "exit_code": result.exit_code,
                "qa": result.qa,
                "sentences": result.sentences,
                **record,
                "worker": result.worker,
                "seconds": round(result.seconds, 3),
                "cpu_seconds": round(result.cpu_seconds, 3),
                "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            })

    def items() -> Iterator[WorkItem]:
        for job in todo:
            try:
                data = _read(job)
            except BulletinError as e:
                result = DocResult(error=str(e), exit_code=e.exit_code)
                if not fail(job, None, result):
                    return
                continue
            yield WorkItem(job, data, sha256_bytes(data))

    def fail(job: Job, input_sha: str | None, result: DocResult) -> bool:
        """Report a failed document (a single one, or --fail-fast: the command's own error line); whether
        to go on."""
        if len(jobs) > 1 and not options.fail_fast:
            print(f"bulletin: error: {result.error}", file=stream, flush=True)
        failed.append((job, result))
        note(job, input_sha, result, None)
        progress.finished(job, sizes[job.source], result)
        return not options.fail_fast

    results = executor.run(items())
    try:
        for item, result in results:
            job = item.job
            if result.fatal:
                raise _error_of(result.exit_code, result.error or "failed")
            if not result.ok:
                if not fail(job, item.input_sha256, result):
                    break
                continue
            for w in result.warnings:
                print(f"bulletin: warning: {w}", file=stream, flush=True)
            try:
                emit(result.text or "", job.output)
            except BulletinError as e:
                bad = DocResult(error=str(e), exit_code=e.exit_code, qa=result.qa, sentences=result.sentences,
                                worker=result.worker, seconds=result.seconds, cpu_seconds=result.cpu_seconds)
                if not fail(job, item.input_sha256, bad):
                    break
                continue
            ok += 1
            violations += int((result.qa or {}).get("violations", 0))
            if not options.quiet:
                print(f"{job.name}: {result.qa_line}", file=stream, flush=True)
            note(job, item.input_sha256, result,
                 sha256_path(job.output) if job.output and manifest is not None else None)
            progress.finished(job, sizes[job.source], result)
    finally:
        close = getattr(results, "close", None)
        if close:
            close()  # a cluster cancels the documents still in flight
        if manifest is not None:
            manifest.close()
    if len(jobs) > 1 and (failed or not options.quiet):
        _summary(stream, ok=ok, skipped=len(skipped), failed=failed, total=len(jobs), progress=progress,
                 manifest=manifest, stopped=options.fail_fast and bool(failed))
    if failed:
        if options.fail_fast or len(jobs) == 1:
            result = failed[0][1]
            raise _error_of(result.exit_code, result.error or "failed")
        return EXIT_PARTIAL
    if options.strict and violations:
        raise FindingsError(f"QA found {violations} violation(s) (--strict)")
    return 0


def _summary(stream: TextIO, *, ok: int, skipped: int, failed: list[tuple[Job, DocResult]], total: int,
             progress: Progress, manifest: Manifest | None, stopped: bool) -> None:
    elapsed = time.monotonic() - progress.start
    parts = [f"{ok} translated"]
    if skipped:
        parts.append(f"{skipped} unchanged (skipped, --resume)")
    parts.append(f"{len(failed)} failed")
    left = total - ok - skipped - len(failed)
    if left:
        parts.append(f"{left} not tried (--fail-fast)" if stopped else f"{left} not done")
    line = (f"bulletin: {', '.join(parts)} of {total} documents; "
            f"{progress.sentences} sentences in {_clock(elapsed)}")
    if manifest is not None:
        line += f"; manifest {manifest.path}"
    print(line, file=stream, flush=True)
    if failed:
        names = ", ".join(j.name for j, _ in failed[:SUMMARY_NAMES])
        if len(failed) > SUMMARY_NAMES:
            names += f" and {len(failed) - SUMMARY_NAMES} more" + (
                f" (status \"failed\" in {manifest.path})" if manifest is not None else "")
        print(f"bulletin: failed: {names}", file=stream, flush=True)
