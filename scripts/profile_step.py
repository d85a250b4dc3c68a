"""Where a constrained decoder step's time goes: the benchmark's workload, one batch on one core.

Builds the model and sentences exactly as ``bench_translate.py`` does (random weights, opus-mt-zh-en's
sizes, the example's sentences and constraints, fixed-length outputs), then decodes the largest batch
with one thread and times each part of every step: the decoder layers, the output projection, the
search selection, the cache reorder, and the rest (the search loop's Python and small tensor work).
A single-core, single-batch view: the benchmark's engine runs one such batch per core.

Usage: python scripts/profile_step.py [--beams 4] [--fp32] [--repeat 3] [--torch-profile] [--batch-size 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_translate as bench  # noqa: E402


class Timers:
    """Accumulated seconds per label."""

    def __init__(self) -> None:
        self.s: dict[str, float] = defaultdict(float)
        self.n: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, fn: Any) -> Any:
        def timed(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.s[label] += time.perf_counter() - t0
                self.n[label] += 1

        return timed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--beams", type=int, default=4)
    p.add_argument("--fp32", action="store_true")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--length", type=int, default=60)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--target-side", type=int, default=32500)
    p.add_argument("--torch-profile", action="store_true", help="also print torch.profiler's op table")
    args = p.parse_args()
    import torch

    torch.set_num_threads(1)
    from toolkit.doc import Constraint
    from toolkit.translate import decoder as dec_mod
    from toolkit.translate import marian_step, search_step
    from toolkit.translate.engine import Engine

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench.prepare(folder, False, False)
        import json

        jobs = json.loads((folder / "jobs.json").read_text(encoding="utf-8"))
        engine = Engine.load(folder / "hf", quantize=None if args.fp32 else "int8", threads=1)
        bench.widen(engine, args.target_side)
        src_len = [len(engine.codec.encode_source(j["zh"])) for j in jobs]
        idx = bench.batches(jobs, args.batch_size, src_len)[0]
        zh = [jobs[i]["zh"] for i in idx]
        cons = [[Constraint(**c) for c in jobs[i]["cons"]] for i in idx]

        def run() -> None:
            engine.translate_batch(zh, cons, beams=args.beams, batch_size=len(idx), fixed_length=args.length,
                                 workers=1)

        run()  # warm-up: compile, first-use packing
        timers = Timers()
        orig_step, orig_reorder = marian_step.MarianStep.step, marian_step.MarianStep.reorder
        orig_project, orig_compiled = marian_step.project, search_step.compiled
        orig_search = dec_mod.constrained_beam_search
        orig_init, orig_keep = marian_step.MarianStep.__init__, marian_step.MarianStep.keep
        moved = [0, 0]

        def reorder(self: Any, parent: Any) -> None:
            moved[0] += int((parent != torch.arange(parent.numel())).sum())
            moved[1] += parent.numel()
            orig_reorder(self, parent)

        marian_step.MarianStep.step = timers.wrap("step (layers+projection)", orig_step)
        marian_step.MarianStep.reorder = timers.wrap("reorder", reorder)
        marian_step.MarianStep.__init__ = timers.wrap("batch set-up", orig_init)
        marian_step.MarianStep.keep = timers.wrap("keep", orig_keep)
        enc = engine.model.encoder
        enc.forward = timers.wrap("encoder", enc.forward)
        marian_step.project = timers.wrap("projection", orig_project)
        sel = orig_compiled()
        search_step.compiled = lambda: timers.wrap("select", sel)
        dec_mod.constrained_beam_search = timers.wrap("search total", orig_search)
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            run()
        wall = time.perf_counter() - t0
        steps = timers.n["select"]
        s = timers.s
        parts = {
            "decoder layers": s["step (layers+projection)"] - s["projection"],  # growth included
            "output projection": s["projection"],
            "search selection": s["select"],
            "cache reorder": s["reorder"],
        }
        parts["encoder"] = s["encoder"]
        parts["batch set-up"] = s["batch set-up"]
        parts["retire (keep)"] = s["keep"]
        parts["rest of the loop"] = s["search total"] - sum(parts.values())
        print(f"{'int8' if not args.fp32 else 'fp32'} beam {args.beams}, batch {len(idx)}, {steps} steps "
              f"({timers.n['reorder']} reorders), wall {wall:.2f}s, search {s['search total']:.2f}s")
        for k, v in parts.items():
            print(f"  {k:20s} {1e3 * v / steps:7.3f} ms/step  {100 * v / s['search total']:5.1f}%")
        print(f"  {'total':20s} {1e3 * s['search total'] / steps:7.3f} ms/step")
        print(f"  rows moved by reorders: {moved[0]}/{moved[1]} ({100 * moved[0] / max(1, moved[1]):.0f}%)")
        marian_step.MarianStep.step, marian_step.MarianStep.reorder = orig_step, orig_reorder
        marian_step.MarianStep.__init__ = orig_init
        marian_step.MarianStep.keep = orig_keep
        del enc.forward
        marian_step.project, search_step.compiled = orig_project, orig_compiled
        dec_mod.constrained_beam_search = orig_search
        if args.torch_profile:
            from torch.profiler import ProfilerActivity, profile

            with profile(activities=[ProfilerActivity.CPU]) as prof:
                run()
            print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=40))


if __name__ == "__main__":
    main()
