"""A random transformers MarianMTModel with opus-mt-zh-en's layout at a small width (tests' reference)."""

from __future__ import annotations

from typing import Any


def random_marian(*, nonzero_bias: bool = False, **kw: Any) -> Any:
    """6+6 post-norm layers, 8 heads, swish, scaled tied embeddings, d_model 64, vocabulary 300 (pad 299);
    ``kw`` overrides any MarianConfig field. ``nonzero_bias``: a random ``final_logits_bias``."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    cfg = dict(vocab_size=300, decoder_vocab_size=300, d_model=64, encoder_layers=6, decoder_layers=6,
               encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=128, decoder_ffn_dim=128,
               max_position_embeddings=128, pad_token_id=299, eos_token_id=0, decoder_start_token_id=299,
               activation_function="swish", scale_embedding=True, share_encoder_decoder_embeddings=True,
               tie_word_embeddings=True)
    torch.manual_seed(1)
    model = MarianMTModel(MarianConfig(**(cfg | kw))).eval()
    if nonzero_bias:
        with torch.no_grad():
            model.final_logits_bias.normal_()
    return model


#: The OPUS-MT transformer-big family's options (``Helsinki-NLP/opus-mt-tc-bible-big-zhx-en`` and its
#: siblings: d_model 1024, 16 heads, FFN 4096, ReLU, 6+6 post-norm layers, shared scaled embeddings, EOS not
#: id 0, no forced EOS, 1024 positions), at one layer each and a small vocabulary for the tests.
TC_BIG = dict(d_model=1024, encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
              decoder_ffn_dim=4096, activation_function="relu", encoder_layers=1, decoder_layers=1,
              max_position_embeddings=1024, eos_token_id=7, bos_token_id=0, forced_eos_token_id=None,
              scale_embedding=True, share_encoder_decoder_embeddings=True, normalize_embedding=False,
              static_position_embeddings=True)
