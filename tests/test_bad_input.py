"""Every bad input gives a sensible document or one clear stderr line and a documented exit code."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def run_cli(capsys, args):
    rc = main(["parse", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def assert_one_error_line(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("bulletin: error: ")
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0]


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "脱贫攻坚简报")


@pytest.mark.parametrize(
    ("name", "make", "code", "needle"),
    [
        ("empty.txt", lambda p: p.write_bytes(b""), 4, "empty"),
        ("blank.txt", lambda p: p.write_bytes(b" \n\r\n\t\n"), 4, "empty"),
        ("image.png", lambda p: p.write_bytes(PNG), 4, "PNG"),
        ("archive.txt", _zip, 4, "zip"),
        ("undecodable.txt", lambda p: p.write_bytes(bytes(range(128, 256)) * 40), 4, "undecodable"),
        ("english.txt", lambda p: p.write_text("Only English text here.\n" * 20), 4, "no Chinese"),
        ("nul-heavy.bin", lambda p: p.write_bytes(b"\x00\x01\x02abc\x00\x00" * 500), 4, "binary"),
    ],
)
def test_bad_files(tmp_path, capsys, name, make, code, needle):
    path = tmp_path / name
    make(path)
    rc, out, err = run_cli(capsys, [str(path)])
    assert rc == code and out == ""
    assert_one_error_line(err, needle)


def test_directory(tmp_path, capsys):
    rc, _, err = run_cli(capsys, [str(tmp_path)])
    assert rc == 3
    assert_one_error_line(err, "directory")


def test_missing_path(tmp_path, capsys):
    rc, _, err = run_cli(capsys, [str(tmp_path / "nope.txt")])
    assert rc == 3
    assert_one_error_line(err, "no such file")


def test_unwritable_output(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rc, _, err = run_cli(capsys, [str(EXAMPLE), "-o", str(blocker / "out.json")])
    assert rc == 7
    assert_one_error_line(err)


@pytest.mark.parametrize("eol", [b"\r\n", b"\r"])
def test_crlf_and_old_mac_line_ends(tmp_path, capsys, eol):
    path = tmp_path / "eol.txt"
    path.write_bytes(EXAMPLE.read_bytes().replace(b"\n", eol))
    rc, out, err = run_cli(capsys, [str(path), "--format", "text"])
    assert rc == 0 and err == ""
    assert "issue: 93" in out and "  四是" in out
    assert "printed: 四川省脱贫攻坚领导小组办公室, 2020-12-21" in out


def test_nul_bytes_inside_good_text_are_stripped(tmp_path, capsys):
    data = EXAMPLE.read_bytes()
    path = tmp_path / "nul.txt"
    path.write_bytes(data[:200] + b"\x00" + data[200:600] + b"\x00" + data[600:])
    rc, out, err = run_cli(capsys, [str(path), "--format", "text"])
    assert rc == 0 and "\x00" not in out and "issue: 93" in out


def test_long_sentence_without_punctuation(tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("脱贫攻坚" * 1250, encoding="utf-8")
    rc, out, err = run_cli(capsys, [str(path), "--format", "text"])
    assert rc == 0 and err == ""
    assert "[s0.0.1] " + "脱贫攻坚" * 1250 in out


def test_only_headers(capsys):
    path = ROOT / "tests" / "data" / "shapes" / "only-headers.txt"
    rc, out, err = run_cli(capsys, [str(path), "--format", "md"])
    assert rc == 0 and err == ""
    assert "> issue: 5" in out


def test_twenty_megabyte_file_parses(tmp_path):
    body = EXAMPLE.read_text(encoding="utf-8").split("党的十八大以来")[1].split("分送")[0]
    path = tmp_path / "big.txt"
    reps = 20_000_000 // len(body.encode("utf-8")) + 1
    path.write_text("脱贫攻坚简报\n\n第93期\n\n党的十八大以来" + body * reps, encoding="utf-8")
    assert path.stat().st_size > 20_000_000
    out = tmp_path / "big.txt"
    cmd = [sys.executable, "-m", "toolkit", "parse", str(path), "--format", "text", "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert out.stat().st_size > 10_000_000


def test_larger_than_the_limit_fails_cleanly(tmp_path, monkeypatch, capsys):
    import toolkit.read as read_mod

    monkeypatch.setattr(read_mod, "DEFAULT_MAX_BYTES", 1000)
    monkeypatch.setattr(read_mod.read, "__kwdefaults__", {"max_bytes": 1000})
    rc, _, err = run_cli(capsys, [str(EXAMPLE)])
    assert rc == 4
    assert_one_error_line(err, "larger than")


def test_subprocess_error_has_no_traceback(tmp_path):
    r = subprocess.run([sys.executable, "-m", "toolkit", "parse", str(tmp_path / "missing.txt")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 3
    assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
