"""Benchmark: glossary matching cost vs glossary size, and load time of a ~5 MB glossary.

Matches the example bulletin's text with the shipped glossary and with a synthetic 100,000-entry
glossary (random CJK terms plus the shipped ones); prints the time per match call and their ratio,
which should stay near 1x (the automaton's cost depends on the text, not on the number of terms).

    python scripts/bench_glossary.py [--entries 100000] [--repeat 50]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

from toolkit.glossary import Entry, Glossary
from toolkit.glossary.formats import write_entries

ROOT = Path(__file__).resolve().parent.parent


def per_call(g: Glossary, text: str, repeat: int) -> float:
    g.match(text)  # build the automaton outside the timing
    t = time.perf_counter()
    for _ in range(repeat):
        g.match(text)
    return (time.perf_counter() - t) / repeat


def synthetic(shipped: Glossary, n: int, seed: int = 0, note_len: int = 0) -> list[Entry]:
    rng = random.Random(seed)
    common = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    seen = {e.zh for e in shipped.entries}
    out = list(shipped.entries)
    while len(out) < n:
        zh = "".join(rng.choice(common) for _ in range(rng.randint(2, 6)))
        if zh not in seen:
            seen.add(zh)
            out.append(Entry(zh, f"term {len(out)}", category="synthetic", note="x" * note_len))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()

    text = re.sub(r"\s+", "", (ROOT / "examples" / "sichuan-poverty-2020-93.txt").read_text(encoding="utf-8"))
    shipped = Glossary.load()
    big = Glossary(synthetic(shipped, args.entries))
    t_small = per_call(shipped, text, args.repeat)
    t_big = per_call(big, text, args.repeat)
    print(f"text: {len(text)} characters")
    print(f"shipped glossary ({len(shipped):>7} entries): {t_small * 1e3:8.3f} ms per match call")
    print(f"synthetic glossary ({len(big):>7} entries): {t_big * 1e3:8.3f} ms per match call")
    print(f"ratio synthetic/shipped: {t_big / t_small:.2f}x (independent of glossary size: ~1x)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.tsv"
        write_entries(path, synthetic(shipped, 60_000, seed=1, note_len=50))
        size = path.stat().st_size
        t = time.perf_counter()
        g = Glossary.load([path], default=False)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        g.match(text)
        t_build = time.perf_counter() - t
    print(
        f"load {size / 1e6:.1f} MB glossary ({len(g)} entries): {t_load:.2f} s; "
        f"first match (builds the automaton): {t_build:.2f} s"
    )


if __name__ == "__main__":
    main()
