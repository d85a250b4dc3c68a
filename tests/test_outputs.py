"""Outputs that cannot collide or destroy: planned before any work, written safely whatever -o names."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from toolkit.atomic import write_atomic
from toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"
TEXT = "脱贫攻坚简报\n\n一、总体要求\n\n推进乡村振兴，巩固脱贫攻坚成果。\n"


def bulletin(folder: Path, name: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(TEXT, encoding="utf-8")
    return p


# -- planned before any work: a model that does not exist proves nothing was translated (that is exit 6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "md", "-o", "{tmp}/out.html"], "--format md writes .md files but -o"),
        (["--format", "json", "-o", "{tmp}/out.txt"], "--format json writes .json files"),
        (["{second}", "-o", "{tmp}/all.md"], "several inputs need -o DIR"),
        (["{second}", "-o", "{existing}"], "several inputs need -o DIR, but"),
        (["-o", "{src}"], "would overwrite the input"),
        (["-o", "{link_to_src}"], "would overwrite the input"),
        (["{second}"], "several inputs need -o DIR"),
    ],
)
def test_output_mistakes_are_usage_errors_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    src = bulletin(tmp_path, "a.txt")
    second = bulletin(tmp_path, "b.txt")
    existing = tmp_path / "existing"
    existing.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(src)
    subs = {"tmp": str(tmp_path), "second": str(second), "existing": str(existing), "src": str(src),
            "link_to_src": str(tmp_path / "link.md")}
    argv = ["translate", str(src), *(a.format(**subs) for a in args), "--model", str(tmp_path / "no-model")]
    rc = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and message in err[0], err
    assert src.read_text(encoding="utf-8") == TEXT and existing.read_text(encoding="utf-8") == "keep me\n"
    assert not (tmp_path / "out.html").exists() and not (tmp_path / "all.md").exists()


def test_same_relative_name_in_two_folders_is_mirrored_not_overwritten(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    a = bulletin(tmp_path / "a", "x.txt")
    b = bulletin(tmp_path / "b", "x.txt")
    b.write_text(TEXT.replace("乡村振兴", "民主监督"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["translate", str(a), str(b), "--model", str(tiny_model_dir), "--beams", "1", "-o", str(out),
                 "--quiet"]) == 0
    one = (out / "a" / "x.md").read_text(encoding="utf-8")
    assert one and one != (out / "b" / "x.md").read_text(encoding="utf-8")  # both kept, each its own


def test_inputs_that_would_land_on_one_output_are_refused_before_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = bulletin(tmp_path / "in", "x.txt")
    b = bulletin(tmp_path / "in", "x.text")  # both become x.md
    rc = main(["translate", str(a), str(b), "-o", str(tmp_path / "out"), "--model", str(tmp_path / "none")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "would both be written to" in err[0]
    assert not (tmp_path / "out").exists()


def test_the_input_folder_as_output_folder_cannot_overwrite_inputs(tmp_path: Path, capsys) -> None:
    bulletin(tmp_path / "in", "x.txt")
    rc = main(["translate", str(tmp_path / "in"), "-o", str(tmp_path / "in"), "--format", "text"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "would overwrite the input" in err[0]
    assert (tmp_path / "in" / "x.txt").read_text(encoding="utf-8") == TEXT


def test_a_directory_is_searched_recursively_and_the_output_folder_left_out(tmp_path: Path) -> None:
    from toolkit.outputs import plan

    bulletin(tmp_path / "corpus" / "2019", "a.txt")
    bulletin(tmp_path / "corpus" / "2020" / "q1", "b.txt")
    bulletin(tmp_path / "corpus" / "out" / "2019", "a.txt")  # an earlier run's --format text output
    p = plan([str(tmp_path / "corpus")], str(tmp_path / "corpus" / "out"), "text")
    rel = [os.path.relpath(j.output or "", tmp_path / "corpus" / "out") for j in p.jobs]
    assert rel == ["2019/a.txt", "2020/q1/b.txt"]
    assert p.outdir == tmp_path / "corpus" / "out" and p.fmt == "text"


def test_stdin_in_a_folder_is_named_stdin(tmp_path: Path) -> None:
    from toolkit.outputs import plan

    p = plan(["-"], str(tmp_path) + os.sep, None)
    assert [j.output for j in p.jobs] == [str(tmp_path / "stdin.md")] and p.jobs[0].name == "stdin"


@pytest.mark.parametrize(("out", "requested", "fmt"), [
    ("x.html", None, "html"), ("x.json", None, "json"), ("x.txt", None, "text"), ("x.md", None, "md"),
    ("x.md", "bilingual", "bilingual"), ("x.out", "json", "json"), ("/dev/stdout", None, "md"),
    (None, "text", "text"),
])
def test_the_format_follows_the_output_extension(out: str | None, requested: str | None, fmt: str) -> None:
    from toolkit.outputs import choose_format

    assert choose_format(requested, out) == fmt


def test_html_output_by_extension_is_html(tiny_model_dir: Path, tmp_path: Path) -> None:
    src = bulletin(tmp_path, "a.txt")
    out = tmp_path / "review.html"
    assert main(["translate", str(src), "--model", str(tiny_model_dir), "--beams", "1", "-o", str(out),
                 "--quiet"]) == 0
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


# -- writing: regular files atomically, everything else through


def test_a_symlink_output_writes_its_target_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert main(["parse", str(EXAMPLE), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert '"sections"' in target.read_text(encoding="utf-8")


def test_a_fifo_output_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["parse", str(EXAMPLE), "--format", "text", "-o", str(fifo)]) == 0
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a file put in its place
    assert got and "脱贫攻坚" in got[0].decode("utf-8")


def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # as root: a private /dev/null, so a bug cannot replace the system's
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        dev = Path("/dev/null")
    assert main(["parse", str(EXAMPLE), "-o", str(dev)]) == 0
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_a_full_device_is_an_output_error_and_stays_a_device(tmp_path: Path, capsys) -> None:
    if os.geteuid() == 0:
        dev = tmp_path / "full"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    else:
        dev = Path("/dev/full")
    rc = main(["parse", str(EXAMPLE), "-o", str(dev)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 7 and len(err) == 1 and "No space left" in err[0]
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_dev_stdout_is_written_through() -> None:
    code = "import sys; from toolkit.cli import main; sys.exit(main(sys.argv[1:]))"
    r = subprocess.run([sys.executable, "-c", code, "parse", str(EXAMPLE), "--format", "text", "-o",
                        "/dev/stdout"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "脱贫攻坚" in r.stdout, r.stderr


def test_write_atomic_replaces_a_regular_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    p = tmp_path / "f.txt"
    p.write_text("old\n", encoding="utf-8")
    p.chmod(0o600)
    write_atomic(p, "new\n")
    assert p.read_text(encoding="utf-8") == "new\n" and stat.S_IMODE(p.stat().st_mode) == 0o600
    assert [x.name for x in tmp_path.iterdir()] == ["f.txt"]  # no temp file left behind
