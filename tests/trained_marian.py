"""A small MarianMT trained in the test session on a synthetic task, so the decoder meets a model that ends
its sentences by itself (random weights almost never choose end-of-sentence).

The task is a deterministic word-by-word "translation" of the bulletins' own clauses (tests/data): every
Chinese character becomes one English word of the tiny corpus (a fixed hash picks it), a few function
characters (的, 了, 和...) are dropped, and each pair of neighbouring words is swapped (reordering). So
lengths are real and differ from the source's, and every output token depends on the source through
attention, not on position alone. Sentences whose characters are all frequent are held out for the tests.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from pathlib import Path

from toolkit.translate.tiny import CORPUS_DIR  # the tiny model's corpus (bulletin Chinese, English)

DATA = Path(__file__).resolve().parent / "data"
DROPPED = set("的了和与及等之其")
STEPS = 400
HELD_OUT = 40


def _words() -> list[str]:
    text = (CORPUS_DIR / "en.txt").read_text(encoding="utf-8").lower()
    counts = Counter(re.findall(r"[a-z]{3,}", text))
    return sorted(w for w, _ in counts.most_common(240))


def clauses() -> list[str]:
    """The bulletins' clauses of 3-20 Chinese characters (nothing else in them), first occurrence order."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt")))
    text += "\n" + (CORPUS_DIR / "zh.txt").read_text(encoding="utf-8")
    out = [c for c in re.split(r"[^\u4e00-\u9fff]+", text) if 3 <= len(c) <= 20]
    return list(dict.fromkeys(out))


def translate(zh: str, words: list[str]) -> str:
    """The task's reference: one word per kept character, neighbours swapped pairwise."""
    seq = [words[zlib.crc32(ch.encode()) % len(words)] for ch in zh if ch not in DROPPED]
    for i in range(0, len(seq) - 1, 2):
        seq[i], seq[i + 1] = seq[i + 1], seq[i]
    return " ".join(seq)


def split() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(training pairs, held-out pairs): the held-out clauses use only characters frequent in training."""
    words = _words()
    zh = clauses()
    freq = Counter(ch for c in zh for ch in c)
    common = [c for c in zh if min(freq[ch] for ch in c) >= 8 and len(c) >= 5]
    test = set(common[::max(1, len(common) // HELD_OUT)][:HELD_OUT])
    train = [(c, translate(c, words)) for c in zh if c not in test]
    return train, [(c, translate(c, words)) for c in zh if c in test]


def build(out: Path, *, steps: int = STEPS) -> Path:
    """Train the model into ``out`` (vocabulary folder + weights); returns ``out``."""
    import torch

    from toolkit.translate import tiny, training

    train, test = split()
    zh = [z for z, _ in train] + [z for z, _ in test]  # the source vocabulary covers the test clauses
    chars = len({ch for z in zh for ch in z})
    tiny.write_vocab_folder(out, zh, [e for _, e in train], source_vocab=chars + 200, target_vocab=400,
                            max_positions=64)
    (out / "test.zh").write_text("".join(z + "\n" for z, _ in test), encoding="utf-8")
    (out / "test.en").write_text("".join(e + "\n" for _, e in test), encoding="utf-8")
    ids = training.encode_pairs(out, [z for z, _ in train], [e for _, e in train])
    sizes = training.Sizes(d_model=64, layers=2, heads=4, ffn=256, max_positions=64)
    sched = training.Schedule(steps=steps, batch_tokens=800, lr=3e-3, warmup=100, dropout=0.0, seed=0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # deterministic, and no spinning threads on a busy machine
    try:
        model = training.new_model(out, sizes, sched.dropout, sched.seed)
        training.train(model, ids, model.config.pad_token_id, sched)
    finally:
        torch.set_num_threads(threads)
    training.save(model, out)
    return out
