"""Safe loading: safetensors only, no remote code, unless the user says otherwise.

Pickle checkpoints (``pytorch_model.bin``) can execute code when loaded; a
hospital's or firm's engineers must opt in to that explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domainkit.errors import ModelError

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")


def weight_files(folder: Path) -> list[str]:
    """Names of the weight files directly in ``folder`` (safetensors and pickle checkpoints)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [p.name for p in folder.iterdir() if p.suffix == ".safetensors" or p.suffix in PICKLE_SUFFIXES]


def check_weights(folder: Path, *, allow_pickle: bool = False) -> None:
    """Refuse a folder whose only weights are pickle files (unless allowed)."""
    folder = Path(folder)
    files = weight_files(folder)
    if any(name.endswith(".safetensors") for name in files):
        return
    # No safetensors among them: every file left is a pickle checkpoint.
    if files and not allow_pickle:
        raise ModelError(
            f"{folder} holds only pickle checkpoints ({', '.join(sorted(files))}), which can run code when loaded",
            hint="convert them to safetensors, or pass --allow-pickle (allow_pickle=True from Python or a "
                 "spaCy config) if you trust their source",
        )
    if not files:
        raise ModelError(f"{folder} holds no model weights (*.safetensors)")


def load_kwargs(*, allow_pickle: bool = False) -> dict[str, Any]:
    """Keyword arguments for every ``from_pretrained`` call domainkit makes.

    Allowing pickle lets transformers choose (None: safetensors when present, else the pickle);
    ``use_safetensors=False`` would look for the pickle only and fail on a safetensors folder.
    """
    return {"use_safetensors": True if not allow_pickle else None, "trust_remote_code": False}
