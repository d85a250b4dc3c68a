"""One step of the constrained beam search's selection, over a decoder step's logits (TorchScript-compatible).

:func:`select` is the whole per-step search of :func:`decoder.constrained_beam_search` between the
decoder's logits and the chosen hypotheses: candidates (the best free tokens of each sentence, each row's
best, every constraint token each row may take next), their constraint-state transitions, the validity
rules that carry the guarantees, and Dynamic Beam Allocation. It is ~120 small tensor operations, so it is
compiled with TorchScript where torch offers it (:func:`compiled`): one call that runs without the GIL
and without Python's per-operation cost, which lets the engine's decoding threads run side by side.
Without TorchScript the same function runs eagerly. See :mod:`decoder` for the guarantees.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from . import torchscript

_compiled: list[Any] = []


def select(logits: Tensor, score: Tensor, done: Tensor, cur: Tensor, prog: Tensor, glued: Tensor,
           paid: Tensor, ctok: Tensor, clen: Tensor, lock: Tensor, ctotal: Tensor, tmax: Tensor, tmin: Tensor,
           free_bias: Tensor, glue_bias: Tensor, digit: Tensor, t: int, K: int, eos: int, pad: int,
           nfree: int = 0
           ) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]:
    """Choose the next ``K`` hypotheses of every live sentence.

    ``logits`` ``[N, V]`` (N = sentences x K rows; modified in place), the hypotheses' state (``score``
    ``[N]``, ``done`` ``[N, J]``, ``cur``/``prog`` ``[N]``: constraint in progress and its tokens emitted,
    ``glued`` ``[N]``: just completed one; ``paid`` ``[N, 2]``: the regret of the completed constraints'
    tokens, then of the one in progress), the sentences' constraints (``ctok``
    ``[B, J, L+1]``, ``clen`` ``[B, J]``, ``lock``, ``ctotal``, ``tmax``/``tmin``: length bounds) and the
    vocabulary masks. ``nfree`` > 0: columns ``0:nfree`` are exactly the free tokens, so the free candidates
    come from that slice and ``free_bias`` is not added.
    Returns ``eos_ok``/``eos_lp`` (rows that end here and their score with EOS), then the new rows:
    ``parent``, ``score``, token (column; ``pad`` for dead rows), ``done``, ``cur``, ``prog``, ``glued``,
    ``paid``.

    A row's EOS counts (``eos_ok``) when every constraint is met and fewer than ``K`` candidates of its
    bank (the sentence's continuations that have met every constraint, and the other rows' EOS) score
    higher: without constraints that is transformers' and fairseq's rule (an EOS among the best ``K`` of
    the candidates), which with ``K = 1`` makes the search greedy.
    """
    neg = float("-inf")  # locals: TorchScript does not read module-level floats
    last = 2**62  # sorts after every priority
    V = logits.shape[1]
    Bn = score.numel() // K
    J = ctok.shape[1]
    sent = torch.arange(Bn, device=logits.device).repeat_interleave(K)  # row -> live sentence
    jr = torch.arange(J, device=logits.device)
    # log-probs are logits - lse; only the candidates' are ever formed (no [N, V] log_softmax). lse is
    # torch.logsumexp's own sequence of operations (bit for bit), so that its row maximum serves the
    # regret below too: one pass over [N, V] fewer than logsumexp plus max
    top = torch.amax(logits, dim=1, keepdim=True)
    shift = torch.where(top.abs() == float("inf"), 0.0, top)
    lse = (logits - shift).exp_().sum(1).log_().add_(shift.squeeze(1))
    base = score - lse  # a row's log-prob offset

    needed = ((~done) * clen[sent]).sum(1) - prog
    rem_after = tmax[sent] - t - 2  # non-EOS slots left after this token
    in_prog = cur >= 0
    curc = cur.clamp(min=0)
    locked = in_prog & lock[sent, curc, prog]
    alive = score > neg

    # finished hypotheses: EOS when every constraint is met (ranked against the bank below)
    eos_ok = alive & (needed == 0) & (t >= tmin[sent])
    eos_lp = torch.where(eos_ok, base + logits[:, eos], neg)

    # constraint candidates: continue the one in progress, or start any unmet one (read before the
    # free-token mask is added to the logits in place)
    nxt_cur = ctok[sent, curc, prog]
    first = ctok[sent, :, 0]  # [N, J]
    c_tok = torch.where(in_prog[:, None], torch.where(jr[None, :] == cur[:, None], nxt_cur[:, None], -1),
                        torch.where(done, -1, first))
    c_ok = (c_tok >= 0) & alive[:, None]
    c_v = torch.where(c_ok, base[:, None] + logits.gather(1, c_tok.clamp(min=0)), neg)

    # free candidates: the top 2K of each row, then of each sentence's K rows (the sentence's top 2K
    # are among its rows' top 2K), plus the best token of each hypothesis; row masks stay [N]-sized
    block = ~alive | locked | (needed + prog > rem_after)
    best_lp = top.squeeze(1) - lse  # the model's own best next token, for a constraint's regret
    if nfree > 0:
        free_logits = logits[:, :nfree]
    else:
        free_logits = logits.add_(free_bias)
    if bool(glued.any()):
        g = glued.nonzero().flatten()
        free_logits[g] = free_logits[g] + glue_bias[: free_logits.shape[1]]
    k2 = min(2 * K, free_logits.shape[1])
    row_v, row_i = free_logits.topk(k2, dim=1)
    row_v += torch.where(block, neg, base)[:, None]
    top_v, top_j = row_v.view(Bn, K * k2).topk(min(2 * K, K * k2), dim=1)
    top_row = top_j // k2 + (torch.arange(Bn, device=logits.device) * K)[:, None]
    top_tok = row_i.view(Bn, K * k2).gather(1, top_j)
    best_v, best_tok = row_v[:, 0], row_i[:, 0]

    # an EOS counts if fewer than K candidates of the top bank score higher: the free continuations of
    # rows with every constraint met (each row's top 2K hold every one that can rank above K) and EOS
    top_bank = torch.where((needed == 0)[:, None], row_v, neg).view(Bn, 1, K * k2)
    e = eos_lp.view(Bn, K, 1)
    above = (top_bank > e).sum(2) + (eos_lp.view(Bn, 1, K) > e).sum(2)
    eos_ok = eos_ok & (above.view(-1) < K)

    rows = torch.arange(Bn * K, device=logits.device)
    c_row = rows.view(Bn, K, 1).expand(Bn, K, J).reshape(Bn, K * J)
    cand_row = torch.cat([top_row, rows.view(Bn, K), c_row], 1)
    cand_tok = torch.cat([top_tok, best_tok.view(Bn, K), c_tok.view(Bn, K * J)], 1)
    cand_v = torch.cat([top_v, best_v.view(Bn, K), c_v.view(Bn, K * J)], 1)
    M = cand_row.shape[1]

    # transition of every candidate
    r, tok = cand_row.flatten(), cand_tok.flatten().clamp(min=0)
    s_r, cur_r, prog_r, done_r = sent[r], cur[r], prog[r], done[r]
    cont = (cur_r >= 0) & (tok == ctok[s_r, cur_r.clamp(min=0), prog_r])
    startable = (~done_r) & (ctok[s_r, :, 0] == tok[:, None]) & ~cont[:, None]
    has_start = startable.any(1)
    j_start = startable.to(torch.uint8).argmax(1)
    j_new = torch.where(cont, cur_r, j_start)
    p_new = torch.where(cont, prog_r + 1, 1)
    advancing = cont | has_start
    completes = advancing & (p_new == clen[s_r, j_new])
    new_done = done_r | (completes[:, None] & (jr[None, :] == j_new[:, None]))
    new_cur = torch.where(advancing & ~completes, j_new, -1)
    new_prog = torch.where(advancing & ~completes, p_new, 0)
    need_after = ((~new_done) * clen[s_r]).sum(1) - new_prog
    valid = cand_v.flatten() > neg
    valid &= need_after <= tmax[s_r] - t - 2
    valid &= ~((cur_r >= 0) & ~cont & lock[s_r, cur_r.clamp(min=0), prog_r])
    valid &= ~(digit[tok] & ~advancing)
    valid &= tok != eos
    # drop duplicate (row, token) pairs
    key = torch.where(valid, r * V + tok, -1).view(Bn, M)
    skey, sidx = key.sort(dim=1, stable=True)
    dup = torch.zeros_like(skey, dtype=torch.bool)
    dup[:, 1:] = (skey[:, 1:] == skey[:, :-1]) & (skey[:, 1:] >= 0)
    valid_m = valid.view(Bn, M).clone()
    valid_m.scatter_(1, sidx, valid_m.gather(1, sidx) & ~dup)

    # what each candidate has paid for constraints beyond the model's own choice: the regret of a
    # constraint token (its log-prob minus the row's best) is pending while the constraint is in progress
    # and moves to the paid total when it completes; a reset drops it (those were free tokens after all)
    paid_r = paid[r]
    regret = torch.where(valid & advancing, cand_v.flatten() - score[r] - best_lp[r], 0.0)
    pend = torch.where(advancing, paid_r[:, 1] + regret, 0.0)
    new_paid = torch.stack([paid_r[:, 0] + torch.where(completes, pend, 0.0),
                            torch.where(completes, 0.0, pend)], 1)

    # DBA: rank within bank (constraint tokens met), then round-robin over banks
    met = (ctotal[s_r] - need_after).view(Bn, M)
    v = torch.where(valid_m, cand_v, neg)
    o1 = v.argsort(dim=1, descending=True, stable=True)
    bank1 = met.gather(1, o1)
    o2 = bank1.argsort(dim=1, descending=True, stable=True)
    order = o1.gather(1, o2)
    bank_s = met.gather(1, order)
    pos = torch.arange(M, device=logits.device).expand(Bn, M)
    first_of_bank = torch.ones_like(bank_s, dtype=torch.bool)
    first_of_bank[:, 1:] = bank_s[:, 1:] != bank_s[:, :-1]
    start_pos = torch.where(first_of_bank, pos, 0).cummax(dim=1)[0]
    rank = pos - start_pos
    big = int(ctotal.max().item()) + 2
    prio = rank * big + (big - 1 - bank_s)
    prio = torch.where(valid_m.gather(1, order), prio, last)
    pick = order.gather(1, prio.argsort(dim=1, stable=True)[:, :K])  # [Bn, K] index into M
    flat = (pick + (torch.arange(Bn, device=logits.device) * M)[:, None]).flatten()

    ok = valid_m.flatten()[flat]
    parent = torch.where(ok, r[flat], (sent * K))
    score = torch.where(ok, cand_v.flatten()[flat], neg)
    new_tok = torch.where(ok, tok[flat], pad)
    done, cur, prog, glued = new_done[flat], new_cur[flat], new_prog[flat], completes[flat]
    return eos_ok, eos_lp, parent, score, new_tok, done, cur, prog, glued, new_paid[flat]


def compiled() -> Any:
    """:func:`select`, compiled once (see :mod:`torchscript`)."""
    with torchscript.LOCK:
        if not _compiled:
            _compiled.append(torchscript.script_or_eager(select))
    return _compiled[0]
