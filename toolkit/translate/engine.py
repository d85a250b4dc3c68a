"""The translation engine: a MarianMT model, its sentencepiece vocabularies and the constrained decoder.

Use::

    eng = Engine.load("models/opus-mt-zh-en")          # or a hub id, or the tiny model folder
    cons = [[Constraint("18th CPC National Congress", start=2, end=6)]]
    out = eng.translate_batch(["党的十八大以来…"], cons, beams=4)
    out[0].en, out[0].unencodable

A constraint (``toolkit.doc.Constraint``) is an English string that must appear in the output; listing it
twice requires it twice. How to decode is one ``DecodeOptions`` (beam size, length limits, length penalty,
threads, workers), given whole or as keywords. The parts: ``codec`` (tokenisation), ``splitting`` (a
sentence too long for the model becomes pieces), ``scheduling`` (batches over cores) and ``decoder`` (the
search).

torch is imported inside the functions, never at module import; transformers is not used (the model is
:mod:`native`, the engine's own MarianMT).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..doc import Constraint
from ..errors import ModelError
from .codec import Codec, build_target_vocab
from .options import DecodeOptions
from .scheduling import SentenceProgress, available_cores, longest_first, plan_workers, run_batches
from .splitting import split_source


@dataclass
class Translation:
    """The result for one source sentence."""

    en: str
    applied: list[Constraint] = field(default_factory=list)  # enforced by the decoder
    unencodable: dict[str, list[str]] = field(default_factory=dict)  # rendering -> characters not expressible
    pieces: int = 1  # how many pieces the source was split into


def _as_constraint(c: Constraint | str) -> Constraint:
    return c if isinstance(c, Constraint) else Constraint(str(c))


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
        constraints: Sequence[Sequence[Constraint | str]] | None = None,
        options: DecodeOptions | None = None,
        *,
        progress: Callable[[int], None] | None = None,
        fixed_length: int | None = None,
        **overrides: Any,
    ) -> list[Translation]:
        """Translate ``sources``; ``constraints[i]`` must all appear in output i (repeats = counts).

        ``options`` (default ``DecodeOptions()``), with any of its fields overridden by keyword
        (``beams=1``). Its load-time fields (quantize, device, shortlist) are those of ``Engine.load``.
        ``fixed_length`` (benchmarks): every piece gets exactly that many tokens, EOS included.
        Unencodable constraints are not enforced; they are reported in ``Translation.unencodable``.
        ``progress(n)`` is called as sentences finish (n = how many just finished).
        """
        opts = options or DecodeOptions()
        if overrides:
            opts = opts.with_(**overrides)
        cons = [[_as_constraint(c) for c in cs] for cs in (constraints or [[] for _ in sources])]
        if len(cons) != len(sources):
            raise ValueError("constraints must have one list per source sentence")
        results: list[Translation] = []
        jobs: list[tuple[str, tuple[tuple[int, ...], ...]]] = []  # unique (piece source, constraint ids)
        job_index: dict[tuple[str, tuple[tuple[int, ...], ...]], int] = {}
        plan: list[list[tuple[int, str]]] = []  # per sentence: (job, joiner before it)
        for src, cs in zip(sources, cons, strict=True):
            tr = Translation(en="")
            encoded: list[tuple[Constraint, list[int]]] = []
            for c in cs:
                try:
                    encoded.append((c, self.codec.encode_constraint(c.en)))
                except ValueError:
                    tr.unencodable[c.en] = self.codec.missing(c.en) or [c.en]
            tr.applied = [c for c, _ in encoded]
            pieces = split_source(src, encoded, self._fits)
            tr.pieces = len(pieces)
            entry = []
            for p in pieces:
                key = (p.text, tuple(tuple(ids) for ids in sorted(p.constraints)))
                if key not in job_index:
                    job_index[key] = len(jobs)
                    jobs.append(key)
                entry.append((job_index[key], p.joiner))
            plan.append(entry)
            results.append(tr)
        outs = self._run(jobs, opts, [[i for i, _ in e] for e in plan], progress, fixed_length)
        for tr, entry in zip(results, plan, strict=True):
            tr.en = "".join((j if k else "") + outs[i] for k, (i, j) in enumerate(entry)).strip()
        return results

    def _fits(self, text: str, cons: list[list[int]]) -> bool:
        """Whether a piece's source fits the encoder and its constraints fit the decoder's positions."""
        return (len(self.codec.encode_source(text)) <= self.max_source
                and sum(map(len, cons)) + 1 < self.max_positions)

    def _run(
        self,
        jobs: list[tuple[str, tuple[tuple[int, ...], ...]]],
        opts: DecodeOptions,
        plan: list[list[int]],
        progress: Callable[[int], None] | None,
        fixed: int | None,
    ) -> list[str]:
        """Decode the unique jobs in batches over the workers; their English, in job order."""
        enc = [self.codec.encode_source(text) for text, _ in jobs]
        outs = [""] * len(jobs)
        counter = SentenceProgress(plan, progress)
        workers, size = plan_workers(len(jobs), opts.batch_size, threads=self.threads, workers=opts.workers,
                                     device=self.device)

        def decode(idx: list[int]) -> list[list[int]]:
            return self._decode([enc[i] for i in idx], [jobs[i][1] for i in idx], opts, fixed)

        def finished(idx: list[int], ids: list[list[int]]) -> None:
            for i, out in zip(idx, ids, strict=True):
                outs[i] = self.codec.decode(out)
            counter.done(idx)

        run_batches(longest_first([len(e) for e in enc], size), decode, finished, workers=workers,
                    threads=self.threads)
        return outs

    def _decode(self, src: list[list[int]], cons_ids: Sequence[Sequence[Sequence[int]]], opts: DecodeOptions,
                fixed: int | None) -> list[list[int]]:
        """One batch through the constrained decoder: output token ids per source.

        Length limits per sentence: at most ``max_len_ratio x source tokens + margin`` (never fewer than
        the constraints need, never past the model's positions); EOS barred before ``min_len_ratio x source
        tokens`` (a non-empty sentence never translates to nothing)."""
        from .decoder import constrained_beam_search
        from .projection import shortlist

        cons = [[list(c) for c in cs] for cs in cons_ids]
        max_new = [
            min(self.max_positions,
                max(math.ceil(opts.max_len_ratio * len(s)) + opts.margin, sum(map(len, c)) + opts.margin))
            for s, c in zip(src, cons, strict=True)
        ]
        min_new = [
            min(m - 1, max(1, math.ceil(opts.min_len_ratio * len(s))))
            for s, m in zip(src, max_new, strict=True)
        ]
        if fixed:
            max_new = [max(fixed, sum(map(len, c)) + 1) for c in cons]
            min_new = [m - 1 for m in max_new]
        vocab = self.vocab
        if self.shortlist_base is not None:
            vocab = shortlist(self.model, vocab, self.shortlist_base, (t for c in cons for t in c),
                              int8=self.int8)
        return constrained_beam_search(self.model, src, cons, vocab, beams=opts.beams, max_new=max_new,
                                       min_new=min_new, length_penalty=opts.length_penalty)
