"""The transformers-free MarianMT model (toolkit.translate.native) against transformers' own: encoder
states and decoder log-probs over several incremental steps (fp32 within 1e-4), every way the embeddings
can be stored, the int8 model's closeness, restricted output projections, and bad folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from random_marian import TC_BIG, random_marian

from toolkit.errors import ModelError
from toolkit.translate.native import NativeMarian, load_marian, sinusoidal_positions

TOL = 1e-4
INT8_LOGPROB_TOL = 0.05  # max |log-prob difference| int8 vs fp32 on the random model (seen: 0.007-0.008)


def _marian(**kw):
    """A random MarianMTModel with opus-mt-zh-en's layout at a small width, with a stored, non-zero bias."""
    return random_marian(nonzero_bias=True, **kw)


def _save(model, folder: Path) -> Path:
    model.save_pretrained(folder, safe_serialization=True)
    return folder


def _hf(folder: Path):
    from transformers import MarianMTModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return MarianMTModel.from_pretrained(str(folder)).eval()


@pytest.fixture(scope="module")
def full_dir(tmp_path_factory) -> Path:
    return _save(_marian(), tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="module")
def full_fp32(full_dir) -> NativeMarian:
    return load_marian(full_dir)


@pytest.fixture(scope="module")
def full_int8(full_dir) -> NativeMarian:
    return load_marian(full_dir, int8=True)


def _batch(cfg, seed: int = 0, lengths=(9, 5, 7), steps: int = 6):
    """Sources with padding (one row per length, ending in EOS) and decoder prefixes from the start token."""
    g = torch.Generator().manual_seed(seed)
    V, S = cfg.vocab_size, max(lengths)
    src = torch.full((len(lengths), S), cfg.pad_token_id, dtype=torch.long)
    mask = torch.zeros(len(lengths), S, dtype=torch.long)
    for b, n in enumerate(lengths):
        src[b, : n - 1] = torch.randint(2, V - 1, (n - 1,), generator=g)
        src[b, n - 1] = cfg.eos_token_id
        mask[b, :n] = 1
    tgt = torch.randint(2, cfg.target_vocab_size - 1, (len(lengths), steps), generator=g)
    tgt[:, 0] = cfg.decoder_start_token_id
    return src, mask, tgt


@torch.no_grad()
def reference_steps(model: NativeMarian, enc, enc_mask, tokens) -> torch.Tensor:
    """Log-probs ``[N, T, V]`` decoding ``tokens [N, T]`` one step at a time with growing key/value caches,
    over the native model's fused ``qkv_proj``/``kv_proj`` (what the lean incremental step computes)."""
    dec = model.get_decoder()
    N, T = tokens.shape
    first = dec.layers[0].self_attn
    H, Dh, s = first.num_heads, first.head_dim, first.scaling
    d = H * Dh
    S = enc.shape[1]
    cross = []
    for layer in dec.layers:
        k, v = layer.encoder_attn.kv_proj(enc).view(N, S, 2, H, Dh).permute(2, 0, 3, 1, 4)
        cross.append((k, v))
    cmask = torch.zeros(N, 1, 1, S).masked_fill_(enc_mask[:, None, None, :] == 0, float("-inf"))
    cache: list[tuple[torch.Tensor, torch.Tensor] | None] = [None] * len(dec.layers)
    out = []
    for t in range(T):
        h = dec.embed_tokens(tokens[:, t]) * dec.embed_scale + dec.embed_positions.weight[t]
        for i, layer in enumerate(dec.layers):
            q, k, v = layer.self_attn.qkv_proj(h).view(N, 3, H, 1, Dh).unbind(1)
            old = cache[i]
            if old is not None:
                k, v = torch.cat([old[0], k], 2), torch.cat([old[1], v], 2)
            cache[i] = (k, v)
            a = ((q @ k.transpose(-1, -2)) * s).softmax(-1) @ v
            h = layer.self_attn_layer_norm(h + layer.self_attn.out_proj(a.reshape(N, d)))
            x = layer.encoder_attn
            q = x.q_proj(h).view(N, H, 1, Dh)
            ck, cv = cross[i]
            a = ((q @ ck.transpose(-1, -2)) * s + cmask).softmax(-1) @ cv
            h = layer.encoder_attn_layer_norm(h + x.out_proj(a.reshape(N, d)))
            h = layer.final_layer_norm(h + layer.fc2(layer.activation_fn(layer.fc1(h))))
        out.append(torch.log_softmax(model.lm_head(h) + model.final_logits_bias, -1))
    return torch.stack(out, 1)


def _maxdiff(got: torch.Tensor, want: torch.Tensor) -> float:
    """Max |difference|; infinities (a -inf logits bias) must match exactly."""
    inf = torch.isinf(want)
    assert torch.equal(inf, torch.isinf(got)) and torch.equal(got[inf], want[inf])
    return (got - want)[~inf].abs().max().item()


@torch.no_grad()
def _compare(native: NativeMarian, hf, *, seed: int = 0) -> None:
    src, mask, tgt = _batch(native.config, seed)
    want_enc = hf.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
    got_enc = native.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
    valid = mask.bool()
    assert (got_enc - want_enc)[valid].abs().max() < TOL
    want = torch.log_softmax(hf(input_ids=src, attention_mask=mask, decoder_input_ids=tgt).logits, -1)
    got = reference_steps(native, got_enc, mask, tgt)
    assert got.shape == want.shape
    assert _maxdiff(got, want) < TOL
    full = torch.log_softmax(native(src, mask, tgt), -1)  # the non-incremental decoder forward
    assert _maxdiff(full, want) < TOL


# -- exactness -----------------------------------------------------------------------------------------
def test_sinusoidal_positions_equal_transformers() -> None:
    from transformers.models.marian.modeling_marian import MarianSinusoidalPositionalEmbedding as Sin

    for n, d in ((128, 64), (512, 512), (9, 7)):
        assert torch.equal(sinusoidal_positions(n, d), Sin(n, d).create_weight())


def test_tiny_model_equals_transformers(tiny_model_dir: Path) -> None:
    native = load_marian(tiny_model_dir)
    _compare(native, _hf(tiny_model_dir))
    assert native.config.pad_token_id == native.config.decoder_start_token_id


def test_full_layout_equals_transformers(full_dir: Path, full_fp32: NativeMarian) -> None:
    _compare(full_fp32, _hf(full_dir))
    dec = full_fp32.get_decoder()
    assert full_fp32.lm_head.weight.data_ptr() == dec.embed_tokens.weight.data_ptr()  # tied: no copy
    assert dec.embed_tokens is full_fp32.get_encoder().embed_tokens
    layer = dec.layers[0]
    assert layer.self_attn.qkv_proj.out_features == 3 * 64
    assert layer.encoder_attn.kv_proj.out_features == 2 * 64
    assert not any(hasattr(layer.self_attn, f"{p}_proj") for p in "qkv")
    assert not any(hasattr(layer.encoder_attn, f"{p}_proj") for p in "kv")
    assert next(full_fp32.parameters()).device.type == "cpu"


@pytest.mark.parametrize(
    "kw",
    [
        {"tie_word_embeddings": False},  # shared stored, plus separate encoder/decoder/lm_head embeddings
        {"share_encoder_decoder_embeddings": False, "decoder_vocab_size": 350},  # separate target vocab
        {"share_encoder_decoder_embeddings": False, "decoder_vocab_size": 350, "tie_word_embeddings": False},
        {"activation_function": "gelu", "scale_embedding": False},
        {"activation_function": "relu"},
    ],
    ids=["untied", "separate-vocab", "separate-untied", "gelu-unscaled", "relu"],
)
def test_embedding_layouts_and_activations_equal_transformers(tmp_path: Path, kw) -> None:
    kw = {"encoder_layers": 2, "decoder_layers": 2} | kw
    folder = _save(_marian(**kw), tmp_path)
    native = load_marian(folder)
    _compare(native, _hf(folder))
    assert native.config.target_vocab_size == kw.get("decoder_vocab_size", 300)


def test_opus_mt_transformer_big_layout_equals_transformers(tmp_path: Path) -> None:
    """The transformer-big family (opus-mt-tc-bible-big-*): its config.json as published (null max_length and
    num_beams, EOS not 0) loads, and computes transformers' numbers; int8 stays close."""
    folder = _save(_marian(**TC_BIG), tmp_path)
    cfg = json.loads((folder / "config.json").read_text())
    cfg.update(max_length=None, num_beams=None, num_hidden_layers=1)
    (folder / "config.json").write_text(json.dumps(cfg))
    native = load_marian(folder)
    c = native.config
    assert (c.d_model, c.activation_function, c.eos_token_id, c.forced_eos_token_id) == (1024, "relu", 7,
                                                                                        None)
    _compare(native, _hf(folder))
    src, mask, tgt = _batch(native.config)
    with torch.no_grad():
        fp32 = torch.log_softmax(native(src, mask, tgt), -1)
        int8 = torch.log_softmax(load_marian(folder, int8=True)(src, mask, tgt), -1)
    assert (int8 - fp32).abs().max() < 0.2  # random 1024-wide weights spread the logits: seen 0.09


def _rewrite(folder: Path, keep, rename=lambda k: k, extra: dict | None = None) -> None:
    from safetensors.torch import load_file, save_file

    path = folder / "model.safetensors"
    sd = load_file(path)
    sd = {rename(k): v.clone() for k, v in sd.items() if keep(k)} | (extra or {})
    save_file(sd, path, metadata={"format": "pt"})


EMBEDS = ("model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
          "lm_head.weight")


@pytest.mark.parametrize(
    "stored",
    [("lm_head.weight",), ("model.encoder.embed_tokens.weight",), ("model.decoder.embed_tokens.weight",),
     ("model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
      "lm_head.weight")],
    ids=["lm_head-only", "encoder-only", "decoder-only", "all-four"],
)
def test_tied_embedding_stored_under_any_name(tmp_path: Path, stored) -> None:
    """transformers ties a missing embedding to whichever tied copy is stored: so does the loader (and
    stores one copy when they are equal)."""
    model = _marian(encoder_layers=2, decoder_layers=2)
    folder = _save(model, tmp_path)
    emb = model.model.shared.weight.detach()
    _rewrite(folder, lambda k: k not in EMBEDS, extra={k: emb.clone() for k in stored})
    native = load_marian(folder)
    _compare(native, _hf(folder))
    assert native.get_encoder().embed_tokens is native.get_decoder().embed_tokens is native.out_embed


def test_differing_stored_copies_are_not_tied(tmp_path: Path) -> None:
    """tie_word_embeddings with a stored lm_head that differs: transformers keeps it separate; so do we.
    Also: stored (non-standard) positions and final_logits_bias absent (zeros)."""
    model = _marian(encoder_layers=2, decoder_layers=2)
    folder = _save(model, tmp_path)
    g = torch.Generator().manual_seed(5)
    extra = {"lm_head.weight": torch.randn(300, 64, generator=g),
             "model.encoder.embed_positions.weight": torch.randn(128, 64, generator=g),
             "model.decoder.embed_positions.weight": torch.randn(128, 64, generator=g)}
    _rewrite(folder, lambda k: k != "final_logits_bias", extra=extra)
    native = load_marian(folder)
    _compare(native, _hf(folder))
    assert not native.final_logits_bias.any()
    assert native.out_embed is not native.get_decoder().embed_tokens


def test_base_model_keys_without_prefix(tmp_path: Path) -> None:
    folder = _save(_marian(encoder_layers=2, decoder_layers=2), tmp_path)
    _rewrite(folder, lambda k: True, rename=lambda k: k.removeprefix("model."))
    _compare(load_marian(folder), _hf(folder))


# -- int8 ----------------------------------------------------------------------------------------------
def test_int8_is_close_to_fp32_and_holds_no_fp32_weights(full_fp32: NativeMarian, full_int8: NativeMarian):
    from toolkit.translate.native import Int8Embedding

    dq = torch.ao.nn.quantized.dynamic.Linear
    linears = [m for m in full_int8.modules() if isinstance(m, torch.nn.Linear | dq)]
    assert len(linears) == 6 * 4 + 6 * 7 and all(isinstance(m, dq) for m in linears)
    assert all(m.weight().qscheme() == torch.per_channel_affine for m in linears)
    emb = full_int8.get_decoder().embed_tokens
    assert isinstance(emb, Int8Embedding) and emb.weight.dtype == torch.int8
    # fp32 left: LayerNorms, positions, row scales, the logits bias (no fp32 copy of a quantized weight)
    fp32 = sum(t.numel() for t in [*full_int8.parameters(), *full_int8.buffers()] if t.is_floating_point())
    ln = (6 * 2 + 6 * 3) * 2 * 64
    assert fp32 == ln + 128 * 64 + 300 + 300

    src, mask, tgt = _batch(full_fp32.config, seed=3, steps=8)
    want_enc = full_fp32.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
    got_enc = full_int8.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
    assert (got_enc - want_enc)[mask.bool()].abs().max() < 0.2
    want = reference_steps(full_fp32, want_enc, mask, tgt)
    got = reference_steps(full_int8, got_enc, mask, tgt)
    assert (got - want).abs().max() < INT8_LOGPROB_TOL
    agree = (got.argmax(-1) == want.argmax(-1)).float().mean()
    assert agree >= 0.9


def test_output_projection_equals_the_full_projection(full_fp32: NativeMarian, full_int8: NativeMarian):
    g = torch.Generator().manual_seed(0)
    h = torch.randn(12, 64, generator=g)
    ids = torch.tensor(sorted(torch.randperm(300, generator=g)[:117].tolist()))
    full = full_fp32.lm_head(h) + full_fp32.final_logits_bias
    proj = full_fp32.output_projection(ids, int8=False)
    assert torch.allclose(proj(h), full[:, ids], atol=1e-6, rtol=0)
    assert torch.allclose(full_fp32.output_projection(None, int8=False)(h), full, atol=1e-6, rtol=0)

    q_full = full_int8.lm_head(h) + full_int8.final_logits_bias
    q_proj = full_int8.output_projection(ids, int8=True)
    assert isinstance(q_proj, torch.ao.nn.quantized.dynamic.Linear)
    assert torch.allclose(q_proj(h), q_full[:, ids], atol=1e-4, rtol=0)  # the same int8 rows and scales
    assert (q_proj(h) - full[:, ids]).abs().max() < 0.3
    # the other precision from either model
    assert (full_fp32.output_projection(ids, int8=True)(h) - full[:, ids]).abs().max() < 0.3
    assert (full_int8.output_projection(ids, int8=False)(h) - full[:, ids]).abs().max() < 0.3


# -- bad folders ---------------------------------------------------------------------------------------
def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def _edit_config(folder: Path, **kw) -> None:
    cfg = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps(cfg | kw))


BAD = {
    "no-config": lambda f: (f / "config.json").unlink(),
    "corrupt-json": lambda f: (f / "config.json").write_text("{not json"),
    "config-not-object": lambda f: (f / "config.json").write_text("[1, 2]"),
    "no-weights": lambda f: (f / "model.safetensors").unlink(),
    "corrupt-weights": lambda f: (f / "model.safetensors").write_bytes(b"\x10" + b"\x00" * 7 + b"{oops"),
    "truncated-weights": lambda f: (f / "model.safetensors").write_bytes(
        (f / "model.safetensors").read_bytes()[:-1000]),
    "missing-tensor": lambda f: _rewrite(f, lambda k: "decoder.layers.1.fc2.bias" not in k),
    "wrong-shape": lambda f: _rewrite(f, bool, extra={"model.encoder.layers.0.fc1.weight": torch.zeros(3)}),
    "extra-layer": lambda f: _rewrite(f, bool, extra={"model.encoder.layer_norm.weight": torch.ones(64)}),
    "pre-norm": lambda f: _edit_config(f, normalize_before=True),
    "activation": lambda f: _edit_config(f, activation_function="tanh"),
    "model-type": lambda f: _edit_config(f, model_type="bart"),
    "heads": lambda f: _edit_config(f, encoder_attention_heads=7),
    "bad-size": lambda f: _edit_config(f, d_model="64"),
    "start-token": lambda f: _edit_config(f, decoder_start_token_id=10**6),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_folders_raise_one_line_model_errors(tmp_path: Path, case: str) -> None:
    model = _marian(encoder_layers=2, decoder_layers=2)
    folder = _copy(_save(model, tmp_path / "good"), tmp_path / "bad")
    BAD[case](folder)
    with pytest.raises(ModelError) as e:
        load_marian(folder, int8=case == "missing-tensor")
    assert "\n" not in str(e.value) and str(e.value)


def test_missing_folder_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        load_marian(tmp_path / "nope")


# -- footprint -----------------------------------------------------------------------------------------
def test_loading_never_imports_transformers(full_dir: Path) -> None:
    """In a fresh process."""
    code = (
        "import sys, torch\n"
        "from toolkit.translate.native import load_marian\n"
        f"m = load_marian({str(full_dir)!r}, int8=True)\n"
        "m.output_projection(torch.arange(10), int8=True)\n"
        f"load_marian({str(full_dir)!r})\n"
        "assert 'transformers' not in sys.modules, 'transformers imported'\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
