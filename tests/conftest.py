"""Shared fixtures: the tiny MarianMT model, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight MarianMT model folder with a real sentencepiece vocabulary."""
    from toolkit.translate.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"), seed=0)


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_dir: Path):
    """The tiny model loaded into an Engine (CPU, fp32)."""
    from toolkit.translate.engine import Engine

    return Engine.load(tiny_model_dir)


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets empty XDG data/cache folders: the user's own glossary layer and models are never
    read or written by the suite."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
