"""``DecodeOptions``: every knob of a translation run in one value, like CTranslate2's TranslationOptions.

The CLI builds one from its flags (``commands/engine_options.py``), the API takes one (or its fields as
keywords); the engine reads them from here rather than from constructor arguments, keywords and module
constants spread over several files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ..errors import UsageError

QUANTIZATIONS = (None, "int8")


@dataclass(frozen=True)
class DecodeOptions:
    """How to decode. The defaults are the engine's tuned values.

    ``beams``: beam size (1 = greedy). ``batch_size``: sentences decoded together.
    ``max_len_ratio``/``margin``: at most ``ratio * source tokens + margin`` target tokens (never fewer
    than the constraints need). ``min_len_ratio``: EOS is barred before this share of the source length.
    ``length_penalty``: finished hypotheses are scored by log-probability / length ** penalty.
    ``threads``: CPU cores (None: all this process may use). ``quantize``: None or "int8" (CPU).
    ``device``: "cpu" or "cuda[:N]". ``shortlist``: score only the N most frequent target pieces plus
    the constraint tokens (faster, approximate)."""

    beams: int = 4
    batch_size: int = 8
    max_len_ratio: float = 2.0
    margin: int = 10
    min_len_ratio: float = 0.3
    length_penalty: float = 1.0
    threads: int | None = None
    quantize: str | None = None
    device: str = "cpu"
    shortlist: int | None = None

    def __post_init__(self) -> None:
        if self.quantize == "none":
            object.__setattr__(self, "quantize", None)
        problems = []
        if self.beams < 1:
            problems.append(f"beams must be at least 1, not {self.beams}")
        if self.batch_size < 1:
            problems.append(f"batch size must be at least 1, not {self.batch_size}")
        if self.max_len_ratio <= 0 or self.margin < 0:
            problems.append("the length ratio must be positive and the margin not negative")
        if not 0 <= self.min_len_ratio < self.max_len_ratio:
            problems.append("the minimum length ratio must lie in [0, max length ratio)")
        if self.threads is not None and self.threads < 1:
            problems.append(f"threads must be at least 1, not {self.threads}")
        if self.shortlist is not None and self.shortlist < 1:
            problems.append(f"shortlist must be at least 1, not {self.shortlist}")
        if self.quantize not in QUANTIZATIONS:
            problems.append(f"unknown quantization {self.quantize!r} (use int8)")
        if problems:
            raise UsageError("; ".join(problems))

    def with_(self, **changes: Any) -> DecodeOptions:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    # -- what each part of the engine takes ----------------------------------------------------
    def load_kwargs(self) -> dict[str, Any]:
        """Keywords for ``Engine.load``: what is fixed once the model is in memory."""
        return {"device": self.device, "quantize": self.quantize, "threads": self.threads,
                "shortlist": self.shortlist}

    def batch_kwargs(self) -> dict[str, Any]:
        """Keywords for ``Engine.translate_batch``: what may change from one call to the next.

        The minimum length ratio and the length penalty are still fixed inside the engine (its
        ``MIN_LEN_RATIO`` and the decoder's default penalty); other values are refused rather than
        silently ignored until the engine takes them."""
        base = DecodeOptions()
        for name in ("min_len_ratio", "length_penalty"):
            if getattr(self, name) != getattr(base, name):
                raise UsageError(f"{name} {getattr(self, name)} is not supported by this engine yet "
                                 f"(it decodes with {getattr(base, name)})")
        return {"beams": self.beams, "batch_size": self.batch_size, "max_len_ratio": self.max_len_ratio,
                "margin": self.margin}
