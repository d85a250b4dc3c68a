"""Benchmark: summarizing the example bulletin vs translating all of it, with the same full-size model.

Model: opus-mt-zh-en's architecture with random weights (``build_model`` of ``bench_translate.py``:
vocab 65001, d_model 512, 6+6 layers, 8 heads, FFN 2048), wrapped in an Engine with the tiny model's
sentencepiece codec. The tiny ids (< its vocab size) index the full 65001-row embeddings and output
projection unchanged; tokens beyond the tiny vocabulary are off the target side, so the decoder never
emits them (the Engine computes the output projection as it does for any model: over the target side
only when it restricts it). Encoder, decoder and embeddings are full size.

Fixed decoding budget: the model's EOS logit is pushed to -1e9, so a random model never ends early
and every unit decodes exactly the Engine's own length budget (2 x its source tokens + 10). Both
runs therefore do the work their sentences' lengths dictate, independent of random-weight EOS luck.

  translate   translate_document(doc)                                  every unit
  summarize   summarize(doc) + translate_document(doc, only=picked_ids) picked sentences + headings/labels

Same beams and batch size; each round loads the document afresh (untimed) and runs both cases in
alternating order after one warm-up; the ratio is of the median seconds (target <= 0.5). Also printed:
the work ratios (source tokens, hypothesis-steps, sequential decoder steps), which bound the time ratio
from below (compute-bound machine) and above (step-bound: loaded machine, GPU). One thread by default:
on a shared machine spinning torch threads swamp the timing.
Usage: python scripts/bench_summarize.py [--quick] [--rounds 3] [--beams 4] [--batch-size 8] [--threads N]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"
TARGET = 0.5
EOS_BLOCK = -1e9


def _own_build_model(seed: int = 0) -> Any:
    """Fallback copy of bench_translate's builder: opus-mt-zh-en's sizes, random weights."""
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
    return MarianMTModel(cfg).eval()


def full_size_model() -> tuple[Any, str]:
    """The translate benchmark's model (imported from scripts/bench_translate.py when it can be)."""
    try:
        path = ROOT / "scripts" / "bench_translate.py"
        spec = importlib.util.spec_from_file_location("bench_translate", path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.build_model(seed=0), "bench_translate.build_model"
    except Exception as e:  # noqa: BLE001 - its API may change; the copy below is equivalent
        why = f"{type(e).__name__}: {e}"
        print(f"(bench_translate.build_model unusable: {why}; own copy used)", file=sys.stderr)
        return _own_build_model(seed=0), "own copy of bench_translate.build_model"


def build_engine(tiny_dir: Path, device: str) -> tuple[Any, str]:
    """The full-size random model, saved next to the tiny model and loaded as the engine loads any
    model (its own MarianMT, :mod:`toolkit.translate.native`)."""
    import torch

    from toolkit.translate.engine import Codec, Engine
    from toolkit.translate.native import load_marian

    model, origin = full_size_model()
    codec = Codec(tiny_dir)
    size = model.config.vocab_size
    if len(codec.vocab) > size:
        raise SystemExit(f"tiny vocab ({len(codec.vocab)}) does not fit the model's ({size})")
    with torch.no_grad():
        model.final_logits_bias[0, codec.eos_id] = EOS_BLOCK
    params = sum(p.numel() for p in model.parameters())
    cfg = model.config
    folder = tiny_dir / "full-size"  # inside the temporary model folder
    model.save_pretrained(folder, safe_serialization=True)
    del model
    native = load_marian(folder, device=device)
    desc = (f"opus-mt-zh-en architecture ({origin}): vocab {size}, d_model {cfg.d_model}, "
            f"{cfg.encoder_layers}+{cfg.decoder_layers} layers, {cfg.encoder_attention_heads} heads, "
            f"FFN {cfg.encoder_ffn_dim}, {params / 1e6:.1f}M parameters, random weights; "
            f"codec: tiny model's sentencepiece ({len(codec.vocab)} ids, mapped as-is)")
    return Engine(native, codec, device=device, path=folder), desc


class StepCounter:
    """Counts the decoder's work by wrapping ``constrained_beam_search`` (the engine imports it per call).

    ``steps``: decoder steps run one after another (per batch, its longest budget) - what the time
    follows when a step costs the same whatever its rows (weight-bandwidth or overhead bound);
    ``rows``: hypothesis-steps (beams x each sentence's budget) - what it follows when compute bound."""

    def __init__(self) -> None:
        from toolkit.translate import decoder

        self.module, self.inner = decoder, decoder.constrained_beam_search
        self.steps = self.rows = 0
        decoder.constrained_beam_search = self

    def __call__(self, model: Any, src: Any, cons: Any, vocab: Any, **kw: Any) -> Any:
        self.steps += max(kw["max_new"])
        self.rows += kw.get("beams", 4) * sum(kw["max_new"])
        return self.inner(model, src, cons, vocab, **kw)

    def take(self) -> tuple[int, int]:
        out, self.steps, self.rows = (self.steps, self.rows), 0, 0
        return out


def run_case(
    case: str, engine: Any, glossary: Any, beams: int, batch_size: int, counter: StepCounter
) -> tuple[float, dict]:
    """Seconds of one case on a freshly loaded document, and what it translated."""
    from toolkit.chinese import has_cjk
    from toolkit.pipeline import load_document
    from toolkit.summarize import picked_ids, summarize
    from toolkit.translate.document import translate_document
    from toolkit.translate.options import DecodeOptions

    doc = load_document(str(EXAMPLE), glossary=glossary)
    counter.take()
    t0 = time.perf_counter()
    if case == "summarize":
        summarize(doc)
        ids = picked_ids(doc)
        translate_document(doc, engine, DecodeOptions(beams=beams, batch_size=batch_size), only=ids)
    else:
        ids = [s.id for s in doc.sentences() if s.role in ("lead", "body", "point")]
        translate_document(doc, engine, DecodeOptions(beams=beams, batch_size=batch_size))
    secs = time.perf_counter() - t0
    done = [s for s in doc.all_sentences() if s.en is not None]
    by_id = {s.id: s for s in done}
    assert all(by_id.get(i) and by_id[i].en for i in ids), f"{case}: a wanted sentence has no English"
    texts = {s.text for s in done if has_cjk(s.text)}
    steps, rows = counter.take()
    info = {
        "steps": steps,
        "rows": rows,
        "body": sum(1 for s in done if s.id.startswith("s")),
        "units": doc.meta["decoding"]["units"],
        "decoded": doc.meta["decoding"]["decoded"],
        "src_tokens": sum(len(engine.codec.encode_source(t)) for t in texts),
        "violations": doc.meta["qa"]["violations"],
    }
    return secs, info


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="one round (a smoke run; noisier)")
    p.add_argument("--rounds", type=int, default=3, help="timed rounds of both cases (default 3)")
    p.add_argument("--beams", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (default 1: on a shared machine, spinning threads swamp the timing)")
    p.add_argument("--device", default="cpu")
    args = p.parse_args()
    rounds = 1 if args.quick else max(1, args.rounds)

    import torch

    from toolkit.glossary.store import Glossary
    from toolkit.translate.tiny import build_tiny_model

    torch.set_num_threads(max(1, args.threads))
    glossary = Glossary.load([], default=True)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        engine, desc = build_engine(build_tiny_model(Path(tmp)), args.device)
        build_s = time.perf_counter() - t0
        print(f"model: {desc}; built in {build_s:.1f} s")
        print(f"input: {EXAMPLE.relative_to(ROOT)}, glossary: "
              + ", ".join(f"{Path(f).name} ({n} entries)" for f, n in glossary.files))
        print(f"decoding: beams {args.beams}, batch {args.batch_size}, fixed budget (EOS barred: every unit "
              f"decodes 2 x source tokens + 10), {torch.get_num_threads()} threads, {args.device}; "
              f"{rounds} round(s)")
        engine.translate(["脱贫攻坚。"], beams=args.beams)  # warm-up, untimed
        counter = StepCounter()
        cases = ("translate", "summarize")
        secs: dict[str, list[float]] = {c: [] for c in cases}
        info: dict[str, dict] = {}
        for r in range(rounds):
            for case in cases if r % 2 == 0 else cases[::-1]:  # alternate order against drift
                s, info[case] = run_case(case, engine, glossary, args.beams, args.batch_size, counter)
                secs[case].append(s)
                print(f"  round {r + 1} {case:9s} {s:7.2f} s", flush=True)
    med = {c: statistics.median(v) for c, v in secs.items()}
    for case in cases:
        i = info[case]
        print(f"{case:9s} {i['body']:3d} body sentences, {i['units']:3d} units ({i['decoded']} decoded, "
              f"{i['src_tokens']} source tokens), QA violations {i['violations']}: "
              f"median {med[case]:.2f} s  [{', '.join(f'{x:.2f}' for x in secs[case])}]")
    t, m = info["translate"], info["summarize"]
    print(f"work ratios summarize/translate: source tokens {m['src_tokens'] / t['src_tokens']:.3f}, "
          f"hypothesis-steps {m['rows'] / t['rows']:.3f} ({m['rows']}/{t['rows']}), "
          f"sequential decoder steps {m['steps'] / t['steps']:.3f} ({m['steps']}/{t['steps']})")
    ratio = med["summarize"] / med["translate"]
    verdict = "OK" if ratio <= TARGET else "MISSED"
    print(f"ratio summarize/translate: {ratio:.3f} (target <= {TARGET}) {verdict}")
    sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
