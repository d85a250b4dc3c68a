"""Helpers for tests that run a translating command end to end and read its JSON output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.cli import main


def run_json(command: str, source: Path | str, model: Path | str, out: Path, *extra: str) -> Any:
    """Run ``bulletin COMMAND SOURCE --model MODEL --format json -o OUT --quiet EXTRA...``; its JSON."""
    rc = main(
        [command, str(source), "--model", str(model), "--format", "json", "-o", str(out), "--quiet", *extra]
    )
    assert rc == 0, f"bulletin {command} exited {rc}"
    return json.loads(Path(out).read_text(encoding="utf-8"))
