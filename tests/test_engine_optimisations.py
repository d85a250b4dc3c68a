"""The engine's speed optimisations on the tiny model: exact ones change no output (restricted output
projection, cache reuse without copies, batching), approximate ones keep the QA clean (int8, shortlist)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.translate.engine import Constraint, Engine

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
    cons = [
        [Constraint(c["en"], c["start"], c["end"], c["kind"]) for c in build_constraints(s)] for s in sents
    ]
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
        assert set(tiny_engine.encode_constraint(text)) <= cols


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


def test_int8_quantizes_every_linear_and_keeps_the_qa_clean(tiny_model_dir: Path, bulletin) -> None:
    import torch

    srcs, cons, sents = bulletin
    eng = Engine.load(tiny_model_dir, quantize="int8")
    dq = torch.ao.nn.quantized.dynamic.Linear
    linears = [m for m in eng.model.model.modules() if isinstance(m, torch.nn.Linear | dq)]
    assert linears and all(isinstance(m, dq) for m in linears)
    assert isinstance(eng.vocab.proj, dq)
    for beams in (1, 4):
        _qa_clean(sents, eng.translate(srcs, cons, beams=beams))


def test_shortlist_holds_constraint_tokens_and_keeps_the_qa_clean(tiny_engine: Engine, bulletin) -> None:
    from toolkit.translate.projection import shortlist

    srcs, cons, sents = bulletin
    eng = _engine(tiny_engine, shortlist=50)
    assert eng.shortlist_base is not None and len(eng.shortlist_base) == 50
    ids = [eng.encode_constraint(c.text) for cs in cons for c in cs]
    sl = shortlist(eng.model, eng.vocab, eng.shortlist_base, ids, int8=False)
    cols = set(sl.ids.tolist())
    assert eng.codec.eos_id in cols and all(set(c) <= cols for c in ids) and len(cols) < len(eng.vocab.ids)
    for beams in (1, 4):
        _qa_clean(sents, eng.translate(srcs, cons, beams=beams, batch_size=4))
