"""The translation engine: a MarianMT model, its sentencepiece vocabularies and the constrained decoder.

Use::

    eng = Engine.load("models/opus-mt-zh-en")          # or a hub id, or the tiny model folder
    out = eng.translate_batch(["党的十八大以来…"], [[Constraint("18th National Congress", 2, 6, "term")]])
    out[0].en, out[0].unencodable

A constraint is an English string that must appear in the output; listing it twice requires it twice.
``start``/``end`` (offsets into the source sentence) say where it comes from: when a sentence is too
long for the model and is split at ；，、, each constraint goes to the piece that holds its start.

torch is imported inside the functions, never at module import; transformers is not used (the model is
:mod:`native`, the engine's own MarianMT).
"""

from __future__ import annotations

import json
import math
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ModelError

SPLIT_CHARS = "；，、;,"
JOINERS = {"；": "; ", ";": "; ", "，": ", ", ",": ", ", "、": ", "}
SPACE = "\u2581"
# EOS barred before this share of the source length (in tokens). A guard, not a tuning knob: on the
# trained reference model (scripts/report_reference_model.py) it changed 0 of 500 outputs; it binds only
# where a model would stop implausibly early (random weights; an empty translation of a real sentence).
MIN_LEN_RATIO = 0.3


@dataclass(frozen=True)
class Constraint:
    """An English rendering the translation must contain, and the source span it renders."""

    text: str
    start: int = -1  # offset into the source sentence; -1 when unknown (goes with the first piece)
    end: int = -1
    kind: str = "term"  # term | figure


@dataclass
class Translation:
    """The result for one source sentence."""

    en: str
    applied: list[Constraint] = field(default_factory=list)  # enforced by the decoder
    unencodable: dict[str, list[str]] = field(default_factory=dict)  # rendering -> characters not expressible
    pieces: int = 1  # how many pieces the source was split into


def _as_constraint(c: Constraint | str) -> Constraint:
    return c if isinstance(c, Constraint) else Constraint(str(c))


class Codec:
    """Marian's tokenisation: source/target sentencepiece models over one (or two) vocab.json."""

    def __init__(self, folder: Path):
        import sentencepiece as spm

        self.folder = folder
        try:
            self.src_spm = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            self.tgt_spm = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
            self.vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            tv = folder / "target_vocab.json"
            self.tvocab: dict[str, int] = (
                json.loads(tv.read_text(encoding="utf-8")) if tv.exists() else self.vocab
            )
            cfg_path = folder / "tokenizer_config.json"
            cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
        except (OSError, RuntimeError, ValueError) as e:
            raise ModelError(f"cannot read the tokenizer files in {folder}: {e}") from None
        self.unk_id = self.vocab.get("<unk>", 1)
        self.eos_id = self.vocab.get("</s>", 0)
        self.pad_id = self.vocab.get("<pad>", len(self.vocab) - 1)
        self.max_length = int(cfg.get("model_max_length", 512) or 512)
        self.id_to_piece = {i: p for p, i in self.tvocab.items()}

    def encode_source(self, text: str) -> list[int]:
        """Source token ids, ending in EOS (as MarianTokenizer without Moses normalisation)."""
        pieces = self.src_spm.encode(text, out_type=str)
        return [self.vocab.get(p, self.unk_id) for p in pieces] + [self.eos_id]

    def target_pieces(self, text: str) -> list[str]:
        return self.tgt_spm.encode(text, out_type=str)

    def decode(self, ids: Sequence[int]) -> str:
        pieces = [self.id_to_piece.get(i, "") for i in ids if i not in (self.eos_id, self.pad_id)]
        return self.tgt_spm.decode_pieces([p for p in pieces if p]).strip()

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the target side cannot emit exactly (unknown or normalised away)."""
        bad: list[str] = []
        for ch in dict.fromkeys(text):
            if ch.isspace():
                continue
            pieces = self.target_pieces(ch)
            ok = bool(pieces) and all(p in self.tvocab and p != "<unk>" for p in pieces)
            ok = ok and self.tgt_spm.decode_pieces(pieces).strip() == ch
            if not ok:
                bad.append(ch)
        return bad

    def encode_constraint(self, text: str) -> list[int]:
        """Target ids of ``text`` as a word-initial sequence (the form it takes mid-sentence).

        Raises ValueError naming the characters the target vocabulary cannot express.
        """
        text = " ".join(text.split())
        if not text:
            raise ValueError("empty constraint")
        pieces = self.target_pieces(text)
        ids = [self.tvocab.get(p, -1) for p in pieces]
        if any(i < 0 or i == self.unk_id for i in ids) or self.decode(ids) != text:
            bad = self.missing(text) or [text]
            raise ValueError("cannot encode: " + "".join(bad))
        return ids


def _piece_text(p: str) -> str:
    if p.startswith("<0x") and p.endswith(">") and len(p) == 6:
        return chr(int(p[3:5], 16)) if int(p[3:5], 16) < 0x80 else "\ufffd"
    return p.replace(SPACE, " ")


def build_target_vocab(codec: Codec, vocab_size: int, start_id: int) -> Any:
    """The decoder's view of the vocabulary: free / digit / glue masks."""
    import torch

    from .projection import TargetVocab

    free = torch.zeros(vocab_size, dtype=torch.bool)
    digit = torch.zeros(vocab_size, dtype=torch.bool)
    glue = torch.zeros(vocab_size, dtype=torch.bool)
    side = torch.zeros(vocab_size, dtype=torch.bool)
    specials = {codec.eos_id, codec.pad_id, codec.unk_id}
    tgt = codec.tgt_spm
    tgt_unk = tgt.unk_id()
    for piece, i in codec.tvocab.items():
        if i >= vocab_size:
            continue
        text = _piece_text(piece)
        is_byte = piece.startswith("<0x") and len(piece) == 6
        digit[i] = any(c.isdigit() for c in text)
        glue[i] = not piece.startswith(SPACE) and text[:1].isalnum()
        tid = tgt.piece_to_id(piece)
        on_target = tid != tgt_unk and not tgt.is_control(tid)
        cjk = any(unicodedata.name(c, "").startswith("CJK") for c in text)
        side[i] = on_target and i not in specials
        if piece.startswith("<") and piece.endswith(">") and not is_byte:
            continue  # control / special pieces (<s>, <unk>, language codes...)
        free[i] = on_target and not is_byte and not cjk and not digit[i] and i not in specials
    if codec.eos_id < vocab_size:
        side[codec.eos_id] = True
    return TargetVocab(
        eos_id=codec.eos_id,
        pad_id=codec.pad_id,
        start_id=start_id,
        free=free,
        digit=digit,
        glue=glue,
        side=side,
    )


def unencodable_renderings(model_path: str | Path, renderings: list[str]) -> dict[str, list[str]]:
    """For each rendering the model's target side cannot express exactly, the characters at fault."""
    from .model_store import resolve

    codec = _codec(str(resolve(model_path)))
    out: dict[str, list[str]] = {}
    for r in renderings:
        try:
            codec.encode_constraint(r)
        except ValueError:
            out[r] = codec.missing(r) or [r]
    return out


@lru_cache(maxsize=4)
def _codec(folder: str) -> Codec:
    return Codec(Path(folder))


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def split_points(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Offsets just after each ；，、 in ``text`` that lie outside every constraint span."""
    return [i + 1 for i, ch in enumerate(text) if ch in SPLIT_CHARS and not any(s <= i < e for s, e in spans)]


class Engine:
    """A loaded model ready to translate under constraints. Build with :meth:`Engine.load`."""

    def __init__(
        self,
        model: Any,
        codec: Codec,
        *,
        device: str,
        path: Path,
        restrict: bool = True,
        shortlist: int | None = None,
        int8: bool = False,
        threads: int | None = None,
    ):
        """``restrict``: compute the output projection over the target side only (exact).
        ``shortlist``: per batch, only the N most frequent target pieces plus the batch's constraint
        tokens and EOS (approximate; needs ``restrict``). ``int8``: the model's linears are quantized
        (the projections built here are quantized too). ``threads``: CPU cores to use (default: all this
        process may run on); on the CPU, batches are decoded by that many workers at once, one core each."""
        from .projection import frequent_free_ids
        from .projection import restrict as restricted

        self.model = model
        self.codec = codec
        self.device = device
        self.path = path
        self.int8 = int8
        self.threads = threads or available_cores()
        self.max_workers: int | None = None  # batches decoded at once on the CPU; None: one per core
        cfg = model.config
        self.max_positions = int(getattr(cfg, "max_position_embeddings", 512))
        self.max_source = min(codec.max_length, self.max_positions)
        start = cfg.decoder_start_token_id if cfg.decoder_start_token_id is not None else codec.pad_id
        size = getattr(model.lm_head, "out_features", None) or cfg.vocab_size
        self.full_vocab = build_target_vocab(codec, int(size), start)
        self.vocab = restricted(model, self.full_vocab, int8=int8) if restrict else self.full_vocab
        if shortlist is not None and (shortlist < 1 or not restrict):
            raise ValueError("shortlist needs restrict=True and a size of at least 1")
        self.shortlist_base: list[int] | None = None
        if shortlist:
            tgt = codec.tgt_spm
            scores = {i: tgt.get_score(tgt.piece_to_id(p)) for p, i in codec.tvocab.items() if i < size}
            self.shortlist_base = frequent_free_ids(self.full_vocab, scores, shortlist)

    # -- loading -----------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        model: str | Path,
        *,
        device: str = "cpu",
        quantize: str | None = None,
        threads: int | None = None,
        verify: bool = False,
        restrict: bool = True,
        shortlist: int | None = None,
    ) -> Engine:
        """Load a model folder or installed hub id (see ``model_store.resolve``) onto ``device``.

        The weights are read by :func:`native.load_marian` (the engine's own MarianMT, no transformers).
        ``quantize="int8"``: per-channel int8 linears and an int8 embedding (CPU).
        ``restrict``/``shortlist``: see ``__init__``."""
        from .model_store import resolve, verify_manifest

        path = resolve(model)
        if verify:
            verify_manifest(path)
        import torch

        from .native import load_marian

        threads = threads or available_cores()
        torch.set_num_threads(threads)
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise ModelError(f"device {device} requested but CUDA is not available")
        if quantize not in (None, "", "none", "int8"):
            raise ModelError(f"unknown quantization {quantize!r} (use int8)")
        int8 = quantize == "int8"
        if int8 and device != "cpu":
            raise ModelError("--quantize int8 is for the CPU")
        codec = Codec(path)  # the cheap files first
        m = load_marian(path, int8=int8, device=device)  # ModelError for a folder without usable weights
        return cls(m, codec, device=device, path=path, restrict=restrict, shortlist=shortlist, int8=int8,
                   threads=threads)

    # -- tokenisation ----------------------------------------------------------------
    def encode_source(self, text: str) -> list[int]:
        return self.codec.encode_source(text)

    def encode_constraint(self, text: str) -> list[int]:
        """Target ids of a constraint as it appears mid-sentence (word-initial "▁" form); ValueError if not
        expressible. The same ids decode to exactly ``text`` sentence-initially too."""
        return self.codec.encode_constraint(text)

    def decode(self, ids: Sequence[int]) -> str:
        return self.codec.decode(ids)

    # -- translation -----------------------------------------------------------------
    def translate(
        self, sources: list[str], constraints: list[list[Constraint | str]] | None = None, **kw: Any
    ) -> list[str]:
        """Translate; raise ModelError if any constraint cannot be expressed by the target vocabulary."""
        res = self.translate_batch(sources, constraints, **kw)
        bad = {r: c for t in res for r, c in t.unencodable.items()}
        if bad:
            items = "; ".join(f"{r!r} ({''.join(c)})" for r, c in bad.items())
            raise ModelError(f"the model's target vocabulary cannot express: {items}")
        return [t.en for t in res]

    def translate_batch(
        self,
        sources: list[str],
        constraints: list[list[Constraint | str]] | None = None,
        *,
        beams: int = 4,
        batch_size: int = 8,
        max_len_ratio: float = 2.0,
        margin: int = 10,
        progress: Callable[[int], None] | None = None,
        fixed_length: int | None = None,
    ) -> list[Translation]:
        """Translate ``sources``; ``constraints[i]`` must all appear in output i (repeats = counts).

        ``fixed_length`` (benchmarks): every piece gets exactly that many tokens, EOS included.
        Unencodable constraints are not enforced; they are reported in ``Translation.unencodable``.
        ``progress(n)`` is called as sentences finish (n = how many just finished).
        """
        cons = [[_as_constraint(c) for c in cs] for cs in (constraints or [[] for _ in sources])]
        if len(cons) != len(sources):
            raise ValueError("constraints must have one list per source sentence")
        if beams < 1 or batch_size < 1:
            raise ValueError("beams and batch_size must be at least 1")
        results: list[Translation] = []
        jobs: list[tuple[str, tuple[tuple[int, ...], ...]]] = []  # unique (piece source, constraint ids)
        job_index: dict[tuple[str, tuple[tuple[int, ...], ...]], int] = {}
        plan: list[list[tuple[int, str]]] = []  # per sentence: (job, joiner before it)
        for src, cs in zip(sources, cons, strict=True):
            tr = Translation(en="")
            ok: list[tuple[Constraint, list[int]]] = []
            for c in cs:
                try:
                    ok.append((c, self.encode_constraint(c.text)))
                except ValueError:
                    tr.unencodable[c.text] = self.codec.missing(c.text) or [c.text]
            tr.applied = [c for c, _ in ok]
            pieces = self._split(src, ok, max_len_ratio, margin)
            tr.pieces = len(pieces)
            entry = []
            for text, pcs, joiner in pieces:
                key = (text, tuple(tuple(ids) for ids in sorted(pcs)))
                if key not in job_index:
                    job_index[key] = len(jobs)
                    jobs.append(key)
                entry.append((job_index[key], joiner))
            plan.append(entry)
            results.append(tr)
        outs = self._run(jobs, beams, batch_size, max_len_ratio, margin, plan, progress, fixed_length)
        for tr, entry in zip(results, plan, strict=True):
            tr.en = "".join((j if k else "") + outs[i] for k, (i, j) in enumerate(entry)).strip()
        return results

    def _budget(self, n_src: int, n_cons: int, ratio: float, margin: int) -> int:
        return max(math.ceil(ratio * n_src) + margin, n_cons + margin)

    def _fits(self, text: str, cons: list[list[int]], ratio: float, margin: int) -> bool:
        n = len(self.encode_source(text))
        return n <= self.max_source and sum(map(len, cons)) + 1 < self.max_positions

    def _split(
        self,
        src: str,
        ok: list[tuple[Constraint, list[int]]],
        ratio: float,
        margin: int,
    ) -> list[tuple[str, list[list[int]], str]]:
        """Pieces (text, constraint ids, joiner before it) that each fit the model."""
        if self._fits(src, [ids for _, ids in ok], ratio, margin):
            return [(src, [ids for _, ids in ok], "")]
        spans = [(c.start, c.end) for c, _ in ok if c.start >= 0]
        cuts = split_points(src, spans)
        # greedy: extend a piece up to the furthest cut that still fits
        bounds: list[tuple[int, int]] = []
        a = 0
        while a < len(src):
            best = None
            for cut in [x for x in cuts if x > a] + [len(src)]:
                if self._fits(src[a:cut], self._within(ok, a, cut), ratio, margin):
                    best = cut
                elif best is not None:
                    break
            if best is None:  # no cut fits: hard split by characters (outside constraint spans if possible)
                best = self._hard_cut(src, a, spans, ok, ratio, margin)
            bounds.append((a, best))
            a = best
        out = []
        for k, (a, b) in enumerate(bounds):
            text = src[a:b]
            joiner = ""
            if k:
                prev = src[a - 1]
                joiner = JOINERS.get(prev, " ")
            text = text.rstrip(SPLIT_CHARS) if k < len(bounds) - 1 else text
            pcs = self._within(ok, a, b)
            out.append((text, pcs, joiner))
        return out

    @staticmethod
    def _within(ok: list[tuple[Constraint, list[int]]], a: int, b: int) -> list[list[int]]:
        """Constraint ids whose source span starts in [a, b) (unknown spans count as starting at 0)."""
        return [ids for c, ids in ok if a <= max(c.start, 0) < b]

    def _hard_cut(
        self,
        src: str,
        a: int,
        spans: list[tuple[int, int]],
        ok: list[tuple[Constraint, list[int]]],
        ratio: float,
        margin: int,
    ) -> int:
        lo, hi = a + 1, len(src)
        while lo < hi:  # largest end that fits
            mid = (lo + hi + 1) // 2
            if self._fits(src[a:mid], self._within(ok, a, mid), ratio, margin):
                lo = mid
            else:
                hi = mid - 1
        end = lo
        for s, e in spans:  # do not cut inside a constraint's source span
            if s < end < e and s > a:
                end = s
        if not self._fits(src[a:end], self._within(ok, a, end), ratio, margin):
            raise ModelError(f"a sentence is too long for the model even after splitting: {src[a:end][:30]}…")
        return end

    def _workers(self, n_jobs: int, batch_size: int) -> tuple[int, int]:
        """How many batches to decode at once, and the batch size that gives each worker one.

        On the CPU every worker is one core running one batch (measured faster than one batch over all
        cores: a decoder step is many small operations, which split badly across threads, and a
        multi-threaded step stalls when another process takes a core). Fewer jobs than workers x batch
        size are spread so that every core gets some."""
        workers = min(self.threads, n_jobs, self.max_workers or self.threads)
        if self.device != "cpu" or workers <= 1:
            return 1, batch_size
        return workers, max(1, min(batch_size, math.ceil(n_jobs / workers)))

    def _run(self, jobs, beams, batch_size, ratio, margin, plan, progress, fixed=None) -> list[str]:
        from concurrent.futures import ThreadPoolExecutor, as_completed

        import torch

        enc = [self.encode_source(text) for text, _ in jobs]
        order = sorted(range(len(jobs)), key=lambda i: -len(enc[i]))
        outs = [""] * len(jobs)
        # progress counts source sentences: a sentence is done when its last piece is
        remaining = [len({i for i, _ in e}) for e in plan]
        users: dict[int, list[int]] = {}
        for s, e in enumerate(plan):
            for i in {i for i, _ in e}:
                users.setdefault(i, []).append(s)
        workers, size = self._workers(len(order), batch_size)
        batches = [order[k : k + size] for k in range(0, len(order), size)]

        def finished(idx: list[int], ids: list[list[int]]) -> None:
            for i, out in zip(idx, ids, strict=True):
                outs[i] = self.decode(out)
            if progress:
                n = 0
                for i in idx:
                    for s in users.get(i, []):
                        remaining[s] -= 1
                        n += remaining[s] == 0
                if n:
                    progress(n)

        def decode(idx: list[int]) -> list[list[int]]:
            return self._decode([enc[i] for i in idx], [jobs[i][1] for i in idx], beams, ratio, margin, fixed)

        if workers == 1:
            for idx in batches:
                finished(idx, decode(idx))
            return outs

        def work(idx: list[int]) -> list[list[int]]:
            torch.set_num_threads(max(1, self.threads // workers))  # OpenMP keeps it per thread
            return decode(idx)

        pool = ThreadPoolExecutor(workers, thread_name_prefix="decode")
        try:
            futures = {pool.submit(work, idx): idx for idx in batches}  # longest first
            for fut in as_completed(futures):
                finished(futures[fut], fut.result())
        except BaseException:  # a failed batch or Ctrl-C: the batches not started yet never start
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            pool.shutdown()
            torch.set_num_threads(self.threads)
        return outs

    def _decode(self, src: list[list[int]], cons_ids, beams: int, ratio: float, margin: int,
                fixed: int | None) -> list[list[int]]:
        """One batch through the constrained decoder: output token ids per source."""
        from .decoder import constrained_beam_search
        from .projection import shortlist

        cons = [[list(c) for c in cs] for cs in cons_ids]
        max_new = [
            min(self.max_positions, self._budget(len(s), sum(map(len, c)), ratio, margin))
            for s, c in zip(src, cons, strict=True)
        ]
        # a non-empty sentence never translates to nothing: EOS is barred for the first few tokens
        min_new = [
            min(m - 1, max(1, math.ceil(MIN_LEN_RATIO * len(s))))
            for s, m in zip(src, max_new, strict=True)
        ]
        if fixed:
            max_new = [max(fixed, sum(map(len, c)) + 1) for c in cons]
            min_new = [m - 1 for m in max_new]
        vocab = self.vocab
        if self.shortlist_base is not None:
            vocab = shortlist(self.model, vocab, self.shortlist_base, (t for c in cons for t in c),
                              int8=self.int8)
        return constrained_beam_search(self.model, src, cons, vocab, beams=beams, max_new=max_new,
                                       min_new=min_new)
