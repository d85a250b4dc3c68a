"""The README's Python API example, extracted from the README and run as written (tiny model)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    """The first python block of the README's "Python API" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Python API section has no python example"
    return match.group(1)


def test_the_example_is_short():
    assert len(readme_example().strip().splitlines()) <= 10


def test_readme_example_runs_and_prints_the_qa_totals(tiny_model_dir, tmp_path, monkeypatch):
    from toolkit.glossary.store import Glossary

    # the example loads Helsinki-NLP/opus-mt-zh-en from the models folder: install the tiny model there
    models = tmp_path / "models"
    shutil.copytree(tiny_model_dir, models / "opus-mt-zh-en")
    monkeypatch.setenv("BULLETIN_MODELS", str(models))
    monkeypatch.delenv("BULLETIN_GLOSSARY", raising=False)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), str(README), "exec"), {"__name__": "__readme__"})
    lines = out.getvalue().splitlines()

    qa = re.fullmatch(r"QA: (\d+) sentences?, (\d+)/(\d+) constraints?, 0 foreign figures, 0 violations",
                      lines[-1])
    assert qa, lines[-1]
    assert qa.group(1) == "2"  # the example's two sentences
    assert qa.group(2) == qa.group(3)  # every constraint kept
    shipped = Glossary.load()
    body = "\n".join(lines[:-1])
    for term in ("脱贫攻坚", "领导小组", "贫困村"):  # policy terms of the example, in the shipped glossary
        entry = shipped.lookup(term)
        if entry is None:
            pytest.fail(f"{term} is not in the shipped glossary any more: pick other terms for this test")
        # a rendering that opens its sentence is capitalised there (Sentence-case English)
        assert entry.en in body or entry.en[:1].upper() + entry.en[1:] in body, entry.en
    assert "11501" in body  # a figure, verbatim
    assert int(qa.group(3)) >= 4  # three terms and at least one figure were constraints
