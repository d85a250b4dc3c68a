"""Where bulletin reads its shipped data and where it may write: never inside the installed package.

- Shipped data (read-only): ``toolkit/data/`` inside the package. The glossary maintainers edit is
  ``glossary/policy.tsv`` at the repository root; the wheel build copies it to ``toolkit/data/policy.tsv``
  (see ``setup.py``), and a source checkout or editable install reads it where it is.
- Models: ``$BULLETIN_MODELS``, else ``models/`` of the source checkout the package runs from, else
  ``$XDG_CACHE_HOME/bulletin/models`` (default ``~/.cache/bulletin/models``).
- The user's glossary: ``$XDG_DATA_HOME/bulletin/glossary.tsv`` (default ``~/.local/share/bulletin/``),
  layered over the shipped one; writes without ``--file``/``--glossary`` go there.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OutputError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
#: The folder above the package: the repository root when running from a source checkout.
_ABOVE = PACKAGE_DIR.parent

ENV_MODELS = "BULLETIN_MODELS"
APP = "bulletin"


def checkout_root() -> Path | None:
    """The source checkout the package is imported from (it has pyproject.toml), or None when installed."""
    return _ABOVE if (_ABOVE / "pyproject.toml").is_file() and (_ABOVE / "toolkit").is_dir() else None


def shipped_glossary_path() -> Path:
    """The shipped glossary: the package's copy when installed, ``glossary/policy.tsv`` in a checkout."""
    packaged = DATA_DIR / "policy.tsv"
    if packaged.is_file():
        return packaged
    return _ABOVE / "glossary" / "policy.tsv"


def tiny_corpus_dir() -> Path:
    """The training text of the tiny demo model (Chinese from real bulletins, English written for it)."""
    return DATA_DIR / "tiny_corpus"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    # the XDG spec: a relative path in these variables is invalid and is ignored
    return Path(value) if value and Path(value).is_absolute() else Path.home() / fallback


def user_data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share") / APP


def user_glossary_path() -> Path:
    """The user's own glossary layer (may not exist yet)."""
    return user_data_dir() / "glossary.tsv"


def models_dir() -> Path:
    """Where hub models are installed and looked up (see the module docstring)."""
    env = os.environ.get(ENV_MODELS)
    if env:
        return Path(env).expanduser()
    root = checkout_root()
    if root is not None:
        return root / "models"
    return _xdg("XDG_CACHE_HOME", ".cache") / APP / "models"


def inside_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` lies inside the package folder (``site-packages/toolkit`` when installed)."""
    p = Path(path).expanduser().resolve()
    return p == PACKAGE_DIR or PACKAGE_DIR in p.parents


def refuse_package_write(path: str | os.PathLike[str]) -> None:
    """OutputError if ``path`` is inside the installed package: its files are replaced on every upgrade."""
    if inside_package(path):
        raise OutputError(
            f"will not write {path}: it is inside the bulletin package "
            f"(write to another file, e.g. {user_glossary_path()})"
        )
