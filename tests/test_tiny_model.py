"""The tiny model: Marian's file layout, consistent special ids, byte fallback on the target side."""

from __future__ import annotations

import json
from pathlib import Path

from toolkit.cli import main


def test_layout_and_special_ids(tiny_model_dir: Path) -> None:
    for name in ("config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json",
                 "tokenizer_config.json"):
        assert (tiny_model_dir / name).is_file(), name
    cfg = json.loads((tiny_model_dir / "config.json").read_text())
    vocab = json.loads((tiny_model_dir / "vocab.json").read_text())
    assert vocab["</s>"] == cfg["eos_token_id"] == 0 and vocab["<unk>"] == 1
    assert vocab["<pad>"] == cfg["pad_token_id"] == cfg["decoder_start_token_id"] == len(vocab) - 1
    assert cfg["vocab_size"] == len(vocab)


def test_marian_tokenizer_loads_it_and_agrees_with_the_engine(tiny_model_dir: Path, tiny_engine) -> None:
    import warnings

    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = MarianTokenizer.from_pretrained(str(tiny_model_dir))
    text = "党的十八大以来，广安市各民主党派广泛凝聚思想共识"
    assert tok(text).input_ids == tiny_engine.codec.encode_source(text)
    assert tiny_engine.codec.encode_source(text)[-1] == 0
    assert tok.unk_token_id not in tok(text).input_ids


def test_target_side_encodes_any_english(tiny_engine) -> None:
    texts = ("2020-12-21", "Issue 93", "23.4 hundred million yuan", "Guang'an", "naïve café – 50%", "Zhōu")
    for text in texts:
        assert tiny_engine.codec.decode(tiny_engine.codec.encode_constraint(text)) == text


def test_same_seed_same_weights(tmp_path: Path, tiny_model_dir: Path) -> None:
    from toolkit.translate.tiny import build_tiny_model

    again = build_tiny_model(tmp_path / "again", seed=0)
    for name in ("model.safetensors", "vocab.json", "target.spm"):
        assert (again / name).read_bytes() == (tiny_model_dir / name).read_bytes(), name


def test_model_tiny_command(tmp_path: Path) -> None:
    assert main(["model", "tiny", str(tmp_path / "t")]) == 0
    assert (tmp_path / "t" / "model.safetensors").is_file()
