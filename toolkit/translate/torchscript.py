"""Compile a per-step function or module with TorchScript where torch offers it, else run it eagerly.

A decoding step is hundreds of small tensor operations; compiled, it is one call that runs without the
GIL and without Python's per-operation cost (:mod:`marian_step`, :mod:`search_step`). ``torch.jit`` is
deprecated upstream but still shipped; when it is gone (or fails on some code) the same code runs
eagerly, with the same results (tested), only slower and serialised on the GIL.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any

ENABLED = True  # tests switch it off to run the eager path
LOCK = threading.RLock()  # callers compile under it: the decoding threads may all ask at once


def script_or_eager(obj: Any) -> Any:
    """``torch.jit.script(obj)`` when enabled and it compiles; ``obj`` itself otherwise."""
    if not ENABLED:
        return obj
    import torch

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the deprecation notice: nothing a user can act on
            return torch.jit.script(obj)
    except Exception:  # noqa: BLE001 - no TorchScript here: the same code runs eagerly
        return obj
