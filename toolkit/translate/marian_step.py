"""A lean incremental MarianMT decoder step, written over the model's own modules and weights.

It computes what ``MarianDecoder.forward`` computes for one new token per row (post-norm layers:
self-attention, cross-attention, swish FFN, each followed by residual + LayerNorm), without
transformers' cache objects, mask construction or per-step concatenation:

* self-attention keys/values live in a buffer per layer, ``[2, rows, heads, capacity, head_dim]``,
  written in place at the step's position; a step attends over the whole (contiguous) capacity with
  the positions after it masked out (one additive row per step: measured faster on CPU than attending
  over the strided prefix, which makes ``bmm`` copy, or than ``scaled_dot_product_attention``); the
  capacity grows in chunks. Positions past the step hold zeros or stale finite values, which the
  mask's zero weights cancel;
* cross-attention keys/values are computed once per batch, one copy per *sentence*: the beams of a
  sentence are its query rows (``[sentences * heads, beams, head_dim]``), so nothing is repeated per beam;
* beam reordering copies the written prefix of each layer's self-attention buffer once, into one spare
  buffer that is then swapped in (the replaced buffer becomes the spare for the next layer, so reordering
  costs one layer's buffer of memory, not a second cache), and only when the caller says the order
  changed; retiring sentences shrinks every buffer; growing replaces the buffers one layer at a time;
* models with fused projections (:mod:`native`: ``self_attn.qkv_proj``, ``encoder_attn.kv_proj``) run one
  matrix product where transformers' layout runs three (or two).

``step`` returns raw logits (float32) over the projection's columns; the search normalises them.

The modules are called, not their weights, so dynamically quantized (int8) linears work unchanged.
Imported only by the decoder, inside the search (never at CLI start-up).
"""

from __future__ import annotations

from typing import Any

import torch

CHUNK = 16  # self-attention buffer growth, in positions


class MarianStep:
    """Decoder state for one batch: ``step`` returns log-probabilities of the next token per row."""

    def __init__(
        self,
        model: Any,
        enc: torch.Tensor,
        enc_mask: torch.Tensor,
        beams: int,
        max_len: int,
        proj: Any = None,
        norm_bias: torch.Tensor | None = None,
    ):
        """``enc``: encoder states ``[B, S, d]``; ``enc_mask``: ``[B, S]`` (1 = token). ``max_len`` bounds
        the steps (positions) this batch can take. ``proj``/``norm_bias``: as ``decoder._decoder_step``."""
        dec = model.get_decoder()
        self.model, self.dec, self.proj, self.norm_bias = model, dec, proj, norm_bias
        self.layers = list(dec.layers)
        first = self.layers[0].self_attn
        self.heads, self.head_dim = first.num_heads, first.head_dim
        self.scaling = first.scaling
        self.beams, self.max_len = beams, max_len
        self.positions = dec.embed_positions.weight
        self.scale = dec.embed_scale
        B, S, _ = enc.shape
        H, Dh = self.heads, self.head_dim
        self.cross: list[tuple[torch.Tensor, torch.Tensor]] = []  # per layer: keys^T [B*H, Dh, S], values
        for layer in self.layers:
            att = layer.encoder_attn
            if hasattr(att, "kv_proj"):
                k, v = att.kv_proj(enc).view(B, S, 2, H, Dh).unbind(2)
            else:
                k, v = att.k_proj(enc).view(B, S, H, Dh), att.v_proj(enc).view(B, S, H, Dh)
            k = k.permute(0, 2, 3, 1).reshape(B * H, Dh, S)
            v = v.transpose(1, 2).reshape(B * H, S, Dh)
            self.cross.append((k, v))
        pad = (enc_mask == 0)[:, None, :].expand(B, H, S).reshape(B * H, 1, S)
        self.cross_mask = torch.zeros(pad.shape, dtype=enc.dtype, device=enc.device)
        self.cross_mask.masked_fill_(pad, float("-inf"))
        n = B * beams
        self.cap, self.t = 0, 0
        self.kv: list[torch.Tensor] = []  # per layer: [2, N, H, cap, Dh] (keys, values)
        self.spare: torch.Tensor | None = None  # one layer's reorder target, swapped with it
        self._grow(n, min(CHUNK, max_len), enc)

    def _grow(self, n: int, cap: int, like: torch.Tensor) -> None:
        self.spare = None
        old = self.kv + [None] * (len(self.layers) - len(self.kv))
        self.kv = []
        for k in range(len(self.layers)):  # one layer at a time: the old buffer goes as the new one comes
            buf = like.new_empty((2, n, self.heads, cap, self.head_dim))
            if old[k] is not None:
                buf[:, :, :, : self.cap].copy_(old[k])
                old[k] = None
            buf[:, :, :, self.cap :].zero_()  # finite, so the masked positions weigh exactly 0
            self.kv.append(buf)
        self.cap = cap

    def step(self, tokens: torch.Tensor, t: int) -> torch.Tensor:
        """Feed ``tokens`` ``[N]`` (model ids) at position ``t``; logits ``[N, columns]`` (float32)."""
        if t >= self.cap:
            self._grow(tokens.numel(), min(max(self.max_len, t + 1), self.cap + CHUNK), self.positions)
        self.t = t
        N, H, Dh = tokens.numel(), self.heads, self.head_dim
        B, K = N // self.beams, self.beams
        h = self.dec.embed_tokens(tokens) * self.scale + self.positions[t]
        ahead = torch.arange(self.cap, device=h.device) > t
        mask = torch.zeros(self.cap, dtype=h.dtype, device=h.device).masked_fill_(ahead, float("-inf"))
        mask = mask.expand(N * H, 1, self.cap)
        cross_mask = self.cross_mask.expand(-1, K, -1)
        for layer, kv, (ck, cv) in zip(self.layers, self.kv, self.cross, strict=True):
            att = layer.self_attn
            if hasattr(att, "qkv_proj"):
                q, kv[0, :, :, t], kv[1, :, :, t] = att.qkv_proj(h).view(N, 3, H, Dh).unbind(1)
            else:
                q = att.q_proj(h)
                kv[0, :, :, t] = att.k_proj(h).view(N, H, Dh)
                kv[1, :, :, t] = att.v_proj(h).view(N, H, Dh)
            q = q.reshape(N * H, 1, Dh)
            keys, values = kv[0].view(N * H, self.cap, Dh), kv[1].view(N * H, self.cap, Dh)
            w = torch.baddbmm(mask, q, keys.transpose(1, 2), alpha=self.scaling).softmax(-1)
            a = torch.bmm(w, values)
            h = layer.self_attn_layer_norm(h + att.out_proj(a.reshape(N, H * Dh)))
            x = layer.encoder_attn
            q = x.q_proj(h).view(B, K, H, Dh).transpose(1, 2).reshape(B * H, K, Dh)  # beams = queries
            w = torch.baddbmm(cross_mask, q, ck, alpha=self.scaling).softmax(-1)
            a = torch.bmm(w, cv).view(B, H, K, Dh).transpose(1, 2)
            h = layer.encoder_attn_layer_norm(h + x.out_proj(a.reshape(N, H * Dh)))
            f = layer.fc2(layer.activation_fn(layer.fc1(h)))
            h = layer.final_layer_norm(h + f)
        if self.proj is not None:
            logits = self.proj(h)
        else:
            logits = self.model.lm_head(h) + self.model.final_logits_bias
            if self.norm_bias is not None:
                logits = logits[:, : self.norm_bias.numel()] + self.norm_bias
        return logits.float()

    def reorder(self, parent: torch.Tensor) -> None:
        """Row ``r`` takes the history of row ``parent[r]``: one gather per layer of the positions written
        so far into the spare buffer, which is then swapped in (measured faster than copying only the
        moved rows, and than gathering the whole capacity)."""
        if self.spare is None:
            self.spare = torch.zeros_like(self.kv[0])
        n = self.t + 1
        for k, buf in enumerate(self.kv):
            torch.index_select(buf[:, :, :, :n], 1, parent, out=self.spare[:, :, :, :n])
            self.kv[k], self.spare = self.spare, buf

    def keep(self, sentences: torch.Tensor) -> None:
        """Keep only these sentences (indices into the live ones), with their beams."""
        rows = (sentences[:, None] * self.beams + torch.arange(self.beams, device=sentences.device)).flatten()
        self.kv = [b.index_select(1, rows) for b in self.kv]
        self.spare = None
        heads = torch.arange(self.heads, device=sentences.device)
        heads = (sentences[:, None] * self.heads + heads).flatten()
        self.cross = [(k.index_select(0, heads), v.index_select(0, heads)) for k, v in self.cross]
        self.cross_mask = self.cross_mask.index_select(0, heads)
