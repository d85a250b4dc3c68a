"""The engine's speed optimisations on the tiny model: exact ones change no output (restricted output
projection, cache reuse without copies, batching), approximate ones keep the QA clean (int8, shortlist)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from random_marian import random_marian as _marian

from toolkit.doc import Constraint
from toolkit.translate.engine import Engine
from toolkit.translate.scheduling import plan_workers

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sichuan-poverty-2020-93.txt"


@pytest.fixture(scope="module")
def bulletin() -> tuple[list[str], list[list[Constraint]], list]:
    """The example bulletin's first body sentences with the constraints the translator applies."""
    from toolkit.glossary.store import Glossary
    from toolkit.pipeline import load_document
    from toolkit.translate.document import build_constraints

    doc = load_document(str(EXAMPLE), glossary=Glossary.load())
    body = sorted(doc.sentences(), key=lambda s: len(s.text))  # the shorter ones keep the tests fast
    sents = [s for s in body if s.figures][:3] + [s for s in body if not s.figures and s.terms][:3]
    cons = [build_constraints(s) for s in sents]
    return [s.text for s in sents], cons, sents


def _engine(base: Engine, **kw) -> Engine:
    return Engine(base.model, base.codec, device="cpu", path=base.path, **kw)


def _qa_clean(sents: list, outs: list[str]) -> None:
    from toolkit.check import check_sentence
    from toolkit.translate.document import build_constraints

    assert sum(bool(s.figures) for s in sents) >= 2  # the sample has figures to get wrong
    for s, en in zip(sents, outs, strict=True):
        s.constraints = build_constraints(s)
        s.en = en
        assert check_sentence(s) == [], (s.text, en)


def test_restricted_projection_covers_the_target_side_only(tiny_engine: Engine) -> None:
    v = tiny_engine.vocab
    assert v.ids is not None and v.proj is not None
    cols = set(v.ids.tolist())
    assert len(cols) < tiny_engine.full_vocab.size // 2  # the Chinese pieces are not computed
    pieces = tiny_engine.codec.id_to_piece
    assert not any("党" in pieces.get(i, "") for i in cols)
    assert tiny_engine.codec.eos_id in cols and v.free.nonzero().flatten().tolist()
    for text in ("poverty alleviation", "2020-12-21", "over 23.4 hundred million yuan", "café"):
        assert set(tiny_engine.codec.encode_constraint(text)) <= cols


@pytest.mark.parametrize("beams", [1, 3])
def test_restricted_projection_equals_the_full_projection(tiny_engine: Engine, bulletin, beams: int) -> None:
    srcs, cons, _ = bulletin
    full = _engine(tiny_engine, restrict=False)
    assert full.vocab.ids is None
    restricted = tiny_engine.translate(srcs, cons, beams=beams)
    assert restricted == full.translate(srcs, cons, beams=beams)


def test_skipping_the_cache_copy_is_exact(tiny_engine: Engine, bulletin, monkeypatch) -> None:
    """The self-attention cache is reordered only when a beam takes another's history: forcing the
    reorder on every step changes nothing."""
    import toolkit.translate.decoder as dec

    srcs, cons, _ = bulletin
    fast = {b: tiny_engine.translate(srcs[:5], cons[:5], beams=b) for b in (1, 3)}
    calls: list[int] = []

    def never_identity(parent, rows) -> bool:
        calls.append(1)
        return False

    monkeypatch.setattr(dec, "_identity", never_identity)
    slow = {b: tiny_engine.translate(srcs[:5], cons[:5], beams=b) for b in (1, 3)}
    assert calls and slow == fast


def test_batch_size_1_equals_batch_size_8(tiny_engine: Engine, bulletin) -> None:
    srcs, cons, _ = bulletin
    for beams in (1, 2):
        assert tiny_engine.translate(srcs, cons, beams=beams, batch_size=1) == tiny_engine.translate(
            srcs, cons, beams=beams, batch_size=8
        )


def test_parallel_workers_equal_one_batch_at_a_time(tiny_engine: Engine, bulletin) -> None:
    """Three workers decode sub-batches at once; the outputs and the progress count are those of one
    batch at a time (whatever order the workers finish in)."""
    import threading

    srcs, cons, _ = bulletin
    serial = _engine(tiny_engine, threads=3)
    parallel = _engine(tiny_engine, threads=3)
    assert plan_workers(len(srcs), 8, threads=3, workers=None, device="cpu") == (3, 2)
    assert plan_workers(len(srcs), 8, threads=3, workers=1, device="cpu") == (1, 8)
    seen: list[int] = []
    decoders: set[str] = set()
    decode = parallel._decode

    def spy(*a, **kw):
        decoders.add(threading.current_thread().name)
        return decode(*a, **kw)

    parallel._decode = spy
    for beams in (1, 3):
        res = parallel.translate_batch(srcs, cons, beams=beams, progress=seen.append)
        assert [r.en for r in res] == serial.translate(srcs, cons, beams=beams, workers=1)
    assert sum(seen) == 2 * len(srcs)
    assert len(decoders) > 1 and all(n.startswith("decode") for n in decoders)


def test_one_sentence_or_one_core_uses_one_batch() -> None:
    assert plan_workers(1, 8, threads=4, workers=None, device="cpu") == (1, 8)
    assert plan_workers(40, 8, threads=1, workers=None, device="cpu") == (1, 8)
    assert plan_workers(40, 8, threads=2, workers=None, device="cpu") == (2, 8)  # enough jobs: size kept
    assert plan_workers(40, 8, threads=2, workers=None, device="cuda") == (1, 8)  # one batch off the CPU


def test_int8_quantizes_every_linear_and_keeps_the_qa_clean(tiny_model_dir: Path, bulletin) -> None:
    import torch

    srcs, cons, sents = bulletin
    eng = Engine.load(tiny_model_dir, quantize="int8")
    dq = torch.ao.nn.quantized.dynamic.Linear
    linears = [m for m in eng.model.modules() if isinstance(m, torch.nn.Linear | dq)]
    assert linears and all(isinstance(m, dq) for m in linears)
    assert isinstance(eng.vocab.proj, dq)
    for beams in (1, 4):
        _qa_clean(sents, eng.translate(srcs, cons, beams=beams))


def test_shortlist_holds_constraint_tokens_and_keeps_the_qa_clean(tiny_engine: Engine, bulletin) -> None:
    from toolkit.translate.projection import shortlist

    srcs, cons, sents = bulletin
    eng = _engine(tiny_engine, shortlist=50)
    assert eng.shortlist_base is not None and len(eng.shortlist_base) == 50
    ids = [eng.codec.encode_constraint(c.en) for cs in cons for c in cs]
    sl = shortlist(eng.model, eng.vocab, eng.shortlist_base, ids, int8=False)
    cols = set(sl.ids.tolist())
    assert eng.codec.eos_id in cols and all(set(c) <= cols for c in ids) and len(cols) < len(eng.vocab.ids)
    for beams in (1, 4):
        _qa_clean(sents, eng.translate(srcs, cons, beams=beams, batch_size=4))


def _hf(folder: Path):
    """The transformers MarianMTModel of a model folder (the reference the engine's own model must equal)."""
    from transformers import MarianMTModel

    return MarianMTModel.from_pretrained(str(folder)).eval()


def _native(model, folder: Path):
    """The engine's own model (:mod:`native`) of a transformers model, through a saved folder."""
    from toolkit.translate.native import load_marian

    model.save_pretrained(folder, safe_serialization=True)
    return load_marian(folder)


def _lean_vs_transformers(hf, lean_model) -> None:
    """Several steps with beam reorders and a retired sentence: the lean step's logits on the engine's
    model equal the transformers decoder's (with its cache) at every step."""
    import torch
    from hf_stepper import decoder_step, new_cache

    from toolkit.translate.marian_step import MarianStep

    pad = hf.config.pad_token_id
    B, K, S = 3, 4, 9
    g = torch.Generator().manual_seed(0)
    src = torch.randint(2, pad - 10, (B, S), generator=g)
    mask = torch.ones((B, S), dtype=torch.long)
    mask[1, 6:] = 0  # a padded sentence
    src[1, 6:] = pad
    with torch.inference_mode():
        enc = hf.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
        lean_enc = lean_model.get_encoder()(input_ids=src, attention_mask=mask).last_hidden_state
        assert torch.allclose(enc, lean_enc, atol=1e-4)
        lean = MarianStep(lean_model, lean_enc, mask, K, max_len=20)
        cache = new_cache(hf)
        enc_r, mask_r = enc.repeat_interleave(K, 0), mask.repeat_interleave(K, 0)
        tok = torch.full((B * K,), pad)
        for t in range(7):
            a = lean.step(tok, t)
            b = decoder_step(hf, tok[:, None], enc_r, mask_r, cache)
            assert torch.allclose(a, b, atol=1e-4), (t, (a - b).abs().max())
            n = tok.numel()
            parent = torch.randint(0, K, (n,), generator=g) + torch.arange(n) // K * K  # within sentence
            lean.reorder(parent)
            cache.self_attention_cache.reorder_cache(parent)
            tok = torch.randint(2, pad - 10, (n,), generator=g)
            if t == 3:  # retire the first sentence
                keep = torch.tensor([1, 2]) if n == B * K else torch.arange(n // K)
                rows = (keep[:, None] * K + torch.arange(K)).flatten()
                lean.keep(keep)
                cache.batch_select_indices(rows)
                enc_r, mask_r, tok = enc_r[rows], mask_r[rows], tok[rows]


def test_lean_step_on_the_engines_model_equals_transformers_on_the_tiny_model(tiny_engine: Engine) -> None:
    _lean_vs_transformers(_hf(tiny_engine.path), tiny_engine.model)


@pytest.mark.parametrize("script", [True, False])
def test_lean_step_equals_transformers_on_the_full_layout(script: bool, tmp_path: Path, monkeypatch) -> None:
    """The step compiled with TorchScript, and the same module run eagerly (where TorchScript is missing)."""
    import toolkit.translate.marian_step as ms
    import toolkit.translate.torchscript as ts

    monkeypatch.setattr(ts, "ENABLED", script)
    hf = _marian()
    native = _native(hf, tmp_path)
    _lean_vs_transformers(hf, native)
    assert isinstance(ms.step_layers(native), torch.jit.ScriptModule) == script


def test_lean_step_grows_its_buffer_past_a_chunk(tmp_path: Path) -> None:
    import toolkit.translate.marian_step as ms

    old = ms.CHUNK
    ms.CHUNK = 3  # grows every 3 positions
    try:
        hf = _marian(encoder_layers=2, decoder_layers=2)
        _lean_vs_transformers(hf, _native(hf, tmp_path))
    finally:
        ms.CHUNK = old


def test_lean_step_equals_transformers_on_the_transformer_big_layout(tmp_path: Path) -> None:
    """opus-mt-tc-bible-big-*'s options (ReLU, 16 heads of 64, d_model 1024, EOS not 0), one layer each."""
    from random_marian import TC_BIG

    hf = _marian(**TC_BIG)
    _lean_vs_transformers(hf, _native(hf, tmp_path))


@pytest.mark.parametrize("beams", [1, 4])
def test_engines_model_translates_as_the_transformers_decoder(tiny_engine: Engine, bulletin, monkeypatch,
                                                              beams: int) -> None:
    """The engine (its own model, lean step) and transformers' model with transformers' decoder and cache
    give the same translations."""
    import functools

    import toolkit.translate.decoder as dec

    srcs, cons, _ = bulletin
    ours = tiny_engine.translate(srcs, cons, beams=beams)
    reference = Engine(_hf(tiny_engine.path), tiny_engine.codec, device="cpu", path=tiny_engine.path)
    from hf_stepper import HFStep

    monkeypatch.setattr(dec, "constrained_beam_search",
                        functools.partial(dec.constrained_beam_search, stepper=HFStep))
    assert reference.translate(srcs, cons, beams=beams) == ours


def test_compiled_search_step_equals_the_eager_one(tiny_engine: Engine, bulletin, monkeypatch) -> None:
    """The search step compiled with TorchScript and the same function run eagerly choose alike."""
    import toolkit.translate.search_step as ss
    import toolkit.translate.torchscript as ts

    srcs, cons, _ = bulletin
    assert isinstance(ss.compiled(), torch.jit.ScriptFunction)
    compiled = [tiny_engine.translate(srcs, cons, beams=b) for b in (1, 4)]
    monkeypatch.setattr(ts, "ENABLED", False)
    monkeypatch.setattr(ss, "_compiled", [])
    assert ss.compiled() is ss.select
    assert [tiny_engine.translate(srcs, cons, beams=b) for b in (1, 4)] == compiled


def test_a_failing_batch_stops_the_others_from_starting(tiny_engine: Engine, bulletin, monkeypatch) -> None:
    """The first batch fails at once; every later batch holds until the engine shuts its pool down (an
    event, not a sleep), so at most one more batch per worker starts, and the ones queued are cancelled."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    srcs, cons, _ = bulletin
    eng = _engine(tiny_engine, threads=2)
    calls: list[int] = []
    lock = threading.Lock()
    shut = threading.Event()
    original = ThreadPoolExecutor.shutdown

    def shutdown(self, *a, **kw):
        shut.set()
        return original(self, *a, **kw)

    def fail(*a, **kw):
        with lock:
            calls.append(1)
            first = len(calls) == 1
        if not first:
            assert shut.wait(timeout=60)
        raise RuntimeError("boom")

    monkeypatch.setattr(ThreadPoolExecutor, "shutdown", shutdown)
    eng._decode = fail
    with pytest.raises(RuntimeError, match="boom"):
        eng.translate_batch(srcs, cons, beams=1, batch_size=1)  # one batch per sentence, two at a time
    assert 1 <= len(calls) <= 3 < len(srcs)  # the failed one and one held per worker; the rest never ran
