"""Where models live: ``<models_dir>/<name>/`` (see ``toolkit.paths.models_dir``), fetched from the hub.

``--model`` is a local folder or a hub id (``Helsinki-NLP/opus-mt-zh-en`` -> ``models/opus-mt-zh-en``).
``fetch`` downloads only safetensors, sentencepiece and JSON files and writes ``manifest.json``::

    {"id": "Helsinki-NLP/opus-mt-zh-en", "revision": "<commit>", "fetched_at": "<ISO 8601 UTC>",
     "files": {"config.json": "<sha256>", ...}}
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..errors import ModelError
from ..paths import models_dir

#: The model every command uses unless told otherwise (its one definition).
DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"
ALLOW_PATTERNS = ["*.safetensors", "*.spm", "*.json"]
BIN_WEIGHTS = "pytorch_model.bin"  # fetched only when a repository has no safetensors, then converted
MANIFEST = "manifest.json"
HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?")


def local_name(model_id: str) -> str:
    """The folder name for a hub id: its last path component."""
    return model_id.rstrip("/").split("/")[-1]


def fetch_command(model_id: str) -> str:
    return f"bulletin model fetch {model_id}"


def resolve(model: str | Path | None = None) -> Path:
    """The local folder of ``model`` (a folder or a hub id); ModelError naming the fetch command if absent."""
    model = str(model or DEFAULT_MODEL)
    p = Path(model).expanduser()
    if p.is_dir():
        if not (p / "config.json").exists():
            raise ModelError(f"{p} is not a model folder (no config.json)")
        return p
    if not HUB_ID.fullmatch(model):
        raise ModelError(f"model folder {model} not found")
    local = models_dir() / local_name(model)
    if (local / "config.json").exists():
        return local
    raise ModelError(f"model {model} is not installed in {models_dir()}; run `{fetch_command(model)}`")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder: Path, model_id: str, revision: str | None) -> dict[str, Any]:
    files = {
        p.name: sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")
    }
    manifest = {
        "id": model_id,
        "revision": revision,
        "fetched_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "files": files,
    }
    write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(folder: Path) -> dict[str, Any] | None:
    p = folder / MANIFEST
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"unreadable manifest {p}: {e}") from None


def verify_manifest(folder: Path) -> None:
    """Check every file listed in the manifest against its sha256 (no manifest: nothing to check)."""
    manifest = read_manifest(folder)
    if manifest is None:
        return
    for name, digest in manifest.get("files", {}).items():
        f = folder / name
        if not f.exists():
            raise ModelError(f"{f} is missing (listed in {MANIFEST}); run `{fetch_command(manifest['id'])}`")
        if sha256_file(f) != digest:
            raise ModelError(
                f"{f} does not match its sha256 in {MANIFEST}; run `{fetch_command(manifest['id'])}`"
            )


def fetch(model_id: str = DEFAULT_MODEL, revision: str | None = None, dest: Path | None = None) -> Path:
    """Download ``model_id`` into ``dest`` (default ``models/<name>``) and write its manifest."""
    dest = Path(dest) if dest else models_dir() / local_name(model_id)
    try:
        from huggingface_hub import HfApi, snapshot_download
        from huggingface_hub.errors import HFValidationError
    except ImportError as e:
        raise ModelError(f"huggingface_hub is not installed: {e}") from None
    try:
        path = snapshot_download(
            repo_id=model_id,
            revision=revision,
            local_dir=str(dest),
            allow_patterns=ALLOW_PATTERNS,
        )
    except HFValidationError as e:
        raise ModelError(f"bad model id {model_id!r}: {e}") from None
    except Exception as e:  # noqa: BLE001 - offline, not found, HTTP errors: one line
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
        first = str(e).splitlines()[0] if str(e) else ""
        why = "HF_HUB_OFFLINE is set" if offline else f"{type(e).__name__}: {first}"
        raise ModelError(f"cannot fetch {model_id} ({why}); check the network or HF_ENDPOINT") from None
    path = Path(path)
    if not any(path.glob("*.safetensors")):
        # many opus-mt repositories still ship only pytorch_model.bin: fetch it and convert it once,
        # loading with torch's weights_only unpickler (tensors only, no code), so that every later
        # load is from safetensors
        try:
            snapshot_download(
                repo_id=model_id, revision=revision, local_dir=str(dest), allow_patterns=[BIN_WEIGHTS]
            )
        except Exception as e:  # noqa: BLE001 - one line, as above
            raise ModelError(
                f"{model_id} has no safetensors weights and its {BIN_WEIGHTS} could not be "
                f"fetched ({type(e).__name__})"
            ) from None
        convert_bin_to_safetensors(path)
    resolved = revision
    try:
        resolved = HfApi().model_info(model_id, revision=revision).sha or revision
    except Exception:  # noqa: BLE001 - the revision is informative only
        pass
    write_manifest(path, model_id, resolved)
    return path


def convert_bin_to_safetensors(folder: Path) -> None:
    """Replace ``pytorch_model.bin`` in ``folder`` by ``model.safetensors`` (tensors only, never code)."""
    bin_path = folder / BIN_WEIGHTS
    if not bin_path.exists():
        raise ModelError(f"{folder} has neither safetensors weights nor {BIN_WEIGHTS}")
    import torch
    from transformers import MarianConfig, MarianMTModel

    try:
        state = torch.load(bin_path, map_location="cpu", weights_only=True)
        model = MarianMTModel(MarianConfig.from_pretrained(folder))
        missing, unexpected = model.load_state_dict(state, strict=False)
    except Exception as e:  # noqa: BLE001 - a corrupt or hostile file: one line
        raise ModelError(f"cannot convert {bin_path} to safetensors: {type(e).__name__}: {e}") from None
    if unexpected or any(
        not k.endswith(("embed_positions.weight", "final_logits_bias"))
        and "lm_head" not in k
        and "embed_tokens" not in k
        for k in missing
    ):
        raise ModelError(
            f"{bin_path} does not match its config.json (missing {len(missing)}, "
            f"unexpected {len(unexpected)} tensors)"
        )
    model.tie_weights()
    model.save_pretrained(folder)
    bin_path.unlink()


def architecture(folder: Path) -> str:
    """A short description of a model folder's architecture from its config.json, e.g. ``d1024 6+6 relu``
    (transformer-big) or ``d512 6+6 swish`` (opus-mt-zh-en); ``?`` when unreadable."""
    try:
        c = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        return (f"d{c['d_model']} {c['encoder_layers']}+{c['decoder_layers']} "
                f"{c.get('activation_function', 'gelu')}")
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def list_models() -> list[dict[str, Any]]:
    """Installed models: name, path, id, revision, fetched_at, size in bytes, architecture."""
    root = models_dir()
    out: list[dict[str, Any]] = []
    if not root.is_dir():
        return out
    for d in sorted(root.iterdir()):
        if not (d / "config.json").exists():
            continue
        m = read_manifest(d) or {}
        out.append(
            {
                "name": d.name,
                "path": str(d),
                "id": m.get("id", d.name),
                "revision": m.get("revision"),
                "fetched_at": m.get("fetched_at"),
                "size": sum(p.stat().st_size for p in d.iterdir() if p.is_file()),
                "architecture": architecture(d),
            }
        )
    return out
