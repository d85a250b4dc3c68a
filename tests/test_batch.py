"""`bulletin translate` over many files: keep going, report, manifest, resume, and survive SIGKILL."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent

#: short bulletins (a few sentences each: the batch tests are about the batch, not the decoder)
BODIES = [
    "一、总体要求\n\n推进乡村振兴，巩固脱贫攻坚成果。\n",
    "一、主要成效\n\n帮助贫困户88户增收。\n",
    "一、工作安排\n\n全市新建道路12公里，投入资金3.5亿元。\n",
    "一、基本情况\n\n全县开展脱贫攻坚工作，帮扶贫困户954户。\n",
    "一、下一步工作\n\n加强民主监督，做好光彩事业。\n",
    "一、保障措施\n\n各级党委要加强领导，落实责任。\n",
]


def write_inputs(folder: Path, n: int = 3) -> list[Path]:
    paths = []
    for i in range(n):
        p = folder / f"d{i // 2}" / f"b{i}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("脱贫攻坚简报\n\n第1期\n\n" + BODIES[i % len(BODIES)], encoding="utf-8")
        paths.append(p)
    return paths


def manifest_lines(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def translate(*args: str) -> int:
    return main(["translate", *args])


def test_one_bad_file_never_costs_the_rest(tiny_model_dir: Path, tmp_path: Path, capsys) -> None:
    a, b = write_inputs(tmp_path / "in", 2)
    empty = tmp_path / "in" / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "in" / "missing.txt"
    out = tmp_path / "out"
    rc = translate(str(a), str(empty), str(missing), str(b), "--model", str(tiny_model_dir), "--beams", "1",
                   "-o", str(out))
    err = capsys.readouterr().err
    assert rc == 8  # documented: some documents of the batch failed
    assert (out / "d0" / "b0.md").read_text(encoding="utf-8").strip()
    assert (out / "d0" / "b1.md").read_text(encoding="utf-8").strip()
    assert not (out / "empty.md").exists() and not (out / "missing.md").exists()
    errors = [line for line in err.splitlines() if line.startswith("bulletin: error: ")]
    assert len(errors) == 2 and "empty input" in errors[0] and "no such file" in errors[1]
    assert "2 translated, 2 failed of 4 documents" in err
    assert err.strip().splitlines()[-1] == f"bulletin: failed: {empty}, {missing}"
    assert "Traceback" not in err
    by_input = {r["input"]: r for r in manifest_lines(out)}
    assert by_input[str(empty)]["status"] == "failed" and by_input[str(empty)]["exit_code"] == 4
    assert by_input[str(missing)]["exit_code"] == 3 and by_input[str(missing)]["input_sha256"] is None
    assert by_input[str(a)]["status"] == "ok"


def test_fail_fast_stops_at_the_first_failure_and_keeps_what_was_done(
    tiny_model_dir: Path, tmp_path: Path, capsys
) -> None:
    a, b = write_inputs(tmp_path / "in", 2)
    empty = tmp_path / "in" / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    rc = translate(str(a), str(empty), str(b), "--model", str(tiny_model_dir), "--beams", "1", "-o", str(out),
                   "--fail-fast", "--quiet")
    err = capsys.readouterr().err
    assert rc == 4  # the failed document's own exit code
    assert err.strip().splitlines()[-1] == f"bulletin: error: {empty}: empty input"
    assert "1 not tried (--fail-fast)" in err
    assert (out / "d0" / "b0.md").exists() and not (out / "d0" / "b1.md").exists()
    assert [r["status"] for r in manifest_lines(out)] == ["ok", "failed"]


def test_manifest_records_what_was_done_with_what(tiny_model_dir: Path, tmp_path: Path, capsys) -> None:
    inputs = write_inputs(tmp_path / "in", 2)
    gloss = tmp_path / "extra.tsv"
    rows = "zh\ten\tvariants\tcategory\tnote\n光彩事业\tGuangcai Programme\t\t\t\n"
    gloss.write_text(rows, encoding="utf-8")
    out = tmp_path / "out"
    assert translate(str(tmp_path / "in"), "--model", str(tiny_model_dir), "--beams", "1", "-o", str(out),
                     "--glossary", str(gloss), "--quiet") == 0
    recs = manifest_lines(out)
    assert [r["input"] for r in recs] == [str(p) for p in inputs]
    for rec, src in zip(recs, inputs, strict=True):
        assert rec["input_sha256"] == sha(src)
        assert rec["output_sha256"] == sha(Path(rec["output"]))
        assert rec["status"] == "ok" and rec["error"] is None
        assert rec["qa"]["violations"] == 0 and rec["qa"]["sentences"] >= 3
        assert rec["model"]["id"] == str(tiny_model_dir)
        assert rec["model"]["sha256"] == recs[0]["model"]["sha256"] and len(rec["model"]["sha256"]) == 64
        paths = [g["path"] for g in rec["glossary"]]
        assert paths[-1] == str(gloss) and rec["glossary"][-1]["sha256"] == sha(gloss)
        assert rec["options"]["beams"] == 1 and rec["options"]["format"] == "md"
        assert rec["options"]["batch_size"] == 8 and "with_summary" in rec["options"]
        assert rec["seconds"] > 0 and rec["finished"].endswith("+00:00")


def test_resume_skips_unchanged_documents_and_redoes_changed_ones(
    tiny_model_dir: Path, tmp_path: Path, capsys
) -> None:
    a, b, c = write_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    common = ["--model", str(tiny_model_dir), "--beams", "1", "-o", str(out)]
    assert translate(str(tmp_path / "in"), *common) == 0
    first = {r["input"]: r for r in manifest_lines(out)}
    capsys.readouterr()
    # nothing changed: nothing is translated again
    assert translate(str(tmp_path / "in"), *common, "--resume") == 0
    err = capsys.readouterr().err
    assert "0 translated, 3 unchanged (skipped, --resume)" in err
    assert {r["input"]: r for r in manifest_lines(out)} == first
    # one input edited, one output damaged: those two are redone, the third is kept
    b.write_text(b.read_text(encoding="utf-8") + "\n加强民主监督。\n", encoding="utf-8")
    (out / "d1" / "b2.md").write_text("edited by hand\n", encoding="utf-8")
    assert translate(str(tmp_path / "in"), *common, "--resume", "--quiet") == 0
    recs = manifest_lines(out)
    assert sorted(r["input"] for r in recs) == sorted(first)  # still one line per document
    now = {r["input"]: r for r in recs}
    assert now[str(a)] == first[str(a)]
    assert now[str(b)]["input_sha256"] == sha(b) != first[str(b)]["input_sha256"]
    assert now[str(c)]["finished"] >= first[str(c)]["finished"] and (out / "d1" / "b2.md").read_text(
        encoding="utf-8") != "edited by hand\n"
    # a decoding option changed: everything is redone
    assert translate(str(tmp_path / "in"), *common, "--resume", "--batch-size", "2") == 0
    assert "3 translated, 0 failed" in capsys.readouterr().err


def test_resume_needs_an_output_folder(tiny_model_dir: Path, tmp_path: Path, capsys) -> None:
    (src,) = write_inputs(tmp_path, 1)
    assert translate(str(src), "--model", str(tiny_model_dir), "--resume") == 2
    assert "--resume needs -o DIR" in capsys.readouterr().err


def test_progress_reports_documents_sentences_and_an_eta(
    tiny_model_dir: Path, tmp_path: Path, capsys
) -> None:
    write_inputs(tmp_path / "in", 3)
    assert translate(str(tmp_path / "in"), "--model", str(tiny_model_dir), "--beams", "1",
                     "-o", str(tmp_path / "out")) == 0
    lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("bulletin: [")]
    assert [x.split("]")[0] for x in lines] == ["bulletin: [1/3", "bulletin: [2/3", "bulletin: [3/3"]
    sentences = [int(x.split("; ")[1].split()[0]) for x in lines]
    assert sentences[0] > 0 and sentences == sorted(sentences)
    assert all("docs/min" in x and "ETA " in x for x in lines)
    assert lines[-1].endswith("ETA 0:00:00")


def test_a_batch_killed_with_sigkill_resumes_without_losing_or_repeating_a_document(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    inputs = write_inputs(tmp_path / "in", 6)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "toolkit", "translate", str(tmp_path / "in"), "--model", str(tiny_model_dir),
           "--beams", "1", "-o", str(out)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
                            cwd=ROOT)
    assert proc.stderr is not None
    for line in proc.stderr:  # synchronise on the progress output: the first document is done
        if line.startswith("bulletin: [1/6]"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = manifest_lines(out)
    assert 1 <= len(done_before) < 6
    rc = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert rc.returncode == 0, rc.stderr
    assert f"{len(done_before)} unchanged (skipped, --resume)" in rc.stderr
    recs = manifest_lines(out)
    assert sorted(r["input"] for r in recs) == sorted(str(p) for p in inputs)  # each exactly once
    assert recs[: len(done_before)] == done_before  # what was done is not done again
    assert all(r["status"] == "ok" and r["output_sha256"] == sha(Path(r["output"])) for r in recs)
    leftovers = [p.name for p in out.rglob(".*.tmp")]
    assert leftovers == []


def test_a_torn_last_manifest_line_is_dropped_on_resume(tiny_model_dir: Path, tmp_path: Path) -> None:
    write_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    common = [str(tmp_path / "in"), "--model", str(tiny_model_dir), "--beams", "1", "-o", str(out), "--quiet"]
    assert translate(*common) == 0
    text = (out / "manifest.jsonl").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    (out / "manifest.jsonl").write_text(lines[0] + lines[1][:40], encoding="utf-8")  # a crash mid-write
    assert translate(*common, "--resume") == 0
    recs = manifest_lines(out)  # every line parses
    assert len(recs) == 2 and recs[0] == json.loads(lines[0])


def test_without_ray_cluster_is_a_usage_error_before_work(tmp_path: Path, monkeypatch, capsys) -> None:
    (src,) = write_inputs(tmp_path, 1)
    monkeypatch.setitem(sys.modules, "ray", None)  # as if ray were not installed
    rc = main(["translate", str(src), "-o", str(tmp_path / "out"), "--cluster", "local"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "pip install 'bulletin[cluster]'" in err[0]
    assert not (tmp_path / "out").exists()
