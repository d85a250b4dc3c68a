"""``DecodeOptions``: every knob of a translation run in one value, like CTranslate2's TranslationOptions.

The CLI builds one from its flags (``commands/engine_options.py``), the API takes one (or its fields as
keywords); the engine reads them from here rather than from constructor arguments, keywords and module
constants spread over several files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ..errors import UsageError

QUANTIZATIONS = (None, "int8", "auto")


@dataclass(frozen=True)
class DecodeOptions:
    """How to decode. The defaults are the engine's tuned values.

    ``beams``: beam size (1 = greedy). ``batch_size``: sentences decoded together.
    ``max_len_ratio``/``margin``: at most ``ratio * source tokens + margin`` target tokens (never fewer
    than the constraints need). ``min_len_ratio``: EOS is barred before this share of the source length.
    ``length_penalty``: finished hypotheses are scored by log-probability / length ** penalty.
    ``threads``: CPU cores (None: all this process may use). ``workers``: batches decoded at once on the
    CPU, one core each (None: one per thread; 1: one batch at a time over all threads, CTranslate2's
    ``inter_threads``). ``quantize``: "auto" (int8 on the CPU, fp32
    elsewhere: README "Decoding on a trained model" has the measurement), "int8", or None / "none" (fp32).
    ``device``: "cpu" or "cuda[:N]". ``shortlist``: score only the N most frequent target pieces plus
    the constraint tokens (faster, approximate)."""

    beams: int = 4
    batch_size: int = 8
    max_len_ratio: float = 2.0
    margin: int = 10
    min_len_ratio: float = 0.3
    length_penalty: float = 1.0
    threads: int | None = None
    workers: int | None = None
    quantize: str | None = "auto"
    device: str = "cpu"
    shortlist: int | None = None

    def __post_init__(self) -> None:
        if self.quantize == "none":
            object.__setattr__(self, "quantize", None)
        problems = check(asdict(self))
        if problems:
            raise UsageError("; ".join(f"{name.replace('_', ' ')} {why}" for name, why in problems))

    def with_(self, **changes: Any) -> DecodeOptions:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def quantization(self) -> str | None:
        """The weights' precision this run loads: "auto" resolved for the device (int8 on the CPU)."""
        if self.quantize == "auto":
            return "int8" if self.device == "cpu" else None
        return self.quantize

    # -- what each part of the engine takes ----------------------------------------------------
    def load_kwargs(self) -> dict[str, Any]:
        """Keywords for ``Engine.load``: what is fixed once the model is in memory."""
        return {"device": self.device, "quantize": self.quantization(), "threads": self.threads,
                "shortlist": self.shortlist}


def check(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, what is wrong) for each out-of-range value; the CLI words them with its flag names."""
    out: list[tuple[str, str]] = []
    for name in ("beams", "batch_size", "threads", "workers", "shortlist"):
        v = values.get(name)
        if v is not None and v < 1:
            out.append((name, f"must be at least 1, not {v}"))
    if values.get("max_len_ratio", 1.0) <= 0:
        out.append(("max_len_ratio", "must be positive"))
    if values.get("margin", 0) < 0:
        out.append(("margin", "must not be negative"))
    if not 0 <= values.get("min_len_ratio", 0.0) < values.get("max_len_ratio", 1.0):
        out.append(("min_len_ratio", "must lie in [0, max_len_ratio)"))
    if values.get("quantize") not in (*QUANTIZATIONS, "none"):
        out.append(("quantize", f"{values['quantize']!r} is unknown (use int8 or none)"))
    return out
