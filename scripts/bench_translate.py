"""Benchmark: our constrained decoder vs transformers ``generate`` on opus-mt-zh-en's architecture.

Builds (in memory, random weights, fixed seed) a MarianMTModel with exactly opus-mt-zh-en's sizes
(vocab 65001, d_model 512, 6+6 layers, 8 heads, FFN 2048), takes the example bulletin's sentences
(source ids from the tiny model's sentencepiece; outputs are fixed-length, so target ids are random),
and reports sentences/s and tokens/s (cases interleaved batch by batch in one process, so load drift
on a shared machine hits all alike) and peak RSS (each case on the largest batch in its own process):

  gen-beam4    model.generate, beam 4, unconstrained (the baseline)
  ours-beam4   constrained_beam_search, beam 4, 2-3 random constraints per sentence
  gen-greedy   model.generate, greedy
  ours-greedy  constrained_beam_search, beam 1, same constraints

Every case runs exactly ``--length`` decoder steps per sentence: ``generate`` emits that many tokens
(EOS barred); ours emits one fewer and then EOS (its last step scores EOS), with all constraints met.
Usage: python scripts/bench_translate.py [--length 60] [--batch-size 8] [--threads N] [--quantize int8]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"
CASES = ("gen-beam4", "ours-beam4", "gen-greedy", "ours-greedy")


def sentences() -> list[str]:
    text = re.sub(r"\s+", "", EXAMPLE.read_text(encoding="utf-8"))
    return [s for s in re.split(r"(?<=[。；！？])", text) if re.search(r"[\u4e00-\u9fff]", s)]


def build_model(seed: int = 0):
    import torch
    from transformers import MarianConfig, MarianMTModel

    cfg = MarianConfig(
        vocab_size=65001, decoder_vocab_size=65001, d_model=512, encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
        max_position_embeddings=512, pad_token_id=65000, eos_token_id=0, decoder_start_token_id=65000,
        forced_eos_token_id=None, activation_function="swish", scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(cfg).eval()
    return model


def setup(args: argparse.Namespace):
    import random

    import torch

    from toolkit.translate.decoder import TargetVocab
    from toolkit.translate.engine import Codec
    from toolkit.translate.tiny import build_tiny_model

    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        codec = Codec(build_tiny_model(Path(tmp)))
    src = [codec.encode_source(s)[:511] for s in sentences()]
    t0 = time.perf_counter()
    model = build_model()
    params = sum(p.numel() for p in model.parameters())
    if args.quantize == "int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    build_s = time.perf_counter() - t0
    rng = random.Random(1)
    cons = [[[rng.randrange(1, 64999) for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(2, 3))]
            for _ in src]
    V = 65001
    vocab = TargetVocab(
        eos_id=0, pad_id=65000, start_id=65000,
        free=torch.ones(V, dtype=torch.bool).index_fill_(0, torch.tensor([0, 1, 65000]), False),
        digit=torch.zeros(V, dtype=torch.bool), glue=torch.zeros(V, dtype=torch.bool),
    )
    order = sorted(range(len(src)), key=lambda i: -len(src[i]))
    batches = [order[k:k + args.batch_size] for k in range(0, len(order), args.batch_size)]
    return model, src, cons, vocab, batches, params, build_s


def run_batch(case: str, model, src, cons, vocab, idx: list[int], n: int) -> None:
    import torch

    from toolkit.translate.decoder import constrained_beam_search

    with torch.inference_mode():
        if case.startswith("gen"):
            S = max(len(src[i]) for i in idx)
            ids = torch.full((len(idx), S), 65000, dtype=torch.long)
            mask = torch.zeros((len(idx), S), dtype=torch.long)
            for r, i in enumerate(idx):
                ids[r, : len(src[i])] = torch.tensor(src[i])
                mask[r, : len(src[i])] = 1
            beams = 4 if case == "gen-beam4" else 1
            out = model.generate(input_ids=ids, attention_mask=mask, num_beams=beams, do_sample=False,
                                  min_new_tokens=n, max_new_tokens=n, early_stopping=False)
            assert out.shape[1] >= n
        else:
            outs = constrained_beam_search(model, [src[i] for i in idx], [cons[i] for i in idx], vocab,
                                           beams=4 if case == "ours-beam4" else 1,
                                           max_new=[n] * len(idx), min_new=[n - 1] * len(idx))
            for i, o in zip(idx, outs, strict=True):
                assert len(o) == n - 1
                for c in cons[i]:
                    assert any(o[p:p + len(c)] == c for p in range(len(o))), "constraint missing"


def peak_rss(case: str, args: argparse.Namespace) -> dict:
    """Peak RSS of one case on the largest batch (the first: batches are sorted by length)."""
    model, src, cons, vocab, batches, _, _ = setup(args)
    run_batch(case, model, src, cons, vocab, batches[0], args.length)
    return {"case": case, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--length", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--quantize", choices=["int8"], default=None)
    p.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    p.add_argument("--cases", default=",".join(CASES))
    args = p.parse_args()
    if args.case:
        print(json.dumps(peak_rss(args.case, args)))
        return
    cases = args.cases.split(",")
    model, src, cons, vocab, batches, params, build_s = setup(args)
    print(f"model: opus-mt-zh-en architecture, {params / 1e6:.1f}M parameters (random weights"
          f"{', int8' if args.quantize else ''}), built in {build_s:.1f} s; {len(src)} sentences, "
          f"{args.length} tokens each, batch {args.batch_size}")
    secs = dict.fromkeys(cases, 0.0)
    for idx in batches:  # cases interleaved batch by batch, so machine load drifts hit all alike
        for case in cases:
            t0 = time.perf_counter()
            run_batch(case, model, src, cons, vocab, idx, args.length)
            secs[case] += time.perf_counter() - t0
    del model
    for case in cases:
        cmd = [sys.executable, __file__, "--case", case, "--length", str(args.length),
               "--batch-size", str(args.batch_size)]
        cmd += ["--threads", str(args.threads)] if args.threads else []
        cmd += ["--quantize", args.quantize] if args.quantize else []
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        rss = json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"]
        rate = len(src) / secs[case]
        print(f"{case:12s} {rate:7.2f} sent/s {rate * args.length:8.1f} tok/s "
              f"peak RSS {rss:6.0f} MB  ({secs[case]:.1f} s)")
    if "gen-greedy" in secs and "ours-greedy" in secs:
        print(f"ratio greedy ours/generate: {secs['gen-greedy'] / secs['ours-greedy']:.2f}")
    if "gen-beam4" in secs and "ours-beam4" in secs:
        ratio = secs["gen-beam4"] / secs["ours-beam4"]
        print(f"ratio constrained beam 4 / generate beam 4 (baseline): {ratio:.2f}")

if __name__ == "__main__":
    main()
