"""Speed report: our constrained engine vs transformers ``generate`` and CTranslate2, opus-mt-zh-en's size.

One run, the same sentences, the same fixed output length for every case. The model is a random-weight
MarianMTModel with exactly opus-mt-zh-en's architecture (vocab 65,001, d_model 512, 6+6 layers, 8 heads,
FFN 2048: 77.9M parameters), saved once to a temporary folder that every case loads from. The sentences
are the example bulletin's body sentences (``load_document`` with the shipped glossary), their constraints
those the translator would apply (``build_constraints``), encoded with the tiny model's sentencepiece
models (random weights make the English junk, so only the shapes matter). opus-mt-zh-en's vocabulary is
shared by a Chinese and an English sentencepiece model; the benchmark models its target side as
``--target-side`` ids (default 32,500 = half; the tiny model's real target pieces included).

Cases (every one decodes exactly ``--length`` steps per sentence; batches of ``--batch-size`` sorted by
length; cases interleaved batch by batch so load drift on a shared machine hits all alike):

  gen-beam4          transformers generate, fp32, beam 4, unconstrained (the baseline)
  ct2-beam4          CTranslate2 int8, beam 4, unconstrained (skipped without ctranslate2), one batch over
                     all threads (inter_threads=1, intra_threads=threads)
  ct2-beam4-inter    the same, the batch split over one worker per thread (inter_threads=threads,
                     intra_threads=1, max_batch_size=batch/threads): CTranslate2's other CPU layout
  ct2-greedy, ct2-greedy-inter   the same two, greedy
  ours-beam4         our engine, constrained, fp32, beam 4 (restricted projection)
  ours-greedy        our engine, constrained, fp32, greedy
  ours-beam4-int8    our engine, constrained, int8, beam 4
  ours-greedy-int8   our engine, constrained, int8, greedy
  (with --shortlist N: ours-beam4-int8-slN and ours-greedy-int8-slN; --full-vocab adds ours-beam4-fullvocab;
   --serial adds ours-beam4-int8-serial and ours-greedy-int8-serial: one batch at a time over all threads)

Our engine decodes a batch's sentences as ``threads`` sub-batches at once, one core each (its default).
The anchor for each search is the faster of the two CTranslate2 layouts, so neither side gets the
threading layout that suits it alone.

Peak RSS and load time: each case again in a process of its own (load, then the largest batch).
``--arch big`` runs every row on the OPUS-MT transformer-big family's sizes instead (d_model 1024, 16 heads,
FFN 4096, ReLU; 245M parameters with this vocabulary), e.g. ``Helsinki-NLP/opus-mt-tc-bible-big-zhx-en``.

Usage: python scripts/bench_translate.py [--quick] [--arch base|big] [--length 60] [--batch-size 8]
       [--threads N] [--shortlist N] [--full-vocab] [--serial] [--cases a,b,...] [--no-rss]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"
V = 65001
PAD = 65000


# -- inputs -------------------------------------------------------------------------------------
def bulletin_jobs(quick: bool) -> list[dict[str, Any]]:
    """The example bulletin's body sentences and their constraints (as the translator builds them)."""
    from toolkit.glossary.store import Glossary
    from toolkit.pipeline import load_document
    from toolkit.translate.document import build_constraints

    doc = load_document(str(EXAMPLE), glossary=Glossary.load())
    sents = doc.sentences()[:8] if quick else doc.sentences()
    return [{"zh": s.text, "cons": [asdict(c) for c in build_constraints(s)]} for s in sents]


#: ``--arch``: opus-mt-zh-en's transformer-base, or the OPUS-MT transformer-big family's sizes and options
#: (``Helsinki-NLP/opus-mt-tc-bible-big-zhx-en``: d_model 1024, 16 heads, FFN 4096, ReLU, 1024 positions)
ARCHS = {
    "base": dict(d_model=512, encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048,
                 decoder_ffn_dim=2048, max_position_embeddings=512, activation_function="swish"),
    "big": dict(d_model=1024, encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
                decoder_ffn_dim=4096, max_position_embeddings=1024, activation_function="relu"),
}


def build_model(seed: int = 0, arch: str = "base"):
    import torch
    from transformers import MarianConfig, MarianMTModel

    cfg = MarianConfig(
        vocab_size=V, decoder_vocab_size=V, encoder_layers=6, decoder_layers=6, pad_token_id=PAD,
        eos_token_id=0, decoder_start_token_id=PAD, forced_eos_token_id=None, scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True, **ARCHS[arch],
    )
    torch.manual_seed(seed)
    return MarianMTModel(cfg).eval()


def prepare(folder: Path, quick: bool, want_ct2: bool, arch: str = "base") -> dict[str, Any]:
    """Write the model folder (weights + the tiny model's tokenizer files, pad moved to 65000), the
    CTranslate2 conversion and the jobs; returns facts for the report."""
    from toolkit.translate.tiny import build_tiny_model

    model = build_model(arch=arch)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(folder / "hf", safe_serialization=True)
    tiny = build_tiny_model(folder / "tiny")
    vocab = json.loads((tiny / "vocab.json").read_text(encoding="utf-8"))
    vocab.pop("<pad>")
    vocab["<pad>"] = PAD
    (folder / "hf" / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    for name in ("source.spm", "target.spm", "tokenizer_config.json"):
        (folder / "hf" / name).write_bytes((tiny / name).read_bytes())
    jobs = bulletin_jobs(quick)
    (folder / "jobs.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    ct2_note = ""
    if want_ct2:
        ct2_note = convert_ct2(folder / "hf", folder / "ct2")
    del model
    return {"params": params, "ct2_note": ct2_note}


def convert_ct2(hf: Path, out: Path) -> str:
    """Convert with CTranslate2's own converter; a stub tokenizer names the 65,001 ids (the converter
    only reads the vocabulary and the eos/unk tokens from it). Returns '' or why it was skipped."""
    try:
        import ctranslate2
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        return "ctranslate2 is not installed (pip install ctranslate2): CTranslate2 rows skipped"

    class _Tok:
        eos_token, unk_token, pad_token = "</s>", "<unk>", "<pad>"

        def get_vocab(self) -> dict[str, int]:
            names = {0: "</s>", 1: "<unk>", PAD: "<pad>"}
            return {names.get(i, f"t{i}"): i for i in range(V)}

    class _Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return _Tok()

    _Converter(str(hf)).convert(str(out), quantization="int8", force=True)
    del ctranslate2
    return ""


def ct2_token(i: int) -> str:
    return {0: "</s>", 1: "<unk>", PAD: "<pad>"}.get(i, f"t{i}")


# -- cases -------------------------------------------------------------------------------------
def widen(engine: Any, n_side: int, restrict: bool = True) -> None:
    """Model opus-mt-zh-en's target side: the tiny target pieces plus random free ids up to ``n_side``."""
    from toolkit.translate.projection import frequent_free_ids
    from toolkit.translate.projection import restrict as restricted

    full = engine.full_vocab
    have = set(full.side.nonzero().flatten().tolist())
    pool = [i for i in range(len(json.loads((engine.path / "vocab.json").read_text())), PAD) if i not in have]
    extra = random.Random(0).sample(pool, max(0, n_side - len(have)))
    full.side[extra] = True
    full.free[extra] = True
    engine.vocab = restricted(engine.model, full, int8=engine.int8) if restrict else full
    if engine.shortlist_base is not None:
        n = len(engine.shortlist_base)
        engine.shortlist_base = frequent_free_ids(full, {i: -k for k, i in enumerate(extra)}, n)


class Runner:
    """Loads what a case needs and translates one batch of job indices with it."""

    def __init__(self, case: str, folder: Path, args: argparse.Namespace):
        self.case, self.args = case, args
        self.jobs = json.loads((folder / "jobs.json").read_text(encoding="utf-8"))
        self.beams = 4 if "beam4" in case else 1
        t0 = time.perf_counter()
        if case.startswith("ct2"):
            import ctranslate2

            inter = args.threads if case.endswith("-inter") else 1
            self.model = ctranslate2.Translator(str(folder / "ct2"), device="cpu", compute_type="int8",
                                                inter_threads=inter, intra_threads=args.threads // inter)
            self.ct2_workers = inter
        else:
            from toolkit.translate.engine import Codec, Engine

            self.codec = Codec(folder / "hf")
            if case.startswith("gen"):
                from transformers import MarianMTModel

                self.model = MarianMTModel.from_pretrained(str(folder / "hf")).eval()
            else:
                shortlist = int(case.rsplit("-sl", 1)[1]) if "-sl" in case else None
                full = case.endswith("fullvocab")
                self.engine = Engine.load(folder / "hf", quantize="int8" if "int8" in case else None,
                                          threads=args.threads, restrict=not full, shortlist=shortlist)
                widen(self.engine, args.target_side, restrict=not full)
                self.workers = 1 if case.endswith("-serial") else None
        self.load_s = time.perf_counter() - t0
        self.src = [self._codec().encode_source(j["zh"])[:511] for j in self.jobs]

    def _codec(self):
        if not hasattr(self, "codec"):
            from toolkit.translate.engine import Codec

            self.codec = Codec(Path(self.args.folder) / "hf")
        return self.codec

    def run(self, idx: list[int]) -> None:
        n = self.args.length
        if self.case.startswith("ct2"):
            toks = [[ct2_token(t) for t in self.src[i]] for i in idx]
            per = -(-len(idx) // self.ct2_workers)  # sub-batches of this size run on the workers at once
            res = self.model.translate_batch(toks, beam_size=self.beams, min_decoding_length=n,
                                             max_decoding_length=n, max_batch_size=per)
            assert all(len(r.hypotheses[0]) >= n - 1 for r in res)
            return
        import torch

        if self.case.startswith("gen"):
            S = max(len(self.src[i]) for i in idx)
            ids = torch.full((len(idx), S), PAD, dtype=torch.long)
            mask = torch.zeros((len(idx), S), dtype=torch.long)
            for r, i in enumerate(idx):
                ids[r, : len(self.src[i])] = torch.tensor(self.src[i])
                mask[r, : len(self.src[i])] = 1
            with torch.inference_mode():
                out = self.model.generate(input_ids=ids, attention_mask=mask, num_beams=self.beams,
                                          do_sample=False, min_new_tokens=n, max_new_tokens=n,
                                          early_stopping=False)
            assert out.shape[1] >= n
            return
        from toolkit.doc import Constraint

        cons = [[Constraint(**c) for c in self.jobs[i]["cons"]] for i in idx]
        res = self.engine.translate_batch([self.jobs[i]["zh"] for i in idx], cons, beams=self.beams,
                                          workers=self.workers,
                                          batch_size=len(idx), fixed_length=n)
        for r, cs in zip(res, cons, strict=True):  # the guarantee, checked on every output
            assert not r.unencodable and all(r.en.count(c.en) >= 1 for c in cs), (r.en, cs)


def batches(jobs: list[dict[str, Any]], size: int, src_len: list[int]) -> list[list[int]]:
    order = sorted(range(len(jobs)), key=lambda i: -src_len[i])
    return [order[k:k + size] for k in range(0, len(order), size)]


def one_case(args: argparse.Namespace) -> None:
    """Child process: load the case, run the largest batch, print load time and peak RSS."""
    runner = Runner(args.case, Path(args.folder), args)
    runner.run(batches(runner.jobs, args.batch_size, [len(s) for s in runner.src])[0])
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent process
    status = Path("/proc/self/status")
    hwm = [ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM")] if status.exists() else []
    rss = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": args.case, "peak_rss_mb": rss, "load_s": runner.load_s}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="8 sentences, a smoke run")
    p.add_argument("--arch", choices=sorted(ARCHS), default="base",
                   help="base: opus-mt-zh-en's sizes; big: the OPUS-MT transformer-big family's (every row)")
    p.add_argument("--length", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--target-side", type=int, default=32500, help="target-side ids of the 65,001")
    p.add_argument("--shortlist", type=int, default=None, metavar="N", help="add shortlist-N int8 rows")
    p.add_argument("--full-vocab", action="store_true", help="add an unrestricted-projection fp32 row")
    p.add_argument("--serial", action="store_true", help="add rows of our int8 engine, one batch at a time")
    p.add_argument("--cases", default=None, help="comma-separated subset of the cases")
    p.add_argument("--no-rss", action="store_true", help="skip the per-case RSS/load processes")
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--folder", help=argparse.SUPPRESS)
    args = p.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    if args.case:
        one_case(args)
        return
    cases = ["gen-beam4", "ct2-beam4", "ct2-beam4-inter", "ct2-greedy", "ct2-greedy-inter", "ours-beam4",
             "ours-greedy", "ours-beam4-int8", "ours-greedy-int8"]
    if args.serial:
        cases += ["ours-beam4-int8-serial", "ours-greedy-int8-serial"]
    if args.shortlist:
        cases += [f"ours-beam4-int8-sl{args.shortlist}", f"ours-greedy-int8-sl{args.shortlist}"]
    if args.full_vocab:
        cases.append("ours-beam4-fullvocab")
    if args.cases:
        cases = args.cases.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        args.folder = str(folder)
        info = prepare(folder, args.quick, any(c.startswith("ct2") for c in cases), args.arch)
        if info["ct2_note"]:
            print("note:", info["ct2_note"])
            cases = [c for c in cases if not c.startswith("ct2")]
        runners = {c: Runner(c, folder, args) for c in cases}
        any_r = next(iter(runners.values()))
        jobs, src_len = any_r.jobs, [len(s) for s in any_r.src]
        arch = "opus-mt-zh-en (transformer-base)" if args.arch == "base" else "OPUS-MT transformer-big"
        print(f"model: {arch} architecture, {info['params'] / 1e6:.1f}M parameters, random weights; "
              f"target side {args.target_side} of {V} ids; {len(jobs)} sentences "
              f"({sum(len(j['cons']) for j in jobs)} constraints), {args.length} tokens each, "
              f"batch {args.batch_size}, {args.threads} threads")
        bs = batches(jobs, args.batch_size, src_len)
        for r in runners.values():  # warm-up on one short sentence, then the timed interleaved run
            r.run(bs[-1][-1:])
        secs = dict.fromkeys(cases, 0.0)
        for idx in bs:
            for case in cases:
                t0 = time.perf_counter()
                runners[case].run(idx)
                secs[case] += time.perf_counter() - t0
        loads = {c: r.load_s for c, r in runners.items()}
        del runners, any_r
        rss: dict[str, float] = {}
        if not args.no_rss:
            for case in cases:
                cmd = [sys.executable, __file__, "--case", case, "--folder", str(folder), "--length",
                       str(args.length), "--batch-size", str(args.batch_size), "--threads", str(args.threads),
                       "--target-side", str(args.target_side)]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
                rec = json.loads(out.stdout.strip().splitlines()[-1])
                rss[case], loads[case] = rec["peak_rss_mb"], rec["load_s"]
    rate = {c: len(jobs) / secs[c] for c in cases}
    print(f"{'case':22s} {'sent/s':>7s} {'tok/s':>8s} {'peak RSS':>9s} {'load':>6s} {'time':>7s}")
    for c in cases:
        mem = f"{rss[c]:6.0f} MB" if c in rss else "      -  "
        print(f"{c:22s} {rate[c]:7.2f} {rate[c] * args.length:8.1f} {mem} {loads[c]:5.1f}s {secs[c]:6.1f}s")
    print("ratios (sentences/s):")
    for c in cases:
        if c.startswith("ours"):
            parts = []
            if "gen-beam4" in rate:
                parts.append(f"{rate[c] / rate['gen-beam4']:5.2f}x baseline gen-beam4")
            search = "greedy" if "greedy" in c else "beam4"
            anchors = [a for a in (f"ct2-{search}", f"ct2-{search}-inter") if a in rate]
            if anchors:
                anchor = max(anchors, key=rate.get)
                parts.append(f"{rate[c] / rate[anchor]:5.2f}x anchor {anchor}")
            print(f"  {c:22s} " + ", ".join(parts))


if __name__ == "__main__":
    main()
