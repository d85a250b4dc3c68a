"""The decoder on a model that has learned something (``trained_model_dir``: a small MarianMT trained in the
session on a synthetic word-by-word task, see ``trained_marian.py``), where it really ends its sentences.

Oracles: transformers' own ``generate`` (beam search and greedy) on the same weights, and sacrebleu against
the task's references.
"""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")


class TargetSide:
    """transformers logits processor: what our decoder does deliberately differently from ``generate``.

    Scores are normalised over the target side (the pieces the target sentencepiece model can produce;
    opus-mt's vocabulary also holds the Chinese pieces), and only free tokens (no digits, bytes, CJK or
    control pieces) and EOS may be chosen. Everything else - candidates, finished hypotheses, length
    penalty, early stopping - is transformers' own."""

    def __init__(self, side, allowed):
        self.side, self.allowed = side, allowed

    def __call__(self, input_ids, scores):
        scores = scores.masked_fill(~self.side, float("-inf")).log_softmax(-1)
        return scores.masked_fill(~self.allowed, float("-inf"))


@pytest.fixture(scope="module")
def trained(trained_model_dir: Path):
    from transformers import MarianMTModel

    from toolkit.translate.engine import Engine

    eng = Engine.load(trained_model_dir)
    hf = MarianMTModel.from_pretrained(str(trained_model_dir)).eval()
    zh = (trained_model_dir / "test.zh").read_text(encoding="utf-8").splitlines()
    en = (trained_model_dir / "test.en").read_text(encoding="utf-8").splitlines()
    return eng, hf, zh, en


def _generate(eng, hf, srcs: list[list[int]], beams: int, lp: float, max_new: int) -> list[list[int]]:
    from transformers import LogitsProcessorList

    v = eng.full_vocab
    allowed = v.free.clone()
    allowed[v.eos_id] = True
    pad = v.pad_id
    S = max(map(len, srcs))
    ids = torch.full((len(srcs), S), pad)
    for i, s in enumerate(srcs):
        ids[i, : len(s)] = torch.tensor(s)
    with torch.inference_mode():
        out = hf.generate(input_ids=ids, attention_mask=(ids != pad).long(), num_beams=beams, do_sample=False,
                          length_penalty=lp, early_stopping=False, max_new_tokens=max_new, min_length=0,
                          logits_processor=LogitsProcessorList([TargetSide(v.side, allowed)]))
    res = []
    for row in out.tolist():
        row = row[1:]  # the decoder start token
        res.append(row[: row.index(v.eos_id)] if v.eos_id in row else row)
    return res


@pytest.mark.parametrize(("beams", "lp"), [(1, 1.0), (2, 1.0), (4, 1.0), (5, 1.0), (4, 0.6), (5, 2.0)])
def test_unconstrained_search_equals_transformers_generate(trained, beams: int, lp: float) -> None:
    """Same tokens and lengths on every held-out sentence, in one batch (they retire at different steps)."""
    from toolkit.translate.decoder import constrained_beam_search

    eng, hf, zh, _ = trained
    srcs = [eng.codec.encode_source(z) for z in zh]
    max_new = 60  # above every output: no hypothesis is cut by the limit (where the two differ on purpose)
    ours = constrained_beam_search(eng.model, srcs, [[] for _ in srcs], eng.vocab, beams=beams,
                                   max_new=[max_new] * len(srcs), min_new=[0] * len(srcs), length_penalty=lp)
    theirs = _generate(eng, hf, srcs, beams, lp, max_new)
    # a hypothesis cut by the limit is where the two differ on purpose (we end it with EOS, generate
    # does not): compare the sentences that ended by themselves, which must be nearly all
    ended = [i for i, t in enumerate(theirs) if len(t) < max_new - 1]
    assert len(ended) >= 0.9 * len(srcs)
    decode = eng.codec.decode
    diff = [(zh[i], decode(ours[i]), decode(theirs[i])) for i in ended if ours[i] != theirs[i]]
    assert not diff, diff[:3]


def _phrase(text: str, n: int) -> str | None:
    """``n`` words from the middle of ``text`` (None when it is shorter)."""
    w = text.split()
    return " ".join(w[len(w) // 2 : len(w) // 2 + n]) if len(w) >= n else None


def _uses(out: str, phrase: str) -> bool:
    return f" {phrase} " in f" {out} "  # whole words


def test_oracle_constraints_raise_bleu_and_are_all_used(trained) -> None:
    """Phrases taken from the reference (Post & Vilar 2018; Hu et al. 2019) appear in every output, as whole
    words, and BLEU against the references goes up."""
    import sacrebleu

    eng, _, zh, en = trained
    base = eng.translate(zh, beams=4)
    oracle = [[p] if (p := _phrase(r, 2)) else [] for r in en]
    assert sum(map(len, oracle)) >= len(zh) - 2
    out = eng.translate(zh, oracle, beams=4)
    assert all(_uses(o, c[0]) for o, c in zip(out, oracle, strict=True) if c)
    before, after = sacrebleu.corpus_bleu(base, [en]).score, sacrebleu.corpus_bleu(out, [en]).score
    assert after > before + 1.0, (before, after)


def test_a_constraint_the_model_chooses_anyway_leaves_greedy_output_unchanged(trained) -> None:
    """Greedy: constraining the first word the model chooses by itself costs nothing beyond its choice, so
    the length normalisation (and the output) stay as without it."""
    eng, _, zh, _ = trained
    base = eng.translate(zh, beams=1)
    own = [[b.split()[0]] if b else [] for b in base]
    assert eng.translate(zh, own, beams=1) == base
