"""A lean incremental MarianMT decoder step over the engine's own model (:mod:`native`).

It computes what the decoder computes for one new token per row (post-norm layers: self-attention,
cross-attention, swish FFN, each followed by residual + LayerNorm), without transformers' cache objects,
mask construction or per-step concatenation:

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
  changed; retiring sentences shrinks every buffer; growing replaces the buffers one layer at a time,
  and the freed memory is handed back to the OS (``native.release_heap``) so that growths do not pile up;
* the per-step work (:class:`StepLayers`: the layers and the reorder) is compiled with TorchScript
  where torch offers it: a step is then one call that runs without the GIL, so the engine's decoding
  threads run their steps truly side by side (eagerly, each of the ~300 small operations of a step
  hands the GIL over, and two threads convoy). Without TorchScript the same module runs eagerly.

``step`` returns raw logits (float32) over the projection's columns; the search normalises them.
Imported only by the decoder, inside the search (never at CLI start-up).
"""

from __future__ import annotations

import weakref
from typing import Any

import torch
from torch import Tensor, nn

from . import torchscript
from .native import release_heap
from .projection import project

CHUNK = 16  # self-attention buffer growth, in positions


class StepLayer(nn.Module):
    """One decoder layer for one new position (TorchScript-compatible). Shares the model's modules."""

    def __init__(self, layer: Any):
        super().__init__()
        att, x = layer.self_attn, layer.encoder_attn
        self.qkv_proj, self.out_proj, self.ln1 = att.qkv_proj, att.out_proj, layer.self_attn_layer_norm
        self.cq_proj, self.cout_proj, self.ln2 = x.q_proj, x.out_proj, layer.encoder_attn_layer_norm
        self.fc1, self.act, self.fc2 = layer.fc1, layer.activation_fn, layer.fc2
        self.ln3 = layer.final_layer_norm
        self.heads: int = att.num_heads
        self.head_dim: int = att.head_dim
        self.scaling: float = float(att.scaling)

    def forward(self, h: Tensor, t: int, kv: Tensor, ck: Tensor, cv: Tensor, mask: Tensor, cross_mask: Tensor,
                beams: int) -> Tensor:
        N, H, Dh = h.shape[0], self.heads, self.head_dim
        cap = kv.shape[3]
        qkv = self.qkv_proj(h).view(N, 3, H, Dh)
        kv[:, :, :, t] = qkv[:, 1:].transpose(0, 1)
        q = qkv[:, 0].reshape(N * H, 1, Dh)
        keys, values = kv[0].view(N * H, cap, Dh), kv[1].view(N * H, cap, Dh)
        w = torch.baddbmm(mask, q, keys.transpose(1, 2), alpha=self.scaling).softmax(-1)
        h = self.ln1(h + self.out_proj(torch.bmm(w, values).view(N, H * Dh)))
        B = N // beams
        q = self.cq_proj(h).view(B, beams, H, Dh).transpose(1, 2).reshape(B * H, beams, Dh)  # beams = queries
        w = torch.baddbmm(cross_mask, q, ck, alpha=self.scaling).softmax(-1)
        a = torch.bmm(w, cv).view(B, H, beams, Dh).transpose(1, 2).reshape(N, H * Dh)
        h = self.ln2(h + self.cout_proj(a))
        return self.ln3(h + self.fc2(self.act(self.fc1(h))))


class StepLayers(nn.Module):
    """Embedding and all layers for one position, and the beam reorder (TorchScript-compatible)."""

    def __init__(self, dec: Any):
        super().__init__()
        self.embed = dec.embed_tokens
        self.positions = dec.embed_positions
        self.scale: float = float(dec.embed_scale)
        self.layers = nn.ModuleList([StepLayer(layer) for layer in dec.layers])

    def forward(self, tokens: Tensor, t: int, kv: list[Tensor], ck: list[Tensor], cv: list[Tensor],
                cross_mask: Tensor, beams: int, heads: int) -> Tensor:
        h = self.embed(tokens) * self.scale + self.positions.weight[t]
        cap = kv[0].shape[3]
        ahead = torch.arange(cap, device=h.device) > t
        mask = torch.zeros(cap, dtype=h.dtype, device=h.device).masked_fill_(ahead, float("-inf"))
        mask = mask.expand(tokens.numel() * heads, 1, cap)
        cross = cross_mask.expand(-1, beams, -1)
        i = 0
        for layer in self.layers:
            h = layer(h, t, kv[i], ck[i], cv[i], mask, cross, beams)
            i += 1
        return h

    @torch.jit.export
    def reorder(self, kv: list[Tensor], spare: Tensor, parent: Tensor, n: int) -> tuple[list[Tensor], Tensor]:
        """Gather the first ``n`` positions of every layer's rows by ``parent``, each into the spare buffer
        that then takes the layer's place; returns the new buffers and the new spare (a list passed into
        TorchScript is a copy, so the buffers come back as a result)."""
        out: list[Tensor] = []
        for buf in kv:
            torch.index_select(buf[:, :, :, :n], 1, parent, out=spare[:, :, :, :n])
            out.append(spare)
            spare = buf
        return out, spare


_compiled: weakref.WeakKeyDictionary[Any, nn.Module] = weakref.WeakKeyDictionary()


def step_layers(model: Any) -> nn.Module:
    """The model's :class:`StepLayers`, compiled once per model (see :mod:`torchscript`)."""
    key = model.get_decoder()
    with torchscript.LOCK:
        mod = _compiled.get(key)
        if mod is None:
            mod = _compiled[key] = torchscript.script_or_eager(StepLayers(key).eval())
    return mod


class MarianStep:
    """Decoder state for one batch: ``step`` returns logits of the next token per row."""

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
        the steps (positions) this batch can take. ``proj``/``norm_bias``: as ``projection.project``."""
        dec = model.get_decoder()
        self.model, self.proj, self.norm_bias = model, proj, norm_bias
        self.layers = step_layers(model)
        first = dec.layers[0].self_attn
        self.heads, self.head_dim = first.num_heads, first.head_dim
        self.beams, self.max_len = beams, max_len
        self.positions = dec.embed_positions.weight
        B, S, _ = enc.shape
        H, Dh = self.heads, self.head_dim
        self.ck: list[torch.Tensor] = []  # per layer: keys^T [B*H, Dh, S]
        self.cv: list[torch.Tensor] = []  # per layer: values [B*H, S, Dh]
        for layer in dec.layers:
            k, v = layer.encoder_attn.kv_proj(enc).view(B, S, 2, H, Dh).unbind(2)
            self.ck.append(k.permute(0, 2, 3, 1).reshape(B * H, Dh, S))
            self.cv.append(v.transpose(1, 2).reshape(B * H, S, Dh))
        pad = (enc_mask == 0)[:, None, :].expand(B, H, S).reshape(B * H, 1, S)
        self.cross_mask = torch.zeros(pad.shape, dtype=enc.dtype, device=enc.device)
        self.cross_mask.masked_fill_(pad, float("-inf"))
        release_heap()  # the encoder's temporaries
        self.n_layers = len(dec.layers)
        self.cap, self.t = 0, 0
        self.kv: list[torch.Tensor] = []  # per layer: [2, N, H, cap, Dh] (keys, values)
        self.spare: torch.Tensor | None = None  # one layer's reorder target, swapped with it
        self._grow(B * beams, min(CHUNK, max_len), enc)

    def _grow(self, n: int, cap: int, like: torch.Tensor) -> None:
        self.spare = None
        old = self.kv + [None] * (self.n_layers - len(self.kv))
        self.kv = []
        for k in range(self.n_layers):  # one layer at a time: the old buffer goes as the new one comes
            buf = like.new_empty((2, n, self.heads, cap, self.head_dim))
            if old[k] is not None:
                buf[:, :, :, : self.cap].copy_(old[k])
                old[k] = None
            buf[:, :, :, self.cap :].zero_()  # finite, so the masked positions weigh exactly 0
            self.kv.append(buf)
        self.cap = cap
        release_heap()  # the old buffers' memory back to the OS, or the next growth's comes on top

    def step(self, tokens: torch.Tensor, t: int) -> torch.Tensor:
        """Feed ``tokens`` ``[N]`` (model ids) at position ``t``; logits ``[N, columns]`` (float32)."""
        if t >= self.cap:
            self._grow(tokens.numel(), min(max(self.max_len, t + 1), self.cap + CHUNK), self.positions)
        self.t = t
        h = self.layers(tokens, t, self.kv, self.ck, self.cv, self.cross_mask, self.beams, self.heads)
        return project(self.model, h, self.proj, self.norm_bias)

    def reorder(self, parent: torch.Tensor) -> None:
        """Row ``r`` takes the history of row ``parent[r]``: one gather per layer of the positions written
        so far (measured faster than copying only the moved rows, and than gathering the whole capacity)."""
        if self.spare is None:
            self.spare = torch.zeros_like(self.kv[0])
        self.kv, self.spare = self.layers.reorder(self.kv, self.spare, parent, self.t + 1)

    def keep(self, sentences: torch.Tensor) -> None:
        """Keep only these sentences (indices into the live ones), with their beams."""
        rows = (sentences[:, None] * self.beams + torch.arange(self.beams, device=sentences.device)).flatten()
        self.spare = None
        for k in range(len(self.kv)):  # one layer at a time: the old buffer goes as the new one comes
            self.kv[k] = self.kv[k].index_select(1, rows)
        release_heap()
        heads = torch.arange(self.heads, device=sentences.device)
        heads = (sentences[:, None] * self.heads + heads).flatten()
        self.ck = [k.index_select(0, heads) for k in self.ck]
        self.cv = [v.index_select(0, heads) for v in self.cv]
        self.cross_mask = self.cross_mask.index_select(0, heads)
