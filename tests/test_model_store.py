"""Model store: resolving --model, the offline error, fetch's manifest and its sha256 check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.errors import ModelError
from toolkit.translate import model_store


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "models"
    d.mkdir()
    monkeypatch.setenv("BULLETIN_MODELS", str(d))
    return d


def test_missing_default_model_names_the_fetch_command(models: Path) -> None:
    with pytest.raises(ModelError) as e:
        model_store.resolve(None)
    assert "bulletin model fetch Helsinki-NLP/opus-mt-zh-en" in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_folder_is_a_model_error(models: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        model_store.resolve("./no/such/folder")


def test_hub_id_resolves_into_models_dir(models: Path, tiny_model_dir: Path) -> None:
    shutil.copytree(tiny_model_dir, models / "opus-mt-zh-en")
    assert model_store.resolve("Helsinki-NLP/opus-mt-zh-en") == models / "opus-mt-zh-en"
    assert model_store.resolve(tiny_model_dir) == tiny_model_dir


def test_offline_fetch_fails_with_one_line(models: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(models.parent / "hf-home"))
    assert main(["model", "fetch"]) == 6
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "cannot fetch Helsinki-NLP/opus-mt-zh-en" in err


def fake_hub(tiny: Path, calls: list):
    def snapshot_download(repo_id, revision=None, local_dir=None, allow_patterns=None, **kw):
        calls.append((repo_id, revision, allow_patterns))
        dest = Path(local_dir)
        dest.mkdir(parents=True, exist_ok=True)
        for f in tiny.iterdir():
            if any(f.match(p) for p in allow_patterns):
                shutil.copy(f, dest / f.name)
        (dest / "pytorch_model.bin").unlink(missing_ok=True)
        return str(dest)

    return snapshot_download


def test_fetch_writes_manifest_and_load_verifies_it(
    models: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub

    calls: list = []
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_hub(tiny_model_dir, calls))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # the revision lookup fails quietly
    path = model_store.fetch("Helsinki-NLP/opus-mt-zh-en", revision="abc123")
    assert path == models / "opus-mt-zh-en"
    assert calls[0][2] == model_store.ALLOW_PATTERNS and calls[0][1] == "abc123"
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["id"] == "Helsinki-NLP/opus-mt-zh-en" and manifest["revision"] == "abc123"
    expected = {"config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json"}
    assert set(manifest["files"]) >= expected
    assert manifest["files"]["vocab.json"] == model_store.sha256_file(path / "vocab.json")
    model_store.verify_manifest(path)
    listed = model_store.list_models()
    assert [m["id"] for m in listed] == ["Helsinki-NLP/opus-mt-zh-en"] and listed[0]["revision"] == "abc123"

    (path / "vocab.json").write_text((path / "vocab.json").read_text() + " ")
    with pytest.raises(ModelError, match="sha256"):
        model_store.verify_manifest(path)
    from toolkit.translate.engine import Engine

    with pytest.raises(ModelError, match="sha256"):
        Engine.load("Helsinki-NLP/opus-mt-zh-en", verify=True)


def test_model_list_command(models: Path, tiny_model_dir: Path, capsys) -> None:
    assert main(["model", "list"]) == 0
    assert "no models" in capsys.readouterr().out
    shutil.copytree(tiny_model_dir, models / "tiny")
    assert main(["model", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["name"] == "tiny" and listed[0]["architecture"] == "d64 2+2 swish"
    assert main(["model", "list"]) == 0
    assert "d64 2+2 swish" in capsys.readouterr().out


def test_folder_without_safetensors_is_refused(tmp_path: Path, tiny_model_dir: Path) -> None:
    from toolkit.translate.engine import Engine

    d = tmp_path / "m"
    shutil.copytree(tiny_model_dir, d)
    (d / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="safetensors"):
        Engine.load(d)


def test_fetch_converts_a_bin_only_repository_to_safetensors(
    models: Path, tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many opus-mt repositories ship only pytorch_model.bin: it is loaded tensors-only and converted."""
    import huggingface_hub
    import torch

    from toolkit.translate.engine import Engine

    hub = tmp_path / "hub"
    shutil.copytree(tiny_model_dir, hub)
    from transformers import MarianMTModel

    reference = Engine.load(tiny_model_dir)
    torch.save(MarianMTModel.from_pretrained(str(tiny_model_dir)).state_dict(), hub / "pytorch_model.bin")
    (hub / "model.safetensors").unlink()
    calls: list = []

    def snapshot_download(repo_id, revision=None, local_dir=None, allow_patterns=None, **kw):
        calls.append(allow_patterns)
        dest = Path(local_dir)
        dest.mkdir(parents=True, exist_ok=True)
        for f in hub.iterdir():
            if any(f.match(p) for p in allow_patterns):
                shutil.copy(f, dest / f.name)
        return str(dest)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = model_store.fetch("Helsinki-NLP/opus-mt-zh-en")
    assert calls == [model_store.ALLOW_PATTERNS, [model_store.BIN_WEIGHTS]]
    assert (path / "model.safetensors").exists() and not (path / "pytorch_model.bin").exists()
    assert "model.safetensors" in json.loads((path / "manifest.json").read_text())["files"]
    src = ["全市开展脱贫攻坚工作，帮扶贫困户954户。"]
    assert Engine.load(path).translate(src, [["954 households"]]) == reference.translate(
        src, [["954 households"]]
    )


def test_bin_that_is_not_plain_tensors_is_refused(tmp_path: Path, tiny_model_dir: Path) -> None:
    import pickle

    d = tmp_path / "m"
    shutil.copytree(tiny_model_dir, d)
    (d / "model.safetensors").unlink()

    class Payload:
        def __reduce__(self):
            return (print, ("pwned",))

    (d / "pytorch_model.bin").write_bytes(pickle.dumps(Payload()))
    with pytest.raises(ModelError, match="cannot convert"):
        model_store.convert_bin_to_safetensors(d)
