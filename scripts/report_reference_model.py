"""What the reference model (``scripts/train_reference_model.py``) shows about the decoder (held-out split).

Printed, one line each (BLEU/chrF by sacrebleu against the held-out references):
* fp32 beam 4, unconstrained: BLEU, chrF, output words, time;
* oracle constraints (two words from the middle of each reference, as in Post & Vilar 2018): BLEU, chrF and
  the share of outputs that use the phrase as whole words;
* a phrase the model would not choose (a reference word of another sentence, in neither the output nor the
  reference): words and BLEU of the output outside the forced word, against the unconstrained output;
* a word the model chose anyway (the middle word of its own output): share of outputs unchanged;
* int8 against fp32: share of identical outputs, BLEU delta (the threshold for the int8 default: BLEU within
  0.5 and at least 80% identical);
* the minimum-length rule (``DecodeOptions.min_len_ratio``) against none (EOS allowed from the first
  token): BLEU;
* our search against transformers' ``generate`` on the same weights (``--hf`` sentences): identical share,
  with and without the target-side normalisation (the one deliberate difference).

Usage: python scripts/report_reference_model.py [--model models/tatoeba-zh-en] [--limit N] [--hf 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _phrase(text: str, n: int) -> str | None:
    w = text.split()
    return " ".join(w[len(w) // 2 : len(w) // 2 + n]) if len(w) >= n else None


def _uses(out: str, phrase: str) -> bool:
    """The phrase as whole words (punctuation may follow or precede it)."""
    import re

    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", out) is not None


def _words(xs: list[str]) -> int:
    return sum(len(x.split()) for x in xs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "tatoeba-zh-en")
    ap.add_argument("--limit", type=int, default=0, help="first N held-out sentences (0: all)")
    ap.add_argument("--hf", type=int, default=200, help="sentences compared with transformers' generate")
    ap.add_argument("--beams", type=int, default=4)
    args = ap.parse_args()

    import sacrebleu
    import torch

    from toolkit.translate.engine import Engine
    from toolkit.translate.options import DecodeOptions

    zh = (args.model / "test.zh").read_text(encoding="utf-8").splitlines()
    en = (args.model / "test.en").read_text(encoding="utf-8").splitlines()
    if args.limit:
        zh, en = zh[: args.limit], en[: args.limit]
    k = args.beams

    def score(out: list[str]) -> str:
        bleu, chrf = sacrebleu.corpus_bleu(out, [en]).score, sacrebleu.corpus_chrf(out, [en]).score
        return (f"BLEU {bleu:5.1f}  chrF {chrf:5.1f}  words {_words(out)} (references {_words(en)})")

    eng = Engine.load(args.model)
    t0 = time.monotonic()
    base = eng.translate(zh, beams=k)
    print(f"{len(zh)} held-out sentences, beam {k}")
    print(f"fp32 unconstrained         {score(base)}  {time.monotonic() - t0:.0f}s")

    oracle = [[p] if (p := _phrase(r, 2)) else [] for r in en]
    out = eng.translate(zh, oracle, beams=k)
    used = sum(_uses(o, c[0]) for o, c in zip(out, oracle, strict=True) if c)
    print(f"fp32 oracle constraints    {score(out)}  phrase used {used}/{sum(map(bool, oracle))}")

    vocab = sorted({w for r in en for w in r.split() if w.isalpha() and len(w) > 3})
    forced = []
    for b, r in zip(base, en, strict=True):
        cand = [w for w in vocab if w not in b.split() and w not in r.split()]
        forced.append([cand[len(b) % len(cand)]])
    out = eng.translate(zh, forced, beams=k)
    rest = []
    for o, (f,) in zip(out, forced, strict=True):
        ws = o.split()
        if f in ws:
            ws.remove(f)
        rest.append(" ".join(ws))
    same = sum(a == b for a, b in zip(rest, base, strict=True))
    print(f"forced unlikely word       outside it: {score(rest)}  unchanged outside {same}/{len(zh)}")

    own = [[p] if (p := _phrase(b, 1)) else [] for b in base]
    out = eng.translate(zh, own, beams=k)
    same = sum(a == b for a, b in zip(out, base, strict=True))
    print(f"own word as constraint     unchanged {same}/{len(zh)}")

    old = DecodeOptions().min_len_ratio
    out = eng.translate(zh, beams=k, min_len_ratio=0.0)
    print(f"no minimum length          {score(out)}  differ from ratio {old}: "
          f"{sum(a != b for a, b in zip(out, base, strict=True))}")

    q = Engine.load(args.model, quantize="int8")
    t0 = time.monotonic()
    out = q.translate(zh, beams=k)
    d = sacrebleu.corpus_bleu(out, [en]).score - sacrebleu.corpus_bleu(base, [en]).score
    print(f"int8 unconstrained         {score(out)}  {time.monotonic() - t0:.0f}s  identical to fp32 "
          f"{sum(a == b for a, b in zip(out, base, strict=True))}/{len(zh)}  BLEU delta {d:+.2f}")
    out8 = q.translate(zh, oracle, beams=k)
    out32 = eng.translate(zh, oracle, beams=k)
    same = sum(a == b for a, b in zip(out8, out32, strict=True))
    print(f"int8 oracle constraints    identical to fp32 {same}/{len(zh)}")

    if args.hf:
        from transformers import LogitsProcessorList, MarianMTModel

        from toolkit.translate.decoder import constrained_beam_search

        sys.path.insert(0, str(ROOT / "tests"))
        from test_trained_decoder import TargetSide

        hf = MarianMTModel.from_pretrained(str(args.model)).eval()
        v = eng.full_vocab
        allowed = v.free.clone()
        allowed[v.eos_id] = True
        srcs = [eng.codec.encode_source(z) for z in zh[: args.hf]]
        S = max(map(len, srcs))
        ids = torch.full((len(srcs), S), v.pad_id)
        for i, s in enumerate(srcs):
            ids[i, : len(s)] = torch.tensor(s)
        for beams in (1, k):
            ours = constrained_beam_search(eng.model, srcs, [[] for _ in srcs], eng.vocab, beams=beams,
                                           max_new=[100] * len(srcs), min_new=[0] * len(srcs))
            res = []
            for procs in ([TargetSide(v.side, allowed)], []):
                with torch.inference_mode():
                    gen = hf.generate(input_ids=ids, attention_mask=(ids != v.pad_id).long(), num_beams=beams,
                                      max_new_tokens=100, logits_processor=LogitsProcessorList(procs))
                rows = [r[1:] for r in gen.tolist()]
                rows = [r[: r.index(v.eos_id)] if v.eos_id in r else r for r in rows]
                res.append(sum(a == b for a, b in zip(ours, rows, strict=True)))
            print(f"vs generate, beam {beams}        identical {res[0]}/{len(srcs)} (side-normalised), "
                  f"{res[1]}/{len(srcs)} (plain generate)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
