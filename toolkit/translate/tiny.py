"""A tiny MarianMT model with a real sentencepiece vocabulary, for tests, CI and demos.

The weights are random (fixed seed), so the English is junk, but every file has the layout of
``Helsinki-NLP/opus-mt-zh-en``: ``source.spm`` (Chinese), ``target.spm`` (English, with byte
fallback so any English string is encodable), one shared ``vocab.json`` (``</s>`` = 0,
``<unk>`` = 1, ``<pad>`` = last id = ``decoder_start_token_id``), ``tokenizer_config.json`` and
``config.json`` + ``model.safetensors``. Builds in about a second.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from ..paths import tiny_corpus_dir

#: The training text shipped in the package (Chinese from real bulletins, English written for it).
CORPUS_DIR = tiny_corpus_dir()

SIZES = {"d_model": 64, "layers": 2, "heads": 4, "ffn": 128, "max_positions": 256}
SOURCE_VOCAB = 1800
TARGET_VOCAB = 900
EOS_BIAS = 6.0  # makes the random model end sentences once its constraints are met


def _train_spm(lines: list[str], vocab_size: int, *, byte_fallback: bool) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=byte_fallback,
        hard_vocab_limit=False,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
        split_digits=False,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [
        sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))
    ]


def write_vocab_folder(out: Path, zh: list[str], en: list[str], *, source_vocab: int, target_vocab: int,
                       max_positions: int, byte_fallback: bool = False) -> dict[str, int]:
    """Sentencepiece models trained on ``zh``/``en`` and one shared ``vocab.json`` (target pieces first,
    ``</s>`` = 0, ``<unk>`` = 1, ``<pad>`` last) plus ``tokenizer_config.json``, as
    ``Helsinki-NLP/opus-mt-zh-en`` lays them out; returns the vocabulary. The tiny model and the trained
    test and reference models (``training.py``) share it."""
    out.mkdir(parents=True, exist_ok=True)
    src_model = _train_spm(zh, source_vocab, byte_fallback=False)
    tgt_model = _train_spm(en, target_vocab, byte_fallback=byte_fallback)
    (out / "source.spm").write_bytes(src_model)
    (out / "target.spm").write_bytes(tgt_model)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(tgt_model) + _pieces(src_model):
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    tok_cfg = {"tokenizer_class": "MarianTokenizer", "source_lang": "zh", "target_lang": "en",
               "model_max_length": max_positions, "separate_vocabs": False, "unk_token": "<unk>",
               "eos_token": "</s>", "pad_token": "<pad>"}
    (out / "tokenizer_config.json").write_text(json.dumps(tok_cfg, indent=1), encoding="utf-8")
    return vocab


def build_tiny_model(
    out: Path, seed: int = 0, corpus: Path | None = None, *, byte_fallback: bool = True, force: bool = False
) -> Path:
    """Write the tiny model folder to ``out`` (created if missing) and return it.

    A folder that already holds files is refused (FileExistsError) unless ``force``: it may hold a real
    model. With ``force`` the folder's model manifest goes too (it would describe the old files).
    ``byte_fallback=False`` gives a target vocabulary like opus-mt-zh-en's, which cannot spell every
    character (used to test that unencodable glossary renderings are reported, not dropped).
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    from .model_store import MANIFEST

    corpus = corpus or CORPUS_DIR
    out = Path(out)
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty")
        (out / MANIFEST).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    zh = [x for x in (corpus / "zh.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    en = [x for x in (corpus / "en.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    vocab = write_vocab_folder(out, zh, en, source_vocab=SOURCE_VOCAB, target_vocab=TARGET_VOCAB,
                               max_positions=SIZES["max_positions"], byte_fallback=byte_fallback)
    pad_id = vocab["<pad>"]

    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=SIZES["d_model"],
        encoder_layers=SIZES["layers"],
        decoder_layers=SIZES["layers"],
        encoder_attention_heads=SIZES["heads"],
        decoder_attention_heads=SIZES["heads"],
        encoder_ffn_dim=SIZES["ffn"],
        decoder_ffn_dim=SIZES["ffn"],
        max_position_embeddings=SIZES["max_positions"],
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        scale_embedding=True,
        activation_function="swish",
        num_beams=4,
        max_length=SIZES["max_positions"],
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.final_logits_bias[0, 0] = EOS_BIAS
        model.final_logits_bias[0, pad_id] = float("-inf")
    model.eval()
    _save_quietly(model, out)
    weights = out / "model.safetensors"
    weights.chmod((out / "config.json").stat().st_mode & 0o777)  # safetensors writes 0600; the rest 0644
    return out


def _save_quietly(model: object, out: Path) -> None:
    """``save_pretrained`` without transformers' "Writing model shards" progress bar on stderr."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        model.save_pretrained(out, safe_serialization=True)  # type: ignore[attr-defined]
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
