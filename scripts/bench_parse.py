"""Benchmark (not a test): `bulletin parse` stages on 1, 5 and 20 MB inputs built from the example.

With ``--cli``: the whole `bulletin parse --format json` in a fresh process, with its peak RSS (the
acceptance: 20 MB under 1 GB). Prints seconds per MB for each size and the ratio to the 1 MB run:
linear time shows as ratios near
1.0 (a quadratic step would give about 5x and 20x). Usage: python scripts/bench_parse.py [--sizes 1 5 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.annotate import annotate  # noqa: E402
from toolkit.normalize import normalize  # noqa: E402
from toolkit.read import read  # noqa: E402
from toolkit.structure import structure  # noqa: E402

EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"


def build(path: Path, megabytes: float) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    head, rest = text.split("党的十八大以来", 1)
    body, foot = rest.split("分送", 1)
    body = "党的十八大以来" + body
    reps = int(megabytes * 1_000_000 // len(body.encode("utf-8"))) + 1
    path.write_text(head + body * reps + "分送" + foot, encoding="utf-8")


def run_once(path: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    doc = read(str(path))
    times["read"] = time.perf_counter() - t
    for name, stage in (("normalize", normalize), ("structure", structure), ("annotate", annotate)):
        t = time.perf_counter()
        doc = stage(doc)
        times[name] = time.perf_counter() - t
    t = time.perf_counter()
    json.dumps(doc.to_dict(), ensure_ascii=False)
    times["to_json"] = time.perf_counter() - t
    times["total"] = sum(times.values())
    return times


def run_cli(path: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `bulletin parse FILE --format json -o OUT` in a fresh process."""
    import subprocess

    t = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys; from toolkit.cli import main; rc = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)",
            "parse",
            str(path),
            "--format",
            "json",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - t, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20], help="input sizes in MB")
    ap.add_argument("--memory", action="store_true", help="also report peak Python memory (slower)")
    ap.add_argument(
        "--cli",
        action="store_true",
        help="measure `bulletin parse --format json` end to end instead: seconds/MB and peak RSS",
    )
    args = ap.parse_args()
    base: dict[str, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = Path(tmp) / f"bench-{mb}.txt"
            build(path, mb)
            size = path.stat().st_size / 1_000_000
            if args.cli:
                secs, rss = run_cli(path, Path(tmp) / "out.json")
                base = base or {"total": secs / size}
                print(
                    f"{size:6.1f} MB: parse --format json {secs / size:.3f}s/MB "
                    f"(x{secs / size / base['total']:.2f})  peak RSS {rss:.0f} MB",
                    flush=True,
                )
                continue
            if args.memory:
                tracemalloc.start()
            times = run_once(path)
            peak = tracemalloc.get_traced_memory()[1] / 1e6 if args.memory else None
            if args.memory:
                tracemalloc.stop()
            per_mb = {k: v / size for k, v in times.items()}
            base = base or per_mb
            ratios = "  ".join(f"{k} {per_mb[k]:.3f}s/MB (x{per_mb[k] / base[k]:.2f})" for k in per_mb)
            mem = f"  peak {peak:.0f} MB" if peak is not None else ""
            print(f"{size:6.1f} MB: {ratios}{mem}", flush=True)
    print("ratios are seconds-per-MB relative to the first size; ~1.0 means linear time")


if __name__ == "__main__":
    main()
