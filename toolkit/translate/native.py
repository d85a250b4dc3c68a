"""A MarianMT model for inference without transformers, read straight from ``*.safetensors``.

:func:`load_marian` builds :class:`NativeMarian`: the same numbers as transformers' ``MarianMTModel``
(post-norm layers, scaled token embeddings, sinusoidal positions, encoder padding mask, tied or separate
embeddings) with a smaller footprint, for the engine and :mod:`marian_step`:

* the encoder's self-attention and the decoder's self-attention use one fused linear ``qkv_proj``
  (``[3*d, d]``: rows ``0:d`` are the queries, ``d:2d`` the keys, ``2d:3d`` the values, each block head
  after head as in transformers' ``q_proj``/``k_proj``/``v_proj``); the cross-attention keeps ``q_proj``
  and fuses its keys and values into ``kv_proj`` (``[2*d, d]``: keys, then values). There are no separate
  self-attention q/k/v or cross-attention k/v linears;
* ``int8=True``: every linear is a dynamically quantized int8 linear with one weight scale per output
  channel, and the token embedding is int8 with one fp32 scale per row. Each tensor is read, quantized
  and dropped in turn (the embedding in row blocks), so the fp32 weights never sit in memory together;
  the per-row embedding scales are exactly per-channel scales of the tied output projection, which
  :meth:`NativeMarian.output_projection` packs straight from the int8 rows.

The weights file is opened anew for every read and each read is copied out of the mapping, so no page
of the file stays mapped (resident) once the model is loaded. Bad folders raise ``ModelError``.
Imported by the engine at load time only (never at CLI start-up).
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ..errors import ModelError

EMBED_BLOCK = 4096  # embedding rows read (and quantized) at a time

ACTIVATIONS = {
    "swish": nn.SiLU,
    "silu": nn.SiLU,
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "gelu_new": lambda: nn.GELU(approximate="tanh"),
}

# config.json options transformers' Marian ignores or that opus-mt models never change: only these values
# describe the model computed here (post-norm, no embedding LayerNorm, sinusoidal positions, no logit bias
# layer); any other value is refused rather than silently computed wrong.
FIXED_OPTIONS: dict[str, Any] = {
    "normalize_before": False,
    "normalize_embedding": False,
    "layernorm_embedding": False,
    "add_final_layer_norm": False,
    "add_bias_logits": False,
    "static_position_embeddings": True,
    "is_encoder_decoder": True,
    "is_decoder": False,
}
ARCHITECTURES = {"MarianMTModel", "MarianModel"}
STORED_DTYPES = {"F32", "F16", "BF16", "F64"}


@dataclass(frozen=True)
class NativeConfig:
    """The config.json fields the model uses; defaults are transformers' ``MarianConfig`` defaults."""

    vocab_size: int = 58101
    decoder_vocab_size: int | None = None
    d_model: int = 1024
    encoder_layers: int = 12
    decoder_layers: int = 12
    encoder_attention_heads: int = 16
    decoder_attention_heads: int = 16
    encoder_ffn_dim: int = 4096
    decoder_ffn_dim: int = 4096
    max_position_embeddings: int = 1024
    activation_function: str = "gelu"
    scale_embedding: bool = False
    pad_token_id: int | None = 58100
    eos_token_id: int | list[int] | None = 0
    bos_token_id: int | None = None
    forced_eos_token_id: int | list[int] | None = 0
    decoder_start_token_id: int = 58100
    share_encoder_decoder_embeddings: bool = True
    tie_word_embeddings: bool = True
    is_encoder_decoder: bool = True

    @property
    def target_vocab_size(self) -> int:
        """Rows of the decoder embedding, the output projection and ``final_logits_bias``."""
        return self.vocab_size if self.share_encoder_decoder_embeddings else int(self.decoder_vocab_size or 0)


@dataclass
class ModelOutput:
    last_hidden_state: torch.Tensor


# -- config ---------------------------------------------------------------------------------------------
def read_config(folder: Path) -> NativeConfig:
    """Parse and check ``folder/config.json``; ModelError (one line) for anything not supported."""
    path = folder / "config.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no config.json in {folder}") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise ModelError(f"cannot read {path}: {type(e).__name__}: {e}".replace("\n", " ")) from None
    if not isinstance(raw, dict):
        raise ModelError(f"{path} is not a JSON object")
    if raw.get("model_type", "marian") != "marian":
        raise ModelError(f"{path}: model_type {raw['model_type']!r} is not supported (marian only)")
    arch = raw.get("architectures") or []
    if not isinstance(arch, list) or not set(arch) <= ARCHITECTURES:
        raise ModelError(f"{path}: architectures {arch!r} are not supported (MarianMTModel only)")
    for key, value in FIXED_OPTIONS.items():
        if key in raw and raw[key] != value:
            raise ModelError(f"{path}: {key}={raw[key]!r} is not supported (only {value!r})")
    if raw.get("quantization_config"):
        raise ModelError(f"{path}: quantization_config is not supported (use an fp32/fp16 checkpoint)")

    default = NativeConfig()
    fields: dict[str, Any] = {}

    def size(key: str) -> int:
        v = raw.get(key, getattr(default, key))
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise ModelError(f"{path}: {key} must be a positive integer, got {v!r}")
        fields[key] = v
        return v

    def flag(key: str) -> None:
        v = raw.get(key, getattr(default, key))
        if not isinstance(v, bool):
            raise ModelError(f"{path}: {key} must be true or false, got {v!r}")
        fields[key] = v

    for key in ("vocab_size", "d_model", "encoder_layers", "decoder_layers", "encoder_attention_heads",
                "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim", "max_position_embeddings"):
        size(key)
    for key in ("scale_embedding", "share_encoder_decoder_embeddings", "tie_word_embeddings"):
        flag(key)
    if raw.get("decoder_vocab_size") is None:  # MarianConfig: decoder_vocab_size or vocab_size
        fields["decoder_vocab_size"] = fields["vocab_size"]
    else:
        size("decoder_vocab_size")
    if fields["share_encoder_decoder_embeddings"] and fields["decoder_vocab_size"] != fields["vocab_size"]:
        raise ModelError(f"{path}: shared embeddings need decoder_vocab_size == vocab_size")
    for heads in ("encoder_attention_heads", "decoder_attention_heads"):
        if fields["d_model"] % fields[heads]:
            raise ModelError(f"{path}: d_model {fields['d_model']} is not divisible by {heads}")
    act = raw.get("activation_function", default.activation_function)
    if act not in ACTIVATIONS:
        raise ModelError(f"{path}: activation_function {act!r} is not supported ({', '.join(ACTIVATIONS)})")
    fields["activation_function"] = act

    shared = fields["share_encoder_decoder_embeddings"]
    target = fields["vocab_size"] if shared else fields["decoder_vocab_size"]
    lists = ("eos_token_id", "forced_eos_token_id")
    for key in ("pad_token_id", "decoder_start_token_id", "bos_token_id", *lists):
        v = raw.get(key, getattr(default, key))
        ids = v if isinstance(v, list) and key in lists else [v]
        ok = all(i is None or (type(i) is int and 0 <= i < target) for i in ids)
        if not ok or (key == "decoder_start_token_id" and v is None):
            raise ModelError(f"{path}: {key} must be a token id below {target}, got {v!r}")
        fields[key] = v
    return NativeConfig(**fields)


# -- weights --------------------------------------------------------------------------------------------
class Checkpoint:
    """The tensors of a model folder's safetensors file(s), read one at a time as fp32 copies."""

    def __init__(self, folder: Path):
        from safetensors import safe_open

        self._open = safe_open
        self.folder = folder
        files = self._files(folder)
        self.file: dict[str, Path] = {}
        self.shape: dict[str, tuple[int, ...]] = {}
        for f in files:
            with self._handle(f, "") as h:
                for key in h.keys():
                    if key in self.file:
                        raise ModelError(f"cannot load model from {folder}: tensor {key} is in two files")
                    sl = h.get_slice(key)
                    if sl.get_dtype() not in STORED_DTYPES:
                        raise ModelError(f"cannot load model from {folder}: {key} is {sl.get_dtype()}, "
                                         "not a float type")
                    self.file[key] = f
                    self.shape[key] = tuple(sl.get_shape())
        # a base-model checkpoint (MarianModel) has no "model." prefix; transformers adds it
        bare = not any(k.startswith("model.") for k in self.file)
        base = bare and any(k.startswith(("encoder.", "decoder.", "shared.")) for k in self.file)
        self.prefix = "" if base else "model."
        self.used: set[str] = set()

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        index = folder / "model.safetensors.index.json"
        if index.exists():
            try:
                names = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
                raise ModelError(f"cannot read {index}: {type(e).__name__}: {e}") from None
            return [folder / n for n in names]
        single = folder / "model.safetensors"
        files = [single] if single.exists() else sorted(folder.glob("*.safetensors"))
        if not files:
            raise ModelError(f"no .safetensors weights in {folder}")
        return files

    @contextmanager
    def _handle(self, path: Path, key: str) -> Iterator[Any]:
        try:
            with self._open(str(path), framework="pt") as h:
                yield h
        except ModelError:
            raise
        except Exception as e:  # noqa: BLE001 - safetensors raises its own error types; all are one model error
            what = f"tensor {key} of {path}" if key else str(path)
            raise ModelError(f"cannot read {what}: {type(e).__name__}: {e}".replace("\n", " ")) from None

    def name(self, key: str) -> str:
        """The stored name of a base-model tensor ``key`` (``encoder.layers.0...``)."""
        return self.prefix + key

    def has(self, name: str) -> bool:
        return name in self.file

    def check(self, name: str, shape: tuple[int, ...]) -> None:
        if name not in self.file:
            raise ModelError(f"cannot load model from {self.folder}: tensor {name} is missing")
        if self.shape[name] != shape:
            raise ModelError(f"cannot load model from {self.folder}: tensor {name} has shape "
                             f"{list(self.shape[name])}, expected {list(shape)}")

    def read(self, name: str, shape: tuple[int, ...], rows: tuple[int, int] | None = None) -> torch.Tensor:
        """``name`` (rows ``a:b`` of it) as an fp32 tensor that owns its memory (no mapped page kept)."""
        self.check(name, shape)
        self.used.add(name)
        with self._handle(self.file[name], name) as h:
            t = h.get_tensor(name) if rows is None else h.get_slice(name)[rows[0] : rows[1]]
            out = t.to(torch.float32, copy=True)
            del t
        return out

    def same(self, a: str, b: str) -> bool:
        """Whether two stored tensors hold the same values (compared in row blocks)."""
        if self.shape[a] != self.shape[b]:
            return False
        n = self.shape[a][0]
        return all(
            torch.equal(self.read(a, self.shape[a], (i, min(n, i + EMBED_BLOCK))),
                        self.read(b, self.shape[b], (i, min(n, i + EMBED_BLOCK))))
            for i in range(0, n, EMBED_BLOCK)
        )


# -- int8 -----------------------------------------------------------------------------------------------
@contextmanager
def _quiet_quantized() -> Iterator[None]:
    """torch warns that quantized tensor creation is deprecated; the dynamic int8 linears need it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*quantize.*deprecated", category=UserWarning)
        yield


def row_scales(w: torch.Tensor) -> torch.Tensor:
    """Symmetric int8 scale per row: ``max |w[i]| / 127`` (1 for an all-zero row)."""
    amax = torch.linalg.vector_norm(w, ord=float("inf"), dim=1)  # no |w| temporary
    return torch.where(amax > 0, amax / 127.0, torch.ones_like(amax))


def round_rows_(w: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """``round(w / scale)`` in [-127, 127], in place (``w`` is consumed)."""
    return w.div_(scale[:, None]).round_().clamp_(-127, 127)


def empty_int8_weight(scale: torch.Tensor, in_f: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A per-channel qint8 weight ``[len(scale), in_f]`` and a plain int8 view of its values, to be
    filled in place (no int8 copy made by ``_make_per_channel_quantized_tensor``)."""
    out_f = scale.numel()
    with _quiet_quantized():
        qw = torch._empty_per_channel_affine_quantized(
            (out_f, in_f), scales=scale.to(torch.float64), zero_points=torch.zeros(out_f, dtype=torch.long),
            axis=0, dtype=torch.qint8,
        )
    view = torch.empty(0, dtype=torch.int8).set_(qw.untyped_storage(), 0, (out_f, in_f))
    return qw, view


def packed_linear(qw: torch.Tensor, bias: torch.Tensor | None) -> nn.Module:
    """A dynamically quantized linear (fbgemm) packing the per-channel qint8 weight ``qw``."""
    dq = torch.ao.nn.quantized.dynamic.Linear
    with _quiet_quantized():
        lin = dq(1, 1, dtype=torch.qint8)  # no [out, in] placeholder weight: packed below
        lin.set_weight_bias(qw, bias)
    lin.out_features, lin.in_features = qw.shape
    return lin


def int8_linear(q: torch.Tensor, scale: torch.Tensor, bias: torch.Tensor | None) -> nn.Module:
    """A dynamically quantized linear from int8 rows ``q [out, in]`` (or their integral float values) and
    per-row scales."""
    qw, view = empty_int8_weight(scale, q.shape[1])
    view.copy_(q)
    del view
    return packed_linear(qw, bias)


def make_linear(weight: torch.Tensor, bias: torch.Tensor | None, int8: bool) -> nn.Module:
    """fp32 ``nn.Linear`` over these tensors (no copy), or its per-channel int8 counterpart (``weight`` is
    then consumed: rounded in place)."""
    if int8:
        scale = row_scales(weight)
        return int8_linear(round_rows_(weight, scale), scale, bias)
    lin = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, device="meta")
    lin.weight = weight if isinstance(weight, nn.Parameter) else nn.Parameter(weight, requires_grad=False)
    if bias is not None:
        lin.bias = nn.Parameter(bias, requires_grad=False)
    return lin


def release_heap() -> None:
    """Hand freed heap memory back to the OS (glibc ``malloc_trim``): loading frees many weight-sized
    temporaries that glibc would otherwise keep resident. A no-op where there is no glibc."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class Int8Embedding(nn.Module):
    """Token embedding stored as int8 rows with one fp32 scale per row."""

    def __init__(self, weight: torch.Tensor, scale: torch.Tensor):
        super().__init__()
        self.register_buffer("weight", weight)
        self.register_buffer("scale", scale)
        self.num_embeddings, self.embedding_dim = weight.shape

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.weight[ids].float() * self.scale[ids].unsqueeze(-1)


def sinusoidal_positions(n_pos: int, dim: int) -> torch.Tensor:
    """transformers' ``MarianSinusoidalPositionalEmbedding.create_weight``, bit for bit (sines in the first
    half, cosines in the second; the same float64 numpy arithmetic, vectorised)."""
    import numpy as np

    denom = np.array([np.power(10000, 2 * (j // 2) / dim) for j in range(dim)])
    position_enc = np.arange(n_pos, dtype=np.float64)[:, None] / denom[None, :]
    out = torch.empty(n_pos, dim, dtype=torch.float32)
    sentinel = dim // 2 if dim % 2 == 0 else (dim // 2) + 1
    out[:, 0:sentinel] = torch.FloatTensor(np.sin(position_enc[:, 0::2]))
    out[:, sentinel:] = torch.FloatTensor(np.cos(position_enc[:, 1::2]))
    return out


class Positions(nn.Module):
    """Fixed position embeddings ``weight [max_positions, d]``."""

    def __init__(self, weight: torch.Tensor):
        super().__init__()
        self.register_buffer("weight", weight)

    def forward(self, n: int, start: int = 0) -> torch.Tensor:
        return self.weight[start : start + n]


# -- layers ---------------------------------------------------------------------------------------------
def _heads(x: torch.Tensor, parts: int, heads: int) -> torch.Tensor:
    """``[B, T, parts*d]`` -> ``[parts, B, heads, T, head_dim]``."""
    B, T, _ = x.shape
    return x.view(B, T, parts, heads, -1).permute(2, 0, 3, 1, 4)


class SelfAttention(nn.Module):
    """Self-attention with one fused ``qkv_proj`` (rows: queries, keys, values) and ``out_proj``."""

    def __init__(self, qkv_proj: nn.Module, out_proj: nn.Module, d_model: int, heads: int):
        super().__init__()
        self.qkv_proj, self.out_proj = qkv_proj, out_proj
        self.num_heads, self.head_dim = heads, d_model // heads
        self.scaling = self.head_dim**-0.5

    def forward(self, h: torch.Tensor, mask: torch.Tensor | None = None, causal: bool = False
                ) -> torch.Tensor:
        B, T, d = h.shape
        q, k, v = _heads(self.qkv_proj(h), 3, self.num_heads)
        a = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal,
                                                       scale=self.scaling)
        return self.out_proj(a.transpose(1, 2).reshape(B, T, d))


class CrossAttention(nn.Module):
    """Encoder-decoder attention: ``q_proj`` on the decoder states, fused ``kv_proj`` (keys, then values)
    on the encoder states."""

    def __init__(self, q_proj: nn.Module, kv_proj: nn.Module, out_proj: nn.Module, d_model: int, heads: int):
        super().__init__()
        self.q_proj, self.kv_proj, self.out_proj = q_proj, kv_proj, out_proj
        self.num_heads, self.head_dim = heads, d_model // heads
        self.scaling = self.head_dim**-0.5

    def forward(self, h: torch.Tensor, enc: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        B, T, d = h.shape
        (q,) = _heads(self.q_proj(h), 1, self.num_heads)
        k, v = _heads(self.kv_proj(enc), 2, self.num_heads)
        a = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=self.scaling)
        return self.out_proj(a.transpose(1, 2).reshape(B, T, d))


class EncoderLayer(nn.Module):
    """Post-norm: ``h = LN(h + attn(h))``, ``h = LN(h + fc2(act(fc1(h))))``."""

    def __init__(self, self_attn: SelfAttention, fc1: nn.Module, fc2: nn.Module, act: str, d: int):
        super().__init__()
        self.self_attn, self.fc1, self.fc2 = self_attn, fc1, fc2
        self.activation_fn = ACTIVATIONS[act]()
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, h: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        h = self.self_attn_layer_norm(h + self.self_attn(h, mask))
        return self.final_layer_norm(h + self.fc2(self.activation_fn(self.fc1(h))))


class DecoderLayer(nn.Module):
    """Post-norm: self-attention, cross-attention, FFN, each followed by residual + LayerNorm."""

    def __init__(self, self_attn: SelfAttention, encoder_attn: CrossAttention, fc1: nn.Module, fc2: nn.Module,
                 act: str, d: int):
        super().__init__()
        self.self_attn, self.encoder_attn, self.fc1, self.fc2 = self_attn, encoder_attn, fc1, fc2
        self.activation_fn = ACTIVATIONS[act]()
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, h: torch.Tensor, enc: torch.Tensor, enc_mask: torch.Tensor | None) -> torch.Tensor:
        h = self.self_attn_layer_norm(h + self.self_attn(h, causal=h.shape[1] > 1))
        h = self.encoder_attn_layer_norm(h + self.encoder_attn(h, enc, enc_mask))
        return self.final_layer_norm(h + self.fc2(self.activation_fn(self.fc1(h))))


def padding_mask(attention_mask: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor | None:
    """``[B, S]`` (1 = token) -> additive ``[B, 1, 1, S]`` (0 or the dtype's minimum, as transformers)."""
    if attention_mask is None:
        return None
    mask = torch.zeros(attention_mask.shape, dtype=dtype, device=attention_mask.device)
    mask.masked_fill_(attention_mask == 0, torch.finfo(dtype).min)
    return mask[:, None, None, :]


class Encoder(nn.Module):
    """Callable as ``enc(input_ids=..., attention_mask=...)``; returns ``.last_hidden_state``."""

    def __init__(self, embed_tokens: nn.Module, embed_positions: Positions, embed_scale: float,
                 layers: list[EncoderLayer]):
        super().__init__()
        self.embed_tokens, self.embed_positions, self.embed_scale = embed_tokens, embed_positions, embed_scale
        self.layers = nn.ModuleList(layers)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> ModelOutput:
        h = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(input_ids.shape[1])
        mask = padding_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, mask)
        return ModelOutput(h)


class Decoder(nn.Module):
    """The decoder's modules (used step by step by :mod:`marian_step`); ``forward`` runs a whole prefix."""

    def __init__(self, embed_tokens: nn.Module, embed_positions: Positions, embed_scale: float,
                 layers: list[DecoderLayer]):
        super().__init__()
        self.embed_tokens, self.embed_positions, self.embed_scale = embed_tokens, embed_positions, embed_scale
        self.layers = nn.ModuleList(layers)

    def forward(self, input_ids: torch.Tensor, encoder_hidden_states: torch.Tensor,
                encoder_attention_mask: torch.Tensor | None = None) -> ModelOutput:
        h = self.embed_tokens(input_ids) * self.embed_scale + self.embed_positions(input_ids.shape[1])
        mask = padding_mask(encoder_attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(h, encoder_hidden_states, mask)
        return ModelOutput(h)


class LazyInt8Head(nn.Module):
    """The full int8 output projection (no bias), packed from the int8 embedding on first use."""

    def __init__(self, embed: Int8Embedding):
        super().__init__()
        self.embed = [embed]  # a list: not a second registration of the embedding's buffers
        self.in_features, self.out_features = embed.embedding_dim, embed.num_embeddings
        self._packed: nn.Module | None = None

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        if self._packed is None:
            self._packed = int8_linear(self.embed[0].weight, self.embed[0].scale, None)
            release_heap()
        return self._packed(h)


class NativeMarian(nn.Module):
    """MarianMT for inference (eval mode, no grad). Build with :func:`load_marian`.

    ``encoder``/``decoder``: see :class:`Encoder`, :class:`Decoder` (fused ``qkv_proj``/``kv_proj``, see
    the module docstring). ``lm_head``: hidden ``[N, d]`` -> logits ``[N, V]`` without bias (fp32: an
    ``nn.Linear`` sharing the embedding's weight; int8: packed on first use). ``final_logits_bias``:
    ``[1, V]``. ``out_embed``: the embedding whose rows are the output projection."""

    def __init__(self, config: NativeConfig, encoder: Encoder, decoder: Decoder, out_embed: nn.Module,
                 final_logits_bias: torch.Tensor, int8: bool):
        super().__init__()
        self.config, self.int8 = config, int8
        self.encoder, self.decoder, self.out_embed = encoder, decoder, out_embed
        self.register_buffer("final_logits_bias", final_logits_bias)
        if int8:
            self.lm_head: nn.Module = LazyInt8Head(out_embed)
        else:
            self.lm_head = make_linear(out_embed.weight, None, False)
        self.eval().requires_grad_(False)

    def get_encoder(self) -> Encoder:
        return self.encoder

    def get_decoder(self) -> Decoder:
        return self.decoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None,
                decoder_input_ids: torch.Tensor) -> torch.Tensor:
        """Logits ``[B, T, V]`` for a whole decoder prefix (tests, checks)."""
        enc = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        h = self.decoder(decoder_input_ids, enc, attention_mask).last_hidden_state
        return self.lm_head(h) + self.final_logits_bias

    def output_projection(self, ids: torch.Tensor | None, *, int8: bool) -> nn.Module:
        """``h -> lm_head(h)[:, ids] + final_logits_bias[0, ids]`` as one linear (``ids`` in any order;
        None: all).

        int8 on an int8 model packs the selected int8 rows with their row scales as per-channel weight
        scales (no fp32 copy of the rows); int8 on an fp32 model quantizes the selected rows; fp32 on an
        int8 model dequantizes them. fp32 with ``ids=None`` shares the embedding weight."""
        emb = self.out_embed
        bias = self.final_logits_bias.reshape(-1)
        if ids is not None:
            ids = ids.to(device=bias.device, dtype=torch.long)
            bias = bias.index_select(0, ids)
        if isinstance(emb, Int8Embedding):
            scale = emb.scale if ids is None else emb.scale.index_select(0, ids)
            if not int8:
                q = emb.weight if ids is None else emb.weight.index_select(0, ids)
                return make_linear(q.float() * scale[:, None], bias.clone(), False).eval()
            qw, view = empty_int8_weight(scale, emb.embedding_dim)
            if ids is None:
                view.copy_(emb.weight)
            else:
                torch.index_select(emb.weight, 0, ids, out=view)  # the int8 rows, straight into place
            del view
            lin = packed_linear(qw, bias.clone())
            del qw
            release_heap()
            return lin
        if int8:
            w = emb.weight.detach().clone() if ids is None else emb.weight.detach().index_select(0, ids)
            return make_linear(w, bias.clone(), True)
        w = emb.weight if ids is None else emb.weight.detach().index_select(0, ids)
        return make_linear(w, bias if ids is not None else bias.clone(), False).eval()


# -- loading --------------------------------------------------------------------------------------------
class _Builder:
    """Reads, checks and (optionally) quantizes the tensors of one checkpoint into modules."""

    def __init__(self, ck: Checkpoint, cfg: NativeConfig, int8: bool):
        self.ck, self.cfg, self.int8 = ck, cfg, int8
        self.d = cfg.d_model

    def tensor(self, key: str, shape: tuple[int, ...]) -> torch.Tensor:
        return self.ck.read(self.ck.name(key), shape)

    def linear(self, keys: list[str], in_f: int, out_each: int) -> nn.Module:
        """One linear from the stacked ``keys`` (each ``[out_each, in_f]`` with a bias)."""
        n = len(keys)
        for k in keys:  # all present and well-shaped before anything is read
            self.ck.check(self.ck.name(f"{k}.weight"), (out_each, in_f))
            self.ck.check(self.ck.name(f"{k}.bias"), (out_each,))
        w = torch.empty(n * out_each, in_f)
        b = torch.empty(n * out_each)
        for i, k in enumerate(keys):
            w[i * out_each : (i + 1) * out_each] = self.tensor(f"{k}.weight", (out_each, in_f))
            b[i * out_each : (i + 1) * out_each] = self.tensor(f"{k}.bias", (out_each,))
        return make_linear(w, b, self.int8)

    def layer_norm(self, module: nn.LayerNorm, key: str) -> None:
        with torch.no_grad():
            module.weight.copy_(self.tensor(f"{key}.weight", (self.d,)))
            module.bias.copy_(self.tensor(f"{key}.bias", (self.d,)))

    def embedding(self, name: str, rows: int) -> nn.Module:
        shape = (rows, self.d)
        self.ck.check(name, shape)
        if not self.int8:
            return _embedding(self.ck.read(name, shape))
        q = torch.empty(shape, dtype=torch.int8)
        scale = torch.empty(rows)
        for a in range(0, rows, EMBED_BLOCK):
            b = min(rows, a + EMBED_BLOCK)
            w = self.ck.read(name, shape, (a, b))
            scale[a:b] = row_scales(w)
            q[a:b] = round_rows_(w, scale[a:b])
        return Int8Embedding(q, scale)

    def positions(self, key: str) -> Positions:
        name = self.ck.name(key)
        shape = (self.cfg.max_position_embeddings, self.d)
        if self.ck.has(name):
            return Positions(self.ck.read(name, shape))
        return Positions(sinusoidal_positions(*shape))

    def attention(self, prefix: str, heads: int) -> SelfAttention:
        d = self.d
        qkv = self.linear([f"{prefix}.{p}_proj" for p in "qkv"], d, d)
        return SelfAttention(qkv, self.linear([f"{prefix}.out_proj"], d, d), d, heads)

    def cross_attention(self, prefix: str, heads: int) -> CrossAttention:
        d = self.d
        q = self.linear([f"{prefix}.q_proj"], d, d)
        kv = self.linear([f"{prefix}.k_proj", f"{prefix}.v_proj"], d, d)
        return CrossAttention(q, kv, self.linear([f"{prefix}.out_proj"], d, d), d, heads)

    def ffn(self, prefix: str, dim: int) -> tuple[nn.Module, nn.Module]:
        return self.linear([f"{prefix}.fc1"], self.d, dim), self.linear([f"{prefix}.fc2"], dim, self.d)

    def encoder_layer(self, i: int) -> EncoderLayer:
        release_heap()  # the previous layer's fp32 temporaries
        c, p = self.cfg, f"encoder.layers.{i}"
        att = self.attention(f"{p}.self_attn", c.encoder_attention_heads)
        layer = EncoderLayer(att, *self.ffn(p, c.encoder_ffn_dim), c.activation_function, self.d)
        self.layer_norm(layer.self_attn_layer_norm, f"{p}.self_attn_layer_norm")
        self.layer_norm(layer.final_layer_norm, f"{p}.final_layer_norm")
        return layer

    def decoder_layer(self, i: int) -> DecoderLayer:
        release_heap()
        c, p = self.cfg, f"decoder.layers.{i}"
        att = self.attention(f"{p}.self_attn", c.decoder_attention_heads)
        cross = self.cross_attention(f"{p}.encoder_attn", c.decoder_attention_heads)
        layer = DecoderLayer(att, cross, *self.ffn(p, c.decoder_ffn_dim), c.activation_function, self.d)
        for norm in ("self_attn_layer_norm", "encoder_attn_layer_norm", "final_layer_norm"):
            self.layer_norm(getattr(layer, norm), f"{p}.{norm}")
        return layer


def _embedding(weight: torch.Tensor) -> nn.Embedding:
    emb = nn.Embedding(weight.shape[0], weight.shape[1], device="meta")
    emb.weight = nn.Parameter(weight, requires_grad=False)
    return emb


def embedding_sources(ck: Checkpoint, cfg: NativeConfig) -> tuple[str, str, str]:
    """The stored tensors holding the encoder embedding, the decoder embedding and the output projection,
    resolved as transformers ties them on load: with ``tie_word_embeddings`` a tied tensor that is not
    stored takes the group's source (``shared``, or the first stored of lm_head, decoder, encoder, as
    transformers swaps a missing source with a stored target); a stored one keeps its own values.
    Without ``tie_word_embeddings`` nothing is tied and all three must be stored."""
    enc, dec = ck.name("encoder.embed_tokens.weight"), ck.name("decoder.embed_tokens.weight")
    shared, head = ck.name("shared.weight"), "lm_head.weight"
    if not cfg.tie_word_embeddings:
        return enc, dec, head
    group = [shared, head, dec, enc] if cfg.share_encoder_decoder_embeddings else [dec, head]
    stored = [n for n in group if ck.has(n)]
    if not stored:
        raise ModelError(f"cannot load model from {ck.folder}: no token embedding in the weights "
                         f"(expected {group[0]})")
    fallback = stored[0]
    pick = {n: (n if ck.has(n) else fallback) for n in group}
    return (pick[enc] if cfg.share_encoder_decoder_embeddings else enc), pick[dec], pick[head]


def load_marian(folder: Path, *, int8: bool = False, device: str = "cpu") -> NativeMarian:
    """Load a MarianMT folder (config.json + safetensors) as a :class:`NativeMarian` on ``device``.

    ``int8``: per-channel int8 linears and an int8 embedding (CPU only). ModelError for a bad folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(f"model folder {folder} does not exist")
    if int8 and device != "cpu":
        raise ModelError("int8 quantization is for the CPU")
    cfg = read_config(folder)
    ck = Checkpoint(folder)
    b = _Builder(ck, cfg, int8)
    with torch.no_grad():
        enc_name, dec_name, head_name = embedding_sources(ck, cfg)
        V, Vt = cfg.vocab_size, cfg.target_vocab_size
        names = {enc_name: V, dec_name: Vt, head_name: Vt}
        for n, rows in names.items():  # every embedding present and well-shaped before any is read
            ck.check(n, (rows, cfg.d_model))
        loaded: dict[str, nn.Module] = {}
        for n, rows in names.items():
            same = next((m for k, m in loaded.items() if ck.same(k, n)), None)  # tied copies: load once
            loaded[n] = same if same is not None else b.embedding(n, rows)
        scale = math.sqrt(cfg.d_model) if cfg.scale_embedding else 1.0
        enc_pos = b.positions("encoder.embed_positions.weight")
        dec_pos = b.positions("decoder.embed_positions.weight")
        if torch.equal(enc_pos.weight, dec_pos.weight):
            dec_pos = enc_pos
        enc_layers = [b.encoder_layer(i) for i in range(cfg.encoder_layers)]
        encoder = Encoder(loaded[enc_name], enc_pos, scale, enc_layers)
        dec_layers = [b.decoder_layer(i) for i in range(cfg.decoder_layers)]
        decoder = Decoder(loaded[dec_name], dec_pos, scale, dec_layers)
        if ck.has("final_logits_bias"):
            bias = ck.read("final_logits_bias", (1, Vt))
        else:
            bias = torch.zeros(1, Vt)
        model = NativeMarian(cfg, encoder, decoder, loaded[head_name], bias, int8)
    release_heap()
    unused = sorted(set(ck.file) - ck.used - {ck.name("shared.weight")})  # shared: unused unless a source
    if unused:
        more = f" (+{len(unused) - 1} more)" if len(unused) > 1 else ""
        raise ModelError(f"cannot load model from {folder}: unexpected tensor {unused[0]}{more} "
                         "(a layout this loader does not support)")
    return model.to(device) if device != "cpu" else model

