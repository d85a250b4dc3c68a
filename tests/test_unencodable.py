"""A rendering the model's target vocabulary cannot spell is reported per entry, never silently dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.cli import main


@pytest.fixture(scope="module")
def no_fallback_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model whose target sentencepiece has no byte fallback, like opus-mt-zh-en's."""
    from toolkit.translate.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("nobf"), byte_fallback=False)


@pytest.fixture
def user_glossary(tmp_path: Path) -> Path:
    path = tmp_path / "user.tsv"
    path.write_text("zh\ten\tvariants\tcategory\tnote\n乌鲁木齐\tÜrümqi\t\tplace\t\n", encoding="utf-8")
    return path


def test_glossary_check_with_model_lists_the_entry(
    no_fallback_model: Path, user_glossary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(
        [
            "glossary",
            "check",
            "--no-default-glossary",
            "--glossary",
            str(user_glossary),
            "--model",
            str(no_fallback_model),
        ]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 1
    assert out == [
        f"{user_glossary}:2: model {no_fallback_model} cannot produce the rendering of 乌鲁木齐 'Ürümqi': Ü ü"
    ]


def test_translation_reports_the_constraint_it_cannot_express(
    no_fallback_model: Path, user_glossary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "u.txt"
    src.write_text("一、基本情况\n\n乌鲁木齐市帮扶贫困户954户。\n", encoding="utf-8")
    out = tmp_path / "u.json"
    rc = main(
        [
            "translate",
            str(src),
            "--model",
            str(no_fallback_model),
            "--glossary",
            str(user_glossary),
            "--format",
            "json",
            "-o",
            str(out),
            "--strict",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 1
    assert "cannot spell 1 constraint(s): 'Ürümqi' (Ü ü)" in err
    doc = json.loads(out.read_text(encoding="utf-8"))
    sent = doc["sections"][0]["sentences"][0]
    assert "missing constraint 'Ürümqi' (0 of 1)" in sent["qa"]
    assert "954 households" in sent["en"]  # the constraints it can express are still guaranteed
