"""The target vocabulary as the decoder sees it, and output projections restricted to part of it.

The output projection (hidden -> 65,001 logits for opus-mt-zh-en) is the largest matrix product of a
decoder step. opus-mt-zh-en's vocabulary is shared by a Chinese and an English sentencepiece model,
so a large share of it can never be English output: :func:`restrict` computes only the target side
(exact: the decoder normalises over the target side either way). :func:`shortlist` narrows that to
the frequent target pieces plus the batch's constraint tokens and EOS (approximate, opt-in).

It is the one module both the search (:mod:`decoder`) and the step (:mod:`marian_step`) import for the
vocabulary and the projection, so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import torch


@dataclass
class TargetVocab:
    """What the decoder needs to know about the target vocabulary (built once per model)."""

    eos_id: int
    pad_id: int
    start_id: int  # decoder_start_token_id (Marian: pad)
    free: torch.Tensor  # bool [V]: may be chosen freely (not as a constraint token)
    digit: torch.Tensor  # bool [V]: the token's text contains a digit
    glue: torch.Tensor  # bool [V]: continues a word with a letter/digit (no word-initial "▁")
    side: torch.Tensor | None = None  # bool [V]: what the target side can produce; scores normalise over it
    ids: torch.Tensor | None = None  # long [n]: the ids the projection computes, column order; None = all V
    proj: Any = None  # module: hidden [N, d] -> logits [N, n] over ``ids``, bias included
    nfree: int = 0  # > 0: columns ``0:nfree`` are exactly the free tokens (see :func:`restrict`)

    @property
    def size(self) -> int:
        return self.free.numel()


def project(model: Any, h: torch.Tensor, proj: Any = None, norm_bias: torch.Tensor | None = None
            ) -> torch.Tensor:
    """Logits (float32) of hidden states ``h`` ``[N, d]``: over ``proj``'s columns, or the full ``lm_head``
    plus ``norm_bias`` (-inf off the target side, so that the normaliser is the restricted one's)."""
    if proj is not None:
        logits = proj(h)
    else:
        logits = model.lm_head(h) + model.final_logits_bias
        if norm_bias is not None:
            logits = logits[:, : norm_bias.numel()] + norm_bias
    return logits.float()


def quantize_int8(module: Any) -> Any:
    """Dynamic int8 quantization of every ``nn.Linear`` inside ``module`` (in place; returns it)."""
    return torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


def sliced_projection(model: Any, ids: Any, *, int8: bool = False) -> Any:
    """A module computing ``lm_head(h) + final_logits_bias`` for the columns ``ids`` only.

    The engine's own model (:mod:`native`) builds it (an int8 one straight from its int8 embedding rows);
    for a transformers ``MarianMTModel`` (tests, comparisons) the rows of ``lm_head`` are sliced."""
    if hasattr(model, "output_projection"):
        return model.output_projection(ids, int8=int8)
    weight = model.lm_head.weight
    bias = model.final_logits_bias.reshape(-1)
    lin = torch.nn.Linear(weight.shape[1], len(ids), bias=True, device="meta")  # no throw-away init
    with torch.no_grad():
        lin.weight = torch.nn.Parameter(weight.index_select(0, ids), requires_grad=False)
        lin.bias = torch.nn.Parameter(bias.index_select(0, ids), requires_grad=False)
    lin.eval()
    return quantize_int8(torch.nn.Sequential(lin))[0] if int8 else lin


def restrict(model: Any, vocab: TargetVocab, *, int8: bool = False) -> TargetVocab:
    """``vocab`` with a projection over its target side only (every token the side can produce).

    The free tokens' columns come first (``nfree``), each group in id order: the search then takes its
    free candidates from a plain slice of the logits, with no [rows, columns] mask added at every step."""
    if vocab.side is None:
        raise ValueError("the vocabulary has no target side to restrict to")
    side = vocab.side.clone()
    side[vocab.eos_id] = True
    free = side & vocab.free
    ids = torch.cat([free.nonzero().flatten(), (side & ~free).nonzero().flatten()]).to(torch.long)
    return replace(vocab, ids=ids, proj=sliced_projection(model, ids, int8=int8), nfree=int(free.sum()))


def frequent_free_ids(vocab: TargetVocab, scores: dict[int, float], n: int) -> list[int]:
    """The ``n`` free tokens with the highest score (sentencepiece log-probability: most frequent)."""
    free = vocab.free.nonzero().flatten().tolist()
    free.sort(key=lambda i: (-scores.get(i, float("-inf")), i))
    return free[:n]


def shortlist(
    model: Any, vocab: TargetVocab, base: Iterable[int], constraints: Iterable[Iterable[int]], *, int8: bool
) -> TargetVocab:
    """``vocab`` restricted to ``base`` plus every constraint token and EOS (one batch's shortlist)."""
    keep = set(base)
    keep.add(vocab.eos_id)
    for c in constraints:
        keep.update(c)
    ids = torch.tensor(sorted(keep), dtype=torch.long)
    return replace(vocab, ids=ids, proj=sliced_projection(model, ids, int8=int8), nfree=0)
