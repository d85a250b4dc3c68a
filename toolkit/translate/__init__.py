"""Translation: the model store, the MarianMT engine and the lexically constrained decoder.

Importing this package is cheap; torch and transformers load inside ``Engine.load``.
"""

from __future__ import annotations

from .engine import Constraint, Engine, Translation, unencodable_renderings
from .model_store import DEFAULT_MODEL, fetch, list_models, resolve

__all__ = ["DEFAULT_MODEL", "Constraint", "Engine", "Translation", "fetch", "list_models", "resolve",
           "unencodable_renderings"]
