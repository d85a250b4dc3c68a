"""`bulletin translate --cluster` on a local Ray cluster (a head and two one-CPU worker nodes, started once
per test session): the same bytes as a local run, and a worker killed mid-run loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_batch import write_inputs

from toolkit.cli import main

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'bulletin[cluster]')")

ROOT = Path(__file__).resolve().parent.parent
N_DOCS = 6


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[str]:
    """The address of a local cluster: a head with no CPUs (it only schedules) and two 1-CPU worker nodes."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False})
    for _ in range(2):
        cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    yield cluster.address
    cluster.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cluster-corpus")
    write_inputs(folder, N_DOCS)
    return folder


@pytest.fixture(scope="module")
def local_run(corpus: Path, tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local-run")
    assert main(["translate", str(corpus), "--model", str(tiny_model_dir), "--beams", "1", "-o", str(out),
                 "--quiet"]) == 0
    return out


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def manifest(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def cluster_cmd(corpus: Path, model: Path, out: Path, address: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", "translate", str(corpus), "--model", str(model), "--beams", "1",
            "-o", str(out), "--cluster", address]


def same_records(a: list[dict], b: list[dict]) -> None:
    """Manifests agree on everything but where, when and how fast."""
    def strip(r: dict) -> dict:
        where_when = ("output", "worker", "seconds", "cpu_seconds", "finished")
        return {k: v for k, v in r.items() if k not in where_when}

    assert sorted((strip(r) for r in a), key=lambda r: r["input"]) == sorted(
        (strip(r) for r in b), key=lambda r: r["input"])


def test_a_cluster_run_writes_the_same_bytes_as_a_local_run(
    ray_cluster: str, corpus: Path, tiny_model_dir: Path, local_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cluster"
    r = subprocess.run(cluster_cmd(corpus, tiny_model_dir, out, ray_cluster), capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert len(outputs(local_run)) == N_DOCS and outputs(out) == outputs(local_run)
    recs = manifest(out)
    same_records(recs, manifest(local_run))
    assert len({r["worker"] for r in recs}) == 2  # both workers took documents
    assert "Traceback" not in r.stderr


def test_killing_a_worker_mid_run_loses_nothing(
    ray_cluster: str, corpus: Path, tiny_model_dir: Path, local_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cluster"
    proc = subprocess.Popen(cluster_cmd(corpus, tiny_model_dir, out, ray_cluster), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stderr is not None
    victim = None
    for line in proc.stderr:  # the first finished document names its worker: kill that worker process
        if line.startswith("bulletin: [1/") and "(worker " in line:
            victim = int(line.rsplit("(worker ", 1)[1].split(")")[0].rsplit(":", 1)[1])
            os.kill(victim, signal.SIGKILL)
            break
    rest = proc.stderr.read()
    assert proc.wait() == 0, rest
    assert victim is not None
    recs = manifest(out)
    assert sorted(r["input"] for r in recs) == sorted(r["input"] for r in manifest(local_run))
    assert outputs(out) == outputs(local_run)  # every document, byte for byte
    pids = {int(r["worker"].rsplit(":", 1)[1]) for r in recs}
    assert len(pids) == 3  # the killed worker, its restarted replacement and the other worker

