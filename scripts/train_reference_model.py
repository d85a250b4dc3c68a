"""Train the reference zh->en MarianMT on Tatoeba (20k real sentence pairs) and print its held-out BLEU/chrF.

What it is for: measuring what random weights cannot show (the decoder on a model that really predicts
end-of-sentence, int8 against fp32, oracle constraints); see ``scripts/report_reference_model.py``. It is
everyday language, not policy language: never a claim about bulletin translation quality.

Data: ``tatoeba-cmn-eng.tsv`` (``zh<TAB>en``, header row), Tatoeba sentences and translations under
CC-BY 2.0 FR (tatoeba.org, ``cmn.txt`` compilation of manythings.org); the attribution is written next to
the model (``DATA.md``). Held-out split: ``--test`` distinct Chinese sentences (one reference each, chosen
by a seeded shuffle) whose Chinese never occurs in training; written as ``test.zh``/``test.en``.

Usage: python scripts/train_reference_model.py [--data PATH] [--out models/tatoeba-zh-en] [--minutes 20]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the shared data sits next to the checkout (../shared), or next to the worktrees' folder
DATA = next((p / "shared" / "parallel" / "tatoeba-cmn-eng.tsv" for p in ROOT.parents
             if (p / "shared" / "parallel" / "tatoeba-cmn-eng.tsv").exists()), ROOT.parent / "shared")
ATTRIBUTION = """Trained on Tatoeba Mandarin-English sentence pairs (tatoeba.org), CC-BY 2.0 FR, in the
tab-separated cmn.txt compilation distributed by manythings.org. Everyday language: for testing the decoder,
never for claims about policy translation quality.
"""


def read_pairs(path: Path) -> list[tuple[str, str]]:
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    pairs = []
    for row in rows:
        zh, _, en = row.partition("\t")
        if zh.strip() and en.strip():
            pairs.append((zh.strip(), en.strip()))
    return pairs


def split(pairs: list[tuple[str, str]], n_test: int, seed: int):
    """Held-out: ``n_test`` distinct Chinese sentences (first reference each); training: every other pair."""
    firsts: dict[str, str] = {}
    for zh, en in pairs:
        firsts.setdefault(zh, en)
    zhs = sorted(firsts)
    random.Random(seed).shuffle(zhs)
    test = set(zhs[:n_test])
    train = [(z, e) for z, e in pairs if z not in test]
    return train, [(z, firsts[z]) for z in zhs[:n_test]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "tatoeba-zh-en")
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--resume", action="store_true", help="continue training the model already in --out")
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--source-vocab", type=int, default=4000, help="Chinese pieces (3.4k characters)")
    ap.add_argument("--target-vocab", type=int, default=2000, help="English pieces")
    ap.add_argument("--batch-tokens", type=int, default=2000)
    args = ap.parse_args()

    import torch

    from toolkit.translate import tiny, training

    torch.set_num_threads(args.threads)
    pairs = read_pairs(args.data)
    train_pairs, test_pairs = split(pairs, args.test, args.seed)
    out = args.out
    if not args.resume:
        tiny.write_vocab_folder(out, [z for z, _ in train_pairs], [e for _, e in train_pairs],
                                source_vocab=args.source_vocab, target_vocab=args.target_vocab,
                                max_positions=256)
    (out / "test.zh").write_text("".join(z + "\n" for z, _ in test_pairs), encoding="utf-8")
    (out / "test.en").write_text("".join(e + "\n" for _, e in test_pairs), encoding="utf-8")
    (out / "DATA.md").write_text(ATTRIBUTION, encoding="utf-8")
    ids = training.encode_pairs(out, [z for z, _ in train_pairs], [e for _, e in train_pairs])
    sizes = training.Sizes(d_model=args.d_model, layers=args.layers, heads=4, ffn=4 * args.d_model)
    # resuming: a short warm-up to a lower peak (the decay has already begun)
    lr, warmup = (6e-4, 50) if args.resume else (1e-3, 400)
    sched = training.Schedule(steps=10**9, seconds=args.minutes * 60, batch_tokens=args.batch_tokens, lr=lr,
                              warmup=warmup, dropout=0.1, seed=args.seed)
    if args.resume:
        from transformers import MarianMTModel

        model = MarianMTModel.from_pretrained(str(out), dropout=sched.dropout)
        with torch.no_grad():  # save() wrote -inf there; training needs a finite value
            model.final_logits_bias[0, model.config.pad_token_id] = 0.0
    else:
        model = training.new_model(out, sizes, sched.dropout, args.seed)
    print(f"{len(train_pairs)} training pairs, {len(test_pairs)} held out; "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters", flush=True)
    stats = training.train(model, ids, model.config.pad_token_id, sched, log=lambda s: print(s, flush=True))
    training.save(model, out)
    print(f"trained {stats['steps']:.0f} steps in {stats['seconds']:.0f}s, loss {stats['loss']:.3f}",
          flush=True)

    import sacrebleu

    from toolkit.translate.engine import Engine

    eng = Engine.load(out)
    t0 = time.monotonic()
    hyp = eng.translate([z for z, _ in test_pairs], beams=4)
    refs = [e for _, e in test_pairs]
    bleu = sacrebleu.corpus_bleu(hyp, [refs])
    chrf = sacrebleu.corpus_chrf(hyp, [refs])
    print(f"held-out ({len(refs)} sentences, beam 4, fp32): BLEU {bleu.score:.1f}  chrF {chrf.score:.1f}  "
          f"({time.monotonic() - t0:.0f}s)")
    for z, h, r in list(zip([z for z, _ in test_pairs], hyp, refs, strict=True))[:5]:
        print(f"  {z} | {h} | {r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
