"""Output projections restricted to part of the vocabulary, and int8 quantization of the model.

The output projection (hidden -> 65,001 logits for opus-mt-zh-en) is the largest matrix product of a
decoder step. opus-mt-zh-en's vocabulary is shared by a Chinese and an English sentencepiece model,
so a large share of it can never be English output: :func:`restrict` computes only the target side
(exact: the decoder normalises over the target side either way). :func:`shortlist` narrows that to
the frequent target pieces plus the batch's constraint tokens and EOS (approximate, opt-in).

torch is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .decoder import TargetVocab


def quantize_int8(module: Any) -> Any:
    """Dynamic int8 quantization of every ``nn.Linear`` inside ``module`` (in place; returns it)."""
    import torch

    return torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)


def quantize_model_int8(model: Any, *, keep_lm_head: bool, after_layer: Any = None) -> Any:
    """Quantize a MarianMTModel's encoder and decoder linears; the ``lm_head`` too unless kept (fp32, to
    slice restricted projections from). ``after_layer()`` runs after each layer is quantized (the
    engine releases the dead fp32 pages there, which keeps the peak memory down)."""
    import torch

    for layer in [*model.model.encoder.layers, *model.model.decoder.layers]:
        quantize_int8(layer)
        if after_layer is not None:
            after_layer()
    quantize_int8(model.model)  # anything left
    if not keep_lm_head:
        model.lm_head = quantize_int8(torch.nn.Sequential(model.lm_head))[0]
    return model


def sliced_projection(model: Any, ids: Any, *, int8: bool = False) -> Any:
    """An ``nn.Linear`` computing ``lm_head(h) + final_logits_bias`` for the columns ``ids`` only."""
    import torch

    weight = model.lm_head.weight
    bias = model.final_logits_bias.reshape(-1)
    lin = torch.nn.Linear(weight.shape[1], len(ids), bias=True, device="meta")  # no throw-away init
    with torch.no_grad():
        lin.weight = torch.nn.Parameter(weight.index_select(0, ids), requires_grad=False)
        lin.bias = torch.nn.Parameter(bias.index_select(0, ids), requires_grad=False)
    lin.eval()
    return quantize_int8(torch.nn.Sequential(lin))[0] if int8 else lin


def restrict(model: Any, vocab: TargetVocab, *, int8: bool = False) -> TargetVocab:
    """``vocab`` with a projection over its target side only (every token the side can produce)."""
    import torch

    if vocab.side is None:
        raise ValueError("the vocabulary has no target side to restrict to")
    side = vocab.side.clone()
    side[vocab.eos_id] = True
    ids = side.nonzero().flatten().to(torch.long)
    return replace(vocab, ids=ids, proj=sliced_projection(model, ids, int8=int8))


def frequent_free_ids(vocab: TargetVocab, scores: dict[int, float], n: int) -> list[int]:
    """The ``n`` free tokens with the highest score (sentencepiece log-probability: most frequent)."""
    free = vocab.free.nonzero().flatten().tolist()
    free.sort(key=lambda i: (-scores.get(i, float("-inf")), i))
    return free[:n]


def shortlist(
    model: Any, vocab: TargetVocab, base: Iterable[int], constraints: Iterable[Iterable[int]], *, int8: bool
) -> TargetVocab:
    """``vocab`` restricted to ``base`` plus every constraint token and EOS (one batch's shortlist)."""
    import torch

    keep = set(base)
    keep.add(vocab.eos_id)
    for c in constraints:
        keep.update(c)
    ids = torch.tensor(sorted(keep), dtype=torch.long)
    return replace(vocab, ids=ids, proj=sliced_projection(model, ids, int8=int8))


MADV_DONTNEED = 4  # Linux


def drop_mapped_pages(folder: Any) -> int:
    """Release the resident pages of the memory-mapped ``*.safetensors`` files under ``folder``.

    transformers maps the weights file (private, copy-on-write) and the mapping lives as long as any
    tensor in it; after int8 quantization the fp32 linears in it are dead, yet their pages stay resident
    and count in RSS. ``madvise(MADV_DONTNEED)`` drops them. Only a mapping with no page written
    (``Anonymous: 0 kB`` in smaps) is advised: it holds the file's bytes unchanged, so a page still in use
    (the embedding) is simply read back from the file on access. Linux only; returns the bytes advised."""
    import ctypes
    import os
    import re
    from pathlib import Path

    smaps = Path("/proc/self/smaps")
    if not smaps.exists():
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return 0
    root = os.path.realpath(folder) + os.sep
    head = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$")
    areas: list[list[Any]] = []  # [lo, hi, path, anonymous kB]
    for line in smaps.read_text().splitlines():
        m = head.match(line)
        if m:
            areas.append([int(m[1], 16), int(m[2], 16), m[3], None])
        elif line.startswith("Anonymous:") and areas:
            areas[-1][3] = int(line.split()[1])
    total = 0
    for lo, hi, path, anon in areas:
        if not path.endswith(".safetensors") or anon != 0 or not os.path.realpath(path).startswith(root):
            continue
        if libc.madvise(ctypes.c_void_p(lo), ctypes.c_size_t(hi - lo), MADV_DONTNEED) == 0:
            total += hi - lo
    return total
