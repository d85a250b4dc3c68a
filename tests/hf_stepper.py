"""transformers' own MarianMT decoder and cache as a :class:`decoder.Stepper`: the reference the tests compare
the engine's lean step (:mod:`marian_step`) against (moved out of the package: only tests use it)."""

from __future__ import annotations

from typing import Any

import torch

from toolkit.translate.projection import project


def decoder_step(model: Any, tokens: torch.Tensor, enc: torch.Tensor, enc_mask: torch.Tensor, cache: Any,
                 proj: Any = None, norm_bias: torch.Tensor | None = None) -> torch.Tensor:
    """One incremental step of transformers' decoder (``tokens`` ``[rows, 1]``); float32 logits over the
    projection's columns (or the full ``lm_head`` plus ``norm_bias``)."""
    out = model.get_decoder()(input_ids=tokens, encoder_hidden_states=enc, encoder_attention_mask=enc_mask,
                              cache=cache, use_cache=True)
    return project(model, out.last_hidden_state[:, -1], proj, norm_bias)


def new_cache(model: Any) -> Any:
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache

    return EncoderDecoderCache(DynamicCache(config=model.config), DynamicCache(config=model.config))


class HFStep:
    """A transformers ``MarianMTModel``'s decoder with its cache, one row per beam."""

    def __init__(self, model: Any, enc: torch.Tensor, enc_mask: torch.Tensor, beams: int, max_len: int,
                 proj: Any = None, norm_bias: torch.Tensor | None = None):
        self.model, self.proj, self.norm_bias, self.beams = model, proj, norm_bias, beams
        self.enc = enc.repeat_interleave(beams, dim=0)
        self.enc_mask = enc_mask.repeat_interleave(beams, dim=0)
        self.cache = new_cache(model)

    def step(self, tokens: torch.Tensor, t: int) -> torch.Tensor:
        return decoder_step(self.model, tokens[:, None], self.enc, self.enc_mask, self.cache, self.proj,
                            self.norm_bias)

    def reorder(self, parent: torch.Tensor) -> None:
        self.cache.self_attention_cache.reorder_cache(parent)

    def keep(self, sentences: torch.Tensor) -> None:
        rows = (sentences[:, None] * self.beams + torch.arange(self.beams, device=sentences.device)).flatten()
        self.cache.batch_select_indices(rows)
        self.enc, self.enc_mask = self.enc[rows], self.enc_mask[rows]
