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


@pytest.fixture(scope="session", autouse=True)
def _session_user_dirs(tmp_path_factory: pytest.TempPathFactory):
    """Empty XDG data/cache folders for session- and module-scoped fixtures too (they are set up before
    the per-test folders below): nothing the suite does depends on this machine's user files."""
    home = tmp_path_factory.mktemp("xdg-session")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("XDG_CACHE_HOME", str(home / "cache"))
        yield


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets empty XDG data/cache folders: the user's own glossary layer and models are never
    read or written by the suite."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small MarianMT trained in the session on a synthetic word-by-word task (see trained_marian.py);
    ``test.zh``/``test.en`` in the folder are its held-out sentences and references."""
    from trained_marian import build

    return build(tmp_path_factory.mktemp("trained-model"))
