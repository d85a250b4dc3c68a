"""The smaller things a new user tripped over (issue 15, item 5): each one pinned by a test."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"


def bulletin(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_tiny_refuses_a_folder_with_files_unless_forced_and_writes_uniform_modes(tmp_path: Path) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "manifest.json").write_text('{"id": "Helsinki-NLP/opus-mt-zh-en", "files": {}}', encoding="utf-8")
    (out / "weights.keep").write_text("a real model's file\n", encoding="utf-8")
    r = bulletin("model", "tiny", str(out))
    assert r.returncode == 2 and "not empty" in r.stderr and "--force" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "weights.keep"]  # untouched
    r = bulletin("model", "tiny", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no third-party progress bar ("Writing model shards")
    assert not (out / "manifest.json").exists()  # the stale manifest described other files
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir() if p.name != "weights.keep"}
    assert modes["model.safetensors"] == modes["config.json"], modes
    assert len(set(modes.values())) == 1, modes


def test_model_list_has_column_headers(tiny_model_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    shutil.copytree(tiny_model_dir, tmp_path / "tiny")
    monkeypatch.setenv("BULLETIN_MODELS", str(tmp_path))
    assert main(["model", "list"]) == 0
    head, row = capsys.readouterr().out.splitlines()
    assert head.split() == ["NAME", "ID", "REVISION", "SIZE", "FETCHED"]
    assert row.split()[0] == "tiny"
    assert head.index("SIZE") + len("SIZE") == row.index(" MB") + len(" MB")  # right-aligned


def test_an_unknown_device_is_a_usage_error(tiny_model_dir: Path, capsys) -> None:
    rc = main(["translate", str(EXAMPLE), "--model", str(tiny_model_dir), "--device", "gpu0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "--device 'gpu0'" in err[0]


def test_bilingual_with_summary_includes_the_summary(tiny_model_dir: Path, tmp_path: Path) -> None:
    common = [
        str(EXAMPLE),
        "--model",
        str(tiny_model_dir),
        "--beams",
        "1",
        "--format",
        "bilingual",
        "--quiet",
    ]
    assert main(["translate", *common, "-o", str(tmp_path / "plain.md")]) == 0
    assert main(["translate", *common, "--with-summary", "-o", str(tmp_path / "sum.md")]) == 0
    plain = (tmp_path / "plain.md").read_text(encoding="utf-8")
    summed = (tmp_path / "sum.md").read_text(encoding="utf-8")
    assert "**Summary**" not in plain and summed.startswith(plain.rstrip("\n"))
    rows = [
        r for r in summed.split("**Summary**", 1)[1].splitlines() if r.startswith("| ") and "---" not in r
    ]
    summary_rows = rows[1:]  # after the header row
    assert summary_rows
    # every summary row is one of the document's sentences, Chinese and English as in the main table
    pairs = {(r.split(" | ")[1], r.split(" | ")[2]) for r in plain.splitlines() if r.startswith("| s")}
    assert all((r.split(" | ")[1], r.split(" | ")[2]) in pairs for r in summary_rows)
    assert {r.split(" | ")[0].lstrip("| ") for r in summary_rows} >= {"lead"}


def test_jieba_caches_in_the_user_cache_dir_quietly(tmp_path: Path) -> None:
    r = bulletin(
        "parse", str(EXAMPLE), "-o", str(tmp_path / "doc.json"), env={"XDG_CACHE_HOME": str(tmp_path)}
    )
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert (tmp_path / "bulletin" / "jieba.cache").stat().st_size > 1_000_000


def test_an_unusable_cache_dir_costs_no_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    r = bulletin(
        "parse", str(EXAMPLE), "-o", str(tmp_path / "doc.json"), env={"XDG_CACHE_HOME": str(blocker)}
    )
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert json.loads((tmp_path / "doc.json").read_text(encoding="utf-8"))["sections"]


def test_help_lists_every_exit_code() -> None:
    text = " ".join(build_parser().format_help().split())
    for code in (
        "0 ok",
        "2 usage",
        "7 cannot write output",
        "8 some documents",
        "70 internal",
        "130 interrupted",
    ):
        assert code in text, code


@pytest.mark.parametrize("fmt", ["md", "text"])
def test_stdin_into_a_folder_writes_stdin_not_dash(tiny_model_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "translate",
            "-",
            "--model",
            str(tiny_model_dir),
            "--beams",
            "1",
            "--format",
            fmt,
            "-o",
            str(out),
            "--quiet",
        ],
        input=EXAMPLE.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    ext = {"md": ".md", "text": ".txt"}[fmt]
    assert sorted(p.name for p in out.iterdir()) == sorted([f"stdin{ext}", "manifest.jsonl"])
