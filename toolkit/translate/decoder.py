"""Lexically constrained beam search over a MarianMT model's own forward pass (Dynamic Beam Allocation).

Reference design: Post & Vilar 2018, "Fast Lexically Constrained Decoding with Dynamic Beam Allocation".
The encoder runs once; the decoder runs one token at a time with its key/value cache, which is
reordered when beams are selected. Everything is batched over (sentences x beams) with torch ops;
Python work per step is O(batch) at most.

Guarantees (they come from masking, not from the search, so they hold for any beam size, 1 included):

* Every returned hypothesis contains each constraint's token sequence, contiguously, as many times as
  the constraint is listed. End-of-sentence is allowed only when all constraints are met.
* Termination: a sentence gets at most ``max_new[b]`` tokens (EOS included). A hypothesis may take a
  token only if the tokens its unmet constraints still need fit in the budget left after it, so at
  worst the remaining constraint tokens are forced, and EOS is the only choice at the last step.
* No foreign figures: a token whose text has a digit (byte-fallback ``<0x30>``..``<0x39>`` included)
  is never a free choice; it can only be emitted as the next token of a constraint, and a constraint
  whose emitted part has a digit must be finished (no abandoning it half-way).
* Scores are log-probabilities normalised over the target side (``TargetVocab.side``): with a
  restricted projection (``TargetVocab.ids``/``proj``) only those columns are computed at all, and
  the output equals the full projection's (the full path masks the other tokens before the softmax).
* Free tokens are limited to ``TargetVocab.free``: target-side pieces, no control, unknown, byte or
  CJK pieces. Right after a constraint, a piece that would glue letters onto its last word is barred.

Finished hypotheses and stopping follow transformers' ``generate`` (tested token for token against it
on a trained model, unconstrained): an EOS counts when fewer than ``K`` candidates of its bank score
higher (so ``K = 1`` is greedy search), finished hypotheses are ranked by ``score / length **
length_penalty``, and a sentence stops when its pool is full and no live hypothesis, normalised by its
length so far, beats the pool's worst. One addition for constraints (:func:`normalised`): what the
constraint tokens cost beyond the model's own best choice is charged once, not divided by the length.

Constraint state per hypothesis: ``done[j]`` per constraint, and the constraint in progress ``cur``
with the number of its tokens emitted ``prog``. A token that continues ``cur`` advances it; any
other token resets it (phrasal constraints), then may start the first unmet constraint it begins.
Beams are grouped in banks by constraint tokens met and filled round-robin from the banks
(best of each bank first), which is DBA's equal bank allocation with unused slots passed on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import torch

from . import search_step
from .projection import TargetVocab

NEG = float("-inf")


class Stepper(Protocol):
    """The decoder of one batch, one position at a time (:class:`marian_step.MarianStep` is the engine's)."""

    def step(self, tokens: torch.Tensor, t: int) -> torch.Tensor:
        """Feed ``tokens`` ``[rows]`` (model ids) at position ``t``; float32 logits ``[rows, columns]``."""
        ...

    def reorder(self, parent: torch.Tensor) -> None:
        """Row ``r`` continues the history of row ``parent[r]`` (beams never cross sentences)."""
        ...

    def keep(self, sentences: torch.Tensor) -> None:
        """Keep only these sentences (indices into the live ones), with their beams."""
        ...


#: builds a batch's stepper: (model, encoder states [B, S, d], source mask [B, S], beams, max steps,
#: restricted projection or None, normalising bias or None)
StepperFactory = Callable[[Any, torch.Tensor, torch.Tensor, int, int, Any, "torch.Tensor | None"], Stepper]


def marian_stepper(model: Any, enc: torch.Tensor, enc_mask: torch.Tensor, beams: int, max_len: int, proj: Any,
                   norm_bias: torch.Tensor | None) -> Stepper:
    """The engine's lean step over its own model (:mod:`native`)."""
    from .marian_step import MarianStep

    return MarianStep(model, enc, enc_mask, beams, max_len, proj, norm_bias)


@dataclass
class _Columns:
    """The vocabulary as the decoder sees it: one column per token the projection computes."""

    ids: list[int] | None  # column -> token id (None: column = token id)
    loc: dict[int, int] | None  # token id -> column
    free: torch.Tensor
    digit: torch.Tensor
    glue: torch.Tensor
    eos: int
    pad: int  # the column written for dead hypotheses
    norm_bias: torch.Tensor | None  # full projection only: -inf off the target side
    nfree: int = 0  # > 0: columns 0:nfree are exactly the free ones (no free mask needed)

    def col(self, tok: int) -> int:
        if self.loc is None:
            return tok
        if tok not in self.loc:
            raise ValueError(f"constraint token {tok} is outside the decoder's vocabulary")
        return self.loc[tok]


def _columns(vocab: TargetVocab, device: Any) -> _Columns:
    if vocab.ids is None:
        norm = None if vocab.side is None else torch.where(vocab.side.to(device), 0.0, NEG)
        return _Columns(None, None, vocab.free.to(device), vocab.digit.to(device), vocab.glue.to(device),
                        vocab.eos_id, vocab.pad_id, norm)
    ids = vocab.ids.tolist()
    loc = {t: c for c, t in enumerate(ids)}
    if vocab.eos_id not in loc:
        raise ValueError("the restricted vocabulary must contain EOS")
    free, digit, glue = (m[vocab.ids].to(device) for m in (vocab.free, vocab.digit, vocab.glue))
    eos = loc[vocab.eos_id]
    nfree = vocab.nfree if bool(free[: vocab.nfree].all()) and not bool(free[vocab.nfree :].any()) else 0
    return _Columns(ids, loc, free, digit, glue, eos, loc.get(vocab.pad_id, eos), None, nfree)


def normalised(score: torch.Tensor, paid: torch.Tensor, n: int, length_penalty: float) -> torch.Tensor:
    """The score hypotheses are ranked by once finished: transformers' ``score / n ** length_penalty``,
    except that what the constraints cost beyond the model's own choices (``paid[:, 0]``: each constraint
    token's log-prob minus the best log-prob of its step) is charged once, not divided by the length.

    Divided, a forced phrase's cost is spread over the length, so a hypothesis that paid for an unlikely
    phrase gains from every cheap token it adds after it, and the search runs on. A constraint the model
    would produce anyway costs nothing beyond its choice, so it leaves the ranking as it was."""
    regret = paid[:, 0]
    return (score - regret) / float(n) ** length_penalty + regret


def _identity(parent: torch.Tensor, rows: torch.Tensor) -> bool:
    """True when every beam keeps its own history (no cache copy needed)."""
    return torch.equal(parent, rows)


class _Pool:
    """The best finished hypotheses of one sentence (at most ``k``), by length-normalised score."""

    def __init__(self, k: int):
        self.k = k
        self.items: list[tuple[float, list[int]]] = []

    def worst(self) -> float:
        return self.items[-1][0] if len(self.items) >= self.k else NEG

    def add(self, score: float, toks: list[int]) -> None:
        if len(self.items) >= self.k and score <= self.items[-1][0]:
            return
        self.items.append((score, toks))
        self.items.sort(key=lambda x: -x[0])
        del self.items[self.k:]


@torch.inference_mode()
def constrained_beam_search(
    model: Any,
    src: list[list[int]],
    constraints: list[list[list[int]]],
    vocab: TargetVocab,
    *,
    beams: int = 4,
    max_new: list[int],
    min_new: list[int] | None = None,
    length_penalty: float = 1.0,
    stepper: StepperFactory = marian_stepper,
) -> list[list[int]]:
    """Translate a batch of tokenised sources (each ending in EOS) under token-sequence constraints.

    ``constraints[b]`` lists the target token sequences sentence ``b`` must contain (repeat one to
    require it twice). ``max_new[b]`` bounds the output tokens, EOS included; it must exceed the
    sentence's total constraint tokens. ``min_new[b]`` bars EOS before that many tokens (benchmarks).
    Returns the best hypothesis per sentence, without EOS. ``stepper`` builds the batch's decoder step
    (default: the engine's :class:`marian_step.MarianStep`; the tests pass transformers' decoder).
    """
    device = next(model.parameters()).device
    B, K = len(src), beams
    if B == 0:
        return []
    min_new = min_new or [0] * B
    for b, cs in enumerate(constraints):
        if any(len(c) == 0 for c in cs):
            raise ValueError("empty constraint token sequence")
        if sum(map(len, cs)) >= max_new[b]:
            raise ValueError(f"sentence {b}: length budget {max_new[b]} too small for its constraints")

    cols = _columns(vocab, device)
    constraints = [[[cols.col(x) for x in c] for c in cs] for cs in constraints]
    feed = None if cols.ids is None else torch.tensor(cols.ids, device=device)  # column -> model input id

    # -- sentence-level tensors -------------------------------------------------------------
    S = max(map(len, src))
    src_ids = torch.full((B, S), vocab.pad_id, dtype=torch.long)
    src_mask = torch.zeros((B, S), dtype=torch.long)
    for b, s in enumerate(src):
        src_ids[b, : len(s)] = torch.tensor(s)
        src_mask[b, : len(s)] = 1
    J = max(1, max(len(cs) for cs in constraints))
    L = max([1] + [len(c) for cs in constraints for c in cs])
    ctok = torch.full((B, J, L + 1), -1, dtype=torch.long)  # one spare column: "next token" past the end
    clen = torch.zeros((B, J), dtype=torch.long)
    for b, cs in enumerate(constraints):
        for j, c in enumerate(cs):
            ctok[b, j, : len(c)] = torch.tensor(c)
            clen[b, j] = len(c)
    digit = cols.digit
    # lock[b, j, m]: the first m tokens of constraint j contain a digit -> it must be finished
    lock = torch.zeros((B, J, L + 1), dtype=torch.bool)
    lock[:, :, 1:] = torch.cumsum(digit[ctok[:, :, :L].clamp(min=0)] & (ctok[:, :, :L] >= 0), dim=2) > 0
    ctotal = clen.sum(1)
    tmax = torch.tensor(max_new, dtype=torch.long)
    tmin = torch.tensor(min_new, dtype=torch.long)
    ctok, clen, lock, ctotal, tmax, tmin = (x.to(device) for x in (ctok, clen, lock, ctotal, tmax, tmin))

    encoder = model.get_encoder()
    enc = encoder(input_ids=src_ids.to(device), attention_mask=src_mask.to(device)).last_hidden_state
    proj = vocab.proj if feed is not None else None
    decoder = stepper(model, enc, src_mask.to(device), K, max(max_new), proj, cols.norm_bias)

    # -- hypothesis-level state (N = B*K rows) ---------------------------------------------
    N = B * K
    score = torch.full((N,), NEG, device=device)
    score[::K] = 0.0
    done = (clen == 0).repeat_interleave(K, dim=0)  # padded constraint slots count as done
    cur = torch.full((N,), -1, dtype=torch.long, device=device)
    prog = torch.zeros((N,), dtype=torch.long, device=device)
    glued = torch.zeros((N,), dtype=torch.bool, device=device)  # just completed a constraint
    paid = torch.zeros((N, 2), device=device)  # constraint tokens' regret: completed, in progress
    hist = torch.empty((N, 0), dtype=torch.long, device=device)
    last = torch.full((N, 1), vocab.start_id, dtype=torch.long, device=device)
    free_bias = torch.where(cols.free, 0.0, NEG)
    glue_bias = torch.where(cols.glue, NEG, 0.0)
    eos = cols.eos
    V = free_bias.numel()

    active = list(range(B))  # original sentence index of each live sentence
    pools = [_Pool(K) for _ in range(B)]
    select = search_step.compiled()
    t = 0
    while active:
        Bn = len(active)
        logits = decoder.step(last.view(-1), t)[:, :V]
        eos_ok, eos_lp, parent, score, new_tok, done, cur, prog, glued, new_paid = select(
            logits, score, done, cur, prog, glued, paid, ctok, clen, lock, ctotal, tmax, tmin, free_bias,
            glue_bias, digit, t, K, eos, cols.pad, cols.nfree)
        if bool(eos_ok.any()):  # finished hypotheses (EOS once every constraint is met), from before the step
            norm = normalised(eos_lp, paid, t + 1, length_penalty).tolist()
            for r in eos_ok.nonzero().flatten().tolist():
                pools[active[r // K]].add(norm[r], hist[r].tolist())
        paid = new_paid
        rows = torch.arange(Bn * K, device=device)
        reordered = not _identity(parent, rows)
        hist = torch.cat([hist.index_select(0, parent) if reordered else hist, new_tok[:, None]], 1)
        last = (new_tok if feed is None else feed[new_tok])[:, None]
        # beams never cross sentences, so the cross-attention cache needs no reordering; the
        # self-attention cache is copied only when some beam takes another beam's history
        if reordered:
            decoder.reorder(parent)
        t += 1

        # retire finished sentences
        # the early-stop bound: transformers' (the best live score, normalised by its length so far)
        best_alive = normalised(score, paid, max(t, 1), length_penalty).view(Bn, K).max(1).values.tolist()
        finished = [
            i for i in range(Bn)
            if t >= max_new[active[i]] or best_alive[i] == NEG or pools[active[i]].worst() >= best_alive[i]
        ]
        if finished:
            keep = [i for i in range(Bn) if i not in set(finished)]
            active = [active[i] for i in keep]
            if not active:
                break
            ks = torch.tensor(keep, device=device)
            kr = (ks[:, None] * K + torch.arange(K, device=device)[None, :]).flatten()
            decoder.keep(ks)
            score, done, cur, prog, glued, paid, hist, last = (
                x[kr] for x in (score, done, cur, prog, glued, paid, hist, last)
            )
            ctok, clen, lock, ctotal, tmax, tmin = (x[ks] for x in (ctok, clen, lock, ctotal, tmax, tmin))
    out = []
    for b in range(B):
        if not pools[b].items:  # cannot happen: the last step forces EOS on every live hypothesis
            raise RuntimeError("constrained decoding produced no finished hypothesis")
        best = pools[b].items[0][1]
        out.append(best if cols.ids is None else [cols.ids[c] for c in best])
    return out
