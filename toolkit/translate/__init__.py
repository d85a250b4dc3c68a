"""Translation: the model store, the MarianMT engine and the lexically constrained decoder.

Importing this package is cheap; torch and transformers load inside ``Engine.load``.
"""

from __future__ import annotations

from ..doc import Constraint
from .codec import unencodable_renderings
from .engine import Engine, Translation
from .model_store import DEFAULT_MODEL, fetch, list_models, resolve

__all__ = ["DEFAULT_MODEL", "Constraint", "Engine", "Translation", "fetch", "list_models", "resolve",
           "unencodable_renderings"]
