"""Train a small MarianMT from parallel text: the reference model and the tests' trained model.

Random weights almost never choose end-of-sentence, so the part of beam search a real model lives in
(finished hypotheses, length normalisation, early stopping, the minimum length) only runs on a model that
has learned something. No real opus-mt weights can be downloaded where this project is built, so
``scripts/train_reference_model.py`` (Tatoeba zh-en) and the tests' session fixture (a synthetic task)
train one here, in the layout of ``Helsinki-NLP/opus-mt-zh-en`` (:func:`tiny.write_vocab_folder`).

A plain teacher-forced training loop: AdamW, linear warm-up then inverse square root decay, label
smoothing, batches of similar length; stopped by a step count or a wall-clock budget, whichever comes
first. torch and transformers are imported inside the functions.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Sizes:
    d_model: int = 256
    layers: int = 3
    heads: int = 4
    ffn: int = 1024
    max_positions: int = 256


@dataclass(frozen=True)
class Schedule:
    steps: int = 10_000  # upper bound
    seconds: float = float("inf")  # wall-clock budget
    batch_tokens: int = 2048  # source + target tokens per batch (padding included)
    lr: float = 1e-3
    warmup: int = 200
    dropout: float = 0.1
    label_smoothing: float = 0.1
    seed: int = 0


def new_model(folder: Path, sizes: Sizes, dropout: float, seed: int) -> Any:
    """A fresh MarianMTModel for the vocabulary folder (shared vocab.json, tied embeddings)."""
    import json

    import torch
    from transformers import MarianConfig, MarianMTModel

    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    pad = vocab["<pad>"]
    cfg = MarianConfig(
        vocab_size=len(vocab), decoder_vocab_size=len(vocab), d_model=sizes.d_model,
        encoder_layers=sizes.layers, decoder_layers=sizes.layers, encoder_attention_heads=sizes.heads,
        decoder_attention_heads=sizes.heads, encoder_ffn_dim=sizes.ffn, decoder_ffn_dim=sizes.ffn,
        max_position_embeddings=sizes.max_positions, pad_token_id=pad, eos_token_id=vocab["</s>"],
        decoder_start_token_id=pad, forced_eos_token_id=vocab["</s>"], share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, scale_embedding=True, activation_function="swish", dropout=dropout,
        attention_dropout=0.0, activation_dropout=0.0, num_beams=4, max_length=sizes.max_positions,
        bad_words_ids=[[pad]],
    )
    torch.manual_seed(seed)
    return MarianMTModel(cfg)


def _batches(pairs: list[tuple[list[int], list[int]]], batch_tokens: int, rng: random.Random
             ) -> list[list[int]]:
    """Index batches of similar length, each about ``batch_tokens`` tokens, in random order."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), rng.random()))
    out: list[list[int]] = []
    cur: list[int] = []
    longest = 0
    for i in order:
        n = len(pairs[i][0]) + len(pairs[i][1])
        if cur and max(longest, n) * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def train(
    model: Any,
    pairs: list[tuple[list[int], list[int]]],
    pad: int,
    schedule: Schedule,
    log: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Teacher-forced training on token-id pairs (each side ending in EOS); returns step count and loss."""
    import torch

    torch.manual_seed(schedule.seed)
    rng = random.Random(schedule.seed)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=schedule.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
    w = schedule.warmup

    def rate(step: int) -> float:
        s = step + 1
        return min(s / w, math.sqrt(w / s))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, rate)
    start_id = model.config.decoder_start_token_id
    t0 = time.monotonic()
    step, ema = 0, None
    while step < schedule.steps and time.monotonic() - t0 < schedule.seconds:
        for idx in _batches(pairs, schedule.batch_tokens, rng):
            if step >= schedule.steps or time.monotonic() - t0 >= schedule.seconds:
                break
            S = max(len(pairs[i][0]) for i in idx)
            T = max(len(pairs[i][1]) for i in idx)
            src = torch.full((len(idx), S), pad, dtype=torch.long)
            tgt = torch.full((len(idx), T), pad, dtype=torch.long)
            for r, i in enumerate(idx):
                s, t = pairs[i]
                src[r, : len(s)] = torch.tensor(s)
                tgt[r, : len(t)] = torch.tensor(t)
            dec_in = torch.cat([torch.full((len(idx), 1), start_id, dtype=torch.long), tgt[:, :-1]], 1)
            logits = model(input_ids=src, attention_mask=(src != pad).long(), decoder_input_ids=dec_in).logits
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=pad,
                label_smoothing=schedule.label_smoothing,
            )
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
            if log and step % 100 == 0:
                log(f"step {step}  loss {ema:.3f}  {time.monotonic() - t0:.0f}s")
    model.eval()
    return {"steps": float(step), "loss": float(ema or 0.0), "seconds": time.monotonic() - t0}


def save(model: Any, folder: Path) -> None:
    """Write ``model.safetensors`` and ``config.json``; the pad logit gets -inf (never an output)."""
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, model.config.pad_token_id] = float("-inf")
    model.save_pretrained(folder, safe_serialization=True)


def encode_pairs(folder: Path, zh: list[str], en: list[str]) -> list[tuple[list[int], list[int]]]:
    """Source and target ids (each ending in EOS) with the folder's own tokenisation (the engine's codec)."""
    from .engine import Codec

    codec = Codec(folder)
    out = []
    for s, t in zip(zh, en, strict=True):
        tgt = [codec.tvocab.get(p, codec.unk_id) for p in codec.target_pieces(t)] + [codec.eos_id]
        out.append((codec.encode_source(s), tgt))
    return out
