"""Where bulletin reads and writes: the user's glossary layer, the models folder, never the package."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from toolkit import paths
from toolkit.cli import main
from toolkit.errors import OutputError

HEAD = "zh\ten\tvariants\tcategory\tnote\n"


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("BULLETIN_GLOSSARY", raising=False)
    monkeypatch.delenv("BULLETIN_MODELS", raising=False)


def package_tree() -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in paths.PACKAGE_DIR.rglob("*") if "__pycache__" not in p.parts}


def test_add_without_a_file_goes_to_the_user_glossary_and_layers_over_the_shipped_one(
    no_env, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    shipped = paths.shipped_glossary_path()
    before, tree = digest(shipped), package_tree()
    assert main(["glossary", "add", "测试术语", "test term"]) == 0
    user = tmp_path / "xdg" / "bulletin" / "glossary.tsv"
    assert str(user) in capsys.readouterr().out
    assert user.read_text(encoding="utf-8") == HEAD + "测试术语\ttest term\t\t\t\n"
    assert digest(shipped) == before and package_tree() == tree  # nothing else was written
    assert main(["glossary", "stats"]) == 0
    out = capsys.readouterr().out
    assert str(shipped) in out and str(user) in out  # both layers are read, the user's on top
    assert main(["glossary", "search", "测试术语"]) == 0
    assert "test term" in capsys.readouterr().out
    assert main(["glossary", "remove", "测试术语"]) == 0
    assert user.read_text(encoding="utf-8") == HEAD
    assert digest(shipped) == before


def test_bulletin_glossary_replaces_the_default_layers(tmp_path, monkeypatch):
    from toolkit.glossary.store import default_glossary_path, default_glossary_paths

    mine = tmp_path / "mine.tsv"
    monkeypatch.setenv("BULLETIN_GLOSSARY", str(mine))
    assert default_glossary_paths() == [mine] and default_glossary_path() == mine


def test_nothing_is_written_inside_the_package(tmp_path, capsys):
    inside = paths.PACKAGE_DIR / "data" / "extra.tsv"
    assert paths.inside_package(inside) and not paths.inside_package(tmp_path / "x.tsv")
    with pytest.raises(OutputError, match="inside the bulletin package"):
        from toolkit.atomic import write_atomic

        write_atomic(inside, "x")
    tree = package_tree()
    assert main(["glossary", "add", "测试术语", "test term", "--file", str(inside)]) == 7
    assert capsys.readouterr().err.count("\n") == 1
    assert package_tree() == tree  # not even a lock file


def test_models_dir_order(no_env, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = paths.checkout_root()
    assert root is not None and (root / "pyproject.toml").is_file()  # the suite runs from a checkout
    assert paths.models_dir() == root / "models"
    monkeypatch.setattr(paths, "checkout_root", lambda: None)  # as when installed from a wheel
    assert paths.models_dir() == tmp_path / "cache" / "bulletin" / "models"
    monkeypatch.setenv("BULLETIN_MODELS", str(tmp_path / "m"))
    assert paths.models_dir() == tmp_path / "m"


def test_relative_xdg_values_are_ignored(monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")
    assert paths.user_glossary_path() == Path.home() / ".local/share/bulletin/glossary.tsv"


def test_the_tiny_corpus_is_package_data():
    assert paths.PACKAGE_DIR in paths.tiny_corpus_dir().parents
    assert (paths.tiny_corpus_dir() / "zh.txt").is_file() and (paths.tiny_corpus_dir() / "en.txt").is_file()
