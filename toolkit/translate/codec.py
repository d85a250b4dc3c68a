"""Marian's tokenisation for the engine: sentencepiece models over the model's vocab.json, constraints as
target ids, and the decoder's view of the target vocabulary (which pieces are free, digits, glue).

Separate from the engine because the glossary checker needs it without a model (``unencodable_renderings``
reads only the tokenizer files).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ModelError

SPACE = "\u2581"


class Codec:
    """Marian's tokenisation: source/target sentencepiece models over one (or two) vocab.json."""

    def __init__(self, folder: Path):
        import sentencepiece as spm

        self.folder = folder
        try:
            self.src_spm = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            self.tgt_spm = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
            self.vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            tv = folder / "target_vocab.json"
            self.tvocab: dict[str, int] = (
                json.loads(tv.read_text(encoding="utf-8")) if tv.exists() else self.vocab
            )
            cfg_path = folder / "tokenizer_config.json"
            cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
        except (OSError, RuntimeError, ValueError) as e:
            raise ModelError(f"cannot read the tokenizer files in {folder}: {e}") from None
        self.unk_id = self.vocab.get("<unk>", 1)
        self.eos_id = self.vocab.get("</s>", 0)
        self.pad_id = self.vocab.get("<pad>", len(self.vocab) - 1)
        self.max_length = int(cfg.get("model_max_length", 512) or 512)
        self.id_to_piece = {i: p for p, i in self.tvocab.items()}

    def encode_source(self, text: str) -> list[int]:
        """Source token ids, ending in EOS (as MarianTokenizer without Moses normalisation)."""
        pieces = self.src_spm.encode(text, out_type=str)
        return [self.vocab.get(p, self.unk_id) for p in pieces] + [self.eos_id]

    def target_pieces(self, text: str) -> list[str]:
        return self.tgt_spm.encode(text, out_type=str)

    def decode(self, ids: Sequence[int]) -> str:
        pieces = [self.id_to_piece.get(i, "") for i in ids if i not in (self.eos_id, self.pad_id)]
        return self.tgt_spm.decode_pieces([p for p in pieces if p]).strip()

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the target side cannot emit exactly (unknown or normalised away)."""
        bad: list[str] = []
        for ch in dict.fromkeys(text):
            if ch.isspace():
                continue
            pieces = self.target_pieces(ch)
            ok = bool(pieces) and all(p in self.tvocab and p != "<unk>" for p in pieces)
            ok = ok and self.tgt_spm.decode_pieces(pieces).strip() == ch
            if not ok:
                bad.append(ch)
        return bad

    def encode_constraint(self, text: str) -> list[int]:
        """Target ids of ``text`` as a word-initial sequence (the form it takes mid-sentence).

        Raises ValueError naming the characters the target vocabulary cannot express.
        """
        text = " ".join(text.split())
        if not text:
            raise ValueError("empty constraint")
        pieces = self.target_pieces(text)
        ids = [self.tvocab.get(p, -1) for p in pieces]
        if any(i < 0 or i == self.unk_id for i in ids) or self.decode(ids) != text:
            bad = self.missing(text) or [text]
            raise ValueError("cannot encode: " + "".join(bad))
        return ids


def piece_text(p: str) -> str:
    if p.startswith("<0x") and p.endswith(">") and len(p) == 6:
        return chr(int(p[3:5], 16)) if int(p[3:5], 16) < 0x80 else "\ufffd"
    return p.replace(SPACE, " ")


def build_target_vocab(codec: Codec, vocab_size: int, start_id: int) -> Any:
    """The decoder's view of the vocabulary: free / digit / glue masks."""
    import torch

    from .projection import TargetVocab

    free = torch.zeros(vocab_size, dtype=torch.bool)
    digit = torch.zeros(vocab_size, dtype=torch.bool)
    glue = torch.zeros(vocab_size, dtype=torch.bool)
    side = torch.zeros(vocab_size, dtype=torch.bool)
    specials = {codec.eos_id, codec.pad_id, codec.unk_id}
    tgt = codec.tgt_spm
    tgt_unk = tgt.unk_id()
    for piece, i in codec.tvocab.items():
        if i >= vocab_size:
            continue
        text = piece_text(piece)
        is_byte = piece.startswith("<0x") and len(piece) == 6
        digit[i] = any(c.isdigit() for c in text)
        glue[i] = not piece.startswith(SPACE) and text[:1].isalnum()
        tid = tgt.piece_to_id(piece)
        on_target = tid != tgt_unk and not tgt.is_control(tid)
        cjk = any(unicodedata.name(c, "").startswith("CJK") for c in text)
        side[i] = on_target and i not in specials
        if piece.startswith("<") and piece.endswith(">") and not is_byte:
            continue  # control / special pieces (<s>, <unk>, language codes...)
        free[i] = on_target and not is_byte and not cjk and not digit[i] and i not in specials
    if codec.eos_id < vocab_size:
        side[codec.eos_id] = True
    return TargetVocab(
        eos_id=codec.eos_id,
        pad_id=codec.pad_id,
        start_id=start_id,
        free=free,
        digit=digit,
        glue=glue,
        side=side,
    )


def unencodable_renderings(model_path: str | Path, renderings: list[str]) -> dict[str, list[str]]:
    """For each rendering the model's target side cannot express exactly, the characters at fault."""
    from .model_store import resolve

    codec = cached_codec(str(resolve(model_path)))
    out: dict[str, list[str]] = {}
    for r in renderings:
        try:
            codec.encode_constraint(r)
        except ValueError:
            out[r] = codec.missing(r) or [r]
    return out


@lru_cache(maxsize=4)
def cached_codec(folder: str) -> Codec:
    return Codec(Path(folder))
