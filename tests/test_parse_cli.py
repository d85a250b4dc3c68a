"""`bulletin parse`: formats, -o, --verbose, stdin, and no torch import."""

import io
import json
import subprocess
import sys
from pathlib import Path

from toolkit.cli import main
from toolkit.doc import Document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sichuan-poverty-2020-93.txt"


def test_json_is_the_document_model(capsys):
    assert main(["parse", str(EXAMPLE)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["header"]["issue"] == 93 and d["footer"]["print_date"] == "2020-12-21"
    assert [len(s["points"]) for s in d["sections"]] == [3, 4, 3]
    assert "offsets" not in d and "text" not in d
    doc = Document.from_dict(d)
    assert doc.sections[1].points[3].sentences[0].id == "s2.4.1"
    figs = [f["text"] for s in d["sections"][0]["points"][1]["sentences"] for f in s["figures"]]
    assert figs == ["10余次", "近100次", "18个", "超过23.4亿元"]


def test_markdown_and_text_views(capsys):
    assert main(["parse", str(EXAMPLE), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("> name: 脱贫攻坚简报")
    assert "# 画出最大“同心圆”聚力决战脱贫攻坚 `t1`" in md
    assert "## 三、 落实各方责任，绘就民主监督“责任图” `h3`" in md
    assert "- **四是** (point 4)" in md and "`s2.4.1`" in md
    assert "分送: 致公党中央 | 中农办" in md
    assert main(["parse", str(EXAMPLE), "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "SUBTITLE ——广安市各民主党派助力全面建成小康社会 [t2]" in text
    assert "  一是\n    [s1.1.1] 全篇谋划，形成整体合力。" in text


def test_output_file_and_verbose(tmp_path, capsys):
    out = tmp_path / "sub" / "doc.json"
    gb = tmp_path / "gb.txt"
    gb.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert main(["parse", str(gb), "-o", str(out), "--verbose"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "encoding gb18030" in captured.err and "traditional no" in captured.err
    assert "3 sections, 10 points" in captured.err
    assert json.loads(out.read_text(encoding="utf-8"))["header"]["name"] == "脱贫攻坚简报"


def test_stdin(monkeypatch, capsys):
    data = (ROOT / "tests" / "data" / "shapes" / "traditional.txt").read_text(encoding="utf-8").encode("big5")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["parse", "-", "--verbose"]) == 0
    captured = capsys.readouterr()
    d = json.loads(captured.out)
    assert d["source"] == "-" and d["encoding"] == "big5" and d["traditional"] is True
    assert "traditional yes" in captured.err


def test_parse_does_not_import_torch(tmp_path):
    out = tmp_path / "o.json"
    code = (
        "import sys; from toolkit.cli import main; "
        f"rc = main(['parse', {str(EXAMPLE)!r}, '-o', {str(out)!r}]); "
        "assert rc == 0, rc; assert 'torch' not in sys.modules, 'torch imported'; "
        "assert 'transformers' not in sys.modules"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.exists()


def test_output_format_follows_the_o_extension_and_a_clash_is_refused_before_writing(tmp_path, capsys):
    md = tmp_path / "brief.md"
    assert main(["parse", str(EXAMPLE), "-o", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("> name: 脱贫攻坚简报")  # Markdown, not JSON
    js = tmp_path / "doc.json"
    assert main(["parse", str(EXAMPLE), "-o", str(js)]) == 0
    assert json.loads(js.read_text(encoding="utf-8"))["header"]["issue"] == 93
    capsys.readouterr()
    for argv in (["-o", str(tmp_path / "page.html")], ["--format", "json", "-o", str(tmp_path / "x.md")]):
        assert main(["parse", str(EXAMPLE), *argv]) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("bulletin: "), err
    assert not (tmp_path / "page.html").exists() and not (tmp_path / "x.md").exists()
