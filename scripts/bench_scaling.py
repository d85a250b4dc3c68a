"""Documents per minute for one process, N local processes and a local N-worker Ray cluster.

The same corpus (the shipped example and the test bulletins, repeated to --docs documents) is translated
by ``bulletin translate DIR -o OUT`` in each layout; wall time from start to last output, model loads
included, as a user would see them. Every layout's outputs are checked byte for byte against the first.
Ratios are against the one-process, one-core baseline measured in the same run.

    python scripts/bench_scaling.py [--docs 24] [--workers 2] [--model DIR] [--beams 4]

Without --model the tiny random-weight model is built (its decoding cost per sentence is far below the
real model's: use the ratios, and the sentences/s of scripts/bench_translate.py for absolute numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "data").glob("*.txt")) + [
    ROOT / "examples" / "sichuan-poverty-2020-93.txt"
]


def bulletin(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", "translate", *args]


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def cpu_per_doc(folder: Path) -> float:
    """Mean CPU seconds per document, from the workers' own clocks in the manifests (robust when other
    processes share the CPUs, unlike wall time)."""
    recs = [json.loads(x) for m in folder.rglob("manifest.jsonl") for x in m.read_text().splitlines()]
    return sum(r["cpu_seconds"] for r in recs) / len(recs)


def timed(cmds: list[list[str]]) -> float:
    """Run the commands side by side; seconds until the last one ends."""
    start = time.perf_counter()
    procs = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in cmds]
    for p in procs:
        _, err = p.communicate()
        if p.returncode:
            sys.exit(f"failed: {err.decode()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=24)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model")
    ap.add_argument("--beams", default="4")
    ap.add_argument("--no-cluster", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    try:
        model = a.model
        if not model:
            from toolkit.translate.tiny import build_tiny_model

            model = str(build_tiny_model(tmp / "tiny"))
        corpus = tmp / "corpus"
        for i in range(a.docs):
            src = SOURCES[i % len(SOURCES)]
            dst = corpus / f"shard{i % a.workers}" / f"{i:04d}-{src.name}"
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
        common = ["--model", model, "--beams", a.beams, "--quiet"]
        rows: list[tuple[str, float, Path]] = []
        load = os.getloadavg()
        t = timed([bulletin(str(corpus), "-o", str(tmp / "one"), "--threads", "1", *common)])
        rows.append(("1 process, 1 core", t, tmp / "one"))
        reference = outputs(tmp / "one")
        t = timed([bulletin(str(corpus), "-o", str(tmp / "one-all"), *common)])
        rows.append((f"1 process, all {os.cpu_count()} cores (--threads default)", t, tmp / "one-all"))
        assert outputs(tmp / "one-all") == reference
        t = timed(
            [
                bulletin(
                    str(corpus / f"shard{k}"),
                    "-o",
                    str(tmp / "many" / f"shard{k}"),
                    "--threads",
                    "1",
                    *common,
                )
                for k in range(a.workers)
            ]
        )
        rows.append((f"{a.workers} local processes, 1 core each", t, tmp / "many"))
        assert outputs(tmp / "many") == reference
        if not a.no_cluster:
            from ray.cluster_utils import Cluster

            start = time.perf_counter()
            cluster = Cluster(
                initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False}
            )
            for _ in range(a.workers):
                cluster.add_node(num_cpus=1)
            cluster.wait_for_nodes()
            up = time.perf_counter() - start
            try:
                t = timed(
                    [bulletin(str(corpus), "-o", str(tmp / "cluster"), "--cluster", cluster.address, *common)]
                )
            finally:
                cluster.shutdown()
            rows.append(
                (
                    f"local Ray cluster, {a.workers} one-CPU worker nodes (started in {up:.1f} s, "
                    "not counted)",
                    t,
                    tmp / "cluster",
                )
            )
            assert outputs(tmp / "cluster") == reference
        load_after = os.getloadavg()
        base = rows[0][1]
        print(
            f"{a.docs} documents, beams {a.beams}, model {'tiny' if not a.model else a.model}; "
            f"load average before {load[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} CPUs"
        )
        print(
            "| layout | wall s | documents/min (wall) | vs 1 process, 1 core | CPU s/document | "
            "documents/min per busy core |"
        )
        print("|---|---|---|---|---|---|")
        for name, t, folder in rows:
            cpu = cpu_per_doc(folder)
            print(
                f"| {name} | {t:.1f} | {60 * a.docs / t:.1f} | {base / t:.2f}x | {cpu:.2f} | {60 / cpu:.1f} |"
            )
        print("outputs: byte-identical in every layout")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
