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
* the buffers are views of flat stores sized once per batch for its longest output (one per layer and
  one spare; only the pages written become resident): beam reordering gathers the written prefix of each
  layer into the spare's store, and the replaced store becomes the spare for the next layer (one layer
  of extra memory, and only when the caller says the order changed); growing the capacity and retiring
  sentences are the same gather into a wider or shorter layout of the same stores, so a batch allocates
  nothing after its first step (allocating and zeroing new buffers at each growth cost more than the
  gathers, in page faults);
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
    def relayout(self, kv: list[Tensor], dst: list[Tensor], index: Tensor, n: int) -> None:
        """Gather the first ``n`` positions of every layer's rows by ``index`` into ``dst`` (one buffer per
        layer, of any row count and capacity: reorders, retiring sentences and growth are all this)."""
        i = 0
        for buf in kv:
            torch.index_select(buf[:, :, :, :n], 1, index, out=dst[i][:, :, :, :n])
            i += 1


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
        self.rows, self.cap, self.t = B * beams, min(CHUNK, max_len), 0
        # one flat store per layer plus the spare, sized once for the whole batch (only the pages written
        # become resident); ``kv`` are views of them at the current row count and capacity
        self.size = 2 * self.rows * H * max(max_len, 1) * Dh
        self.flat = [enc.new_empty(self.size) for _ in range(self.n_layers + 1)]
        self.finite = 0  # every store holds finite values below this element
        self.slots = list(range(self.n_layers + 1))  # store of each layer, then the spare's
        self.kv: list[torch.Tensor] = self._views(self.rows, self.cap)[: self.n_layers]

    def _views(self, rows: int, cap: int) -> list[torch.Tensor]:
        """Every store (layers in slot order, then the spare) as ``[2, rows, H, cap, Dh]``, after making the
        elements such a view covers finite (zeros where nothing was written yet), so that the positions
        past the step weigh exactly 0 under the mask whatever they held."""
        n = 2 * rows * self.heads * cap * self.head_dim
        if n > self.size:  # the caller went past ``max_len``: bigger stores, the live prefix copied over
            old = [self.flat[k][: self.finite] for k in range(len(self.flat))]
            self.size = n
            self.flat = [torch.zeros(n, dtype=o.dtype, device=o.device) for o in old]
            for new, o in zip(self.flat, old, strict=True):
                new[: o.numel()].copy_(o)
            self.finite = n
        if n > self.finite:
            for f in self.flat:
                f[self.finite : n].zero_()
            self.finite = n
        return [self.flat[k][:n].view(2, rows, self.heads, cap, self.head_dim) for k in self.slots]

    def _relayout(self, index: torch.Tensor | None, rows: int, cap: int, n: int) -> None:
        """Rows ``index`` (None: all, in order) of the first ``n`` positions into the layout ``rows`` x
        ``cap``: layer ``k`` is gathered into the spare's store, layer ``k + 1`` into layer ``k``'s, and the
        last layer's store becomes the spare (one layer of extra memory, no allocation)."""
        views = self._views(rows, cap)
        dst = [views[-1]] + views[: self.n_layers - 1]
        if index is None:
            index = torch.arange(self.rows, device=dst[0].device)
        self.layers.relayout(self.kv, dst, index, n)
        self.slots = [self.slots[-1]] + self.slots[:-1]
        if (rows, cap) != (self.rows, self.cap):
            release_heap()  # a few times a batch: freed temporaries (all threads') back to the OS
        self.kv, self.rows, self.cap = dst, rows, cap

    def _next_cap(self, t: int) -> int:
        """The capacity once position ``t`` needs a place (grown by ``CHUNK``)."""
        return self.cap if t < self.cap else min(max(self.max_len, t + 1), self.cap + CHUNK)

    def step(self, tokens: torch.Tensor, t: int) -> torch.Tensor:
        """Feed ``tokens`` ``[N]`` (model ids) at position ``t``; logits ``[N, columns]`` (float32)."""
        if t >= self.cap:  # no reorder grew it: copy the written positions into the wider layout
            self._relayout(None, self.rows, self._next_cap(t), t)
        self.t = t
        h = self.layers(tokens, t, self.kv, self.ck, self.cv, self.cross_mask, self.beams, self.heads)
        return project(self.model, h, self.proj, self.norm_bias)

    def reorder(self, parent: torch.Tensor) -> None:
        """Row ``r`` takes the history of row ``parent[r]``: one gather per layer of the positions written
        so far (measured faster than copying only the moved rows, and than gathering the whole capacity),
        straight into the wider layout when the next step needs one."""
        self._relayout(parent, self.rows, self._next_cap(self.t + 1), self.t + 1)

    def keep(self, sentences: torch.Tensor) -> None:
        """Keep only these sentences (indices into the live ones), with their beams."""
        rows = (sentences[:, None] * self.beams + torch.arange(self.beams, device=sentences.device)).flatten()
        self._relayout(rows, rows.numel(), self.cap, self.t + 1)
        heads = torch.arange(self.heads, device=sentences.device)
        heads = (sentences[:, None] * self.heads + heads).flatten()
        self.ck = [k.index_select(0, heads) for k in self.ck]
        self.cv = [v.index_select(0, heads) for v in self.cv]
        self.cross_mask = self.cross_mask.index_select(0, heads)
